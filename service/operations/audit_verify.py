"""The auditors' verification: every chain, every case head and state, every document, every checkpoint.

Why more than the hash chain: an intact chain proves only the events. A case's stored engine state is
checked against the `state_sha256` its last state-changing event recorded, and every document the
history names (uploads, archived copies) against its checksum, so editing any stored record shows.
Cases are read in batches with their events, so a database of thousands of cases stays cheap; a case
row is read before its events and events newer than that head are left for the next run (a case may
move on while it is verified).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.adapters.archive_store import DocumentStore
from service.domain.access import may_audit
from service.domain.documents import references_within
from service.domain.messages import Message
from service.persistence.audit import (
    GENESIS,
    CheckpointState,
    LinkProblem,
    case_chain,
    checked_checkpoints,
    state_digest,
    walk_chain,
)
from service.persistence.models import AuditChain, Event, ProcessInstance

from .background import checkpoint_if_due
from .context import AppContext
from .errors import Forbidden, NotFound
from .users import find_user

CASE_BATCH = 100
EVENT_BATCH = 2000
PROBLEM_LIMIT = 20  # problems listed; all are counted


@dataclass(frozen=True)
class Problem:
    """One broken record. `kind` is what auditors filter on; `code` names the sentence."""

    kind: str  # altered, missing, reordered, truncated, case_deleted, state_edited, document_damaged,
    #            document_missing, checkpoint_altered
    code: str
    chain: str
    instance_id: int | None = None
    seq: int | None = None
    event_id: int | None = None
    document: str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def where(self) -> str:
        """The stable coordinates scripts grep for: `case:12 event 4 (id 97)`."""
        text = self.chain
        if self.seq is not None:
            text += f" event {self.seq}"
        if self.event_id is not None:
            text += f" (id {self.event_id})"
        return text

    @property
    def where_words(self) -> Message | str:
        """The coordinates in the reader's language (the page and the terminal; `where` stays for scripts)."""
        if self.instance_id is None or self.seq is None:
            return self.where
        if self.event_id is None:
            return Message("audit_verify.where_seq", {"case": self.instance_id, "seq": self.seq})
        return Message("audit_verify.where_event", {"case": self.instance_id, "seq": self.seq, "id": self.event_id})

    @property
    def message(self) -> Message:
        return Message(self.code, {"where": self.where_words, "case": self.instance_id or "—", "seq": self.seq or "—",
                                   "document": self.document or "", **self.params})

    def as_dict(self, lang: str) -> dict[str, Any]:
        return {"kind": self.kind, "chain": self.chain, "instance_id": self.instance_id, "seq": self.seq,
                "event_id": self.event_id, "document": self.document, "where": self.where,
                "code": self.code, "message": self.message.render(lang)}


