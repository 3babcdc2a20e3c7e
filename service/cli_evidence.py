"""`guicheng audit export` / `verify-bundle`: a case's evidence bundle, and its offline check.

`verify-bundle` reads only the zip (no database, no settings), so a third party can run it on a
machine of their own; it exits 0 when the bundle verifies and 1 naming the first problem.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from service.cli_audit import audit
from service.domain.evidence_check import check_bundle
from service.domain.input_limits import DATABASE_ID_MAX
from service.domain.messages import render
from service.operations.context import build_context
from service.operations.evidence_bundle import export_bundle

SHOWN_PROBLEMS = 20  # after the first, so a badly damaged bundle does not flood the terminal


def _language() -> str:
    from service.cli import cli_language  # the shared CLI helpers; imported late (cli imports this module)

    return cli_language()


@audit.command(name="export")
@click.argument("instance_id", type=click.IntRange(0, DATABASE_ID_MAX))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="the zip file to write")
@click.option("--as", "actor", default=None, help="export as this user (who must read all cases)")
def export(instance_id: int, output: Path, actor: str | None) -> None:
    """Write the evidence bundle (zip) of one case; the export is recorded in the audit log."""
    lang, partial = _language(), output.with_name(output.name + ".part")
    try:
        with partial.open("wb") as out:
            summary = export_bundle(build_context(), instance_id, out, actor=actor)
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    click.echo(render("evidence.exported", lang, file=str(output), case=instance_id, events=summary.events,
                      seq=summary.head_seq, hash=summary.head_hash, documents=summary.documents))
    report = summary.report
    notes = [*report["chain"]["problems"][lang],
             *(line for line in report["replay"]["said"][lang].splitlines() if summary.replay_ok is False),
             *(item["path"] for item in report["documents"]["items"] if item["status"] != "ok")]
    for note in notes:
        click.echo(render("evidence.export_warnings", lang, problems=note), err=True)


@audit.command(name="verify-bundle")
@click.argument("bundle", type=click.Path(dir_okay=False, path_type=Path))
def verify_bundle(bundle: Path) -> None:
    """Re-check an evidence bundle offline: exit 0 if it verifies, else 1 naming the first problem."""
    lang = _language()
    checked = check_bundle(str(bundle), label=bundle.name)
    if not checked.ok:
        first, *rest = checked.problems
        click.echo(render("evidence.verify_failed", lang, count=len(checked.problems), first=first.render(lang)),
                   err=True)
        for problem in rest[:SHOWN_PROBLEMS]:
            click.echo(f"  {problem.render(lang)}", err=True)
        sys.exit(1)
    chain = checked.manifest["chain"]
    click.echo(render("evidence.verified", lang, case=checked.manifest["case"]["id"], events=checked.events,
                      seq=chain["head_seq"], hash=chain["head_hash"], documents=checked.documents))
