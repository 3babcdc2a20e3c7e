"""One injectable clock: real time, or frozen by GUICHENG_CLOCK for demos and tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    def now(self) -> datetime: ...


@dataclass
class SystemClock:
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))

    def now(self) -> datetime:
        return datetime.now(self.tz)


@dataclass
class FrozenClock:
    """A clock that stands still until told to move; `advance` serves tests."""

    instant: datetime

    def now(self) -> datetime:
        return self.instant

    def advance(self, **delta: float) -> None:
        self.instant = self.instant + timedelta(**delta)

    def set(self, instant: datetime) -> None:
        self.instant = instant


def parse_instant(text: str, tz: ZoneInfo) -> datetime:
    """ISO timestamp → aware datetime; a naive one is read in the company's zone."""
    value = datetime.fromisoformat(text.strip())
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value


def clock_from_setting(frozen: str | None, tz_name: str) -> Clock:
    tz = ZoneInfo(tz_name)
    if frozen:
        return FrozenClock(parse_instant(frozen, tz).astimezone(tz))
    return SystemClock(tz)


def utc(value: datetime) -> datetime:
    return value.astimezone(UTC)
