"""Replay and verification over 1,000 technical-support cases, against the bare engine doing the same steps.

The cases are built through the use cases (every step a real transaction with its audit event), in the
mixes a real year leaves behind: about 60 % finished on the happy path, the rest waiting at some step,
some sent back (退回) on the way, some moved on by a timer (a reminder, an overdue escalation, the
salesperson's silence). The demo staff share the work: four salespeople apply, two technical
directors pick one of four engineers, the customer's own contact signs.

Each case is then replayed with `replay_case` (reading its log and stored state, re-running every
step, comparing), interleaved with the bare engine re-running the same logged steps in memory (same
seeds, logged service results, no checks): load on the machine hits both series alike. A replay that
is not ok is a bug, and fails the bench with its verdict.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from itertools import takewhile
from pathlib import Path
from typing import Any

import click
from sqlalchemy import select

from service.adapters.archive_store import DocumentStore
from service.adapters.clock import FrozenClock
from service.engine import determinism, runner
from service.operations import audit_verify, case_moves, cases, queries, timers
from service.operations.case_store import load_specs
from service.operations.context import AppContext
from service.operations.replay import ENGINE_STEPS, replay_case
from service.operations.replay_log import CaseLog, LoggedEvent, read_case_log, stored_case_ids
from service.persistence.audit import verify_chain
from service.persistence.models import Timer

from .case_bench import NOW, prepared_context
from .scenario import APPLICATION, steps
from .timing import Result

CASES, QUICK_CASES = 1000, 50
SALES = ("sales1", "sales2", "sales3", "sales4")
DIRECTORS = ("tech_director1", "tech_director2")
ENGINEERS = ("engineer1", "engineer2", "engineer3", "engineer4")
CUSTOMERS = (("欧莱雅", "customer1"), ("华为", "customer2"))
PROJECTS = ("CITRIX安装", "网络改造", "云桌面", "服务器迁移")
SEND_BACKS = (("engineer_assessment", "confirm_request"), ("communication", "engineer_assessment"),
              ("completion_report", "work"))  # (from the open task, back to the step done before)


@dataclass(frozen=True)
class Plan:
    """What one case goes through; `stop` None: finished."""

    starter: str
    director: str
    engineer: str
    customer: str
    contact: str
    project: str
    stop: str | None
    send_back: tuple[str, str] | None
    timer_at_stop: bool
    sales_silent: bool

    def actor(self, scripted: str) -> str:
        """The scenario's people (tech_director1, engineer1, customer1, sales1) → this case's."""
        return {"tech_director1": self.director, "engineer1": self.engineer, "customer1": self.contact,
                "sales1": self.starter}.get(scripted, scripted)


def plans(count: int, seed: int = 11) -> list[Plan]:
    rng = random.Random(seed)
    elements = [element for element, _who, _values in steps("")]
    found = []
    for index in range(count):
        customer, contact = CUSTOMERS[(index // 3) % 2]
        finished = index % 5 < 3  # 60 %
        found.append(Plan(
            starter=SALES[index % 4], director=rng.choice(DIRECTORS), engineer=rng.choice(ENGINEERS),
            customer=customer, contact=contact, project=rng.choice(PROJECTS),
            stop=None if finished else rng.choice(elements),
            send_back=SEND_BACKS[(index // 8) % 3] if index % 8 == 3 else None,  # 1 in 8, if it gets there
            timer_at_stop=not finished and index % 3 == 0, sales_silent=index % 10 == 1))
    return found


@dataclass
class Built:
    finished: int = 0
    sent_back: int = 0
    timers_fired: int = 0


def _fire(ctx: AppContext, case: int, element_id: str | None = None) -> bool:
    """Fire the case's earliest pending timer (or the one on `element_id`) at its due time."""
    with ctx.db.reading() as session:
        query = select(Timer).where(Timer.instance_id == case, Timer.status == "pending")
        if element_id is not None:
            query = query.where(Timer.element_id == element_id)
        timer = session.execute(query.order_by(Timer.due_at, Timer.id).limit(1)).scalars().first()
        if timer is None:
            return False
        timer_id, due = timer.id, timer.due_at
    clock = ctx.clock
    assert isinstance(clock, FrozenClock)
    clock.set(max(clock.now(), due + timedelta(seconds=1)))
    return timers.fire_timer(ctx, timer_id, clock.now()) == "fired"


def _send_back(ctx: AppContext, task: dict[str, Any], actor: str, to_element: str) -> bool:
    targets = case_moves.send_back_targets(ctx, task["id"], actor)
    target = next((t for t in targets if t["element_id"] == to_element), None)
    if target is None:
        return False
    case_moves.send_back(ctx, task_id=task["id"], actor=actor, to_task=target["id"], reason="需要重新确认")
    return True


