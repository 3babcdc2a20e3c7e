"""Send one of a procedure's mail templates to the people a diagram names: shared by the procedures
whose mails name their own object (a dispatch order, a contract) rather than the request's thread."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from service.domain.mail_templates import Template

from .context import ServiceContext
from .recipients import check_recipients, resolve, specs
from .registry import operation

Templates = Mapping[str, Callable[[Mapping[str, Any]], Template]]


def known_template(templates: Templates) -> Callable[[Any], str | None]:
    """The deploy check of a `template` parameter against a procedure's templates."""
    return lambda value: None if value in templates else f"unknown template (known: {', '.join(templates)})"


def send_template(ctx: ServiceContext, params: Mapping[str, Any], templates: Templates, what: str) -> dict[str, Any]:
    """Queue the template's mail to `to` (Cc `cc`); what the step's event records of it."""
    name = str(params["template"])
    if name not in templates:
        raise ValueError(f"unknown {what} mail template '{name}' (known: {', '.join(templates)})")
    template = templates[name](ctx.data)
    to_specs = specs(params, "to")
    to, cc, named = resolve(ctx, to_specs, specs(params, "cc"))
    if not to:
        raise ValueError(f"nobody is named by {to_specs} in this case: check the organisation (department leaders)")
    mail = ctx.send(subject=template.subject, to=to, cc=cc, body=template.body)
    return {"sent": True, "message_id": mail.message_id, "subject": mail.subject,
            "to": [a.email for a in to], "cc": [a.email for a in cc], "recipients": named}


def template_mail_operation(name: str, templates: Templates, what: str, description: str) -> None:
    """Register `name`: mail one of `templates` to the `to` (and `cc`) the diagram names, checked at deploy."""
    def handler(ctx: ServiceContext, params: Mapping[str, Any]) -> dict[str, Any]:
        return send_template(ctx, params, templates, what)

    handler.__doc__ = description
    operation(name, required=("template", "to"), optional=("cc",),
              checks={"to": check_recipients, "cc": check_recipients, "template": known_template(templates)})(handler)
