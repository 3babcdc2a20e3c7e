"""Start a case and complete its tasks: each call is one transaction with its events."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, lazyload

from service.adapters.archive_store import DocumentStore
from service.domain import documents
from service.domain import forms as form_rules
from service.domain.access import role_words
from service.domain.business_key import derive_business_key
from service.domain.form_submission import validate_submission
from service.domain.input_limits import business_key_problem
from service.domain.messages import Message, Words
from service.domain.roles import role_label
from service.domain.task_actions import status_words, task_label
from service.engine import runner
from service.engine.runner import TaskNotReady
from service.persistence.audit import append_event, assume_marker, marker_seen
from service.persistence.models import HumanTask, Incident, ProcessDefinition, ProcessInstance, User

from .access import check_may_work
from .case_store import (
    CaseChanged,
    CaseSnapshot,
    StepOutcome,
    load_specs,
    lock_instance,
    lock_snapshot_with,
    outcome_of,
    snapshot_of,
    write_outcome,
)
from .context import AppContext
from .errors import Conflict, Forbidden, NotFound, ValidationFailed
from .step_rows import WaitedOn
from .step_services import CaseIdentity, as_logged, step_services
from .timers import real_now
from .unit_of_work import CaseFailed, compute_step, engine_guard, run_step
from .user_pickers import picker_errors, with_candidates
from .users import find_user, find_worker

__all__ = ["CaseFailed", "complete_task", "latest_definition", "lock_task", "start_case"]


def latest_definition(session: Session, process_id: str) -> ProcessDefinition:
    version = session.execute(select(func.max(ProcessDefinition.version)).where(
        ProcessDefinition.process_id == process_id)).scalar()
    if version is None:
        raise NotFound("process.not_deployed", process=process_id)
    return session.execute(select(ProcessDefinition).where(
        ProcessDefinition.process_id == process_id, ProcessDefinition.version == version)).scalar_one()


def checked_form_data(ctx: AppContext, session: Session, form: dict[str, Any] | None, data: Mapping[str, Any],
                      what: str, customer: str | None = None, case_data: Mapping[str, Any] | None = None
                      ) -> dict[str, Any]:
    """Validate against the form (a key it does not have is refused, so a submission cannot set other
    case variables; a user picker must name someone with its role; a document must really be uploaded, or
    a later step could not archive it) and fill in the fields left out; conditions see `case_data`."""
    if form is None:  # deploy requires a form on every user task; a process may start without one
        return {}
    form = with_candidates(session, form)
    assert form is not None
    errors = (picker_errors(session, form, data, customer) or validate_submission(form, data, case_data)
              or documents.missing_uploads(DocumentStore(ctx.settings.home), form_rules.document_fields(form), data))
    if errors:
        raise ValidationFailed("form.refused", errors, what=Message("form.start") if what == "start" else what)
    return form_rules.form_values(form, data)


@dataclass(frozen=True)
class _StartRequest:
    definition: ProcessDefinition
    values: dict[str, Any]
    business_key: str
    parent_id: int | None
    customer: str | None


def _read_start(ctx: AppContext, session: Session, process_id: str, actor: str, data: Mapping[str, Any],
                business_key: str | None) -> _StartRequest:
    user = find_user(session, actor)
    definition = latest_definition(session, process_id)
    start_roles = set(definition.meta.get("start_roles") or [])
    if start_roles and not start_roles & user.role_ids:
        raise Forbidden("process.may_not_start", user=actor, process=process_id,
                        roles=Words("、".join(role_label(r) for r in sorted(start_roles)),
                                    ", ".join(role_label(r, "en") for r in sorted(start_roles))))
    form = ctx.cached_forms(definition).get(definition.meta.get("start_form") or "")
    values = checked_form_data(ctx, session, form, data, "start")
    _check_acting_role(user, values)
    parent = _parent_case(session, values)
    key = business_key if business_key is not None else derive_business_key(
        values if parent is None else {**parent.data, **values})
    problem = business_key_problem(key)
    if problem:
        raise ValidationFailed("case.business_key_refused", {"business_key": problem})
    return _StartRequest(definition, values, key, parent.id if parent else None,
                         parent.customer if parent else None)


def _reserve_case(ctx: AppContext, request: _StartRequest, process_id: str, actor: str) -> int:
    """A row in state `starting` gives the new case its id (archive folders and mails need it) before
    the engine runs; it holds no events, and a crash leaves only a row the worker clears away."""
    now = ctx.now()
    with ctx.db.transaction() as session:
        instance = ProcessInstance(definition_id=request.definition.id, process_id=process_id,
                                   business_key=request.business_key, status="starting", state_json="{}", data={},
                                   started_by=actor, started_at=now, updated_at=real_now(),  # for the cleanup
                                   parent_id=request.parent_id)
        session.add(instance)
        session.flush()
        return instance.id


def _forget_reserved(ctx: AppContext, instance_id: int) -> None:
    with ctx.db.transaction() as session:
        instance = session.get(ProcessInstance, instance_id)
        if instance is not None and instance.status == "starting":
            session.delete(instance)


def start_case(ctx: AppContext, *, process_id: str, actor: str, data: Mapping[str, Any],
               business_key: str | None = None) -> int:
    now = ctx.now()
    with ctx.db.reading() as session:
        request = _read_start(ctx, session, process_id, actor, data, business_key)
    values = as_logged({**request.values, "received_at": now.astimezone(ctx.tz).isoformat(), "started_by": actor,
                        "business_key": request.business_key})
    instance_id = _reserve_case(ctx, request, process_id, actor)
    try:
        outcome = _run_start(ctx, request, instance_id, values, now)  # the event's time too
        with ctx.db.transaction() as session:
            instance = lock_instance(session, instance_id)
            instance.status, instance.customer = "running", outcome.customer
            append_event(session, type="case_started", actor=actor, at=now, case=instance, payload={
                "process_id": process_id, "version": request.definition.version,
                "content_hash": request.definition.content_hash, "business_key": request.business_key,
                "data": values, **outcome.replay_record()})
            write_outcome(session, instance, outcome, actor=actor, now=now, ctx=ctx)
            ctx.hooks.fire_before_commit("start")
    except BaseException:
        _forget_reserved(ctx, instance_id)
        raise
    return instance_id


def _run_start(ctx: AppContext, request: _StartRequest, instance_id: int, values: dict[str, Any],
               now: datetime) -> StepOutcome:
    case = CaseIdentity(instance_id, request.definition.process_id, request.business_key, request.parent_id)
    services = step_services(ctx, case, now)
    try:
        spec, subs = load_specs(ctx, request.definition)
        with services.seeded():
            workflow = engine_guard(lambda: runner.start(spec, subs, values, now=now, service_handler=services,
                                                               limits=ctx.evaluation_limits))
        # a new case has no rows yet: nothing to read back before writing its first tasks and timers
        return outcome_of(ctx, request.definition, workflow, services, request.customer, before=WaitedOn())
    finally:
        services.close()


def _check_acting_role(user: User, values: Mapping[str, Any]) -> None:
    """A form may say in which role the person acts (e.g. raising a conflict); it must be theirs."""
    role = values.get("raised_by_role")
    if role and role not in user.role_ids:
        raise ValidationFailed("role.not_held_refused", {"raised_by_role": Message("role.not_held", {
            "user": user.username, "role": role_words(str(role))})})


def _parent_case(session: Session, values: Mapping[str, Any]) -> ProcessInstance | None:
    """Deviations and conflicts belong to a running request, named by `parent_case`."""
    if values.get("parent_case") in (None, ""):
        return None
    parent = session.get(ProcessInstance, int(values["parent_case"]))
    if parent is None:
        raise ValidationFailed("case.parent_refused", {"parent_case": Message("case.missing", {
            "case": values["parent_case"]})})
    if parent.status != "running":
        raise ValidationFailed("case.parent_refused", {"parent_case": Message("case.not_running", {
            "case": parent.id, "status": status_words(parent.status)})})
    return parent


def lock_task(session: Session, task_id: int) -> HumanTask:
    task = session.execute(select(HumanTask).where(HumanTask.id == task_id).with_for_update(of=HumanTask)
                           .execution_options(populate_existing=True)).unique().scalar_one_or_none()
    if task is None:
        raise NotFound("task.missing", task=task_id)
    return task


def _open_task(session: Session, task_id: int, status: str = "open") -> HumanTask:
    return _checked_status(session.get(HumanTask, task_id, populate_existing=True), task_id, status)


def _checked_status(task: HumanTask | None, task_id: int, status: str = "open") -> HumanTask:
    if task is None:
        raise NotFound("task.missing", task=task_id)
    if task.status != status:
        raise Conflict("task.already_by" if task.completed_by else "task.already", task=task_label(task_id, task.name),
                       status=status_words(task.status), user=task.completed_by or "")
    return task


def check_no_incident(session: Session, instance_id: int) -> None:
    incident = session.execute(select(Incident).where(Incident.instance_id == instance_id,
                                                      Incident.status == "open")).scalars().first()
    if incident is not None:
        raise Conflict("case.incident_open", case=instance_id, incident=incident.id, element=incident.element_id,
                       cause=incident.message)


@dataclass(frozen=True)
class _Completion:
    snapshot: CaseSnapshot
    task_id: int
    engine_task_id: str
    values: dict[str, Any]


def _read_completion(ctx: AppContext, task_id: int, actor: str, data: Mapping[str, Any], status: str
                     ) -> _Completion:
    with ctx.db.reading() as session:
        return _completion_in(ctx, session, _open_task(session, task_id, status), actor, data)


def _completion_in(ctx: AppContext, session: Session, task: HumanTask, actor: str, data: Mapping[str, Any]
                   ) -> _Completion:
    """Who may submit, and what: checked on the rows as read, before the engine runs."""
    instance = task.instance
    check_may_work(session, find_worker(session, actor), instance, task)
    if instance.status == "error":  # only a case with an incident is in error
        check_no_incident(session, instance.id)
    values = as_logged(checked_form_data(ctx, session, ctx.cached_forms(instance.definition).get(
        task.form_key or ""), data, task.name, instance.customer, instance.data))
    # the step goes by the version of the reference data read here, in all its sessions
    return _Completion(snapshot_of(instance, marker_seen(session)), task.id, task.engine_task_id, values)


_CASE_AND_TASK = (  # built once: composing it costs more than running it
    select(ProcessInstance, HumanTask).join(HumanTask, HumanTask.instance_id == ProcessInstance.id)
    .where(ProcessInstance.id == bindparam("case"), HumanTask.id == bindparam("task"))
    .options(lazyload(HumanTask.instance), lazyload(ProcessInstance.definition))  # the snapshot has it
    .with_for_update(of=ProcessInstance).execution_options(populate_existing=True))


def lock_case_and_task(session: Session, snapshot: CaseSnapshot, task_id: int) -> tuple[ProcessInstance, HumanTask]:
    return lock_snapshot_with(session, _CASE_AND_TASK, snapshot, {"task": task_id},
                              f"task {task_id} is no longer part of case {snapshot.id}")


AlsoWrite = Callable[[Session, ProcessInstance, HumanTask], None]


def _complete_once(ctx: AppContext, task_id: int, actor: str, data: Mapping[str, Any], status: str = "open",
                   also: AlsoWrite | None = None, read: _Completion | None = None) -> dict[str, Any]:
    now = ctx.now()
    step = read or _read_completion(ctx, task_id, actor, data, status)
    snapshot = step.snapshot
    try:
        outcome = compute_step(ctx, snapshot, now, lambda workflow, services: runner.complete_user_task(
            workflow, step.engine_task_id, step.values, now=now, service_handler=services,
            limits=ctx.evaluation_limits))
    except TaskNotReady as exc:
        raise Conflict("task.not_waiting", task=task_id) from exc
    ctx.hooks.fire_after_engine("complete")
    with ctx.db.transaction() as session:
        assume_marker(session, snapshot.reference)
        instance, task = lock_case_and_task(session, snapshot, task_id)
        if task.status != status or task.engine_task_id != step.engine_task_id:
            raise CaseChanged(f"task {task_id} changed")
        # the case is at the snapshot's revision, so its tasks and holders are as they were checked
        task.status, task.completed_by, task.completed_at = "completed", actor, now
        completed = ("task_completed", {
            "task_id": task.id, "engine_task_id": task.engine_task_id, "element_id": task.element_id,
            "name": task.name, "role": task.role, "data": step.values, **outcome.replay_record()})
        if also is not None:
            append_event(session, type=completed[0], actor=actor, at=now, case=instance, payload=completed[1])
            also(session, instance, task)
        write_outcome(session, instance, outcome, actor=actor, now=now, ctx=ctx,
                      step_event=completed if also is None else None)
        ctx.hooks.fire_before_commit("complete")
        return {"task_id": task.id, "instance_id": instance.id, "status": instance.status}


def complete_engine_task(ctx: AppContext, *, task_id: int, actor: str, data: Mapping[str, Any],
                         status: str = "open", also: AlsoWrite | None = None) -> dict[str, Any]:
    """The engine completion of a diagram task, with `also` written in the same transaction."""
    return run_step(lambda: _complete_once(ctx, task_id, actor, data, status, also),
                    what=f"completing task {task_id}")


def complete_task(ctx: AppContext, *, task_id: int, actor: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """Submitting a task's form: a 加签 step is signed, a delegate's work goes back to the delegator,
    a task with a signer after it waits for that signer; any other task completes in the engine."""
    from .case_moves import completion_route, hold_for_signer, sign, with_pending_signer  # 审批 actions build on this
    from .task_actions import submit_delegated

    with ctx.db.reading() as session:
        found = with_pending_signer(session, task_id)
        task = found[0] if found is not None else None
        route = completion_route(found[0], actor, found[1]) if found is not None else "engine"
        # the usual case: read what the engine step needs in the same session
        read = _completion_in(ctx, session, _checked_status(task, task_id), actor, data) \
            if route == "engine" else None
    if route == "signer":
        return sign(ctx, task_id=task_id, actor=actor, data=data)
    if route == "delegated":
        return submit_delegated(ctx, task_id, actor, data)
    if route == "held":
        return hold_for_signer(ctx, task_id=task_id, actor=actor, data=data)
    first = [read]  # a retry reads afresh

    def attempt() -> dict[str, Any]:
        return _complete_once(ctx, task_id, actor, data, read=first.pop() if first else None)
    return run_step(attempt, what=f"completing task {task_id}")
