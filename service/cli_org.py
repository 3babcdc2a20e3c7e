"""Organisation commands: `users list`, `org import|export|show`.

Every line a person reads is in the terminal's language (Chinese unless GUICHENG_LANG=en); data stays as typed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from service.adapters.org_workbook import MAX_FILE_BYTES
from service.cli_admin import terminal_language, users_group
from service.domain.messages import render
from service.operations import org_import, org_views
from service.operations.context import build_context


@users_group.command(name="list")
@click.option("--json", "as_json", is_flag=True)
@click.option("--all", "show_all", is_flag=True, help="inactive users too")
def list_users(as_json: bool, show_all: bool) -> None:
    """Users with display name, e-mail, department path, superior and roles."""
    people = org_views.list_people(build_context(), active_only=not show_all)
    if as_json:
        click.echo(json.dumps(people, ensure_ascii=False, indent=2))
        return
    lang = terminal_language()
    superior, inactive = render("org_cli.superior", lang), render("org_cli.inactive", lang)
    for p in people:
        state = "" if p["active"] else inactive
        click.echo(f"{p['username']:<18} {p['display_name']:<10} {p['email']:<36} {p['department'] or '-':<16} "
                   f"{superior} {p['superior'] or '-':<16} {', '.join(p['roles'])}{state}")


@click.group(name="org")
def org_group() -> None:
    """The organisation: departments, people, superiors, roles (.xlsx import and export)."""


@org_group.command(name="export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def export_org(path: Path) -> None:
    """Write the whole organisation to an .xlsx workbook (sheets 人员 and 部门)."""
    path.write_bytes(org_import.export_workbook(build_context()))
    click.echo(render("org_cli.exported", terminal_language(), path=path))


@org_group.command(name="import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "actor", default="cli", help="who the audit log names")
def import_org(path: Path, actor: str) -> None:
    """Import an .xlsx workbook: any bad row changes nothing (one line per problem, exit 1)."""
    with path.open("rb") as stream:
        content = stream.read(MAX_FILE_BYTES + 1)  # more is refused anyway: never read a huge file whole
    try:
        report = org_import.import_organisation(build_context(), content, actor=actor)
    except org_import.ImportRejected as exc:
        lang = terminal_language()
        for problem in exc.problems:
            click.echo(problem.line(lang) if problem.sheet else f"{path.name}: {problem.line(lang)}", err=True)
        click.echo(render("org_cli.problems", lang, file=path.name, count=len(exc.problems)), err=True)
        sys.exit(1)
    for line in summary(report, terminal_language()):
        click.echo(line)


def summary(report: org_import.ImportReport, lang: str) -> list[str]:
    def counted(code: str, names: list[str], listed: bool = False) -> str:
        return render(code, lang, count=len(names)) + (
            render("org_cli.names", lang, names=", ".join(names)) if listed and names else "")

    lines = [counted("org_cli.departments_created", report.departments_created, listed=True),
             counted("org_cli.leaders_changed", report.leaders_changed),
             counted("org_cli.users_created", report.created, listed=True),
             counted("org_cli.users_updated", list(report.updated)),
             counted("org_cli.users_unchanged", report.unchanged)]
    lines += [f"  {username}: {', '.join(columns)}" for username, columns in report.updated.items()]
    if report.created:
        lines.append(render("org_cli.no_password", lang, page="/admin/users/USER", command="guicheng users add"))
    if report.not_in_file:
        lines.append(render("org_cli.not_in_file", lang, names=", ".join(report.not_in_file)))
    if report.ignored_columns:
        lines.append(render("org_cli.columns_ignored", lang, columns=", ".join(report.ignored_columns)))
    return lines


@org_group.command(name="show")
def show_org() -> None:
    """The department tree with leaders and people."""
    tree = org_views.organisation_tree(build_context())
    lang = terminal_language()
    for node in tree["flat"]:
        leader = f"  {render('org_cli.leader', lang)} {node['leader_name'] or node['leader']}" if node["leader"] else ""
        click.echo(f"{'  ' * node['depth']}{node['name']}{leader}")
        for person in node["members"]:
            click.echo(f"{'  ' * (node['depth'] + 1)}- {person['username']} {person['display_name']}")
    for person in tree["customers"] + tree["unplaced"]:
        click.echo(f"{render('org_cli.no_department', lang)} {person['username']} {person['display_name']} "
                   f"{person['company'] or ''}")


COMMANDS: list[click.Command] = [org_group]
