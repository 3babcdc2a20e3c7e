"""Organisation commands: `users list`, `org import|export|show`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from service.adapters.org_workbook import MAX_FILE_BYTES
from service.cli_admin import users_group
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
    for p in people:
        state = "" if p["active"] else "  (inactive)"
        click.echo(f"{p['username']:<18} {p['display_name']:<10} {p['email']:<36} {p['department'] or '-':<16} "
                   f"上级 {p['superior'] or '-':<16} {', '.join(p['roles'])}{state}")


@click.group(name="org")
def org_group() -> None:
    """The organisation: departments, people, superiors, roles (.xlsx import and export)."""


@org_group.command(name="export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def export_org(path: Path) -> None:
    """Write the whole organisation to an .xlsx workbook (sheets 人员 and 部门)."""
    path.write_bytes(org_import.export_workbook(build_context()))
    click.echo(f"exported the organisation to {path}")


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
        for problem in exc.problems:
            click.echo(str(problem) if problem.sheet else f"{path.name}: {problem.message}", err=True)
        click.echo(f"{path.name}: {len(exc.problems)} problem(s); nothing was changed", err=True)
        sys.exit(1)
    for line in summary(report):
        click.echo(line)


def summary(report: org_import.ImportReport) -> list[str]:
    lines = [f"departments created: {len(report.departments_created)}"
             + (f" ({', '.join(report.departments_created)})" if report.departments_created else ""),
             f"leaders changed: {len(report.leaders_changed)}",
             f"users created: {len(report.created)}" + (f" ({', '.join(report.created)})" if report.created else ""),
             f"users updated: {len(report.updated)}", f"users unchanged: {len(report.unchanged)}"]
    lines += [f"  {username}: {', '.join(columns)}" for username, columns in report.updated.items()]
    if report.created:
        lines.append("new users have no password yet: an administrator sets one "
                     "on the user page (/admin/users/USER) or with `guicheng users add`")
    if report.not_in_file:
        lines.append(f"not in the file, unchanged: {', '.join(report.not_in_file)}")
    if report.ignored_columns:
        lines.append(f"columns ignored: {', '.join(report.ignored_columns)}")
    return lines


@org_group.command(name="show")
def show_org() -> None:
    """The department tree with leaders and people."""
    tree = org_views.organisation_tree(build_context())
    for node in tree["flat"]:
        leader = f"  负责人 {node['leader_name'] or node['leader']}" if node["leader"] else ""
        click.echo(f"{'  ' * node['depth']}{node['name']}{leader}")
        for person in node["members"]:
            click.echo(f"{'  ' * (node['depth'] + 1)}- {person['username']} {person['display_name']}")
    for person in tree["customers"] + tree["unplaced"]:
        click.echo(f"(no department) {person['username']} {person['display_name']} {person['company'] or ''}")


COMMANDS: list[click.Command] = [org_group]
