"""Administration commands: serve, users, calendar, operations."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import click

from service.config import load_settings
from service.domain.input_limits import DATABASE_ID_MAX
from service.domain.messages import render
from service.domain.roles import ROLES
from service.operations import calendar, incidents, tokens, users
from service.operations.context import build_context
from service.service_tasks.registry import operations as registered_operations

SOCKET_PATH_LIMIT = 100  # bytes; a Unix socket path must fit in sun_path (108 on Linux)


def terminal_language() -> str:
    """The language of the person at the terminal (Chinese unless GUICHENG_LANG=en)."""
    from service.cli import cli_language  # the shared CLI helpers; imported late (cli imports this module)

    return cli_language()


def say(code: str, *, err: bool = False, **params: object) -> None:
    """One status line in the terminal's language."""
    click.echo(render(code, terminal_language(), **params), err=err)


def _control_socket(home: Path) -> list[str]:
    """gunicorn's control socket (`gunicornc -s PATH`) in this instance's home, not the shared ~/.gunicorn.

    Every instance of the user would otherwise share one socket, and the last one started would
    take it over from the others. A home too deep for a socket path gets none.
    """
    path = home / "gunicorn.ctl"
    if len(os.fsencode(path)) > SOCKET_PATH_LIMIT:
        say("admin_cli.no_control_socket", err=True, path=path, server="gunicorn")
        return ["--no-control-socket"]
    return ["--control-socket", str(path)]


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@click.option("--no-worker", is_flag=True, help="do not start the background worker")
def serve(host: str, port: int, workers: int, no_worker: bool) -> None:
    """Run the web server (gunicorn) with a background worker beside it."""
    children: list[subprocess.Popen[bytes]] = []

    def stop(_signum: int, _frame: object) -> None:
        for child in children:
            child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    home = load_settings().home  # created private before the children write into it
    if not no_worker:
        children.append(subprocess.Popen([sys.executable, "-m", "service.cli", "worker"], env=os.environ.copy()))
    children.append(subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"{host}:{port}", "--workers",
                                      str(workers), "--access-logfile", "-", *_control_socket(home),
                                      "service.wsgi:app"]))
    say("admin_cli.serving", url=f"http://{host}:{port}")
    code = children[-1].wait()
    for child in children:
        child.terminate()
    for child in children:
        child.wait(timeout=30)
    sys.exit(code)


@click.group(name="users")
def users_group() -> None:
    """Manage users and their roles."""


@users_group.command(name="add")
@click.argument("username")
@click.option("--name", "display_name", required=True)
@click.option("--email", required=True)
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(sorted(ROLES)))
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def add_user(username: str, display_name: str, email: str, roles: tuple[str, ...], password: str) -> None:
    """Create or update a user."""
    users.save_user(build_context(), username=username, display_name=display_name, email=email,
                    roles=list(roles), password=password, actor="cli")
    say("admin_cli.user_saved", username=username, roles=", ".join(roles))


@click.group(name="calendar")
def calendar_group() -> None:
    """The working-day calendar."""


@calendar_group.command(name="set")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--workday/--holiday", required=True)
@click.option("--name", default="")
def set_day(day: dt.datetime, workday: bool, name: str) -> None:
    """Override one day (e.g. next year's holiday notice)."""
    calendar.set_day(build_context(), day=day.date(), is_workday=workday, name=name, actor="cli")
    say("admin_cli.now_workday" if workday else "admin_cli.now_holiday", day=day.date())


@calendar_group.command(name="deadline")
@click.argument("received_at")
@click.argument("days", type=int)
def deadline(received_at: str, days: int) -> None:
    """End of working day DAYS counted from RECEIVED_AT (ISO timestamp)."""
    ctx = build_context()
    from service.adapters.clock import parse_instant
    with ctx.db.reading() as session:
        cal = calendar.load_calendar(session, ctx)
    received = parse_instant(received_at, ctx.tz)
    end = cal.end_of_working_day(received, days)
    warning = cal.warning_for(end.date())
    click.echo(end.isoformat())
    if warning:
        say("admin_cli.warning", err=True, warning=warning)


