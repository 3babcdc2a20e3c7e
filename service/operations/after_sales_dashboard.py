"""The service desk's dashboard: open dispatch orders by region and by task type, orders past their
24 h / 48 h deadlines, parts still owed, return visits due — and, for each number, the orders behind it.

Why a use case of its own: the numbers are read from the case variables of every `after_sales_service`
case (the contract of SPEC), counted the one way `domain.dispatch_order_state` defines, so a number and
the list it links to can never disagree. The dashboard is an overview across all orders for those the
policy lets read it (`domain.access.may_read_after_sales_dashboard`); opening a case is still decided by
the case policy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain import dispatch_order_state as state
from service.domain.access import may_read_after_sales_dashboard
from service.persistence.models import ProcessInstance

from .context import AppContext
from .errors import Forbidden, NotFound
from .users import find_user

PROCESS_ID = "after_sales_service"
MEASURES = ("open", "region", "type", "overdue_24h", "overdue_48h", "parts_owed", "visits_due")


@dataclass(frozen=True)
class _Order:
    case_id: int
    case_status: str
    business_key: str
    started_at: datetime
    data: Mapping[str, Any]


def _check_reader(session: Session, actor: str) -> None:
    user = find_user(session, actor)
    if not may_read_after_sales_dashboard(user.role_ids):
        raise Forbidden("dispatch_order.dashboard_forbidden", user=actor)


def _orders(session: Session) -> Iterator[_Order]:
    rows = session.execute(select(ProcessInstance.id, ProcessInstance.status, ProcessInstance.business_key,
                                  ProcessInstance.started_at, ProcessInstance.data)
                           .where(ProcessInstance.process_id == PROCESS_ID).order_by(ProcessInstance.id))
    for case_id, status, key, started_at, data in rows:
        yield _Order(case_id, status, key or "", started_at, data if isinstance(data, dict) else {})


def _matcher(show: str, value: str, now: datetime) -> Callable[[_Order], bool]:
    """Which orders a number of the dashboard counts (`show` one of MEASURES, `value` its region or type)."""
    def opened(o: _Order) -> bool:
        return state.is_open(o.case_status, o.data)

    tests: dict[str, Callable[[_Order], bool]] = {
        "open": opened,
        "region": lambda o: opened(o) and str(o.data.get("region_path") or "") == value,
        "type": lambda o: opened(o) and str(o.data.get("task_type") or "") == value,
        "overdue_24h": lambda o: state.overdue_on_site(o.case_status, o.data, now),
        "overdue_48h": lambda o: state.overdue_fix(o.case_status, o.data, now),
        "parts_owed": lambda o: bool(state.owed_lines(o.data)) and o.case_status in state.RUNNING_CASE,
        "visits_due": lambda o: state.visit_due(o.case_status, o.data),
    }
    if show not in tests:
        raise NotFound("dispatch_order.dashboard_unknown", show=show)
    return tests[show]


def _counted(values: Counter[str], names: Mapping[str, str]) -> list[dict[str, Any]]:
    """Most first, then by key; `share` is the bar's length against the largest."""
    top = max(values.values(), default=0)
    return [{"key": key, "name": names.get(key, key), "count": n, "share": round(100 * n / top) if top else 0}
            for key, n in sorted(values.items(), key=lambda item: (-item[1], item[0]))]


def _oldest_owed(orders: list[_Order], ctx: AppContext) -> dict[str, Any] | None:
    """The owed part waiting longest: the earliest due date (else the order's request time)."""
    found: list[tuple[datetime, _Order, Mapping[str, Any]]] = []
    for order in orders:
        for line in state.owed_lines(order.data):
            since = (state.instant(line.get("due"), ctx.tz) or state.instant(order.data.get("requested_at"), ctx.tz)
                     or order.started_at)
            found.append((since, order, line))
    if not found:
        return None
    since, first, part = min(found, key=lambda item: (item[0], item[1].case_id))
    return {"case_id": first.case_id, "order_no": _order_no(first), "material_no": str(part.get("material_no") or ""),
            "name": str(part.get("name") or ""), "since": since.astimezone(ctx.tz).isoformat()}


def _order_no(order: _Order) -> str:
    return str(order.data.get("order_no") or order.business_key or f"#{order.case_id}")


def summary(ctx: AppContext, actor: str) -> dict[str, Any]:
    """Every number of the dashboard, as of the clock's now."""
    now = ctx.now()
    with ctx.db.reading() as session:
        _check_reader(session, actor)
        orders = list(_orders(session))
    opened = [o for o in orders if state.is_open(o.case_status, o.data)]
    regions = Counter(str(o.data.get("region_path") or "") for o in opened)
    types = Counter(str(o.data.get("task_type") or "") for o in opened)
    type_names = {str(o.data.get("task_type") or ""): str(o.data.get("task_type_name") or o.data.get("task_type")
                                                           or "") for o in opened}
    owing = [o for o in orders if _matcher("parts_owed", "", now)(o)]
    return {
        "now": now.astimezone(ctx.tz).isoformat(), "open": len(opened),
        "by_region": _counted(regions, {}), "by_type": _counted(types, type_names),
        "overdue_24h": sum(_matcher("overdue_24h", "", now)(o) for o in orders),
        "overdue_48h": sum(_matcher("overdue_48h", "", now)(o) for o in orders),
        "parts_owed": {"orders": len(owing), "lines": sum(len(state.owed_lines(o.data)) for o in owing),
                       "quantity": sum(_quantity(line) for o in owing for line in state.owed_lines(o.data)),
                       "oldest": _oldest_owed(owing, ctx)},
        "visits_due": sum(_matcher("visits_due", "", now)(o) for o in orders),
    }


def _quantity(line: Mapping[str, Any]) -> float:
    try:
        return float(line.get("quantity") or 0)
    except (TypeError, ValueError):
        return 0.0


def orders(ctx: AppContext, actor: str, show: str, value: str = "") -> list[dict[str, Any]]:
    """The orders behind one number of the dashboard, oldest request first."""
    now = ctx.now()
    wanted = _matcher(show, value, now)
    with ctx.db.reading() as session:
        _check_reader(session, actor)
        found = [o for o in _orders(session) if wanted(o)]
    return [_row(o, ctx, now) for o in found]


def _row(order: _Order, ctx: AppContext, now: datetime) -> dict[str, Any]:
    data = order.data
    owed = state.owed_lines(data)
    return {"case_id": order.case_id, "order_no": _order_no(order), "customer": str(data.get("customer") or ""),
            "contract_no": str(data.get("contract_no") or ""), "region_path": str(data.get("region_path") or ""),
            "task_type": str(data.get("task_type") or ""), "task_type_name": str(data.get("task_type_name") or ""),
            "status": state.order_status(data), "engineer": str(data.get("engineer") or ""),
            "requested_at": str(data.get("requested_at") or order.started_at.astimezone(ctx.tz).isoformat()),
            "on_site_due": str(data.get("on_site_due") or ""), "fix_due": str(data.get("fix_due") or ""),
            "overdue_24h": state.overdue_on_site(order.case_status, data, now),
            "overdue_48h": state.overdue_fix(order.case_status, data, now),
            "parts_owed": [f"{line.get('name') or line.get('material_no') or ''} × {line.get('quantity') or 1}"
                           for line in owed]}
