"""`guicheng replay`: rebuild cases from their logged inputs and compare with what is stored."""

from __future__ import annotations

import sys

import click

from service.cli_admin import terminal_language
from service.domain.input_limits import DATABASE_ID_MAX
from service.domain.messages import render
from service.operations import replay
from service.operations.context import build_context
from service.operations.errors import OperationError
from service.operations.replay_log import stored_case_ids


@click.command(name="replay")
@click.argument("instance_id", required=False, type=click.IntRange(0, DATABASE_ID_MAX))
@click.option("--all", "every", is_flag=True, help="replay every case (a progress bar on stderr)")
def replay_command(instance_id: int | None, every: bool) -> None:
    """Exit 0 if replaying the case's log reproduces its stored state, else 1 saying where it diverges."""
    lang = terminal_language()
    if (instance_id is None) == (not every):
        click.echo(render("replay.cli_usage", lang), err=True)
        sys.exit(2)
    ctx = build_context()
    if not every:
        try:
            result = replay.replay_case(ctx, int(instance_id or 0))
        except OperationError as exc:
            click.echo(exc.render(lang), err=True)
            sys.exit(1)
        click.echo(result.said(lang), err=not result.ok)
        sys.exit(0 if result.ok else 1)
    with ctx.db.reading() as session:
        ids = stored_case_ids(session)
    failed: list[replay.ReplayResult] = []
    events = 0
    with click.progressbar(ids, label=render("replay.cli_progress", lang), file=sys.stderr) as cases:
        for case_id in cases:
            result = replay.replay_case(ctx, case_id)
            events += result.events
            if not result.ok:
                failed.append(result)
    for result in failed:
        click.echo(result.said(lang), err=True)
    click.echo(render("replay.cli_summary", lang, cases=len(ids), events=events, failed=len(failed)),
               err=bool(failed))
    sys.exit(1 if failed else 0)


COMMANDS = [replay_command]
