"""A contract's recurring after-sales visits: when the next one is, and the dispatch order it opens.

Why two operations: `next_visit` is pure date arithmetic (the plan's timer waits for its result), and
`open_dispatch_order` only *asks* for the order: an operation never touches the database, so it appends
the request to `ServiceContext.case_starts`; the step's write phase records it in `case_starts` in the
same transaction as the step, and the worker opens the order once (operations.case_starts). Both
results go into the step's `service_task` event, so a replay of the plan gets them from the log and
asks for nothing again.

Visit dates are counted from the first visit, not from the previous one, so a plan that starts on the
31st visits on the last day of shorter months and on the 31st again after them. A visit date that is
not a working day moves to the next working day (the working calendar); the order is opened at the
start of that working day. The plan stops once the next visit date lies after `service_until`.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from service.adapters.clock import parse_instant
from service.domain.errors import InputRejected
from service.domain.messages import Message

from .context import ServiceContext
from .registry import operation

OPEN_DISPATCH_ORDER = "open_dispatch_order"
ORDER_PROCESS = "after_sales_service"
# visit kind → months between visits, the dispatch order's task type, and the kind's words
VISIT_KINDS: dict[str, tuple[int, str, str, str]] = {
    "monthly_visit": (1, "return_visit", "月度回访", "monthly visit"),
    "quarterly_maintenance": (3, "maintenance", "季度维护保养", "quarterly maintenance"),
    "yearly_service": (12, "maintenance", "年度保养服务", "yearly service"),
}
TASK_TYPE_NAMES = {"return_visit": "回访", "maintenance": "维护保养"}
# the contract facts a plan copies onto each order it opens (names of the order's start variables)
CONTRACT_FACTS = ("contract_id", "contract_no", "project", "customer", "address", "contact", "region_id",
                  "region_path")


def check_visit_kind(value: Any) -> str | None:
    return None if value in VISIT_KINDS else f"expected one of {', '.join(VISIT_KINDS)}"


def _kind(value: Any) -> tuple[int, str, str, str]:
    found = VISIT_KINDS.get(str(value))
    if found is None:
        raise InputRejected(Message("visit_plan.unknown_kind", {"kind": str(value)}), "visit_kind")
    return found


def _date(value: Any, field: str) -> date:
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise InputRejected(Message("visit_plan.not_a_date", {"value": str(value)}), field) from None


def add_months(start: date, months: int) -> date:
    """The same day `months` later, or the last day of that month when it is shorter."""
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    return date(year, month + 1, min(start.day, monthrange(year, month + 1)[1]))


def visit_date(first: date, kind: str, number: int) -> date:
    """The planned date of visit `number` (1 = the first visit)."""
    return add_months(first, _kind(kind)[0] * (number - 1))


def _not_before(ctx: ServiceContext, params: Mapping[str, Any]) -> date:
    value = params.get("not_before")
    if not value:
        return date.min
    return parse_instant(str(value), ctx.calendar.tz).astimezone(ctx.calendar.tz).date()


@operation("next_visit", required=("visit_kind", "first_visit_on", "service_until"),
           optional=("after", "not_before"), checks={"visit_kind": check_visit_kind})
def next_visit(ctx: ServiceContext, params: Mapping[str, Any]) -> dict[str, Any]:
    """The plan's next visit after visit number `after`: {number, on, at}; `at` is "" once the
    next visit date lies after `service_until` (the plan ends).

    `on` is the planned date, `at` the start of the working day the order is opened on. Visits planned
    before `not_before` (the plan's start) are skipped rather than opened late, all at once."""
    kind = str(params["visit_kind"])
    first = _date(params["first_visit_on"], "first_visit_on")
    until = _date(params["service_until"], "service_until")
    earliest = _not_before(ctx, params)
    number = int(params.get("after") or 0) + 1
    while (planned := visit_date(first, kind, number)) < earliest and planned <= until:
        number += 1
    if planned > until:
        return {"number": number - 1, "on": "", "at": ""}
    calendar = ctx.calendar
    day = calendar.next_workday_on_or_after(planned)
    opens = datetime.combine(day, calendar.start_of_day, tzinfo=calendar.tz)
    return {"number": number, "on": planned.isoformat(), "at": opens.isoformat()}


def order_business_key(plan_key: str, kind: str, visit_on: str) -> str:
    """What people call the order: the plan's contract, the kind of visit and its date."""
    words = _kind(kind)[2]
    return f"{plan_key} · {words} {visit_on}".strip(" ·")[:256]


@operation(OPEN_DISPATCH_ORDER, required=("visit_kind", "visit", "contract_no"),
           optional=tuple(f for f in CONTRACT_FACTS if f != "contract_no") + ("note",),
           checks={"visit_kind": check_visit_kind})
def open_dispatch_order(ctx: ServiceContext, params: Mapping[str, Any]) -> dict[str, Any]:
    """Ask for a dispatch order of this visit (an `after_sales_service` case opened by the worker).

    The order gets the contract facts, the task type of the visit kind (return_visit for a monthly
    visit, maintenance otherwise), the visit's time as `requested_at`, and `visit_plan_case` = this
    plan. Returns the request as recorded (the plan's history shows it)."""
    kind = str(params["visit_kind"])
    _months, task_type, kind_zh, kind_en = _kind(kind)
    visit = params["visit"] if isinstance(params["visit"], Mapping) else {}
    if not visit.get("at") or not visit.get("on"):
        raise ValueError(f"{OPEN_DISPATCH_ORDER}: 'visit' names no planned visit (next_visit's result): {visit!r}")
    data: dict[str, Any] = {f: params[f] for f in CONTRACT_FACTS if params.get(f) not in (None, "")}
    note = str(params.get("note") or "").strip()
    data.update({
        "task_type": task_type, "task_type_name": TASK_TYPE_NAMES[task_type],
        # a planned visit looks after the whole installation, claims no warranty and reports no fault
        "part_kind": "whole_unit", "fault_kind": "other", "warranty_claimed": False,
        "request_description": f"{kind_zh}（第 {visit.get('number')} 次，计划 {visit['on']}）"
                               f" / {kind_en} no. {visit.get('number')}, planned {visit['on']}"
                               + (f"\n{note}" if note else ""),
        "requested_at": str(visit["at"]),
        "visit_plan_case": ctx.instance_id,
    })
    request = {"process_id": ORDER_PROCESS, "business_key": order_business_key(ctx.business_key, kind, visit["on"]),
               "visit_number": visit.get("number"), "visit_on": visit["on"], "data": data}
    ctx.case_starts.append(request)
    return request
