"""Start a case and complete its tasks: each call is one transaction with its events."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from service.adapters.archive_store import DocumentRejected, DocumentStore
from service.domain import forms as form_rules
from service.domain.business_key import derive_business_key
from service.engine import runner
from service.engine.runner import EngineError, TaskNotReady
from service.domain.errors import InputRejected
from service.engine.scripting import ServiceCallFailed
from service.persistence.audit import append_event
from service.persistence.models import HumanTask, ProcessDefinition, ProcessInstance, User

from .case_store import load_specs, load_workflow, lock_instance, save_step, step_services
from .context import AppContext
from .errors import Conflict, Forbidden, NotFound, OperationError, ValidationFailed
from .users import find_user


class CaseFailed(OperationError):
    """The engine could not go on (a service failed, a loop, a stall); nothing was changed."""

    status = 422


def latest_definition(session: Session, process_id: str) -> ProcessDefinition:
    version = session.execute(select(func.max(ProcessDefinition.version)).where(
        ProcessDefinition.process_id == process_id)).scalar()
    if version is None:
        raise NotFound(f"process '{process_id}' is not deployed")
    return session.execute(select(ProcessDefinition).where(
        ProcessDefinition.process_id == process_id, ProcessDefinition.version == version)).scalar_one()


def _document_errors(ctx: AppContext, values: Mapping[str, Any]) -> dict[str, str]:
    """A `doc_*` field must name a file that was really uploaded, or a later step could not archive it."""
    store, errors = DocumentStore(ctx.settings.home), {}
    for key, value in values.items():
        if key.startswith("doc_") and value not in (None, ""):
            try:
                store.resolve(str(value), key)
            except DocumentRejected as exc:
                errors[key] = str(exc)
    return errors


def _checked_form_data(ctx: AppContext, form: dict[str, Any] | None, data: Mapping[str, Any],
                       what: str) -> dict[str, Any]:
    """Validate against the form and keep only its fields: a submission cannot set other case variables."""
    if form is None:
        return {}
    errors = form_rules.validate_submission(form, data) or _document_errors(ctx, data)
    if errors:
        raise ValidationFailed(f"{what}: 表单数据无效 (invalid form data)", errors)
    fields = {f.key: f for f in form_rules.form_fields(form) if "[" not in f.key and "." not in f.key}
    # a field left out counts as the form would send it (unticked, empty): diagrams may test it
    values = {key: (False if field.type == "checkbox" else None) for key, field in fields.items()}
    values.update({k: v for k, v in data.items() if k in fields})
    return values


def _pause_before_commit() -> None:
    """Fault injection for crash tests: hold the transaction open so a kill lands inside it."""
    delay = os.environ.get("GUICHENG_FAULT_PAUSE_BEFORE_COMMIT")
    if delay:
        time.sleep(float(delay))


def _engine_guard(action):  # type: ignore[no-untyped-def]
    try:
        return action()
    except ServiceCallFailed as exc:
        if isinstance(exc.cause, InputRejected):  # e.g. a subject off the format: the person's input, not a fault
            raise ValidationFailed(f"{exc.element_id}: {exc.cause}", {exc.cause.field or exc.element_id: str(exc.cause)})
        raise CaseFailed(str(exc)) from exc
    except EngineError as exc:
        raise CaseFailed(str(exc)) from exc
    except Exception as exc:
        if exc.__class__.__module__.startswith("SpiffWorkflow"):
            raise CaseFailed(f"{exc.__class__.__name__}: {exc}") from exc
        raise


def start_case(ctx: AppContext, *, process_id: str, actor: str, data: Mapping[str, Any],
               business_key: str | None = None) -> int:
    now = ctx.now()
    with ctx.db.transaction() as session:
        user = find_user(session, actor)
        definition = latest_definition(session, process_id)
        start_roles = set(definition.meta.get("start_roles") or [])
        if start_roles and not start_roles & user.role_ids:
            raise Forbidden(f"'{actor}' may not start {process_id}: one of the roles {sorted(start_roles)} required")
        form = ctx.cached_forms(definition).get(definition.meta.get("start_form") or "")
        values = _checked_form_data(ctx, form, data, "start")
        _check_acting_role(user, values)
        parent = _parent_case(session, values)
        key = business_key if business_key is not None else derive_business_key(
            values if parent is None else {**parent.data, **values})
        values.update(received_at=now.astimezone(ctx.tz).isoformat(), started_by=actor, business_key=key)
        instance = ProcessInstance(definition_id=definition.id, process_id=process_id, business_key=key,
                                   status="running", state_json="{}", data={}, started_by=actor,
                                   started_at=now, updated_at=now, parent_id=parent.id if parent else None)
        instance.definition = definition
        session.add(instance)
        session.flush()
        append_event(session, type="case_started", actor=actor, at=now, instance_id=instance.id, payload={
            "process_id": process_id, "version": definition.version, "content_hash": definition.content_hash,
            "business_key": key, "data": values})
        services = step_services(ctx, session, instance, now)
        spec, subs = load_specs(ctx, definition)
        workflow = _engine_guard(lambda: runner.start(spec, subs, values, now=now, service_handler=services))
        save_step(ctx, session, instance, workflow, services, actor=actor, now=now)
        _pause_before_commit()
        return instance.id


def _check_acting_role(user: User, values: Mapping[str, Any]) -> None:
    """A form may say in which role the person acts (e.g. raising a conflict); it must be theirs."""
    role = values.get("raised_by_role")
    if role and role not in user.role_ids:
        raise ValidationFailed("role not held", {"raised_by_role": f"您没有角色 '{role}' ('{user.username}' does not "
                                                                  f"hold the role '{role}')"})


def _parent_case(session: Session, values: Mapping[str, Any]) -> ProcessInstance | None:
    """Deviations and conflicts belong to a running request, named by `parent_case`."""
    if values.get("parent_case") in (None, ""):
        return None
    parent = session.get(ProcessInstance, int(values["parent_case"]))
    if parent is None:
        raise ValidationFailed("unknown case", {"parent_case": f"案例 {values['parent_case']} 不存在 (no such case)"})
    if parent.status != "running":
        raise ValidationFailed("case not running", {
            "parent_case": f"案例 {parent.id} 已{parent.status} (the case is {parent.status}, not running)"})
    return parent


def _may_work_on(user: User, task: HumanTask) -> None:
    if task.assignee and task.assignee != user.username:
        raise Forbidden(f"task {task.id} is claimed by '{task.assignee}'")
    if not task.assignee and task.role not in user.role_ids:
        raise Forbidden(f"task {task.id} ({task.name}) is for role '{task.role}'; "
                        f"'{user.username}' has {sorted(user.role_ids) or 'no roles'}")


def lock_task(session: Session, task_id: int) -> HumanTask:
    task = session.execute(select(HumanTask).where(HumanTask.id == task_id).with_for_update(of=HumanTask)
                           .execution_options(populate_existing=True)).unique().scalar_one_or_none()
    if task is None:
        raise NotFound(f"no such task: {task_id}")
    return task


def complete_task(ctx: AppContext, *, task_id: int, actor: str, data: Mapping[str, Any]) -> dict[str, Any]:
    now = ctx.now()
    try:
        with ctx.db.transaction() as session:
            user = find_user(session, actor)
            task = lock_task(session, task_id)
            if task.status != "open":
                raise Conflict(f"task {task_id} ({task.name}) is already {task.status}"
                               + (f" by '{task.completed_by}'" if task.completed_by else ""))
            _may_work_on(user, task)
            instance = lock_instance(session, task.instance_id)
            values = _checked_form_data(ctx, ctx.cached_forms(instance.definition).get(task.form_key or ""), data,
                                        task.name)
            workflow = load_workflow(ctx, instance)
            services = step_services(ctx, session, instance, now)
            try:
                _engine_guard(lambda: runner.complete_user_task(workflow, task.engine_task_id, values, now=now,
                                                                service_handler=services))
            except TaskNotReady as exc:
                raise Conflict(str(exc)) from exc
            task.status, task.completed_by, task.completed_at = "completed", actor, now
            append_event(session, type="task_completed", actor=actor, at=now, instance_id=instance.id, payload={
                "task_id": task.id, "element_id": task.element_id, "name": task.name, "role": task.role,
                "data": values})
            save_step(ctx, session, instance, workflow, services, actor=actor, now=now)
            _pause_before_commit()
            return {"task_id": task.id, "instance_id": instance.id, "status": instance.status}
    except StaleDataError as exc:
        raise Conflict(f"case changed while task {task_id} was being completed; reload and try again") from exc
