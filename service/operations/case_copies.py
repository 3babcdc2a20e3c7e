"""抄送: a case copied to people who only read it; copying someone twice changes nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain import case_actions as rules
from service.persistence.audit import append_event
from service.persistence.models import CaseCopy, HumanTask, ProcessInstance

from .action_steps import display_name, locked_step, refuse, scene_of
from .context import AppContext
from .notify import Notice, case_label, queue_notice


def copy_case(ctx: AppContext, *, actor: str, to: object, instance_id: int | None = None,
              task_id: int | None = None) -> dict[str, Any]:
    """Copy the case (from one of its tasks, or as a whole) to the people named; the new ones are told."""
    now = ctx.now()

    def apply(session: Session, instance: ProcessInstance, task: HumanTask | None) -> dict[str, Any]:
        scene = scene_of(session, actor, instance, task)
        refuse(rules.copy_refusal(scene) or rules.copy_targets_refusal(scene, to))
        assert isinstance(to, list)
        wanted = list(dict.fromkeys(str(n).strip() for n in to))
        present = set(session.execute(select(CaseCopy.username).where(CaseCopy.instance_id == instance.id)).scalars())
        added = [n for n in wanted if n not in present]
        if not added:
            return {"instance_id": instance.id, "copied": [], "already": wanted}
        for name in added:
            session.add(CaseCopy(instance_id=instance.id, username=name, copied_by=actor,
                                 task_id=task.id if task else None, created_at=now))
        queue_notice(ctx, session, instance=instance, usernames=added, notice=Notice(
            f"【抄送】{case_label(instance)}",
            (f"{display_name(scene, actor)} 把案例抄送给您，供您知悉 (copied this case to you, to read)：",
             case_label(instance)) + ((f"任务 (task)：{task.name}",) if task else ()), f"/cases/{instance.id}"),
            now=now)
        append_event(session, type="case_copied", actor=actor, at=now, case=instance,
                     payload={"to": added, "task_id": task.id if task else None})
        return {"instance_id": instance.id, "copied": added, "already": [n for n in wanted if n in present]}
    what = f"copying {'task ' + str(task_id) if task_id is not None else 'case ' + str(instance_id)}"
    return locked_step(ctx, what=what, apply=apply, task_id=task_id, instance_id=instance_id)
