"""The built-in functions diagram code may call, each charged for what it will touch.

Arguments that are iterated are first turned into a list (a generator's items are
charged one by one as they come); then the work is bounded before the C function runs:
ordering (`min`, `max`, `sorted`) by the sizes of what is compared, hashing (`set`,
`dict`) by `check_key`, conversions by the length of their input or output.
"""

from __future__ import annotations

import builtins
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .budget import CHARS_PER_OPERATION
from .errors import UnsafeExpression
from .sizes import CONTAINERS, TEXT, check_key, logical_size, text_size

if TYPE_CHECKING:
    from .guard import Guard

NAMES = ("len", "min", "max", "sum", "abs", "round", "int", "float", "str", "bool", "sorted", "any",
         "all", "list", "dict", "set", "tuple")
MAX_ROUND_DIGITS = 100
_MISSING = object()
_NUMBERS = (int, float, bool)


class GuardedFunctions:
    """Bound to one guard; `table()` is what `__functions__` and `__builtins__` hold."""

    def __init__(self, guard: Guard) -> None:
        self.guard, self.budget = guard, guard.budget

    def table(self) -> dict[str, Callable[..., Any]]:
        return {name: getattr(self, f"{name}_") for name in NAMES}

    # -- helpers --------------------------------------------------------------------------

    def items(self, iterable: Any) -> list[Any] | tuple[Any, ...]:
        """`iterable` as a list or tuple, charged for the slots a copy needs."""
        kind = type(iterable)
        if kind is list or kind is tuple:
            return iterable
        if kind in (str, bytes, dict, set, frozenset):
            self.budget.allocate(len(iterable))
            return builtins.list(iterable)
        if kind in (int, float, bool, type(None)):
            return builtins.list(iterable)  # raises the TypeError that says what was wrong
        return builtins.list(self.guard.iterate(iterable))  # a generator: item by item

    def charge_ordering(self, keys: list[Any] | tuple[Any, ...], rounds: int = 1) -> None:
        """Comparing `keys` touches at most their sizes (sharing unrolled), `rounds` times."""
        self.budget.charge(1 + builtins.len(keys))  # before the loop below, which is not interrupted
        cap, total = self.budget.limits.logical_size, 0
        for key in keys:
            kind = type(key)
            if kind is str or kind is bytes:
                total += 1 + len(key)
            elif kind in CONTAINERS:
                total += logical_size(key, self.budget, cap - total)
            else:
                total += 1
            self.budget.too_large(total, "the values compared")
        self.budget.charge(total * rounds // CHARS_PER_OPERATION)

    def _keys(self, items: list[Any] | tuple[Any, ...], key: Any) -> list[Any] | tuple[Any, ...]:
        return items if key is None else [key(item) for item in items]

    def _pick(self, pick: Callable[..., Any], args: tuple[Any, ...], key: Any, default: Any) -> Any:
        items = self.items(args[0]) if len(args) == 1 else args
        if not args:
            return pick()  # the TypeError of the built-in
        keys = self._keys(items, key)
        self.charge_ordering(keys)
        if not items:
            return pick((), default=default) if default is not _MISSING else pick(())
        if key is None:
            return pick(items)
        return items[pick(builtins.range(builtins.len(items)), key=keys.__getitem__)]

    # -- the functions --------------------------------------------------------------------

    def len_(self, obj: Any, /) -> int:
        self.budget.charge()
        return builtins.len(obj)

    def abs_(self, number: Any, /) -> Any:
        self.budget.charge()
        return builtins.abs(number)

    def bool_(self, value: Any = False, /) -> bool:
        self.budget.charge()
        return builtins.bool(value)

    def int_(self, value: Any = 0, /, *args: Any, **kwargs: Any) -> int:
        from .guard import MAX_INT_BITS, limit
        self.budget.charge(1 + (builtins.len(value) if isinstance(value, TEXT) else 0) // CHARS_PER_OPERATION)
        result = builtins.int(value, *args, **kwargs)
        limit(result.bit_length(), MAX_INT_BITS, "bits of a number")
        return result

    def float_(self, value: Any = 0.0, /) -> float:
        self.budget.charge(1 + (builtins.len(value) if isinstance(value, TEXT) else 0) // CHARS_PER_OPERATION)
        return builtins.float(value)

    def str_(self, value: Any = "", /, *args: Any, **kwargs: Any) -> str:
        from .guard import MAX_LENGTH, limit
        if args or kwargs:  # str(data, 'utf-8'): decoding, linear in the input
            self.budget.allocate(builtins.len(value) if isinstance(value, TEXT) else 0)
            return builtins.str(value, *args, **kwargs)
        if type(value) is str:
            self.budget.charge()
            return value
        self.budget.allocate(text_size(value, self.budget, as_repr=True))
        result = builtins.str(value)
        limit(builtins.len(result), MAX_LENGTH, "length of a result")
        return result

    def round_(self, number: Any, ndigits: Any = None) -> Any:
        if ndigits is not None and type(ndigits) is int and builtins.abs(ndigits) > MAX_ROUND_DIGITS:
            raise UnsafeExpression(f"round() to more than {MAX_ROUND_DIGITS} digits")
        self.budget.charge()
        return builtins.round(number, ndigits)

    def min_(self, *args: Any, key: Any = None, default: Any = _MISSING) -> Any:
        return self._pick(builtins.min, args, key, default)

    def max_(self, *args: Any, key: Any = None, default: Any = _MISSING) -> Any:
        return self._pick(builtins.max, args, key, default)

    def sorted_(self, iterable: Any, /, *, key: Any = None, reverse: bool = False) -> list[Any]:
        items = self.items(iterable)
        keys = self._keys(items, key)
        self.charge_ordering(keys, rounds=max(1, math.ceil(math.log2(builtins.len(items) or 1))))
        self.budget.allocate(builtins.len(items))
        if key is None:
            return builtins.sorted(items, reverse=reverse)
        order = builtins.sorted(builtins.range(builtins.len(items)), key=keys.__getitem__, reverse=reverse)
        return [items[index] for index in order]

    def sum_(self, iterable: Any, /, start: Any = 0) -> Any:
        items = self.items(iterable)
        self.budget.charge(1 + builtins.len(items))
        bits = 0
        for value in (*items, start):
            if type(value) not in _NUMBERS:
                raise UnsafeExpression(f"sum() adds numbers only, not {type(value).__name__} values "
                                       "(join text with ''.join(...), lists with +)")
            bits += value.bit_length() if type(value) is int else 1
        self.budget.charge(bits // CHARS_PER_OPERATION)
        return builtins.sum(items, start)

    def any_(self, iterable: Any, /) -> bool:
        return builtins.any(self._truths(iterable))

    def all_(self, iterable: Any, /) -> bool:
        return builtins.all(self._truths(iterable))

    def _truths(self, iterable: Any) -> Any:
        """Truth of a data value costs nothing; iterating a stored one is charged per item."""
        if type(iterable) in (*TEXT, *CONTAINERS):
            self.budget.charge(1 + builtins.len(iterable) // CHARS_PER_OPERATION)
            return iterable
        return iterable if type(iterable) in (int, float, bool, type(None)) else self.guard.iterate(iterable)

    def list_(self, iterable: Any = (), /) -> list[Any]:
        items = self.items(iterable)
        if items is iterable:
            self.budget.allocate(builtins.len(items))
        return builtins.list(items)

    def tuple_(self, iterable: Any = (), /) -> tuple[Any, ...]:
        items = self.items(iterable)
        if items is iterable:
            self.budget.allocate(builtins.len(items))
        return builtins.tuple(items)

    def set_(self, iterable: Any = (), /) -> set[Any]:
        items = self.items(iterable)
        self.budget.allocate(builtins.len(items))
        self.budget.charge(builtins.len(items))
        return builtins.set(check_key(item) for item in items)

    def dict_(self, pairs: Any = (), /, **kwargs: Any) -> dict[Any, Any]:
        if type(pairs) is dict:
            self.budget.allocate(builtins.len(pairs) + builtins.len(kwargs))
            return builtins.dict(pairs, **kwargs)
        items = self.items(pairs)
        self.budget.allocate(builtins.len(items) + builtins.len(kwargs))
        self.budget.charge(builtins.len(items))
        for pair in items:  # a pair the C code would iterate itself could hide an unchecked key
            if type(pair) not in (list, tuple, str, bytes):
                raise UnsafeExpression(f"dict() needs (key, value) pairs, not {type(pair).__name__} values")
            if builtins.len(pair) == 2:
                check_key(pair[0])
        return builtins.dict(items, **kwargs)