@dataclass
class AuditReport:
    checked_events: int = 0
    checked_cases: int = 0
    checked_documents: int = 0
    checkpoints: int = 0
    not_covered: list[int] = field(default_factory=list)  # cases whose events record no state hash
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    verified_at: str = ""

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def first_bad(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < PROBLEM_LIMIT:
            self.problems.append(problem)

    def as_dict(self, lang: str) -> dict[str, Any]:
        first = self.first_bad
        return {"ok": self.ok, "checked_events": self.checked_events, "checked_cases": self.checked_cases,
                "checked_documents": self.checked_documents, "checkpoints": self.checkpoints,
                "not_covered": len(self.not_covered), "not_covered_cases": self.not_covered[:PROBLEM_LIMIT],
                "problem_count": self.problem_count, "first_bad": first.as_dict(lang) if first else None,
                "problems": [p.as_dict(lang) for p in self.problems], "verified_at": self.verified_at}


def may_verify(ctx: AppContext, actor: str) -> None:
    with ctx.db.reading() as session:
        if not may_audit(find_user(session, actor).role_ids):
            raise Forbidden("audit_verify.may_not", user=actor)


def count_cases(ctx: AppContext) -> int:
    with ctx.db.reading() as session:
        return int(session.execute(select(func.count(ProcessInstance.id))).scalar() or 0)


def verify_audit(ctx: AppContext, *, actor: str | None = None, case_id: int | None = None,
                 progress: Callable[[int], None] | None = None) -> AuditReport:
    """Check everything (or one case); `actor` None is the operator at the server's terminal."""
    if actor is not None:
        may_verify(ctx, actor)
    report = AuditReport(verified_at=ctx.now().isoformat(timespec="seconds"))
    documents = _Documents(DocumentStore(ctx.settings.home), ctx.settings.archive_dir)
    with ctx.db.reading() as session:
        checkpoints = checked_checkpoints(session)  # first: whatever is read later is only newer
        report.checkpoints = checkpoints.count
        if checkpoints.bad_id is not None:
            report.add(Problem("checkpoint_altered", f"audit_verify.checkpoint_{checkpoints.bad_kind}",
                               f"checkpoint {checkpoints.bad_id}", params={"checkpoint": checkpoints.bad_id}))
        seen: set[str] = set()
        for rows, events in _case_batches(session, case_id):
            for row in rows:
                chain = case_chain(row.id)
                seen.add(chain)
                _check_case(report, row, events.get(chain, []), checkpoints, documents)
            if progress is not None:
                progress(len(rows))
        if case_id is None:
            _check_other_chains(session, report, checkpoints)
        _check_deleted_cases(report, checkpoints, seen, case_id)
        if case_id is None:
            _check_stray_events(session, report, seen)
        elif not seen and case_chain(case_id) not in checkpoints.heads:
            raise NotFound("case.missing", case=case_id)
    report.checked_documents = documents.checked
    return report


def checkpoint_now(ctx: AppContext, *, actor: str) -> bool:
    """An administrator seals the current heads at once (the worker does it every 10 minutes)."""
    with ctx.db.reading() as session:
        if "admin" not in find_user(session, actor).role_ids:
            raise Forbidden("audit_verify.checkpoint_admin_only", user=actor)
    return checkpoint_if_due(ctx, force=True)


# --- cases ----------------------------------------------------------------------------------------


def _case_batches(session: Session, case_id: int | None) -> Iterator[tuple[list[Any], dict[str, list[Event]]]]:
    after = 0
    while True:
        query = select(ProcessInstance.id, ProcessInstance.chain_seq, ProcessInstance.chain_hash,
                       ProcessInstance.state_json).order_by(ProcessInstance.id)
        query = query.where(ProcessInstance.id == case_id) if case_id is not None else \
            query.where(ProcessInstance.id > after).limit(CASE_BATCH)
        rows = list(session.execute(query))
        if not rows:
            return
        chains = [case_chain(r.id) for r in rows]
        grouped: dict[str, list[Event]] = {}
        for event in session.execute(select(Event).where(Event.chain.in_(chains))
                                     .order_by(Event.chain, Event.seq)).scalars():
            grouped.setdefault(event.chain, []).append(event)
        yield rows, grouped
        session.expunge_all()
        if case_id is not None:
            return
        after = rows[-1].id


def _link_problem(link: LinkProblem, chain: str, instance_id: int | None) -> Problem:
    event = link.event
    if link.kind == "missing":
        return Problem("missing", "audit_verify.missing", chain, instance_id, link.seq, None,
                       params={"found": event.seq if event else "—"})
    params = {"links_to": link.links_to} if link.links_to is not None else {}
    kind = "altered" if link.kind == "unlinked" else link.kind
    return Problem(kind, f"audit_verify.{link.kind}", chain, instance_id, link.seq,
                   event.id if event else None, params=params)


def _head_problem(chain: str, instance_id: int | None, reached: tuple[int, str],
                  head: tuple[int, str]) -> Problem | None:
    """The chain as followed against the head its owner keeps: shorter is truncated, else altered."""
    if reached == head:
        return None
    if reached[0] < head[0]:
        return Problem("truncated", "audit_verify.truncated", chain, instance_id, reached[0] + 1,
                       params={"head": head[0], "found": reached[0]})
    return Problem("altered", "audit_verify.head_altered", chain, instance_id, reached[0],
                   params={"head": head[0], "found": reached[0]})


def _checkpoint_problem(chain: str, instance_id: int | None, reached: tuple[int, str],
                        hash_at: Callable[[int], Event | None], checkpoints: CheckpointState) -> Problem | None:
    """The chain against the head the latest checkpoint recorded: shorter, or rewritten since."""
    recorded = checkpoints.heads.get(chain)
    if recorded is None or checkpoints.bad_id is not None:
        return None
    if recorded[0] > reached[0]:
        return Problem("truncated", "audit_verify.truncated_since_checkpoint", chain, instance_id, reached[0] + 1,
                       params={"checkpoint": checkpoints.last_id, "recorded": recorded[0], "found": reached[0]})
    at = hash_at(recorded[0])
    if at is not None and at.hash != recorded[1]:
        return Problem("altered", "audit_verify.rewritten", chain, instance_id, at.seq, at.id,
                       params={"checkpoint": checkpoints.last_id})
    return None


def _check_case(report: AuditReport, row: Any, events: list[Event], checkpoints: CheckpointState,
                documents: _Documents) -> None:
    report.checked_cases += 1
    events = [e for e in events if e.seq <= row.chain_seq]  # appended after the head was read: next run
    chain = case_chain(row.id)
    reached, link = walk_chain(events)
    report.checked_events += len(events)
    by_seq = {e.seq: e for e in events}
    problem = _link_problem(link, chain, row.id) if link is not None else (
        _head_problem(chain, row.id, reached, (row.chain_seq, row.chain_hash))
        or _checkpoint_problem(chain, row.id, reached, by_seq.get, checkpoints))
    if problem is not None:
        report.add(problem)
    stated = next((e for e in reversed(events) if isinstance(e.payload, dict) and "state_sha256" in e.payload), None)
    if stated is None:
        if events:
            report.not_covered.append(row.id)
    elif row.state_json is None or state_digest(row.state_json) != stated.payload["state_sha256"]:
        report.add(Problem("state_edited", "audit_verify.state_edited", chain, row.id, stated.seq, stated.id))
    for problem in documents.check(chain, row.id, events):
        report.add(problem)


def _check_other_chains(session: Session, report: AuditReport, checkpoints: CheckpointState) -> None:
    """The chains outside cases (deployments, users, calendar), streamed in batches of events."""
    for head in session.execute(select(AuditChain).order_by(AuditChain.chain)).scalars().all():
        reached, link, recorded_event = (0, GENESIS), None, None
        recorded_seq = checkpoints.heads.get(head.chain, (0, ""))[0]
        while reached[0] < head.seq and link is None:
            batch = list(session.execute(select(Event).where(Event.chain == head.chain, Event.seq > reached[0],
                                                             Event.seq <= head.seq).order_by(Event.seq)
                                         .limit(EVENT_BATCH)).scalars())
            if not batch:
                break
            reached, link = walk_chain(batch, reached)
            report.checked_events += len(batch)
            recorded_event = next((e for e in batch if e.seq == recorded_seq), recorded_event)
        at_recorded = {recorded_event.seq: recorded_event} if recorded_event is not None else {}
        problem = _link_problem(link, head.chain, None) if link is not None else (
            _head_problem(head.chain, None, reached, (head.seq, head.hash))
            or _checkpoint_problem(head.chain, None, reached, at_recorded.get, checkpoints))
        if problem is not None:
            report.add(problem)
        session.expunge_all()


def _check_deleted_cases(report: AuditReport, checkpoints: CheckpointState, seen: set[str],
                         case_id: int | None) -> None:
    """A chain the latest checkpoint recorded whose case row is gone: the whole case was deleted."""
    wanted = [case_chain(case_id)] if case_id is not None else sorted(
        (c for c in checkpoints.heads if c.startswith("case:")), key=lambda c: int(c.split(":")[1]))
    for chain in wanted:
        if chain in checkpoints.heads and chain not in seen:
            report.add(Problem("case_deleted", "audit_verify.case_deleted", chain, int(chain.split(":")[1]),
                               params={"checkpoint": checkpoints.last_id,
                                       "recorded": checkpoints.heads[chain][0]}))


def _check_stray_events(session: Session, report: AuditReport, seen: set[str]) -> None:
    """Events of a chain no case or system head owns (a chain name edited): counted, then named."""
    total = int(session.execute(select(func.count(Event.id))).scalar() or 0)
    if total <= report.checked_events:
        return
    known = seen | set(session.execute(select(AuditChain.chain)).scalars())
    for chain, first_id, count in session.execute(select(Event.chain, func.min(Event.id), func.count(Event.id))
                                                  .group_by(Event.chain).order_by(Event.chain)):
        if chain in known:
            continue
        number = chain.split(":", 1)[1] if chain.startswith("case:") else ""
        if number.isdigit() and session.get(ProcessInstance, int(number)) is not None:
            continue  # a case started while this check ran
        report.add(Problem("altered", "audit_verify.stray", chain, None, None, first_id, params={"count": count}))


# --- documents ------------------------------------------------------------------------------------


class _Documents:
    """Uploads and archived copies named by a case's events; each file hashed once per run."""

    def __init__(self, store: DocumentStore, archive: Path):
        self.store, self.archive = store, archive.resolve()
        self.known: dict[str, str | None] = {}
        self.checked = 0

    def _upload(self, reference: str) -> str | None:
        if reference not in self.known:
            self.known[reference] = self.store.problem(reference)
        return self.known[reference]

    def _archived(self, path: str, sha256: str) -> str | None:
        key = f"archive:{path}:{sha256}"
        if key not in self.known:
            target = (self.archive / path).resolve()
            if not target.is_relative_to(self.archive) or not target.is_file():
                self.known[key] = "missing"
            else:
                with target.open("rb") as handle:
                    digest = hashlib.file_digest(handle, "sha256").hexdigest()
                self.known[key] = None if digest == sha256 else "damaged"
        return self.known[key]

    def check(self, chain: str, instance_id: int, events: list[Event]) -> Iterator[Problem]:
        named: set[str] = set()
        for event in events:
            for _variable, reference in references_within(event.payload):
                if reference in named:
                    continue
                named.add(reference)
                self.checked += 1
                problem = self._upload(reference)
                if problem:
                    yield Problem(f"document_{problem}", f"audit_verify.document_{problem}", chain, instance_id,
                                  event.seq, event.id, reference.split("/", 1)[1])
            for path, sha256 in _archive_entries(event):
                if path in named:
                    continue
                named.add(path)
                self.checked += 1
                problem = self._archived(path, sha256)
                if problem:
                    yield Problem(f"document_{problem}", f"audit_verify.archive_{problem}", chain, instance_id,
                                  event.seq, event.id, path)


def _archive_entries(event: Event) -> Iterator[tuple[str, str]]:
    payload = event.payload if isinstance(event.payload, dict) else {}
    if event.type != "service_task" or payload.get("operation") != "archive_documents":
        return
    result = payload.get("result")
    for entry in result if isinstance(result, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("path"), str) and isinstance(entry.get("sha256"), str):
            yield entry["path"], entry["sha256"]
