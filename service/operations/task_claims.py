"""Claim and release: a task of a role becomes one person's, and back."""

from __future__ import annotations

from service.persistence.audit import append_event

from .cases import lock_task
from .context import AppContext
from .errors import Conflict, Forbidden
from .users import find_user


def claim_task(ctx: AppContext, *, task_id: int, actor: str) -> None:
    with ctx.db.transaction() as session:
        user = find_user(session, actor)
        task = lock_task(session, task_id)
        if task.status != "open":
            raise Conflict(f"task {task_id} is already {task.status}")
        if task.assignee == actor:
            return
        if task.assignee:
            raise Conflict(f"task {task_id} is already claimed by '{task.assignee}'")
        if task.role not in user.role_ids:
            raise Forbidden(f"task {task_id} is for role '{task.role}'")
        task.assignee = actor
        append_event(session, type="task_claimed", actor=actor, at=ctx.now(), instance_id=task.instance_id,
                     payload={"task_id": task.id, "element_id": task.element_id})


def release_task(ctx: AppContext, *, task_id: int, actor: str) -> None:
    with ctx.db.transaction() as session:
        user = find_user(session, actor)
        task = lock_task(session, task_id)
        if task.status != "open":
            raise Conflict(f"task {task_id} is already {task.status}")
        if task.assignee != actor and "admin" not in user.role_ids:
            raise Forbidden(f"task {task_id} is not claimed by '{actor}'")
        task.assignee = None
        append_event(session, type="task_released", actor=actor, at=ctx.now(), instance_id=task.instance_id,
                     payload={"task_id": task.id, "element_id": task.element_id})
