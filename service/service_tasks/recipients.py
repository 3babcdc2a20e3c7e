"""How a mail operation takes its recipients: relative specs (domain.organisation), checked at deploy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.adapters.mailer import Address
from service.domain.organisation import recipient_problem

from .context import ServiceContext


def check_recipients(value: Any) -> str | None:
    """Why a literal recipient list written in a diagram is wrong, or None."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        return "expected a list of recipients, e.g. ['starter', 'role:tech_director']"
    problems = [p for p in (recipient_problem(v) for v in value) if p]
    return "; ".join(problems) or None


def specs(params: Mapping[str, Any], *names: str) -> list[str]:
    """The recipient specs under the first of `names` given (`to`, or the older `to_roles`)."""
    for name in names:
        value = params.get(name)
        if value:
            return [value] if isinstance(value, str) else [str(v) for v in value]
    return []


def resolve(ctx: ServiceContext, to_specs: list[str], cc_specs: list[str]
            ) -> tuple[list[Address], list[Address], dict[str, dict[str, list[str]]]]:
    """To and Cc addresses (nobody twice, To wins) and, for the audit event, whom each spec named."""
    to, to_named = ctx.recipients(to_specs)
    cc, cc_named = ctx.recipients(cc_specs)
    in_to = {a.email for a in to}
    return to, [a for a in cc if a.email not in in_to], {"to": to_named, "cc": cc_named}


CHECKS = {"to": check_recipients, "cc": check_recipients, "to_roles": check_recipients,
          "cc_roles": check_recipients}
