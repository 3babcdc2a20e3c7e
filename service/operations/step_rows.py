"""The inbox and timer rows a case step leaves behind, written from what the engine now waits on.

Why apart: these rows are the engine state made queryable (inboxes, the timer worker), so every step
must leave them matching the workflow. A step knows what its case waited on before it (a warm case
kept it; a stored one reads it off the state it loads), so only the difference is written — no rescan
of the case's rows. A change that moves a case to another version knows no such thing: it reads the
open rows and timers and reconciles them, which also repairs rows left out of step by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from service.domain.access import CUSTOMER_ROLE
from service.engine import runner
from service.persistence.models import HumanTask, ProcessInstance, Timer, User, UserRole
from service.persistence.read_cache import while_unchanged

LIVE = ("open", "waiting", "pending")  # a task waiting for an added signer (加签) is as alive as its diagram task


@dataclass(frozen=True)
class WaitedOn:
    """What a case waited on before a step, by engine task id: its ready user tasks and pending timers."""

    tasks: frozenset[str] = frozenset()
    timers: frozenset[str] = frozenset()

    @classmethod
    def of(cls, tasks: Iterable[Any], timers: Iterable[Any]) -> WaitedOn:
        """From what the engine waits on (anything with a `task_id`: its ready tasks, its timers)."""
        return cls(frozenset(t.task_id for t in tasks), frozenset(t.task_id for t in timers))


@dataclass(frozen=True)
class ReadyTask:
    task_id: str
    element_id: str
    name: str
    role: str
    form_key: str | None
    due_at: datetime | None
    assignee: str | None
    assignee_problem: str | None = None


def role_holders(session: Session) -> dict[tuple[str, str], str | None]:
    """(username, role) → company of every active person, read again only after a change to people."""
    return while_unchanged(session, "role_holders", lambda: {
        (name, role): company for name, role, company in session.execute(
            select(User.username, UserRole.role, User.company).join(UserRole).where(User.active.is_(True)))})


def _valid_assignees(session: Session, ready: list[ReadyTask], customer: str | None) -> list[ReadyTask]:
    """A named assignee must be an active user holding the task's role (a customer contact: of the
    case's customer); otherwise the task stays with the role (and the event says why), so a typo
    never strands a task with nobody and never hands a case to another customer."""
    named = {t.assignee for t in ready if t.assignee}
    if not named:
        return ready
    holders = role_holders(session)
    checked = []
    for task in ready:
        key = (task.assignee or "", task.role)
        if task.assignee and key not in holders:
            problem = f"'{task.assignee}' is not an active user with the role '{task.role}'"
            task = replace(task, assignee=None, assignee_problem=problem)
        elif task.assignee and task.role == CUSTOMER_ROLE and holders[key] != customer:
            problem = f"'{task.assignee}' is not a contact of the case's customer '{customer}'"
            task = replace(task, assignee=None, assignee_problem=problem)
        checked.append(task)
    return checked


def fresh_tasks(session: Session, ready: list[ReadyTask], before: WaitedOn | None, customer: str | None
                ) -> list[ReadyTask]:
    """The ready tasks this step may have made (for a warm case: exactly those that were not ready
    before), their named assignees checked; the others keep their rows as they are."""
    if before is not None:
        known = before.tasks
        ready = [t for t in ready if t.task_id not in known]
    return _valid_assignees(session, ready, customer)


def sync_tasks(session: Session, instance: ProcessInstance, ready_ids: set[str], fresh: list[ReadyTask],
               before: WaitedOn | None, now: datetime) -> list[HumanTask]:
    """Cancel the rows of tasks no longer ready (e.g. interrupted by a boundary timer), add rows for
    the fresh ones. The rows the caller changed itself (the task just completed) are written after
    this, so a bulk cancel cannot undo them."""
    if before is None:
        open_rows = list(session.execute(select(HumanTask).where(
            HumanTask.instance_id == instance.id, HumanTask.status.in_(LIVE))).scalars())
        for row in open_rows:
            if row.status in LIVE and row.engine_task_id not in ready_ids:
                row.status, row.completed_at = "cancelled", now
        known = {row.engine_task_id for row in open_rows}
    else:
        handled = {row.engine_task_id for row in session.dirty if isinstance(row, HumanTask)}  # e.g. just completed
        gone = sorted(before.tasks - ready_ids - handled)
        if gone:
            session.execute(update(HumanTask).where(
                HumanTask.instance_id == instance.id, HumanTask.engine_task_id.in_(gone),
                HumanTask.status.in_(LIVE)).values(status="cancelled", completed_at=now)
                .execution_options(synchronize_session=False))
        known = set()
    created = []
    for task in fresh:
        if task.task_id in known:
            continue
        row = HumanTask(instance_id=instance.id, engine_task_id=task.task_id, element_id=task.element_id,
                        name=task.name, role=task.role, form_key=task.form_key, due_at=task.due_at,
                        assignee=task.assignee, status="open", created_at=now)
        session.add(row)
        created.append(row)
    return created


def sync_timers(session: Session, instance: ProcessInstance, timers: list[runner.PendingTimer],
                before: WaitedOn | None, fired: str | None = None) -> None:
    waiting = {t.task_id: t for t in timers}
    if before is None:
        rows = [row for row in session.execute(select(Timer).where(
            Timer.instance_id == instance.id, Timer.status == "pending")).scalars()
            if row.status == "pending"]  # not the one fired in this step
        for row in rows:
            if row.engine_task_id not in waiting:
                row.status = "cancelled"
        known = {row.engine_task_id for row in rows}
    else:
        known = set(before.timers)
        gone = sorted(known - set(waiting) - {fired})  # the fired one is marked by the step's caller
        if gone:
            session.execute(update(Timer).where(
                Timer.instance_id == instance.id, Timer.engine_task_id.in_(gone), Timer.status == "pending")
                .values(status="cancelled").execution_options(synchronize_session=False))
    for task_id, timer in waiting.items():
        if task_id not in known:
            session.add(Timer(instance_id=instance.id, engine_task_id=task_id, element_id=timer.element_id,
                              due_at=timer.due_at, status="pending"))
