"""Sales contracts and their products: found by the wildcard search, read, created, changed, deleted.

The checks of the values are `after_sales_contract_rules` (the form, the API and the import share them).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from service.domain.input_limits import text_problem
from service.domain.messages import Message
from service.domain.wildcard import LIKE_ESCAPE, like_pattern, terms
from service.persistence.after_sales_models import ContractProduct, SalesContract

from .after_sales_common import ensure_may_edit, record
from .after_sales_contract_rules import (
    CONTRACT_FIELDS,
    PRODUCT_FIELDS,
    ContractValues,
    ProductValues,
    check_contract,
    check_products,
)
from .context import AppContext
from .errors import NotFound, ValidationFailed

SEARCH_MAX = 200
SEARCH_TEXT_MAX = 200

# --- reading ---------------------------------------------------------------------------------------


def product_dict(product: ContractProduct) -> dict[str, Any]:
    return {"id": product.id, "serial_no": product.serial_no, "model": product.model, "name": product.name,
            "kind": product.kind, "first_use_on": _iso(product.first_use_on),
            "ex_factory_on": _iso(product.ex_factory_on)}


def contract_dict(contract: SalesContract, with_products: bool = True) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": contract.id, "contract_no": contract.contract_no, "project": contract.project,
        "customer": contract.customer, "address": contract.address, "contact": contract.contact,
        "signed_on": _iso(contract.signed_on), "service_until": _iso(contract.service_until),
        "warranty_extension_years": contract.warranty_extension_years, "visit_plan": list(contract.visit_plan or []),
        "updated_at": contract.updated_at.isoformat(), "updated_by": contract.updated_by}
    if with_products:
        found["products"] = [product_dict(p) for p in contract.products]
    return found


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


SEARCHED = (SalesContract.contract_no, SalesContract.project, SalesContract.address, SalesContract.customer)


def _search_query(text: str) -> Select[Any]:
    query = select(SalesContract)
    for term in terms(text):
        pattern = like_pattern(term)
        in_products = select(ContractProduct.contract_id).where(or_(
            func.lower(ContractProduct.serial_no).like(pattern, escape=LIKE_ESCAPE),
            func.lower(ContractProduct.model).like(pattern, escape=LIKE_ESCAPE)))
        query = query.where(or_(*(func.lower(column).like(pattern, escape=LIKE_ESCAPE) for column in SEARCHED),
                                SalesContract.id.in_(in_products)))
    return query


def search_problem(text: object) -> Message | None:
    if not isinstance(text, str):
        return Message("text.not_text")
    return text_problem(text, max_length=SEARCH_TEXT_MAX, single_line=True)


def search_contracts(ctx: AppContext, text: str, limit: int = SEARCH_MAX) -> list[dict[str, Any]]:
    """Contracts whose number, project, address or customer (or a product's serial no. or model) match
    every term of `text` (`*` wildcards, case-insensitive; empty: all), by contract no., at most `limit`."""
    _, rows = search_page(ctx, text, limit=limit)
    return rows


def search_page(ctx: AppContext, text: str, *, limit: int = SEARCH_MAX, offset: int = 0
                ) -> tuple[int, list[dict[str, Any]]]:
    """The total count of matches and one page of them (the list page pages through this)."""
    problem = search_problem(text)
    if problem:
        raise ValidationFailed("as_master.search_refused", {"q": problem})
    limit = max(1, min(int(limit), SEARCH_MAX))
    query = _search_query(text)
    with ctx.db.reading() as session:
        total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        rows = session.execute(query.order_by(SalesContract.contract_no).offset(max(0, offset))
                               .limit(limit)).scalars().all()
        return int(total), [contract_dict(c) for c in rows]


def contract(ctx: AppContext, contract_id: int) -> dict[str, Any]:
    """One contract with its products (NotFound when there is none of that id)."""
    with ctx.db.reading() as session:
        found = session.get(SalesContract, contract_id)
        if found is None:
            raise NotFound("as_master.contract_missing", id=contract_id)
        return contract_dict(found)


def contract_by_no(ctx: AppContext, contract_no: str) -> dict[str, Any] | None:
    with ctx.db.reading() as session:
        found = session.execute(select(SalesContract).where(SalesContract.contract_no == contract_no)).scalar()
        return contract_dict(found) if found is not None else None


def product_by_serial(ctx: AppContext, serial_no: str) -> list[dict[str, Any]]:
    """The products of that serial number (normally one) with their contract's id and number."""
    with ctx.db.reading() as session:
        rows = session.execute(select(ContractProduct, SalesContract.contract_no).join(SalesContract)
                               .where(ContractProduct.serial_no == serial_no)).all()
        return [{**product_dict(p), "contract_id": p.contract_id, "contract_no": no} for p, no in rows]


# --- changes ---------------------------------------------------------------------------------------


def apply_contract(contract: SalesContract, values: ContractValues) -> list[str]:
    """Set the values; the fields whose value changed."""
    changed = [name for name in CONTRACT_FIELDS if getattr(contract, name, None) != getattr(values, name)]
    for name in CONTRACT_FIELDS:
        setattr(contract, name, getattr(values, name))
    return changed


def apply_products(session: Session, contract: SalesContract, products: list[ProductValues]) -> dict[str, list[str]]:
    """Make the contract's products those given, kept by serial number (their ids stay); what changed."""
    by_serial = {p.serial_no: p for p in contract.products}
    wanted = {p.serial_no for p in products}
    report: dict[str, list[str]] = {"added": [], "changed": [], "removed": []}
    for product in list(contract.products):
        if product.serial_no not in wanted:
            contract.products.remove(product)
            report["removed"].append(product.serial_no)
    session.flush()  # a serial removed and added again in one save would clash with its old row
    for position, values in enumerate(products, start=1):
        row = by_serial.get(values.serial_no)
        if row is None:
            row = ContractProduct(serial_no=values.serial_no)
            contract.products.append(row)
            report["added"].append(values.serial_no)
        changed = [name for name in PRODUCT_FIELDS if getattr(row, name, None) != getattr(values, name)]
        if changed and values.serial_no not in report["added"]:
            report["changed"].append(values.serial_no)
        for name in PRODUCT_FIELDS:
            setattr(row, name, getattr(values, name))
        row.position = position
    return {key: value for key, value in report.items() if value}


def _checked(raw: dict[str, Any]) -> tuple[ContractValues, list[ProductValues] | None]:
    if not isinstance(raw, dict):
        raise ValidationFailed("as_master.contract_refused", {"": Message("as_master.object_expected")})
    values, errors = check_contract(raw)
    products: list[ProductValues] | None = None
    if "products" in raw:
        products, problems = check_products(raw.get("products"))
        errors.update(problems)
    if errors:
        raise ValidationFailed("as_master.contract_refused", errors)
    return values, products


def create_contract(ctx: AppContext, raw: dict[str, Any], *, actor: str) -> dict[str, Any]:
    """A new contract (with `products` when given); refused as a whole when any field is wrong."""
    with ctx.db.transaction() as session:
        ensure_may_edit(session, actor, "contracts")
        values, products = _checked(raw)
        if session.execute(select(SalesContract.id).where(SalesContract.contract_no == values.contract_no)).first():
            raise ValidationFailed("as_master.contract_refused", {"contract_no": Message(
                "as_master.contract_no_taken", {"contract_no": values.contract_no})})
        found = SalesContract(updated_at=ctx.now(), updated_by=actor)
        apply_contract(found, values)
        session.add(found)
        report = apply_products(session, found, products or [])
        session.flush()
        record(session, ctx, actor, "contract_created", contract_id=found.id, contract_no=found.contract_no,
               products=report)
        return contract_dict(found)


def update_contract(ctx: AppContext, contract_id: int, raw: dict[str, Any], *, actor: str) -> dict[str, Any]:
    """Change a contract; its products too when `products` is given (the list replaces them by serial no.).
    Orders already created keep the values they copied."""
    with ctx.db.transaction() as session:
        ensure_may_edit(session, actor, "contracts")
        values, products = _checked(raw)
        found = session.get(SalesContract, contract_id)
        if found is None:
            raise NotFound("as_master.contract_missing", id=contract_id)
        other = session.execute(select(SalesContract.id).where(SalesContract.contract_no == values.contract_no,
                                                               SalesContract.id != contract_id)).first()
        if other:
            raise ValidationFailed("as_master.contract_refused", {"contract_no": Message(
                "as_master.contract_no_taken", {"contract_no": values.contract_no})})
        changed = apply_contract(found, values)
        report = apply_products(session, found, products) if products is not None else {}
        if changed or report:
            found.updated_at, found.updated_by = ctx.now(), actor
            record(session, ctx, actor, "contract_updated", contract_id=found.id, contract_no=found.contract_no,
                   fields=changed, products=report)
        session.flush()
        return contract_dict(found)


def delete_contract(ctx: AppContext, contract_id: int, *, actor: str) -> None:
    """Remove a contract and its products; orders created from it keep the values they copied."""
    with ctx.db.transaction() as session:
        ensure_may_edit(session, actor, "contracts")
        found = session.get(SalesContract, contract_id)
        if found is None:
            raise NotFound("as_master.contract_missing", id=contract_id)
        record(session, ctx, actor, "contract_deleted", contract_id=found.id, contract_no=found.contract_no,
               products=[p.serial_no for p in found.products])
        session.delete(found)
