"""Every `guicheng` subcommand is found by name, though most modules load only when their command is run."""

from __future__ import annotations

import importlib
import pkgutil

import click
from click.testing import CliRunner

import service
from service.cli import ELSEWHERE, main


def _command_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(service.__path__) if m.name.startswith("cli_"))


def test_every_command_of_every_cli_module_is_reachable_by_its_name() -> None:
    ctx = click.Context(main)
    for name in _command_modules():
        for command in getattr(importlib.import_module(f"service.{name}"), "COMMANDS", []):
            assert main.get_command(ctx, command.name) is command, f"{name}: {command.name} is not in ELSEWHERE"


def test_help_lists_the_commands_of_the_modules_not_yet_loaded() -> None:
    listed = CliRunner().invoke(main, ["--help"]).output
    for name in [*ELSEWHERE, "worker", "complete", "init"]:
        assert f"  {name} " in listed


def test_an_unknown_command_is_refused_with_its_name() -> None:
    result = CliRunner().invoke(main, ["no-such-command"])
    assert result.exit_code == 2 and "no-such-command" in result.output
