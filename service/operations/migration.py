"""Compare two versions of a process, and move running cases to another version — previewed first.

Why a preview: a case waits at certain steps; it can only move where the other version still has those
steps as the same kind of step, where the form its holder is filling asks nothing new of them, and where
the subprocess it is inside still exists and calls the same process. Every case that fails one of these
is refused with the step (element id) that stops it; the others move, each in one transaction of its own
under the case's revision lock, with a `migrated` event in the case's chain.

Moving is SpiffWorkflow's own (`diff_workflow` + `migrate_workflow`): the case's tasks take the other
version's specs, matched by BPMN id; its ready and waiting tasks are reset and their future re-predicted
from the new diagram, keeping their task ids — so the people holding a task keep it (its name, role,
form and due time become the new version's). A waiting timer keeps the moment it was set for when its
timer expression did not change; a changed one is evaluated again as of the migration. The event lists
the engine task ids that were reset and removed, enough to replay the move on the stored state later.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from service.domain import version_diff
from service.domain.access import may_change_processes, may_read_processes
from service.domain.messages import Message, Words
from service.domain.task_actions import status_words
from service.engine import migration as moving
from service.persistence.audit import append_event
from service.persistence.models import HumanTask, ProcessDefinition, ProcessInstance, Timer, User, UserRole

from .case_store import (
    CaseSnapshot,
    StepOutcome,
    load_specs,
    load_workflow,
    lock_snapshot,
    outcome_of,
    snapshot_of,
    write_outcome,
)
from .context import AppContext
from .errors import Forbidden, NotFound, OperationError
from .localise import VersionWords, version_words
from .step_services import CaseIdentity, step_services
from .unit_of_work import CaseFailed, engine_guard, run_step
from .users import find_user

LIVE_ROWS = ("open", "waiting", "pending")


@dataclass(frozen=True)
class Reason:
    """Why a case cannot move: a message code, its sentence, and the step that stops it."""

    message: Message
    element_id: str | None = None

    def said(self, lang: str) -> dict[str, Any]:
        return {"code": self.message.code, "message": self.message.render(lang), "element_id": self.element_id}


class Refused(Exception):
    """The case stays where it is, for these reasons."""

    def __init__(self, reasons: list[Reason]) -> None:
        super().__init__(", ".join(r.message.code for r in reasons))
        self.reasons = reasons


def said(result: dict[str, Any], lang: str) -> dict[str, Any]:
    """A preview or migration result with its reasons in `lang` (as the API and the CLI show it)."""
    def render(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**item, "reasons": [r.said(lang) for r in item["reasons"]]} for item in items]
    out = dict(result)
    for part in ("cases", "refused"):
        if part in out:
            out[part] = render(out[part])
    return out


# -- who may, and which version ------------------------------------------------------------------------

def _check_may_read(session: Session, actor: str | None) -> None:
    """None is the command line, which holds the database itself (as `deploy` does)."""
    if actor is not None and not may_read_processes(find_user(session, actor).role_ids):
        raise Forbidden("versions.read_forbidden", user=actor)


def _check_may_migrate(session: Session, actor: str | None) -> None:
    if actor is not None and not may_change_processes(find_user(session, actor).role_ids):
        raise Forbidden("migration.forbidden", user=actor)


def _definition(session: Session, process_id: str, version: int) -> ProcessDefinition:
    found = session.execute(select(ProcessDefinition).where(
        ProcessDefinition.process_id == process_id, ProcessDefinition.version == version)
        .options(undefer(ProcessDefinition.files), undefer(ProcessDefinition.forms))).scalar_one_or_none()
    if found is None:
        raise NotFound("versions.unknown", process=process_id, version=version)
    return found


def compare(ctx: AppContext, process_id: str, old: int, new: int, *, actor: str) -> dict[str, Any]:
    """The readable diff of two versions (rules in `service.domain.version_diff`)."""
    with ctx.db.reading() as session:
        _check_may_read(session, actor)
        before, after = _definition(session, process_id, old), _definition(session, process_id, new)
        diff = version_diff.diff_versions(before.files, before.forms, after.files, after.forms)
    return {"from": old, "to": new, **diff}


# -- can a case move? -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Versions:
    old: ProcessDefinition
    new: ProcessDefinition
    old_forms: dict[str, Any]
    new_forms: dict[str, Any]
    words: VersionWords


def _reason(code: str, versions: _Versions, spec: Any, **params: Any) -> Reason:
    """A reason naming the step: its name in both languages (the case's version's words) and its id."""
    element = getattr(spec, "bpmn_id", None) or spec.name
    name = getattr(spec, "bpmn_name", None) or element
    shown = Words(name, versions.words.element(element, name) or name)
    return Reason(Message(code, {"name": shown, "element": element, "version": versions.new.version, **params}),
                  element)


def _form_reason(versions: _Versions, spec: Any) -> Reason | None:
    old_meta = versions.old.meta.get("tasks", {}).get(spec.bpmn_id, {})
    new_meta = versions.new.meta.get("tasks", {}).get(spec.bpmn_id, {})
    fields = version_diff.incompatible_fields(versions.old_forms.get(old_meta.get("form") or ""),
                                              versions.new_forms.get(new_meta.get("form") or ""))
    return _reason("migration.form_incompatible", versions, spec, fields=", ".join(fields)) if fields else None


def _step_reason(versions: _Versions, task: Any, target: Any) -> Reason | None:
    spec = task.task_spec
    candidate = target.task_specs.get(spec.name)
    if candidate is None:
        return _reason("migration.element_removed", versions, spec)
    if type(candidate).__name__ != type(spec).__name__:
        return _reason("migration.type_changed", versions, spec, old=type(spec).__name__,
                       new=type(candidate).__name__)
    called, now_called = getattr(spec, "spec", None), getattr(candidate, "spec", None)
    if task.state == TaskState.STARTED and called != now_called:
        return _reason("migration.called_process_changed", versions, spec, old=called, new=now_called)
    if task.state == TaskState.READY and spec.manual:
        return _form_reason(versions, spec)
    return None


def _owner_of(workflow: BpmnWorkflow, sub: Any) -> Any:
    """The call activity or subprocess task a subworkflow runs for."""
    owner = workflow.get_task_from_id(sub.parent_task_id)
    return owner.task_spec if owner is not None else sub.spec


def case_reasons(ctx: AppContext, workflow: BpmnWorkflow, versions: _Versions) -> list[Reason]:
    """Every active step (a task waiting for a person, a timer, a message wait, a running subprocess)
    must exist in the other version as the same kind of element; a waiting task's form must not demand
    new required fields; a subprocess the case is inside must still exist and call the same process."""
    new_spec, new_subs = load_specs(ctx, versions.new)
    reasons: list[Reason] = []
    for wf in moving.workflows(workflow):
        target = new_spec if wf is workflow else new_subs.get(wf.spec.name)
        if target is None:
            reasons.append(_reason("migration.subprocess_removed", versions, _owner_of(workflow, wf)))
            continue
        reasons.extend(r for task in moving.active(wf) if (r := _step_reason(versions, task, target)) is not None)
    return reasons


def _snapshot_reasons(ctx: AppContext, snapshot: CaseSnapshot, versions: _Versions) -> list[Reason]:
    try:
        return case_reasons(ctx, load_workflow(ctx, snapshot), versions)
    except Exception as exc:  # a state the engine cannot read is refused, not a failed preview
        return [Reason(Message("migration.engine_failed", {"version": versions.new.version,
                                                           "cause": f"{type(exc).__name__}: {exc}"}))]


def _versions(ctx: AppContext, old: ProcessDefinition, new: ProcessDefinition) -> _Versions:
    """Read inside the session that loaded both (their forms are loaded lazily)."""
    return _Versions(old, new, ctx.cached_forms(old), ctx.cached_forms(new),
                     version_words(ctx, old.process_id, old.version))


def _movable_cases(session: Session, process_id: str, target: ProcessDefinition) -> list[ProcessInstance]:
    return list(session.execute(select(ProcessInstance).where(
        ProcessInstance.process_id == process_id, ProcessInstance.status == "running",
        ProcessInstance.definition_id != target.id).options(undefer(ProcessInstance.state_json))
        .order_by(ProcessInstance.id)).unique().scalars())


def preview(ctx: AppContext, process_id: str, to: int, *, actor: str | None) -> dict[str, Any]:
    """The running cases on other versions, each with whether it can move to version `to`, and why not."""
    with ctx.db.reading() as session:
        _check_may_read(session, actor)
        target = _definition(session, process_id, to)
        found = [(snapshot_of(i), _versions(ctx, i.definition, target)) for i in _movable_cases(session, process_id,
                                                                                                  target)]
    cases = []
    for snapshot, versions in found:
        reasons = _snapshot_reasons(ctx, snapshot, versions)
        cases.append({"instance_id": snapshot.id, "business_key": snapshot.business_key,
                      "version": snapshot.definition.version, "can_migrate": not reasons, "reasons": reasons})
    return {"to": to, "cases": cases}


# -- moving ------------------------------------------------------------------------------------------------

def _moved(ctx: AppContext, snapshot: CaseSnapshot, target: ProcessDefinition, now: datetime
           ) -> tuple[StepOutcome, dict[str, Any]]:
    workflow = load_workflow(ctx, snapshot)
    spec, subs = load_specs(ctx, target)
    services = step_services(ctx, CaseIdentity(snapshot.id, snapshot.process_id, snapshot.business_key,
                                               snapshot.parent_id, snapshot.started_by), now)
    record: dict[str, Any] = {}

    def drive() -> None:
        record.update(moving.move(workflow, spec, subs, now=now, service_handler=services,
                                  limits=ctx.evaluation_limits))
    try:
        with services.seeded():
            engine_guard(drive)
        return outcome_of(ctx, target, workflow, services), record
    finally:
        services.close()


def _holders(session: Session, usernames: set[str]) -> set[tuple[str, str]]:
    return {(name, role) for name, role in session.execute(
        select(User.username, UserRole.role).join(UserRole).where(User.username.in_(sorted(usernames))))}


def _renew_rows(session: Session, instance: ProcessInstance, outcome: StepOutcome) -> list[int]:
    """The task rows kept across the move show the new version's name, form, role and due time; a
    holder keeps the task unless the step now belongs to a role they do not have."""
    ready = {t.task_id: t for t in outcome.ready}
    rows = [r for r in session.execute(select(HumanTask).where(
        HumanTask.instance_id == instance.id, HumanTask.kind == "engine", HumanTask.status.in_(LIVE_ROWS))).scalars()
        if r.engine_task_id in ready]
    holders = _holders(session, {r.assignee for r in rows if r.assignee})
    for row in rows:
        task = ready[row.engine_task_id]
        if row.assignee and task.role != row.role and (row.assignee, task.role) not in holders:
            row.assignee = None
        row.name, row.role, row.form_key = task.name, task.role, task.form_key
        row.due_at = task.due_at or row.due_at
    due = {t.task_id: t.due_at for t in outcome.timers}
    for timer in session.execute(select(Timer).where(Timer.instance_id == instance.id,
                                                     Timer.status == "pending")).scalars():
        timer.due_at = due.get(timer.engine_task_id, timer.due_at)
    return sorted(r.id for r in rows)


def _check_case(instance: ProcessInstance | None, instance_id: int, process_id: str,
                target: ProcessDefinition) -> ProcessInstance:
    if instance is None:
        raise NotFound("case.missing", case=instance_id)
    if instance.process_id != process_id:
        raise Refused([Reason(Message("migration.other_process", {"case": instance_id, "process": process_id}))])
    if instance.status != "running":
        raise Refused([Reason(Message("migration.not_running", {"case": instance_id,
                                                                "status": status_words(instance.status)}))])
    if instance.definition_id == target.id:
        raise Refused([Reason(Message("migration.already_there", {"case": instance_id, "version": target.version}))])
    return instance


def _migrate_once(ctx: AppContext, instance_id: int, process_id: str, to: int, actor: str | None) -> None:
    now = ctx.now()
    with ctx.db.reading() as session:
        target = _definition(session, process_id, to)
        instance = _check_case(session.execute(select(ProcessInstance).where(ProcessInstance.id == instance_id)
                                               .options(undefer(ProcessInstance.state_json))).unique()
                               .scalar_one_or_none(), instance_id, process_id, target)
        snapshot, versions = snapshot_of(instance), _versions(ctx, instance.definition, target)
    reasons = _snapshot_reasons(ctx, snapshot, versions)
    if reasons:
        raise Refused(reasons)
    try:
        outcome, record = _moved(ctx, snapshot, target, now)
    except CaseFailed as exc:
        raise Refused([Reason(Message("migration.engine_failed", {"version": to, "cause": exc.cause}),
                              exc.element_id)]) from exc
    by = actor or "system"
    with ctx.db.transaction() as session:
        instance = lock_snapshot(session, snapshot.id, snapshot.revision)
        new_definition = session.get(ProcessDefinition, target.id)
        assert new_definition is not None
        instance.definition = new_definition
        kept = _renew_rows(session, instance, outcome)
        append_event(session, type="migrated", actor=by, at=now, case=instance, payload={
            "process_id": process_id, "from_version": snapshot.definition.version, "to_version": to,
            "from_definition_id": snapshot.definition.id, "to_definition_id": target.id, **record,
            "kept_task_rows": kept, **outcome.replay_record()})
        write_outcome(session, instance, outcome, actor=by, now=now, ctx=ctx)


def _wanted(session: Session, process_id: str, target: ProcessDefinition,
            instance_ids: Sequence[int] | str) -> list[int]:
    if isinstance(instance_ids, str):  # "all": every running case on another version
        return [i.id for i in _movable_cases(session, process_id, target)]
    return list(dict.fromkeys(instance_ids))


def migrate(ctx: AppContext, process_id: str, to: int, instance_ids: Sequence[int] | str, *,
            actor: str | None) -> dict[str, Any]:
    """Move the chosen cases ("all": every running case on another version) to version `to`: each on its
    own; a case that cannot move is refused with its reasons and the others move regardless."""
    with ctx.db.reading() as session:
        _check_may_migrate(session, actor)
        target = _definition(session, process_id, to)
        wanted = _wanted(session, process_id, target, instance_ids)
    migrated: list[int] = []
    refused: list[dict[str, Any]] = []
    for instance_id in wanted:
        try:
            run_step(lambda: _migrate_once(ctx, instance_id, process_id, to, actor),  # noqa: B023 (run at once)
                     what=f"migrating case {instance_id}")
            migrated.append(instance_id)
        except Refused as exc:
            refused.append({"instance_id": instance_id, "reasons": exc.reasons})
        except OperationError as exc:  # gone meanwhile, or kept changing
            refused.append({"instance_id": instance_id, "reasons": [Reason(exc.message)]})
    return {"to": to, "migrated": migrated, "refused": refused}
