"""A client that knows nothing of a diagram: deploy it, start a case, and push it until it ends.

Why: whether a construct "runs" must be decided the same way for the product's own fixtures and for
diagrams drawn elsewhere. The client acts as the people of the demo organisation would — the person
allowed to start, then whoever may do each open task, with a form filled from its own definition —
lets frozen time pass to the next timer and runs the worker once, and delivers a message the case
waits on when the product can deliver messages. It stops when the case is completed ("runs"), when
nothing can move ("stuck: waiting on …"), after `max_steps` moves ("loops"), or at the first error
("error: …"). It never hangs: every move is one bounded call and the loop is counted.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from service.engine.problems import DefinitionInvalid
from service.operations import cases, deploy, queries
from service.operations.context import AppContext
from service.operations.errors import Forbidden, OperationError, ValidationFailed
from service.operations.user_pickers import with_candidates
from service.persistence.models import User, UserRole

from .case_reading import case_data, case_error, completed_elements, crash, status_of, waiting_on
from .forms import fill_form, submit
from .moves import deliver_a_message, delivery, fire_next_timer, start_message

__all__ = ["WalkResult", "check_file", "fill_form", "submit", "walk_bundle", "walk_file"]
DEFAULT_MAX_STEPS = 40


@dataclass
class WalkResult:
    """What happened to one diagram: the verdict and enough detail to say why."""

    verdict: str  # "runs" | "refused: …" | "stuck: waiting on …" | "loops" | "error: …"
    process_id: str = ""
    case_id: int | None = None
    steps: int = 0
    completed: list[str] = field(default_factory=list)  # element ids the engine completed
    waiting_on: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # the deploy's refusal, one line each
    moves: list[str] = field(default_factory=list)  # "task <element> by <user>", "timer <element>", …

    @property
    def kind(self) -> str:
        return self.verdict.split(":", 1)[0]


def check_file(path: Path, forms_root: Path | None = None) -> tuple[str, Any]:
    """`deploy.check_bundle` on one diagram file: ("accepted", parsed bundle), ("refused", [problem
    lines]) or ("error", [the exception]) when the check itself crashed — which it must never do."""
    try:
        bundle = deploy.bundle_from_path(path, forms_root or path.parent / "forms")
        parsed, _forms = deploy.check_bundle(bundle)
    except DefinitionInvalid as exc:
        return "refused", [p.line_text("en") for p in exc.problems]
    except Exception as exc:  # a crash is a finding, said in one line
        return "error", [crash(exc)]
    return "accepted", parsed


def walk_file(ctx: AppContext, path: Path, forms_root: Path | None = None, *,
              max_steps: int = DEFAULT_MAX_STEPS) -> WalkResult:
    """Deploy the diagram at `path` (its forms under `forms_root/<process_id>/`) and walk one case."""
    try:
        bundle = deploy.bundle_from_path(path, forms_root or path.parent / "forms")
    except DefinitionInvalid as exc:
        problems = [p.line_text("en") for p in exc.problems]
        return WalkResult("refused: " + "; ".join(problems), path.stem, problems=problems)
    except Exception as exc:
        return WalkResult(f"error: {crash(exc)}", path.stem)
    return walk_bundle(ctx, bundle, max_steps=max_steps)


def walk_bundle(ctx: AppContext, bundle: deploy.Bundle, *, max_steps: int = DEFAULT_MAX_STEPS) -> WalkResult:
    result = WalkResult("", bundle.process_id)
    try:
        deploy.deploy_bundle(ctx, bundle, actor="process_owner1")
    except DefinitionInvalid as exc:
        result.problems = [p.line_text("en") for p in exc.problems]
        result.verdict = "refused: " + "; ".join(result.problems)
        return result
    except Exception as exc:
        result.verdict = f"error: at deploy: {crash(exc)}"
        return result
    try:
        _walk(ctx, result, max_steps)
    except ValidationFailed as exc:
        fields = "; ".join(f"{key}: {text}" for key, text in exc.field_errors("en").items())
        result.verdict = f"error: {exc.code}: {exc.render('en')} ({fields})"
    except OperationError as exc:
        result.verdict = f"error: {exc.code}: {exc.render('en')}"
    except Exception as exc:
        result.verdict = f"error: {crash(exc)}"
    if result.case_id is not None:
        _read_back(ctx, result)
    return result


def _walk(ctx: AppContext, result: WalkResult, max_steps: int) -> None:
    actor, start_form = _starter(ctx, result.process_id)
    message = start_message(ctx, result.process_id)
    if message is not None:  # a process that begins when a message arrives is started by that message
        result.case_id = submit(ctx, start_form, {}, lambda data: delivery().deliver_message(
            ctx, actor=actor, name=message, correlation={}, data=data).started[0])
        result.moves.append(f"start by message {message} from {actor}")
    else:
        key = f"{result.process_id}-{ctx.now():%m%d%H%M%S}"
        result.case_id = submit(ctx, start_form, {}, lambda data: cases.start_case(
            ctx, process_id=result.process_id, actor=actor, data=data, business_key=key))
        result.moves.append(f"start by {actor}")
    delivered: set[tuple[str, str]] = set()  # (message, waiting element): each is delivered once
    while True:
        status = status_of(ctx, result.case_id)
        if status == "completed":
            result.verdict = "runs"
            return
        if status != "running":
            result.verdict = f"error: case is {status}: {case_error(ctx, result.case_id)}"
            return
        if result.steps >= max_steps:
            result.verdict = "loops"
            return
        # a message the case waits on arrives first (otherwise a task done at once would always win the
        # race and the message path would never be walked), then people act, then time passes
        move = deliver_a_message(ctx, result.case_id, delivered) or _complete_a_task(ctx, result.case_id) \
            or fire_next_timer(ctx, result.case_id)
        if move is None:
            result.verdict = "stuck: waiting on " + (", ".join(waiting_on(ctx, result.case_id)) or "nothing")
            return
        result.steps += 1
        result.moves.append(move)


# -- people --------------------------------------------------------------------------------------

def _users_with_role(ctx: AppContext, role: str) -> list[str]:
    with ctx.db.reading() as session:
        return sorted(session.execute(select(User.username).join(UserRole).where(
            UserRole.role == role, User.active.is_(True))).scalars())


def _starter(ctx: AppContext, process_id: str) -> tuple[str, dict[str, Any] | None]:
    with ctx.db.reading() as session:
        definition = cases.latest_definition(session, process_id)
        roles = sorted(definition.meta.get("start_roles") or []) or ["sales"]
        form = with_candidates(session, ctx.cached_forms(definition).get(definition.meta.get("start_form") or ""))
    people = [u for role in roles for u in _users_with_role(ctx, role)]
    return (people[0] if people else "admin1"), form


def _complete_a_task(ctx: AppContext, case_id: int) -> str | None:
    """Complete the first open task someone may do; None when no open task can be done."""
    for task in queries.open_tasks(ctx, instance_id=case_id):
        people = [task["assignee"]] if task.get("assignee") else _users_with_role(ctx, task["role"] or "")
        data_now = case_data(ctx, case_id)
        for person in people:
            try:
                submit(ctx, task.get("form"), data_now,
                       functools.partial(_complete, ctx, task_id=task["id"], actor=person))
            except Forbidden:
                continue  # e.g. a customer contact of another company: the next person may
            return f"task {task['element_id']} by {person}"
    return None


def _complete(ctx: AppContext, data: dict[str, Any], *, task_id: int, actor: str) -> dict[str, Any]:
    return cases.complete_task(ctx, task_id=task_id, actor=actor, data=data)


def _read_back(ctx: AppContext, result: WalkResult) -> None:
    """The elements completed, and what a case that did not end waits on."""
    assert result.case_id is not None
    try:
        result.completed = completed_elements(ctx, result.case_id)
    except Exception as exc:
        result.completed = [f"(state unreadable: {crash(exc)})"]
    if result.kind != "runs":
        result.waiting_on = waiting_on(ctx, result.case_id)
