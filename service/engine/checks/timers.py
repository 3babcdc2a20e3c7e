"""Timer texts as the engine reads them: every timer text is a Python expression whose value must be
ISO 8601 text (a date with its offset, a duration, a cycle) that SpiffWorkflow's own parsers accept.
Diagrams drawn elsewhere write the ISO text bare (`PT5M`, `R6/P1D`), which the engine would evaluate
as names or as a division and fail on when the timer starts; this module says which texts those are.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

EXAMPLES = {"timeDate": '"2026-10-08T18:00:00+08:00"', "timeDuration": '"PT2H"', "timeCycle": '"R/PT24H"'}
MAX_MONTHS = 1200
LOOKS_ISO = re.compile(r"^(R\d*/)?P(\d|T\d)", re.IGNORECASE)


def _date(text: str) -> None:
    TimerEventDefinition.get_datetime(text)
    if datetime.fromisoformat(text).tzinfo is None:
        raise ValueError("no UTC offset: the server's own time zone would be guessed; add one such as +08:00")


def _bounded_duration(text: str) -> dict[str, Any]:
    """The engine's parse of a duration; it counts months one by one, so a duration of a billion
    years would keep a worker busy for hours: refuse it first."""
    parsed: dict[str, Any] = TimerEventDefinition.parse_iso_duration(text)
    if parsed.get("years", 0) * 12 + parsed.get("months", 0) > MAX_MONTHS:
        raise ValueError(f"longer than {MAX_MONTHS // 12} years")
    return parsed


def _duration(text: str) -> None:
    TimerEventDefinition.get_timedelta_from_start(_bounded_duration(text))


def _cycle(text: str) -> None:
    for part in text.upper().replace("--", "/").strip("R").split("/")[1:]:  # as the engine splits it
        if part.startswith("P"):
            _bounded_duration(part)
    TimerEventDefinition.parse_iso_recurring_interval(text)


PARSERS: dict[str, Callable[[str], Any]] = {"timeDate": _date, "timeDuration": _duration, "timeCycle": _cycle}


def literal(text: str) -> tuple[bool, Any]:
    try:
        return True, ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False, None


def unquoted_iso(tag: str, text: str) -> bool:
    """`PT5M`, `R6/P1D`, `2026-10-08T18:00:00+08:00` written without quotes: ISO text the engine would
    evaluate as an expression."""
    text = text.strip()
    if not text or tag not in PARSERS or literal(text)[0]:
        return False
    try:
        PARSERS[tag](text)
    except Exception:  # the engine's parsers raise bare Exceptions, among others
        if tag != "timeDate":
            return bool(LOOKS_ISO.match(text))
        try:
            datetime.fromisoformat(text)
        except ValueError:
            return False
    return True
