"""Opening a dispatch order (派工单): the service desk finds the contract, picks the product by serial no.,
the sales region, the task type, the warranty flag (是否三包) and the fault, and the order starts as a case
of `after_sales_service` with the start variables of SPEC.

Why here and not in the page: what the order copies from the master data (contract, product dates,
region path, task-type name) is decided once, so the page, the API and a test build the same case; the
order keeps copies, so a contract corrected or a region moved later does not rewrite running orders.
Who may open one is `domain.access.may_create_dispatch_orders`; the start form of the process still
checks every value (a key it does not know is refused).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.domain.access import may_create_dispatch_orders
from service.domain.input_limits import text_problem
from service.domain.messages import Message

from . import after_sales_master as master
from . import cases
from .context import AppContext
from .errors import Forbidden, NotFound, ValidationFailed
from .users import find_user

PROCESS_ID = "after_sales_service"
FAULT_KINDS = ("hardware", "software", "other")
DESCRIPTION_MAX = 4000
SEARCH_LIMIT = 200
FIELDS = ("contract_id", "serial_no", "region_id", "task_type", "warranty_claimed", "fault_kind",
          "request_description")  # what the desk chooses, in the order the page asks


def check_may_create(ctx: AppContext, actor: str) -> None:
    """Refused (403) unless the actor is of the service desk."""
    with ctx.db.reading() as session:
        user = find_user(session, actor)
        roles = set(user.role_ids)
    if not may_create_dispatch_orders(roles):
        raise Forbidden("dispatch_order.create_forbidden", user=actor)


def find_contracts(ctx: AppContext, actor: str, text: str) -> list[dict[str, Any]]:
    """The contracts matching `text` (contract no., project, address, customer; `*` wildcards; empty: all),
    at most SEARCH_LIMIT, each with its products."""
    check_may_create(ctx, actor)
    return master.search_contracts(ctx, text or "", limit=SEARCH_LIMIT)


def choices(ctx: AppContext) -> dict[str, Any]:
    """What the order form offers: the region tree and the active task types."""
    return {"regions": master.region_tree(ctx), "task_types": master.task_types(ctx, active_only=True),
            "fault_kinds": list(FAULT_KINDS)}


def contract(ctx: AppContext, contract_id: int) -> dict[str, Any]:
    """One contract with its products (NotFound when there is none)."""
    return master.contract(ctx, contract_id)


def task_types(ctx: AppContext, active_only: bool = True) -> list[dict[str, Any]]:
    """The task types (code, name_zh, name_en) the orders name."""
    return master.task_types(ctx, active_only=active_only)


def _contract(ctx: AppContext, raw: Any, errors: dict[str, Message]) -> dict[str, Any] | None:
    if raw in (None, ""):
        errors["contract_id"] = Message("dispatch_order.contract_required")
        return None
    try:
        return master.contract(ctx, int(raw))
    except (TypeError, ValueError, NotFound):
        errors["contract_id"] = Message("dispatch_order.contract_missing", {"contract": str(raw)})
        return None


def _product(contract: dict[str, Any] | None, raw: Any, errors: dict[str, Message]) -> dict[str, Any] | None:
    serial = str(raw or "").strip()
    if not serial:
        errors["serial_no"] = Message("dispatch_order.serial_required")
        return None
    if contract is None:
        return None
    for product in contract.get("products") or []:
        if product["serial_no"] == serial:
            return dict(product)
    errors["serial_no"] = Message("dispatch_order.serial_not_in_contract",
                                  {"serial": serial, "contract": contract["contract_no"]})
    return None


def _region(ctx: AppContext, raw: Any, errors: dict[str, Message]) -> tuple[int, str] | None:
    if raw in (None, ""):
        errors["region_id"] = Message("dispatch_order.region_required")
        return None
    try:
        region_id = int(raw)
        return region_id, master.region_path(ctx, region_id)
    except (TypeError, ValueError, NotFound):
        errors["region_id"] = Message("dispatch_order.region_missing", {"region": str(raw)})
        return None


def _task_type(ctx: AppContext, raw: Any, errors: dict[str, Message]) -> dict[str, Any] | None:
    code = str(raw or "").strip()
    if not code:
        errors["task_type"] = Message("dispatch_order.task_type_required")
        return None
    for found in master.task_types(ctx, active_only=True):
        if found["code"] == code:
            return found
    errors["task_type"] = Message("dispatch_order.task_type_unknown", {"task_type": code})
    return None


def _flag(raw: Any, errors: dict[str, Message]) -> bool:
    """是否三包: a checkbox-like yes/no; nothing chosen is an error (the desk must say)."""
    if isinstance(raw, bool):
        return raw
    said = str(raw or "").strip().lower()
    if said in ("yes", "true", "1", "on", "是"):
        return True
    if said in ("no", "false", "0", "否"):
        return False
    errors["warranty_claimed"] = Message("dispatch_order.warranty_required")
    return False


def _description(raw: Any, errors: dict[str, Message]) -> str:
    text = str(raw or "").strip() if isinstance(raw, (str, type(None))) else ""
    if not text:
        errors["request_description"] = Message("dispatch_order.description_required")
        return ""
    if len(text) > DESCRIPTION_MAX:
        errors["request_description"] = Message("dispatch_order.description_too_long", {"limit": DESCRIPTION_MAX})
        return ""
    problem = text_problem(text, max_length=DESCRIPTION_MAX)
    if problem:
        errors["request_description"] = problem
    return text


def start_variables(ctx: AppContext, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The case's start variables (SPEC) from what the desk chose; ValidationFailed names every bad field."""
    errors: dict[str, Message] = {}
    contract = _contract(ctx, raw.get("contract_id"), errors)
    product = _product(contract, raw.get("serial_no"), errors)
    region = _region(ctx, raw.get("region_id"), errors)
    task_type = _task_type(ctx, raw.get("task_type"), errors)
    claimed = _flag(raw.get("warranty_claimed"), errors)
    fault_kind = str(raw.get("fault_kind") or "").strip()
    if fault_kind not in FAULT_KINDS:
        errors["fault_kind"] = Message("dispatch_order.fault_kind_required")
    description = _description(raw.get("request_description"), errors)
    if errors or contract is None or product is None or region is None or task_type is None:
        raise ValidationFailed("dispatch_order.refused", errors)
    return {
        "contract_id": contract["id"], "contract_no": contract["contract_no"], "project": contract["project"],
        "customer": contract["customer"], "address": contract["address"], "contact": contract["contact"],
        "region_id": region[0], "region_path": region[1],
        "task_type": task_type["code"], "task_type_name": task_type["name_zh"],
        "serial_no": product["serial_no"], "product_model": product["model"], "product_name": product["name"],
        "part_kind": product["kind"], "first_use_on": product["first_use_on"],
        "ex_factory_on": product["ex_factory_on"],
        "warranty_extension_years": int(contract.get("warranty_extension_years") or 0),
        "warranty_claimed": claimed, "fault_kind": fault_kind, "request_description": description,
        "requested_at": ctx.now().astimezone(ctx.tz).isoformat(),
    }


def create_order(ctx: AppContext, raw: Mapping[str, Any], *, actor: str) -> int:
    """Open the order as a case of `after_sales_service` started by the desk user; its id."""
    check_may_create(ctx, actor)
    return cases.start_case(ctx, process_id=PROCESS_ID, actor=actor, data=start_variables(ctx, raw))
