"""BPMN messages from outside: what a case waits for, whether a message is for it, and its delivery.

A case waits for a message at an intermediate catch event, a receive task, a boundary event, a branch
of an event-based gateway (the gateway holds its branches' events) or the message start of an event
subprocess; a process may also begin at a message start event. SpiffWorkflow routes a message by its
name and, when the diagram declares correlation properties, compares the correlations it computed
from earlier messages — but the first message of a case matches any case. Delivery here decides
first, per case, whether the message is meant for it:

- a correlation property of the message (by its id) is compared with the case's value of it: what an
  earlier message set, or else its retrieval expression read over the case's variables;
- any other correlation name is a case variable of that name;
- the business key is compared by the caller (it is a column, not a variable).

The payload (and the correlation values) go into the case: into the diagram's message variable when
it names one (`spiffworkflow:messageVariable`), else into the case variables themselves.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.util.task import TaskState

from . import safe_eval
from .clock import engine_time
from .errors import EngineError
from .evaluation.budget import EvaluationLimits
from .runner import _engine_call, case_data, run_engine
from .scripting import RestrictedScriptEngine, ServiceHandler

MISSING = object()


@dataclass(frozen=True)
class MessageWait:
    """One place where the case waits for `message`: an engine task, or an event subprocess's start."""

    element_id: str
    message: str
    properties: tuple[Any, ...]  # SpiffWorkflow CorrelationProperty objects of the message


def _message_definitions(definition: Any) -> Iterator[Any]:
    if isinstance(definition, MultipleEventDefinition):
        for inner in definition.event_definitions:
            yield from _message_definitions(inner)
    elif isinstance(definition, MessageEventDefinition):
        yield definition


def _branch_element(task_spec: Any, definition: Any) -> str:
    """The element a message definition belongs to: an event-based gateway's branch, else the task itself."""
    outer = getattr(task_spec, "event_definition", None)
    if isinstance(outer, MultipleEventDefinition) and definition in outer.event_definitions:
        index = next(i for i, d in enumerate(outer.event_definitions) if d is definition)
        outputs = task_spec.outputs
        if index < len(outputs) and outputs[index].bpmn_id:
            return str(outputs[index].bpmn_id)
    return str(task_spec.bpmn_id or task_spec.name)


def _event_subprocess_starts(workflow: BpmnWorkflow) -> Iterator[tuple[Any, Any]]:
    """(start event spec, message definition) of the event subprocesses a message may start."""
    for name in workflow.spec.start.trigger_specs:
        sub_spec = workflow.subprocess_specs.get(name)
        for start in getattr(sub_spec, "bpmn_start_events", []) if sub_spec is not None else []:
            for definition in _message_definitions(getattr(start, "event_definition", None)):
                yield start, definition


def message_waits(workflow: BpmnWorkflow, name: str | None = None) -> list[MessageWait]:
    """Where the running case waits for a message (named `name`, or any)."""
    if workflow.completed:
        return []
    found: dict[tuple[str, str], MessageWait] = {}
    for task in list(workflow.event_manager.tasks.values()):
        if task.state != TaskState.WAITING:
            continue
        for definition in _message_definitions(getattr(task.task_spec, "event_definition", None)):
            if name is None or definition.name == name:
                element = _branch_element(task.task_spec, definition)
                found.setdefault((element, definition.name), MessageWait(
                    element, definition.name, tuple(definition.correlation_properties)))
    for start, definition in _event_subprocess_starts(workflow):
        if name is None or definition.name == name:
            found.setdefault((start.bpmn_id, definition.name), MessageWait(
                str(start.bpmn_id), definition.name, tuple(definition.correlation_properties)))
    return list(found.values())


def message_start_events(spec: Any) -> dict[str, list[str]]:
    """Message name → the process's own start events that catch it (a case may begin there)."""
    found: dict[str, list[str]] = {}
    for start in getattr(spec, "bpmn_start_events", []):
        for definition in _message_definitions(getattr(start, "event_definition", None)):
            found.setdefault(definition.name, []).append(str(start.bpmn_id))
    return found


def messages_caught(spec: Any, subprocess_specs: Mapping[str, Any]) -> frozenset[str]:
    """Every message name a version of a process can ever wait for (to pick the versions worth a look)."""
    names: set[str] = set()
    for each in [spec, *subprocess_specs.values()]:
        for task_spec in each.task_specs.values():
            names.update(d.name for d in _message_definitions(getattr(task_spec, "event_definition", None)))
    return frozenset(n for n in names if n)


