"""`guicheng bench`: run every benchmark, print a table with ratios, write JSON."""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

import click

from . import case_bench, case_list_bench, engine_bench, http_bench, replay_bench
from .timing import Result


def run_all(root: Path, quick: bool, out: Path, postgres_url: str | None) -> list[Result]:
    repeat = 5 if quick else 30
    click.echo(f"[1/6] bare engine ({repeat} cases)…", err=True)
    results = engine_bench.run(root, repeat)
    click.echo(f"[2/6] SQLite ({repeat} cases)…", err=True)
    results += case_bench.run(root, repeat, "sqlite", None)
    if postgres_url:
        click.echo(f"[3/6] PostgreSQL ({repeat} cases)…", err=True)
        results += case_bench.run(root, repeat, "postgresql", postgres_url)
    else:
        click.echo("[3/6] PostgreSQL skipped: set GUICHENG_BENCH_POSTGRES_URL", err=True)
    click.echo(f"[4/6] HTTP under load ({repeat * 2} requests per endpoint)…", err=True)
    results += http_bench.run(root, repeat * 2, "sqlite", None)
    if postgres_url:
        results += http_bench.run(root, repeat * 2, "postgresql", postgres_url)
    click.echo(f"[5/6] case list over {case_list_bench.CASES:,} cases, SQLite ({repeat} pages each)…", err=True)
    results += case_list_bench.run(root, repeat)
    count = replay_bench.QUICK_CASES if quick else replay_bench.CASES
    click.echo(f"[6/6] replay and audit verify of {count:,} cases, SQLite{' and PostgreSQL' * bool(postgres_url)}…",
               err=True)
    replays = [replay_bench.run(root, quick, "sqlite", None)]
    if postgres_url:
        replays.append(replay_bench.run(root, quick, "postgresql", postgres_url))
    for outcome in replays:
        results += outcome.results
    _report(results, out, {"replay": [o.summary for o in replays]})
    for line in [line for o in replays for line in replay_bench.summary_lines(o.summary)]:
        click.echo(line)
    failures = [failure for o in replays for failure in o.failures]
    if failures:  # a replay that does not reproduce its case, or a broken chain, is a bug
        raise click.ClickException("\n".join(["replay or verification failed:", *failures]))
    return results


def _report(results: list[Result], out: Path, extra: dict[str, object] | None = None) -> None:
    floor = next(r for r in results if r.name == "engine: per step in memory").median
    click.echo(f"{'benchmark':<58} {'unit':>6} {'n':>5} {'median ms':>10} {'p95 ms':>9} {'× engine step':>14}")
    for r in results:
        ratio = f"{r.median / floor:.1f}" if r.unit == "step" else ""
        click.echo(f"{r.name:<58} {r.unit:>6} {len(r.samples):>5} {r.median:>10.3f} {r.p95:>9.3f} {ratio:>14}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "at": datetime.now(UTC).isoformat(), "python": platform.python_version(),
        "machine": platform.machine(), "cpus": os.cpu_count(), "results": [r.as_dict() for r in results],
        **(extra or {}),
    }, ensure_ascii=False, indent=2))
    click.echo(f"written: {out}")
