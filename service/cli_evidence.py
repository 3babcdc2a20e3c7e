"""`guicheng audit export` / `verify-bundle`: a case's evidence bundle, and its offline check."""

from __future__ import annotations

from service.cli_audit import audit  # noqa: F401  (the commands below join this group)
