"""Where a dispatch order (派工单) stands, read from its case variables only.

Why here: the service-desk dashboard, its drill-down lists and the printable report all ask the same
questions of an order — is it still open, is it past its 24 h on-site or 48 h fix deadline, which parts
does it still owe, is its return visit due — and must answer them the same way. The variables are the
contract of SPEC (`status`, `on_site_due`, `fix_due`, `fault_kind`, `repaired`, `owed_parts`,
`signed_by`, `visit_satisfied`, `task_type`); the deadlines themselves are set by the process's
decision table, this module only compares them with the clock (elapsed time, not working days).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo
from typing import Any

CLOSED_STATES = frozenset({"closed", "voided"})
BEFORE_SITE = frozenset({"new", "assigned"})  # the engineer has not arrived yet
RUNNING_CASE = frozenset({"running", "error"})  # a case in error is stuck, not finished
RETURN_VISIT = "return_visit"


def order_status(data: Mapping[str, Any]) -> str:
    return str(data.get("status") or "new")


def is_open(case_status: str, data: Mapping[str, Any]) -> bool:
    """Not closed, not voided, and its case still running."""
    return case_status in RUNNING_CASE and order_status(data) not in CLOSED_STATES


def instant(value: Any, tz: tzinfo) -> datetime | None:
    """An ISO instant of the case data (a naive one is read in the server's zone); None when unset or not a time."""
    if not value:
        return None
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def overdue_on_site(case_status: str, data: Mapping[str, Any], now: datetime) -> bool:
    """The 24 h rule missed: `on_site_due` has passed and nobody is on site yet."""
    due = instant(data.get("on_site_due"), now.tzinfo or UTC)
    return (is_open(case_status, data) and due is not None and due < now
            and order_status(data) in BEFORE_SITE)


def overdue_fix(case_status: str, data: Mapping[str, Any], now: datetime) -> bool:
    """The 48 h rule missed: a hardware fault past `fix_due` and not repaired (a spare unit is owed)."""
    due = instant(data.get("fix_due"), now.tzinfo or UTC)
    return (is_open(case_status, data) and due is not None and due < now
            and data.get("fault_kind") == "hardware" and data.get("repaired") is not True)


def owed_lines(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The `owed_parts` lines still owed (a line without a status counts as owed)."""
    lines = data.get("owed_parts")
    if not isinstance(lines, list):
        return []
    return [line for line in lines if isinstance(line, dict) and (line.get("status") or "owed") == "owed"]


def visit_due(case_status: str, data: Mapping[str, Any]) -> bool:
    """A return visit waits: the customer has signed (or the order is itself a return visit) and the
    visit is not answered yet, on a case still running and not voided."""
    if case_status not in RUNNING_CASE or order_status(data) == "voided":
        return False
    if data.get("visit_satisfied") is not None:
        return False
    return bool(data.get("signed_by")) or data.get("task_type") == RETURN_VISIT

