"""Organisation commands: users list, org import/export."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
