"""The worker: fire due timers, retry incidents whose backoff passed, deliver the outbox, checkpoint
the audit chains, clear away cases whose start never finished.

Timers and mail run on separate loops (the mail on its own thread), so a slow SMTP server holds up
only the mail. Both take their work in batches — one short claiming transaction per batch, SKIP LOCKED
on PostgreSQL — and each item is still its own unit of work, so any number of workers can share the
queues and a crash loses nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import timedelta

from sqlalchemy import select

from service.adapters.mailer import MailSender, sender_from_url
from service.persistence.audit import write_checkpoint
from service.persistence.models import AuditCheckpoint, ProcessInstance

from .case_starts import open_requested_cases
from .context import AppContext
from .errors import OperationError
from .incidents import retry_due_incidents
from .mail_replies import read_mail_replies
from .outbox import claim_mails, release_mails, send_claimed
from .timers import claim_due_timers, fire_timer, real_now, timer_snapshots

log = logging.getLogger("guicheng.worker")
CHECKPOINT_INTERVAL = timedelta(minutes=10)
ABANDONED_START = timedelta(minutes=10)
TIMER_BATCH = 50  # timers leased per claim: a few seconds of work, far inside the lease
MAIL_BATCH = 10  # mails leased per claim: even a slow server gets through them inside the lease
SERVER_DOWN_AFTER = 3  # failed sends in a row: the server is down, try again next round
PROGRESS_EVERY = 5.0  # seconds between progress reports of a long drain
MAX_FIRINGS_PER_CASE = 1000  # in one drain: catching up a daily chaser over years is fewer


@dataclass
class WorkReport:
    timers_fired: int = 0
    incidents: int = 0
    mails_sent: int = 0
    mails_received: int = 0  # replies in the mail-drop folder turned into messages
    mails_refused: int = 0
    failures: int = 0  # mails not sent, and timers whose case kept changing under them
    cases_opened: int = 0  # cases steps asked for (a visit plan's dispatch orders), opened now
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, **counts: int) -> None:
        """Counts from the timer loop and the mail thread arrive at once."""
        with self._lock:
            for name, value in counts.items():
                setattr(self, name, getattr(self, name) + value)

    def take(self) -> WorkReport:
        """The counts so far, and start again from zero (a long-running worker reports per round)."""
        with self._lock:
            counts = {f.name: getattr(self, f.name) for f in fields(self) if not f.name.startswith("_")}
            for name in counts:
                setattr(self, name, 0)
        return WorkReport(**counts)

    @property
    def busy(self) -> bool:
        return bool(self.timers_fired or self.incidents or self.mails_sent or self.mails_received
                    or self.mails_refused or self.failures or self.cases_opened)


Progress = Callable[[WorkReport], None]


def fire_due_timers(ctx: AppContext, report: WorkReport, progress: Progress | None = None) -> None:
    """Every timer due now, batch after batch until none is; timers that come due meanwhile too.

    A timer left unfired (its case kept changing, or the case fired MAX_FIRINGS_PER_CASE times in this
    drain — a diagram whose timer never settles) stays leased, so the drain does not come back to it
    and ends; a later round fires it once the lease has run out."""
    last_report, per_case = time.monotonic(), Counter[int]()
    while True:
        now = ctx.now()
        batch = claim_due_timers(ctx, now, TIMER_BATCH)
        if not batch:
            return
        read, moved = timer_snapshots(ctx, [timer_id for timer_id, _ in batch]), set()
        for timer_id, instance_id in batch:
            per_case[instance_id] += 1
            if per_case[instance_id] > MAX_FIRINGS_PER_CASE:
                log.warning("case %s: more than %s timers in one drain, the rest waits", instance_id,
                            MAX_FIRINGS_PER_CASE)
                continue
            snapshots = None if instance_id in moved else read  # a second timer: the first moved its case
            moved.add(instance_id)
            try:
                result = fire_timer(ctx, timer_id, now, read=snapshots)
            except OperationError as exc:
                log.warning("timer %s not fired: %s", timer_id, exc.code)
                report.add(failures=1)
                continue
            report.add(timers_fired=result == "fired", incidents=result == "incident")
        if progress is not None and time.monotonic() - last_report >= PROGRESS_EVERY:
            progress(report)
            last_report = time.monotonic()


def deliver_due_mail(ctx: AppContext, sender: MailSender, report: WorkReport) -> tuple[int, bool]:
    """Send what the outbox holds now: (mails tried, whether the server seems down)."""
    tried = failures_in_a_row = 0
    while claimed := claim_mails(ctx, MAIL_BATCH):
        for index, one in enumerate(claimed):
            tried += 1
            if send_claimed(ctx, sender, one, ctx.now()):
                report.add(mails_sent=1)
                failures_in_a_row = 0
                continue
            report.add(failures=1)
            failures_in_a_row += 1
            if failures_in_a_row >= SERVER_DOWN_AFTER:
                release_mails(ctx, [m.id for m in claimed[index + 1:]])
                return tried, True
    return tried, False


class MailLoop(threading.Thread):
    """The outbox on its own thread: until `until` is set and a last pass found nothing, or `stop`."""

    def __init__(self, ctx: AppContext, sender: MailSender, report: WorkReport, *, until: threading.Event,
                 pause: float, stop: threading.Event | None = None):
        super().__init__(name="guicheng-mail", daemon=True)
        self.ctx, self.sender, self.report, self.until, self.pause = ctx, sender, report, until, pause
        self.stop = stop
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while self.stop is None or not self.stop.is_set():
                last_pass = self.until.is_set()  # read before the pass: mails the last timers queued count
                tried, server_down = deliver_due_mail(self.ctx, self.sender, self.report)
                if self.stop is None and (server_down or (last_pass and not tried)):
                    return
                if server_down or not tried:
                    (self.stop or self.until).wait(self.pause)
        except BaseException as exc:  # handed to the thread that waits for this one
            self.error = exc

    def finish(self) -> None:
        self.join()
        if self.error is not None:
            raise self.error


def checkpoint_if_due(ctx: AppContext, *, force: bool = False) -> bool:
    with ctx.db.transaction() as session:
        last = session.execute(select(AuditCheckpoint.created_at).order_by(AuditCheckpoint.id.desc())
                               .limit(1)).scalar()
        if not force and last is not None and real_now() - last < CHECKPOINT_INTERVAL:
            return False
        return write_checkpoint(session, real_now()) is not None


def clear_abandoned_starts(ctx: AppContext) -> int:
    """A start that crashed between reserving its id and writing its first step leaves a bare row."""
    cutoff = real_now() - ABANDONED_START
    with ctx.db.transaction() as session:
        rows = session.execute(select(ProcessInstance).where(ProcessInstance.status == "starting",
                                                             ProcessInstance.updated_at < cutoff)).scalars().all()
        for row in rows:
            session.delete(row)
        return len(rows)


def _timer_round(ctx: AppContext, report: WorkReport, progress: Progress | None) -> None:
    replies = read_mail_replies(ctx)  # first: a reply may answer what a timer would otherwise remind of
    report.add(mails_received=len(replies.delivered), mails_refused=len(replies.refused))
    fire_due_timers(ctx, report, progress)
    opened = open_requested_cases(ctx)  # after the timers: the orders their steps just asked for
    report.add(cases_opened=opened["opened"] + opened["recovered"], incidents=opened["failed"])
    report.add(incidents=retry_due_incidents(ctx, ctx.now()))
    checkpoint_if_due(ctx)
    clear_abandoned_starts(ctx)


def _sender(ctx: AppContext, sender: MailSender | None) -> MailSender:
    return sender or sender_from_url(ctx.settings.smtp_url, ctx.settings.mail_dir)


def run_once(ctx: AppContext, sender: MailSender | None = None, progress: Progress | None = None) -> WorkReport:
    """Everything due now (`worker --once`): timers here, mail beside them, until both are done."""
    report = WorkReport()
    timers_done = threading.Event()
    mail = MailLoop(ctx, _sender(ctx, sender), report, until=timers_done, pause=0.2)
    mail.start()
    try:
        _timer_round(ctx, report, progress)
    finally:
        timers_done.set()
        mail.finish()
    return report


def run_forever(ctx: AppContext, interval: float, *, on_round: Callable[[WorkReport], None],
                on_error: Callable[[Exception], None], stop: threading.Event | None = None,
                sender: MailSender | None = None) -> None:
    """The long-running worker: a timer round every `interval` seconds, the mail loop beside it.

    A failed round (say, the database went away) is reported and tried again; the mail thread keeps
    its own pace and is restarted if it died."""
    stop = stop or threading.Event()
    report, mail_sender = WorkReport(), _sender(ctx, sender)

    def mail_loop() -> MailLoop:
        loop = MailLoop(ctx, mail_sender, report, until=threading.Event(), pause=interval, stop=stop)
        loop.start()
        return loop

    mail = mail_loop()
    while not stop.is_set():
        try:
            _timer_round(ctx, report, None)
        except Exception as exc:  # a lost database connection must not end the worker
            on_error(exc)
        if not mail.is_alive():
            if isinstance(mail.error, Exception):
                on_error(mail.error)
            mail = mail_loop()
        on_round(report.take())
        stop.wait(interval)
    mail.join()
    on_round(report.take())  # what the mail thread finished after the last round

