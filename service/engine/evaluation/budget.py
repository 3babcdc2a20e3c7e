"""The evaluation budget of one engine run, shared by every expression and script it evaluates.

Why: a single diagram step (start a case, complete a task, fire a timer) may evaluate
dozens of conditions, scripts and decision-table cells. Each is cheap alone; what must
be bounded is their sum, so one `Budget` lives for the whole engine run (a context
variable the runner sets) and every guarded operation charges it. The clock runs only
while diagram code runs, so slow service tasks (mail, archive) do not eat the budget.
"""

from __future__ import annotations

import contextlib
import contextvars
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn

from .errors import BudgetExceeded

if TYPE_CHECKING:
    from .guard import Guard

CHARS_PER_OPERATION = 64  # characters or items a built-in touches for the price of one operation


@dataclass(frozen=True)
class EvaluationLimits:
    """What diagram code may spend in one engine run (start, complete a task, fire timers).

    A full technical-support case spends well under 1 % of each figure.
    """

    operations: int = 5_000_000  # guarded steps, plus one per 64 characters or items built-ins touch
    seconds: float = 2.0  # time spent inside diagram code, summed over the run
    allocation: int = 10_000_000  # characters and container slots created
    logical_size: int = 1_000_000  # one value as a built-in walks it: shared parts counted each time
    case_data_size: int = 2_000_000  # the case variables a script leaves behind, measured the same way


DEFAULT_LIMITS = EvaluationLimits()


@dataclass(frozen=True)
class Site:
    """What is being evaluated, for the error message: element id and a short description."""

    element_id: str | None
    what: str


_RUN: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("guicheng_budget", default=None)
_SITE: contextvars.ContextVar[Site | None] = contextvars.ContextVar("guicheng_site", default=None)


class Budget:
    """Counters of one engine run; every charge checks them and the deadline."""

    __slots__ = ("limits", "operations", "allocated", "remaining", "deadline", "failure",
                 "_running", "_guard")

    def __init__(self, limits: EvaluationLimits = DEFAULT_LIMITS) -> None:
        self.limits = limits
        self.operations = 0
        self.allocated = 0
        self.remaining = limits.seconds
        self.deadline = math.inf
        self.failure: Exception | None = None  # the first failure of the run, for the runner
        self._running = False
        self._guard: Guard | None = None

    def charge(self, operations: int = 1) -> None:
        self.operations += operations
        if self.operations > self.limits.operations:
            self.fail("operations", f"more than {self.limits.operations:,} operations")
        if time.monotonic() > self.deadline:
            self.fail("time", f"more than {self.limits.seconds:g} s of evaluation")

    def allocate(self, units: int) -> None:
        """Charge for creating `units` characters or slots (before creating them where possible)."""
        self.allocated += units
        if self.allocated > self.limits.allocation:
            self.fail("memory", f"more than {self.limits.allocation:,} characters and items created")
        self.charge(1 + units // CHARS_PER_OPERATION)

    def step(self) -> None:
        """One comprehension iteration: one operation and one slot of its result."""
        self.operations += 1
        self.allocated += 1
        if self.operations > self.limits.operations or self.allocated > self.limits.allocation:
            self.allocate(0)  # reports whichever limit was hit
        if time.monotonic() > self.deadline:
            self.fail("time", f"more than {self.limits.seconds:g} s of evaluation")

    def too_large(self, size: int, what: str = "a value") -> None:
        if size > self.limits.logical_size:
            self.fail("size", f"{what} larger than {self.limits.logical_size:,} characters and items "
                              "(counting repeated parts each time)")

    def fail(self, limit: str, detail: str) -> NoReturn:
        site = _SITE.get()
        element = site.element_id if site else None
        where = f"{element}: " if element else ""
        what = site.what if site else "diagram code"
        error = BudgetExceeded(f"{where}{what} stopped: {detail} (evaluation limit '{limit}' of one "
                               "engine run)", element_id=element, limit=limit)
        self.record(error)
        raise error

    def record(self, failure: Exception) -> None:
        if self.failure is None:
            self.failure = failure

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        """Around one evaluation: the deadline is what is left of the run's time."""
        if self._running:
            yield
            return
        started = time.monotonic()
        self.deadline, self._running = started + self.remaining, True
        try:
            yield
        finally:
            self.remaining -= time.monotonic() - started
            self.deadline, self._running = math.inf, False

    @property
    def guard(self) -> Guard:
        if self._guard is None:
            from .guard import Guard  # the guard charges this budget; one per run
            self._guard = Guard(self)
        return self._guard


@contextlib.contextmanager
def engine_run(limits: EvaluationLimits | None = None) -> Iterator[Budget]:
    """One budget for the enclosed engine run; a run nested in another shares the outer budget."""
    active = _RUN.get()
    if active is not None:
        yield active
        return
    budget = Budget(limits or DEFAULT_LIMITS)
    token = _RUN.set(budget)
    try:
        yield budget
    finally:
        _RUN.reset(token)


def current_budget() -> Budget:
    """The run's budget, or a fresh one for an evaluation outside any run (deploy checks, tests)."""
    return _RUN.get() or Budget()


@contextlib.contextmanager
def evaluation_site(element_id: str | None, what: str) -> Iterator[None]:
    token = _SITE.set(Site(element_id, what))
    try:
        yield
    finally:
        _SITE.reset(token)


def current_site() -> Site | None:
    return _SITE.get()


def describe(kind: str, source: Any, width: int = 40) -> str:
    """`condition 'amount > 10'`: a kind and the start of the source on one line."""
    text = " ".join(str(source).split())
    return f"{kind} '{text if len(text) <= width else text[: width - 1] + '…'}'"
