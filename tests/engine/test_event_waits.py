"""Waits that must end: timers behind event-based gateways, messages at catch events, gateways and event
subprocesses, tasks inside event subprocesses after the state is read back — and a multi-instance
task without its input collection fails with the element named, not a traceback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from service.config import PROJECT_ROOT
from service.engine import message_events, runner, serializer
from service.engine.definitions import parse_bundle
from service.engine.runner import DataInputError
from tests.engine import diagrams

NOW = datetime(2026, 9, 30, 3, 0, tzinfo=UTC)
FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "messages" / "processes"
REPLY = '<bpmn:message id="msg_reply" name="reply"/>'


def _stored(xml: bytes, process_id: str = "p") -> str:
    """The version's specs as stored at deploy (every load below reads them back afresh)."""
    parsed = parse_bundle(process_id, {f"{process_id}.bpmn": xml}, operations={}, resolve_role=lambda name: name)
    return serializer.dump_specs(parsed.spec, parsed.subprocess_specs)


def _reload(workflow: Any, specs_json: str) -> Any:
    """The case as a new process reads it: spec-free state over specs loaded from their JSON."""
    return serializer.load_state(serializer.dump_state(workflow), *serializer.load_specs(specs_json))


def _with_messages(body: str, *nodes: str) -> bytes:
    xml = diagrams.process(body, diagrams.lane("engineer", *nodes)).decode()
    return xml.replace('<bpmn:process id="p"', REPLY + '<bpmn:process id="p"').encode()


def _gateway(other_branch: str) -> bytes:
    """start → event-based gateway → (message `reply` → task b) | `other_branch` (id `t`)."""
    body = ('<bpmn:startEvent id="start"/><bpmn:eventBasedGateway id="gw"/>'
            '<bpmn:intermediateCatchEvent id="m"><bpmn:messageEventDefinition messageRef="msg_reply"/>'
            "</bpmn:intermediateCatchEvent>" + other_branch + diagrams.user_task("a") + diagrams.user_task("b")
            + '<bpmn:endEvent id="end"/>' + diagrams.flow("f1", "start", "gw") + diagrams.flow("f2", "gw", "t")
            + diagrams.flow("f3", "gw", "m") + diagrams.flow("f5", "m", "b") + diagrams.flow("f7", "b", "end"))
    if "intermediateCatchEvent" in other_branch:
        body += diagrams.flow("f4", "t", "a") + diagrams.flow("f6", "a", "end")
    return _with_messages(body, "start", "gw", "m", "t", "a", "b", "end")


TIMER_BRANCH = ('<bpmn:intermediateCatchEvent id="t"><bpmn:timerEventDefinition><bpmn:timeDuration>"PT2H"'
                "</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>")


def _ready(workflow: Any) -> list[str]:
    return sorted(t.element_id for t in runner.ready_user_tasks(workflow))


def test_a_timer_behind_an_event_based_gateway_is_pending_and_fires() -> None:
    stored = _stored(_gateway(TIMER_BRANCH))
    workflow = runner.start(*serializer.load_specs(stored), {}, now=NOW, service_handler=None)
    (timer,) = runner.waiting_on(workflow).timers
    assert timer.element_id == "t" and timer.due_at == NOW + timedelta(hours=2)
    assert runner.pending_timers(workflow) == [timer]
    workflow = _reload(workflow, stored)
    runner.run_engine(workflow, now=NOW + timedelta(hours=1), service_handler=None)
    assert _ready(workflow) == [] and len(runner.pending_timers(workflow)) == 1  # not due yet
    runner.run_engine(workflow, now=NOW + timedelta(hours=2, seconds=1), service_handler=None)
    assert _ready(workflow) == ["a"] and runner.pending_timers(workflow) == []
    assert message_events.message_waits(workflow) == []  # the message branch went with the gateway


def test_a_message_at_an_event_based_gateway_takes_its_branch_and_the_timer_goes() -> None:
    stored = _stored(_gateway(TIMER_BRANCH))
    workflow = _reload(runner.start(*serializer.load_specs(stored), {"x": 1}, now=NOW, service_handler=None), stored)
    (wait,) = message_events.message_waits(workflow, "reply")
    assert wait.element_id == "m"
    assert message_events.deliver(workflow, "reply", {"answer": "yes"}, now=NOW, service_handler=None) == ["m"]
    assert _ready(workflow) == ["b"] and runner.pending_timers(workflow) == []
    assert runner.case_data(workflow) == {"x": 1, "answer": "yes"}
    state = serializer.dump_state(workflow)
    assert "object at 0x" not in state  # the gateway's seen events are stored as data, the same every time
    assert _ready(_reload(workflow, stored)) == ["b"]


def test_a_gateway_whose_other_branch_is_an_end_event_still_ends_by_its_message() -> None:
    stored = _stored(_gateway('<bpmn:endEvent id="t"/>'))
    workflow = runner.start(*serializer.load_specs(stored), {}, now=NOW, service_handler=None)
    assert [w.element_id for w in message_events.message_waits(workflow)] == ["m"]
    workflow = _reload(workflow, stored)
    assert message_events.deliver(workflow, "reply", {}, now=NOW, service_handler=None) == ["m"]
    assert _ready(workflow) == ["b"]


