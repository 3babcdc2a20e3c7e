"""A case's evidence bundle (zip) over the API."""

from __future__ import annotations
