"""How a list's cells read, compare and sort, one column kind at a time: the text people see in each
language, a number or a day behind a text, yes / no in both languages, and the sort key — Latin letters
without case, Chinese by pinyin (pypinyin), digit runs by value. `list_query` builds the conditions,
groups and results on these."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Literal

from pypinyin import Style, lazy_pinyin

Kind = Literal["text", "number", "date", "datetime", "bool", "choice"]
Row = Mapping[str, Any]
_TRUE = frozenset({"1", "true", "yes", "y", "是", "真", "on"})
_FALSE = frozenset({"0", "false", "no", "n", "否", "假", "off"})


@dataclass(frozen=True)
class Column:
    """A typed column: `kind` decides how it compares and sorts; `choices` are (code, 中文, English)."""

    key: str
    zh: str
    en: str
    kind: Kind = "text"
    choices: tuple[tuple[str, str, str], ...] = ()
    total: bool = False  # summed in groups (numbers only)
    decimals: int | None = None  # numbers shown with this many decimals (None: as they are)

    def header(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh




def as_number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        found = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        return None
    return found if found.is_finite() else None


def day_or_moment(value: Any) -> date | datetime | None:
    if isinstance(value, (date, datetime)):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text.replace("/", "-"))
    except ValueError:
        return None


def as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold() if value is not None else ""
    return True if text in _TRUE else False if text in _FALSE else None


def is_yes_no_word(text: str) -> bool:
    """A word a yes / no column answers to (是 / 否, yes / no, 1 / 0…)."""
    return text.casefold() in _TRUE | _FALSE


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def plain_number(value: Decimal | int | float) -> int | float:
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


def cell_text(column: Column, value: Any, lang: str = "zh") -> str:
    """A cell as people read it (and as `~` and `=` match it)."""
    if is_empty(value):
        return ""
    if column.kind == "choice":
        for code, zh, en in column.choices:
            if code == value:
                return en if lang == "en" else zh
        return str(value)
    if column.kind == "bool":
        flag = as_bool(value)
        return "" if flag is None else ("yes" if flag else "no") if lang == "en" else ("是" if flag else "否")
    if column.kind == "number":
        number = as_number(value)
        if number is None:
            return str(value)
        if column.decimals is not None:
            return f"{number:,.{column.decimals}f}" if abs(number) >= 10_000 else f"{number:.{column.decimals}f}"
        return str(plain_number(number))
    if column.kind in ("date", "datetime"):
        moment = day_or_moment(value)
        if isinstance(moment, datetime):
            return moment.strftime("%Y-%m-%d %H:%M")
        return moment.isoformat() if moment else str(value)
    return str(value)


def cell_texts(column: Column, value: Any) -> list[str]:
    """Every text a cell answers to: a choice by its code and both names, a yes/no in both languages."""
    if column.kind == "choice":
        return [str(value or ""), cell_text(column, value, "zh"), cell_text(column, value, "en")]
    if column.kind == "bool":
        return [cell_text(column, value, "zh"), cell_text(column, value, "en")]
    if column.kind == "number" and not is_empty(value):
        return [cell_text(column, value), str(value)]
    return [cell_text(column, value)]




_RUNS = re.compile(r"(\d+)")


@lru_cache(maxsize=8192)
def text_key(text: str) -> tuple[Any, ...]:
    """Letters without case, Chinese by the pinyin of each character, digit runs by value; the tone
    and the text itself break ties, so the order is total and the same on every machine."""
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="default")
    spelled = "\x01".join(s.casefold() for s in syllables)
    parts: list[tuple[int, int, str]] = []
    for index, run in enumerate(_RUNS.split(spelled)):
        if run:
            parts.append((0, int(run), "") if index % 2 else (1, 0, run))
    tones = "\x01".join(lazy_pinyin(text, style=Style.TONE3, errors="default"))
    return tuple(parts), tones.casefold(), text


def sort_value(column: Column, value: Any) -> Any:
    if column.kind == "number":
        return as_number(value) or Decimal(0)
    if column.kind in ("date", "datetime"):
        moment = day_or_moment(value)
        if isinstance(moment, datetime):
            return (moment.date(), moment.timestamp())
        return (moment, float("-inf")) if moment else (date.min, float("-inf"))
    if column.kind == "choice":
        codes = [code for code, _, _ in column.choices]
        return (codes.index(value), "") if value in codes else (len(codes), str(value))
    if column.kind == "bool":
        return bool(as_bool(value))
    return text_key(str(value))


def empty_for_sort(column: Column, value: Any) -> bool:
    if is_empty(value):
        return True
    if column.kind == "number":
        return as_number(value) is None
    if column.kind in ("date", "datetime"):
        return day_or_moment(value) is None
    return False
