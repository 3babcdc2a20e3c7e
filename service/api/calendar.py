"""The working-day calendar over the API: a year's days, and an admin's overrides."""

from __future__ import annotations

from service.api import bp  # noqa: F401
