"""`guicheng import`: check diagrams drawn in other modelers and offer the safe fixes (CONTRACT.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from service.config import PROJECT_ROOT
from service.domain.roles import ROLES
from service.operations import foreign_import


@click.command(name="import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--fix", is_flag=True, help="apply the fixes listed (the original is kept as <file>.orig)")
@click.option("--role", type=click.Choice(sorted(ROLES)), default=None,
              help="put the tasks that are in no lane into the lane of this role (listed as fixes)")
@click.option("--forms", "draw_forms", is_flag=True,
              help="give each task without a form one (the other tool's form fields, or one showing the task)")
@click.option("--json", "as_json", is_flag=True, help="print the report as one JSON document")
def import_command(paths: tuple[Path, ...], fix: bool, role: str | None, draw_forms: bool, as_json: bool) -> None:
    """What each diagram must change to run here, element by element; exit 0 if every (fixed) file would deploy."""
    from service.cli import cli_language  # the shared CLI helpers; imported late (cli imports this module)

    lang = cli_language()
    reports, missing = foreign_import.import_paths(list(paths), PROJECT_ROOT / "forms", fix=fix, role=role,
                                                   forms=draw_forms)
    deployable = not missing and all(r.deployable for r in reports)
    summary = {"files": len(reports), "findings": sum(len(r.findings) for r in reports),
               "fixable": sum(r.fixable for r in reports),
               "applied": sum(r.fixable for r in reports if r.written),
               "deployable": sum(1 for r in reports if r.deployable)}
    if as_json:
        click.echo(json.dumps({
            "ok": deployable, "summary": summary,
            "problems": [{"file": p.file, "line": p.line, "element_id": p.element_id, "message": p.render(lang)}
                         for p in missing],
            "files": [{"file": r.file, "deployable": r.deployable, "written": r.written, "orig": r.orig,
                       "forms_written": r.forms_written,
                       "findings": [f.as_json(lang) for f in r.findings],
                       "problems": [{"file": p.file, "line": p.line, "element_id": p.element_id,
                                     "code": p.code or None, "message": p.render(lang)} for p in r.problems]}
                      for r in reports]}, ensure_ascii=False, indent=2))
        sys.exit(0 if deployable else 1)
    for problem in missing:
        click.echo(problem.line_text(lang))
    for report in reports:
        for finding in report.findings:
            click.echo(finding.line_text(lang))
        for problem in report.problems:
            click.echo(problem.line_text(lang))
        for form in report.forms_written:
            click.echo(foreign_import.said("foreign.form_written", file=form).render(lang), err=True)
        if report.written:
            click.echo(foreign_import.said("foreign.written", file=report.file, orig=report.orig).render(lang),
                       err=True)
    click.echo(foreign_import.said("foreign.summary", **summary).render(lang), err=True)
    if summary["fixable"] and not fix:
        click.echo(foreign_import.said("foreign.summary_hint").render(lang), err=True)
    sys.exit(0 if deployable else 1)


COMMANDS: list[click.Command] = [import_command]
