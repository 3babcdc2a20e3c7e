"""How big a value is to the C code that will walk it, and which values may be hashed.

Why: `b = [a] * 10000; c = [b] * 10000` costs twenty thousand slots to build, but
`str(c)`, `c == c2` or writing `c` into the case data walk 10**8 references to `a`.
Built-ins do not share work between repeated references, so neither does this
measure: the *logical size* counts every reference (one per value and slot, plus the
characters of text). The walk stops as soon as it passes its cap and is charged to the
budget, so measuring costs no more than the operation it protects would.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

from .budget import Budget
from .errors import UnsafeExpression

TEXT = (str, bytes)
SCALARS = (str, bytes, int, float, bool, type(None))
CONTAINERS = (list, tuple, dict, set, frozenset)
MAX_DATA_DEPTH = 50  # nesting of a value left in the case data (the engine copies it recursively)
_HASH_MODULUS = sys.hash_info.modulus  # ints below it have distinct hashes
_WALK_CHUNK = 1 << 16  # a long walk charges (and so checks the clock) every this many values


def _own_size(item: Any) -> int:
    kind = type(item)
    if kind is str or kind is bytes:
        return 1 + len(item)
    if kind is dict:
        return 1 + 2 * len(item)
    if kind in CONTAINERS:
        return 1 + len(item)
    if kind is int:
        return 1 + item.bit_length() // 64
    return 1


def _children(item: Any) -> Iterable[Any]:
    if type(item) is dict:
        return [*item.keys(), *item.values()]
    return item if type(item) in CONTAINERS else ()


def logical_size(value: Any, budget: Budget, cap: int) -> int:
    """Size of `value` with sharing unrolled; stops (returning more than `cap`) once past `cap`."""
    if type(value) not in CONTAINERS:
        return _own_size(value)
    total, visited, stack = 0, 0, [value]
    while stack and total <= cap:  # pushes never exceed `total`: a container counts its slots
        item = stack.pop()
        visited += 1
        if visited % _WALK_CHUNK == 0:
            budget.charge(_WALK_CHUNK)
        total += _own_size(item)
        if type(item) in CONTAINERS:
            stack.extend(_children(item))
    budget.charge(visited % _WALK_CHUNK)
    return total


def measured(value: Any, budget: Budget, what: str = "a value") -> int:
    """The logical size of `value`, refused when over the run's limit."""
    size = logical_size(value, budget, budget.limits.logical_size)
    budget.too_large(size, what)
    return size


def text_size(value: Any, budget: Budget, as_repr: bool = False) -> int:
    """About the characters `str(value)` (or `repr` with `as_repr`) produces.

    Text as itself is its length; a repr may escape a character into up to ten (\\U0001xxxx),
    so a repr is charged four per character and bounded at ten by the logical-size cap.
    """
    kind = type(value)
    if kind is str:
        return 4 * len(value) + 2 if as_repr else len(value)
    if kind is bytes:
        return 4 * len(value) + 3
    if kind is int:
        return value.bit_length() // 3 + 2
    if kind in CONTAINERS:
        return measured(value, budget, "a value turned into text")
    return 32  # float, bool, None: a few dozen characters at most


def check_key(value: Any) -> Any:
    """Only values whose hashes cannot be made to collide may become dict keys or set members.

    Text hashes are salted per process; ints below the hash modulus and floats hash to
    (nearly) distinct values. Large ints (`k * (2**61 - 1)` all hash to 0) and tuples
    (whose hash combines element hashes one can solve for) could be chosen to collide,
    turning one `set(...)` into a quadratic C loop the budget cannot interrupt.
    """
    kind = type(value)
    if kind is str or kind is float or kind is bool or value is None or kind is bytes:
        return value
    if kind is int:
        if -_HASH_MODULUS < value < _HASH_MODULUS:
            return value
        raise UnsafeExpression("a number this large cannot be a dict key or set member")
    raise UnsafeExpression(f"a {kind.__name__} value cannot be a dict key or set member "
                           "(use text or a number)")


def check_stored(values: Iterable[tuple[str, Any]], budget: Budget) -> None:
    """What diagram code leaves in the case data must stay writable: bounded size with sharing
    unrolled (as JSON writes it) and bounded nesting (the engine deep-copies and merges task
    data recursively). `values` are (label, value) pairs such as ("variable 'x'", [...])."""
    cap, total, visited = budget.limits.case_data_size, 0, 0
    for label, value in values:
        if type(value) not in CONTAINERS:
            continue
        stack: list[tuple[Any, int]] = [(value, 1)]
        while stack:
            item, depth = stack.pop()
            visited += 1
            if visited % _WALK_CHUNK == 0:
                budget.charge(_WALK_CHUNK)
            total += _own_size(item)
            if total > cap:
                budget.fail("size", f"the case data would be larger than {cap:,} characters and items "
                                    f"(at {label}; a value repeated inside itself?)")
            if type(item) in CONTAINERS:
                if depth > MAX_DATA_DEPTH:
                    budget.fail("nesting", f"{label} is nested more than {MAX_DATA_DEPTH} levels deep")
                stack.extend((child, depth + 1) for child in _children(item))
    budget.charge(visited % _WALK_CHUNK)
