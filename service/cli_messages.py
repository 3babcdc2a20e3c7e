"""`guicheng message`: deliver a BPMN message to the cases waiting for it (CONTRACT.md).

Prints the ids of the cases the message reached (and of any case it started), one per line; a case
that could not take it is said on stderr. No case waiting: exit 1 with the reason."""

from __future__ import annotations

import sys
from typing import Any

import click

from service.cli_admin import terminal_language
from service.domain.input_limits import InputRejected, parse_json
from service.domain.messages import render
from service.operations.context import build_context
from service.operations.errors import OperationError, ValidationFailed
from service.operations.message_delivery import deliver_message


def _fail(said: str) -> None:
    click.echo(said, err=True)
    sys.exit(1)


def _said(exc: OperationError, lang: str) -> str:
    lines = [exc.render(lang)]
    if isinstance(exc, ValidationFailed):
        lines += [f"  {key}: {text}" for key, text in exc.field_errors(lang).items()]
    return "\n".join(lines)


def _keys(given: tuple[str, ...], lang: str) -> dict[str, Any]:
    """`--key K=V`, each value as written (text; compared with numbers as text)."""
    found: dict[str, Any] = {}
    for item in given:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            _fail(render("bpmn_message.key_invalid", lang, given=item))
        found[name.strip()] = value
    return found


def _data(text: str | None, lang: str) -> Any:
    if not text:
        return {}
    try:
        return parse_json(text)
    except InputRejected as exc:
        _fail("\n".join(f"--data: {path or render('body.document', lang)}: {message.render(lang)}"
                        for path, message in exc.errors.items()))
    return {}


@click.command(name="message")
@click.argument("name")
@click.option("--as", "actor", required=True, help="who sends it (they must be allowed to act on the cases)")
@click.option("--key", "keys", multiple=True, help="a correlation value NAME=VALUE (repeatable); business_key=… too")
@click.option("--data", "data", default=None, help="the payload, a JSON object")
def message_command(name: str, actor: str, keys: tuple[str, ...], data: str | None) -> None:
    """Deliver a BPMN message; prints the case ids it reached (or started)."""
    lang = terminal_language()
    ctx = build_context()
    try:
        delivery = deliver_message(ctx, actor=actor, name=name, correlation=_keys(keys, lang), data=_data(data, lang))
    except OperationError as exc:
        _fail(_said(exc, lang))
        return
    for case_id in [*delivery.reached, *delivery.started]:
        click.echo(case_id)
    for failure in delivery.failed:
        click.echo(render("bpmn_message.failed", lang, case=failure["case"], error=failure["error"]), err=True)


COMMANDS: list[click.Command] = [message_command]
