"""What a sales contract and its products may hold: the checks every way in applies alike.

Why apart: the contract form, the API and the workbook import all hand over plain values (text,
numbers, dates); `check_contract` and `check_product` return the clean values and a problem per field,
and the import names the field's column and row instead of the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from service.domain.messages import Message, Words

from .after_sales_common import day_value, text_value

KINDS = {"whole_unit": Words("整机", "whole unit"), "accessory": Words("配件", "accessory")}
VISIT_PLANS = {"monthly_visit": Words("每月回访", "monthly visit"),
               "quarterly_maintenance": Words("季度保养", "quarterly maintenance"),
               "yearly_service": Words("年度服务", "yearly service")}
MAX_EXTENSION_YEARS = 3
MAX_PRODUCTS = 500
CONTRACT_FIELDS = ("contract_no", "project", "customer", "address", "contact", "signed_on", "service_until",
                   "warranty_extension_years", "visit_plan")
PRODUCT_FIELDS = ("serial_no", "model", "name", "kind", "first_use_on", "ex_factory_on")
LENGTHS = {"contract_no": 64, "project": 256, "customer": 128, "address": 512, "contact": 256,
           "serial_no": 64, "model": 128, "name": 256}


@dataclass
class ContractValues:
    contract_no: str = ""
    project: str = ""
    customer: str = ""
    address: str = ""
    contact: str = ""
    signed_on: date | None = None
    service_until: date | None = None
    warranty_extension_years: int = 0
    visit_plan: list[str] = field(default_factory=list)


@dataclass
class ProductValues:
    serial_no: str = ""
    model: str = ""
    name: str = ""
    kind: str = "whole_unit"
    first_use_on: date | None = None
    ex_factory_on: date | None = None


# --- checks ----------------------------------------------------------------------------------------


def _by_word(words: dict[str, Words], text: str) -> str | None:
    folded = text.strip().casefold()
    for code, said in words.items():
        if folded in (code, said.zh, said.en.casefold()):
            return code
    return None


def kind_value(value: object, errors: dict[str, Message], key: str = "kind") -> str:
    found = _by_word(KINDS, value) if isinstance(value, str) and value.strip() else None
    if found is None:
        errors[key] = Message("as_master.kind_unknown")
        return "whole_unit"
    return found


def visit_plan_value(value: object, errors: dict[str, Message], key: str = "visit_plan") -> list[str]:
    """A list of plan codes, or a text of codes/names separated by commas (每月回访, quarterly_maintenance)."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        items: list[object] = [v for v in value.replace("，", ",").replace("、", ",").split(",") if v.strip()]
    elif isinstance(value, list):
        items = list(value)
    else:
        errors[key] = Message("as_master.visit_plan_unknown", {"value": str(value)[:40]})
        return []
    plan: list[str] = []
    for item in items:
        found = _by_word(VISIT_PLANS, item) if isinstance(item, str) else None
        if found is None:
            if isinstance(item, str) and item.strip() == "":
                continue
            errors[key] = Message("as_master.visit_plan_unknown", {"value": str(item)[:40]})
            return []
        if found not in plan:
            plan.append(found)
    return plan


def extension_value(value: object, errors: dict[str, Message], key: str = "warranty_extension_years") -> int:
    if value is None or value == "":
        return 0
    text = str(value).strip() if isinstance(value, int | str) and not isinstance(value, bool) else ""
    if not text.isascii() or not text.isdigit() or int(text) > MAX_EXTENSION_YEARS:
        errors[key] = Message("as_master.extension_range", {"max": MAX_EXTENSION_YEARS})
        return 0
    return int(text)


def check_contract(raw: dict[str, Any]) -> tuple[ContractValues, dict[str, Message]]:
    errors: dict[str, Message] = {}
    values = ContractValues(
        contract_no=text_value(raw.get("contract_no"), "contract_no", errors, max_length=LENGTHS["contract_no"],
                               required=True),
        project=text_value(raw.get("project"), "project", errors, max_length=LENGTHS["project"]),
        customer=text_value(raw.get("customer"), "customer", errors, max_length=LENGTHS["customer"]),
        address=text_value(raw.get("address"), "address", errors, max_length=LENGTHS["address"]),
        contact=text_value(raw.get("contact"), "contact", errors, max_length=LENGTHS["contact"]),
        signed_on=day_value(raw.get("signed_on"), "signed_on", errors),
        service_until=day_value(raw.get("service_until"), "service_until", errors),
        warranty_extension_years=extension_value(raw.get("warranty_extension_years"), errors),
        visit_plan=visit_plan_value(raw.get("visit_plan"), errors))
    if values.visit_plan and values.service_until is None and "service_until" not in errors:
        errors["service_until"] = Message("as_master.plan_needs_end")
    return values, errors


def check_product(raw: dict[str, Any]) -> tuple[ProductValues, dict[str, Message]]:
    errors: dict[str, Message] = {}
    values = ProductValues(
        serial_no=text_value(raw.get("serial_no"), "serial_no", errors, max_length=LENGTHS["serial_no"],
                             required=True),
        model=text_value(raw.get("model"), "model", errors, max_length=LENGTHS["model"]),
        name=text_value(raw.get("name"), "name", errors, max_length=LENGTHS["name"]),
        kind=kind_value(raw.get("kind") or "whole_unit", errors),
        first_use_on=day_value(raw.get("first_use_on"), "first_use_on", errors),
        ex_factory_on=day_value(raw.get("ex_factory_on"), "ex_factory_on", errors))
    if values.first_use_on and values.ex_factory_on and values.first_use_on < values.ex_factory_on:
        errors["first_use_on"] = Message("as_master.used_before_made")
    return values, errors


def check_products(raw: object) -> tuple[list[ProductValues], dict[str, Message]]:
    """Products as a list of dicts; errors keyed `products[3].serial_no`."""
    if raw is None:
        return [], {}
    if not isinstance(raw, list):
        return [], {"products": Message("as_master.products_list")}
    if len(raw) > MAX_PRODUCTS:
        return [], {"products": Message("as_master.too_many_products", {"max": MAX_PRODUCTS})}
    products, errors, seen = [], {}, set()
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            errors[f"products[{index}]"] = Message("as_master.products_list")
            continue
        product, problems = check_product(item)
        errors.update({f"products[{index}].{key}": message for key, message in problems.items()})
        if product.serial_no and product.serial_no.casefold() in seen:
            errors[f"products[{index}].serial_no"] = Message("as_master.serial_twice", {"serial": product.serial_no})
        seen.add(product.serial_no.casefold())
        products.append(product)
    return products, errors
