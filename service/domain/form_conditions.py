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

from .feel_values import Unsupported, chosen, compare, contains, feel_and, feel_or, lookup

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
            left = (lambda a, b: lambda d: feel_or(a(d), b(d)))(previous, right)
        return left

    def conjunction(self) -> Expression:
        left = self.comparison()
        while self.peek("and"):
            self.at += 1
            right, previous = self.comparison(), left
            left = (lambda a, b: lambda d: feel_and(a(d), b(d)))(previous, right)
        return left

    def comparison(self) -> Expression:
        left = self.primary()
        if self.peek(*_COMPARISONS):
            op = self.tokens[self.at].text
            self.at += 1
            right = self.primary()
            return lambda d: compare(op, left(d), right(d))
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
        return lambda d: yes(d) if chosen(test(d)) else no(d)

    def function(self, name: str) -> Expression:
        if name == "not":
            (inner,) = self.arguments(1)
            return lambda d: (not value) if isinstance(value := inner(d), bool) else None
        if name == "list contains":
            items, wanted = self.arguments(2)
            return lambda d: contains(items(d), wanted(d))
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
        return lambda d: lookup(d, names)


def compile_condition(source: str) -> Expression:
    """The expression (written `=…`) as a function of the data; ConditionError when outside the subset."""
    if not isinstance(source, str) or not source.strip().startswith("="):
        raise ConditionError("a condition is a FEEL expression starting with '='")
    expression = _Parser(source.strip()[1:]).parse()

    def evaluate(data: Mapping[str, Any]) -> Any:
        try:
            return expression(data)
        except Unsupported:
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
    except Unsupported:
        return False
