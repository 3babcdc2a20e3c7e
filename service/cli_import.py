"""`guicheng import`: check diagrams drawn in other modelers and offer the safe fixes (CONTRACT.md)."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
