"""A case's step runs on the workflow its last step left in this process when, and only when, the case
is still at that revision; a plain completion costs a handful of SQL statements; and whichever way a
step started, the case ends up the same (every case here is replayed from its log afterwards)."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from service.operations import cases, queries
from service.operations.context import AppContext
from service.persistence.db import Database
from service.persistence.models import Event, HumanTask
from tests.processes.walk import advance_to, do, open_elements, start, task

pytestmark = pytest.mark.usefixtures("every_case_replays")


def _statements(ctx: AppContext, action) -> list[str]:  # type: ignore[no-untyped-def]
    """The SQL statements `action` sends, without the transaction brackets."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, _params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        words = statement.lstrip().split(None, 1)
        if words and words[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"):
            seen.append(" ".join(statement.split()))
    event.listen(ctx.db.engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", record)
    return seen


def _other_process(ctx: AppContext) -> AppContext:
    """A second server process on the same database: its own connections and its own warm cases."""
    return AppContext(settings=ctx.settings, db=Database(ctx.settings.database_url), clock=ctx.clock)


def test_a_plain_completion_needs_at_most_six_statements(ctx):
    case = start(ctx)
    advance_to(ctx, case, "leave_site")
    leave_site = task(ctx, case, "leave_site")["id"]
    data = {"completion_state": "已完成安装", "leave_channel": "phone"}
    said = _statements(ctx, lambda: cases.complete_task(ctx, task_id=leave_site, actor="engineer1", data=data))
    # the task read (with the reference data's version), the case locked; the task done, the next one,
    # its two events in one insert, the case row
    assert len(said) <= 6, "\n".join(said)
    assert open_elements(ctx, case) == ["customer_signoff"]
    with ctx.db.reading() as session:
        done = session.execute(select(HumanTask).where(HumanTask.instance_id == case,
                                                       HumanTask.element_id == "leave_site")).scalar_one()
        assert (done.status, done.completed_by) == ("completed", "engineer1")
        kinds = [e.type for e in session.execute(select(Event).where(Event.instance_id == case)
                                                  .order_by(Event.seq.desc()).limit(2)).scalars()]
    assert kinds == ["task_created", "task_completed"]


def test_a_warm_case_moved_on_elsewhere_is_loaded_again(ctx):
    """Server process A keeps the case after its step; process B then moves it on; A's next step must
    not run on its now stale copy (the revision tells), or B's step would be lost."""
    other = _other_process(ctx)
    try:
        case = start(ctx)
        do(ctx, case, "confirm_request")  # A: the case is warm in A at this revision
        do(other, case, "engineer_assessment")  # B moves it on
        do(ctx, case, "communication", {"clear": "yes"})  # A again: must see B's step
        assert open_elements(ctx, case) == ["planning_documents"]
        with ctx.db.reading() as session:
            done = [t.element_id for t in session.execute(select(HumanTask).where(
                HumanTask.instance_id == case, HumanTask.status == "completed").order_by(HumanTask.id)).scalars()]
        assert done == ["confirm_request", "engineer_assessment", "communication"]
    finally:
        other.db.dispose()


def test_a_failed_step_leaves_no_half_run_workflow_behind(ctx):
    """A refused submission after the engine ran must not leave its workflow warm: the next try starts
    from the stored case."""
    case = start(ctx)
    do(ctx, case, "confirm_request")
    engineer_task = task(ctx, case, "engineer_assessment")["id"]

    def refuse(step: str) -> None:
        raise RuntimeError(f"stopped before commit ({step})")
    ctx.hooks.before_commit = refuse
    with pytest.raises(RuntimeError):
        cases.complete_task(ctx, task_id=engineer_task, actor="engineer1", data={"assessment": "accept"})
    ctx.hooks.before_commit = None
    assert open_elements(ctx, case) == ["engineer_assessment"]
    cases.complete_task(ctx, task_id=engineer_task, actor="engineer1", data={"assessment": "accept"})
    assert open_elements(ctx, case) == ["communication"]


def test_two_processes_taking_turns_on_many_cases_leave_every_inbox_right(ctx):
    """Cases handed back and forth between two processes (as two gunicorn workers do): the inbox rows
    always match what the diagrams wait on."""
    other = _other_process(ctx)
    try:
        started = [start(ctx, customer=customer) for customer in ("欧莱雅", "华为", "欧莱雅")]
        for number, case in enumerate(started):
            for step, where in (("confirm_request", number % 2), ("engineer_assessment", (number + 1) % 2),
                                ("communication", number % 2)):
                do(other if where else ctx, case, step)
        for case in started:
            assert open_elements(ctx, case) == ["planning_documents"]
        assert sorted(t["instance_id"] for t in queries.open_tasks(ctx, actor="engineer1")) == sorted(started)
    finally:
        other.db.dispose()
