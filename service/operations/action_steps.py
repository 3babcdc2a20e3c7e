"""The unit of work every 审批 action shares: lock the case row, then the task row, look at the scene,
apply the rule, write, append the event last — one transaction, retried like any case step."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm import Session

from service.domain.task_actions import Refusal, Scene, TaskState
from service.persistence.models import HumanTask, ProcessInstance

from .access import case_facts, viewer_for
from .case_store import lock_instance
from .cases import lock_task
from .context import AppContext
from .directory import load_organisation
from .errors import Conflict, Forbidden, NotFound, ValidationFailed
from .unit_of_work import run_step
from .users import find_user

T = TypeVar("T")
Apply = Callable[[Session, ProcessInstance, HumanTask | None], T]


def refuse(refusal: Refusal | None) -> None:
    """A rule's refusal as the error the edges know (403, 409, or 400 naming the field)."""
    if refusal is None:
        return
    if refusal.kind == "invalid":
        raise ValidationFailed(refusal.message, {refusal.field or "": refusal.message})
    raise (Forbidden if refusal.kind == "forbidden" else Conflict)(refusal.message)


def task_state(task: HumanTask) -> TaskState:
    return TaskState(task.id, task.name, task.role, task.status, task.assignee, task.delegated_by,
                     task.last_urged_at, task.completed_by)


def scene_of(session: Session, actor: str, instance: ProcessInstance, task: HumanTask | None = None) -> Scene:
    return Scene(viewer_for(find_user(session, actor)), load_organisation(session), instance.id, instance.status,
                 case_facts(session, instance), task_state(task) if task is not None else None)


def display_name(scene: Scene, username: str | None) -> str:
    person = scene.org.people.get(username or "")
    return f"{person.display_name} ({person.username})" if person else (username or "")


def _case_of(session: Session, task_id: int | None, instance_id: int | None) -> int:
    if task_id is not None:
        peek = session.get(HumanTask, task_id)
        if peek is None:
            raise NotFound("task.missing", task=task_id)
        return peek.instance_id
    assert instance_id is not None, "an action names a task or a case"
    return instance_id


def locked_step(ctx: AppContext, *, what: str, apply: Apply[T], task_id: int | None = None,
                instance_id: int | None = None) -> T:
    """Run `apply` on the locked case (and task) rows in one transaction, retried on a conflict."""
    def attempt() -> T:
        with ctx.db.transaction() as session:
            instance = lock_instance(session, _case_of(session, task_id, instance_id))
            if instance.status == "starting":
                raise NotFound("case.missing", case=instance.id)
            task = lock_task(session, task_id) if task_id is not None else None
            return apply(session, instance, task)
    return run_step(attempt, what=what)
