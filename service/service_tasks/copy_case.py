"""抄送 as a diagram step: the people named may read the case from now on (抄送我的) and are told."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .context import ServiceContext
from .recipients import check_recipients, specs
from .registry import operation


@operation("copy_case", required=("to",), optional=("note",), checks={"to": check_recipients})
def copy_case(ctx: ServiceContext, params: Mapping[str, Any]) -> dict[str, Any]:
    """Copy the case to the people the recipients name (they read it, they do not work on it)."""
    addresses, named = ctx.recipients(specs(params, "to"))
    people = sorted({name for names in named.values() for name in names} - {ctx.started_by})
    ctx.copies.extend(p for p in people if p not in ctx.copies)
    if addresses:
        ctx.send(subject=f"【抄送】{ctx.business_key or ctx.process_id}", to=addresses, cc=[],
                 body=str(params.get("note") or "此案例已抄送给您，供您知悉 (this case was copied to you)。"))
    return {"copied": people, "recipients": named}