def build_case(ctx: AppContext, plan: Plan, number: int, built: Built) -> int:
    clock = ctx.clock
    assert isinstance(clock, FrozenClock)
    clock.set(NOW)
    document = DocumentStore(ctx.settings.home).store_upload(f"基准 {number}".encode(), "bench.docx").reference
    script = {element: (plan.actor(who), values) for element, who, values in steps(document)}
    script["confirm_request"] = (plan.director, {"accepted": "yes", "engineer": plan.engineer})
    case = cases.start_case(ctx, process_id="technical_support", actor=plan.starter, data={
        **APPLICATION, "customer": plan.customer, "project": plan.project, "customer_contact": plan.contact})
    sent_back = False
    for _ in range(40):
        open_now = queries.open_tasks(ctx, instance_id=case)
        if not open_now:
            built.finished += 1
            return case
        task = open_now[0]
        element = task["element_id"]
        if element == plan.stop:
            built.timers_fired += plan.timer_at_stop and _fire(ctx, case)
            return case
        actor, values = script[element]
        if plan.send_back and plan.send_back[0] == element and not sent_back:
            sent_back = _send_back(ctx, task, actor, plan.send_back[1])
            built.sent_back += sent_back
            if sent_back:
                continue
        if element == "sales_confirmation" and plan.sales_silent and _fire(ctx, case, "sales_silence_timer"):
            built.timers_fired += 1
            continue
        cases.complete_task(ctx, task_id=task["id"], actor=actor, data=values)
    raise RuntimeError(f"case {case} did not settle")


def build(ctx: AppContext, count: int) -> Built:
    built = Built()
    for number, plan in enumerate(plans(count), start=1):
        build_case(ctx, plan, number, built)
        click.echo(f"\r  building cases {number:,}/{count:,}", err=True, nl=number == count)
    return built


# --- the bare engine: the same logged steps in memory, nothing checked ----------------------------


def _service_results(events: list[LoggedEvent], index: int) -> Any:
    results = iter([e.payload.get("result") for e in takewhile(lambda e: e.type == "service_task",
                                                              events[index + 1:])])
    return lambda _operation, _params, _data, _task: next(results)


def bare_engine(ctx: AppContext, log: CaseLog) -> int:
    """Re-run a case's engine steps from its log; returns the number of steps."""
    workflow, done = None, 0
    for index, event in enumerate(log.events):
        if event.type not in ENGINE_STEPS:
            continue
        payload, at, services = event.payload, event.at, _service_results(log.events, index)
        with determinism.seeded_step(str(payload["engine_seed"]), at):
            if event.type == "case_started":
                definition = log.version(str(payload["process_id"]), payload["version"])
                assert definition is not None
                spec, subs = load_specs(ctx, definition)
                workflow = runner.start(spec, subs, payload.get("data") or {}, now=at, service_handler=services)
            elif event.type == "task_completed":
                runner.complete_user_task(workflow, str(payload["engine_task_id"]), payload.get("data") or {},
                                          now=at, service_handler=services)
            elif event.type == "timer_fired":
                runner.run_engine(workflow, now=at, service_handler=services)
            elif event.type == "task_sent_back":
                runner.send_back(workflow, str(payload["engine_task_id"]), str(payload["to_engine_task_id"]),
                                 now=at, service_handler=services)
        done += 1
    return done


# --- measuring ------------------------------------------------------------------------------------


