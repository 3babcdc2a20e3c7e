"""The worker drains everything due, fires each timer exactly once however many workers share the
queue, and keeps firing timers while a slow mail server sits on a mail."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime

import pytest
from sqlalchemy import func, select

from bench import timer_bench
from service.adapters.mailer import MailDeliveryError, OutgoingMail, SmtpSender
from service.domain.messages import render
from service.operations import background, outbox, queries, timers
from service.operations.audit_verify import verify_audit
from service.operations.context import AppContext
from service.operations.errors import Conflict
from service.persistence.audit import verify_chain
from service.persistence.db import Database
from service.persistence.models import Event, OutboxMail, Timer
from tests.conftest import SHANGHAI
from tests.support.smtp_server import SmtpCatcher
from tests.support.walk import start_case

REMINDERS_DUE = datetime(2026, 9, 30, 17, 0, tzinfo=SHANGHAI)  # the confirmation reminder (16:00) is due


def _fired_per_case(ctx: AppContext) -> dict[int, int]:
    with ctx.db.reading() as session:
        return dict(session.execute(select(Event.instance_id, func.count()).where(Event.type == "timer_fired")
                                    .group_by(Event.instance_id)).all())


def _timers(ctx: AppContext, status: str) -> int:
    with ctx.db.reading() as session:
        return int(session.execute(select(func.count()).select_from(Timer).where(Timer.status == status)).scalar()
                   or 0)


def _mails(ctx: AppContext, status: str) -> int:
    with ctx.db.reading() as session:
        return int(session.execute(select(func.count()).select_from(OutboxMail)
                                   .where(OutboxMail.status == status)).scalar() or 0)


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 60  # a hung worker fails the test instead of hanging it
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.05)


class FailingSender:
    def __init__(self) -> None:
        self.tried: list[str] = []

    def send(self, mail: OutgoingMail) -> None:
        self.tried.append(mail.message_id)
        raise MailDeliveryError("cannot reach SMTP server 127.0.0.1:1: connection refused")


def test_one_run_drains_every_due_timer_however_many_batches(ctx, clock, monkeypatch):
    monkeypatch.setattr(background, "TIMER_BATCH", 2)
    cases = [start_case(ctx) for _ in range(5)]
    clock.set(REMINDERS_DUE)
    reports: list[background.WorkReport] = []
    monkeypatch.setattr(background, "PROGRESS_EVERY", 0.0)
    report = background.run_once(ctx, progress=reports.append)
    assert report.timers_fired == 5 and report.failures == 0
    assert _fired_per_case(ctx) == {case: 1 for case in cases}
    assert reports, "a long drain reports its progress"
    assert report.mails_sent == 10  # each case's application mail and its reminder to the directors
    assert background.run_once(ctx).timers_fired == 0  # nothing fires twice


def test_two_workers_with_their_own_connections_fire_each_timer_once(ctx, clock, monkeypatch):
    monkeypatch.setattr(background, "TIMER_BATCH", 3)  # several batches each, so the workers interleave
    cases = [start_case(ctx) for _ in range(8)]
    clock.set(REMINDERS_DUE)
    workers = [AppContext(settings=ctx.settings, db=Database(ctx.settings.database_url), clock=clock)
               for _ in range(2)]
    reports: list[background.WorkReport] = []
    threads = [threading.Thread(target=lambda w=w: reports.append(background.run_once(w))) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    for worker in workers:
        worker.db.dispose()
    assert len(reports) == 2, "a worker failed"
    assert sum(r.timers_fired for r in reports) == 8
    assert _fired_per_case(ctx) == {case: 1 for case in cases}
    assert _timers(ctx, "fired") == 8 and _mails(ctx, "pending") == 0
    with ctx.db.reading() as session:
        assert verify_chain(session).ok
        mails_sent = session.execute(select(Event.payload).where(Event.type == "mail_sent")).scalars().all()
    assert len({p["message_id"] for p in mails_sent}) == len(mails_sent) == 16  # each mail sent once


def test_a_slow_mail_server_does_not_hold_up_the_timers(ctx, clock):
    cases = [start_case(ctx) for _ in range(3)]
    clock.set(REMINDERS_DUE)
    released = threading.Event()
    with SmtpCatcher(hold=released) as catcher:
        result: list[background.WorkReport] = []
        worker = threading.Thread(target=lambda: result.append(
            background.run_once(ctx, sender=SmtpSender(catcher.url))))
        worker.start()
        try:
            assert catcher.receiving.wait(30), "the worker never reached the SMTP server"
            _wait_for(lambda: _timers(ctx, "fired") == 3, "the timers to fire while the server holds a mail")
            assert catcher.received == []  # the first mail is still on its way
        finally:
            released.set()
            worker.join(120)
    assert result and result[0].timers_fired == 3
    assert result[0].mails_sent == 6 and _mails(ctx, "sent") == 6  # and then every mail went out
    assert _fired_per_case(ctx) == {case: 1 for case in cases}


def test_a_server_that_is_down_gets_three_tries_and_the_rest_waits_untouched(ctx):
    for _ in range(5):
        start_case(ctx)
    sender = FailingSender()
    report = background.run_once(ctx, sender=sender)
    assert report.mails_sent == 0 and report.failures == 3 == len(sender.tried)
    with ctx.db.reading() as session:
        rows = session.execute(select(OutboxMail).order_by(OutboxMail.id)).scalars().all()
    tried = [r for r in rows if r.message_id in sender.tried]
    untried = [r for r in rows if r.message_id not in sender.tried]
    assert len(untried) == 2 and all(r.status == "pending" for r in rows)
    assert all(r.attempts == 1 and r.next_attempt_at is not None for r in tried)
    assert all(r.attempts == 0 and r.claimed_until is None and r.last_error is None for r in untried)


def test_a_timer_whose_case_keeps_changing_does_not_stop_the_others(ctx, clock, monkeypatch):
    cases = [start_case(ctx) for _ in range(3)]
    clock.set(REMINDERS_DUE)
    real_fire = background.fire_timer
    with ctx.db.reading() as session:
        unlucky = session.execute(select(Timer.id).where(Timer.instance_id == cases[1],
                                                         Timer.element_id == "confirm_reminder_timer")).scalar_one()

    def fire(ctx_, timer_id, now, **kwargs):  # type: ignore[no-untyped-def]
        if timer_id == unlucky:
            raise Conflict("case.kept_changing", step=f"timer {timer_id}")
        return real_fire(ctx_, timer_id, now, **kwargs)
    monkeypatch.setattr(background, "fire_timer", fire)
    report = background.run_once(ctx)
    assert report.timers_fired == 2 and report.failures == 1
    assert _fired_per_case(ctx) == {cases[0]: 1, cases[2]: 1}
    with ctx.db.reading() as session:
        left = session.get(Timer, unlucky)
        assert left.status == "pending" and left.claimed_until is not None  # leased: a later round fires it


class RecordingSender:
    def __init__(self) -> None:
        self.sent: list[str] = []

    def send(self, mail: OutgoingMail) -> None:
        self.sent.append(mail.message_id)


def test_a_mail_going_out_while_a_timer_step_runs_does_not_make_the_step_start_over(ctx, clock):
    """The mail thread records each delivery on the case's chain while the timer thread computes a step
    of the same case: the step still writes what it computed, and the chain holds both, in order."""
    case = start_case(ctx)
    clock.set(REMINDERS_DUE)
    sender, computed = RecordingSender(), []

    def deliver_one_mail_of_the_case(step: str) -> None:
        computed.append(step)
        claimed = [m for m in outbox.claim_mails(ctx, 10) if m.instance_id == case][:1]
        assert claimed, "the case has a mail to send"
        assert outbox.send_claimed(ctx, sender, claimed[0], REMINDERS_DUE)
    ctx.hooks.after_engine = deliver_one_mail_of_the_case
    with ctx.db.reading() as session:
        timer = session.execute(select(Timer.id).where(Timer.instance_id == case,
                                                       Timer.element_id == "confirm_reminder_timer")).scalar_one()
    assert timers.fire_timer(ctx, timer, REMINDERS_DUE) == "fired"
    assert computed == ["timer"] and len(sender.sent) == 1  # computed once, written once
    with ctx.db.reading() as session:
        types = session.execute(select(Event.type).where(Event.instance_id == case)
                                .order_by(Event.seq)).scalars().all()
    assert types.count("mail_sent") == 1 and types.index("mail_sent") < types.index("timer_fired")
    assert verify_audit(ctx).ok


def test_the_long_running_worker_fires_and_sends_until_stopped(ctx, clock):
    case = start_case(ctx)
    clock.set(REMINDERS_DUE)
    stop, rounds, errors = threading.Event(), [], []
    worker = threading.Thread(target=background.run_forever, args=(ctx, 0.05), kwargs={
        "on_round": rounds.append, "on_error": errors.append, "stop": stop})
    worker.start()
    try:
        _wait_for(lambda: _timers(ctx, "fired") == 1 and _mails(ctx, "pending") == 0, "the worker's rounds")
    finally:
        stop.set()
        worker.join(60)
    assert not worker.is_alive() and errors == []
    assert sum(r.timers_fired for r in rounds) == 1 and sum(r.mails_sent for r in rounds) == 2
    assert _fired_per_case(ctx) == {case: 1}
    assert [t["element_id"] for t in queries.open_tasks(ctx, instance_id=case)] == ["confirm_request"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_progress_lines_speak_the_terminal_language(lang):
    line = render("worker.progress", lang, timers=1200, mails=35, failures=0)
    assert "1200" in line and "35" in line and ("定时器" in line if lang == "zh" else "timers fired" in line)


def test_the_benchmark_copies_are_valid_cases_and_it_counts_each_firing_once(ctx, clock):
    """B7 and B8 run on copies of one started case: they must verify and fire like the real thing."""
    template = timer_bench.start_template(ctx)
    copies = timer_bench.copy_case(ctx, timer_bench.read_case(ctx, template), 3, lambda _line: None)
    assert verify_audit(ctx).ok
    clock.set(timer_bench.DUE)
    assert timer_bench.due_timers(ctx) == 4
    assert background.run_once(ctx).timers_fired == 4
    assert timer_bench.firing_counts(ctx, [template, *copies]) == {
        "timer_rows_fired": 4, "timer_fired_events": 4, "cases_not_exactly_once": 0}
    assert verify_audit(ctx).ok
    for case in copies:  # each copy is a case of its own: its task, its reminder, its thread of mail
        assert [t["element_id"] for t in queries.open_tasks(ctx, instance_id=case)] == ["confirm_request"]
    with ctx.db.reading() as session:
        subjects = session.execute(select(OutboxMail.instance_id, OutboxMail.message_id)).all()
    assert len({m for _, m in subjects}) == len(subjects) == 8
