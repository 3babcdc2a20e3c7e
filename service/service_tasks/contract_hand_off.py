"""A signed sales contract hands over: it becomes after-sales master data and opens the implementation
project, whose first step is the requirements work plan (seed 002: 「签订后移交实施，从需求工作计划开始」).

Why requests and not writes: an operation never touches the database. `register_sales_contract`
returns the contract as the after-sales desk keeps it; the step's write phase stores it in the same
transaction (operations.contract_registration). `open_implementation_project` asks for the project
case the way a visit plan asks for its orders (`case_starts`): the worker opens it exactly once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .context import ServiceContext
from .registry import operation

REGISTER_SALES_CONTRACT = "register_sales_contract"
IMPLEMENTATION_PROCESS = "implementation_project"
CONTRACT_FACTS = ("contract_no", "contract_type", "customer", "project", "amount", "address", "contact")
PRODUCT_KEYS = ("serial_no", "model", "name", "kind", "first_use_on", "ex_factory_on")


def _products(value: Any) -> list[dict[str, Any]]:
    rows = value if isinstance(value, list) else []
    return [{key: row.get(key) for key in PRODUCT_KEYS if row.get(key) not in (None, "")}
            for row in rows if isinstance(row, Mapping) and str(row.get("serial_no") or "").strip()]


@operation(REGISTER_SALES_CONTRACT, required=("contract_no", "customer"),
           optional=("project", "address", "contact", "signed_on", "service_until", "warranty_extension_years",
                     "products"))
def register_sales_contract(ctx: ServiceContext, params: Mapping[str, Any]) -> dict[str, Any]:
    """The contract as after-sales master data (stored by the step's write phase): number, customer,
    project, address, contact, dates and its products by serial number."""
    contract_no = str(params.get("contract_no") or "").strip()
    if not contract_no:
        raise ValueError(f"{REGISTER_SALES_CONTRACT}: the contract has no number yet (reserve_contract_no first)")
    record: dict[str, Any] = {key: params.get(key) for key in
                              ("project", "address", "contact", "signed_on", "service_until")
                              if params.get(key) not in (None, "")}
    record.update({"contract_no": contract_no, "customer": str(params.get("customer") or ""),
                   "warranty_extension_years": int(params.get("warranty_extension_years") or 0),
                   "products": _products(params.get("products"))})
    return record


@operation("open_implementation_project", required=("contract_no", "customer", "project"),
           optional=("contract_type", "amount", "address", "contact", "project_manager"))
def open_implementation_project(ctx: ServiceContext, params: Mapping[str, Any]) -> dict[str, Any]:
    """Ask for the contract's implementation project (an `implementation_project` case the worker opens),
    with the contract's facts and `contract_case` = this case. Returns the request as recorded."""
    data = {key: params[key] for key in CONTRACT_FACTS if params.get(key) not in (None, "")}
    if params.get("project_manager"):
        data["project_manager"] = params["project_manager"]
    data["contract_case"] = ctx.instance_id
    key = " / ".join(str(params.get(k) or "") for k in ("contract_no", "customer", "project")).strip(" /")
    request = {"process_id": IMPLEMENTATION_PROCESS, "business_key": key[:256], "data": data}
    ctx.case_starts.append(request)
    return request