@dataclass
class Series:
    replay: list[float] = field(default_factory=list)  # ms per case
    bare: list[float] = field(default_factory=list)
    events: list[int] = field(default_factory=list)
    steps: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def _timed(action: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    value = action()
    return (time.perf_counter() - started) * 1000, value


def replay_all(ctx: AppContext) -> Series:
    series = Series()
    with ctx.db.reading() as session:
        ids = stored_case_ids(session)
    for position, case in enumerate(ids):
        with ctx.db.reading() as session:
            log = read_case_log(session, case)
        if position % 2:  # interleaved, alternating which goes first
            replay_ms, result = _timed(partial(replay_case, ctx, case))
            bare_ms, steps_done = _timed(partial(bare_engine, ctx, log))
        else:
            bare_ms, steps_done = _timed(partial(bare_engine, ctx, log))
            replay_ms, result = _timed(partial(replay_case, ctx, case))
        series.replay.append(replay_ms)
        series.bare.append(bare_ms)
        series.events.append(result.events)
        series.steps.append(steps_done)
        if not result.ok:
            series.failures.append(result.said("en"))
        click.echo(f"\r  replaying {position + 1:,}/{len(ids):,}", err=True, nl=position + 1 == len(ids))
    return series


def _cli_replay_all(ctx: AppContext) -> tuple[float | None, str]:
    """`guicheng replay --all` as an operator runs it, wall time including the interpreter's start."""
    env = {**os.environ, "GUICHENG_DATABASE_URL": ctx.settings.database_url,
           "GUICHENG_HOME": str(ctx.settings.home), "GUICHENG_SECRET_KEY": ctx.settings.secret_key}
    command = [sys.executable, "-c", "from service.cli import main; main()", "replay"]
    probe = subprocess.run([*command, "--help"], env=env, capture_output=True, text=True, timeout=120)
    if probe.returncode != 0:
        return None, "not measured: the command did not start: " + (probe.stderr.strip().splitlines() or [""])[-1]
    started = time.perf_counter()
    done = subprocess.run([*command, "--all"], env=env, capture_output=True, text=True, timeout=3600)
    wall = (time.perf_counter() - started) * 1000
    last = (done.stdout.strip().splitlines() or done.stderr.strip().splitlines() or [""])[-1]
    return (wall, last) if done.returncode == 0 else (None, f"failed (exit {done.returncode}): {done.stderr[-2000:]}")


def verify_all(ctx: AppContext, repeat: int) -> tuple[list[float], list[float], int, list[str]]:
    """The auditors' whole check and the bare hash chain, interleaved; (ms, ms, events, problems)."""
    full, chain, events, problems = [], [], 0, []
    for _ in range(repeat):
        ms, report = _timed(lambda: audit_verify.verify_audit(ctx))
        full.append(ms)
        events = report.checked_events
        if not report.ok:
            problems += [p.message.render("en") for p in report.problems]
        with ctx.db.reading() as session:
            ms, links = _timed(lambda: verify_chain(session))
        chain.append(ms)
        if not links.ok:
            problems.append(f"hash chain: {links.first_bad}: {links.reason}")
    return full, chain, events, problems


@dataclass
class Outcome:
    results: list[Result]
    summary: dict[str, Any]
    failures: list[str]


def run(root: Path, quick: bool, label: str, database_url: str | None, cases: int | None = None) -> Outcome:
    """`cases`: how many to build instead (the suite's end-to-end check builds a handful)."""
    count = cases or (QUICK_CASES if quick else CASES)
    with prepared_context(root, database_url) as ctx:
        built_ms, built = _timed(lambda: build(ctx, count))
        series = replay_all(ctx)
        cli_ms, cli_said = _cli_replay_all(ctx)
        full, chain, events, problems = verify_all(ctx, 1 if quick else 3)
    per_event = [ms / max(n, 1) for ms, n in zip(series.replay, series.events, strict=True)]
    results = [
        Result(f"{label} replay: one case (replay_case)", "case", series.replay),
        Result(f"{label} replay: bare engine, same steps in memory", "case", series.bare),
        Result(f"{label} replay: per event", "event", per_event),
        Result(f"{label} replay: per engine step", "step",
               [ms / max(n, 1) for ms, n in zip(series.replay, series.steps, strict=True)]),
        Result(f"{label} replay: bare engine per step", "step",
               [ms / max(n, 1) for ms, n in zip(series.bare, series.steps, strict=True)]),
        Result(f"{label} replay: all {count:,} cases, total", "run", [sum(series.replay)]),
        Result(f"{label} verify: audit verify, {count:,} cases", "run", full),
        Result(f"{label} verify: audit verify per event", "event", [ms / max(events, 1) for ms in full]),
        Result(f"{label} verify: hash chain only (verify_chain)", "run", chain),
    ]
    if cli_ms is not None:
        results.append(Result(f"{label} replay: guicheng replay --all (wall)", "run", [cli_ms]))
    ratios = [r / b for r, b in zip(series.replay, series.bare, strict=True) if b > 0]
    summary = {
        "label": label, "cases": count, "finished": built.finished, "sent_back": built.sent_back,
        "timers_fired": built.timers_fired, "events": sum(series.events), "engine_steps": sum(series.steps),
        "build_s": round(built_ms / 1000, 1), "replay_total_s": round(sum(series.replay) / 1000, 2),
        "bare_total_s": round(sum(series.bare) / 1000, 2),
        "replay_over_bare_median": round(statistics.median(ratios), 2) if ratios else None,
        "cli_replay_all": round(cli_ms / 1000, 2) if cli_ms is not None else None, "cli_said": cli_said,
        "verify_events": events, "verify_median_s": round(statistics.median(full) / 1000, 2),
        "replays_not_ok": len(series.failures), "verify_problems": len(problems)}
    return Outcome(results, summary, series.failures + problems)


def summary_lines(summary: dict[str, Any]) -> list[str]:
    s = summary
    return [
        f"{s['label']}: {s['cases']:,} cases ({s['finished']:,} finished, {s['sent_back']} sent back, "
        f"{s['timers_fired']} timers fired), {s['events']:,} events, {s['engine_steps']:,} engine steps; "
        f"built in {s['build_s']} s",
        f"{s['label']}: replay of all cases {s['replay_total_s']} s (bare engine {s['bare_total_s']} s), "
        f"replay ÷ bare engine per case (median) {s['replay_over_bare_median']}",
        f"{s['label']}: guicheng replay --all: "
        + (f"{s['cli_replay_all']} s wall — {s['cli_said']}" if s["cli_replay_all"] is not None else s["cli_said"]),
        f"{s['label']}: audit verify {s['verify_median_s']} s for {s['verify_events']:,} events; "
        f"replays not ok: {s['replays_not_ok']}, verification problems: {s['verify_problems']}",
    ]
