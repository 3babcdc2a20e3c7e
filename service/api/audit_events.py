"""Auditors' search over every case's history, over the API (with an .xlsx export)."""

from __future__ import annotations
