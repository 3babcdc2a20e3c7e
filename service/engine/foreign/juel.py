"""JUEL (`${…}`, `#{…}`, Camunda's and Flowable's expression language) → the Python expression
this engine evaluates, when — and only when — the translation is certain.

Certain means: names, numbers, strings, true/false/null, comparisons, and/or/not and parentheses.
Everything else (property access `a.b`, method calls, `empty`, the ternary, arithmetic on strings,
mixed text and expressions) has no exact Python twin over case data, so it returns None and the
caller reports the expression instead of rewriting it.
"""

from __future__ import annotations

import keyword
import re

_WRAPPED = re.compile(r"^\s*[$#]\{(?P<body>.*)\}\s*$", re.DOTALL)
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<op>==|!=|<=|>=|&&|\|\||[<>!()])
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
""", re.VERBOSE)
_WORDS = {"and": "and", "or": "or", "not": "not", "eq": "==", "ne": "!=", "lt": "<", "gt": ">",
          "le": "<=", "ge": ">=", "true": "True", "false": "False", "null": "None"}
_OPS = {"&&": "and", "||": "or", "!": "not"}
# Python words that are not JUEL's: a variable called so cannot be written as a plain name
_RESERVED = set(keyword.kwlist) | {"True", "False", "None"}
_REFUSED_WORDS = {"empty", "div", "mod", "instanceof", "execution", "task"}


def is_juel(text: str | None) -> bool:
    return bool(text) and _WRAPPED.match(text or "") is not None


def to_python(text: str) -> str | None:
    """The Python expression that means what the JUEL `text` means, or None when not certain."""
    wrapped = _WRAPPED.match(text)
    if wrapped is None or "${" in wrapped.group("body") or "#{" in wrapped.group("body"):
        return None
    body = wrapped.group("body")
    out: list[str] = []
    at = 0
    while at < len(body):
        token = _TOKEN.match(body, at)
        if token is None:
            return None
        at = token.end()
        kind, value = token.lastgroup, token.group()
        if kind == "space":
            continue
        if kind == "name":
            if value in _REFUSED_WORDS:
                return None
            if value in _WORDS:
                out.append(_WORDS[value])
                continue
            if value in _RESERVED or (at < len(body) and body[at] in ".(["):
                return None  # a Python keyword as variable, a property or a method call
            out.append(value)
        elif kind == "op":
            out.append(_OPS.get(value, value))
        else:
            out.append(value)
    if not out:
        return None
    result = _join(out)
    try:
        compile(result, "<juel>", "eval")
    except SyntaxError:
        return None
    return result


def _join(tokens: list[str]) -> str:
    text = ""
    for token in tokens:
        if not text or text.endswith("(") or token == ")":
            text += token
        elif text.endswith("not") and token == "(":
            text += " ("
        else:
            text += " " + token
    return text