def test_a_message_nobody_waits_for_changes_nothing() -> None:
    stored = _stored(_gateway(TIMER_BRANCH))
    workflow = runner.start(*serializer.load_specs(stored), {}, now=NOW, service_handler=None)
    before = serializer.dump_state(workflow)
    assert message_events.deliver(workflow, "other", {"x": 1}, now=NOW, service_handler=None) == []
    assert serializer.dump_state(workflow) == before


def _escalation() -> str:
    return _stored((FIXTURES / "msg_escalation.bpmn").read_bytes(), "msg_escalation")


def test_a_task_inside_a_message_event_subprocess_completes_after_the_state_is_read_back() -> None:
    stored = _escalation()
    workflow = _reload(runner.start(*serializer.load_specs(stored), {}, now=NOW, service_handler=None), stored)
    assert {w.element_id for w in message_events.message_waits(workflow, "customer_called")} == {"esc_call_start"}
    assert message_events.deliver(workflow, "customer_called", {"caller": "王经理"}, now=NOW,
                                  service_handler=None) == ["esc_call_start"]
    workflow = _reload(workflow, stored)
    call_back = next(t for t in runner.ready_user_tasks(workflow) if t.element_id == "esc_call_back")
    assert call_back.data["caller"] == "王经理"
    runner.complete_user_task(workflow, call_back.task_id, {"note": "已回电"}, now=NOW, service_handler=None)
    workflow = _reload(workflow, stored)
    assert _ready(workflow) == ["esc_work"]
    (work,) = runner.ready_user_tasks(workflow)
    runner.complete_user_task(workflow, work.task_id, {}, now=NOW + timedelta(minutes=5), service_handler=None)
    # the main path has ended: the timer-started event subprocess that never started does not hold the case
    assert runner.is_completed(workflow)
    assert runner.pending_timers(workflow) == []


def test_one_case_triggering_an_event_subprocess_leaves_the_version_spec_as_it_was() -> None:
    """Every case of a version shares its parsed spec: a trigger in one must not wire it for the next."""
    specs = serializer.load_specs(_escalation())
    first = runner.start(*specs, {}, now=NOW, service_handler=None)
    message_events.deliver(first, "customer_called", {}, now=NOW, service_handler=None)
    second = runner.start(*specs, {}, now=NOW, service_handler=None)
    assert _ready(second) == ["esc_work"]  # no call-back task without a call
    (work,) = runner.ready_user_tasks(second)
    runner.complete_user_task(second, work.task_id, {}, now=NOW, service_handler=None)
    assert runner.is_completed(second)  # nothing of the first case's call is left waiting in the second


def _multi_instance(loop: str) -> bytes:
    task = ('<bpmn:userTask id="mi" name="mi"><bpmn:extensionElements><spiffworkflow:properties>'
            '<spiffworkflow:property name="formKey" value="f"/></spiffworkflow:properties></bpmn:extensionElements>'
            f"{loop}</bpmn:userTask>")
    return diagrams.between(task)


@pytest.mark.parametrize(("loop", "said"), [
    ('<bpmn:multiInstanceLoopCharacteristics><bpmn:loopDataInputRef>engineers</bpmn:loopDataInputRef>'
     '<bpmn:inputDataItem id="engineer"/></bpmn:multiInstanceLoopCharacteristics>',
     "mi: the multi-instance input collection 'engineers' is not set"),
    ('<bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:loopDataInputRef>engineers'
     '</bpmn:loopDataInputRef><bpmn:inputDataItem id="engineer"/></bpmn:multiInstanceLoopCharacteristics>',
     "mi: the multi-instance input collection 'engineers'"),
    ('<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>rounds</bpmn:loopCardinality>'
     "</bpmn:multiInstanceLoopCharacteristics>", "mi: the multi-instance cardinality 'rounds'"),
])
def test_a_multi_instance_task_without_its_input_fails_at_start_naming_it(loop, said):  # type: ignore[no-untyped-def]
    parsed = parse_bundle("p", {"p.bpmn": _multi_instance(loop)}, operations={}, resolve_role=lambda name: name)
    data = {"rounds": "three"}
    with pytest.raises(DataInputError) as refused:
        runner.start(parsed.spec, parsed.subprocess_specs, data, now=NOW, service_handler=None)
    assert str(refused.value).startswith(said) and refused.value.element_id == "mi"
    started = runner.start(parsed.spec, parsed.subprocess_specs, {"engineers": ["engineer1", "engineer2"],
                                                                  "rounds": 2}, now=NOW, service_handler=None)
    assert len(runner.ready_user_tasks(started)) in (1, 2)


CONTRACT = FIXTURES / "msg_contract.bpmn"


def test_correlation_properties_compare_the_case_value_before_the_first_message() -> None:
    stored = _stored(CONTRACT.read_bytes(), "msg_contract")
    workflow = runner.start(*serializer.load_specs(stored), {"contract_no": "C-7"}, now=NOW, service_handler=None)
    waits = message_events.message_waits(workflow, "contract_signed")
    assert [p.name for w in waits for p in w.properties] == ["contract_no"]
    assert message_events.correlates(workflow, waits, {"contract_no": "C-7"})
    assert not message_events.correlates(workflow, waits, {"contract_no": "C-8"})
    assert not message_events.correlates(workflow, waits, {"unknown_variable": "x"})
    caught = message_events.deliver(workflow, "contract_signed", {"contract_no": "C-7"}, now=NOW,
                                    service_handler=None)
    assert caught == ["contract_wait_signed"] and _ready(workflow) == ["contract_kickoff"]
    assert workflow.correlations == {"contract_key": {"contract_no": "C-7"}}
