"""Expressions written for other engines, recognised so the message says what they are and what to write.

Camunda and Flowable write conditions and timers in JUEL (`${amount > 1000}`, `#{approved}`); the
DMN standard writes cells in FEEL (`true`, `[1..10]`). This engine evaluates Python expressions, so
such a text fails with a syntax error, or, worse, reads a variable named `true`. The Python form
offered is a suggestion the owner checks, made for the common operators only.
"""

from __future__ import annotations

import ast
import re

_JUEL = re.compile(r"^\s*[$#]\{(?P<body>.*)\}\s*$", re.DOTALL)
_WORDS = {"eq": "==", "ne": "!=", "lt": "<", "gt": ">", "le": "<=", "ge": ">=", "null": "None",
          "true": "True", "false": "False", "div": "/", "mod": "%"}
_FEEL_NAMES = {"true": "True", "false": "False", "null": "None"}
_QUOTED = re.compile(r"""("[^"]*"|'[^']*')""")


def juel_body(source: str | None) -> str | None:
    """The inside of a JUEL `${…}` / `#{…}` expression, or None when the text is no such expression."""
    found = _JUEL.match(source or "")
    return found.group("body") if found else None


def python_of_juel(body: str) -> str:
    """`amount > 1000 && !rejected` → `amount > 1000 and not rejected` (outside quoted text)."""
    parts = _QUOTED.split(body.strip())
    for i in range(0, len(parts), 2):  # the even parts are outside quotes
        text = parts[i].replace("&&", " and ").replace("||", " or ")
        text = re.sub(r"!(?!=)", " not ", text)
        text = re.sub(r"\b(eq|ne|lt|gt|le|ge|null|true|false|div|mod)\b", lambda m: _WORDS[m.group(1)], text)
        text = re.sub(r"\bempty\s+(\w[\w.]*)", r"not \1", text)
        parts[i] = re.sub(r"\s+", " ", text)
    return "".join(parts).strip()


def feel_names(names: set[str]) -> dict[str, str]:
    """FEEL's literal names among the names a cell reads, with the Python they stand for."""
    return {name: _FEEL_NAMES[name] for name in sorted(names) if name in _FEEL_NAMES}


def names_loaded(source: str) -> set[str]:
    """Every name an expression reads (no built-ins removed): enough to spot FEEL's `true`."""
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
