"""Run-time checks the rewritten diagram code calls for every operation that can cost.

Each method charges the run's budget *before* the C code it protects runs, with an
upper bound of what that code will touch or create, so no single uninterruptible call
can outgrow the limits; then it performs the operation. `methods.py` and
`functions.py` do the same for method calls and built-in functions.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .budget import CHARS_PER_OPERATION, Budget
from .errors import UnsafeExpression
from .sizes import CONTAINERS, SCALARS, TEXT, check_key, logical_size, measured, text_size

MAX_LENGTH = 1_000_000  # characters or items one operation may produce
MAX_INT_BITS = 10_000  # about 3,000 decimal digits
_SEQUENCES = (str, bytes, list, tuple)
_COLLECTIONS = (set, frozenset, dict)
_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le, "gt": operator.gt,
    "ge": operator.ge}


def limit(amount: int, most: int, what: str) -> None:
    if amount > most:
        raise UnsafeExpression(f"{what} {amount} exceeds the limit of {most}")


def result_size(op: str, a: Any, b: Any) -> int:
    """Refuse results too long or numbers too large; else the slots/characters the result needs."""
    if op == "mod" and isinstance(a, TEXT):
        raise UnsafeExpression("'%' string formatting is not allowed (use an f-string)")
    if type(a) is int and type(b) is int and op in ("mul", "pow", "lshift"):
        bits = a.bit_length() * b if op == "pow" else a.bit_length() + (
            b if op == "lshift" else b.bit_length())
        limit(bits, MAX_INT_BITS, "bits of a number")
        return 0
    if op == "add" and isinstance(a, _SEQUENCES) and isinstance(b, _SEQUENCES):
        limit(len(a) + len(b), MAX_LENGTH, "length of a result")
        return len(a) + len(b)
    for seq, n in ((a, b), (b, a)) if op == "mul" else ():
        if isinstance(seq, _SEQUENCES) and type(n) in (int, bool):
            limit(len(seq) * n, MAX_LENGTH, "length of a result")
            return max(len(seq) * n, 0)
    if isinstance(a, _COLLECTIONS) and isinstance(b, _COLLECTIONS):  # | & ^ - of sets, | of dicts
        return len(a) + len(b)
    return 0


def arithmetic(op: str, a: Any, b: Any) -> Any:
    """The operation once its size is known to be acceptable (also used to fold constants)."""
    result_size(op, a, b)
    return getattr(operator, op)(a, b)


def _bits(value: Any) -> int:
    return value.bit_length() if type(value) is int else 0


class Guard:
    """One per engine run (it charges that run's budget); `__guard__` in the rewritten code."""

    def __init__(self, budget: Budget) -> None:
        from .functions import GuardedFunctions  # they call back into this guard
        self.budget = budget
        self.functions: dict[str, Callable[..., Any]] = GuardedFunctions(self).table()

    # -- building values ------------------------------------------------------------------

    def iterate(self, iterable: Iterable[Any]) -> Iterator[Any]:
        step = self.budget.step
        for item in iterable:
            step()
            yield item

    def build(self, value: Any) -> Any:
        """A list, tuple, set or dict display: as many slots as the source wrote (or unpacked)."""
        self.budget.allocate(len(value))
        return value

    def key(self, value: Any) -> Any:
        self.budget.charge()
        return check_key(value)

    def formatted(self, value: Any, as_repr: bool = False) -> Any:
        """A field of an f-string, charged for the text it will become before it is formatted."""
        self.budget.allocate(text_size(value, self.budget, as_repr))
        return value

    def text(self, value: str) -> str:
        limit(len(value), MAX_LENGTH, "length of a result")
        self.budget.charge(1 + len(value) // CHARS_PER_OPERATION)
        return value

    def item(self, obj: Any, key: Any) -> Any:
        self.budget.charge()
        if type(key) is slice:
            result = obj[key]
            if isinstance(result, (*_SEQUENCES,)):
                self.budget.allocate(len(result))
            return result
        if type(obj) is dict:
            check_key(key)
        return obj[key]

    # -- operators ------------------------------------------------------------------------

    def binop(self, op: str, a: Any, b: Any) -> Any:
        bits = _bits(a) * max(b, 1) if op == "pow" and type(b) is int else _bits(a) + _bits(b)
        self.budget.charge(1 + bits // CHARS_PER_OPERATION)
        size = result_size(op, a, b)
        if size:
            self.budget.allocate(size)
        return getattr(operator, op)(a, b)

    def compare(self, op: str, a: Any, b: Any) -> Any:
        if op == "is":
            self.budget.charge()
            return a is b
        if op == "is_not":
            self.budget.charge()
            return a is not b
        if op == "in":
            return self.contains(b, a)
        if op == "not_in":
            return not self.contains(b, a)
        self.budget.charge(1 + self.comparison_cost(a, b) // CHARS_PER_OPERATION)
        return _COMPARE[op](a, b)

    def chain(self, left: Any, *rest: Any) -> Any:
        """`a < b < c`: operator names and thunks alternate, so later operands stay lazy."""
        result: Any = True
        for index in range(0, len(rest), 2):
            right = rest[index + 1]()
            result = self.compare(rest[index], left, right)
            if not result:
                return result
            left = right
        return result

    def comparison_cost(self, a: Any, b: Any) -> int:
        """Characters or items `a == b` / `a < b` may touch: the smaller side, sharing unrolled."""
        if isinstance(a, TEXT) and isinstance(b, TEXT):
            return min(len(a), len(b))
        if type(a) in CONTAINERS and type(b) in CONTAINERS:
            cap = self.budget.limits.logical_size
            first = logical_size(a, self.budget, cap)
            second = logical_size(b, self.budget, min(cap, first))
            self.budget.too_large(min(first, second), "a value compared")
            return 0  # the walks were charged; the comparison costs no more than they did
        return _bits(a) + _bits(b)

    def contains(self, container: Any, item: Any) -> bool:
        kind = type(container)
        if kind is str or kind is bytes:
            if isinstance(item, TEXT):
                self.budget.charge(1 + search_cost(len(container), len(item)) // CHARS_PER_OPERATION)
            return item in container
        if kind in _COLLECTIONS:
            self.budget.charge(1 + (len(item) if isinstance(item, TEXT) else 0) // CHARS_PER_OPERATION)
            return check_key(item) in container
        if kind is list or kind is tuple:
            self.charge_scan(container, item)
            return item in container
        if kind in SCALARS:
            return item in container  # the TypeError says what was wrong
        return any(self.compare("eq", item, each) for each in container)  # a generator: item by item

    def charge_scan(self, sequence: list[Any] | tuple[Any, ...], item: Any) -> None:
        """`item in sequence`, `.count`, `.index`, `.remove`: one comparison per element."""
        if type(item) in SCALARS:
            per = 1 + len(item) if isinstance(item, TEXT) else 1
            self.budget.charge(1 + len(sequence) * per // CHARS_PER_OPERATION)
        else:
            measured(sequence, self.budget, "a list searched")

    def method(self, obj: Any, name: str, /, *args: Any, **kwargs: Any) -> Any:
        from .methods import call_method
        return call_method(self, obj, name, args, kwargs)


def search_cost(haystack: int, needle: int, reverse: bool = False) -> int:
    """Characters CPython's substring search may compare: its forward search is near linear
    for long needles, its reverse search (rfind, rsplit, rpartition) is not."""
    if reverse:
        return haystack * max(needle, 1) + needle
    return haystack * min(max(needle, 1), 100) + needle
