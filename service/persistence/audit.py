"""The hash-chained event log: append under the head lock, verify end to end.

Each event's hash covers its own content and the previous event's hash, so
editing, deleting or reordering any row breaks every hash after it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuditHead, Event

GENESIS = "0" * 64


def event_hash(*, seq: int, instance_id: int | None, type: str, actor: str, occurred_at: datetime,
               payload: dict[str, Any], prev_hash: str) -> str:
    body = {
        "seq": seq,
        "instance_id": instance_id,
        "type": type,
        "actor": actor,
        "occurred_at": occurred_at.astimezone(timezone.utc).isoformat(timespec="microseconds"),
        "payload": payload,
        "prev_hash": prev_hash,
    }
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _locked_head(session: Session) -> AuditHead:
    """Lock the head once per transaction; later appends in the same transaction reuse it."""
    head = session.info.get("audit_head")
    if head is not None and head in session:
        return head
    head = session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, seq=0, hash=GENESIS)
        session.add(head)
        session.flush()
    session.info["audit_head"] = head
    return head


def append_event(session: Session, *, type: str, actor: str, at: datetime, payload: dict[str, Any],
                 instance_id: int | None = None) -> Event:
    """Append within the caller's transaction; the head row lock orders writers."""
    head = _locked_head(session)
    payload = json.loads(json.dumps(payload, ensure_ascii=False, default=str))
    seq = head.seq + 1
    digest = event_hash(seq=seq, instance_id=instance_id, type=type, actor=actor, occurred_at=at,
                        payload=payload, prev_hash=head.hash)
    event = Event(seq=seq, instance_id=instance_id, type=type, actor=actor, occurred_at=at,
                  payload=payload, prev_hash=head.hash, hash=digest)
    session.add(event)
    head.seq, head.hash = seq, digest
    return event


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""


def _events(session: Session, batch: int = 1000) -> Iterator[Event]:
    last = 0
    while True:
        rows = session.execute(select(Event).where(Event.seq > last).order_by(Event.seq).limit(batch)).scalars().all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def verify_chain(session: Session) -> ChainReport:
    prev, expected_seq, checked = GENESIS, 1, 0
    for event in _events(session):
        if event.seq != expected_seq:
            return ChainReport(False, checked, expected_seq, f"event {expected_seq} is missing")
        if event.prev_hash != prev:
            return ChainReport(False, checked, event.seq, "does not link to the event before it")
        recomputed = event_hash(seq=event.seq, instance_id=event.instance_id, type=event.type, actor=event.actor,
                                occurred_at=event.occurred_at, payload=event.payload, prev_hash=event.prev_hash)
        if recomputed != event.hash:
            return ChainReport(False, checked, event.seq, "content does not match its hash (altered)")
        prev, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    head = session.get(AuditHead, 1)
    if head is not None and head.seq != checked:
        return ChainReport(False, checked, checked + 1, f"head says {head.seq} events, found {checked} (truncated)")
    return ChainReport(True, checked)
