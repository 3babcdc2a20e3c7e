"""`guicheng audit …`: the checks auditors run on the stored history."""

from __future__ import annotations

import sys

import click

from service.operations import background
from service.operations.context import build_context
from service.persistence.audit import verify_chain


@click.group()
def audit() -> None:
    """Audit checks."""


@audit.command()
def verify() -> None:
    """Exit 0 if every case's hash chain is intact and no checkpointed case is missing."""
    ctx = build_context()
    with ctx.db.reading() as session:
        report = verify_chain(session)
    if not report.ok:
        click.echo(f"audit chain broken at {report.first_bad}: {report.reason} "
                   f"({report.checked} events verified before it)", err=True)
        sys.exit(1)
    click.echo(f"audit chain intact: {report.checked} events, {report.checkpoints} checkpoints")


@audit.command()
def checkpoint() -> None:
    """Hash all chain heads together now (the worker does this every 10 minutes)."""
    written = background.checkpoint_if_due(build_context(), force=True)
    click.echo("checkpoint written" if written else "nothing changed since the last checkpoint")


COMMANDS = [audit]
