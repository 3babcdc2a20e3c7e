"""Constructs the engine alone got wrong, run through the operations as the demo organisation would.

Each diagram is a coverage fixture (tests/fixtures/bpmn-coverage/): deployed, started by someone
allowed to, its tasks done by different people of a role, its timers fired by the worker after the
frozen clock has moved on, messages delivered by the product's delivery — and every case replays.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from lxml import etree
from SpiffWorkflow.spiff.parser.process import VALIDATOR
from sqlalchemy import select

from service.engine import runner, serializer
from service.engine.definitions import parse_bundle
from service.engine.parser_hooks import ProductBpmnParser
from service.engine.problems import DefinitionInvalid
from service.operations import background, cases, deploy, message_delivery, queries
from service.operations.context import AppContext
from service.persistence.models import Timer
from tests.conftest import DEFAULT_NOW
from tests.engine import diagrams
from tests.support.generic_client import submit
from tests.support.generic_client.case_reading import completed_elements, status_of
from tests.support.replay_check import assert_every_case_replays

from .test_bpmn_coverage import FIXTURES


def _start(ctx: AppContext, stem: str, actor: str = "engineer1") -> int:
    deploy.deploy_bundle(ctx, deploy.bundle_from_path(FIXTURES / f"{stem}.bpmn", FIXTURES / "forms"),
                         actor="process_owner1")
    return cases.start_case(ctx, process_id=stem, actor=actor, data={}, business_key=f"{stem}-1")


def _open(ctx: AppContext, case_id: int) -> dict[str, dict[str, Any]]:
    return {task["element_id"]: task for task in queries.open_tasks(ctx, instance_id=case_id)}


def _do(ctx: AppContext, case_id: int, element: str, actor: str) -> None:
    task = _open(ctx, case_id)[element]
    submit(ctx, task.get("form"), {}, partial(_complete, ctx, task["id"], actor))


def _complete(ctx: AppContext, task_id: int, actor: str, data: dict[str, Any]) -> dict[str, Any]:
    return cases.complete_task(ctx, task_id=task_id, actor=actor, data=data)


def _pending_timers(ctx: AppContext, case_id: int) -> list[str]:
    with ctx.db.reading() as session:
        return sorted(session.execute(select(Timer.element_id).where(
            Timer.instance_id == case_id, Timer.status == "pending")).scalars())


def _time_passes(ctx: AppContext, delta: timedelta) -> None:
    ctx.clock.set(ctx.now() + delta)  # type: ignore[attr-defined]
    background.run_once(ctx)


def test_an_ad_hoc_subprocess_ends_once_each_of_its_tasks_is_done(ctx: AppContext) -> None:
    case_id = _start(ctx, "adhoc_subprocess")
    assert set(_open(ctx, case_id)) == {"call_customer", "write_notes"}
    _do(ctx, case_id, "write_notes", "engineer2")  # in any order: the other stays open
    assert set(_open(ctx, case_id)) == {"call_customer"}
    assert status_of(ctx, case_id) == "running"
    _do(ctx, case_id, "call_customer", "engineer3")
    assert status_of(ctx, case_id) == "completed"
    assert {"gather", "end"} <= set(completed_elements(ctx, case_id))
    assert_every_case_replays(ctx)


def test_an_interrupting_timer_event_subprocess_cancels_the_main_path(ctx: AppContext) -> None:
    case_id = _start(ctx, "event_subprocess_timer_interrupting")
    assert _pending_timers(ctx, case_id) == ["react_start", "wait_parts"]
    _time_passes(ctx, timedelta(hours=1, seconds=1))
    assert set(_open(ctx, case_id)) == {"react"}
    assert _pending_timers(ctx, case_id) == []  # the parts are no longer waited for
    _do(ctx, case_id, "react", "engineer2")
    assert status_of(ctx, case_id) == "completed"
    assert not {"wait_parts", "work", "end"} & set(completed_elements(ctx, case_id))
    assert_every_case_replays(ctx)


def test_a_non_interrupting_timer_event_subprocess_runs_beside_the_main_path(ctx: AppContext) -> None:
    case_id = _start(ctx, "event_subprocess_timer")
    _time_passes(ctx, timedelta(hours=1, seconds=1))
    assert set(_open(ctx, case_id)) == {"react"}
    assert _pending_timers(ctx, case_id) == ["wait_parts"]
    _do(ctx, case_id, "react", "engineer2")
    _time_passes(ctx, timedelta(hours=8))
    _do(ctx, case_id, "work", "engineer3")
    assert status_of(ctx, case_id) == "completed"
    assert_every_case_replays(ctx)


def test_an_interrupting_message_event_subprocess_cancels_the_open_task(ctx: AppContext) -> None:
    case_id = _start(ctx, "event_subprocess_message")
    assert set(_open(ctx, case_id)) == {"work"}
    delivery = message_delivery.deliver_message(ctx, actor="admin1", name="event_subprocess_message_paid",
                                                correlation={}, data={})
    assert case_id in delivery.reached
    assert set(_open(ctx, case_id)) == {"react"}  # 'work' is withdrawn from the engineers' inboxes
    _do(ctx, case_id, "react", "engineer4")
    assert status_of(ctx, case_id) == "completed"
    assert "work" not in completed_elements(ctx, case_id)
    assert_every_case_replays(ctx)


def test_a_case_ends_with_its_main_path_while_an_event_subprocess_still_waits(ctx: AppContext) -> None:
    case_id = _start(ctx, "event_subprocess_outlived")
    assert status_of(ctx, case_id) == "completed"
    assert _pending_timers(ctx, case_id) == []  # the day-long timer of the event subprocess is gone
    assert "react" not in completed_elements(ctx, case_id)
    assert_every_case_replays(ctx)


def test_an_error_event_subprocess_waits_for_the_error(ctx: AppContext) -> None:
    case_id = _start(ctx, "event_subprocess_error")
    assert set(_open(ctx, case_id)) == {"work"}  # not beside it from the start, as a none start would be
    _do(ctx, case_id, "work", "engineer2")
    assert set(_open(ctx, case_id)) == {"react"}
    _do(ctx, case_id, "react", "engineer3")
    assert status_of(ctx, case_id) == "completed"
    assert_every_case_replays(ctx)


def test_a_compensation_handler_does_not_run_when_nothing_is_compensated(ctx: AppContext) -> None:
    case_id = _start(ctx, "event_subprocess_compensation")
    assert set(_open(ctx, case_id)) == {"work"}
    _do(ctx, case_id, "work", "engineer2")
    assert status_of(ctx, case_id) == "completed"
    assert "react" not in completed_elements(ctx, case_id)
    assert_every_case_replays(ctx)


def test_a_cycle_timer_on_an_intermediate_catch_is_passed_once(ctx: AppContext) -> None:
    case_id = _start(ctx, "catch_timer_cycle")
    assert _pending_timers(ctx, case_id) == ["wait"]
    _time_passes(ctx, timedelta(hours=1, seconds=1))
    assert set(_open(ctx, case_id)) == {"work"}
    assert _pending_timers(ctx, case_id) == []
    _do(ctx, case_id, "work", "engineer2")
    assert status_of(ctx, case_id) == "completed"
    assert_every_case_replays(ctx)


def test_a_link_throw_goes_on_at_its_link_catch(ctx: AppContext) -> None:
    case_id = _start(ctx, "link_events")
    _do(ctx, case_id, "work", "engineer2")
    assert set(_open(ctx, case_id)) == {"after_link"}
    _do(ctx, case_id, "after_link", "engineer3")
    assert status_of(ctx, case_id) == "completed"
    assert {"go_on", "arrive"} <= set(completed_elements(ctx, case_id))
    assert_every_case_replays(ctx)


def test_a_path_that_stops_short_of_an_end_is_an_error_naming_where() -> None:
    """A case with nothing to do or wait for that has not ended is never left 'running' in silence: the
    engine's own safety net, below the deploy checks (which refuse this link throw without its catch)."""
    throw = ('<bpmn:intermediateThrowEvent id="nowhere"><bpmn:linkEventDefinition name="missing"/>'
             "</bpmn:intermediateThrowEvent>")
    body = diagrams.process('<bpmn:startEvent id="s"/>' + diagrams.user_task("work") + throw
                            + diagrams.flow("f1", "s", "work") + diagrams.flow("f2", "work", "nowhere"),
                            diagrams.lane("engineer", "s", "work", "nowhere"))
    with pytest.raises(DefinitionInvalid, match="link throw event 'missing' has no link catch"):
        parse_bundle("p", {"p.bpmn": body}, operations={}, resolve_role=lambda name: name)
    parser = ProductBpmnParser(validator=VALIDATOR)
    parser.add_bpmn_xml(etree.fromstring(body).getroottree(), filename="p.bpmn")
    spec, subs = serializer.load_specs(serializer.dump_specs(parser.get_spec("p"), parser.get_subprocess_specs("p")))
    workflow = runner.start(spec, subs, {}, now=DEFAULT_NOW, service_handler=None)
    (work,) = runner.ready_user_tasks(workflow)
    with pytest.raises(runner.EngineStalled, match="nowhere: the path ends here"):
        runner.complete_user_task(workflow, work.task_id, {}, now=DEFAULT_NOW, service_handler=None)
