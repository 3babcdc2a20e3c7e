"""What an auditor's search of the history asks for, read from query-string style arguments and checked.

Pure rules, read the same way by the API and the page, with the same words as the case search
(`*` wildcards, days in the company's time zone, bounded paging). SQL is built from the checked
`AuditQuery` in operations.audit_search.

A *changed field* is a form field or case variable whose value an event records. The events that
record values, and where (from the payloads the use cases write):

- `case_started`: `data` — the start form's values;
- `task_completed`: `data` — the values the task's form submitted;
- `delegation_submitted`: `data` — the values a delegate filled in for the task's holder;
- `changed_by_linked_case`: `changes[*]` — `{variable, old, new}` set on the request by a linked case.

Not counted: `case_completed` (a copy of all data at the end, no change), `parent_case_changed` (the
same changes, recorded in the linked case but made to the request's variables), `migrated` (moves
the case to another version; no variable changes) and the system chain's events (no case data).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from .case_search_terms import ORDERS, QueryRejected, _choice, _day, _name, _number, _one_line, query_arguments
from .input_limits import DATABASE_ID_MAX
from .messages import Message

__all__ = ["QueryRejected", "read_query", "recorded_fields"]

# the events of a case's history (chain "case:<id>"), in the order a case meets them
CASE_KINDS = (
    "case_started", "task_created", "task_claimed", "task_released", "task_completed", "task_transferred",
    "task_delegated", "delegation_submitted", "task_urged", "task_sent_back", "signer_added",
    "task_held_for_signer", "signer_signed", "comment_added", "case_copied", "service_task", "timer_fired",
    "mail_sent", "incident_opened", "incident_retry_failed", "incident_resolved", "changed_by_linked_case",
    "parent_case_changed", "parent_case_unchanged", "migrated", "case_withdrawn", "case_cancelled",
    "case_completed", "message_received", "mail_refused", "case_opened", "opened_by_case", "case_start_failed",
)
# the system chain: what happens outside any case
SYSTEM_KINDS = (
    "deployed", "draft_saved", "draft_discarded", "user_saved", "organisation_changed", "token_issued",
    "token_revoked", "calendar_seeded", "calendar_day_set", "after_sales_master_changed", "evidence_exported",
)
KINDS = CASE_KINDS + SYSTEM_KINDS
DATA_KINDS = ("case_started", "task_completed", "delegation_submitted")  # payload `data`: {field: value}
CHANGE_KINDS = ("changed_by_linked_case",)  # payload `changes`: [{variable, old, new}]
FIELD_KINDS = DATA_KINDS + CHANGE_KINDS
SORTS = ("at", "case", "type", "actor", "process")
DESCENDING_FIRST = frozenset({"at", "case"})  # newest first unless asked otherwise
PER_PAGE = 50
PER_PAGE_MAX = 200
PAGE_MAX = 100_000
TEXT_MAX = 100
FIELD_MAX = 64
_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # a form key: also safe inside a JSON path
_DIGITS = re.compile(r"[0-9]{1,10}")
_TRUE, _FALSE = frozenset({"1", "true", "yes", "on"}), frozenset({"", "0", "false", "no", "off"})
ARGUMENT_OF = {"kind": "type", "occurred_from": "from", "occurred_to": "to", "case_id": "case"}


@dataclass(frozen=True)
class AuditQuery:
    actor: str = ""  # user name exactly, or display name (`*` wildcards)
    kind: str = ""
    field: str = ""
    process: str = ""
    customer: str = ""  # `*` wildcards, else found anywhere
    key: str = ""  # business key, likewise
    occurred_from: date | None = None
    occurred_to: date | None = None  # inclusive
    case_id: int | None = None
    system: bool = False  # also the system chain (deployments, users, calendar)
    sort: str = "at"
    order: str = "desc"
    page: int = 1
    per_page: int = PER_PAGE

    def arguments(self, **changes: object) -> dict[str, str]:
        """The query-string arguments that say this query (defaults left out), with some changed."""
        return query_arguments(replace(self, **changes), ARGUMENT_OF, default_order)  # type: ignore[arg-type]


def default_order(sort: str) -> str:
    return "desc" if sort in DESCENDING_FIRST else "asc"


def recorded_fields(kind: str, payload: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The fields an event records a value of: [{field, new}] plus `old` where the event says it."""
    payload = payload or {}
    if kind in DATA_KINDS and isinstance(payload.get("data"), dict):
        return [{"field": str(name), "new": value} for name, value in payload["data"].items()]
    if kind in CHANGE_KINDS and isinstance(payload.get("changes"), list):
        return [{"field": str(c["variable"]), "old": c.get("old"), "new": c.get("new")}
                for c in payload["changes"] if isinstance(c, dict) and "variable" in c]
    return []


def _field(value: str) -> Message | None:
    problem = _one_line(value, FIELD_MAX)
    if problem is None and not _FIELD.fullmatch(value):
        problem = Message("audit_search.field", {"value": value[:40]})
    return problem


def _case(value: str) -> tuple[int | None, Message | None]:
    number = int(value) if _DIGITS.fullmatch(value) else 0
    if 1 <= number <= DATABASE_ID_MAX:
        return number, None
    return None, Message("audit_search.case", {"value": value[:40]})


def read_query(args: Mapping[str, str]) -> AuditQuery:
    """The query the arguments ask for; QueryRejected naming every argument that is wrong.

    Arguments that are no filter (`format`, `lang`, …) are left to the caller.
    """
    errors: dict[str, Message] = {}
    values: dict[str, object] = {}

    def text(name: str) -> str:
        return str(args.get(name) or "").strip()

    def keep(field_name: str, name: str, problem: Message | None, value: object) -> None:
        if problem:
            errors[name] = problem
        else:
            values[field_name] = value

    for field_name, name, allowed in (("kind", "type", KINDS), ("sort", "sort", SORTS), ("order", "order", ORDERS)):
        if text(name):
            keep(field_name, name, _choice(text(name), allowed), text(name))
    for name in ("actor", "customer", "key"):
        keep(name, name, _one_line(text(name), TEXT_MAX), text(name))
    if text("process"):
        keep("process", "process", _name(text("process")), text("process"))
    if text("field"):
        keep("field", "field", _field(text("field")), text("field"))
    if text("case"):
        case_id, problem = _case(text("case"))
        keep("case_id", "case", problem, case_id)
    for field_name in ("occurred_from", "occurred_to"):
        name = ARGUMENT_OF[field_name]
        if text(name):
            day, problem = _day(text(name))
            keep(field_name, name, problem, day)
    system = text("system").lower()
    keep("system", "system", None if system in _TRUE | _FALSE else Message("audit_search.flag", {"value": system[:40]}),
         system in _TRUE)
    for name, highest in (("page", PAGE_MAX), ("per_page", PER_PAGE_MAX)):
        if text(name):
            number, problem = _number(text(name), highest)
            keep(name, name, problem, number)
    start, end = values.get("occurred_from"), values.get("occurred_to")
    if isinstance(start, date) and isinstance(end, date) and start > end:
        errors["to"] = Message("search.end_before_start", {"start": str(start), "end": str(end)})
    if errors:
        raise QueryRejected(errors)
    sort = str(values.get("sort") or AuditQuery.sort)
    values.setdefault("order", default_order(sort))
    return AuditQuery(**values)  # type: ignore[arg-type]
