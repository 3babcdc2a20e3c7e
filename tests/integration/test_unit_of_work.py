"""One unit of work per case step: no step waits on another case, a slow mail server holds no
transaction, racing steps give 409s and never a deadlock, and deleting a whole case is detected."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import delete, select

from service.adapters.mailer import SmtpSender
from service.operations import background, cases, queries, task_claims
from service.operations.errors import Conflict, Forbidden, OperationError
from service.persistence.audit import verify_chain
from service.persistence.models import CaseCopy, Event, HumanTask, Incident, OutboxMail, ProcessInstance, Timer
from tests.processes.walk import do, start, task
from tests.support.smtp_server import SmtpCatcher


def test_a_slow_mail_server_delays_neither_reads_nor_writes(ctx):
    case = start(ctx)
    released = threading.Event()
    with SmtpCatcher(hold=released) as catcher:
        worker = threading.Thread(target=background.run_once, args=(ctx,),
                                  kwargs={"sender": SmtpSender(catcher.url)})
        worker.start()
        assert catcher.receiving.wait(30), "the worker never reached the SMTP server"
        try:  # the server is now sitting on the mail: the database must be free meanwhile
            assert queries.open_tasks(ctx, actor="tech_director1")[0]["instance_id"] == case
            do(ctx, case, "confirm_request")
            other = start(ctx, customer="华为")
            assert worker.is_alive()  # still sending the first mail
        finally:
            released.set()
            worker.join(60)
    assert len(catcher.received) >= 1  # and whatever was queued meanwhile
    with ctx.db.reading() as session:
        row = session.execute(select(OutboxMail).order_by(OutboxMail.id).limit(1)).scalar_one()
        assert row.status == "sent" and row.claimed_until is None
    assert queries.show_case(ctx, other)["status"] == "running"


def _race(ctx, actions) -> list[object]:
    def run(action):  # type: ignore[no-untyped-def]
        try:
            return action()
        except OperationError as exc:
            return exc
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(run, actions))


def test_racing_claims_releases_and_completions_never_deadlock(ctx, clock):
    """Claim, release, complete and timers on the same cases at once: each either happens or is a clear
    4xx; the database never reports a deadlock (it would surface as a 500)."""
    case_ids = [start(ctx) for _ in range(6)]
    task_ids = [task(ctx, c, "confirm_request")["id"] for c in case_ids]
    actions = []
    for task_id in task_ids:
        actions += [lambda t=task_id: task_claims.claim_task(ctx, task_id=t, actor="tech_director1"),
                    lambda t=task_id: task_claims.claim_task(ctx, task_id=t, actor="tech_director2"),
                    lambda t=task_id: task_claims.release_task(ctx, task_id=t, actor="tech_director1"),
                    lambda t=task_id: cases.complete_task(ctx, task_id=t, actor="tech_director2",
                                                          data={"accepted": "yes", "engineer": "engineer1"}),
                    lambda t=task_id: cases.complete_task(ctx, task_id=t, actor="tech_director1",
                                                          data={"accepted": "no"}),
                    lambda: background.run_once(ctx)]
    results = _race(ctx, actions)
    assert all(r is None or isinstance(r, (dict, background.WorkReport, Conflict, Forbidden)) for r in results), [
        r for r in results if isinstance(r, Exception)]
    with ctx.db.reading() as session:
        completions = session.execute(select(Event.instance_id).where(Event.type == "task_completed")).scalars().all()
        assert len(completions) == len(set(completions))  # never twice
        for case_id, task_id in zip(case_ids, task_ids, strict=True):
            row = session.get(HumanTask, task_id)
            assert (row.status == "completed") == (case_id in completions), case_id
            assert row.status in ("completed", "open")  # a loser got a 409/403 and may simply try again
        assert verify_chain(session).ok


def test_deleting_a_whole_case_is_found_by_the_checkpoint(ctx, database_url, home):
    kept, doomed = start(ctx), start(ctx, customer="华为")
    assert background.checkpoint_if_due(ctx, force=True)
    with ctx.db.transaction() as session:  # an insider removes every trace of one case
        for table in (Event, CaseCopy, HumanTask, Timer, OutboxMail, Incident):
            session.execute(delete(table).where(table.instance_id == doomed))
        session.execute(delete(ProcessInstance).where(ProcessInstance.id == doomed))
    with ctx.db.reading() as session:
        report = verify_chain(session)
    assert not report.ok and f"case:{doomed}" in report.first_bad and "deleted" in report.reason
    assert queries.show_case(ctx, kept)["status"] == "running"


def test_checkpoints_are_written_only_when_something_changed(ctx):
    case = start(ctx)
    assert background.checkpoint_if_due(ctx, force=True)
    assert not background.checkpoint_if_due(ctx, force=True)
    do(ctx, case, "confirm_request")
    assert background.checkpoint_if_due(ctx, force=True)
    with ctx.db.reading() as session:
        report = verify_chain(session)
    assert report.ok and report.checkpoints == 2


def test_writers_of_different_cases_do_not_share_a_chain(ctx):
    first, second = start(ctx), start(ctx)
    do(ctx, first, "confirm_request")
    with ctx.db.reading() as session:
        chains = {i: [e.seq for e in session.execute(select(Event).where(Event.instance_id == i)
                                                     .order_by(Event.id)).scalars()] for i in (first, second)}
    assert chains[first][0] == 1 and chains[second][0] == 1
    assert chains[first] == list(range(1, len(chains[first]) + 1))


@pytest.mark.parametrize("claimer, outcome", [("tech_director1", "completed"), ("tech_director2", "refused")])
def test_a_step_overtaken_between_its_read_and_its_write_starts_again(ctx, claimer, outcome):
    """A claim lands while a completion is inside the engine: the completion must not write over it but
    read the case again — and then go through (same person) or be refused (someone else claimed it)."""
    case = start(ctx)
    confirm = task(ctx, case, "confirm_request")
    rounds = []

    def claim_meanwhile(step: str) -> None:
        rounds.append(step)
        if len(rounds) == 1:
            task_claims.claim_task(ctx, task_id=confirm["id"], actor=claimer)
    ctx.hooks.after_engine = claim_meanwhile
    if outcome == "refused":
        with pytest.raises(Forbidden):
            cases.complete_task(ctx, task_id=confirm["id"], actor="tech_director1", data={"accepted": "no"})
    else:
        cases.complete_task(ctx, task_id=confirm["id"], actor="tech_director1", data={"accepted": "no"})
    types = [e["type"] for e in queries.history(ctx, case)]
    assert types.count("task_claimed") == 1 and types.count("task_completed") == (outcome == "completed")
    assert rounds == (["complete", "complete"] if outcome == "completed" else ["complete"])
    with ctx.db.reading() as session:
        assert verify_chain(session).ok


def test_two_workers_checkpointing_at_once_keep_one_line_of_checkpoints(ctx):
    start(ctx)
    barrier = threading.Barrier(4)

    def checkpoint() -> bool:
        barrier.wait(10)
        return background.checkpoint_if_due(ctx, force=True)
    with ThreadPoolExecutor(max_workers=4) as pool:
        written = list(pool.map(lambda _n: checkpoint(), range(4)))
    assert written.count(True) == 1  # the others found nothing new once it was written
    with ctx.db.reading() as session:
        report = verify_chain(session)
    assert report.ok and report.checkpoints == 1
