"""Claim and release: a task of a role becomes one person's, and back."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service.persistence.audit import append_event
from service.persistence.models import HumanTask, User

from .cases import lock_task
from .context import AppContext
from .errors import Conflict, Forbidden
from .users import find_user


def _open_task(session: Session, task_id: int, actor: str) -> tuple[User, HumanTask]:
    user = find_user(session, actor)
    task = lock_task(session, task_id)
    if task.status != "open":
        raise Conflict(f"task {task_id} is already {task.status}")
    return user, task


def _record(ctx: AppContext, session: Session, task: HumanTask, kind: str, actor: str) -> None:
    append_event(session, type=kind, actor=actor, at=ctx.now(), instance_id=task.instance_id,
                 payload={"task_id": task.id, "element_id": task.element_id})


def claim_task(ctx: AppContext, *, task_id: int, actor: str) -> None:
    with ctx.db.transaction() as session:
        user, task = _open_task(session, task_id, actor)
        if task.assignee == actor:
            return
        if task.assignee:
            raise Conflict(f"task {task_id} is already claimed by '{task.assignee}'")
        if task.role not in user.role_ids:
            raise Forbidden(f"task {task_id} is for role '{task.role}'")
        task.assignee = actor
        _record(ctx, session, task, "task_claimed", actor)


def release_task(ctx: AppContext, *, task_id: int, actor: str) -> None:
    with ctx.db.transaction() as session:
        user, task = _open_task(session, task_id, actor)
        if task.assignee != actor and "admin" not in user.role_ids:
            raise Forbidden(f"task {task_id} is not claimed by '{actor}'")
        task.assignee = None
        _record(ctx, session, task, "task_released", actor)
