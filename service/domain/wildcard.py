"""The `*` wildcard of the search boxes: `2by*5084*4*1` finds `2BY.5084.1044.1`, case-insensitive.

Why two readings: people type a bare word (`欧莱雅`, `5084`) expecting to find it anywhere in a field,
and a pattern with `*` (`HT-2026*`, `*上海*`) expecting the whole field to fit it, as in a file
manager. So a term without `*` matches as a substring; a term with `*` matches the whole value, each
`*` standing for any run of characters (none included). Every other character means itself, `%`,
`_` and backslashes included. The same reading is offered as a Python test (`matches`) and as an
SQL LIKE pattern (`like_pattern`, escaped with `LIKE_ESCAPE`) for queries over many rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable

WILDCARD = "*"
LIKE_ESCAPE = "\\"


def terms(text: str) -> list[str]:
    """The search text split at white space (ideographic space included): every term must match."""
    return [term for term in re.split(r"[\s\u3000]+", text.strip()) if term and term.strip(WILDCARD)] \
        or ([WILDCARD] if text.strip() else [])


def fold(value: str) -> str:
    """Case folded as the search compares (ß → ss, Ａ stays full width)."""
    return value.casefold()


def compile_term(term: str) -> re.Pattern[str]:
    folded = fold(term)
    if WILDCARD not in folded:
        return re.compile(re.escape(folded))
    parts = [re.escape(part) for part in folded.split(WILDCARD)]
    return re.compile("^" + ".*".join(parts) + "$", re.DOTALL)


def matcher(term: str) -> Callable[[str], bool]:
    """A test of one value against one term (substring without `*`, the whole value with it)."""
    pattern = compile_term(term)
    if WILDCARD in term:
        return lambda value: pattern.match(fold(value or "")) is not None
    return lambda value: pattern.search(fold(value or "")) is not None


def matches(term: str, value: str) -> bool:
    return matcher(term)(value)


def like_pattern(term: str) -> str:
    """The term as a LIKE pattern over lower-cased values: `2by*5084` → `2by%5084`, `5084` → `%5084%`."""
    escaped = "".join(LIKE_ESCAPE + c if c in "%_" + LIKE_ESCAPE else c for c in term.lower())
    if WILDCARD not in escaped:
        return f"%{escaped}%"
    return escaped.replace(WILDCARD, "%")
