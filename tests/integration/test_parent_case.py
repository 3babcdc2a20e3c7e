"""A linked case changes its request inside its own unit of work (operations.parent_case), on SQLite and
PostgreSQL: a crash leaves both cases as they were, a request step racing with the change is redone on
the changed request, and both audit chains stay whole."""

from __future__ import annotations

import dataclasses
import json
import signal
import time
from typing import Any

import pytest
from sqlalchemy import func, select

from service.config import PROJECT_ROOT
from service.engine.problems import DefinitionInvalid
from service.operations import cases, deploy, queries
from service.persistence.audit import verify_chain
from service.persistence.models import Event, HumanTask, ProcessInstance
from tests.processes.walk import advance_to, do, task
from tests.support.cli import cli_env, run_cli, spawn_cli
from tests.support.walk import start_case

pytestmark = pytest.mark.usefixtures("every_case_replays")  # each case replays to what is stored

NOW = "2026-09-30T11:00:00+08:00"


def _deviation_awaiting_the_director(ctx: Any, request: int, new_days: float) -> int:
    deviation = cases.start_case(ctx, process_id="technical_support_deviation", actor="engineer1", data={
        "parent_case": request, "deviation_kind": "workload", "channel": "phone", "description": "新增服务器",
        "new_estimated_person_days": new_days})
    cases.complete_task(ctx, task_id=task(ctx, deviation, "confirm_deviation")["id"], actor="sales1",
                        data={"deviation_confirmed": "yes", "outcome": "同意"})
    return deviation


def _director_confirms(ctx: Any, deviation: int) -> None:
    cases.complete_task(ctx, task_id=task(ctx, deviation, "director_confirm_deviation")["id"],
                        actor="tech_director1", data={"director_confirmed": "yes"})


def _state(ctx: Any, *ids: int) -> list[tuple[int, int, Any]]:
    with ctx.db.reading() as session:
        return [(row.revision, row.chain_seq, row.data) for row in (session.get(ProcessInstance, i) for i in ids)]


def test_kill_9_while_a_deviation_changes_its_request_leaves_both_as_they_were(ctx, database_url, home):
    request = start_case(ctx, estimated_person_days=2)
    advance_to(ctx, request, "work")
    deviation = _deviation_awaiting_the_director(ctx, request, 6)
    director_task = task(ctx, deviation, "director_confirm_deviation")["id"]
    before = _state(ctx, request, deviation)
    with ctx.db.reading() as session:
        events_before = session.execute(select(func.count()).select_from(Event)).scalar()
    env = cli_env(database_url, home, NOW)
    args = ("complete", str(director_task), "--as", "tech_director1", "--data",
            json.dumps({"director_confirmed": "yes"}))
    victim = spawn_cli(env, *args, pause_before_commit=30)
    time.sleep(4)  # inside the held transaction: the request is locked and changed, nothing committed
    assert victim.poll() is None
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    assert _state(ctx, request, deviation) == before
    with ctx.db.reading() as session:
        assert session.get(HumanTask, director_task).status == "open"
        assert session.execute(select(func.count()).select_from(Event)).scalar() == events_before
        assert verify_chain(session).ok
    finished = run_cli(env, *args)
    assert finished.returncode == 0, finished.stderr
    assert queries.show_case(ctx, request)["data"]["estimated_person_days"] == 6
    assert len([e for e in queries.history(ctx, request) if e["type"] == "changed_by_linked_case"]) == 1


def test_a_request_step_racing_with_the_change_is_redone_on_the_changed_request(ctx):
    request = start_case(ctx, estimated_person_days=2)
    advance_to(ctx, request, "work")
    deviation = _deviation_awaiting_the_director(ctx, request, 5)
    fired: list[str] = []

    def director_answers_meanwhile(step: str) -> None:  # the request's engine has run on the old snapshot
        if step == "complete" and not fired:
            fired.append(step)
            _director_confirms(ctx, deviation)

    ctx.hooks.after_engine = director_answers_meanwhile
    do(ctx, request, "work")
    ctx.hooks.after_engine = None
    assert fired
    data = queries.show_case(ctx, request)["data"]
    assert data["estimated_person_days"] == 5  # the deviation's change is not lost under the request's step
    assert data["work_summary"] == "安装并测试"  # nor the request's step under the change
    kinds = [e["type"] for e in queries.history(ctx, request)]
    assert kinds.count("changed_by_linked_case") == 1
    assert kinds.index("changed_by_linked_case") < len(kinds) - 1 - kinds[::-1].index("task_completed")
    with ctx.db.reading() as session:
        assert verify_chain(session).ok


def test_conflicts_and_deviations_on_one_request_keep_every_change_and_both_chains_whole(ctx):
    request = start_case(ctx, estimated_person_days=2)
    advance_to(ctx, request, "work")
    for days in (3, 4):
        _director_confirms(ctx, _deviation_awaiting_the_director(ctx, request, days))
    conflict = cases.start_case(ctx, process_id="technical_support_conflict", actor="engineer2", data={
        "parent_case": request, "raised_by_role": "engineer", "description": "对范围有分歧"})
    cases.complete_task(ctx, task_id=task(ctx, conflict, "resolve_by_tech_director")["id"], actor="tech_director2",
                        data={"resolution": "按合同执行", "resolved": "yes"})
    changes = [c for e in queries.history(ctx, request) if e["type"] == "changed_by_linked_case"
               for c in e["payload"]["changes"]]
    assert [(c["variable"], c["old"], c["new"]) for c in changes[:2]] == [
        ("estimated_person_days", 2, 3), ("estimated_person_days", 3, 4)]
    assert changes[2]["variable"] == "conflict_outcomes" and changes[2]["old"] is None
    data = queries.show_case(ctx, request)["data"]
    assert data["estimated_person_days"] == 4 and data["conflict_outcomes"][0]["case"] == conflict
    with ctx.db.reading() as session:
        assert verify_chain(session).ok


DEVIATION = PROJECT_ROOT / "processes" / "technical_support_deviation.bpmn"


SET = "{'estimated_person_days': 'new_estimated_person_days', 'products': 'new_products', 'scope': 'new_scope'}"


@pytest.mark.parametrize("written, wrong, element, why", [
    (SET, "{'scope': 'new scope'}", "update_request", "not variable names: 'scope': 'new scope'"),
    (SET, "['estimated_person_days']", "update_request", "expected a mapping"),
    ("'starter'", "'the_boss'", "find_request_sales", "unknown recipient 'the_boss'"),
])
def test_a_wrong_literal_parameter_is_refused_at_deploy_naming_the_element(ctx, written, wrong, element, why):
    real = deploy.bundle_from_path(DEVIATION, PROJECT_ROOT / "forms")
    text = real.files[DEVIATION.name].decode("utf-8")
    assert f'value="{written}"' in text
    changed = text.replace(f'value="{written}"', f'value="{wrong}"', 1).encode("utf-8")
    with pytest.raises(DefinitionInvalid) as err:
        deploy.deploy_bundle(ctx, dataclasses.replace(real, files={**real.files, DEVIATION.name: changed}),
                             actor="process_owner1")
    assert f"{element}: operation" in str(err.value) and why in str(err.value)
