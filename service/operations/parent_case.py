"""A linked case changes the request it belongs to, inside the linked case's own step.

Why here: a deviation or conflict decides something about its request (a new workload estimate, a
conflict's outcome). The `update_parent_case` operation only says what to take over; this module,
called from the write phase of the same unit of work, locks the request (after the linked case: the
order every such step takes), changes its engine data, and appends the request's audit event that
says which case changed what (old → new). One transaction: a crash leaves neither change nor event.
A request that is no longer running is left alone, and the linked case's history says so.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from copy import deepcopy
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy.orm import Session

from service.engine import runner, serializer
from service.persistence.audit import append_event, state_digest
from service.persistence.models import ProcessInstance
from service.service_tasks.parent_case import UPDATE_PARENT_CASE

from .case_store import load_workflow, lock_instance
from .context import AppContext
from .step_services import ServiceCall

CHANGED_EVENT = "changed_by_linked_case"  # in the request's history
APPLIED_EVENT = "parent_case_changed"  # in the linked case's history
REFUSED_EVENT = "parent_case_unchanged"

_ALIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED


def set_case_variables(workflow: BpmnWorkflow, values: Mapping[str, Any]) -> None:
    """Give every task still to run the new values; the tasks after them inherit them from there."""
    seen: set[Any] = set()
    for wf in [workflow, *workflow.subprocesses.values()]:
        for task in wf.get_tasks(state=_ALIVE):
            if task.id not in seen:
                seen.add(task.id)
                task.data.update(deepcopy(dict(values)))


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def _requests(calls: Iterable[ServiceCall]) -> list[ServiceCall]:
    return [c for c in calls if c.operation == UPDATE_PARENT_CASE and isinstance(c.result, dict)]


def apply_parent_changes(ctx: AppContext, session: Session, child: ProcessInstance, calls: Iterable[ServiceCall],
                         now: datetime) -> None:
    """Apply the step's `update_parent_case` calls to the locked request of `child`."""
    requests = _requests(calls)
    if not requests:
        return
    if child.parent_id is None:
        for call in requests:
            _unchanged(session, child, call, now, parent_case=None, reason="no_parent_case")
        return
    parent = lock_instance(session, child.parent_id)
    if parent.status != "running":
        for call in requests:
            _unchanged(session, child, call, now, parent_case=parent.id, parent_status=parent.status,
                       reason="parent_not_running", requested=call.result)
        return
    workflow = load_workflow(ctx, parent)
    current = _plain(runner.case_data(workflow))
    applied: list[tuple[ServiceCall, list[dict[str, Any]]]] = []
    for call in requests:
        values, changes = _new_values(current, call.result, child, now)
        if not changes:  # e.g. a deviation of the company's interests: confirmed, but no figure moves
            _unchanged(session, child, call, now, parent_case=parent.id, reason="no_change")
            continue
        set_case_variables(workflow, values)
        current.update(values)
        applied.append((call, changes))
    if not applied:
        return
    parent.state_json, parent.data, parent.updated_at = serializer.dump_state(workflow), current, now
    for n, (call, changes) in enumerate(applied, 1):
        # the last change of the step records the request's new state, as every engine step does
        stored = {"state_sha256": state_digest(parent.state_json)} if n == len(applied) else {}
        append_event(session, type=CHANGED_EVENT, actor="system", at=now, case=parent, payload={
            "linked_case": child.id, "process_id": child.process_id, "business_key": child.business_key,
            "element_id": call.element_id, "changes": changes, **stored})
        append_event(session, type=APPLIED_EVENT, actor="system", at=now, case=child, payload={
            "element_id": call.element_id, "parent_case": parent.id, "changes": changes})


def _unchanged(session: Session, child: ProcessInstance, call: ServiceCall, now: datetime, **why: Any) -> None:
    """The linked case's history says why its request was not changed (a code, rendered at the edge)."""
    append_event(session, type=REFUSED_EVENT, actor="system", at=now, case=child,
                 payload={"element_id": call.element_id, **why})


def _new_values(current: Mapping[str, Any], request: Mapping[str, Any], child: ProcessInstance, now: datetime
                ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The request's new variables and, for the event, each change as {variable, old, new}."""
    values: dict[str, Any] = {}
    for name, new in (request.get("set") or {}).items():
        if current.get(name) != new:
            values[name] = _plain(new)
    for name, record in (request.get("append") or {}).items():
        old = current.get(name)
        entry = {**_plain(record), "case": child.id, "recorded_at": now.isoformat()}
        values[name] = [*(old if isinstance(old, list) else []), entry]
    changes = [{"variable": name, "old": current.get(name), "new": new} for name, new in values.items()]
    return values, changes
