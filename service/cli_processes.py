"""Commands about deployed processes: the start form and who may start."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
