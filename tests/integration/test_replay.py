"""Replay: a case rebuilt from its log equals what is stored, runs no service twice, and a record that was
changed afterwards is named with the event where replay and record part.

Timers, 退回, migrations, linked cases and crashes are replayed at the end of every test of their own
modules (the `every_case_replays` fixture) and of every process test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from service.cli import main
from service.operations import replay
from service.persistence.models import Event, OutboxMail, ProcessInstance
from tests.processes.walk import advance_to, do, happy_defaults, open_elements, start
from tests.support.cli import cli_env, run_cli


def _finish(ctx: Any, case: int, people: dict[str, str] | None = None) -> None:
    """The happy path to the end: every open step done by its person (or `people[element]`) with the
    usual data."""
    for _ in range(40):
        open_now = [e for e in open_elements(ctx, case) if e in happy_defaults(ctx)]
        if not open_now:
            return
        do(ctx, case, open_now[0], actor=(people or {}).get(open_now[0]))
    raise AssertionError("the case never finished")


def _events(ctx: Any, case: int) -> list[Event]:
    with ctx.db.reading() as session:
        return list(session.execute(select(Event).where(Event.instance_id == case).order_by(Event.seq)).scalars())


def _edit_payload(ctx: Any, case: int, seq: int, change: Any) -> None:
    with ctx.db.transaction() as session:
        event = session.execute(select(Event).where(Event.instance_id == case, Event.seq == seq)).scalar_one()
        payload = dict(event.payload)
        change(payload)
        event.payload = payload


def _first(ctx: Any, case: int, kind: str, **match: Any) -> Event:
    return next(e for e in _events(ctx, case) if e.type == kind
                and all(e.payload.get(k) == v for k, v in match.items()))


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_a_finished_case_replays_exactly_and_sends_and_archives_nothing_again(ctx, home):
    case = start(ctx)
    _finish(ctx, case)
    with ctx.db.reading() as session:
        assert session.get(ProcessInstance, case).status == "completed"
        mails = session.execute(select(func.count(OutboxMail.id))).scalar()
    archived, events = _files(home / "archive"), len(_events(ctx, case))
    assert archived and mails

    result = replay.replay_case(ctx, case)

    assert result.ok, result.said("en")
    assert result.events == events and result.steps >= 12
    with ctx.db.reading() as session:
        assert session.execute(select(func.count(OutboxMail.id))).scalar() == mails  # no mail twice
    assert _files(home / "archive") == archived  # nothing archived twice
    assert len(_events(ctx, case)) == events  # replay writes nothing
    assert result.as_dict("zh") == {"instance_id": case, "ok": True, "events": events, "steps": result.steps,
                                    "diverges_at": None, "differences": []}


def test_every_step_event_records_what_replay_needs(ctx):
    case = start(ctx)
    advance_to(ctx, case, "engineer_assessment")
    started, completed = _first(ctx, case, "case_started"), _first(ctx, case, "task_completed")
    created = _first(ctx, case, "task_created", element_id="engineer_assessment")
    for event in (started, completed):
        assert len(event.payload["engine_seed"]) == 32 and len(event.payload["state_sha256"]) == 64
    assert completed.payload["engine_task_id"] and created.payload["engine_task_id"]
    assert started.payload["engine_seed"] != completed.payload["engine_seed"]  # one seed per step


def test_an_edited_stored_state_is_named_after_the_last_step(ctx):
    case = start(ctx)
    advance_to(ctx, case, "engineer_assessment")
    with ctx.db.transaction() as session:
        instance = session.get(ProcessInstance, case)
        session.refresh(instance, ["state_json"])
        instance.state_json = instance.state_json.replace('"engineer1"', '"engineer3"')

    result = replay.replay_case(ctx, case)

    assert not result.ok
    assert result.problem is not None and result.problem.code == "replay.stored_edited"
    last_step = [e for e in _events(ctx, case) if "state_sha256" in e.payload][-1]
    assert result.diverges_at is not None and result.diverges_at["seq"] == last_step.seq
    said = "\n".join(m.render("en") for m in result.differences)
    assert "engineer1" in said and "engineer3" in said  # how: the variable, replayed and stored values


def test_a_form_value_changed_in_the_log_diverges_at_that_completion(ctx):
    case = start(ctx)
    advance_to(ctx, case, "communication")
    confirmed = _first(ctx, case, "task_completed", element_id="confirm_request")

    def other_engineer(payload: dict[str, Any]) -> None:
        payload["data"] = {**payload["data"], "engineer": "engineer2"}
    _edit_payload(ctx, case, confirmed.seq, other_engineer)

    result = replay.replay_case(ctx, case)

    assert not result.ok and result.diverges_at is not None
    assert (result.diverges_at["seq"], result.diverges_at["type"]) == (confirmed.seq, "task_completed")
    assert result.problem is not None and result.problem.code == "replay.state_differs"


def test_a_service_result_changed_in_the_log_diverges_at_its_step(ctx):
    case = start(ctx)
    call = _first(ctx, case, "service_task", operation="working_day_end")

    def later(payload: dict[str, Any]) -> None:
        payload["result"] = "2027-01-01T18:00:00+08:00"
    _edit_payload(ctx, case, call.seq, later)

    result = replay.replay_case(ctx, case)

    assert not result.ok and result.diverges_at is not None
    assert result.diverges_at["type"] == "case_started"  # the step that called the service


def test_a_service_call_the_log_does_not_record_is_named(ctx):
    case = start(ctx)
    call = _first(ctx, case, "service_task", operation="working_day_end")

    def other_operation(payload: dict[str, Any]) -> None:
        payload["operation"] = "next_working_day_end"
    _edit_payload(ctx, case, call.seq, other_operation)

    result = replay.replay_case(ctx, case)

    assert not result.ok and result.problem is not None and result.problem.code == "replay.service_other"
    assert call.payload["element_id"] in result.problem.render("en")


def test_a_step_recorded_without_its_seed_cannot_be_replayed_and_says_so(ctx):
    case = start(ctx)
    _edit_payload(ctx, case, 1, lambda payload: payload.pop("engine_seed"))

    result = replay.replay_case(ctx, case)

    assert not result.ok and result.problem is not None and result.problem.code == "replay.unrecorded"
    assert result.diverges_at is not None and result.diverges_at["seq"] == 1
    assert "seed" in result.said("en") and "种子" in result.said("zh")


def test_the_command_replays_one_case_or_all_and_names_the_event(ctx, database_url, home):
    intact, tampered = start(ctx), start(ctx, customer="华为")
    advance_to(ctx, tampered, "communication")
    env = cli_env(database_url, home)

    ok = run_cli(env, "replay", str(intact))
    assert ok.returncode == 0, ok.stderr
    assert f"案例 #{intact} 回放一致" in ok.stdout

    confirmed = _first(ctx, tampered, "task_completed", element_id="confirm_request")
    _edit_payload(ctx, tampered, confirmed.seq, lambda p: p.update(data={**p["data"], "engineer": "engineer4"}))
    bad = run_cli({**env, "GUICHENG_LANG": "en"}, "replay", str(tampered))
    assert bad.returncode == 1
    assert f"event {confirmed.seq} (task_completed" in bad.stderr

    every = run_cli(env, "replay", "--all")
    assert every.returncode == 1
    assert "回放了 2 个案例" in every.stderr and "1 个不一致" in every.stderr

    for args, code in ((["replay", "99999"], 1), (["replay"], 2)):  # no such case; neither a case nor --all
        said = CliRunner().invoke(main, args, env=env)
        assert said.exit_code == code, said.output
        assert isinstance(said.exception, SystemExit) and "Traceback" not in said.output  # said, not raised


def test_a_document_a_later_step_replaced_stays_downloadable_for_auditors_only(ctx):
    from service.operations import case_moves, inbox
    from service.operations.errors import NotFound
    from tests.processes.walk import task, upload

    case = start(ctx)
    advance_to(ctx, case, "planning_documents")
    first = upload(ctx, "实施规划.docx", "第一稿")
    do(ctx, case, "planning_documents", {"doc_implementation_plan": first})
    advance_to(ctx, case, "work")
    target = _first(ctx, case, "task_completed", element_id="planning_documents").payload["task_id"]
    case_moves.send_back(ctx, task_id=task(ctx, case, "work")["id"], actor="engineer1", to_task=target,
                         reason="规划要改")
    second = upload(ctx, "实施规划.docx", "第二稿")
    do(ctx, case, "planning_documents", {"doc_implementation_plan": second})

    assert inbox.case_document(ctx, case, first, "auditor1").path.read_text(encoding="utf-8") == "第一稿"
    assert inbox.case_document(ctx, case, second, "sales1").path.read_text(encoding="utf-8") == "第二稿"
    with pytest.raises(NotFound):  # the salesperson sees the case as it is, not its history's files
        inbox.case_document(ctx, case, first, "sales1")
    assert replay.replay_case(ctx, case).ok
