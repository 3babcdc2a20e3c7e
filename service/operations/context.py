"""Everything a use case needs, built once from Settings and passed explicitly."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from service.adapters.clock import Clock, clock_from_setting
from service.config import Settings, load_settings
from service.engine.evaluation.budget import EvaluationLimits
from service.persistence.db import Database

from .warm_cases import WarmCases


@dataclass
class StepHooks:
    """Points where tests reach into a running unit of work (e.g. to kill a process mid-commit)."""

    before_commit: Callable[[str], None] | None = None  # called with the step's name
    after_engine: Callable[[str], None] | None = None  # the engine has run, the write has not begun

    def fire_after_engine(self, step: str) -> None:
        if self.after_engine is not None:
            self.after_engine(step)

    def fire_before_commit(self, step: str) -> None:
        if self.before_commit is not None:
            self.before_commit(step)


@dataclass
class AppContext:
    settings: Settings
    db: Database
    clock: Clock
    _specs: dict[int, tuple[Any, dict[str, Any]]] = field(default_factory=dict)
    _forms: dict[int, dict[str, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    hooks: StepHooks = field(default_factory=StepHooks)
    warm: WarmCases = field(default_factory=WarmCases)  # loaded workflows by case, valid per revision

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.settings.timezone)

    def now(self) -> datetime:
        return self.clock.now()

    @property
    def evaluation_limits(self) -> EvaluationLimits:
        return EvaluationLimits(operations=self.settings.script_operations, seconds=self.settings.script_seconds)

    def cached_forms(self, definition: Any) -> dict[str, Any]:
        """A version's forms never change: read them once per process."""
        with self._lock:
            if definition.id not in self._forms:
                self._forms[definition.id] = definition.forms
            return self._forms[definition.id]

    def cached_spec(self, definition_id: int, loader) -> tuple[Any, dict[str, Any]]:  # type: ignore[no-untyped-def]
        """Parsed specs are immutable per version: deserialize each once per process."""
        with self._lock:
            if definition_id not in self._specs:
                self._specs[definition_id] = loader()
            return self._specs[definition_id]


def build_context(settings: Settings | None = None, clock: Clock | None = None) -> AppContext:
    settings = settings or load_settings()
    return AppContext(settings=settings, db=Database(settings.database_url),
                      clock=clock or clock_from_setting(settings.clock, settings.timezone))
