"""The `guicheng` command (CONTRACT.md): thin wrappers over the use cases."""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from service.config import PROJECT_ROOT
from service.domain.input_limits import DATABASE_ID_MAX, InputRejected, parse_json
from service.domain.messages import DEFAULT_LANGUAGE, LANGUAGES, render
from service.engine.problems import DefinitionInvalid
from service.operations import tokens
from service.operations.context import AppContext, build_context
from service.operations.errors import OperationError, ValidationFailed, render_text

# Each command imports the use cases it runs, and the commands of the other cli_* modules are imported
# only when named: every start of `guicheng` (a worker, a script's `complete`) would otherwise load the
# web, spreadsheet and audit libraries too — about half a second each time.
ELSEWHERE: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("serve", "calendar", "operations", "incidents", "cancel", "bench", "upload", "tokens"),
                    ("cli_admin",)),
    "users": ("cli_admin", "cli_org"),  # cli_org adds `users list`
    "org": ("cli_org",), "cases": ("cli_cases",), "start-form": ("cli_processes",), "migrate": ("cli_processes",),
    "audit": ("cli_audit", "cli_evidence"),  # cli_evidence adds its commands to the audit group
    "replay": ("cli_replay",), "message": ("cli_messages",), "import": ("cli_import",),
}

CASE_ID = click.IntRange(0, DATABASE_ID_MAX)  # larger ids name nothing (and overflow the database's columns)


def _ctx() -> AppContext:
    return build_context()


def _fail(message: str, code: int = 1) -> None:
    click.echo(message, err=True)
    sys.exit(code)


def cli_language() -> str:
    """Chinese unless GUICHENG_LANG=en: what the person at the terminal reads."""
    chosen = os.environ.get("GUICHENG_LANG", "").split("_")[0].lower()
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def _said(exc: OperationError, lang: str) -> str:
    lines = [exc.render(lang)]
    if isinstance(exc, ValidationFailed):
        lines += [f"  {key}: {text}" for key, text in exc.field_errors(lang).items()]
    return "\n".join(lines)


def _json_arg(text: str | None, what: str) -> dict[str, Any]:
    """A JSON object from the command line, inside the same input limits as the API."""
    if not text:
        return {}
    try:
        value = parse_json(text)
    except InputRejected as exc:
        lang = cli_language()
        _fail("\n".join(f"{what}: {path or render('body.document', lang)}: {render_text(message, lang)}"
                        for path, message in exc.errors.items()))
    if not isinstance(value, dict):
        _fail(f"{what}: " + render("body.object_expected", cli_language()))
    return value


