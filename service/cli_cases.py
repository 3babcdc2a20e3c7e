"""Case search from the command line: guicheng cases."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
