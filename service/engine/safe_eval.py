"""Restricted, bounded evaluator for the expressions and scripts process owners write in diagrams.

Why: gateway conditions, timers, service parameters, DMN cells, pre/post-scripts and
script tasks come from process owners and run on the server; they must never reach
imports, object internals or files, nor hang or exhaust a worker. The source is parsed
and checked against a whitelist (`evaluation/checker.py`), rewritten so that every
operation that can cost calls the guard (`evaluation/rewriter.py`), compiled once and
cached. At run time all evaluations of one engine run share one `Budget` of operations,
time and allocation (`evaluation/budget.py`); exceeding it, or running out of memory or
stack, ends the step with `BudgetExceeded` naming the element and the limit.

Why this is bounded. There are no loops, `def`, `lambda`, `range` or `iter`, so the only
repetition is a comprehension over an existing value, and every iteration is charged.
Between two charges at most O(source length) unguarded O(1) nodes run (names,
constants, `and`/`or`, `not`, unary minus on a number of at most 10,000 bits, `if`,
assignment). Every other operation is a guard call that charges, *before* the C code
runs, an upper bound of what it touches and creates, so no single uninterruptible call
can outgrow the caps (1 operation per 64 characters or items touched):

- binary operators: sequences repeat/concatenate to at most 1,000,000 items and the
  size is allocated first; numbers stay under 10,000 bits (`**`/`<<` only by constants up
  to 100); `%` on text is refused; set and dict algebra is linear in their sizes.
- comparisons and `in`: text is charged its length (substring search at most
  `search_cost`: CPython's reverse search is quadratic); containers are measured by a
  bounded walk of their *logical size* (shared parts counted once per reference, as C
  walks them) and refused above the cap, so `c == c2` with `c = [[a] * 10**4] * 10**4`
  costs one bounded walk; `in` on a dict or set hashes only accepted keys.
- hashing: dict keys and set members must be text, floats, bools, None or ints below the
  hash modulus; tuples and huge ints are refused because their hashes can be chosen to
  collide, which would make one `set(...)` a quadratic C loop.
- `str()`, f-string fields: text size is charged first (containers by logical size);
  format widths and precisions are constants up to 100; results over 1,000,000
  characters are refused.
- built-ins: `len`, `abs`, `bool` are O(1) on data values; `int`/`float` are linear in
  their text (and `int` results capped at 10,000 bits; CPython limits decimal text to
  4,300 digits); `round` refuses more than 100 digits (`round(1, -10**9)` computes
  10**10**9); `list`, `tuple`, `set`, `dict` copy a charged list (set and dict check every
  key, dict refuses pairs it would have to iterate itself); `min`, `max`, `sorted` charge
  the sizes of what they compare (times log2 n for sorting) and call key functions
  (only these guarded built-ins are callable) item by item; `sum` adds numbers only; `any`
  and `all` are charged per item.
- methods: text methods charge their scan (`join` and `replace` are sized before they
  build), list methods the elements they move or compare, dict/set methods check the keys
  they hash; `keys()`, `values()`, `items()` return lists (views would do set algebra in
  C). Expressions may not call methods that change a value; only scripts may.
- what is left in the case data after a script (and every expression's result) is
  walked: at most `case_data_size` with sharing unrolled, at most 50 levels deep, so the
  engine's deep copies and JSON serialisation stay bounded too.

A wall-clock deadline is checked at every charge as a backstop for the constant factors;
MemoryError and RecursionError raised inside diagram code end the step the same way
(CPython's default recursion limit turns deep C recursion in repr, comparison or copying
into RecursionError; nothing here raises it), and `service.engine.limits.cap_address_space`
keeps a process-wide memory backstop below them.
"""

from __future__ import annotations

import ast
import functools
import textwrap
from collections.abc import Mapping
from types import CodeType
from typing import Any

from .evaluation.budget import DEFAULT_LIMITS, EvaluationLimits, current_budget, engine_run
from .evaluation.checker import ALLOWED_METHODS, MAX_DEPTH, MAX_SOURCE_CHARS, MUTATING_METHODS, parse
from .evaluation.errors import BudgetExceeded, EvaluationRefused, UnsafeExpression, UnsafeSyntax
from .evaluation.guard import MAX_INT_BITS, MAX_LENGTH
from .evaluation.rewriter import Rewriter
from .evaluation.sizes import check_stored

__all__ = ["ALLOWED_METHODS", "DEFAULT_LIMITS", "MAX_DEPTH", "MAX_INT_BITS", "MAX_LENGTH",
           "MAX_SOURCE_CHARS", "MUTATING_METHODS", "SAFE_FUNCTIONS", "BudgetExceeded", "EvaluationLimits",
           "EvaluationRefused", "UnsafeExpression", "UnsafeSyntax", "check_expression", "check_script",
           "engine_run", "evaluate", "execute"]

SAFE_FUNCTIONS: dict[str, Any] = {f.__name__: f for f in (
    len, min, max, sum, abs, round, int, float, str, bool, sorted, any, all,
    list, dict, set, tuple)}  # the documented set; diagram code calls guarded versions of them
_CACHED_CHARS = 10_000  # longer sources are compiled each time rather than kept


def _build(source: str, mode: str) -> CodeType:
    text = textwrap.dedent(source) if mode == "exec" else source.lstrip()
    shift = source[: len(source) - len(text)].count("\n") if mode == "eval" else 0
    try:
        tree = ast.fix_missing_locations(Rewriter().visit(parse(text, mode)))
        return compile(tree, "<diagram>", mode)
    except UnsafeExpression as exc:
        exc.source, exc.line = source, None if exc.line is None else exc.line + shift
        raise
    except (SyntaxError, RecursionError, MemoryError) as exc:  # the compiler's own limits
        raise UnsafeSyntax(f"cannot be compiled: {exc}", 1, 0, source) from None


@functools.lru_cache(maxsize=2048)
def _compile(source: str, mode: str) -> CodeType:
    return _build(source, mode)


def _code(source: str, mode: str) -> CodeType:
    return _compile(source, mode) if len(source) <= _CACHED_CHARS else _build(source, mode)


def _run(source: str, mode: str, names: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
    code = _code(source, mode)
    budget = current_budget()
    guard = budget.guard
    namespace = {**names, "__builtins__": guard.functions, "__guard__": guard,
                 "__functions__": guard.functions, "__slice__": slice}
    with budget.running():
        try:  # one dict for globals and locals, so comprehensions see the case variables
            result = eval(code, namespace)  # checked and rewritten above
            if mode == "eval":
                check_stored([("its result", result)], budget)
            else:
                check_stored([(f"variable '{k}'", v) for k, v in namespace.items() if k[:1] != "_"], budget)
        except UnsafeExpression as exc:
            exc.source = source
            raise
        except MemoryError:
            budget.fail("memory", "the server ran out of memory")
        except RecursionError:
            budget.fail("nesting", "values are nested too deeply to process")
    return result, namespace


def check_expression(source: str) -> None:
    """Raise UnsafeExpression unless `source` is an allowed expression."""
    _code(source, "eval")


def check_script(source: str) -> None:
    """Raise UnsafeExpression unless `source` is an allowed script."""
    _code(source, "exec")


def evaluate(source: str, names: Mapping[str, Any]) -> Any:
    """Check, then evaluate an expression over the case variables in `names`."""
    return _run(source, "eval", names)[0]


def execute(source: str, names: dict[str, Any]) -> None:
    """Check, then run a script; its assignments are written back into `names`."""
    names.update({k: v for k, v in _run(source, "exec", names)[1].items() if k[:1] != "_"})
