"""B7, B8: due timers drained by two workers on PostgreSQL (exactly once, timers/s) and worker memory.

The cases are real technical-support cases waiting at the director's confirmation: one is started
through the use case, the others are copies of its rows with their own ids and their own valid audit
chains (starting thousands through the use case would take longer than the drain it prepares). At
17:00 on the day of the request the confirmation reminder of every case is due — one timer per case,
each sending its reminder mail; the overdue timer an hour later is not.

B7 runs two real `guicheng worker --once` processes against one PostgreSQL database and counts from
the database that every timer fired exactly once. B8 runs one worker in a fresh process and reads its
resident memory after the first cases and again after all of them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, select, text
from sqlalchemy.engine import Connection

from service.adapters.clock import FrozenClock
from service.operations import background, cases
from service.operations.context import AppContext, build_context
from service.persistence.audit import case_chain, event_hash
from service.persistence.models import Base, Event, Timer

from .case_bench import NOW, prepared_context
from .rows import BenchSettings, Row, at_least, at_most, skipped
from .scenario import APPLICATION

DUE = NOW.replace(hour=17)  # after the confirmation reminder (16:00), before the overdue timer (18:00)
B7_MEASURES = "due timers drained by two workers on PostgreSQL (10,000; quick: 300): exactly once, timers/s"
B8_MEASURES = "worker RSS after 10,000 cases (quick: 400) ÷ after 100"
CHUNK = 1000
TABLES = ("process_instances", "human_tasks", "timers", "audit_events", "mail_outbox", "case_copies")


def run(settings: BenchSettings) -> list[Row]:
    """One prepared database for both rows (PostgreSQL when there is one): B8's cases come after B7's."""
    with prepared_context(settings.root, settings.postgres_url) as ctx:
        drained = drain_row(settings, ctx) if settings.postgres_url else \
            skipped("B7", B7_MEASURES, "exactly once, ≥ 200 timers/s", "no PostgreSQL server")
        return [drained, memory_row(settings, ctx)]


# --- the cases ------------------------------------------------------------------------------------


def start_template(ctx: AppContext) -> int:
    return cases.start_case(ctx, process_id="technical_support", actor="sales1", data=APPLICATION)


def read_case(ctx: AppContext, case_id: int) -> dict[str, list[dict[str, Any]]]:
    """One case's rows, table by table: the recipe of its copies."""
    with ctx.db.engine.connect() as conn:
        rows = {name: [dict(r) for r in conn.execute(select(table).where(
            (table.c.id if name == "process_instances" else table.c.instance_id) == case_id)
            .order_by(table.c.id)).mappings()] for name, table in _tables().items()}
    _check_chain(rows["audit_events"])
    return rows


def copy_case(ctx: AppContext, template: dict[str, list[dict[str, Any]]], count: int,
              progress: Callable[[str], None]) -> list[int]:
    """`count` copies of one case's rows, each with its own ids, Message-IDs and a valid hash chain."""
    tables = _tables()
    template_id = template["process_instances"][0]["id"]
    made: list[int] = []
    with ctx.db.engine.begin() as conn:
        next_id = {name: (conn.execute(select(func.max(t.c.id))).scalar() or 0) + 1 for name, t in tables.items()}
        for start in range(0, count, CHUNK):
            batch: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
            for _ in range(min(CHUNK, count - start)):
                made.append(_one_copy(template, template_id, next_id, batch))
            for name in TABLES:  # parents first: the foreign keys hold at every insert
                if batch[name]:
                    conn.execute(tables[name].insert(), batch[name])
            progress(f"{len(made):,} of {count:,} cases copied")
        _resync_sequences(conn, tables)
    return made


def _tables() -> dict[str, Table]:
    return {name: Base.metadata.tables[name] for name in TABLES}


