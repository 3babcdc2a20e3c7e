"""FEEL values as form-js (feelin) compares them: equality, ordering and truth with null, three-valued logic.

Why apart from the parser: these are the rules checked against form-js in Chromium; the parser only
decides which expressions exist. See `form_conditions` for the answers they give.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class Unsupported(Exception):
    """feelin throws on an ordering it has no range for: the expression is null, and the condition is not met."""


def _kind(value: Any) -> str:
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "context"
    if isinstance(value, (list, tuple)):
        return "list"
    return "literal"


def _unwrapped(value: Any) -> Any:
    if isinstance(value, (list, tuple)) and len(value) < 2:
        return value[0] if value else None
    return value


def _equal(a: Any, b: Any) -> bool | None:
    """feelin's `=`: null against a value is false, a one-item list is its item, other kinds are null."""
    if (a is None) != (b is None):
        return False
    a, b = _unwrapped(a), _unwrapped(b)
    kind = _kind(a)
    if kind != _kind(b):
        return None
    if kind == "nil":
        return True
    if kind == "list":
        return len(a) == len(b) and all(_equal(x, y) is True for x, y in zip(a, b, strict=True))
    if kind == "context":
        return len(a) == len(b) and all(k in b and _equal(v, b[k]) is True for k, v in a.items())
    return bool(a == b)


def _js_primitive(value: Any) -> Any:
    """What JavaScript compares a value as: lists as their joined text, objects as "[object Object]"."""
    if isinstance(value, (list, tuple)):
        return ",".join("" if v is None else str(_js_primitive(v)) for v in value)
    if isinstance(value, Mapping):
        return "[object Object]"
    return value


def _js_number(value: Any) -> float:
    if isinstance(value, (bool, int, float)):
        return float(value)
    try:
        return float(str(value).strip() or "0")
    except ValueError:
        return float("nan")


def _js_less(a: Any, b: Any, equal_too: bool) -> bool:
    a, b = _js_primitive(a), _js_primitive(b)
    if isinstance(a, str) and isinstance(b, str):
        return a < b or (equal_too and a == b)
    x, y = _js_number(a), _js_number(b)
    return x < y or (equal_too and x == y)


def compare(op: str, a: Any, b: Any) -> bool | None:
    if op == "=":
        return _equal(a, b)
    if op == "!=":
        return _equal(a, b) is not True
    # feelin reads `a < b` as "a in the range (…, b)", typed by b: text or number, else it fails
    if b is None:
        return None
    if _kind(b) not in ("string", "number"):
        raise Unsupported(op)
    if a is None:
        return None
    if op in ("<", "<="):
        return _js_less(a, b, op == "<=")
    return _js_less(b, a, op == ">=")


def feel_and(a: Any, b: Any) -> bool | None:
    if a is False or b is False:
        return False
    return True if a is True and b is True else None


def feel_or(a: Any, b: Any) -> bool | None:
    if a is True or b is True:
        return True
    return False if a is False and b is False else None


def lookup(data: Any, path: list[str]) -> Any:
    """A dotted path; on a list it is taken of every item, as FEEL does."""
    value: Any = data
    for part in path:
        if isinstance(value, (list, tuple)):
            value = [lookup(item, [part]) for item in value]
        elif isinstance(value, Mapping):
            value = value.get(part)
        else:
            return None
    return value


def chosen(value: Any) -> bool:
    """`if` takes its then branch for anything but null and false (0 and "" included)."""
    return value is not None and value is not False


def _identical(a: Any, b: Any) -> bool:
    """JavaScript's ===: lists and objects are never identical to another value, true is not 1."""
    if isinstance(a, (list, tuple, Mapping)) or isinstance(b, (list, tuple, Mapping)):
        return False
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return _kind(a) == _kind(b) and a == b


def contains(items: Any, wanted: Any) -> bool | None:
    """feelin's `list contains`: no list is null, one value is a list of it, items compared with ===."""
    if items is None:
        return None
    items = items if isinstance(items, (list, tuple)) else [items]
    return any(_identical(item, wanted) for item in items)
