"""The processes page's import: a diagram from another modeler, its findings and the fixes the owner accepts."""

from __future__ import annotations
