"""What the after-sales service report (售后服务报告单) of a dispatch order says, from its case variables.

Why a module of its own: `operations.printables` decides who may print which document of a case; this one
only fills the report from the variables of SPEC (order, contract, product, fault, warranty decision and its
rule, service content, materials with their balance, owed parts, fees and total). The same report is laid
out as PDF (`adapters.service_report_pdf`) and as a page to print (`after_sales_order_report.html`), so
both say the same. Values the order holds as codes (fault kind, warranty decision, …) are worded through
the caller's `label`, in the reader's language; what people typed is printed as typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.adapters.service_report_pdf import ReportTable, ServiceReport
from service.domain.dispatch_order_state import instant, owed_lines
from service.persistence.models import ProcessInstance, User

from .context import AppContext

Label = Callable[[str], str]
MATERIAL_COLUMNS = ("as_report.material_no", "as_report.material_name", "as_report.requisitioned",
                    "as_report.returned", "as_report.balance")
OWED_COLUMNS = ("as_report.material_no", "as_report.material_name", "as_report.quantity", "as_report.owed_status",
                "as_report.owed_date")
FEE_COLUMNS = ("as_report.fee_item", "as_report.quantity", "as_report.amount")


def _names(session: Session, usernames: Iterable[str]) -> dict[str, str]:
    wanted = sorted({u for u in usernames if u})
    if not wanted:
        return {}
    return dict(session.execute(select(User.username, User.display_name).where(User.username.in_(wanted))).all())


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _number(value: Any) -> str:
    """A quantity as people write it: 2, 0.5 (not 2.0)."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return _text(value)
    return f"{number.normalize():f}" if number == number.to_integral() else f"{number:f}".rstrip("0")


def money(value: Any) -> str:
    """An amount in yuan with two decimals (what the customer pays)."""
    try:
        return f"{Decimal(str(value if value not in (None, '') else 0)):.2f}"
    except (InvalidOperation, ValueError):
        return _text(value)


def _worded(label: Label, group: str, value: Any) -> str:
    """A code of the order in words (`as_report.<group>.<code>`); an unknown code as it is."""
    if value in (None, ""):
        return ""
    key = f"as_report.{group}.{value}"
    said = label(key)
    return str(value) if said == key else said


def _moment(ctx: AppContext, value: Any, with_time: bool = True) -> str:
    moment = instant(value, ctx.tz)
    if moment is None:
        return _text(value)
    return moment.astimezone(ctx.tz).strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def material_balance(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The order's balance per part: as the process keeps it (`material_balance`), else summed from the
    requisitions and returns of `materials` (requisitioned − returned)."""
    kept = data.get("material_balance")
    if isinstance(kept, list) and kept:
        return [line for line in kept if isinstance(line, dict)]
    lines: dict[str, dict[str, Any]] = {}
    for move in data.get("materials") or []:
        if not isinstance(move, dict):
            continue
        key = _text(move.get("material_no"))
        line = lines.setdefault(key, {"material_no": key, "name": _text(move.get("name")), "requisitioned": Decimal(0),
                                      "returned": Decimal(0)})
        try:
            quantity = Decimal(str(move.get("quantity") or 0))
        except (InvalidOperation, ValueError):
            quantity = Decimal(0)
        line["returned" if move.get("movement") == "return" else "requisitioned"] += quantity
    return [{**line, "balance": line["requisitioned"] - line["returned"]} for line in lines.values()]


def _product(data: Mapping[str, Any]) -> str:
    return " ".join(part for part in (_text(data.get("product_model")), _text(data.get("product_name"))) if part)


def _decision(data: Mapping[str, Any]) -> Any:
    return data.get("warranty_decision") or data.get("warranty_proposal")


def build(ctx: AppContext, session: Session, instance: ProcessInstance, label: Label) -> ServiceReport:
    data = instance.data or {}
    engineer = _text(data.get("engineer"))
    names = _names(session, [engineer])
    order_no = _text(data.get("order_no")) or instance.business_key or f"#{instance.id}"
    facts = [("as_report.order_no", order_no), ("as_report.case", f"#{instance.id}"),
             ("as_report.contract_no", _text(data.get("contract_no"))),
             ("as_report.project", _text(data.get("project"))),
             ("as_report.customer", _text(data.get("customer") or instance.customer)),
             ("as_report.contact", _text(data.get("contact"))), ("as_report.address", _text(data.get("address"))),
             ("as_report.region", _text(data.get("region_path"))),
             ("as_report.task_type", _text(data.get("task_type_name") or data.get("task_type"))),
             ("as_report.engineer", names.get(engineer, engineer)),
             ("as_report.product", _product(data)), ("as_report.serial_no", _text(data.get("serial_no"))),
             ("as_report.part_kind", _worded(label, "part_kind", data.get("part_kind"))),
             ("as_report.requested_at", _moment(ctx, data.get("requested_at") or data.get("received_at"))),
             ("as_report.printed_on", ctx.now().astimezone(ctx.tz).strftime("%Y-%m-%d"))]
    fault = [("as_report.fault_kind", _worded(label, "fault_kind", data.get("fault_kind"))),
             ("as_report.fault_reason", _text(data.get("fault_reason"))),
             ("as_report.request_description", _text(data.get("request_description"))),
             ("as_report.diagnosis", _text(data.get("diagnosis")))]
    warranty = [("as_report.warranty_claimed", label("yes") if data.get("warranty_claimed") else label("no")),
                ("as_report.warranty_decision", _worded(label, "warranty", _decision(data))),
                ("as_report.warranty_rule", _text(data.get("warranty_rule")))]
    if data.get("warranty_override_reason"):
        warranty.append(("as_report.warranty_override_reason", _text(data.get("warranty_override_reason"))))
    materials = ReportTable(MATERIAL_COLUMNS, [
        [_text(line.get("material_no")), _text(line.get("name")), _number(line.get("requisitioned", 0)),
         _number(line.get("returned", 0)), _number(line.get("balance", 0))] for line in material_balance(data)])
    owed = ReportTable(OWED_COLUMNS, [
        [_text(line.get("material_no")), _text(line.get("name")), _number(line.get("quantity") or 1),
         _worded(label, "owed", line.get("status") or "owed"),
         _moment(ctx, line.get("delivered_at") or line.get("due"), with_time=False)]
        for line in [*owed_lines(data), *[p for p in data.get("owed_parts") or []
                                          if isinstance(p, dict) and p.get("status") == "delivered"]]])
    fee_lines = [line for line in data.get("fees") or [] if isinstance(line, dict)]
    total = data.get("fee_total")
    if total in (None, ""):
        total = sum((_decimal(line.get("amount")) for line in fee_lines), Decimal(0))
    free = bool(data.get("fee_free"))
    fees = ReportTable(FEE_COLUMNS, [[_text(line.get("name") or line.get("code")), _number(line.get("quantity") or 1),
                                      money(line.get("amount"))] for line in fee_lines],
                       total=(label("as_report.fee_total"), "", money(0 if free else total)))
    return ServiceReport(order_no=order_no, facts=facts, fault=fault, warranty=warranty,
                         service_content=_text(data.get("service_content")),
                         handling_report=_text(data.get("handling_report")),
                         materials=materials, owed_parts=owed, fees=fees,
                         notes=("as_report.fee_free",) if free else ())


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value if value not in (None, "") else 0))
    except (InvalidOperation, ValueError):
        return Decimal(0)
