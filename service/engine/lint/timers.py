"""Timer texts written as literals must be ISO 8601 the engine reads — checked with the engine's own
parsers, so a deploy refuses what a running case would fail on days later. An expression (a variable
computed earlier) is evaluated when the timer starts and is checked for safety elsewhere."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Set
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from service.domain.messages import Message

from ..definitions import BPMN
from ..problems import Problem
from .diagram import Diagram, local

EXAMPLES = {"timeDate": '"2026-10-08T18:00:00+08:00"', "timeDuration": '"PT2H"', "timeCycle": '"R/PT24H"'}
MAX_MONTHS = 1200
_LOOKS_ISO = re.compile(r"^(R\d*/)?P(\d|T\d)", re.IGNORECASE)


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


def _literal(text: str) -> tuple[bool, Any]:
    try:
        return True, ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False, None


def _why(exc: Exception) -> str:
    return str(exc) or type(exc).__name__


def timer_problem(tag: str, text: str, known_names: Set[str]) -> Message | None:
    """Why the engine could not read this timer text, or None (also for an expression: its value is
    checked when the timer starts)."""
    is_literal, value = _literal(text)
    if not is_literal:
        if text.isidentifier() and text not in known_names and _LOOKS_ISO.match(text):
            return Message("lint.timer_variable_unknown", {"tag": tag, "text": text, "example": EXAMPLES[tag]})
        return None
    if not isinstance(value, str):
        return Message("lint.timer_not_text", {"tag": tag, "text": text, "example": EXAMPLES[tag]})
    try:
        PARSERS[tag](value)
    except Exception as exc:  # the engine's parsers raise bare Exceptions, among others
        return Message("lint.timer_invalid", {"tag": tag, "value": value, "why": _why(exc), "example": EXAMPLES[tag]})
    return None


def timer_problems(diagram: Diagram, known_names: Set[str]) -> list[Problem]:
    problems: list[Problem] = []
    for definition in diagram.tree.getroot().iter(f"{{{BPMN}}}timerEventDefinition"):
        event = definition.getparent()
        for child in definition:
            tag = local(child)
            said = timer_problem(tag, (child.text or "").strip(), known_names) if tag in PARSERS else None
            if said:
                problems.append(Problem.said(diagram.filename, event.sourceline, event.get("id", ""), said))
    return problems
