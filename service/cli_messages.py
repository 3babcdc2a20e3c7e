"""`guicheng message`: deliver a BPMN message to the cases waiting for it (CONTRACT.md)."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
