"""Notices to people (assignment, 催办, 转办, @mentions): a mail in the outbox of the same transaction
as the change that caused it, so the in-app mailbox shows it too and nothing is sent for a change
that rolled back. Every notice names the task or case and carries a link to it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from service.adapters.mailer import make_message_id
from service.domain.due import due_standing, due_words
from service.domain.working_calendar import WorkingCalendar
from service.persistence.models import HumanTask, OutboxMail, ProcessInstance, User

from .calendar import load_calendar
from .context import AppContext


@dataclass(frozen=True)
class Notice:
    subject: str
    lines: tuple[str, ...]
    link: str  # a path of the pages, e.g. "/tasks/12"


def case_label(instance: ProcessInstance) -> str:
    return f"#{instance.id} {instance.business_key or instance.process_id}"


def when(ctx: AppContext, moment: datetime | None) -> str:
    return moment.astimezone(ctx.tz).strftime("%Y-%m-%d %H:%M") if moment else "—"


def queue_notice(ctx: AppContext, session: Session, *, instance: ProcessInstance | None,
                 usernames: Iterable[str], notice: Notice, now: datetime) -> list[str]:
    """Queue one mail to the named active users; returns who was notified (those with an address)."""
    names = sorted({n for n in usernames if n})
    if not names:
        return []
    people = [p for p in session.execute(select(User.username, User.display_name, User.email).where(
        User.username.in_(names), User.active.is_(True)).order_by(User.username)) if p.email]
    if not people:
        return []
    settings = ctx.settings
    body = "\n".join([*notice.lines, "", f"打开 (open): {settings.base_url}{notice.link}"])
    session.add(OutboxMail(
        kind="notice", instance_id=instance.id if instance is not None else None,
        message_id=make_message_id(settings.mail_domain, now), thread_root=None, in_reply_to=None, references=[],
        subject=notice.subject[:512], sender={"name": "规程 Guicheng", "email": settings.mail_sender},
        to=[{"name": p.display_name, "email": p.email} for p in people], cc=[], body=body, status="pending",
        attempts=0, created_at=now))
    return [p.username for p in people]


def due_line(ctx: AppContext, task: HumanTask) -> str:
    """The deadline as the pages say it: the time, and the working hours to go or past."""
    if task.due_at is None:
        return f"期限 (due)：{due_words(None, 'zh')} ({due_words(None, 'en')})"
    session = object_session(task)
    calendar = load_calendar(session, ctx) if session is not None else WorkingCalendar([], tz=ctx.settings.timezone)
    standing = due_standing(calendar, task.due_at, ctx.now())
    return f"期限 (due)：{when(ctx, task.due_at)}，{due_words(standing, 'zh')} ({due_words(standing, 'en')})"


def task_notice(ctx: AppContext, task: HumanTask, subject: str, *lines: str) -> Notice:
    """A notice about one task: what, which case, until when, and the link to the task (the open link)."""
    instance = task.instance
    case_link = f"{ctx.settings.base_url}/cases/{instance.id}"
    return Notice(f"{subject}：{task.name}--{case_label(instance)}", (
        *lines, f"任务 (task)：{task.name}", f"案例 (case)：{case_label(instance)} {case_link}",
        due_line(ctx, task)), f"/tasks/{task.id}")


def notify_assignee(ctx: AppContext, session: Session, task: HumanTask, now: datetime) -> list[str]:
    """Tell the person a task was assigned to (by the diagram, a transfer or a delegation)."""
    notice = task_notice(ctx, task, "【待办】您有新的任务", "您有一项新的待办任务 (a task was assigned to you)。")
    return queue_notice(ctx, session, instance=task.instance, usernames=[task.assignee or ""], notice=notice,
                        now=now)
