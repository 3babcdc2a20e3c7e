"""POST /api/v1/messages: deliver a named BPMN message with correlation keys (CONTRACT.md)."""

from __future__ import annotations
