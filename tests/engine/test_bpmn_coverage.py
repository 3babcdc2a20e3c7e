"""Every BPMN construct either runs end to end here or is refused at deploy — and
docs/bpmn-coverage.md says which, today.

Each construct has a small fixture under tests/fixtures/bpmn-coverage/ (its forms under
`forms/<process_id>/`). The generic client deploys it, starts a case as someone allowed to, and walks
it as the demo organisation would; the outcome must be what MATRIX below expects. A construct that
should run but does not yet is a `gap(...)` saying what happens instead: when it starts to run, its
row flips to `RUNS` and the regenerated document says so. GUICHENG_WRITE_COVERAGE=1 rewrites the
document; otherwise a document that differs from the run fails the test, so it cannot drift.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from service.config import PROJECT_ROOT
from service.operations import replay
from service.operations.context import AppContext
from tests.conftest import DEFAULT_NOW
from tests.engine import diagrams
from tests.support.generic_client import WalkResult, check_file, walk_file

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "bpmn-coverage"
DOC = PROJECT_ROOT / "docs" / "bpmn-coverage.md"
WRITE = os.environ.get("GUICHENG_WRITE_COVERAGE") == "1"


@dataclass(frozen=True)
class Expect:
    kind: str  # "runs" | "refused" | "known gap"
    fragment: str = ""  # refused: in the refusal; known gap: in what the client saw
    note: str = ""  # known gap: what happens, in words

    def matches(self, outcome: str) -> bool:
        if self.kind == "runs":
            return outcome == "runs"
        if self.kind == "refused":
            return outcome.startswith("refused:") and self.fragment in outcome
        return outcome == "runs" if self.fragment == "runs" else self.fragment in outcome


RUNS = Expect("runs")


def refused(fragment: str) -> Expect:
    return Expect("refused", fragment)


def gap(fragment: str, note: str) -> Expect:
    return Expect("known gap", fragment, note)


@dataclass(frozen=True)
class Construct:
    group: str
    name: str
    fixture: str  # file stem under tests/fixtures/bpmn-coverage/
    expect: Expect
    through: tuple[str, ...] = ()  # elements the construct's own path completes when it runs
    skipped: tuple[str, ...] = ()  # elements it must keep from completing (an interrupted path)


# every walked case must replay from its log to what is stored; these do not, as their rows say
REPLAY_GAPS: set[str] = set()
MATRIX: tuple[Construct, ...] = (
    # tasks
    Construct("task", "user task", "task_user", RUNS, ("work",)),
    Construct("task", "manual task (no form)", "task_manual", refused("has no formKey property")),
    Construct("task", "manual task with a form", "task_manual_form", RUNS, ("work",)),
    Construct("task", "service task (registered operation)", "task_service", RUNS, ("ask_calendar",)),
    Construct("task", "script task", "task_script", RUNS, ("compute",)),
    Construct("task", "business rule task with a DMN table", "task_business_rule", RUNS, ("decide_level",)),
    Construct("task", "send task", "task_send", RUNS, ("notify",)),
    Construct("task", "receive task", "task_receive", RUNS, ("wait_payment",)),
    Construct("task", "untyped task", "task_untyped", refused("task has no type (bpmn:task)")),
    # gateways
    Construct("gateway", "exclusive gateway with a default flow", "gateway_exclusive_default", RUNS, ("usual",)),
    Construct("gateway", "inclusive gateway (split and join)", "gateway_inclusive", RUNS, ("call", "write", "join")),
    Construct("gateway", "parallel gateway", "gateway_parallel", RUNS, ("left", "right", "join")),
    Construct("gateway", "event-based gateway with a timer", "gateway_event_based_timer", RUNS,
              ("an_hour_passes", "chase")),
    Construct("gateway", "event-based gateway with a message", "gateway_event_based_message", RUNS,
              ("payment_arrives", "thank"), ("an_hour_passes", "chase")),
    Construct("gateway", "complex gateway", "gateway_complex", refused("a complex gateway cannot run here")),
    # start events
    Construct("start event", "none start", "start_none", RUNS, ("start", "end")),
    Construct("start event", "timer start", "start_timer",
              refused("a timer start event does not start cases on a schedule here")),
    Construct("start event", "message start", "start_message", RUNS, ("start", "work")),
    Construct("start event", "signal start", "start_signal",
              refused("a signal start event cannot be triggered here")),
    Construct("start event", "conditional start", "start_conditional", RUNS, ("start", "work")),
    Construct("start event", "error start outside an event subprocess", "start_error_top_level",
              refused("belongs in an event subprocess only")),
    # intermediate events
    Construct("intermediate event", "timer catch (duration)", "catch_timer_duration", RUNS, ("wait", "work")),
    Construct("intermediate event", "timer catch (date)", "catch_timer_date", RUNS, ("wait", "work")),
    Construct("intermediate event", "timer catch (cycle, passed once at its first time)", "catch_timer_cycle", RUNS,
              ("wait", "work")),
    Construct("intermediate event", "timer with an unquoted expression (PT5M)", "catch_timer_unquoted",
              refused("is not quoted")),
    Construct("intermediate event", "message catch", "catch_message", RUNS, ("wait", "work")),
    Construct("intermediate event", "message throw", "throw_message", RUNS, ("tell", "work")),
    Construct("intermediate event", "signal throw and catch", "signal_throw_catch", RUNS, ("say_go", "wait_go")),
    Construct("intermediate event", "conditional catch", "catch_conditional", RUNS, ("wait", "work")),
    Construct("intermediate event", "none intermediate event", "throw_none", RUNS, ("milestone",)),
    Construct("intermediate event", "link throw and catch", "link_events", RUNS, ("go_on", "arrive", "after_link")),
    # boundary events
    Construct("boundary event", "timer, interrupting", "boundary_timer_interrupting", RUNS, ("caught", "handle"),
              ("parts_arrive",)),
    Construct("boundary event", "timer, non-interrupting", "boundary_timer_non_interrupting", RUNS,
              ("caught", "handle", "parts_arrive")),
    Construct("boundary event", "message, interrupting", "boundary_message_interrupting", RUNS, ("caught", "handle"),
              ("work",)),
    Construct("boundary event", "message, non-interrupting", "boundary_message_non_interrupting", RUNS,
              ("caught", "handle", "work")),
    Construct("boundary event", "signal", "boundary_signal", RUNS, ("say_go", "caught", "handle")),
    Construct("boundary event", "signal, non-interrupting", "boundary_signal_non_interrupting", RUNS,
              ("say_go", "caught", "handle", "parts_arrive")),
    Construct("boundary event", "conditional", "boundary_conditional", RUNS, ("caught", "handle"), ("work",)),
    Construct("boundary event", "conditional, non-interrupting", "boundary_conditional_non_interrupting", RUNS,
              ("caught", "handle", "work")),
    Construct("boundary event", "error on a subprocess", "boundary_error", RUNS, ("check_failed", "caught", "handle")),
    Construct("boundary event", "escalation, non-interrupting", "boundary_escalation", RUNS,
              ("raise_late", "caught", "handle", "inspect")),
    Construct("boundary event", "escalation end caught by an interrupting boundary", "boundary_escalation_interrupting",
              RUNS, ("check_late", "caught", "handle")),
    # end events
    Construct("end event", "terminate end", "end_terminate", RUNS, ("stop_all",)),
    Construct("end event", "message end", "end_message", RUNS, ("end",)),
    Construct("end event", "signal end", "end_signal", RUNS, ("end",)),
    Construct("end event", "escalation end (not caught)", "end_escalation", RUNS, ("end",)),
    Construct("end event", "error end caught by a boundary", "boundary_error", RUNS, ("check_failed",)),
    Construct("end event", "error end nobody catches", "end_error_uncaught", RUNS, ("end",)),
    Construct("end event", "cancel end in a transaction", "transaction_cancelled", RUNS, ("booking_cancelled",)),
    # event subprocesses
    Construct("event subprocess", "message start (interrupting)", "event_subprocess_message", RUNS,
              ("react_start", "react"), ("work",)),
    Construct("event subprocess", "timer start, non-interrupting", "event_subprocess_timer", RUNS,
              ("react_start", "react", "work")),
    Construct("event subprocess", "timer start, interrupting", "event_subprocess_timer_interrupting", RUNS,
              ("react_start", "react"), ("work",)),
    Construct("event subprocess", "still waiting when the main path has ended", "event_subprocess_outlived", RUNS,
              ("decide", "end"), ("react",)),
    Construct("event subprocess", "error start", "event_subprocess_error", RUNS, ("failed", "react")),
    Construct("event subprocess", "escalation start", "event_subprocess_escalation", RUNS, ("raise_late", "react")),
    Construct("event subprocess", "signal start", "event_subprocess_signal", RUNS, ("say_go", "react")),
    Construct("event subprocess", "compensation start (nothing throws compensation)", "event_subprocess_compensation",
              RUNS, ("work", "end"), ("react",)),
    # activities
    Construct("activity", "embedded subprocess", "subprocess_embedded", RUNS, ("handle", "work")),
    Construct("activity", "transaction, completed", "transaction_completed", RUNS, ("booking", "booking_done")),
    Construct("activity", "transaction with its cancel path", "transaction_cancelled", RUNS,
              ("booking_was_cancelled", "after_cancel")),
    Construct("activity", "compensation boundary, handler and throw", "compensation",
              refused("a compensation boundary event cannot run here")),
    Construct("activity", "call activity", "call_activity", RUNS, ("call_review", "review")),
    Construct("activity", "ad-hoc subprocess", "adhoc_subprocess", RUNS, ("call_customer", "write_notes", "gather")),
    Construct("activity", "ad-hoc subprocess with a completion condition", "adhoc_subprocess_completion", RUNS,
              ("call_customer", "gather", "end"), ("write_notes",)),
    # multi-instance and loops
    Construct("loop", "multi-instance parallel, cardinality", "multi_instance_parallel_cardinality", RUNS, ("review",)),
    Construct("loop", "multi-instance sequential, cardinality", "multi_instance_sequential_cardinality", RUNS,
              ("review",)),
    Construct("loop", "multi-instance parallel over a collection", "multi_instance_parallel_collection", RUNS,
              ("review",)),
    Construct("loop", "multi-instance sequential over a collection", "multi_instance_sequential_collection", RUNS,
              ("review",)),
    Construct("loop", "multi-instance with a completion condition", "multi_instance_completion_condition", RUNS,
              ("review",)),
    Construct("loop", "multi-instance whose collection is never set", "multi_instance_collection_unset",
              refused("multi-instance collection 'reviewers' is set by no")),
    Construct("loop", "standard loop on a script task", "loop_standard", RUNS, ("count",)),
    Construct("loop", "standard loop on a user task", "loop_standard_user_task", RUNS, ("work",)),
    # data
    Construct("data", "data object with input and output associations", "data_object", RUNS,
              ("fill_order", "read_order")),
    Construct("data", "data store", "data_store", refused("cannot be read or written here")),
    # participants
    Construct("participants", "two lanes, two roles", "lanes_two_roles", RUNS, ("apply", "assess")),
    Construct("participants", "collaboration: pool and black-box pool with a message flow", "collaboration_pools",
              RUNS, ("work",)),
    Construct("participants", "collaboration of two processes exchanging a message", "collaboration_two_processes",
              RUNS, ("wait_order", "work")),
)


def outcome(construct: Construct, result: WalkResult) -> str:
    """The walk's verdict; a case that ran without the construct's own path says what it missed."""
    if result.verdict != "runs":
        return result.verdict
    missed = [element for element in construct.through if element not in result.completed]
    if missed:
        return f"runs without {', '.join(missed)}"
    extra = [element for element in construct.skipped if element in result.completed]
    return f"runs, but also completes {', '.join(extra)}" if extra else "runs"


def _cell(text: str, limit: int = 240) -> str:
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _what_happens(construct: Construct, seen: str) -> str:
    if construct.expect.kind == "runs":
        return "runs to the end" + (f" through {', '.join(construct.through)}" if construct.through else "")
    if construct.expect.kind == "refused":
        return seen.removeprefix("refused: ")
    return f"{construct.expect.note} — the client saw: {seen}"


def render(rows: list[tuple[Construct, str]]) -> str:
    counts = Counter(construct.expect.kind for construct, _ in rows)
    lines = [
        "# BPMN coverage",
        "",
        "What each BPMN construct does in this product today, one small diagram each under",
        "`tests/fixtures/bpmn-coverage/`. A generic client deploys the diagram, starts a case as someone of",
        "the demo organisation allowed to, completes each task as a person who may do it (with a form",
        "filled from its definition), lets time pass to the next timer and runs the worker, and delivers",
        "a message the case waits on once the product can deliver messages.",
        "",
        "- **runs**: the case reached its end, through the construct's own path;",
        "- **refused**: `guicheng deploy` / `validate` refuses the diagram with the message shown;",
        "- **known gap**: it should run but does not yet; what happens instead.",
        "",
        f"Counts: {counts['runs']} runs, {counts['refused']} refused, {counts['known gap']} known gaps "
        f"({len(rows)} constructs).",
        "",
        "This file is written by `tests/engine/test_bpmn_coverage.py` (run it with",
        "`GUICHENG_WRITE_COVERAGE=1` to rewrite it); the test fails when the product and this file differ.",
        "",
        "| group | construct | verdict | what happens | fixture |",
        "|---|---|---|---|---|",
    ]
    for construct, seen in rows:
        lines.append(f"| {construct.group} | {_cell(construct.name)} | {construct.expect.kind} | "
                     f"{_cell(_what_happens(construct, seen))} | "
                     f"[{construct.fixture}.bpmn](../tests/fixtures/bpmn-coverage/{construct.fixture}.bpmn) |")
    return "\n".join(lines) + "\n"


def walk_matrix(ctx: AppContext) -> tuple[list[tuple[Construct, str]], dict[str, WalkResult]]:
    results: dict[str, WalkResult] = {}
    rows = []
    for construct in MATRIX:
        if construct.fixture not in results:
            results[construct.fixture] = walk_file(ctx, FIXTURES / f"{construct.fixture}.bpmn", FIXTURES / "forms")
        rows.append((construct, outcome(construct, results[construct.fixture])))
    return rows, results


def test_every_construct_runs_or_is_refused_as_the_matrix_says(ctx: AppContext, database_url: str) -> None:
    rows, results = walk_matrix(ctx)
    wrong = [f"{c.fixture} ({c.name}): expected {c.expect.kind} {c.expect.fragment!r}, saw: {seen}"
             for c, seen in rows if not c.expect.matches(seen)]
    assert not wrong, "constructs that do not behave as the matrix says:\n" + "\n".join(wrong)
    diverging = {fixture: said for fixture, result in results.items() if result.case_id is not None
                 and not (said := replay.replay_case(ctx, result.case_id)).ok}
    assert set(diverging) == REPLAY_GAPS, {f: d.said("en") for f, d in diverging.items()}
    if not database_url.startswith("sqlite"):
        return  # the document is written from the embedded default; PostgreSQL must agree on the verdicts
    text = render(rows)
    if WRITE:
        DOC.write_text(text, encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == text, \
        "docs/bpmn-coverage.md is out of date: run this test with GUICHENG_WRITE_COVERAGE=1"


def test_every_fixture_is_in_the_matrix() -> None:
    """A fixture nobody lists would be a construct the document forgets (called processes excepted)."""
    listed = {c.fixture for c in MATRIX} | {"call_activity_target"}
    on_disk = {p.stem for p in FIXTURES.glob("*.bpmn")}
    assert on_disk == listed, (on_disk - listed, listed - on_disk)


def test_the_matrix_names_each_construct_once() -> None:
    names = [(c.group, c.name) for c in MATRIX]
    assert len(names) == len(set(names))


# -- the client's own verdicts, on diagrams written for the purpose -----------------------------

def _diagram(tmp_path: Path, process_id: str, body: bytes) -> Path:
    path = tmp_path / f"{process_id}.bpmn"
    path.write_bytes(body)
    forms = tmp_path / "forms" / process_id
    forms.mkdir(parents=True)
    (forms / "f.form").write_text(json.dumps({"type": "default", "components": [
        {"id": "Field_done", "key": "done", "type": "checkbox", "label": "Done"}]}), encoding="utf-8")
    return path


def test_the_client_calls_an_endless_rework_loop_loops(ctx: AppContext, tmp_path: Path) -> None:
    body = diagrams.rework_loop().replace(b'id="p"', b'id="rework"').replace(b'>again<', b'>True<')\
        .replace(b'>not again<', b'>False<')
    result = walk_file(ctx, _diagram(tmp_path, "rework", body), tmp_path / "forms", max_steps=5)
    assert (result.verdict, result.steps) == ("loops", 5)
    assert result.moves[1:] == ["task work by engineer1"] * 5


def test_the_client_names_what_a_stuck_case_waits_on(ctx: AppContext, tmp_path: Path) -> None:
    """A timer far away is still a timer (time passes); a message nobody can send is not."""
    body = diagrams.between('<bpmn:intermediateCatchEvent id="wait_a_year"><bpmn:timerEventDefinition>'
                            "<bpmn:timeDuration>'P365D'</bpmn:timeDuration></bpmn:timerEventDefinition>"
                            "</bpmn:intermediateCatchEvent>", diagrams.user_task("work"), process_id="slow")
    result = walk_file(ctx, _diagram(tmp_path, "slow", body), tmp_path / "forms")
    assert result.verdict == "runs"
    assert result.moves[1:] == ["timer wait_a_year", "task work by engineer1"]
    assert ctx.now() > DEFAULT_NOW + timedelta(days=364)


def test_the_client_reports_a_refusal_line_by_line(ctx: AppContext, tmp_path: Path) -> None:
    path = _diagram(tmp_path, "untyped", diagrams.between('<bpmn:task id="mystery"/>', process_id="untyped"))
    verdict, problems = check_file(path, tmp_path / "forms")
    result = walk_file(ctx, path, tmp_path / "forms")
    assert verdict == "refused" and result.problems == problems
    assert result.verdict.startswith("refused: untyped.bpmn:") and "mystery" in result.verdict
    assert check_file(FIXTURES / "task_user.bpmn")[0] == "accepted"
