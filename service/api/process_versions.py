"""Versions of a process side by side: what changed between two, and moving running cases to another."""

from __future__ import annotations

from service.api import bp  # noqa: F401