def _dump(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


class _Group(click.Group):
    """Turn use-case errors into one clear line on stderr and exit 1; find the other modules' commands."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *ELSEWHERE})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = super().get_command(ctx, cmd_name)
        if found is not None or cmd_name not in ELSEWHERE:
            return found
        modules = [importlib.import_module(f"service.{name}") for name in ELSEWHERE[cmd_name]]  # the later add to it
        found = next(c for c in modules[0].COMMANDS if c.name == cmd_name)
        self.add_command(found)
        return found

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OperationError as exc:
            _fail(render("cli.error", cli_language(), said=_said(exc, cli_language())))
        except DefinitionInvalid as exc:
            _fail("\n".join(p.line_text(cli_language()) for p in exc.problems))


@click.group(cls=_Group)
def main() -> None:
    """规程 Guicheng — procedures as living BPMN diagrams."""


@main.command()
@click.option("--demo", is_flag=True, help="add one demo user per role (password: demo)")
def init(demo: bool) -> None:
    """Create/upgrade the database, seed the calendar, deploy processes/."""
    from service.operations import calendar, demo_after_sales, demo_org, deploy
    from service.persistence.migrate import upgrade

    ctx = _ctx()
    upgrade(ctx.db.engine)
    click.echo(f"database ready: {ctx.db.engine.url.render_as_string(hide_password=True)}")
    added = calendar.seed_calendar(ctx)
    click.echo(f"calendar: {added} days added")
    for warning in calendar.coverage_warnings(ctx):
        click.echo(f"warning: {warning}", err=True)
    for bundle in deploy.bundles_from_paths([ctx.settings.processes_dir], ctx.settings.forms_dir):
        result = deploy.deploy_bundle(ctx, bundle, actor="system")
        click.echo(f"deployed {result.process_id} v{result.version}{'' if result.created else ' (unchanged)'}")
    if demo:
        created = demo_org.ensure_demo_organisation(ctx)
        click.echo(f"demo users: {len(created)} added (user name = role id + 1, password: demo)")
        master = demo_after_sales.ensure_demo_after_sales(ctx)
        click.echo("demo after-sales data: " + ", ".join(f"{n} {kind}" for kind, n in master.items()) + " added")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Exit 0 if every diagram/form is deployable; else one line per problem."""
    from service.operations import deploy

    problems, warnings = deploy.validation_report(list(paths), PROJECT_ROOT / "forms")
    lang = cli_language()
    for problem in problems:
        click.echo(problem.line_text(lang))
    for warning in warnings:  # only English missing: deployable, but the English switch shows Chinese there
        click.echo(warning.line_text(lang), err=True)
    if problems:
        sys.exit(1)
    click.echo("ok", err=True)


@main.command(name="deploy")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--as", "actor", default="system")
def deploy_command(paths: tuple[Path, ...], actor: str) -> None:
    """Deploy a new version of each process whose content changed."""
    from service.operations import deploy

    ctx = _ctx()
    for bundle in deploy.bundles_from_paths(list(paths), ctx.settings.forms_dir):
        result = deploy.deploy_bundle(ctx, bundle, actor=actor)
        click.echo(f"{result.process_id} {result.version}{'' if result.created else ' (unchanged)'}")


@main.command()
@click.argument("process_id")
@click.option("--as", "actor", required=True)
@click.option("--data", default=None, help="start form data as JSON")
@click.option("--key", "business_key", default=None, help="business key (default: customer / project)")
def start(process_id: str, actor: str, data: str | None, business_key: str | None) -> None:
    """Start a case; prints the new instance id."""
    from service.operations import cases

    instance_id = cases.start_case(_ctx(), process_id=process_id, actor=actor, data=_json_arg(data, "--data"),
                                   business_key=business_key)
    click.echo(instance_id)


@main.command()
@click.option("--as", "actor", default=None)
@click.option("--instance", "instance_id", type=CASE_ID, default=None)
@click.option("--json", "as_json", is_flag=True)
def tasks(actor: str | None, instance_id: int | None, as_json: bool) -> None:
    """Open tasks the user may work on."""
    from service.operations import queries
    from service.operations.localise import localise_task

    ctx = _ctx()
    found = [localise_task(ctx, t, cli_language()) for t in queries.open_tasks(ctx, actor=actor,
                                                                                instance_id=instance_id)]
    if as_json:
        _dump(found)
        return
    if not found:
        click.echo("no open tasks")
    for t in found:
        due = t["due_at"] or "-"
        click.echo(f"{t['id']:>5}  {t['name']}  [{t['role']}]  case {t['instance_id']} {t['business_key']}  due {due}")


@main.command()
@click.argument("instance_id", type=CASE_ID)
@click.option("--as", "actor", default=None, help="show only what this user may see")
@click.option("--json", "as_json", is_flag=True)
def show(instance_id: int, actor: str | None, as_json: bool) -> None:
    """Status, version, data, open tasks and incidents of a case."""
    from service.operations import queries
    from service.operations.localise import localise_case

    ctx = _ctx()
    case = localise_case(ctx, queries.show_case(ctx, instance_id, actor=actor), cli_language())
    if as_json:
        _dump(case)
        return
    click.echo(f"case {case['id']}  {case['process_id']} v{case['version']}  {case['status']}  {case['business_key']}")
    if case["error"]:
        click.echo(f"error: {case['error']}")
    for t in case["open_tasks"]:
        click.echo(f"  open task {t['id']}: {t['name']} [{t['role']}] due {t['due_at'] or '-'}")
    for m in case["mails"]:
        click.echo(f"  mail ({m['status']}): {m['subject']} → {', '.join(m['to'])}")
    for i in case["incidents"]:
        if i["status"] == "open":
            click.echo(f"  incident {i['id']} at {i['element_id']} ({i['attempts']} attempts, next retry "
                       f"{i['next_retry_at'] or 'by hand'}): {i['message']}")
    click.echo("data: " + json.dumps(case["data"], ensure_ascii=False, sort_keys=True))


@main.command()
@click.argument("task_id", type=CASE_ID)
@click.option("--as", "actor", required=True)
@click.option("--data", default=None, help="form data as JSON")
def complete(task_id: int, actor: str, data: str | None) -> None:
    """Complete a task with form data."""
    from service.operations import cases

    result = cases.complete_task(_ctx(), task_id=task_id, actor=actor, data=_json_arg(data, "--data"))
    click.echo(f"task {result['task_id']} completed; case {result['instance_id']} is {result['status']}")


@main.command()
@click.argument("instance_id", type=CASE_ID)
@click.option("--as", "actor", default=None, help="only if this user may see the case")
@click.option("--json", "as_json", is_flag=True)
def history(instance_id: int, actor: str | None, as_json: bool) -> None:
    """The case's events in order."""
    from service.operations import queries
    from service.operations.localise import localise_case_events

    ctx = _ctx()
    events = localise_case_events(ctx, instance_id, queries.history(ctx, instance_id, actor=actor), cli_language())
    if as_json:
        _dump(events)
        return
    for e in events:
        detail = e["payload"].get("name") or e["payload"].get("element_id") or e["payload"].get("subject") or ""
        click.echo(f"{e['seq']:>6}  {e['at']}  {e['type']:<15} {e['actor']:<16} {detail}")


@main.command()
@click.argument("username")
@click.option("--days", default=tokens.DEFAULT_DAYS, show_default=True, type=click.IntRange(1, tokens.MAX_DAYS),
              help="days until the token expires")
@click.option("--name", default="", help="what the token is for (shown in the token list)")
def token(username: str, days: int, name: str) -> None:
    """Print a new API token for the user (`guicheng tokens list` / `revoke` manage them)."""
    click.echo(tokens.issue_token(_ctx(), username, days=days, name=name or "guicheng token"))


@main.command()
@click.option("--once", is_flag=True, help="do what is due now, then exit")
@click.option("--interval", default=2.0, show_default=True, help="seconds between rounds")
def worker(once: bool, interval: float) -> None:
    """Fire due timers and send the mail outbox (mail on its own thread: a slow server delays only mail)."""
    from service.engine.limits import cap_address_space
    from service.operations import background

    ctx = _ctx()
    cap_address_space(ctx.settings.memory_headroom_mib * 1024 * 1024)  # a runaway step fails, not the worker
    lang = cli_language()

    def summary(report: background.WorkReport) -> None:  # read by scripts: the same words in every language
        replies = f", mail replies taken: {report.mails_received}, refused: {report.mails_refused}" \
            if report.mails_received or report.mails_refused else ""
        click.echo(f"timers fired: {report.timers_fired}, mails sent: {report.mails_sent}, "
                   f"failed: {report.failures}{replies}")

    def progress(report: background.WorkReport) -> None:
        click.echo(render("worker.progress", lang, timers=report.timers_fired, mails=report.mails_sent,
                          failures=report.failures), err=True)

    if once:
        summary(background.run_once(ctx, progress=progress))
        return
    background.run_forever(
        ctx, interval, on_round=lambda report: summary(report) if report.busy else None,
        on_error=lambda exc: click.echo(render("worker.round_failed", lang,
                                               error=f"{exc.__class__.__name__}: {exc}"), err=True))


if __name__ == "__main__":
    main()
