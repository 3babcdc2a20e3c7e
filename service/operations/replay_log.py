"""What a replay reads: a case's events in chain order, the versions it ran on, and what is stored now.

Read in one session so the stored facts and the log are of the same moment. The specs come from the
per-version cache the live steps use: a version's spec never changes after it is deployed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.persistence.models import Event, HumanTask, ProcessDefinition, ProcessInstance, Timer

from .case_store import case_or_missing

LIVE_ROWS = ("open", "waiting", "pending")  # a task held for a 加签 signer is still the engine's ready task


@dataclass(frozen=True)
class LoggedEvent:
    seq: int
    id: int
    type: str
    actor: str
    at: datetime
    payload: dict[str, Any]

    def said(self, reason: str) -> dict[str, Any]:
        return {"seq": self.seq, "event_id": self.id, "type": self.type, "at": self.at.isoformat(),
                "actor": self.actor, "reason": reason}


@dataclass(frozen=True)
class StoredCase:
    """The case as the database holds it now: what the replay must arrive at."""

    id: int
    process_id: str
    status: str
    definition_id: int
    state_json: str
    data: dict[str, Any]
    open_tasks: dict[str, str]  # engine task id → element id, of the live diagram task rows
    timers: dict[str, str]  # engine task id → due time (ISO, UTC) of the pending timer rows


@dataclass
class CaseLog:
    stored: StoredCase
    events: list[LoggedEvent]
    versions: dict[int, ProcessDefinition] = field(default_factory=dict)  # by definition id

    def version(self, process_id: str, number: Any) -> ProcessDefinition | None:
        return next((d for d in self.versions.values() if d.process_id == process_id and d.version == number), None)


def _stored(session: Session, instance: ProcessInstance) -> StoredCase:
    tasks = {row.engine_task_id: row.element_id for row in session.execute(select(HumanTask).where(
        HumanTask.instance_id == instance.id, HumanTask.kind == "engine",
        HumanTask.status.in_(LIVE_ROWS))).scalars()}
    timers = {row.engine_task_id: row.due_at.isoformat() for row in session.execute(select(Timer).where(
        Timer.instance_id == instance.id, Timer.status.in_(("pending", "incident")))).scalars()}
    return StoredCase(instance.id, instance.process_id, instance.status, instance.definition_id,
                      instance.state_json, dict(instance.data or {}), tasks, timers)


def read_case_log(session: Session, instance_id: int) -> CaseLog:
    instance = case_or_missing(session, instance_id)
    session.refresh(instance, ["state_json"])
    events = [LoggedEvent(e.seq, e.id, e.type, e.actor, e.occurred_at, dict(e.payload or {}))
              for e in session.execute(select(Event).where(Event.instance_id == instance_id)
                                       .order_by(Event.seq)).scalars()]
    # a case runs on versions of its own process only (a migration moves it within the process)
    versions = {d.id: d for d in session.execute(select(ProcessDefinition).where(
        ProcessDefinition.process_id == instance.process_id)).scalars()}
    return CaseLog(_stored(session, instance), events, versions)


def stored_case_ids(session: Session) -> list[int]:
    """Every case that has a history (a case still being created has none yet)."""
    return list(session.execute(select(ProcessInstance.id).where(ProcessInstance.chain_seq > 0)
                                .order_by(ProcessInstance.id)).scalars())
