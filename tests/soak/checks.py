"""The end-of-run checks: what the clients were told against what the database and the mail folder hold."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.persistence import models
from service.persistence.models import Event, HumanTask, OutboxMail, ProcessInstance, Timer
from tests.soak.ledger import Ledger
from tests.soak.server_log import Problem

SHOW = 8  # ids listed per failing figure


@dataclass
class Check:
    name: str
    failures: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def fail_if(self, bad: list | set | dict, what: str) -> None:
        if bad:
            items = sorted(bad)[:SHOW]
            self.failures.append(f"{what}: {len(bad)} ({', '.join(map(str, items))}{' …' if len(bad) > SHOW else ''})")


def server_errors(ledger: Ledger, problems: list[Problem]) -> Check:
    check = Check("no server errors")
    deadlocks = sum(p.count for p in problems if p.is_deadlock)
    check.figures = [f"requests by status: {dict(sorted(ledger.by_status.items()))}",
                     f"5xx answers: {ledger.server_error_count}, of which the body mentions a deadlock: "
                     f"{ledger.deadlock_answers}",
                     f"tracebacks / failed worker rounds in the logs: {sum(p.count for p in problems)}, "
                     f"deadlocks among them: {deadlocks}"]
    if ledger.server_error_count:
        check.failures.append(f"{ledger.server_error_count} answers with status 5xx")
    if deadlocks:
        check.failures.append(f"{deadlocks} deadlocks in the server and worker logs")
    return check


def failed_steps(ledger: Ledger) -> Check:
    """The soak sends only valid form data: a 422 means a step of the engine failed (a service, a script)."""
    check = Check("no valid request refused because a step failed (422)")
    failed = ledger.by_status.get("422", 0)
    check.figures = [f"422 answers: {failed}"]
    if failed:
        details = sorted({e.response_body[:160] for e in ledger.odd_answers if e.status == 422})
        check.failures.append(f"{failed} answers with status 422: {' | '.join(details)}")
    return check


def completions(session: Session, ledger: Ledger) -> Check:
    """No lost and no doubled completion: each task completed at most once, each 200 logged exactly once."""
    check = Check("completions: none lost, none doubled")
    completed = set(session.execute(select(HumanTask.id).where(HumanTask.status == "completed")).scalars())
    events = Counter(int(e.payload["task_id"]) for e in session.execute(
        select(Event).where(Event.type == "task_completed")).scalars())
    accepted = ledger.completions
    check.figures = [f"completions accepted (200): {sum(accepted.values())} on {len(accepted)} tasks; "
                     f"answers lost with a killed connection: {len(ledger.completions_unknown)}",
                     f"task rows completed: {len(completed)}; task_completed events: {sum(events.values())} "
                     f"on {len(events)} tasks"]
    check.fail_if({t for t, n in accepted.items() if n > 1}, "tasks answered 200 more than once")
    check.fail_if({t for t, n in events.items() if n > 1}, "tasks with more than one task_completed event")
    check.fail_if(set(accepted) - completed, "tasks answered 200 whose row is not completed (lost)")
    check.fail_if(set(accepted) - set(events), "tasks answered 200 without a task_completed event")
    check.fail_if(completed - set(events), "completed task rows without a task_completed event")
    check.fail_if(set(events) - completed, "task_completed events for rows that are not completed")
    return check


def _leased(row: Timer | OutboxMail) -> bool:
    """Held by a worker's lease that has not run out: a killed worker's row waits for it."""
    until = getattr(row, "claimed_until", None)
    return until is not None and until > datetime.now(UTC)


def timers(session: Session, due_by: datetime) -> Check:
    """Every fired timer row has exactly one timer_fired event, no event lacks its row, none is left due."""
    check = Check("timers fired exactly once")
    rows = session.execute(select(Timer)).scalars().all()
    running = set(session.execute(select(ProcessInstance.id).where(ProcessInstance.status == "running")).scalars())
    left_due = [t for t in rows if t.status == "pending" and t.due_at <= due_by and t.instance_id in running]
    fired = Counter((t.instance_id, t.element_id, t.due_at.isoformat()) for t in rows if t.status == "fired")
    events = Counter((e.instance_id, e.payload["element_id"], e.payload["due_at"]) for e in session.execute(
        select(Event).where(Event.type == "timer_fired")).scalars())
    statuses = Counter(t.status for t in rows)
    check.figures = [f"timer rows: {dict(sorted(statuses.items()))}; timer_fired events: {sum(events.values())}",
                     f"due timers of running cases left after the drain: {len(left_due)}, "
                     f"of which held by a killed worker's lease: {sum(map(_leased, left_due))}"]
    check.fail_if({t.id for t in left_due if not _leased(t)}, "due timers never fired (no lease holds them)")
    check.fail_if({k for k, n in events.items() if n > fired.get(k, 0)}, "timers fired more often than their rows say")
    check.fail_if({k for k, n in fired.items() if n > events.get(k, 0)}, "fired timer rows without a timer_fired event")
    return check


def _eml_message_ids(mail_dir: Path) -> tuple[Counter[str], list[str]]:
    counts: Counter[str] = Counter()
    unreadable = []
    for path in sorted(mail_dir.glob("*.eml")):
        try:
            message_id = BytesParser(policy=policy.default).parsebytes(path.read_bytes())["Message-ID"]
        except Exception as exc:  # a file torn by a kill is a finding, not a crash of the check
            unreadable.append(f"{path.name}: {exc}")
            continue
        counts["".join(str(message_id or "").split())] += 1
    return counts, unreadable


def mails(session: Session, mail_dir: Path) -> Check:
    """Exactly one .eml file per outbox row (by Message-ID), and every row delivered after the drain."""
    check = Check("mails written exactly once")
    rows = session.execute(select(OutboxMail)).scalars().all()
    files, unreadable = _eml_message_ids(mail_dir)
    sent_events = Counter(e.payload["message_id"] for e in session.execute(
        select(Event).where(Event.type == "mail_sent")).scalars())
    by_status = Counter(r.status for r in rows)
    ids = {r.message_id for r in rows}
    leased = {r.message_id for r in rows if r.status == "pending" and _leased(r)}
    check.figures = [f"outbox rows: {dict(sorted(by_status.items()))}; .eml files: {sum(files.values())}; "
                     f"mail_sent events: {sum(sent_events.values())}",
                     f"pending rows held by a killed worker's lease: {len(leased)} "
                     f"(of them already written: {len(leased & set(files))})"]
    check.fail_if({m for m, n in files.items() if n > 1}, "Message-IDs written to more than one .eml file")
    check.fail_if({r.message_id for r in rows if r.status == "sent" and not files.get(r.message_id)},
                  "sent outbox rows without an .eml file")
    check.fail_if({r.message_id for r in rows if r.status != "sent"} - leased, "outbox rows not sent after the drain")
    check.fail_if(set(files) - ids, ".eml files whose Message-ID is in no outbox row")
    check.fail_if({m for m, n in sent_events.items() if n > 1}, "mails with more than one mail_sent event")
    check.fail_if(unreadable, "unreadable .eml files")
    return check


def _by_status(session: Session, column) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return dict(sorted(session.execute(select(column, func.count()).group_by(column)).all()))


def cases_figures(session: Session) -> list[str]:
    figures = [f"cases by status: {_by_status(session, ProcessInstance.status)}",
               f"task rows by status: {_by_status(session, HumanTask.status)}"]
    incident = getattr(models, "Incident", None)  # steps the worker could not complete
    if incident is not None:
        figures.append(f"incidents by status: {_by_status(session, incident.status)}")
    return figures


def _checkpoints(session: Session) -> list[str]:
    """The checkpoint rows and what each links to: a fork in their chain shows at a glance."""
    checkpoint = getattr(models, "AuditCheckpoint", None)
    if checkpoint is None:
        return []
    rows = session.execute(select(checkpoint).order_by(checkpoint.id)).scalars().all()
    hashes = {r.hash: r.id for r in rows}
    return [f"checkpoint {r.id} at {r.created_at.isoformat()} full={r.full} chains={r.chain_count} "
            f"links to checkpoint {hashes.get(r.prev_hash, 'none')}" for r in rows[:SHOW * 2]]


def audit(session: Session, exit_code: int, output: str) -> Check:
    check = Check("guicheng audit verify exits 0")
    check.figures = [f"guicheng audit verify: exit {exit_code}: {output.strip()[:300]}"]
    if exit_code != 0:
        check.failures.append(f"exit {exit_code}: {output.strip()[:300]}")
        check.figures += _checkpoints(session)
    return check
