"""What a request may carry: JSON documents and text fields, checked before anything reads them.

A hostile client can send JSON no form would produce: NaN, numbers beyond any
column, lone UTF-16 surrogates, NUL bytes (PostgreSQL refuses them in text),
nesting deep enough to exhaust the interpreter's stack, or lists and strings
big enough to stall a worker. `parse_json` refuses all of these and names the
JSON path of each offending member (`data.items[3].name`), so the API, the
pages and the command line can answer with per-field errors. Pure Python: the
callers turn `InputRejected` into their own kind of error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .messages import Message

INT64_MAX = 2**63 - 1
DATABASE_ID_MAX = 2**31 - 1  # ids are INTEGER columns (32 bits on PostgreSQL)
BUSINESS_KEY_MAX = 256
MAX_PROBLEMS = 20

# C0 controls except tab, newline, carriage return; DEL; C1 controls
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_STRING_LITERAL = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


@dataclass(frozen=True)
class Limits:
    max_depth: int = 32
    max_string: int = 100_000
    max_list: int = 1_000
    max_keys: int = 10_000  # object members of the whole document together
    max_key_length: int = 256


DEFAULT_LIMITS = Limits()


class InputRejected(ValueError):
    """Per-field problems: {JSON path ("" for the whole document): message}."""

    def __init__(self, errors: dict[str, Message]):
        super().__init__("; ".join(f"{path or '（文档）'}: {message}" for path, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class _Refused:
    """A number the parser met that JSON data may not hold; reported with its path by the walk."""

    text: str


def _constant(name: str) -> _Refused:
    return _Refused(name)


def _float(text: str) -> float | _Refused:
    value = float(text)
    return value if abs(value) != float("inf") else _Refused(text)


def _int(text: str) -> int | _Refused:
    digits = text.lstrip("-")
    if len(digits) > 19:
        return _Refused(text if len(text) <= 24 else text[:24] + "…")
    value = int(text)
    return value if -INT64_MAX - 1 <= value <= INT64_MAX else _Refused(text)


def nesting_depth(text: str) -> int:
    """How deeply arrays and objects nest, found without parsing (so without recursion)."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING_LITERAL.sub('""', text)):
        depth += 1 if match.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def parse_json(raw: bytes | str, limits: Limits = DEFAULT_LIMITS) -> Any:
    """The document, or InputRejected naming every member outside the limits."""
    if isinstance(raw, bytes | bytearray):
        try:
            raw = bytes(raw).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputRejected({"": Message("json.not_utf8", {"byte": exc.start})}) from exc
    depth = nesting_depth(raw)
    if depth > limits.max_depth:
        raise InputRejected({"": Message("json.too_deep", {"depth": depth, "max": limits.max_depth})})
    try:
        value = json.loads(raw, parse_constant=_constant, parse_float=_float, parse_int=_int)
    except json.JSONDecodeError as exc:
        raise InputRejected({"": Message("json.invalid", {"line": exc.lineno, "column": exc.colno})}) from exc
    check_value(value, limits)
    return value


def check_value(value: Any, limits: Limits = DEFAULT_LIMITS) -> None:
    """InputRejected if a parsed document breaks a limit."""
    errors: dict[str, Message] = {}
    for path, message in _problems(value, limits):
        errors.setdefault(path, message)
        if len(errors) >= MAX_PROBLEMS:
            break
    if errors:
        raise InputRejected(errors)


def _problems(value: Any, limits: Limits) -> Iterator[tuple[str, Message]]:
    keys = 0
    stack: list[tuple[str, Any, int]] = [("", value, 0)]
    while stack:
        path, item, depth = stack.pop()
        if isinstance(item, dict):
            keys += len(item)
            if keys > limits.max_keys:
                yield path, Message("json.too_many_keys", {"max": limits.max_keys})
                return
            if depth >= limits.max_depth:
                yield path, Message("json.nested_deeper", {"max": limits.max_depth})
                continue
            for key, member in reversed(list(item.items())):
                problem = text_problem(key, max_length=limits.max_key_length, single_line=True)
                inner = f"{path}[{json.dumps(key)}]" if problem else f"{path}.{key}" if path else key
                if problem:
                    yield inner, Message("json.member_name", {"problem": problem})  # the path shows it escaped
                stack.append((inner, member, depth + 1))
        elif isinstance(item, list):
            if len(item) > limits.max_list:
                yield path, Message("json.list_too_long", {"count": len(item), "max": limits.max_list})
                continue
            if depth >= limits.max_depth:
                yield path, Message("json.nested_deeper", {"max": limits.max_depth})
                continue
            stack.extend((f"{path}[{i}]", member, depth + 1) for i, member in reversed(list(enumerate(item))))
        elif isinstance(item, str):
            problem = text_problem(item, max_length=limits.max_string)
            if problem:
                yield path, problem
        elif isinstance(item, _Refused):
            yield path, Message("json.number_refused", {"number": item.text})


def text_problem(text: str, *, max_length: int, single_line: bool = False) -> Message | None:
    """Why a text may not be stored, or None. Tab, newline and carriage return pass unless `single_line`."""
    if len(text) > max_length:
        return Message("text.too_long", {"length": len(text), "max": max_length})
    surrogate = _SURROGATE.search(text)
    if surrogate:
        return Message("text.surrogate", {"char": f"U+{ord(surrogate.group()):04X}", "position": surrogate.start()})
    control = (_CONTROL_OR_BREAK if single_line else _CONTROL).search(text)
    if control:
        return Message("text.control", {"char": f"U+{ord(control.group()):04X}", "position": control.start()})
    return None


def business_key_problem(value: object) -> Message | None:
    """A business key names a case in lists and mail subjects: one line of at most 256 characters."""
    if value is None:
        return None
    if not isinstance(value, str):
        return Message("text.not_text")
    return text_problem(value, max_length=BUSINESS_KEY_MAX, single_line=True)


def field_problems(fields: Iterable[tuple[str, str]], *, max_length: int = DEFAULT_LIMITS.max_string
                   ) -> dict[str, Message]:
    """Per-field problems of plain text fields (query arguments, form posts), each (name, value) pair."""
    errors: dict[str, Message] = {}
    for name, text in fields:
        problem = text_problem(name, max_length=DEFAULT_LIMITS.max_key_length, single_line=True)
        problem = problem and Message("json.member_name", {"problem": problem})
        problem = problem or text_problem(text, max_length=max_length)
        if problem:
            errors[json.dumps(name) if _CONTROL_OR_BREAK.search(name) or _SURROGATE.search(name) else name] = problem
    return errors
