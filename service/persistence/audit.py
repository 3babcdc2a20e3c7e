"""The hash-chained event log: one chain per case, checkpoints over all chains, verified end to end.

Why per case: the case row is already locked by every step of that case, so its chain head lives on
that row and writers of different cases never wait for one another (a single global head serialised
the whole system). Each event's hash covers its content and the previous event's hash in its chain, so
editing, deleting or reordering an event breaks its chain. A case deleted as a whole — row and events —
leaves no broken link, which is why checkpoints hash every chain head together at intervals: the
verifier rebuilds the heads a checkpoint recorded and finds the chain that is gone or shorter.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event as orm_event
from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from .models import AuditChain, AuditCheckpoint, Event, ProcessInstance

GENESIS = "0" * 64
SYSTEM_CHAIN = "system"
FULL_CHECKPOINT_EVERY = 100  # a full list of heads every N checkpoints, deltas in between
CHECKPOINT_LOCK_KEY = 0x6775_6963_6b70  # "guickp": the advisory lock of checkpoint writers


def case_chain(instance_id: int) -> str:
    return f"case:{instance_id}"


def _digest(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def state_digest(state_json: str) -> str:
    """The hash an engine step's event records of the state it stored: editing the state shows."""
    return hashlib.sha256(state_json.encode("utf-8")).hexdigest()


def event_hash(*, chain: str, seq: int, instance_id: int | None, type: str, actor: str,
               occurred_at: datetime, payload: dict[str, Any], prev_hash: str) -> str:
    return _digest({"chain": chain, "seq": seq, "instance_id": instance_id, "type": type, "actor": actor,
                    "occurred_at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
                    "payload": payload, "prev_hash": prev_hash})


_SYSTEM_HEAD = select(AuditChain.seq, AuditChain.hash).where(AuditChain.chain == SYSTEM_CHAIN)  # built once
Marker = tuple[int, str]  # the system chain's head: (seq, hash)
_MARKER = "system_marker"  # where a session keeps the head it read (session.info)


def system_marker(session: Session) -> Marker | None:
    """The system chain's head, without a lock. Every change of the calendar, the people, their roles
    and the processes appends to that chain in its own transaction, so anything read from those tables
    may be cached for as long as this marker stays the same."""
    if _MARKER not in session.info:  # read once per session; a system event of its own resets it
        row = session.execute(_SYSTEM_HEAD).first()
        note_marker(session, *(row if row is not None else (None, None)))
    marker: Marker | None = session.info[_MARKER]
    return marker


def marker_columns() -> list[Any]:
    """The system head as two columns of another query, so a step's first read learns it in passing."""
    head = AuditChain.chain == SYSTEM_CHAIN
    return [select(AuditChain.seq).where(head).scalar_subquery(),
            select(AuditChain.hash).where(head).scalar_subquery()]


def note_marker(session: Session, seq: int | None, digest: str | None) -> None:
    """The head a query read (`_SYSTEM_HEAD`, `marker_columns`): the session's marker, unless it has one."""
    if _MARKER not in session.info:
        session.info[_MARKER] = (int(seq), str(digest)) if seq is not None and digest is not None else None


def marker_seen(session: Session) -> Marker | None:
    """The head this session has read already, or None: no query."""
    return session.info.get(_MARKER)


def assume_marker(session: Session, marker: Marker | None) -> Session:
    """Let a later session of the same step take the head its first session read, instead of reading
    it again: the step then sees one version of the reference data from its read to its write (a
    change committed in between is as if it came after the step). None: the session reads its own."""
    if marker is not None:
        session.info[_MARKER] = marker
    return session


def _system_head(session: Session) -> AuditChain:
    """Lock the system chain's head once per transaction; later appends reuse it."""
    head = session.info.get("system_chain")
    if head is not None and head in session:
        return head
    head = session.execute(select(AuditChain).where(AuditChain.chain == SYSTEM_CHAIN)
                           .with_for_update()).scalar_one_or_none()
    if head is None:
        head = AuditChain(chain=SYSTEM_CHAIN, seq=0, hash=GENESIS)
        session.add(head)
    session.info["system_chain"] = head
    return head


