"""Timer texts written as literals must be ISO 8601 the engine reads — checked with the engine's own
parsers, so a deploy refuses what a running case would fail on days later. An expression (a variable
computed earlier) is evaluated when the timer starts and is checked for safety elsewhere."""

from __future__ import annotations

from collections.abc import Set

from service.domain.messages import Message

from ..checks.timers import EXAMPLES, PARSERS, literal
from ..definitions import BPMN
from ..problems import Problem
from .diagram import Diagram, local


def _why(exc: Exception) -> str:
    return str(exc) or type(exc).__name__


def timer_problem(tag: str, text: str, known_names: Set[str]) -> Message | None:
    """Why the engine could not read this timer text, or None (also for an expression: its value is
    checked when the timer starts)."""
    is_literal, value = literal(text)
    if not is_literal:  # ISO text written bare (`PT2H`) is said where the diagram is read: write it in quotes
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
