"""Contract numbers: reserved for an approved contract, gap-free and unique per type and year.

Why a short transaction of its own, during the approving step: the number must be in the case's
variables for the steps after approval, so it is taken while the engine runs, not in the step's
write phase. The reservation is tied to the case (one number per case, `instance_id` unique): a step
that is computed again (the case changed meanwhile, a retry after an incident) gets the same number
back instead of a second one, so every number of the register belongs to a case that was approved.
The type's scheme row is locked first (FOR UPDATE on PostgreSQL; SQLite's write lock does the same),
so concurrent approvals of a type take consecutive sequences one after the other.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.domain.access import may_edit_numbering, may_read_master_data
from service.domain.contract_numbering import CONTRACT_TYPES, NumberScheme, scheme_problems, type_words
from service.persistence.audit import append_event
from service.persistence.contract_models import ContractNumber, ContractNumberScheme
from service.persistence.db import Database

from .context import AppContext
from .errors import Forbidden, NotFound, ValidationFailed
from .users import find_worker

REGISTER_PAGE = 200
EVENT = "contract_numbering_changed"


def _scheme(row: ContractNumberScheme) -> NumberScheme:
    return NumberScheme(row.contract_type, row.prefix, row.digits)


def reserve_contract_no(db: Database, *, instance_id: int, contract_type: str, year: int, now: datetime) -> str:
    """The case's contract number: the one it already holds, else the type's next one for `year`."""
    with db.transaction() as session:
        held = session.execute(select(ContractNumber.contract_no)
                               .where(ContractNumber.instance_id == instance_id)).scalar()
        if held:
            return str(held)
        row = session.execute(select(ContractNumberScheme).where(ContractNumberScheme.contract_type == contract_type)
                              .with_for_update()).scalar()
        if row is None:
            raise ValueError(f"no numbering scheme for contract type '{contract_type}' "
                             f"(known: {', '.join(CONTRACT_TYPES)})")
        last = session.execute(select(func.max(ContractNumber.sequence)).where(
            ContractNumber.contract_type == contract_type, ContractNumber.year == year)).scalar() or 0
        number = _scheme(row).number(year, last + 1)
        session.add(ContractNumber(contract_no=number, contract_type=contract_type, year=year, sequence=last + 1,
                                   instance_id=instance_id, issued_at=now))
        return number


def _staff(session: Session, actor: str) -> frozenset[str]:
    roles = find_worker(session, actor).roles
    if not may_read_master_data(roles):
        raise Forbidden("contracts.may_not_read", user=actor)
    return roles


def numbering(ctx: AppContext, *, actor: str, lang: str = "zh") -> dict[str, Any]:
    """Each type's scheme with the number its next contract would get this year, and who may change them."""
    year = ctx.now().astimezone(ZoneInfo(ctx.settings.timezone)).year
    with ctx.db.reading() as session:
        roles = _staff(session, actor)
        issued: dict[str, int] = {str(kind): int(top or 0) for kind, top in session.execute(
            select(ContractNumber.contract_type, func.max(ContractNumber.sequence))
            .where(ContractNumber.year == year).group_by(ContractNumber.contract_type))}
        rows = session.execute(select(ContractNumberScheme)).scalars().all()
    by_type = {row.contract_type: row for row in rows}
    schemes = []
    for kind in (k for k in CONTRACT_TYPES if k in by_type):
        row, taken = by_type[kind], issued.get(kind, 0)
        schemes.append({"contract_type": kind, "name": type_words(kind).render(lang), "prefix": row.prefix,
                        "digits": row.digits, "issued_this_year": taken,
                        "next_number": _scheme(row).number(year, taken + 1)})
    return {"year": year, "schemes": schemes, "may_edit": may_edit_numbering(roles)}


def change_scheme(ctx: AppContext, contract_type: str, *, prefix: object, digits: object, actor: str) -> dict[str, Any]:
    """A new prefix or number of digits for the type's future numbers; numbers issued keep theirs."""
    with ctx.db.transaction() as session:
        if not may_edit_numbering(find_worker(session, actor).roles):
            raise Forbidden("contracts.may_not_edit_numbering", user=actor)
        row = session.get(ContractNumberScheme, contract_type, with_for_update=True)
        if row is None:
            raise NotFound("contracts.unknown_type", type=str(contract_type)[:40])
        problems = scheme_problems(prefix, digits)
        if problems:
            raise ValidationFailed("contracts.scheme_refused", problems, type=type_words(contract_type))
        before = {"prefix": row.prefix, "digits": row.digits}
        row.prefix, row.digits = str(prefix).strip().upper(), int(str(digits).strip())
        row.updated_at, row.updated_by = ctx.now(), actor
        append_event(session, type=EVENT, actor=actor, at=ctx.now(),
                     payload={"contract_type": contract_type, "before": before,
                              "after": {"prefix": row.prefix, "digits": row.digits}})
        return {"contract_type": contract_type, "prefix": row.prefix, "digits": row.digits}


def register(ctx: AppContext, *, actor: str, contract_type: str | None = None, year: int | None = None,
             lang: str = "zh") -> list[dict[str, Any]]:
    """The numbers issued, newest first (at most REGISTER_PAGE), with the case each belongs to."""
    with ctx.db.reading() as session:
        _staff(session, actor)
        query = select(ContractNumber).order_by(ContractNumber.year.desc(), ContractNumber.contract_type,
                                                ContractNumber.sequence.desc())
        if contract_type:
            query = query.where(ContractNumber.contract_type == contract_type)
        if year:
            query = query.where(ContractNumber.year == year)
        rows = session.execute(query.limit(REGISTER_PAGE)).scalars().all()
    return [{"contract_no": r.contract_no, "contract_type": r.contract_type,
             "type_name": type_words(r.contract_type).render(lang), "year": r.year, "sequence": r.sequence,
             "instance_id": r.instance_id, "issued_at": r.issued_at.isoformat()} for r in rows]
