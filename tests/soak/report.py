"""The soak's printed figures: load, kills, each check, the server errors and the log's tracebacks."""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from tests.soak.checks import Check
from tests.soak.ledger import Answer, Ledger
from tests.soak.server_log import Problem

MAX_PROBLEMS = 12


def _routes(ledger: Ledger) -> list[str]:
    return [f"  {count:>7}  {method:<5} {route:<48} {status}"
            for (method, route, status), count in sorted(ledger.by_route.items())]


def _answers(answers: list[Answer], kinds: Counter[tuple[str, str, int, str]]) -> list[str]:
    lines = []
    for e in answers:
        lines += [f"  {kinds[e.kind()]:>5} × {e.method} {e.path}  body: {e.request_body or '-'}",
                  f"    → {e.status}: {' '.join(e.response_body.split())[:300]}"]
    return lines


def _problems(problems: list[Problem]) -> list[str]:
    lines = []
    for p in problems[:MAX_PROBLEMS]:
        lines.append(f"  {p.count:>5} × {p.summary}")
        lines.append(f"          in: {', '.join(sorted(p.where))}")
        lines += ["          | " + line for line in p.excerpt.splitlines()]
    if len(problems) > MAX_PROBLEMS:
        lines.append(f"  … and {len(problems) - MAX_PROBLEMS} more kinds")
    return lines


def print_report(*, args: argparse.Namespace, ledger: Ledger, elapsed: float, kills: Mapping[str, int],
                 drained: list[str], problems: list[Problem], found: list[Check], figures: list[str],
                 logs: Path) -> None:
    rate = ledger.sent / elapsed if elapsed else 0.0
    out = [f"== soak: {args.clients} clients, {args.minutes:g} min, web {args.web_workers}×{args.web_threads} "
           f"threads, 2 workers, kills every ~{args.kill_every:g} s ==",
           f"load: {ledger.sent} requests in {elapsed:.1f} s ({rate:.1f}/s); cases started: {ledger.cases_started}",
           f"kills: {dict(kills) or 'none'}", *figures, "requests by route and status:", *_routes(ledger),
           "drain (guicheng worker --once):", *("  " + d.replace(chr(10), ' | ') for d in drained)]
    for check in found:
        out.append(f"[{'PASS' if check.ok else 'FAIL'}] {check.name}")
        out += ["       " + f for f in check.figures]
        out += ["   !!! " + f for f in check.failures]
    if ledger.server_errors:
        out += [f"5xx answers ({ledger.server_error_count}; one sample of each kind):",
                *_answers(ledger.server_errors, ledger.server_error_kinds)]
    if ledger.odd_answers:
        out += ["4xx answers to valid requests (not failures, but each needs a reason; one sample of each kind):",
                *_answers(ledger.odd_answers, ledger.odd_answer_kinds)]
    if problems:
        out += [f"tracebacks and failed worker rounds in {logs}:", *_problems(problems)]
    failing = [c.name for c in found if not c.ok]
    out.append(f"result: {'FAIL — ' + '; '.join(failing) if failing else 'PASS'}")
    print("\n".join(out), flush=True)
