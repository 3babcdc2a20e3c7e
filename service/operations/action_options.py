"""Which 审批 actions a person may take on a task or a case now, and with whom: the same rules the
actions apply, asked before anyone presses a button (the pages show only what would be allowed)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain import case_actions, task_actions
from service.domain.access import CUSTOMER_ROLE
from service.domain.task_actions import Refusal, Scene
from service.persistence.models import CaseCopy, Event, HumanTask

from .access import check_may_see
from .action_steps import scene_of
from .calendar import load_calendar
from .case_comments import list_comments
from .context import AppContext
from .errors import NotFound
from .queries import visible_instance
from .user_pickers import candidates
from .withdraw import acts_of_others

DRAFT_EVENTS = ("delegation_submitted", "task_held_for_signer")  # the events that leave a task's draft


def _may(refusal: Refusal | None) -> dict[str, Any]:
    return {"allowed": refusal is None, "why": refusal.message if refusal else ""}


def _iso(ctx: AppContext, moment: datetime | None) -> str | None:
    return moment.astimezone(ctx.tz).isoformat() if moment else None


def _copy_candidates(session: Session, scene: Scene) -> list[dict[str, str]]:
    """Everyone the case could be copied to: not the actor, not those already copied, not those who
    read every case anyway, and customer contacts only of the case's own customer."""
    copied = set(session.execute(select(CaseCopy.username).where(CaseCopy.instance_id == scene.case_id)).scalars())
    people = sorted(scene.org.people.values(), key=lambda p: p.username)
    return [{"value": p.username, "label": f"{p.display_name} ({p.username})"} for p in people
            if p.active and p.username != scene.actor.username and p.username not in copied
            and not task_actions.worker_of(p).reads_all
            and case_actions.copy_targets_refusal(scene, [p.username]) is None]


def _drafted_by_delegate(session: Session, task: HumanTask) -> str | None:
    """Who filled the task's draft, when the draft is a delegate's (a 加签 also keeps one)."""
    if not task.draft:
        return None
    rows = session.execute(select(Event.type, Event.actor, Event.payload).where(
        Event.instance_id == task.instance_id, Event.type.in_(DRAFT_EVENTS)).order_by(Event.seq.desc())).all()
    for kind, actor, payload in rows:
        if (payload or {}).get("task_id") == task.id:
            return actor if kind == "delegation_submitted" else None
    return None


def task_options(ctx: AppContext, task_id: int, actor: str) -> dict[str, Any]:
    """What `actor` may do on the task, the people they may hand it to, its delegation and comments."""
    with ctx.db.reading() as session:
        task = session.get(HumanTask, task_id)
        if task is None:
            raise NotFound("task.missing", task=task_id)
        instance = task.instance
        scene = scene_of(session, actor, instance, task)
        check_may_see(session, scene.actor, instance)
        cal = load_calendar(session, ctx)
        transfer = task_actions.transfer_refusal(scene)
        copy = case_actions.copy_refusal(scene)
        company = instance.customer if task.role == CUSTOMER_ROLE else None
        hand_to = [c for c in candidates(session, task.role, company) if c["value"] not in (actor, task.assignee)]
        result = {
            "task_id": task.id, "instance_id": instance.id,
            "transfer": _may(transfer), "by_supervisor": transfer is None and not task_actions.holds(scene),
            "delegate": _may(task_actions.delegate_refusal(scene)), "people": hand_to,
            "urge": _may(task_actions.urge_refusal(scene, cal, ctx.now())),
            "last_urged_at": _iso(ctx, task.last_urged_at),
            "next_urge_at": _iso(ctx, task_actions.next_urge_at(cal, scene.task)) if scene.task else None,
            "copy": _may(copy), "copy_people": _copy_candidates(session, scene) if copy is None else [],
            "comment": _may(case_actions.comment_refusal(scene)),
            "delegated_by": task.delegated_by, "delegate_name": task.assignee if task.delegated_by else None,
            "draft": task.draft, "drafted_by": _drafted_by_delegate(session, task),
        }
    result["comments"] = list_comments(ctx, actor=None, instance_id=task.instance_id)
    return result


def case_options(ctx: AppContext, instance_id: int, actor: str) -> dict[str, Any]:
    """What `actor` may do on the case as a whole: comment, copy, withdraw; and its comments."""
    with ctx.db.reading() as session:
        instance = visible_instance(session, instance_id, actor)
        scene = scene_of(session, actor, instance)
        copy = case_actions.copy_refusal(scene)
        withdraw = case_actions.withdraw_refusal(scene, acts_of_others(session, instance))
        result = {
            "instance_id": instance.id, "comment": _may(case_actions.comment_refusal(scene)),
            "copy": _may(copy), "copy_people": _copy_candidates(session, scene) if copy is None else [],
            "withdraw": _may(withdraw), "starter": actor == instance.started_by,
        }
    result["comments"] = list_comments(ctx, actor=None, instance_id=instance_id)
    return result
