"""The write phase of a contract's hand-off: the signed sales contract stored as after-sales master data.

Why here: `register_sales_contract` (an operation, no database) only says what the contract is; this
module, called from the write phase of the same step, stores it under the checks every other way in
uses (the contract form, the API, the workbook import), in the step's transaction, with the master
data's own event naming the case. A contract number the desk already keeps (entered by hand before)
is brought up to date from the approved contract, its products kept by serial number. Values the
checks refuse store nothing: the case goes on, and its history says which field was wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.persistence.after_sales_models import SalesContract
from service.persistence.audit import append_event
from service.persistence.models import ProcessInstance
from service.service_tasks.contract_hand_off import REGISTER_SALES_CONTRACT

from .after_sales_common import record
from .after_sales_contract_rules import check_contract, check_products
from .after_sales_contracts import apply_contract, apply_products
from .context import AppContext
from .step_services import ServiceCall

REFUSED_EVENT = "contract_not_registered"


def register_contracts(ctx: AppContext, session: Session, instance: ProcessInstance, calls: Iterable[ServiceCall],
                       now: datetime) -> None:
    for call in calls:
        if call.operation == REGISTER_SALES_CONTRACT and isinstance(call.result, dict):
            _register(ctx, session, instance, call.result, now)


def _register(ctx: AppContext, session: Session, instance: ProcessInstance, raw: dict[str, Any],
              now: datetime) -> None:
    values, errors = check_contract(raw)
    products, problems = check_products(raw.get("products"))
    errors.update(problems)
    if errors:
        append_event(session, type=REFUSED_EVENT, actor="system", at=now, case=instance,
                     payload={"contract_no": raw.get("contract_no"),
                              "errors": {key: message.render("zh") for key, message in errors.items()}})
        return
    found = session.execute(select(SalesContract).where(SalesContract.contract_no == values.contract_no)).scalar()
    change = "contract_updated" if found else "contract_created"
    if found is None:
        found = SalesContract(updated_at=now, updated_by=instance.started_by)
        session.add(found)
    fields = apply_contract(found, values)
    report = apply_products(session, found, products)
    found.updated_at, found.updated_by = now, instance.started_by
    session.flush()
    record(session, ctx, instance.started_by, change, contract_id=found.id, contract_no=found.contract_no,
           fields=fields, products=report, case=instance.id)
