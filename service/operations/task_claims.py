"""Claim and release: a task of a role becomes one person's, and back.

The same unit of work as any case step: the case row is locked first, then the task row, and the
event goes onto the case's chain.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain.task_actions import status_words, task_label
from service.persistence.audit import append_event
from service.persistence.models import Event, HumanTask, ProcessInstance, User

from .access import check_may_work, viewer_for
from .case_store import lock_instance
from .cases import lock_task
from .context import AppContext
from .errors import Conflict, Forbidden, NotFound
from .unit_of_work import run_step
from .users import find_user


def _task_step(ctx: AppContext, task_id: int, actor: str, kind: str,
               change: Callable[[Session, User, ProcessInstance, HumanTask], bool]) -> None:
    def attempt() -> None:
        with ctx.db.transaction() as session:
            user = find_user(session, actor)
            peek = session.get(HumanTask, task_id)
            if peek is None:
                raise NotFound("task.missing", task=task_id)
            instance = lock_instance(session, peek.instance_id)
            task = lock_task(session, task_id)
            if task.status != "open":
                raise Conflict("task.already", task=task_label(task_id, task.name), status=status_words(task.status))
            if change(session, user, instance, task):
                append_event(session, type=kind, actor=actor, at=ctx.now(), case=instance,
                             payload={"task_id": task.id, "element_id": task.element_id})
    run_step(attempt, what=f"{kind} on task {task_id}")


def claim_task(ctx: AppContext, *, task_id: int, actor: str) -> None:
    def claim(session: Session, user: User, instance: ProcessInstance, task: HumanTask) -> bool:
        if task.assignee == actor:
            return False
        if task.assignee:
            raise Conflict("task.claimed_by", task=task_label(task_id, task.name), user=task.assignee)
        check_may_work(session, viewer_for(user), instance, task)
        task.assignee = actor
        return True
    _task_step(ctx, task_id, actor, "task_claimed", claim)


# events that hand a task to one person; only a task its holder claimed may go back to the role
HANDING_EVENTS = ("task_created", "task_claimed", "task_transferred", "task_delegated", "delegation_submitted",
                  "task_sent_back")


def _claimed_by_holder(session: Session, task: HumanTask) -> bool:
    """Whether the task's holder took it by claiming (not the diagram, a transfer or a delegation)."""
    events = session.execute(select(Event.type, Event.payload).where(
        Event.instance_id == task.instance_id, Event.type.in_(HANDING_EVENTS)).order_by(Event.seq.desc())).all()
    for kind, payload in events:
        if (payload or {}).get("task_id") == task.id:
            return kind == "task_claimed" or (kind == "task_created" and not (payload or {}).get("assignee"))
    return True


def release_task(ctx: AppContext, *, task_id: int, actor: str) -> None:
    def release(session: Session, user: User, _instance: ProcessInstance, task: HumanTask) -> bool:
        if task.assignee != actor and "admin" not in user.role_ids:
            raise Forbidden("task.not_claimed_by", task=task_label(task_id, task.name), user=actor)
        if task.assignee and not _claimed_by_holder(session, task):
            raise Conflict("task.assigned_not_claimed", task=task_label(task_id, task.name), user=task.assignee)
        task.assignee = None
        return True
    _task_step(ctx, task_id, actor, "task_released", release)
