"""`guicheng replay`: rebuild cases from their logged inputs and compare with what is stored."""

from __future__ import annotations

COMMANDS: list = []
