"""`guicheng bench [--quick]`: rows B1–B8 with their targets and PASS/FAIL, then JSON.

Each row's module measures its own figure (ratios from interleaved samples in this run); this module
only orders the phases, prints the table and writes the results. The full run also replays and
verifies a year's worth of cases (not a target row: its figures go to the JSON and bench/RESULTS.md).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import click

from . import databases, http_bench, inbox_bench, loop_bench, postgres, replay_bench, throughput_bench, timer_bench
from .rows import BenchSettings, Row

PHASES: tuple[tuple[str, Callable[[BenchSettings], list[Row]]], ...] = (
    ("B1, B2: whole cases, durable vs. the bare engine", throughput_bench.run),
    ("B3, B4: long loops", loop_bench.run),
    ("B5: HTTP completions under load", http_bench.run),
    ("B6: inboxes and lists, 100 × the open tasks", inbox_bench.run),
    ("B7, B8: timers drained by two workers, worker memory", timer_bench.run),
)


def run_all(root: Path, quick: bool, out: Path, postgres_url: str | None) -> list[Row]:
    def progress(line: str) -> None:
        click.echo(f"  {line}", err=True)

    rows: list[Row] = []
    extra: dict[str, object] = {}
    with postgres.server(postgres_url) as url, databases.shared(root):
        if url is None:
            click.echo("PostgreSQL is not installed: its rows are skipped", err=True)
        settings = BenchSettings(root=root, quick=quick, postgres_url=url, progress=progress)
        for number, (title, phase) in enumerate(PHASES, 1):
            click.echo(f"[{number}/{len(PHASES) + (not quick)}] {title}…", err=True)
            started = time.monotonic()
            rows += phase(settings)
            click.echo(f"  ({time.monotonic() - started:.0f} s)", err=True)
        if not quick:
            extra["replay"] = _replay(settings, len(PHASES) + 1)
    _print(sorted(rows, key=lambda r: r.id))
    _write(rows, out, quick, extra)
    return rows


def _replay(settings: BenchSettings, number: int) -> list[dict[str, object]]:
    """Replay and `audit verify` of a year's cases; a replay that does not reproduce its case is a bug."""
    labels = [("sqlite", None)] + ([("postgresql", settings.postgres_url)] if settings.postgres_url else [])
    click.echo(f"[{number}/{number}] replay and audit verify of {replay_bench.CASES:,} cases…", err=True)
    outcomes = [replay_bench.run(settings.root, False, label, url) for label, url in labels]
    for line in [line for o in outcomes for line in replay_bench.summary_lines(o.summary)]:
        click.echo(line)
    failures = [failure for o in outcomes for failure in o.failures]
    if failures:
        raise click.ClickException("\n".join(["replay or verification failed:", *failures]))
    return [o.summary for o in outcomes]


def _print(rows: list[Row]) -> None:
    click.echo(f"{'row':<4} {'measures':<70} {'figure':<44} {'target':<16} verdict")
    for row in rows:
        click.echo(f"{row.id:<4} {row.measures:<70} {row.shown:<44} {row.target:<16} {row.verdict}")
    failed = [r.id for r in rows if r.passed is False]
    click.echo(f"{sum(r.passed is True for r in rows)} of {len(rows)} rows pass"
               + (f"; failing: {', '.join(failed)}" if failed else ""))


def _commit(root: Path) -> str:
    try:
        return subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, timeout=10).stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def _write(rows: list[Row], out: Path, quick: bool, extra: dict[str, object]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "at": datetime.now(UTC).isoformat(), "quick": quick, "commit": _commit(Path(__file__).parent.parent),
        "python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
        "rows": [r.as_dict() for r in rows], **extra,
    }, ensure_ascii=False, indent=2))
    click.echo(f"written: {out}")
