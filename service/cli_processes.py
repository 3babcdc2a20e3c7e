"""Commands about deployed processes: the start form and who may start."""

from __future__ import annotations

import json
from typing import Any

import click

from service.domain.roles import role_label
from service.operations import inbox
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


COMMANDS: list[click.Command] = [start_form]
