"""FEEL as Camunda 8 (Zeebe) writes it in a diagram (`= approved`, `=amount > 1000`) → Python, when certain.

Certain means: names, numbers, double-quoted strings, true/false/null, comparisons (FEEL's `=` is
Python's `==`), and/or, `not(…)` and parentheses. Quantifiers (`some … satisfies`), ranges,
paths (`a.b`), lists, names with spaces and other functions are not translated.
"""

from __future__ import annotations

import keyword
import re

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<op>!=|<=|>=|=|[<>()])
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
""", re.VERBOSE)
_WORDS = {"and": "and", "or": "or", "true": "True", "false": "False", "null": "None"}
_REFUSED = {"some", "every", "in", "satisfies", "for", "return", "if", "then", "else", "between", "instance",
            "function"} | set(keyword.kwlist)


def is_feel(text: str | None) -> bool:
    return bool(text) and (text or "").lstrip().startswith("=")


def to_python(text: str) -> str | None:
    body = text.strip()[1:]
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
            follows = body[at:].lstrip()[:1]
            if value == "not" and follows == "(":
                out.append("not")
            elif value in _WORDS:
                out.append(_WORDS[value])
            elif value in _REFUSED or value in ("True", "False", "None") or follows in (".", "[", "("):
                return None
            else:
                out.append(value)
        elif kind == "op":
            out.append("==" if value == "=" else value)
        else:
            out.append(value)
    if not out:
        return None
    result = " ".join(out).replace("( ", "(").replace(" )", ")")
    try:
        compile(result, "<feel>", "eval")
    except SyntaxError:
        return None
    return result
