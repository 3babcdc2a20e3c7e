"""A step that fails in the worker becomes an incident on its case: bounded, retried with backoff,
retried or cancelled by an administrator — and it never holds the database while it runs."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from service.operations import background, cases, deploy, incidents, queries, users
from service.operations.errors import Conflict, Forbidden, ValidationFailed
from service.operations.timers import real_now
from service.persistence.audit import verify_chain
from service.persistence.models import Incident, Timer
from service.service_tasks import registry
from tests.engine.diagrams import flow, process, script_task

pytestmark = pytest.mark.usefixtures("every_case_replays")  # each case replays to what is stored

BOMB = "a = 'x' * 10000 * 100\nn = len([a.count(x) for x in a])"


def _timer_then(step: str, step_id: str) -> bytes:
    body = ('<bpmn:startEvent id="start"/>'
            '<bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition>'
            '<bpmn:timeDuration>"PT1H"</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>'
            + step + '<bpmn:endEvent id="end"/>' + flow("f1", "start", "wait") + flow("f2", "wait", step_id)
            + flow("f3", step_id, "end"))
    return process(body, process_id="night_job")


def _service_task(task_id: str, operation: str, result: str) -> str:
    return (f'<bpmn:serviceTask id="{task_id}"><bpmn:extensionElements><spiffworkflow:serviceTaskOperator '
            f'id="{operation}" resultVariable="{result}"><spiffworkflow:parameters/>'
            '</spiffworkflow:serviceTaskOperator></bpmn:extensionElements></bpmn:serviceTask>')


def _deploy(ctx, diagram: bytes) -> None:
    deploy.deploy_bundle(ctx, deploy.Bundle("night_job", {"night_job.bpmn": diagram}, {}, {}), actor="process_owner1")


@pytest.fixture
def bomb_case(ctx, clock):
    _deploy(ctx, _timer_then(script_task("bomb", BOMB), "bomb"))
    case_id = cases.start_case(ctx, process_id="night_job", actor="process_owner1", data={})
    clock.advance(hours=2)
    return case_id


def _incident(ctx, case_id: int) -> dict:
    (found,) = incidents.list_incidents(ctx, instance_id=case_id, status=None)
    return found


def test_a_script_bomb_behind_a_timer_becomes_an_incident_not_a_hang(ctx, bomb_case):
    report = background.run_once(ctx)
    assert report.incidents == 1 and report.timers_fired == 0
    case = queries.show_case(ctx, bomb_case)
    assert case["status"] == "error" and "bomb" in case["error"]
    incident = _incident(ctx, bomb_case)
    assert incident["element_id"] == "bomb" and incident["attempts"] == 1 and incident["status"] == "open"
    assert incident["next_retry_at"] is not None  # the worker tries again after a backoff, not at once
    assert background.run_once(ctx).incidents == 0  # next round: still waiting for its backoff
    events = [e["type"] for e in queries.history(ctx, bomb_case)]
    assert events.count("incident_opened") == 1 and "timer_fired" not in events
    with ctx.db.reading() as session:
        assert verify_chain(session).ok


def test_the_worker_retries_after_the_backoff_and_then_gives_up_to_a_person(ctx, bomb_case):
    background.run_once(ctx)
    rounds = 1
    while _incident(ctx, bomb_case)["next_retry_at"] is not None and rounds < 12:
        with ctx.db.transaction() as session:  # the backoff has passed
            session.execute(update(Incident).values(next_retry_at=real_now() - timedelta(seconds=1)))
        background.run_once(ctx)
        rounds += 1
    incident = _incident(ctx, bomb_case)
    assert incident["attempts"] == rounds == 9  # the first failure and eight automatic retries
    assert incident["next_retry_at"] is None  # no more automatic retries
    assert background.run_once(ctx).incidents == 0


def test_only_administrators_and_process_owners_handle_incidents(ctx, bomb_case):
    background.run_once(ctx)
    incident = _incident(ctx, bomb_case)
    for outsider in ("engineer1", "auditor1", "tech_director1"):
        with pytest.raises(Forbidden):
            incidents.retry_incident(ctx, incident_id=incident["id"], actor=outsider)
        with pytest.raises(Forbidden):
            incidents.cancel_incident_case(ctx, incident_id=incident["id"], actor=outsider, reason="x")
    result = incidents.retry_incident(ctx, incident_id=incident["id"], actor="admin1")
    assert result["result"] == "incident" and result["incident"]["attempts"] == 2
    with pytest.raises(ValidationFailed) as err:
        incidents.cancel_incident_case(ctx, incident_id=incident["id"], actor="admin1", reason=" ")
    assert "reason" in err.value.errors
    incidents.cancel_incident_case(ctx, incident_id=incident["id"], actor="admin1", reason="脚本有误，流程已修改")
    case = queries.show_case(ctx, bomb_case)
    assert case["status"] == "cancelled" and _incident(ctx, bomb_case)["status"] == "cancelled"
    with ctx.db.reading() as session:
        assert session.execute(select(Timer.status).where(Timer.instance_id == bomb_case)).scalars().all() == [
            "cancelled"]
    with pytest.raises(Conflict):
        incidents.retry_incident(ctx, incident_id=incident["id"], actor="admin1")
    events = queries.history(ctx, bomb_case)
    assert events[-1]["type"] == "case_cancelled" and events[-1]["payload"]["reason"] == "脚本有误，流程已修改"


def test_a_successful_retry_resolves_the_incident_and_the_case_runs_on(ctx, clock):
    flaky = {"fail": True}
    registry.operations()

    @registry.operation("test_flaky_archive")
    def _flaky(_context, _params):  # type: ignore[no-untyped-def]
        """Fails until told otherwise, like an archive share that is down."""
        if flaky["fail"]:
            raise OSError("archive share not reachable")
        return "ok"

    _deploy(ctx, _timer_then(_service_task("archive", "test_flaky_archive", "archived"), "archive"))
    case_id = cases.start_case(ctx, process_id="night_job", actor="process_owner1", data={})
    clock.advance(hours=2)
    background.run_once(ctx)
    incident = _incident(ctx, case_id)
    assert "archive share not reachable" in incident["message"]
    flaky["fail"] = False
    assert incidents.retry_incident(ctx, incident_id=incident["id"], actor="process_owner1")["result"] == "fired"
    case = queries.show_case(ctx, case_id)
    assert case["status"] == "completed" and case["error"] is None
    assert _incident(ctx, case_id)["status"] == "resolved"
    types = [e["type"] for e in queries.history(ctx, case_id)]
    assert types.index("incident_opened") < types.index("incident_resolved") < types.index("case_completed")


def test_no_database_lock_is_held_while_the_engine_runs(ctx, clock):
    """A service task writes to the database from another thread while its own step is running: with a
    write lock held by the step (SQLite) or its case row locked, that write would wait for ever."""
    registry.operations()
    other_write_done = threading.Event()

    @registry.operation("test_write_meanwhile")
    def _write_meanwhile(_context, _params):  # type: ignore[no-untyped-def]
        """Another writer acts while this step is inside the engine."""
        writer = threading.Thread(target=lambda: (users.save_user(
            ctx, username="night_clerk", display_name="夜班", email="night@demo.guicheng.local",
            roles=["service_desk"], password="pw-night-1", actor="admin1"), other_write_done.set()))
        writer.start()
        writer.join(timeout=20)
        return other_write_done.is_set()

    _deploy(ctx, _timer_then(_service_task("probe", "test_write_meanwhile", "other_write_done"), "probe"))
    case_id = cases.start_case(ctx, process_id="night_job", actor="process_owner1", data={})
    clock.advance(hours=2)
    assert background.run_once(ctx).timers_fired == 1
    assert queries.show_case(ctx, case_id)["data"]["other_write_done"] is True
