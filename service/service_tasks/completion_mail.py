"""Rule 9: the engineer confirms completion by replying to all on the application mail,
or — when there was no application mail — by a new mail in the subject format to the same people."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.domain import notifications
from service.domain.mail_templates import render

from .context import ServiceContext
from .recipients import resolve
from .registry import operation


@operation("send_completion_mail")
def send_completion_mail(ctx: ServiceContext, params: Mapping[str, Any]) -> dict[str, Any]:
    """Reply-all in the application thread, or a new mail in the subject format."""
    template = render("completion", ctx.data)
    rules = notifications.COMPLETION_RECIPIENTS
    to, cc, named = resolve(ctx, list(rules.to), list(rules.cc))
    if ctx.request_thread():
        mail = ctx.send(subject="", to=to, cc=cc, body=template.body, reply_to_root=True)
        return {"message_id": mail.message_id, "subject": mail.subject, "reply": True, "recipients": named}
    subject = notifications.application_subject(
        str(ctx.data.get("customer", "")), str(ctx.data.get("project", "")), str(ctx.data.get("sales_name", "")),
        ctx.now.astimezone(ctx.calendar.tz).date())
    mail = ctx.send(subject=subject, to=to, cc=cc, body=template.body, starts_thread=True)
    return {"message_id": mail.message_id, "subject": subject, "reply": False, "recipients": named}
