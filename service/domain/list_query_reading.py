"""How people write a list query — conditions as text or as rows, sort keys, chosen columns — read into
the query's parts, with every problem named by its part ("condition 2", "sort") and field.

Why apart from running the query (list_query): reading is about the words people type (column keys
or headers in either language, 包含 / 且 / 或 and their English, quoted values); running is about rows.
The syntax is described in `list_query`'s docstring, the one place people look for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .list_cells import (
    Column,
    as_number,
    day_or_moment,
    is_yes_no_word,
)
from .messages import Message

CONDITIONS_MAX = 20
VALUE_MAX = 200
ANY_FIELD = "*"
OPERATORS = ("~", "!~", "=", "!=", "<", "<=", ">", ">=")
TEXT_OPERATORS = ("~", "!~", "=", "!=")
_OPERATOR_WORDS = {"包含": "~", "contains": "~", "不包含": "!~", "等于": "=", "<>": "!=", "不等于": "!=",
                   "==": "="}
_JOINS = {"and": "and", "且": "and", "并且": "and", "&&": "and", "or": "or", "或": "or", "或者": "or", "||": "or"}
_TOKEN = re.compile(r'\s*(?:"((?:[^"\\]|\\.)*)"|(!=|<>|<=|>=|==|!~|[=<>~])|([^\s"=<>~!]+|!))')


@dataclass(frozen=True)
class Condition:
    field: str  # a column key, or ANY_FIELD
    op: str = "~"
    value: str = ""
    join: str = "and"  # how it joins the condition before it (the first one's is not read)


@dataclass(frozen=True)
class SortKey:
    column: str
    descending: bool = False


class QueryRejected(ValueError):
    """What is wrong, per part of the query ("condition 2", "sort", …): {part: message}."""

    def __init__(self, errors: dict[str, Message]):
        super().__init__("; ".join(f"{part}: {message}" for part, message in errors.items()))
        self.errors = errors


def _by_name(columns: Sequence[Column]) -> dict[str, Column]:
    names: dict[str, Column] = {}
    for column in columns:
        for name in (column.key, column.zh, column.en):
            names.setdefault(name.casefold(), column)
    return names


def find_column(columns: Sequence[Column], name: str) -> Column | None:
    """The column a person named by its key or by its header in either language."""
    return _by_name(columns).get(name.strip().casefold())


def field_names(columns: Sequence[Column]) -> str:
    return "、".join(c.key for c in columns)


def _operator(text: str) -> str | None:
    op = _OPERATOR_WORDS.get(text.strip().casefold(), text.strip())
    return op if op in OPERATORS else None


def check_condition(columns: Sequence[Column], number: int, said: str, field_name: str, op_text: str, value: str,
                    join: str = "and") -> Condition:
    """One condition checked against the columns; QueryRejected names it by its number and words."""
    part = f"condition {number}"

    def refuse(code: str, **params: Any) -> QueryRejected:
        return QueryRejected({part: Message(code, {"n": number, "condition": said, **params})})

    joined = _JOINS.get(join.strip().casefold() or "and")
    if joined is None:
        raise refuse("list.bad_join", join=join)
    if len(value) > VALUE_MAX:
        raise refuse("list.value_too_long", max=VALUE_MAX)
    op = _operator(op_text or "~")
    if op is None:
        raise refuse("list.bad_operator", op=op_text, allowed=" ".join(OPERATORS))
    if field_name.strip() in ("", ANY_FIELD):
        if op not in TEXT_OPERATORS:
            raise refuse("list.any_field_operator", op=op, allowed=" ".join(TEXT_OPERATORS))
        return Condition(ANY_FIELD, op, value, joined)
    column = find_column(columns, field_name)
    if column is None:
        raise refuse("list.unknown_field", field=field_name, fields=field_names(columns))
    if op not in TEXT_OPERATORS and column.kind not in ("number", "date", "datetime"):
        raise refuse("list.operator_needs_order", op=op, field=column.key)
    if op not in TEXT_OPERATORS or (op in ("=", "!=") and ANY_FIELD not in value and value.strip()):
        problem = _typed_problem(column, value.strip(), op)
        if problem is not None:
            raise refuse(problem, field=column.key, value=value)
    return Condition(column.key, op, value, joined)


def _typed_problem(column: Column, value: str, op: str) -> str | None:
    """Why `value` cannot be compared with the column's cells by value, or None."""
    if column.kind == "number" and as_number(value) is None:
        return "list.not_a_number"
    if column.kind in ("date", "datetime") and day_or_moment(value) is None:
        return "list.not_a_date"
    if column.kind == "bool" and not is_yes_no_word(value):
        return "list.not_a_yes_no"
    if op not in TEXT_OPERATORS and not value:
        return "list.value_missing"
    return None


