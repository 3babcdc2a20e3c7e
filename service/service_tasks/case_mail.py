"""Notifications the procedure prescribes, by template, to roles; optionally in the request's thread."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.domain.mail_templates import render

from .context import ServiceContext
from .registry import operation


@operation("send_case_mail", required=("template", "to_roles"),
           optional=("cc_roles", "reply_in_thread", "working_days_only"))
def send_case_mail(ctx: ServiceContext, params: Mapping[str, Any]) -> dict[str, Any]:
    """Mail a template to the people holding the given roles."""
    if params.get("working_days_only") and not ctx.calendar.is_workday(ctx.now.astimezone(ctx.calendar.tz).date()):
        return {"sent": False, "reason": "非工作日不发送 (not a working day)"}
    template = render(str(params["template"]), ctx.data)
    to = ctx.addresses(list(params["to_roles"]))
    cc = ctx.addresses(list(params.get("cc_roles") or []))
    if not to:
        raise ValueError(f"nobody holds the role(s) {params['to_roles']}: add a user with that role")
    mail = ctx.send(subject=f"{template.subject}", to=to, cc=cc, body=template.body,
                    reply_in_thread=bool(params.get("reply_in_thread")))
    return {"sent": True, "message_id": mail.message_id, "subject": mail.subject,
            "to": [a.email for a in to], "cc": [a.email for a in cc]}
