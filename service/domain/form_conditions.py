"""The FEEL subset of form conditions (`conditional.hide`), evaluated on the server as form-js does.

Why: a required field hidden by its condition may stay empty, and one shown by it must be filled.
The browser decides with form-js's FEEL engine; the server must reach the same answer from the same
expression, so it understands exactly a small subset and refuses the rest when the form is loaded:
literals ("text", numbers, true, false, null, lists `[a, b]`), variable names and dotted paths,
`= != < <= > >=`, `and`, `or`, `not(x)`, parentheses, `if c then a else b`,
`list contains(list, value)` and `is defined(x)`. As in FEEL, comparing what cannot be compared gives
null, `and`/`or` are three-valued, and a field is hidden only when the expression is exactly true.
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


def _missing(value: Any) -> bool:
    return value is None


def _same_kind(a: Any, b: Any) -> bool:
    numbers = (int, float)
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool)
    if isinstance(a, numbers) and isinstance(b, numbers):
        return True
    return type(a) is type(b) or (isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)))


def _equal(a: Any, b: Any) -> bool | None:
    if _missing(a) or _missing(b):
        return _missing(a) and _missing(b)
    if not _same_kind(a, b):
        return None
    return bool(a == b)


def _compare(op: str, a: Any, b: Any) -> bool | None:
    if op == "=":
        return _equal(a, b)
    if op == "!=":
        same = _equal(a, b)
        return None if same is None else not same
    if _missing(a) or _missing(b) or not _same_kind(a, b) or isinstance(a, (bool, list, tuple, dict)):
        return None
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _and(a: Any, b: Any) -> bool | None:
    if a is False or b is False:
        return False
    return True if a is True and b is True else None


def _or(a: Any, b: Any) -> bool | None:
    if a is True or b is True:
        return True
    return False if a is False and b is False else None


def _lookup(data: Mapping[str, Any], path: list[str]) -> tuple[bool, Any]:
    value: Any = data
    for part in path:
        if not isinstance(value, Mapping) or part not in value:
            return False, None
        value = value[part]
    return True, value


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
        return lambda d: yes(d) if test(d) is True else no(d)

    def function(self, name: str) -> Expression:
        if name == "not":
            (inner,) = self.arguments(1)
            return lambda d: (not value) if isinstance(value := inner(d), bool) else None
        if name == "list contains":
            items, wanted = self.arguments(2)
            return lambda d: _contains(items(d), wanted(d))
        if self.peek("(") and self.at + 1 < len(self.tokens) and self.tokens[self.at + 1].kind == "name":
            self.take("(")
            names = self.names()
            self.take(")")
            return lambda d: (lambda found: found[0] and found[1] is not None)(_lookup(d, names))
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
        return lambda d: _lookup(d, names)[1]


def _contains(items: Any, wanted: Any) -> bool | None:
    if not isinstance(items, (list, tuple)):
        return None
    return any(_equal(item, wanted) is True for item in items)


def compile_condition(source: str) -> Expression:
    """The expression (written `=…`) as a function of the data; ConditionError when outside the subset."""
    if not isinstance(source, str) or not source.strip().startswith("="):
        raise ConditionError("a condition is a FEEL expression starting with '='")
    return _Parser(source.strip()[1:]).parse()


def is_hidden(source: str | None, data: Mapping[str, Any]) -> bool:
    """Whether a `conditional.hide` hides its field for this data (only an exact true hides)."""
    if not source:
        return False
    return compile_condition(source)(data) is True
