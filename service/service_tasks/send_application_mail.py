"""The technical-support application mail: the root of the request's thread."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.domain import notifications
from service.domain.mail_templates import due_line

from .context import ServiceContext
from .deadlines import received
from .recipients import CHECKS, resolve, specs
from .registry import operation


@operation("send_application_mail", required=("customer", "project", "sales_name"),
           optional=("received_at", "support_kind", "preparation", "document_contents", "due", "to", "cc"),
           checks=CHECKS)
def send_application_mail(ctx: ServiceContext, params: Mapping[str, Any]) -> dict[str, Any]:
    """Mail the application to the technical directors, Cc this salesperson's group leader, the
    regional and the company sales directors and GXM (rule 1; `to`/`cc` override).

    The body carries what rule 1 asks of an application: the preparation required and, for document
    support, the agreed table of contents; with `due`, the time by which the director must confirm."""
    received_local = received(ctx, params).astimezone(ctx.calendar.tz)
    subject = notifications.application_subject(
        str(params["customer"]), str(params["project"]), str(params["sales_name"]), received_local.date()
    )
    rules = notifications.APPLICATION_RECIPIENTS
    body = notifications.application_body(
        customer=str(params["customer"]), project=str(params["project"]), sales_name=str(params["sales_name"]),
        support_kind=str(params.get("support_kind") or ""), preparation=str(params.get("preparation") or ""),
        document_contents=str(params.get("document_contents") or ""),
        received_at=received_local.strftime("%Y-%m-%d %H:%M"),
    )
    if params.get("due"):
        body = f"{body}\n{due_line('确认期限', params['due'])}"
    to, cc, named = resolve(ctx, specs(params, "to") or list(rules.to), specs(params, "cc") or list(rules.cc))
    mail = ctx.send(subject=subject, to=to, cc=cc, body=body, starts_thread=True)
    return {"message_id": mail.message_id, "subject": subject, "to": [a.email for a in to],
            "cc": [a.email for a in cc], "recipients": named}
