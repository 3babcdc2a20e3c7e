"""Make one engine step reproducible: the same inputs give the same task ids and the same state.

Why: replay must rebuild a case from its log and compare it with the stored state exactly. The
engine draws a random UUID for every task it creates (`uuid4` in SpiffWorkflow's task module) and
stamps each state change with the wall clock (`time.time`). Inside `seeded_step(seed, now)` both
come from the step instead: task ids are UUIDv5 of the step's seed and a counter, the stamps are
`now`. The seed is random per step and logged with the step's event, so a replay of that event
creates the very same tasks. Outside a step (reading a case, tests of the bare engine) the engine
behaves as shipped.
"""

from __future__ import annotations

import contextlib
import contextvars
import time as _wall_time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace

from SpiffWorkflow import task as _task_module


@dataclass
class _Step:
    seed: uuid.UUID
    stamp: float
    created: int = field(default=0)

    def next_id(self) -> uuid.UUID:
        self.created += 1
        return uuid.uuid5(self.seed, str(self.created))


_current: contextvars.ContextVar[_Step | None] = contextvars.ContextVar("guicheng_engine_step", default=None)


def _task_id() -> uuid.UUID:
    step = _current.get()
    return step.next_id() if step is not None else uuid.uuid4()


def _stamp() -> float:
    step = _current.get()
    return step.stamp if step is not None else _wall_time.time()


# the task module's own names, replaced once: `uuid4()` for new ids, `time.time()` for stamps
_task_module.uuid4 = _task_id
_task_module.time = SimpleNamespace(time=_stamp)


def new_seed() -> str:
    return uuid.uuid4().hex


@contextlib.contextmanager
def seeded_step(seed: str, now: datetime) -> Iterator[None]:
    """Every task the enclosed engine calls create gets its id from `seed`, every stamp is `now`."""
    token = _current.set(_Step(uuid.UUID(hex=seed), now.timestamp()))
    try:
        yield
    finally:
        _current.reset(token)
