"""Contract approval: the importance class, who approves at each level, and the contract number.

Why operations: the chain of approval levels comes from a decision table the process owner edits
(contract_approval_chain.dmn); who holds each level is the organisation's business, read when the
contract is submitted. An approver is never the applicant and never approves twice: a level whose
holder is the applicant, or who already approved at a lower level, is left out, and the step's event
says so (a group leader's own contract goes from the regional director on).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.domain.contract_numbering import CONTRACT_TYPES, IMPORTANCE, higher_importance

from .after_sales_people import department_leader
from .context import ServiceContext
from .registry import operation

# approval level → the relative recipient naming its holder for this applicant
LEVELS: dict[str, str] = {
    "sales_lead": "starter_group_leader",
    "regional_director": "starter_regional_director",
    "company_director": "company_sales_director",
}
TECH_LEVEL = "tech_director"
# how high in sales each level sits: an applicant at or above a level's height skips it (a group leader's
# own contract needs no group leader; a director's none from below). The company level is skipped only
# by the company director himself.
SALES_RANK = {"sales_lead": 1, "sales_director": 2}
LEVEL_RANK = {"sales_lead": 1, "regional_director": 2}
# the lane's role of each level: when the organisation names nobody for a level, its task goes to the whole
# role, which must not include the applicant
LEVEL_ROLE = {"sales_lead": "sales_lead", "regional_director": "sales_director", "tech_director": "tech_director",
              "company_director": "sales_director"}


def _importance(value: Any) -> str | None:
    return None if value in IMPORTANCE else f"expected one of {', '.join(IMPORTANCE)}"


def _contract_type(value: Any) -> str | None:
    return None if value in CONTRACT_TYPES else f"expected one of {', '.join(CONTRACT_TYPES)}"


@operation("contract_importance", required=("chosen", "floor"), checks={"chosen": _importance, "floor": _importance})
def contract_importance(ctx: ServiceContext, params: Mapping[str, Any]) -> str:
    """The higher of the class sales chose and the class the amount calls for (contract_importance.dmn)."""
    return higher_importance(str(params["chosen"] or ""), str(params["floor"] or ""))


@operation("contract_approvers", required=("sales_lead", "regional_director", "tech_director", "company_director"),
           optional=("tech_department",))
def contract_approvers(ctx: ServiceContext, params: Mapping[str, Any]) -> dict[str, Any]:
    """The approver of each level the chain needs: {level: user name}, plus `left_out`: {level: why}.

    A level maps to "" when nobody holds it (the task then goes to everyone with the lane's role)."""
    applicant = ctx.started_by
    person = ctx.directory().person(applicant)
    rank = max((SALES_RANK.get(role, 0) for role in (person.roles if person else ())), default=0)
    approvers: dict[str, str] = {}
    left_out: dict[str, str] = {}
    for level in ("sales_lead", "regional_director", "tech_director", "company_director"):
        if params.get(level) is not True:
            continue
        if rank and rank >= LEVEL_RANK.get(level, 99):
            left_out[level] = f"{applicant} applies from this level or above"
            continue
        if level == TECH_LEVEL:
            holder = department_leader(ctx, {"department": str(params.get("tech_department") or "技术部"),
                                             "fallback_role": "tech_director"})
        else:
            _addresses, named = ctx.recipients([LEVELS[level]])
            found = named.get(LEVELS[level]) or []
            holder = found[0] if found else ""
        if holder and holder == applicant:
            left_out[level] = f"{holder} is the applicant"
        elif not holder and person is not None and LEVEL_ROLE[level] in person.roles:
            left_out[level] = f"nobody above {applicant} holds this level"
        elif holder and holder in approvers.values():
            left_out[level] = f"{holder} approves at an earlier level"
        else:
            approvers[level] = holder
    return {**approvers, "left_out": left_out}


@operation("reserve_contract_no", required=("contract_type",), checks={"contract_type": _contract_type})
def reserve_contract_no(ctx: ServiceContext, params: Mapping[str, Any]) -> str:
    """The contract's number of its type and the year of approval (prefix-year-sequence, gap-free)."""
    contract_type = str(params["contract_type"])
    if contract_type not in CONTRACT_TYPES:
        raise ValueError(f"unknown contract type '{contract_type}' (known: {', '.join(CONTRACT_TYPES)})")
    year = ctx.now.astimezone(ctx.calendar.tz).year
    return ctx.reserve_contract_no(contract_type, year)