def append_event(session: Session, *, type: str, actor: str, at: datetime, payload: dict[str, Any],
                 case: ProcessInstance | None = None) -> Event:
    """Append within the caller's transaction. `case` must be the locked case row (its id assigned)."""
    payload = json.loads(json.dumps(payload, ensure_ascii=False, default=str))
    if case is not None:
        chain, seq, prev = case_chain(case.id), (case.chain_seq or 0) + 1, case.chain_hash or GENESIS
    else:
        head = _system_head(session)
        chain, seq, prev = SYSTEM_CHAIN, head.seq + 1, head.hash
    instance_id = case.id if case is not None else None
    digest = event_hash(chain=chain, seq=seq, instance_id=instance_id, type=type, actor=actor,
                        occurred_at=at, payload=payload, prev_hash=prev)
    row = {"chain": chain, "seq": seq, "instance_id": instance_id, "type": type, "actor": actor,
           "occurred_at": at, "payload": payload, "prev_hash": prev, "hash": digest}
    session.info.setdefault(_PENDING, []).append(row)
    if case is not None:
        case.chain_seq, case.chain_hash = seq, digest
    else:
        head.seq, head.hash = seq, digest
        session.info.pop(_MARKER, None)
    return Event(**row)  # as written; not in the session, nothing reads an event's id back


# Events are written with one plain INSERT rather than as ORM objects: a step appends two to five of
# them, and the unit of work would insert them one statement at a time (SQLite) and track each. They
# go out at the next flush (so a query after an explicit flush sees them) or, at the latest, at commit.
_PENDING = "pending_events"


def write_pending_events(session: Session) -> None:
    rows = session.info.pop(_PENDING, None)
    if rows:
        session.connection().execute(insert(Event), rows)


@orm_event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    write_pending_events(session)


@orm_event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    write_pending_events(session)


@orm_event.listens_for(Session, "after_soft_rollback")
def _drop_pending_events(session: Session, _previous: Any) -> None:
    session.info.pop(_PENDING, None)


# --- checkpoints ----------------------------------------------------------------------------------


def current_heads(session: Session) -> dict[str, tuple[int, str]]:
    heads = {case_chain(i): (s, h) for i, s, h in session.execute(
        select(ProcessInstance.id, ProcessInstance.chain_seq, ProcessInstance.chain_hash)
        .where(ProcessInstance.chain_seq > 0))}
    heads.update({c.chain: (c.seq, c.hash) for c in session.execute(select(AuditChain)).scalars()})
    return heads


def heads_digest(heads: dict[str, tuple[int, str]]) -> str:
    return _digest({chain: [seq, digest] for chain, (seq, digest) in heads.items()})


def _checkpoint_hash(row: AuditCheckpoint) -> str:
    return _digest({"id": row.id, "created_at": row.created_at.astimezone(UTC).isoformat(
        timespec="microseconds"), "full": row.full, "heads": row.heads, "chain_count": row.chain_count,
        "digest": row.digest, "prev_hash": row.prev_hash})


def recorded_heads(session: Session) -> tuple[dict[str, tuple[int, str]], AuditCheckpoint | None]:
    """The heads as the latest checkpoint recorded them: its last full list plus the deltas after it."""
    last_full = session.execute(select(AuditCheckpoint.id).where(AuditCheckpoint.full.is_(True))
                                .order_by(AuditCheckpoint.id.desc()).limit(1)).scalar()
    rows = session.execute(select(AuditCheckpoint).where(AuditCheckpoint.id >= (last_full or 0))
                           .order_by(AuditCheckpoint.id)).scalars().all()
    heads: dict[str, tuple[int, str]] = {}
    for row in rows:
        heads.update({chain: (int(v[0]), str(v[1])) for chain, v in row.heads.items()})
    return heads, (rows[-1] if rows else None)