def _one_copy(template: dict[str, list[dict[str, Any]]], template_id: int, next_id: dict[str, int],
              batch: dict[str, list[dict[str, Any]]]) -> int:
    def fresh(name: str) -> int:
        next_id[name] += 1
        return next_id[name] - 1

    case_id = fresh("process_instances")
    task_ids = {row["id"]: fresh("human_tasks") for row in template["human_tasks"]}
    instance = {**template["process_instances"][0], "id": case_id}
    batch["human_tasks"] += [{**row, "id": task_ids[row["id"]], "instance_id": case_id}
                             for row in template["human_tasks"]]
    batch["timers"] += [{**row, "id": fresh("timers"), "instance_id": case_id} for row in template["timers"]]
    batch["case_copies"] += [{**row, "id": fresh("case_copies"), "instance_id": case_id}
                             for row in template["case_copies"]]
    for row in template["mail_outbox"]:
        batch["mail_outbox"].append({
            **row, "id": fresh("mail_outbox"), "instance_id": case_id,
            "message_id": _renamed(row["message_id"], case_id), "thread_root": _renamed(row["thread_root"], case_id),
            "body": row["body"].replace(f"/cases/{template_id}", f"/cases/{case_id}")})
    prev = None
    for row in template["audit_events"]:
        payload = dict(row["payload"])
        if "task_id" in payload:
            payload["task_id"] = task_ids.get(payload["task_id"], payload["task_id"])
        prev_hash = prev["hash"] if prev else row["prev_hash"]
        event = {**row, "id": fresh("audit_events"), "chain": case_chain(case_id), "instance_id": case_id,
                 "payload": payload, "prev_hash": prev_hash}
        event["hash"] = _hash_of(event)
        batch["audit_events"].append(event)
        prev = event
    instance["chain_hash"] = prev["hash"] if prev else instance["chain_hash"]
    batch["process_instances"].append(instance)
    return case_id


def _renamed(message_id: str | None, case_id: int) -> str | None:
    return message_id.replace("@", f".c{case_id}@", 1) if message_id else message_id


def _hash_of(event: dict[str, Any]) -> str:
    return event_hash(chain=event["chain"], seq=event["seq"], instance_id=event["instance_id"], type=event["type"],
                      actor=event["actor"], occurred_at=event["occurred_at"], payload=event["payload"],
                      prev_hash=event["prev_hash"])


def _check_chain(events: list[dict[str, Any]]) -> None:
    """The copies are only as valid as the recipe: the template's own hashes must come out the same."""
    if any(_hash_of(e) != e["hash"] for e in events):
        raise RuntimeError("the template case's audit chain does not recompute: the copies would not verify")


def _resync_sequences(conn: Connection, tables: dict[str, Table]) -> None:
    """Explicit ids leave PostgreSQL's sequences behind; the next row the product writes must not collide."""
    if conn.dialect.name != "postgresql":
        return
    for name in tables:
        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"))


def prepared_cases(ctx: AppContext, count: int, progress: Callable[[str], None]) -> list[int]:
    template = start_template(ctx)
    return [template, *copy_case(ctx, read_case(ctx, template), count - 1, progress)]


# --- B7: two workers --------------------------------------------------------------------------------


def worker_env(ctx: AppContext, clock: datetime) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUICHENG_")}
    env.update(GUICHENG_DATABASE_URL=ctx.settings.database_url, GUICHENG_HOME=str(ctx.settings.home),
               GUICHENG_SECRET_KEY="bench", GUICHENG_CLOCK=clock.isoformat())
    return env


