"""Who leads the service desk: the head of 售后服务部, read from the organisation when the order needs him.

Why an operation: the escalations (24 h on site, 48 h fixed) and the follow-up of a dissatisfied visit go
to the lead of the desk, not to everyone with the role. The organisation knows each department's leader;
the diagram names the department, so a renamed department is one parameter to change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.domain.organisation import PATH_SEPARATOR

from .context import ServiceContext
from .registry import operation


def _department(value: Any) -> str | None:
    return None if isinstance(value, str) and value.strip() else "expected a department path, e.g. '售后服务部'"


@operation("department_leader", required=("department",), optional=("fallback_role",),
           checks={"department": _department})
def department_leader(ctx: ServiceContext, params: Mapping[str, Any]) -> str:
    """The user name of the department's leader; without one, the first active person of `fallback_role`."""
    wanted = str(params["department"]).strip()
    organisation = ctx.directory()
    for path, leader in organisation.leaders.items():
        if path == wanted or path.split(PATH_SEPARATOR)[-1] == wanted:
            if leader and organisation.person(leader) is not None:
                return leader
    fallback = str(params.get("fallback_role") or "").strip()
    people = organisation.with_role(fallback) if fallback else []
    return people[0].username if people else ""
