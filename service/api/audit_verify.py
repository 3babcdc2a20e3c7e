"""The audit chain verification over the API."""

from __future__ import annotations
