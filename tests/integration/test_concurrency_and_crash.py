"""Two processes on one task, a kill -9 inside a transaction, two workers on one timer queue."""

from __future__ import annotations

import json
import signal
import time

import pytest
from sqlalchemy import func, select

from service.operations import queries
from service.persistence.audit import verify_chain
from service.persistence.models import Event, HumanTask, ProcessInstance, Timer
from tests.support.cli import cli_env, run_cli, spawn_cli
from tests.support.walk import only_task, start_case, walk_to_sales_confirmation

pytestmark = pytest.mark.usefixtures("every_case_replays")  # each case replays to what is stored

NOW = "2026-09-30T11:00:00+08:00"


def _complete_args(task_id: int) -> tuple[str, ...]:
    return ("complete", str(task_id), "--as", "tech_director1", "--data", json.dumps({"accepted": "no"}))


def test_two_processes_completing_one_task_exactly_one_wins(ctx, database_url, home):
    instance_id = start_case(ctx)
    task = only_task(ctx, instance_id, "confirm_request")
    env = cli_env(database_url, home, NOW)
    first, second = (spawn_cli(env, *_complete_args(task["id"]), pause_before_commit=1.5) for _ in range(2))
    results = [(p.wait(timeout=120), *p.communicate()) for p in (first, second)]
    codes = sorted(code for code, _out, _err in results)
    assert codes == [0, 1], results
    loser_err = next(err for code, _out, err in results if code == 1)
    assert "已完成" in loser_err  # the command line speaks Chinese unless GUICHENG_LANG=en
    history = queries.history(ctx, instance_id)
    assert [e["type"] for e in history].count("task_completed") == 1


def test_kill_9_inside_a_completion_leaves_the_case_as_it_was(ctx, database_url, home):
    instance_id = start_case(ctx)
    task = only_task(ctx, instance_id, "confirm_request")
    with ctx.db.reading() as session:
        revision = session.get(ProcessInstance, instance_id).revision
        events_before = session.execute(select(func.count()).select_from(Event)).scalar()
        revision_chain = session.get(ProcessInstance, instance_id).chain_seq
    env = cli_env(database_url, home, NOW)
    victim = spawn_cli(env, *_complete_args(task["id"]), pause_before_commit=30)
    time.sleep(4)  # well inside the held transaction
    assert victim.poll() is None
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    with ctx.db.reading() as session:
        assert session.get(ProcessInstance, instance_id).revision == revision
        assert session.get(HumanTask, task["id"]).status == "open"
        assert session.execute(select(func.count()).select_from(Event)).scalar() == events_before
        assert session.get(ProcessInstance, instance_id).chain_seq == revision_chain
        assert verify_chain(session).ok
    finished = run_cli(cli_env(database_url, home, NOW), *_complete_args(task["id"]))
    assert finished.returncode == 0, finished.stderr
    assert queries.show_case(ctx, instance_id)["status"] == "completed"


def test_two_workers_fire_each_due_timer_exactly_once(ctx, database_url, home):
    instance_ids = [start_case(ctx) for _ in range(4)]
    for instance_id in instance_ids:
        walk_to_sales_confirmation(ctx, instance_id)
    env = cli_env(database_url, home, "2026-10-09T09:00:00+08:00")
    workers = [spawn_cli(env, "worker", "--once") for _ in range(2)]
    outputs = [(w.wait(timeout=180), *w.communicate()) for w in workers]
    assert all(code == 0 for code, _o, _e in outputs), outputs
    with ctx.db.reading() as session:
        fired = session.execute(select(Event.instance_id, func.count()).where(Event.type == "timer_fired")
                                .group_by(Event.instance_id)).all()
        assert sorted(fired) == sorted((i, 1) for i in instance_ids)
        assert session.execute(select(func.count()).select_from(Timer).where(Timer.status == "pending")).scalar() == 0
        assert verify_chain(session).ok
    for instance_id in instance_ids:
        assert only_task(ctx, instance_id, "final_confirmation")
