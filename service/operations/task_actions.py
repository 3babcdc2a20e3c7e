"""转办, 委派 and 催办 on one task: each one transaction on the locked case with its event and notices.

A delegated task keeps its owner: while `delegated_by` is set, `assignee` is the delegate, whose
submission (`submit_delegated`) fills `draft` and hands the task back; the owner then completes it
as any task, which is the only way the engine moves on.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain import task_actions as rules
from service.persistence.audit import append_event
from service.persistence.models import CaseCopy, HumanTask, ProcessInstance

from .action_steps import display_name, locked_step, refuse, scene_of
from .calendar import load_calendar
from .cases import checked_form_data
from .context import AppContext
from .notify import queue_notice, task_notice

__all__ = ["delegate_task", "submit_delegated", "transfer_task", "urge_task"]


def _result(task: HumanTask, instance: ProcessInstance, **extra: Any) -> dict[str, Any]:
    return {"task_id": task.id, "instance_id": instance.id, "status": instance.status, "task_status": task.status,
            "assignee": task.assignee, "delegated_by": task.delegated_by, **extra}


def _notify(ctx: AppContext, session: Session, task: HumanTask, usernames: list[str], subject: str, line: str,
            now: datetime) -> list[str]:
    return queue_notice(ctx, session, instance=task.instance, usernames=usernames,
                        notice=task_notice(ctx, task, subject, line), now=now)


def transfer_task(ctx: AppContext, *, task_id: int, actor: str, to: object) -> dict[str, Any]:
    """转办: the task becomes the target's; a supervisor doing it is reassigning (recorded as such)."""
    now = ctx.now()

    def apply(session: Session, instance: ProcessInstance, task: HumanTask | None) -> dict[str, Any]:
        assert task is not None
        scene = scene_of(session, actor, instance, task)
        refuse(rules.transfer_refusal(scene) or rules.target_refusal(scene, to))
        target = str(to).strip()
        holder = rules.holds(scene)
        before = task.assignee or (actor if holder else None)
        task.assignee = target
        _notify(ctx, session, task, [target], "【转办】任务转给您",
                f"{display_name(scene, actor)} 把这项任务转办给您 (this task was transferred to you)。", now)
        append_event(session, type="task_transferred", actor=actor, at=now, case=instance, payload={
            "task_id": task.id, "name": task.name, "from": before, "to": target, "by_supervisor": not holder})
        return _result(task, instance, by_supervisor=not holder)
    return locked_step(ctx, what=f"transferring task {task_id}", task_id=task_id, apply=apply)


def delegate_task(ctx: AppContext, *, task_id: int, actor: str, to: object) -> dict[str, Any]:
    """委派: the delegate fills the form; the task stays the delegator's and comes back to confirm."""
    now = ctx.now()

    def apply(session: Session, instance: ProcessInstance, task: HumanTask | None) -> dict[str, Any]:
        assert task is not None
        scene = scene_of(session, actor, instance, task)
        refuse(rules.delegate_refusal(scene) or rules.target_refusal(scene, to))
        target = str(to).strip()
        task.delegated_by, task.assignee = actor, target
        _keep_reading(session, instance, task, target, actor, now)
        _notify(ctx, session, task, [target], "【委派】请代为填写",
                f"{display_name(scene, actor)} 委派您填写这项任务，提交后交回其确认 "
                f"(delegated to you: fill in the form; it goes back for confirmation)。", now)
        append_event(session, type="task_delegated", actor=actor, at=now, case=instance, payload={
            "task_id": task.id, "name": task.name, "from": actor, "to": target})
        return _result(task, instance)
    return locked_step(ctx, what=f"delegating task {task_id}", task_id=task_id, apply=apply)


def _keep_reading(session: Session, instance: ProcessInstance, task: HumanTask, username: str, by: str,
                  now: datetime) -> None:
    """A delegate keeps reading the case after handing the task back (the link in their mail still
    works, and they see what they filled in): the case is copied to them, once."""
    if session.execute(select(CaseCopy.id).where(CaseCopy.instance_id == instance.id,
                                                 CaseCopy.username == username)).first() is None:
        session.add(CaseCopy(instance_id=instance.id, username=username, copied_by=by, task_id=task.id,
                             created_at=now))


def submit_delegated(ctx: AppContext, task_id: int, actor: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The delegate's submission: checked against the task's form, kept as the draft, task handed back.
    The engine does not move: the delegator confirms by completing the task (the form pre-filled)."""
    now = ctx.now()

    def apply(session: Session, instance: ProcessInstance, task: HumanTask | None) -> dict[str, Any]:
        assert task is not None
        scene = scene_of(session, actor, instance, task)
        refuse(rules.submit_refusal(scene))
        form = ctx.cached_forms(instance.definition).get(task.form_key or "")
        values = checked_form_data(ctx, session, form, data, task.name, instance.customer, instance.data)
        owner = task.delegated_by or ""
        task.draft, task.assignee, task.delegated_by = values, owner, None
        _notify(ctx, session, task, [owner], "【委派】已填好，请确认",
                f"{display_name(scene, actor)} 已填好您委派的任务，请确认后提交 "
                f"(the delegate has filled in the form: check and submit it)。", now)
        append_event(session, type="delegation_submitted", actor=actor, at=now, case=instance, payload={
            "task_id": task.id, "name": task.name, "from": actor, "to": owner, "data": values})
        return _result(task, instance, delegation="submitted")
    return locked_step(ctx, what=f"submitting delegated task {task_id}", task_id=task_id, apply=apply)


def urge_task(ctx: AppContext, *, task_id: int, actor: str) -> dict[str, Any]:
    """催办: a reminder (mail and mailbox) to whoever holds the task, at most once per working hour."""
    now = ctx.now()

    def apply(session: Session, instance: ProcessInstance, task: HumanTask | None) -> dict[str, Any]:
        assert task is not None
        scene = scene_of(session, actor, instance, task)
        cal = load_calendar(session, ctx)
        refuse(rules.urge_refusal(scene, cal, now))
        targets = [h for h in rules.holders(scene) if h != actor]
        notified = _notify(ctx, session, task, targets, "【催办】请尽快办理",
                           f"{display_name(scene, actor)} 催办这项任务，请尽快办理 (a reminder: please do this task)。",
                           now)
        task.last_urged_at = now
        append_event(session, type="task_urged", actor=actor, at=now, case=instance, payload={
            "task_id": task.id, "name": task.name, "to": notified or targets})
        return _result(task, instance, to=notified or targets,
                       next_urge_at=_iso(ctx, rules.working_time_after(cal, now, rules.URGE_INTERVAL)))
    return locked_step(ctx, what=f"urging task {task_id}", task_id=task_id, apply=apply)


def _iso(ctx: AppContext, moment: datetime) -> str:
    return moment.astimezone(ctx.tz).isoformat()

