"""The process editor's endpoints: drafts, their checks and deploy, the catalogue the properties panel
offers (roles, operations, forms, processes, decision tables) and expression checks as you type."""

from __future__ import annotations

from service.api import bp  # noqa: F401