@click.command(name="operations")
def list_operations() -> None:
    """The named operations diagrams may call from service tasks."""
    for op in registered_operations().values():
        params = ", ".join(sorted(op.required) + [f"[{p}]" for p in sorted(op.optional)])
        click.echo(f"{op.name}({params})  {op.description}")


@click.group(name="incidents", invoke_without_command=True)
@click.option("--all", "show_all", is_flag=True, help="resolved and cancelled ones too")
@click.pass_context
def incidents_group(click_ctx: click.Context, show_all: bool) -> None:
    """Steps the worker could not do: list them, retry one, or cancel its case."""
    if click_ctx.invoked_subcommand is not None:
        return
    for i in incidents.list_incidents(build_context(), status=None if show_all else "open"):
        say("admin_cli.incident", id=f"{i['id']:>5}", case=i["instance_id"], element=i["element_id"],
            status=i["status"], attempts=i["attempts"], next=i["next_retry_at"] or "-", message=i["message"])


@incidents_group.command(name="retry")
@click.argument("incident_id", type=click.IntRange(0, DATABASE_ID_MAX))
@click.option("--as", "actor", required=True)
def retry_incident(incident_id: int, actor: str) -> None:
    """Run the failed step again now."""
    result = incidents.retry_incident(build_context(), incident_id=incident_id, actor=actor)
    say("admin_cli.incident_retried", id=incident_id, result=result["result"], status=result["incident"]["status"])


@click.command(name="cancel")
@click.argument("instance_id", type=click.IntRange(0, DATABASE_ID_MAX))
@click.option("--as", "actor", required=True)
@click.option("--reason", required=True)
def cancel_case(instance_id: int, actor: str, reason: str) -> None:
    """Cancel a case for good (administrators and process owners), with a reason."""
    incidents.cancel_case(build_context(), instance_id=instance_id, actor=actor, reason=reason)
    say("admin_cli.case_cancelled", case=instance_id)


COMMANDS = [serve, users_group, calendar_group, list_operations, incidents_group, cancel_case]


@click.command(name="bench")
@click.option("--quick", is_flag=True, help="fewer repetitions")
@click.option("--postgres-url", envvar="GUICHENG_BENCH_POSTGRES_URL", default=None,
              help="PostgreSQL server to create a scratch database on")
def bench(quick: bool, postgres_url: str | None) -> None:
    """Benchmarks: bare engine vs. the full stack on SQLite and PostgreSQL."""
    from service.config import PROJECT_ROOT, load_settings
    sys.path.insert(0, str(PROJECT_ROOT))  # bench/ lives beside the package, in the checkout
    from bench.run import run_all
    run_all(PROJECT_ROOT, quick, load_settings().home / "bench" / "results.json", postgres_url)


COMMANDS.append(bench)


@click.command(name="upload")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def upload(files: tuple[Path, ...]) -> None:
    """Store documents; prints each reference, the value of a form's file field (a filepicker)."""
    from service.adapters.archive_store import DocumentStore
    from service.config import load_settings
    store = DocumentStore(load_settings().home)
    for path in files:
        stored = store.store_upload(path.read_bytes(), path.name)
        click.echo(stored.reference)


COMMANDS.append(upload)


@click.group(name="tokens")
def tokens_group() -> None:
    """List and revoke API tokens (`guicheng token USER` issues one)."""


@tokens_group.command(name="list")
@click.argument("username", required=False)
@click.option("--json", "as_json", is_flag=True)
def list_tokens(username: str | None, as_json: bool) -> None:
    """Every token, or one user's: id, user, name, expiry, state (valid / expired / ended)."""
    found = tokens.list_tokens(build_context(), actor=tokens.OPERATOR, owner=username)
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    for t in found:
        say("admin_cli.token", id=f"{t['id']:>5}", username=f"{t['username']:<16}", state=f"{t['state']:<8}",
            expires=t["expires_at"], name=t["name"])


@tokens_group.command(name="revoke")
@click.argument("token_id", type=click.IntRange(0, DATABASE_ID_MAX))
def revoke_token(token_id: int) -> None:
    """Revoke a token by its id (as `guicheng tokens list` shows it)."""
    tokens.revoke_token(build_context(), token_id=token_id, actor=tokens.OPERATOR)
    say("admin_cli.token_revoked", id=token_id)


COMMANDS.append(tokens_group)