def correlation_property_names(spec: Any, subprocess_specs: Mapping[str, Any], name: str) -> frozenset[str]:
    """The ids of the correlation properties the diagram declares for message `name`."""
    found: set[str] = set()
    for each in [spec, *subprocess_specs.values()]:
        for task_spec in each.task_specs.values():
            for definition in _message_definitions(getattr(task_spec, "event_definition", None)):
                if definition.name == name:
                    found.update(prop.name for prop in definition.correlation_properties)
    return frozenset(found)


def case_variables(workflow: BpmnWorkflow) -> dict[str, Any]:
    return case_data(workflow)


def _case_value(workflow: BpmnWorkflow, variables: Mapping[str, Any], prop: Any) -> Any:
    for key in prop.correlation_keys:
        known = workflow.correlations.get(key) or {}
        if prop.name in known:
            return known[prop.name]
    try:
        return safe_eval.evaluate(prop.retrieval_expression, variables)
    except Exception:  # the case has no value for it (yet): the message cannot be meant for it
        return MISSING


def same_value(expected: Any, given: Any) -> bool:
    """Equal, or the same when written as text (`--key amount=5` from a command line)."""
    if expected is MISSING:
        return False
    if expected == given:
        return True
    plain = (str, int, float)
    return isinstance(given, str) and isinstance(expected, plain) and not isinstance(expected, bool) \
        and str(expected) == given


def correlates(workflow: BpmnWorkflow, waits: list[MessageWait], correlation: Mapping[str, Any]) -> bool:
    """Whether every given correlation value is the case's own (see the module's rules)."""
    properties = {prop.name: prop for wait in waits for prop in wait.properties}
    variables = case_data(workflow)
    for key, given in correlation.items():
        prop = properties.get(key)
        expected = _case_value(workflow, variables, prop) if prop is not None else variables.get(key, MISSING)
        if not same_value(expected, given):
            return False
    return True


def _event_correlations(properties: list[Any], payload: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The correlations SpiffWorkflow compares, computed from the message as it would (a property the
    message does not carry is left out rather than failing the step)."""
    found: dict[str, dict[str, Any]] = {}
    for prop in properties:
        try:
            value = safe_eval.evaluate(prop.retrieval_expression, payload)
        except Exception:
            continue
        for key in prop.correlation_keys:
            found.setdefault(key, {})[prop.name] = value
    return found


def _caught_tasks(workflow: BpmnWorkflow, name: str) -> Iterator[tuple[Any, Any]]:
    """(task, message definition) of the tasks that have just caught message `name` and not yet run."""
    for wf in [workflow, *workflow.subprocesses.values()]:
        for task in wf.tasks.values():
            if task.state != TaskState.READY:
                continue
            outer = getattr(task.task_spec, "event_definition", None)
            for definition in _message_definitions(outer):
                if definition.name != name:
                    continue
                seen = task.internal_data.get("seen_events") or [] if isinstance(outer, MultipleEventDefinition) \
                    else None
                if name in task.internal_data or any(e.event_definition == definition for e in seen or []):
                    yield task, definition


class MessageNotUsable(EngineError):
    """The case waits for the message, but the message lacks what its correlation properties read."""


def _checked_payload(properties: list[Any], payload: Mapping[str, Any], name: str) -> None:
    for prop in properties:
        try:
            safe_eval.evaluate(prop.retrieval_expression, payload)
        except Exception as exc:
            raise MessageNotUsable(f"{name}: the message carries no value for the correlation property "
                                   f"'{prop.name}' (its retrieval expression '{prop.retrieval_expression}' "
                                   f"reads the message: {exc})") from exc


def deliver(workflow: BpmnWorkflow, name: str, payload: Mapping[str, Any], *, now: datetime,
            service_handler: ServiceHandler | None, limits: EvaluationLimits | None = None) -> list[str]:
    """Catch message `name` with `payload` in the case and run on; the elements that caught it ([]: none)."""
    engine = RestrictedScriptEngine(service_handler)
    workflow.script_engine = engine
    properties = [prop for wait in message_waits(workflow, name) for prop in wait.properties]
    _checked_payload(properties, payload, name)
    event = BpmnEvent(MessageEventDefinition(name), dict(payload), _event_correlations(properties, payload))
    elements: list[str] = []
    with _engine_call(limits):
        with engine_time(now):
            caught = workflow.event_manager.catch(event, internal=False)
            for task, definition in _caught_tasks(workflow, name) if caught else []:
                elements.append(_branch_element(task.task_spec, definition))
                if definition.message_var is None:  # no variable named: the payload becomes case variables
                    task.data.update(payload)
        if caught:
            run_engine(workflow, now=now, service_handler=service_handler)
    return sorted(set(elements)) if caught else []
