"""Soak: a real deployment on PostgreSQL under load from every role, with processes killed at random.

    scripts/with-postgres.sh .venv/bin/python -m tests.soak.soak --minutes 5 --clients 16

Bounded in time (--minutes) and in requests (--max-requests); everything runs on 127.0.0.1.
The web server's clock is frozen at a Wednesday morning, the workers' clock a week later, so every
timer a case creates is due at once and two workers race the people completing those tasks.
Exits 1 when a check fails, naming it; 2 when the run could not be set up.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from service.persistence.db import Database
from tests.soak import checks
from tests.soak.chaos import Chaos
from tests.soak.clients import REQUEST_TIMEOUT, CaseQuota, Client, Documents, roster
from tests.soak.deployment import Clocks, Deployment, SetupFailed, WebOptions, fresh_database, require_loopback
from tests.soak.ledger import Ledger
from tests.soak.report import print_report
from tests.soak.server_log import Problem, problems_in

MAX_DRAIN_ROUNDS = 10
_WORKER_REPORT = re.compile(r"timers fired: (\d+), mails sent: (\d+)")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.soak.soak", description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="length of the load phase")
    parser.add_argument("--clients", type=int, default=16, help="client threads (people)")
    parser.add_argument("--max-requests", type=int, default=200_000, help="request budget of the whole run")
    parser.add_argument("--max-cases", type=int, default=10_000, help="cases the sales threads may start in all")
    parser.add_argument("--open-cases", type=int, default=8,
                        help="cases under way at once: few enough that cases reach their end")
    parser.add_argument("--kill-every", type=float, default=5.0, help="mean seconds between SIGKILLs; 0: none")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--web-threads", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres-url", default=os.environ.get("GUICHENG_TEST_POSTGRES_URL"),
                        help="a loopback PostgreSQL server (default: $GUICHENG_TEST_POSTGRES_URL)")
    parser.add_argument("--workdir", type=Path, default=None, help="home folder and logs (default: a temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the database and the work folder")
    parser.add_argument("--server-clock", default=Clocks.server)
    parser.add_argument("--worker-clock", default=Clocks.worker)
    return parser.parse_args(argv)


def prepare(deployment: Deployment, users: list[str]) -> tuple[Documents, dict[str, str]]:
    """`guicheng init --demo`, the documents the forms need, one API token per person."""
    deployment.cli_ok("init", "--demo")
    refs = deployment.upload({"实施规划.docx": "实施规划".encode(), "服务单.pdf": b"%PDF-1.4 signed",
                              "技术周报.xlsx": "周报".encode()})
    docs = Documents(refs["实施规划.docx"], refs["服务单.pdf"], refs["技术周报.xlsx"])
    with ThreadPoolExecutor(max_workers=3) as pool:
        tokens = dict(zip(users, pool.map(lambda u: deployment.cli_ok("token", u).strip(), users), strict=True))
    return docs, tokens


def load(deployment: Deployment, args: argparse.Namespace, docs: Documents, tokens: dict[str, str],
         ledger: Ledger) -> tuple[list[Client], Chaos | None, float]:
    """The load phase: clients and kills until the time or the request budget is used up."""
    stop, chaos_stop = threading.Event(), threading.Event()
    quota = CaseQuota(args.max_cases, args.open_cases)
    clients = [Client(user, tokens[user], deployment.port, ledger, docs, quota, stop, args.seed * 1000 + i)
               for i, user in enumerate(roster(args.clients))]
    chaos = Chaos(deployment, args.kill_every, chaos_stop, args.seed) if args.kill_every > 0 else None
    began = time.monotonic()
    for client in clients:
        client.start()
    if chaos:
        chaos.start()
    stop.wait(args.minutes * 60)
    stop.set()
    for client in clients:
        client.join(timeout=REQUEST_TIMEOUT + 10)
    elapsed = time.monotonic() - began
    if chaos:
        chaos.halt()
    return clients, chaos, elapsed


def drain(deployment: Deployment) -> list[str]:
    """Stop the killing and the background workers, then `worker --once` until nothing is due."""
    deployment.stop_workers()
    outputs = []
    for _ in range(MAX_DRAIN_ROUNDS):
        result = deployment.cli("worker", "--once", worker_clock=True)
        outputs.append(f"exit {result.returncode}: {(result.stdout + result.stderr).strip()[-2000:]}")
        found = _WORKER_REPORT.search(result.stdout)
        if result.returncode != 0 or (found and found.groups() == ("0", "0")):
            break
    return outputs


def run_checks(deployment: Deployment, ledger: Ledger, problems: list[Problem]) -> tuple[list[checks.Check], list[str]]:
    verify = deployment.cli("audit", "verify")
    db = Database(deployment.database_url)
    try:
        with db.reading() as session:
            found = [checks.server_errors(ledger, problems), checks.failed_steps(ledger),
                     checks.completions(session, ledger),
                     checks.timers(session, datetime.fromisoformat(deployment.clocks.worker)),
                     checks.mails(session, deployment.mail_dir),
                     checks.audit(session, verify.returncode, verify.stdout + verify.stderr)]
            figures = checks.cases_figures(session)
    finally:
        db.dispose()
    return found, figures


def harness_check(clients: list[Client], chaos: Chaos | None) -> checks.Check:
    check = checks.Check("the harness itself ran to the end")
    for client in clients:
        if client.failure is not None:
            check.failures.append(f"{client.name}: {client.failure.__class__.__name__}: {client.failure}")
        elif client.is_alive():
            check.failures.append(f"{client.name}: still waiting for an answer after the load phase")
    if chaos is not None and chaos.failure is not None:
        check.failures.append(f"chaos: {chaos.failure.__class__.__name__}: {chaos.failure}")
    return check


def soak(deployment: Deployment, args: argparse.Namespace) -> bool:
    users = sorted(set(roster(args.clients)))
    docs, tokens = prepare(deployment, users)
    deployment.start_web()
    deployment.start_workers()
    ledger = Ledger(budget=args.max_requests)
    clients, chaos, elapsed = load(deployment, args, docs, tokens, ledger)
    deployment.stop_web()
    drained = drain(deployment)
    problems = problems_in(sorted(deployment.logs.glob("*.log")))
    found, figures = run_checks(deployment, ledger, problems)
    found.insert(0, harness_check(clients, chaos))
    print_report(args=args, ledger=ledger, elapsed=elapsed, kills=chaos.kills if chaos else {}, drained=drained,
                 problems=problems, found=found, figures=figures, logs=deployment.logs)
    return all(c.ok for c in found)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.postgres_url:
        print("soak: no PostgreSQL: run it under scripts/with-postgres.sh or pass --postgres-url", file=sys.stderr)
        return 2
    require_loopback(args.postgres_url)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="guicheng-soak-"))
    ok = False
    with fresh_database(args.postgres_url, keep=args.keep) as database_url:
        deployment = Deployment(workdir, database_url, Clocks(args.server_clock, args.worker_clock),
                                WebOptions(args.web_workers, args.web_threads))
        try:
            ok = soak(deployment, args)
        except SetupFailed as exc:
            print(f"soak: could not set up the deployment: {exc}", file=sys.stderr)
            return 2
        finally:
            deployment.stop()
    if ok and not args.keep and args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    elif not ok:
        print(f"logs and home folder kept in {workdir}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
