"""Ending a case before its diagram does (cancelled by an administrator, withdrawn by its starter).

Why one function: whatever ends a case early must leave nothing behind that could still fire or be
worked on — open tasks, waiting timers and open incidents are all closed with it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.persistence.models import HumanTask, Incident, ProcessInstance, Timer


def end_case(session: Session, instance: ProcessInstance, *, actor: str, now: datetime) -> list[HumanTask]:
    """Cancel the locked case with its open work; returns the tasks that were open (to tell their holders).
    The caller appends the event that says why."""
    open_tasks = list(session.execute(select(HumanTask).where(  # waiting for, and pending with, a 加签 too
        HumanTask.instance_id == instance.id, HumanTask.status.in_(("open", "waiting", "pending")))).scalars())
    for task in open_tasks:
        task.status, task.completed_at = "cancelled", now
    for timer in session.execute(select(Timer).where(Timer.instance_id == instance.id,
                                                     Timer.status.in_(("pending", "incident")))).scalars():
        timer.status = "cancelled"
    for incident in session.execute(select(Incident).where(Incident.instance_id == instance.id,
                                                           Incident.status == "open")).scalars():
        incident.status, incident.resolved_at, incident.resolved_by = "cancelled", now, actor
        incident.updated_at, incident.next_retry_at = now, None
    instance.status, instance.completed_at, instance.updated_at, instance.error = "cancelled", now, now, None
    return open_tasks
