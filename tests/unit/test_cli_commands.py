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


def _with_subcommands(command: click.Command) -> list[click.Command]:
    found = [command]
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            found += _with_subcommands(sub)
    return found


def test_each_command_loads_every_module_that_adds_to_it() -> None:
    """`users list` comes from cli_org and `audit export` from cli_evidence: the command must load them."""
    for name in _command_modules():
        importlib.import_module(f"service.{name}")
    ctx = click.Context(main)
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        assert command is not None
        loaded = {f"service.{m}" for m in ELSEWHERE.get(name, ("cli",))}
        for each in _with_subcommands(command):
            module = getattr(each.callback, "__module__", None)
            assert module in loaded, f"`{name}`: {each.name} comes from {module}, which ELSEWHERE does not load"


def test_help_lists_the_commands_of_the_modules_not_yet_loaded() -> None:
    listed = CliRunner().invoke(main, ["--help"]).output
    for name in [*ELSEWHERE, "worker", "complete", "init"]:
        assert f"  {name} " in listed


def test_an_unknown_command_is_refused_with_its_name() -> None:
    result = CliRunner().invoke(main, ["no-such-command"])
    assert result.exit_code == 2 and "no-such-command" in result.output
