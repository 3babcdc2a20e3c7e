"""`guicheng audit …`: the checks auditors run on the stored history."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

from service.cli_admin import terminal_language
from service.domain.messages import render
from service.operations import audit_verify, background
from service.operations.context import build_context

PROGRESS_FROM = 200  # cases: below this the check is over before a bar would help


@click.group()
def audit() -> None:
    """Audit checks."""


@contextmanager
def _progress(total: int, lang: str) -> Iterator[Callable[[int], None] | None]:
    if total < PROGRESS_FROM or not sys.stderr.isatty():  # a log file gets no bar
        yield None
        return
    with click.progressbar(length=total, label=render("audit_verify.progress", lang), file=sys.stderr) as bar:
        yield bar.update


@audit.command()
@click.option("--case", "case_id", type=int, default=None, help="verify only this case")
def verify(case_id: int | None) -> None:
    """Exit 0 if every hash chain, stored state and document is intact and no checkpointed case is missing;
    else exit 1 naming the first problem."""
    ctx = build_context()
    lang = terminal_language()
    total = 1 if case_id is not None else audit_verify.count_cases(ctx)
    with _progress(total, lang) as progress:
        report = audit_verify.verify_audit(ctx, case_id=case_id, progress=progress)
    counts = {"cases": report.checked_cases, "events": report.checked_events,
              "documents": report.checked_documents, "checkpoints": report.checkpoints}
    first = report.first_bad
    if first is not None:
        # the first line names the place in stable words (scripts look for "case:12 event 4 (id 97)")
        click.echo(render("audit_verify.first_bad", lang, message=first.message, where=first.where), err=True)
        click.echo(render("audit_verify.broken", lang, count=report.problem_count, **counts), err=True)
        for problem in report.problems[1:]:
            click.echo(f"  {problem.message.render(lang)}", err=True)
        if report.problem_count > len(report.problems):
            click.echo("  " + render("audit_verify.more", lang, count=report.problem_count - len(report.problems)),
                       err=True)
        sys.exit(1)
    click.echo(f"audit chain intact: {report.checked_events} events, {report.checkpoints} checkpoints")
    click.echo(render("audit_verify.intact", lang, **counts))
    if report.not_covered:
        click.echo(render("audit_verify.not_covered", lang, count=len(report.not_covered)))


@audit.command()
def checkpoint() -> None:
    """Hash all chain heads together now (the worker does this every 10 minutes)."""
    written = background.checkpoint_if_due(build_context(), force=True)
    click.echo("checkpoint written" if written else "nothing changed since the last checkpoint")


COMMANDS = [audit]
