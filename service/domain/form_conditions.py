"""The FEEL subset of form conditions (`conditional.hide`), evaluated on the server as form-js does.

Why: a required field hidden by its condition may stay empty, and one shown by it must be filled.
The browser decides with form-js's FEEL engine (feelin); the server must reach the same answer from
the same expression, so it understands exactly a small subset and refuses the rest when the form is
loaded: literals ("text", numbers, true, false, null, lists `[a, b]`), variable names and dotted
paths, `= != < <= > >=`, `and`, `or`, `not(x)`, parentheses, `if c then a else b`,
`list contains(list, value)` and `is defined(x)`.

The answers are form-js 1.23's, checked against it in Chromium: `=` of null and a value is false,
of two values of different kinds null, `!=` its negation (different kinds: true); an ordering with
null is null, otherwise as JavaScript compares; `and`/`or`/`not` are three-valued; `if` takes the
else branch only for null and false; `is defined(…)` is always null there. form-js evaluates a
condition as a FEEL *unary test* against an absent input: a boolean decides, null counts as true
(null = null), a list as whether it holds null, any other value as false; a condition that is all
`not(…)` negates that test; an ordering feelin has no range for (`x > true`) fails, and a failed
condition hides nothing. So `=list contains(missing, "x")` hides its field, and
`=not(list contains(missing, "x"))` shows it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

_TOKEN = re.compile(r"""
    \s*(?:
      (?P<string>"(?:[^"\\]|\\.)*")
    | (?P<number>-?\d+(?:\.\d+)?)
    | (?P<function>list\s+contains|is\s+defined|not)\s*(?=\()
    | (?P<op><=|>=|!=|=|<|>|\(|\)|\[|\]|,|\.)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    )""", re.VERBOSE)
_KEYWORDS = frozenset({"and", "or", "if", "then", "else", "true", "false", "null"})
_COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")

Expression = Callable[[Mapping[str, Any]], Any]


class ConditionError(ValueError):
    """The expression is not in the subset the server understands; says what and where."""


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    at: int


def _tokens(source: str) -> list[_Token]:
    found, at = [], 0
    while at < len(source):
        if not source[at:].strip():
            break
        match = _TOKEN.match(source, at)
        if match is None or match.end() == at:
            raise ConditionError(f"unexpected {source[at:].strip()[:12]!r} at character {at + 1}")
        kind = match.lastgroup or ""
        text, start = match.group(kind), match.start(kind)
        if kind == "function":
            text = " ".join(text.split())
        elif kind == "name" and text in _KEYWORDS:
            kind = "keyword"
        found.append(_Token(kind, text, start + 1))
        at = match.end()
    return found


class _Unsupported(Exception):
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


def _compare(op: str, a: Any, b: Any) -> bool | None:
    if op == "=":
        return _equal(a, b)
    if op == "!=":
        return _equal(a, b) is not True
    # feelin reads `a < b` as "a in the range (…, b)", typed by b: text or number, else it fails
    if b is None:
        return None
    if _kind(b) not in ("string", "number"):
        raise _Unsupported(op)
    if a is None:
        return None
    if op in ("<", "<="):
        return _js_less(a, b, op == "<=")
    return _js_less(b, a, op == ">=")


def _and(a: Any, b: Any) -> bool | None:
    if a is False or b is False:
        return False
    return True if a is True and b is True else None


def _or(a: Any, b: Any) -> bool | None:
    if a is True or b is True:
        return True
    return False if a is False and b is False else None


def _lookup(data: Any, path: list[str]) -> Any:
    """A dotted path; on a list it is taken of every item, as FEEL does."""
    value: Any = data
    for part in path:
        if isinstance(value, (list, tuple)):
            value = [_lookup(item, [part]) for item in value]
        elif isinstance(value, Mapping):
            value = value.get(part)
        else:
            return None
    return value


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens, self.at = _tokens(source), 0

    def peek(self, *texts: str) -> bool:
        return self.at < len(self.tokens) and self.tokens[self.at].text in texts and \
            self.tokens[self.at].kind != "string"

    def take(self, text: str) -> None:
        if not self.peek(text):
            raise ConditionError(f"expected '{text}' {self.where()}")
        self.at += 1

    def where(self) -> str:
        if self.at >= len(self.tokens):
            return "at the end"
        token = self.tokens[self.at]
        return f"at character {token.at} ('{token.text}')"

    def parse(self) -> Expression:
        if not self.tokens:
            raise ConditionError("the expression is empty")
        expression = self.disjunction()
        if self.at < len(self.tokens):
            raise ConditionError(f"unexpected {self.where()}")
        return expression

    def disjunction(self) -> Expression:
        left = self.conjunction()
        while self.peek("or"):
            self.at += 1
            right, previous = self.conjunction(), left
            left = (lambda a, b: lambda d: _or(a(d), b(d)))(previous, right)
        return left

    def conjunction(self) -> Expression:
        left = self.comparison()
        while self.peek("and"):
            self.at += 1
            right, previous = self.comparison(), left
            left = (lambda a, b: lambda d: _and(a(d), b(d)))(previous, right)
        return left

    def comparison(self) -> Expression:
        left = self.primary()
        if self.peek(*_COMPARISONS):
            op = self.tokens[self.at].text
            self.at += 1
            right = self.primary()
            return lambda d: _compare(op, left(d), right(d))
        return left

    def arguments(self, count: int) -> list[Expression]:
        self.take("(")
        found = [self.disjunction()]
        while self.peek(","):
            self.at += 1
            found.append(self.disjunction())
        self.take(")")
        if len(found) != count:
            raise ConditionError(f"takes {count} argument(s), not {len(found)} {self.where()}")
        return found

    def primary(self) -> Expression:  # noqa: C901 - one branch per kind of term
        if self.at >= len(self.tokens):
            raise ConditionError("the expression ends too early")
        token = self.tokens[self.at]
        if token.kind == "string":
            self.at += 1
            text = re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), token.text[1:-1])
            return lambda d: text
        if token.kind == "number":
            self.at += 1
            number = float(token.text) if "." in token.text else int(token.text)
            return lambda d: number
        if token.kind == "keyword" and token.text in ("true", "false", "null"):
            self.at += 1
            constant = {"true": True, "false": False, "null": None}[token.text]
            return lambda d: constant
        if token.kind == "keyword" and token.text == "if":
            return self.conditional()
        if token.kind == "function":
            self.at += 1
            return self.function(token.text)
        if token.text == "(" and token.kind == "op":
            self.at += 1
            inner = self.disjunction()
            self.take(")")
            return inner
        if token.text == "[" and token.kind == "op":
            return self.list_literal()
        if token.kind == "name":
            return self.path()
        raise ConditionError(f"unexpected {self.where()}")

    def conditional(self) -> Expression:
        self.take("if")
        test = self.disjunction()
        self.take("then")
        yes = self.disjunction()
        self.take("else")
        no = self.disjunction()
        return lambda d: yes(d) if _chosen(test(d)) else no(d)

    def function(self, name: str) -> Expression:
        if name == "not":
            (inner,) = self.arguments(1)
            return lambda d: (not value) if isinstance(value := inner(d), bool) else None
        if name == "list contains":
            items, wanted = self.arguments(2)
            return lambda d: _contains(items(d), wanted(d))
        if self.peek("(") and self.at + 1 < len(self.tokens) and self.tokens[self.at + 1].kind == "name":
            self.take("(")
            self.names()
            self.take(")")
            return lambda d: None  # form-js 1.23 answers null, whatever the variable holds
        raise ConditionError(f"is defined(…) takes a variable name {self.where()}")

    def list_literal(self) -> Expression:
        self.take("[")
        items: list[Expression] = []
        if not self.peek("]"):
            items.append(self.disjunction())
            while self.peek(","):
                self.at += 1
                items.append(self.disjunction())
        self.take("]")
        return lambda d: [item(d) for item in items]

    def names(self) -> list[str]:
        names = [self.tokens[self.at].text]
        self.at += 1
        while self.peek("."):
            self.at += 1
            if self.at >= len(self.tokens) or self.tokens[self.at].kind != "name":
                raise ConditionError(f"expected a name after '.' {self.where()}")
            names.append(self.tokens[self.at].text)
            self.at += 1
        return names

    def path(self) -> Expression:
        names = self.names()
        return lambda d: _lookup(d, names)


def _chosen(value: Any) -> bool:
    """`if` takes its then branch for anything but null and false (0 and "" included)."""
    return value is not None and value is not False


def _identical(a: Any, b: Any) -> bool:
    """JavaScript's ===: lists and objects are never identical to another value, true is not 1."""
    if isinstance(a, (list, tuple, Mapping)) or isinstance(b, (list, tuple, Mapping)):
        return False
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return _kind(a) == _kind(b) and a == b


