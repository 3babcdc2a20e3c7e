"""Make the engine's timers read our clock instead of the wall clock.

SpiffWorkflow's timer events call `datetime.now(timezone.utc)` in their own
module. A frozen or simulated clock (GUICHENG_CLOCK, tests, the worker
firing a due timer) must be what the engine sees, so that module's
`datetime` is replaced once by a subclass whose `now()` reads a context
variable set around every engine call.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from datetime import datetime

from SpiffWorkflow.bpmn.specs.event_definitions import timer as _timer_module

_engine_now: contextvars.ContextVar[datetime | None] = contextvars.ContextVar(
    "guicheng_engine_now", default=None
)


class _EngineDateTime(datetime):
    @classmethod
    def now(cls, tz=None):  # type: ignore[override]
        instant = _engine_now.get()
        if instant is None:
            return datetime.now(tz)
        return instant.astimezone(tz) if tz else instant


_timer_module.datetime = _EngineDateTime  # type: ignore[misc]


@contextlib.contextmanager
def engine_time(instant: datetime) -> Iterator[None]:
    """Run the enclosed engine calls as if it were `instant`."""
    token = _engine_now.set(instant)
    try:
        yield
    finally:
        _engine_now.reset(token)