def drain_with_workers(ctx: AppContext, root: Path, workers: int = 2, max_rounds: int = 20) -> dict[str, float]:
    """Seconds until no timer was due any more, until the workers were done (their mail too), and how
    many rounds of `worker --once` pairs that took (one, unless `--once` stops early)."""
    env = worker_env(ctx, DUE)
    started, timers_done = time.perf_counter(), None
    for round_number in range(1, max_rounds + 1):
        procs = [subprocess.Popen([sys.executable, "-m", "service.cli", "worker", "--once"], env=env, cwd=root,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                 for _ in range(workers)]
        while timers_done is None and any(p.poll() is None for p in procs):
            if due_timers(ctx) == 0:
                timers_done = time.perf_counter() - started
            time.sleep(0.2)
        errors = [p.communicate()[1] for p in procs]
        if any(p.returncode for p in procs):
            raise RuntimeError("a worker failed:\n" + "\n".join(errors))
        if due_timers(ctx) == 0:
            finished = time.perf_counter() - started
            return {"timers_seconds": timers_done or finished, "with_mail_seconds": finished,
                    "worker_rounds": round_number}
    raise RuntimeError(f"timers still due after {max_rounds} rounds of workers")


def due_timers(ctx: AppContext) -> int:
    with ctx.db.reading() as session:
        return int(session.execute(select(func.count()).select_from(Timer).where(
            Timer.status == "pending", Timer.due_at <= DUE)).scalar() or 0)


def firing_counts(ctx: AppContext, instance_ids: list[int]) -> dict[str, int]:
    """From the database: fired timer rows, `timer_fired` events, cases fired other than exactly once."""
    with ctx.db.reading() as session:
        fired_rows = session.execute(select(func.count()).select_from(Timer).where(
            Timer.status == "fired", Timer.instance_id.in_(instance_ids))).scalar() or 0
        per_case = dict(session.execute(select(Event.instance_id, func.count()).where(
            Event.type == "timer_fired", Event.instance_id.in_(instance_ids)).group_by(Event.instance_id)).all())
    return {"timer_rows_fired": int(fired_rows), "timer_fired_events": int(sum(per_case.values())),
            "cases_not_exactly_once": sum(per_case.get(i, 0) != 1 for i in instance_ids)}


def drain_row(settings: BenchSettings, ctx: AppContext) -> Row:
    count = settings.size(10_000, 300)
    settings.progress(f"B7: {count:,} cases waiting at the director's confirmation")
    ids = prepared_cases(ctx, count, settings.progress)
    settings.progress(f"B7: two workers drain {due_timers(ctx):,} due timers")
    drained = drain_with_workers(ctx, settings.root)
    counts = firing_counts(ctx, ids)
    exactly_once = counts["timer_rows_fired"] == counts["timer_fired_events"] == count \
        and counts["cases_not_exactly_once"] == 0
    rate = count / drained["timers_seconds"]
    shown = (f"{rate:.0f} timers/s ({count:,} in {drained['timers_seconds']:.1f} s; "
             f"{drained['with_mail_seconds']:.1f} s with their mail), "
             + ("exactly once" if exactly_once else f"NOT exactly once: {counts}"))
    return Row("B7", B7_MEASURES, rate, shown, "exactly once, ≥ 200 timers/s", exactly_once and at_least(rate, 200),
               {"timers": count, **drained, **counts})


# --- B8: worker memory ----------------------------------------------------------------------------


def resident_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def drain_in_process(ctx: AppContext) -> int:
    """What `worker --once` does, in this process: rounds until a round finds nothing to do."""
    done = 0
    while True:
        report = background.run_once(ctx)
        step = report.timers_fired + report.mails_sent + report.incidents
        if step == 0:
            return done
        done += step


def memory_probe() -> None:
    """The worker process (`python -c …`): drain what is due, print its RSS, wait for a line, repeat."""
    from service.config import Settings

    database_url, home = sys.argv[1], sys.argv[2]
    ctx = build_context(Settings(home=Path(home), database_url=database_url, secret_key="bench"), FrozenClock(DUE))
    for _ in range(2):
        done = drain_in_process(ctx)
        print(done, resident_kib(), flush=True)
        sys.stdin.readline()
    ctx.db.dispose()


def _read_probe(probe: subprocess.Popen[str], log_path: Path) -> tuple[int, int]:
    assert probe.stdout is not None
    line = probe.stdout.readline()
    if not line:
        raise RuntimeError("the worker process ended early:\n" + log_path.read_text()[-4000:])
    done, rss = line.split()
    return int(done), int(rss)


def memory_row(settings: BenchSettings, ctx: AppContext) -> Row:
    first, total = 100, settings.size(10_000, 400)
    settings.progress(f"B8: one worker, RSS after {first} and after {total:,} cases ({ctx.db.engine.dialect.name})")
    template = read_case(ctx, start_template(ctx))  # read before the worker moves it on
    copy_case(ctx, template, first - 1, settings.progress)
    log_path = ctx.settings.home / "memory-probe.log"
    with log_path.open("w") as log:
        probe = subprocess.Popen(
            [sys.executable, "-c", "from bench.timer_bench import memory_probe; memory_probe()",
             ctx.settings.database_url, str(ctx.settings.home)], cwd=settings.root, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log)
        try:
            done_first, rss_first = _read_probe(probe, log_path)
            copy_case(ctx, template, total - first, settings.progress)
            settings.progress(f"B8: the worker drains {total - first:,} more cases")
            _tell(probe, "go")
            done_rest, rss_all = _read_probe(probe, log_path)
            _tell(probe, "stop")
            probe.wait(timeout=60)
        finally:
            if probe.poll() is None:
                probe.kill()
    ratio = rss_all / rss_first
    shown = f"{ratio:.2f} ({rss_first / 1024:.0f} → {rss_all / 1024:.0f} MiB)"
    return Row("B8", B8_MEASURES, ratio, shown, "≤ 1.2", at_most(ratio, 1.2),
               {"cases": total, "rss_kib_after_first": rss_first, "rss_kib_after_all": rss_all,
                "items_first": done_first, "items_rest": done_rest})


def _tell(probe: subprocess.Popen[str], line: str) -> None:
    assert probe.stdin is not None
    probe.stdin.write(line + "\n")
    probe.stdin.flush()