def _tokens(text: str) -> list[tuple[str, bool]]:
    """(token, is an operator) pairs; quoted text is never an operator or a joining word."""
    out: list[tuple[str, bool]] = []
    position = 0
    while position < len(text):
        if not text[position:].strip():
            break
        found = _TOKEN.match(text, position)
        if found is None or found.end() == position:
            raise QueryRejected({"where": Message("list.bad_text", {"at": position + 1, "text": text[position:][:30]})})
        quoted, op, word = found.groups()
        if quoted is not None:
            out.append((re.sub(r"\\(.)", r"\1", quoted), False))
        else:
            out.append((op or word or "", op is not None))
        position = found.end()
    return out


def parse_where(text: str, columns: Sequence[Column]) -> tuple[Condition, ...]:
    """Conditions written as text: `序列号 ~ 2by*5084*4*1 and 客户 = 欧莱雅 or status = closed`.

    Each condition is `field op value` (a value with spaces in "quotes"), or a value alone (any field
    contains it); AND / OR / 且 / 或 between them."""
    tokens = _tokens(text)
    pieces: list[tuple[str, list[tuple[str, bool]]]] = [("and", [])]
    for token, is_op in tokens:
        if not is_op and token.casefold() in _JOINS and pieces[-1][1]:
            pieces.append((token, []))
        else:
            pieces[-1][1].append((token, is_op))
    if not pieces[-1][1] and len(pieces) > 1:
        raise QueryRejected({"where": Message("list.dangling_join", {"join": pieces[-1][0]})})
    conditions = []
    for number, (join, words) in enumerate(pieces, start=1):
        said = " ".join(w for w, _ in words)
        if not words:
            continue
        if len(words) == 1 and not words[0][1]:
            conditions.append(check_condition(columns, number, said, ANY_FIELD, "~", words[0][0], join))
        elif len(words) == 3 and words[1][1] and not words[0][1] and not words[2][1]:
            conditions.append(check_condition(columns, number, said, words[0][0], words[1][0], words[2][0], join))
        elif len(words) == 2 and words[1][1] and not words[0][1]:  # `field =` : an empty cell
            conditions.append(check_condition(columns, number, said, words[0][0], words[1][0], "", join))
        else:
            raise QueryRejected({f"condition {number}": Message("list.bad_condition",
                                                                {"n": number, "condition": said})})
    if len(conditions) > CONDITIONS_MAX:
        raise QueryRejected({"where": Message("list.too_many_conditions", {"max": CONDITIONS_MAX})})
    return tuple(conditions)


def condition_rows(columns: Sequence[Column], rows: Iterable[tuple[str, str, str, str]]) -> tuple[Condition, ...]:
    """Conditions from the rows of a form: (join, field, op, value); a row without a value that only
    asks "contains" says nothing and is left out. Every bad row is named at once."""
    conditions, errors = [], {}
    for number, (join, field_name, op, value) in enumerate(rows, start=1):
        if not value.strip() and (op or "~") in ("~", "!~", "包含", "contains"):
            continue
        said = f"{field_name or ANY_FIELD} {op or '~'} {value}".strip()
        try:
            conditions.append(check_condition(columns, number, said, field_name, op, value, join))
        except QueryRejected as exc:
            errors.update(exc.errors)
    if len(conditions) > CONDITIONS_MAX:
        errors["where"] = Message("list.too_many_conditions", {"max": CONDITIONS_MAX})
    if errors:
        raise QueryRejected(errors)
    return tuple(conditions)


def read_sort(columns: Sequence[Column], said: Iterable[str]) -> tuple[SortKey, ...]:
    """Sort keys from `column` or `-column` (descending), by key or header."""
    keys: list[SortKey] = []
    for text in said:
        text = text.strip()
        if not text:
            continue
        descending = text.startswith("-")
        column = find_column(columns, text.lstrip("-+"))
        if column is None:
            raise QueryRejected({"sort": Message("list.unknown_sort", {"field": text.lstrip("-+"),
                                                                       "fields": field_names(columns)})})
        if all(k.column != column.key for k in keys):
            keys.append(SortKey(column.key, descending))
    return tuple(keys)


def read_columns(columns: Sequence[Column], said: Iterable[str], part: str = "columns") -> tuple[str, ...]:
    """Column keys named by key or header, in the order given, each once."""
    out: list[str] = []
    for text in said:
        if not text.strip():
            continue
        column = find_column(columns, text)
        if column is None:
            raise QueryRejected({part: Message(f"list.unknown_{'group' if part == 'group' else 'column'}",
                                               {"field": text, "fields": field_names(columns)})})
        if column.key not in out:
            out.append(column.key)
    return tuple(out)
