"""Commands about deployed processes: the start form and who may start; moving cases to another version."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from service.domain.messages import render
from service.domain.roles import role_label
from service.operations import inbox, migration
from service.operations.context import build_context
from service.operations.localise import localise_form, localise_process
from service.web.i18n import translate


def _fields(components: Any) -> list[dict[str, Any]]:
    """The fields of a form, those inside groups too, in the order shown."""
    found: list[dict[str, Any]] = []
    for component in components if isinstance(components, list) else []:
        if isinstance(component, dict):
            if component.get("key"):
                found.append(component)
            found += _fields(component.get("components"))
    return found


def _summary(found: dict[str, Any], lang: str) -> list[str]:
    """The form as a person at the terminal reads it: one line per field, key first (what --data takes)."""
    roles = "、".join(role_label(r, lang) for r in found["start_roles"]) or "-"
    lines = [f"{found['process_id']} v{found['version']}  {found['name']}",
             f"{translate(lang, 'start_form.roles')}: {roles}"]
    for field in _fields((found.get("start_form") or {}).get("components")):
        required = " *" if (field.get("validate") or {}).get("required") else ""
        lines.append(f"  {field['key']}{required}  {field.get('label') or ''}".rstrip())
    return [*lines, translate(lang, "start_form.required")]


@click.command(name="start-form")
@click.argument("process_id")
@click.option("--json", "as_json", is_flag=True, help="print the form-js JSON and the start roles")
def start_form(process_id: str, as_json: bool) -> None:
    """The start form and start roles of a process's latest version."""
    from service.cli import cli_language  # the shared CLI helpers; imported late (cli imports this module)

    ctx, lang = build_context(), cli_language()
    found = inbox.start_form(ctx, process_id)
    found["start_form"] = localise_form(ctx, process_id, found["version"], found["start_form"], lang)
    found = localise_process(ctx, found, lang)
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    click.echo("\n".join(_summary(found, lang)))



def _reasons(reasons: list[dict[str, Any]]) -> str:
    return "; ".join(r["message"] for r in reasons)


@click.command(name="migrate")
@click.argument("process_id")
@click.option("--to", "to", type=click.IntRange(1), required=True, help="the version to move cases to")
@click.option("--case", "case_ids", type=click.IntRange(1), multiple=True, help="a case to move (repeatable)")
@click.option("--all", "every", is_flag=True, help="every running case on another version")
@click.option("--preview", is_flag=True, help="only say which cases can move, and why not")
@click.option("--json", "as_json", is_flag=True, help="print the result as JSON")
def migrate(process_id: str, to: int, case_ids: tuple[int, ...], every: bool, preview: bool, as_json: bool) -> None:
    """Move running cases of a process to another version (exit 1 if a case was refused)."""
    from service.cli import cli_language  # the shared CLI helpers; imported late (cli imports this module)

    if not preview and bool(case_ids) == every:
        raise click.UsageError("give --case ID (one or more) or --all, or --preview")
    ctx, lang = build_context(), cli_language()
    if preview:
        found = migration.said(migration.preview(ctx, process_id, to, actor=None), lang)
        if case_ids:
            found["cases"] = [c for c in found["cases"] if c["instance_id"] in case_ids]
        if as_json:
            click.echo(json.dumps(found, ensure_ascii=False, indent=2))
            return
        for case in found["cases"]:
            verdict = render("migration.can_migrate", lang) if case["can_migrate"] else _reasons(case["reasons"])
            click.echo(f"#{case['instance_id']}  v{case['version']} → v{to}  {case['business_key']}  {verdict}")
        return
    done = migration.said(migration.migrate(ctx, process_id, to, "all" if every else list(case_ids), actor=None),
                          lang)
    if as_json:
        click.echo(json.dumps(done, ensure_ascii=False, indent=2))
    else:
        for instance_id in done["migrated"]:
            click.echo(f"#{instance_id}  → v{to}")
        for refused in done["refused"]:
            click.echo(f"#{refused['instance_id']}  {_reasons(refused['reasons'])}", err=True)
    if done["refused"]:
        sys.exit(1)


COMMANDS: list[click.Command] = [start_form, migrate]
