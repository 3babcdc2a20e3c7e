"""The moves that are not people's: time passing to the next timer, and a message arriving.

The product's message delivery (`service.operations.message_delivery`) is used when it exists, so
the same client walks diagrams before and after messages can be delivered.
"""

from __future__ import annotations

import importlib
import importlib.util
from datetime import timedelta
from typing import Any

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from service.adapters.clock import FrozenClock
from service.operations import background, cases
from service.operations.case_store import load_specs
from service.operations.context import AppContext
from service.operations.errors import NotFound
from service.persistence.models import ProcessInstance, Timer

from .case_reading import all_workflows, workflow_of

MESSAGE_MODULE = "service.operations.message_delivery"


def fire_next_timer(ctx: AppContext, case_id: int) -> str | None:
    """Let frozen time pass to the case's next timer and run the worker once."""
    with ctx.db.reading() as session:
        due = session.execute(select(Timer.id, Timer.due_at, Timer.element_id).where(
            Timer.instance_id == case_id, Timer.status == "pending").order_by(Timer.due_at, Timer.id)).first()
    if due is None:
        return None
    due_at = due.due_at if due.due_at.tzinfo else due.due_at.replace(tzinfo=ctx.tz)
    if isinstance(ctx.clock, FrozenClock) and due_at > ctx.now():
        ctx.clock.set(due_at.astimezone(ctx.tz) + timedelta(seconds=1))
    background.run_once(ctx)
    with ctx.db.reading() as session:  # other cases' timers may fire too: this one's row tells
        status = session.execute(select(Timer.status).where(Timer.id == due.id)).scalar()
    return None if status == "pending" else f"timer {due.element_id}"


def delivery() -> Any:
    """The product's message delivery, or None before it exists."""
    if importlib.util.find_spec(MESSAGE_MODULE) is None:
        return None
    return importlib.import_module(MESSAGE_MODULE)


def start_message(ctx: AppContext, process_id: str) -> str | None:
    """The message a process's start event catches, when the product can deliver one."""
    if delivery() is None:
        return None
    with ctx.db.reading() as session:
        spec, _subs = load_specs(ctx, cases.latest_definition(session, process_id))
    for task_spec in spec.task_specs.values():
        definition: Any = getattr(task_spec, "event_definition", None)
        if type(task_spec).__name__ == "StartEvent" and type(definition).__name__ == "MessageEventDefinition":
            return str(definition.name)
    return None


def deliver_a_message(ctx: AppContext, case_id: int, delivered: set[tuple[str, str]]) -> str | None:
    """Deliver a message the case waits on — once per waiting element — when the product can deliver
    messages (`deliver_message(ctx, actor=, name=, correlation=, data=)`). What waits is read from the
    engine; an event subprocess's message start does not show there, so each of those is tried once
    (a delivery that reaches no case is no move)."""
    found = delivery()
    if found is None:
        return None
    waiting = [w for w in _waiting_messages(ctx, case_id) if w not in delivered]
    waiting += [(name, "*") for name in _event_subprocess_messages(ctx, case_id) if (name, "*") not in delivered]
    for name, element in waiting:
        if element == "*":
            delivered.add((name, element))
        try:
            reached = found.deliver_message(ctx, actor="admin1", name=name, correlation={}, data={}).reached
        except NotFound:
            continue
        if case_id in reached:
            delivered.add((name, element))
            return f"message {name}" + (f" to {element}" if element != "*" else "")
    return None


def _message_names(definition: Any) -> list[str]:
    kind = type(definition).__name__
    if kind == "MessageEventDefinition":
        return [str(definition.name)]
    if kind == "MultipleEventDefinition":  # an event-based gateway waits for several at once
        return [n for inner in definition.event_definitions for n in _message_names(inner)]
    return []


def _waiting_messages(ctx: AppContext, case_id: int) -> list[tuple[str, str]]:
    """(message name, element id) of each message the engine waits for."""
    workflow = workflow_of(ctx, case_id)
    found = [(name, str(task.task_spec.bpmn_id)) for wf in all_workflows(workflow) for task in wf.tasks.values()
             if task.state == TaskState.WAITING
             for name in _message_names(getattr(task.task_spec, "event_definition", None))]
    return sorted(set(found))


def _event_subprocess_messages(ctx: AppContext, case_id: int) -> list[str]:
    """The messages the start events of the diagram's subprocesses catch (event subprocesses)."""
    with ctx.db.reading() as session:
        instance = session.get(ProcessInstance, case_id)
        assert instance is not None
        _spec, subs = load_specs(ctx, instance.definition)
    return sorted({name for sub in subs.values() for task_spec in sub.task_specs.values()
                   if type(task_spec).__name__ == "StartEvent"
                   for name in _message_names(getattr(task_spec, "event_definition", None))})
