"""What every change of the after-sales master data shares: who may make it, the audit event it
appends, and the checks of the values people type (text, dates, money in yuan).

Why one event type on the system chain: every change commits with an event there, so the readers of
`persistence/read_cache.py` (the region tree, task types, parts, fee table) see a change made by any
server process on their next session, and the audit search finds every change under one kind.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.orm import Session

from service.domain.access import may_edit_master_data
from service.domain.input_limits import text_problem
from service.domain.messages import Message, Words
from service.persistence.audit import append_event

from .context import AppContext
from .errors import Forbidden
from .users import find_worker

EVENT = "after_sales_master_changed"
KIND_WORDS = {"contracts": Words("销售合同", "sales contracts"), "regions": Words("销售区域", "sales regions"),
              "task_types": Words("任务类型", "task types"), "parts": Words("配件", "parts"),
              "fee_items": Words("收费项目", "fee items")}
MAX_FEN = 10**11  # a billion yuan: beyond it a price is a typo (and an INTEGER column's end is near)
_YUAN = re.compile(r"^[0-9]{1,12}(\.[0-9]{1,2})?$")
_DAY = re.compile(r"^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})$")
CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


def ensure_may_edit(session: Session, actor: str, kind: str) -> None:
    """Refused (403) unless `actor` holds a role that edits `kind` (service.domain.access)."""
    viewer = find_worker(session, actor)
    if not may_edit_master_data(viewer.roles, kind):
        raise Forbidden("as_master.may_not_edit", user=actor, what=KIND_WORDS[kind])


def record(session: Session, ctx: AppContext, actor: str, change: str, **payload: Any) -> None:
    """The change's event, in the change's own transaction."""
    append_event(session, type=EVENT, actor=actor, at=ctx.now(), payload={"change": change, **payload})


def text_value(value: object, field: str, errors: dict[str, Message], *, max_length: int,
               required: bool = False, single_line: bool = True) -> str:
    """The value as stripped text; a problem added to `errors[field]` when it is not usable."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[field] = Message("text.not_text")
        return ""
    text = value.strip()
    problem = text_problem(text, max_length=max_length, single_line=single_line)
    if problem:
        errors[field] = problem
        return ""
    if required and not text:
        errors[field] = Message("as_master.required")
    return text


def day_value(value: object, field: str, errors: dict[str, Message]) -> date | None:
    """A date given as a date, or as text 2026-03-01 (also 2026/3/1); empty is None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    found = _DAY.match(value.strip()) if isinstance(value, str) else None
    try:
        if found is None:
            raise ValueError(value)
        day = date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        errors[field] = Message("as_master.day_format")
        return None
    if not 1900 <= day.year <= 2200:
        errors[field] = Message("as_master.day_format")
        return None
    return day


def fen_value(value: object, field: str, errors: dict[str, Message]) -> int:
    """Yuan as typed (12, 12.5, 12.50, ¥1,200.00) in whole fen; a number from JSON or a cell too."""
    if isinstance(value, bool) or value is None or value == "":
        errors[field] = Message("as_master.money_format")
        return 0
    if isinstance(value, int | float):
        text = str(Decimal(str(value)).quantize(Decimal("0.01"))) if Decimal(str(value)).is_finite() else "x"
    elif isinstance(value, str):
        text = value.strip().lstrip("¥￥").replace(",", "").strip()
    else:
        text = "x"
    if not _YUAN.match(text):
        errors[field] = Message("as_master.money_format")
        return 0
    try:
        fen = int(Decimal(text) * 100)
    except InvalidOperation:
        errors[field] = Message("as_master.money_format")
        return 0
    if fen > MAX_FEN:
        errors[field] = Message("as_master.money_format")
        return 0
    return fen


def yuan(fen: int) -> str:
    """Fen as yuan with two decimals: 12050 → "120.50"."""
    return f"{fen // 100}.{fen % 100:02d}"


def code_value(value: object, field: str, errors: dict[str, Message]) -> str:
    """A code (task type, fee item): lower-case letters, digits and _, starting with a letter."""
    text = value.strip() if isinstance(value, str) else ""
    if not CODE.match(text):
        errors[field] = Message("as_master.code_format")
    return text
