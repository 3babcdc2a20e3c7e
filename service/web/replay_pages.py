"""The step-through page: a case replayed event by event on its own diagram."""

from __future__ import annotations
