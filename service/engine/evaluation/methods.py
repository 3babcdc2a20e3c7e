"""Method calls on data values (`text.split(',')`, `items.append(x)`), charged before they run.

Each family has its cost model: text methods scan their text (a search may compare up
to `search_cost` characters), list methods move or compare their elements, dict and
set methods hash their arguments (which must be keys `check_key` accepts). Results
are charged as allocations; those that could be far larger than their inputs
(`join`, `replace`) are sized before they are built.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .budget import CHARS_PER_OPERATION
from .errors import UnsafeExpression
from .sizes import TEXT, check_key

if TYPE_CHECKING:
    from .guard import Guard

_DATA_TYPES = (str, bytes, int, float, bool, list, tuple, dict, set, frozenset, type(None))
_REVERSE_SEARCH = frozenset({"rfind", "rindex", "rsplit", "rpartition"})
_SEARCH = frozenset({"find", "index", "count", "replace", "split", "partition", "startswith",
                     "endswith", "removeprefix", "removesuffix"}) | _REVERSE_SEARCH
_STRIP = frozenset({"strip", "lstrip", "rstrip"})
_SET_ALGEBRA = frozenset({"union", "intersection", "difference", "issubset", "issuperset", "update"})


def call_method(guard: Guard, obj: Any, name: str, args: tuple[Any, ...],
                kwargs: dict[str, Any]) -> Any:
    kind = type(obj)
    if kind not in _DATA_TYPES:
        raise UnsafeExpression(f"calling methods of {kind.__name__!r} values")
    if kind is str or kind is bytes:
        return _text_method(guard, obj, name, args, kwargs)
    if kind is list or kind is tuple:
        return _sequence_method(guard, obj, name, args, kwargs)
    if kind is dict:
        return _dict_method(guard, obj, name, args, kwargs)
    if kind is set or kind is frozenset:
        return _set_method(guard, obj, name, args, kwargs)
    guard.budget.charge()
    return getattr(obj, name)(*args, **kwargs)  # numbers and None have none of the allowed names


def _charge_result(guard: Guard, result: Any, extra: int = 0) -> Any:
    from .guard import MAX_LENGTH, limit
    if isinstance(result, (*TEXT, list, tuple, dict, set)):
        limit(len(result), MAX_LENGTH, "length of a result")
        guard.budget.allocate(len(result) + extra)
    return result


def _text_method(guard: Guard, obj: str | bytes, name: str, args: tuple[Any, ...],
                 kwargs: dict[str, Any]) -> Any:
    from .guard import search_cost
    if name == "join":
        return _join(guard, obj, args)
    needle = args[0] if args else kwargs.get("sep")
    if name in _SEARCH and needle is not None:
        needles = needle if type(needle) is tuple else (needle,)  # startswith(('a', 'b'))
        length = sum(len(n) for n in needles if isinstance(n, TEXT))
        cost = search_cost(len(obj), length, name in _REVERSE_SEARCH)
    elif name in _STRIP and needle is not None and isinstance(needle, TEXT):
        cost = len(obj) * max(len(needle), 1)
    else:
        cost = len(obj)
    guard.budget.charge(1 + cost // CHARS_PER_OPERATION)
    if name == "replace" and len(args) >= 2:
        _size_replacement(guard, obj, args)
    result = getattr(obj, name)(*args, **kwargs)
    return _charge_result(guard, result, len(obj) if type(result) in (list, tuple) else 0)


def _join(guard: Guard, separator: str | bytes, args: tuple[Any, ...]) -> Any:
    from .guard import MAX_LENGTH, limit
    parts = guard.functions["list"](*args)
    guard.budget.charge(1 + len(parts))
    total = sum(len(p) for p in parts if isinstance(p, TEXT)) + len(separator) * max(len(parts) - 1, 0)
    limit(total, MAX_LENGTH, "length of a result")
    guard.budget.allocate(total)
    return separator.join(parts)


def _size_replacement(guard: Guard, text: str | bytes, args: tuple[Any, ...]) -> None:
    from .guard import MAX_LENGTH, limit
    old, new = args[0], args[1]
    if not (isinstance(old, TEXT) and isinstance(new, TEXT)):
        return  # the method's TypeError says what was wrong
    grow = max(len(new) - len(old), 0)
    size = len(text) + text.count(old) * grow  # type: ignore[arg-type]
    limit(size, MAX_LENGTH, "length of a result")
    guard.budget.allocate(size)


def _sequence_method(guard: Guard, obj: list[Any] | tuple[Any, ...], name: str, args: tuple[Any, ...],
                     kwargs: dict[str, Any]) -> Any:
    budget = guard.budget
    if name in ("count", "index", "remove") and args:
        guard.charge_scan(obj, args[0])
    elif name == "sort" and type(obj) is list:
        obj[:] = guard.functions["sorted"](obj, **kwargs)
        return None
    elif name == "extend" and args:
        items = guard.functions["list"](args[0])
        return obj.extend(items)  # type: ignore[union-attr]
    elif name == "append":
        budget.allocate(1)
    elif name == "copy":
        budget.allocate(len(obj))
    else:  # insert, pop, reverse, clear: move or drop every element at most once
        budget.charge(1 + len(obj) // CHARS_PER_OPERATION)
    return getattr(obj, name)(*args, **kwargs)


def _dict_method(guard: Guard, obj: dict[Any, Any], name: str, args: tuple[Any, ...],
                 kwargs: dict[str, Any]) -> Any:
    budget = guard.budget
    if name in ("get", "pop", "setdefault") and args:
        budget.charge()
        check_key(args[0])
        if name == "setdefault":
            budget.allocate(1)
    elif name in ("keys", "values", "items"):  # lists, not views: views do set algebra in C
        budget.allocate(len(obj) * (3 if name == "items" else 1))
        return list(getattr(obj, name)())
    elif name == "update":
        other = guard.functions["dict"](*args, **kwargs)
        budget.allocate(len(other))
        return obj.update(other)
    elif name == "copy":
        budget.allocate(len(obj))
    else:
        budget.charge(1 + len(obj) // CHARS_PER_OPERATION)
    return getattr(obj, name)(*args, **kwargs)


def _set_method(guard: Guard, obj: set[Any] | frozenset[Any], name: str, args: tuple[Any, ...],
                kwargs: dict[str, Any]) -> Any:
    budget = guard.budget
    if name in ("add", "discard", "remove") and args:
        budget.charge()
        check_key(args[0])
    elif name in _SET_ALGEBRA:
        others = [other if isinstance(other, (set, frozenset, Mapping)) else guard.functions["set"](other)
                  for other in args]  # members of sets are checked keys already
        budget.charge(1 + (len(obj) + sum(len(o) for o in others)) // CHARS_PER_OPERATION)
        return _charge_result(guard, getattr(obj, name)(*others, **kwargs))
    elif name == "copy":
        budget.allocate(len(obj))
    else:
        budget.charge(1 + len(obj) // CHARS_PER_OPERATION)
    return getattr(obj, name)(*args, **kwargs)
