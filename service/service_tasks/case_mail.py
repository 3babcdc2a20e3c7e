"""Notifications the procedure prescribes, by template, to the people it names; optionally in the
request's thread. Recipients are relative (`starter`, `starter_group_leader`, `role:tech_director`…,
see domain.organisation); `to_roles`/`cc_roles` are the older names of `to`/`cc`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.domain.mail_templates import render

from .context import ServiceContext
from .recipients import CHECKS, resolve, specs
from .registry import operation


@operation("send_case_mail", required=("template",),
           optional=("to", "cc", "to_roles", "cc_roles", "reply_in_thread", "working_days_only"), checks=CHECKS)
def send_case_mail(ctx: ServiceContext, params: Mapping[str, Any]) -> dict[str, Any]:
    """Mail a template to the people the diagram names for this case."""
    if params.get("working_days_only") and not ctx.calendar.is_workday(ctx.now.astimezone(ctx.calendar.tz).date()):
        return {"sent": False, "reason": "非工作日不发送 (not a working day)"}
    to_specs = specs(params, "to", "to_roles")
    if not to_specs:
        raise ValueError("send_case_mail needs the parameter 'to' (whom to mail)")
    template = render(str(params["template"]), ctx.data)
    to, cc, named = resolve(ctx, to_specs, specs(params, "cc", "cc_roles"))
    if not to:
        raise ValueError(f"nobody is named by {to_specs} in this case: check the organisation (superiors, roles)")
    mail = ctx.send(subject=f"{template.subject}", to=to, cc=cc, body=template.body,
                    reply_in_thread=bool(params.get("reply_in_thread")))
    return {"sent": True, "message_id": mail.message_id, "subject": mail.subject,
            "to": [a.email for a in to], "cc": [a.email for a in cc], "recipients": named}
