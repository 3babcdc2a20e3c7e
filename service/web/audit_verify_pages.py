"""The audit chain verification page for auditors and admins."""

from __future__ import annotations
