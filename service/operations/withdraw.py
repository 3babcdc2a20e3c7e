"""撤回: the starter takes a case back while nobody else has acted on it; it ends as cancelled."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain import case_actions as rules
from service.domain.case_actions import Act
from service.domain.messages import Message
from service.domain.task_actions import task_label
from service.persistence.audit import append_event
from service.persistence.models import Event, HumanTask, ProcessInstance

from .action_steps import locked_step, refuse, scene_of
from .case_closing import end_case
from .context import AppContext
from .notify import Notice, case_label, queue_notice


def acts_of_others(session: Session, instance: ProcessInstance) -> list[Act]:
    """What people other than the starter did on the case, oldest first, from its audit chain."""
    rows = session.execute(select(Event.actor, Event.type, Event.payload).where(
        Event.instance_id == instance.id, Event.actor != instance.started_by,
        Event.actor.not_in(sorted(rules.MACHINE_ACTORS)), Event.type.not_in(sorted(rules.NOT_ACTING)))
        .order_by(Event.seq).limit(20)).all()
    names = {t.id: t.name for t in session.execute(select(HumanTask).where(HumanTask.instance_id == instance.id))
             .scalars()}
    acts = []
    for actor, kind, payload in rows:
        task_id = (payload or {}).get("task_id")
        label = task_label(task_id, names.get(task_id, "")) if isinstance(task_id, int) else None
        acts.append(Act(actor, kind, label))
    return acts


def withdraw_case(ctx: AppContext, *, instance_id: int, actor: str, reason: object) -> dict[str, Any]:
    """Cancel the case with the starter's reason: open tasks, timers and incidents with it."""
    now = ctx.now()

    def apply(session: Session, instance: ProcessInstance, _task: HumanTask | None) -> dict[str, Any]:
        scene = scene_of(session, actor, instance)
        refuse(rules.withdraw_refusal(scene, acts_of_others(session, instance))
               or rules.text_refusal(reason, "reason", rules.REASON_MAX, Message("what.withdraw_reason")))
        text = str(reason).strip()
        closed = end_case(session, instance, actor=actor, now=now)
        queue_notice(ctx, session, instance=instance, usernames=[t.assignee or "" for t in closed], notice=Notice(
            f"【撤回】案例已撤回--{case_label(instance)}",
            (f"发起人撤回了案例 (the starter withdrew the case)：{case_label(instance)}", f"原因 (reason)：{text}",
             "您的待办已取消 (your task there is cancelled)。"), f"/cases/{instance.id}"), now=now)
        append_event(session, type="case_withdrawn", actor=actor, at=now, case=instance, payload={"reason": text})
        return {"id": instance.id, "status": instance.status}
    return locked_step(ctx, what=f"withdrawing case {instance_id}", instance_id=instance_id, apply=apply)