def _contains(items: Any, wanted: Any) -> bool | None:
    """feelin's `list contains`: no list is null, one value is a list of it, items compared with ===."""
    if items is None:
        return None
    items = items if isinstance(items, (list, tuple)) else [items]
    return any(_identical(item, wanted) for item in items)


def compile_condition(source: str) -> Expression:
    """The expression (written `=…`) as a function of the data; ConditionError when outside the subset."""
    if not isinstance(source, str) or not source.strip().startswith("="):
        raise ConditionError("a condition is a FEEL expression starting with '='")
    expression = _Parser(source.strip()[1:]).parse()

    def evaluate(data: Mapping[str, Any]) -> Any:
        try:
            return expression(data)
        except _Unsupported:
            return None
    return evaluate


def _unary_test(value: Any) -> bool:
    """A value as a unary test of an absent input: form-js compares it with null."""
    if isinstance(value, bool):
        return value
    if value is None:
        return True
    if isinstance(value, (list, tuple)):
        return any(item is None for item in value)
    return False


def _negated(source: str) -> str | None:
    """The inside of a condition that is `not(…)` as a whole, which a unary test reads as its negation."""
    text = source.strip()[1:].strip()
    match = re.match(r"not\s*\(", text)
    if match is None or not text.endswith(")"):
        return None
    depth, quoted = 0, False
    for index, char in enumerate(text[match.end() - 1:], start=match.end() - 1):
        if quoted:
            quoted = char != '"' or text[index - 1] == "\\"
        elif char == '"':
            quoted = True
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
            if depth == 0:
                return "=" + text[match.end():index] if index == len(text) - 1 else None
    return None


def is_hidden(source: str | None, data: Mapping[str, Any]) -> bool:
    """Whether a `conditional.hide` hides its field for this data, as form-js decides it."""
    if not source:
        return False
    inner = _negated(source)
    try:
        if inner is not None:
            return not _unary_test(_Parser(inner[1:]).parse()(data))
        return _unary_test(_Parser(source.strip()[1:]).parse()(data))
    except _Unsupported:
        return False
