"""审批意见: comments on a case or one of its tasks; the people @mentioned are notified."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain import case_actions as rules
from service.domain.messages import Message
from service.persistence.audit import append_event
from service.persistence.models import CaseComment, HumanTask, ProcessInstance, User

from .access import check_may_see, load_viewer
from .action_steps import display_name, locked_step, refuse, scene_of
from .context import AppContext
from .errors import NotFound
from .notify import Notice, case_label, queue_notice
from .queries import visible_instance


def comment_dict(ctx: AppContext, comment: CaseComment, task_names: dict[int, str],
                 people: dict[str, str]) -> dict[str, Any]:
    return {"id": comment.id, "instance_id": comment.instance_id, "task_id": comment.task_id,
            "task_name": task_names.get(comment.task_id) if comment.task_id else None, "author": comment.author,
            "author_name": people.get(comment.author, comment.author),
            "text": comment.text, "mentions": list(comment.mentions or []),
            "created_at": comment.created_at.astimezone(ctx.tz).isoformat()}


def _task_names(session: Session, instance_id: int) -> dict[int, str]:
    return {t.id: t.name for t in session.execute(select(HumanTask).where(HumanTask.instance_id == instance_id))
            .scalars()}


def add_comment(ctx: AppContext, *, actor: str, text: object, instance_id: int | None = None,
                task_id: int | None = None) -> dict[str, Any]:
    """Store the comment on the case's chain and notify the people it mentions who may read the case."""
    now = ctx.now()

    def apply(session: Session, instance: ProcessInstance, task: HumanTask | None) -> dict[str, Any]:
        scene = scene_of(session, actor, instance, task)
        refuse(rules.comment_refusal(scene)
               or rules.text_refusal(text, "text", rules.COMMENT_MAX, Message("what.opinion")))
        body = str(text).strip()
        mentions = [m for m in rules.mentions_in(body, scene.org) if m != actor]
        refuse(rules.mention_refusal(scene, mentions))
        comment = CaseComment(instance_id=instance.id, task_id=task.id if task else None, author=actor, text=body,
                              mentions=mentions, created_at=now)
        session.add(comment)
        session.flush()
        where = f"「{task.name}」" if task else case_label(instance)
        queue_notice(ctx, session, instance=instance, usernames=mentions, notice=Notice(
            f"【@提到您】{display_name(scene, actor)}--{case_label(instance)}",
            (f"{display_name(scene, actor)} 在 {where} 的意见中提到了您 (mentioned you in a comment)：", "", body),
            f"/tasks/{task.id}" if task else f"/cases/{instance.id}"), now=now)
        append_event(session, type="comment_added", actor=actor, at=now, case=instance, payload={
            "comment_id": comment.id, "task_id": comment.task_id, "text": body, "mentions": mentions})
        return comment_dict(ctx, comment, {task.id: task.name} if task else {},
                            {p.username: p.display_name for p in scene.org.people.values()})
    what = f"commenting on {'task ' + str(task_id) if task_id is not None else 'case ' + str(instance_id)}"
    return locked_step(ctx, what=what, apply=apply, task_id=task_id, instance_id=instance_id)


def list_comments(ctx: AppContext, *, actor: str | None, instance_id: int | None = None,
                  task_id: int | None = None) -> list[dict[str, Any]]:
    """The comments of a case (all of them) or of one task, oldest first, for whoever may see the case."""
    with ctx.db.reading() as session:
        if task_id is not None:
            task = session.get(HumanTask, task_id)
            if task is None:
                raise NotFound("task.missing", task=task_id)
            instance_id = task.instance_id
            if actor is not None:
                check_may_see(session, load_viewer(session, actor), task.instance)
        else:
            assert instance_id is not None
            visible_instance(session, instance_id, actor)
        query = select(CaseComment).where(CaseComment.instance_id == instance_id)
        if task_id is not None:
            query = query.where(CaseComment.task_id == task_id)
        comments = list(session.execute(query.order_by(CaseComment.id)).scalars())
        authors = sorted({c.author for c in comments})
        people = dict(session.execute(select(User.username, User.display_name).where(User.username.in_(authors))).all())
        names = _task_names(session, instance_id)
        return [comment_dict(ctx, c, names, people) for c in comments]