def _lock_checkpoints(session: Session) -> None:
    """One checkpoint writer at a time, or two workers would both link to the same predecessor.
    SQLite's write transaction already holds the database; PostgreSQL takes a transaction lock."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHECKPOINT_LOCK_KEY})


def write_checkpoint(session: Session, now: datetime) -> AuditCheckpoint | None:
    """Record every chain head; None when nothing changed since the last checkpoint."""
    _lock_checkpoints(session)
    previous, last = recorded_heads(session)
    heads = current_heads(session)
    if last is not None and heads == previous:
        return None
    count = session.execute(select(AuditCheckpoint.id).order_by(AuditCheckpoint.id.desc()).limit(1)).scalar() or 0
    full = last is None or count % FULL_CHECKPOINT_EVERY == 0
    changed = heads if full else {c: h for c, h in heads.items() if previous.get(c) != h}
    row = AuditCheckpoint(created_at=now, full=full, heads={c: [s, h] for c, (s, h) in changed.items()},
                          chain_count=len(heads), digest=heads_digest(heads),
                          prev_hash=last.hash if last is not None else GENESIS, hash="")
    session.add(row)
    session.flush()  # the id is part of the hash
    row.hash = _checkpoint_hash(row)
    return row


# --- verification ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad: str | None = None  # e.g. "case:12 event 4 (id 97)"
    reason: str = ""
    checkpoints: int = 0


def _events(session: Session, batch: int = 2000) -> Iterator[Event]:
    last = 0
    while True:
        rows = session.execute(select(Event).where(Event.id > last).order_by(Event.id).limit(batch)).scalars().all()
        if not rows:
            return
        yield from rows
        last = rows[-1].id


def _check_event(event: Event, expected: tuple[int, str]) -> str | None:
    seq, prev = expected
    if event.seq != seq:
        return f"event {seq} is missing (found {event.seq} next)"
    if event.prev_hash != prev:
        return "does not link to the event before it"
    recomputed = event_hash(chain=event.chain, seq=event.seq, instance_id=event.instance_id, type=event.type,
                            actor=event.actor, occurred_at=event.occurred_at, payload=event.payload,
                            prev_hash=event.prev_hash)
    return None if recomputed == event.hash else "content does not match its hash (altered)"


def _verify_checkpoints(session: Session, found: dict[str, tuple[int, str]],
                        at_seq: dict[tuple[str, int], str]) -> ChainReport | None:
    rows = session.execute(select(AuditCheckpoint).order_by(AuditCheckpoint.id)).scalars().all()
    prev, heads = GENESIS, dict[str, tuple[int, str]]()
    for row in rows:
        if row.prev_hash != prev or _checkpoint_hash(row) != row.hash:
            return ChainReport(False, 0, f"checkpoint {row.id}", "checkpoint altered or one before it removed")
        heads = {} if row.full else heads
        heads.update({chain: (int(v[0]), str(v[1])) for chain, v in row.heads.items()})
        if heads_digest(heads) != row.digest:
            return ChainReport(False, 0, f"checkpoint {row.id}", "checkpoint heads do not match its digest")
        prev = row.hash
    for chain, (seq, digest) in sorted(heads.items()):
        if at_seq.get((chain, seq)) != digest:
            have = found.get(chain, (0, ""))[0]
            return ChainReport(False, 0, f"{chain} event {seq}",
                               f"checkpoint {rows[-1].id} recorded {seq} events of {chain}, found {have} "
                               "(case deleted or truncated)")
    return None


def verify_chain(session: Session) -> ChainReport:
    """Every chain intact and complete, every head matching, every checkpointed chain still there."""
    found: dict[str, tuple[int, str]] = {}
    at_seq: dict[tuple[str, int], str] = {}
    checked = 0
    for event in _events(session):
        last_seq, last_hash = found.get(event.chain, (0, GENESIS))
        problem = _check_event(event, (last_seq + 1, last_hash))
        if problem:
            return ChainReport(False, checked, f"{event.chain} event {event.seq} (id {event.id})", problem)
        found[event.chain] = (event.seq, event.hash)
        at_seq[(event.chain, event.seq)] = event.hash
        checked += 1
    for chain, (seq, digest) in current_heads(session).items():
        if found.get(chain, (0, GENESIS)) != (seq, digest):
            have = found.get(chain, (0, ""))[0]
            return ChainReport(False, checked, f"{chain} event {have + 1}",
                               f"head says {seq} events, found {have} (truncated)")
    bad = _verify_checkpoints(session, found, at_seq)
    if bad is not None:
        return ChainReport(False, checked, bad.first_bad, bad.reason)
    count = session.execute(select(AuditCheckpoint.id).order_by(AuditCheckpoint.id.desc()).limit(1)).scalar() or 0
    return ChainReport(True, checked, checkpoints=count)


# --- verification, one chain at a time (the auditors' check streams cases through these) ----------


@dataclass(frozen=True)
class LinkProblem:
    """The first broken link of one chain: `kind` is missing, reordered, unlinked or altered."""

    kind: str
    event: Event | None  # the event where the chain breaks (None: the chain is shorter than its head)
    seq: int  # the position in the chain that is wrong
    links_to: int | None = None  # reordered: the position the event's predecessor hash really names


def recomputed_hash(event: Event) -> str:
    return event_hash(chain=event.chain, seq=event.seq, instance_id=event.instance_id, type=event.type,
                      actor=event.actor, occurred_at=event.occurred_at, payload=event.payload,
                      prev_hash=event.prev_hash)


def walk_chain(events: list[Event], start: tuple[int, str] = (0, GENESIS)
               ) -> tuple[tuple[int, str], LinkProblem | None]:
    """Follow `events` (one chain, in seq order) from `start`; the head reached and the first bad link.

    Why the three kinds: a gap in the numbers is a deleted event; an event whose predecessor hash names
    another event of the chain was moved; any other mismatch is an edit (of the event, or of the one
    before it when that one's hash was recomputed to hide the edit).
    """
    by_hash = {e.hash: e.seq for e in events}
    seq, prev = start
    for event in events:
        if event.seq != seq + 1:
            return (seq, prev), LinkProblem("missing", event, seq + 1)
        if event.prev_hash != prev:
            if event.prev_hash in by_hash:
                return (seq, prev), LinkProblem("reordered", event, event.seq, by_hash[event.prev_hash])
            if recomputed_hash(event) == event.hash:
                return (seq, prev), LinkProblem("unlinked", event, event.seq)
            return (seq, prev), LinkProblem("altered", event, event.seq)
        if recomputed_hash(event) != event.hash:
            return (seq, prev), LinkProblem("altered", event, event.seq)
        seq, prev = event.seq, event.hash
    return (seq, prev), None


@dataclass(frozen=True)
class CheckpointState:
    """The chain heads the checkpoints vouch for, or the first checkpoint that is not genuine."""

    heads: dict[str, tuple[int, str]]
    count: int
    last_id: int | None
    bad_id: int | None = None
    bad_kind: str = ""  # "altered" (hash or link) or "digest" (heads do not add up)


def checked_checkpoints(session: Session, batch: int = 500) -> CheckpointState:
    """Verify the checkpoints' own chain in batches and rebuild the heads the latest one recorded.

    Each row's hash covers its heads, digest and predecessor, so the chain of hashes proves every row;
    the digest is then checked once, on the heads rebuilt for the latest checkpoint.
    """
    prev, heads, count, last = GENESIS, dict[str, tuple[int, str]](), 0, None
    last_digest = ""
    after = 0
    while True:
        rows = session.execute(select(AuditCheckpoint).where(AuditCheckpoint.id > after)
                               .order_by(AuditCheckpoint.id).limit(batch)).scalars().all()
        if not rows:
            break
        for row in rows:
            if row.prev_hash != prev or _checkpoint_hash(row) != row.hash:
                return CheckpointState(heads, count, last, row.id, "altered")
            heads = {} if row.full else heads
            heads.update({chain: (int(v[0]), str(v[1])) for chain, v in row.heads.items()})
            prev, last, last_digest, count = row.hash, row.id, row.digest, count + 1
        after = rows[-1].id
    if last is not None and heads_digest(heads) != last_digest:
        return CheckpointState(heads, count, last, last, "digest")
    return CheckpointState(heads, count, last)
