"""A case replayed from its log over the API: the verdict, and the frames of the step-through page."""

from __future__ import annotations
