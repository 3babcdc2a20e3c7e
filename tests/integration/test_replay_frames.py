"""The frames of the step-through page: a technical-support case replayed event by event — its path on
the diagram after each event (a task sent back and done twice, a timer that cancelled a task), the data
each event changed, the documents the case held at that point, who acted and when — with the replay's
verdict from the same log. Only viewers who read all cases see the frames; the bare verdict is for
whoever may see the case. On SQLite and PostgreSQL, with the demo organisation."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update

from service.config import PROJECT_ROOT
from service.operations import case_moves, deploy, migration, tokens
from service.operations.errors import Forbidden
from service.operations.replay_frames import replay_frames
from service.persistence.models import ProcessInstance
from tests.integration.test_web_pages import sign_in
from tests.processes.walk import advance_to, do, run_worker_at, start, task
from tests.unit.test_version_diff import MAIN, with_double_check


def sent_back_signed_and_silent(ctx, clock) -> int:  # type: ignore[no-untyped-def]
    """Assessed, sent back from the communication and assessed again, planning documents and the signed
    service sheet uploaded, then sales stays silent until its timer confirms for them."""
    case = start(ctx)
    advance_to(ctx, case, "communication")
    current = task(ctx, case, "communication")["id"]
    target = next(t for t in case_moves.send_back_targets(ctx, current, "engineer1")
                  if t["element_id"] == "engineer_assessment")
    case_moves.send_back(ctx, task_id=current, actor="engineer1", to_task=target["id"], reason="需要重新评估人天")
    do(ctx, case, "engineer_assessment")
    advance_to(ctx, case, "sales_confirmation")
    silence_ends = datetime.fromisoformat(task(ctx, case, "sales_confirmation")["due_at"]) + timedelta(seconds=1)
    run_worker_at(ctx, clock, silence_ends.isoformat())
    return case


def frames_of(result: dict[str, Any], kind: str, element: str | None = None) -> list[dict[str, Any]]:
    return [f for f in result["frames"] if f["type"] == kind and (element is None or f["element_id"] == element)]


def changed(frame: dict[str, Any]) -> dict[str, Any]:
    return {c["field"]: (c["old"], c["new"]) for c in frame["changes"]}


def test_each_frame_shows_the_path_the_changes_and_the_documents_after_its_event(ctx, clock):
    case = sent_back_signed_and_silent(ctx, clock)
    result = replay_frames(ctx, case, actor="auditor1")

    assert result["verdict"]["ok"] is True and result["verdict"]["diverges_at"] is None
    assert len(result["frames"]) == result["events"] == result["verdict"]["events"]
    assert [f["index"] for f in result["frames"]] == list(range(result["events"]))
    assert [f["seq"] for f in result["frames"]] == sorted(f["seq"] for f in result["frames"])
    (version,) = result["versions"]  # one version, its diagram sent once
    assert version["version"] == 1 and 'id="engineer_assessment"' in version["xml"]
    assert {f["definition_id"] for f in result["frames"]} == {version["definition_id"]}
    assert result["case"]["business_key"] == "欧莱雅 / CITRIX安装" and result["case"]["customer"] == "欧莱雅"

    started = result["frames"][0]
    assert started["type"] == "case_started" and started["actor_name"] == "销售1"
    assert started["at"] == "2026-09-30T11:00:00+08:00"  # company time
    assert changed(started)["customer"] == (None, "欧莱雅")
    assert started["path"]["active"] == ["confirm_overdue_timer", "confirm_reminder_timer", "confirm_request"]
    assert started["documents"] == []

    # sent back: the communication is undone, the assessment open again, not yet counted twice
    (sent_back,) = frames_of(result, "task_sent_back")
    assert sent_back["actor_name"] == "工程师1" and sent_back["role"] is None
    assert sent_back["path"]["active"] == ["engineer_assessment"]
    assert "communication" not in sent_back["path"]["completed"] and sent_back["path"]["passes"] == {}
    first, second = frames_of(result, "task_completed", "engineer_assessment")
    assert first["path"]["passes"] == {} and first["path"]["active"] == ["communication"]
    assert second["path"]["passes"] == {"engineer_assessment": 2}  # the second pass, counted
    assert second["role"] == "engineer" and "flow_engineer_assessment_to_assessment_gateway" in second["path"]["flows"]

    # the planning documents: the reference appears in the data and in the documents from then on
    (planning,) = frames_of(result, "task_completed", "planning_documents")
    old, reference = changed(planning)["doc_implementation_plan"]
    assert old is None and reference.endswith("/实施规划.docx")
    (document,) = planning["documents"]
    assert document == {"field": "doc_implementation_plan", "name": "实施规划.docx", "reference": reference,
                        "sha256": hashlib.sha256("内容".encode()).hexdigest()}
    before = result["frames"][planning["index"] - 1]
    assert before["documents"] == []
    (signed,) = frames_of(result, "task_completed", "customer_signoff")
    assert signed["actor_name"] == "顾客1" and signed["role"] == "customer"
    assert [d["name"] for d in signed["documents"]] == ["实施规划.docx", "技术支持服务单.pdf"]

    # the silence timer: sales' own confirmation cancelled, the timer's path taken, 'confirmed' recorded
    (fired,) = frames_of(result, "timer_fired")
    assert fired["actor"] == "worker" and fired["element_id"] == "sales_silence_timer"
    assert fired["path"]["cancelled"] == ["sales_confirmation"] and fired["path"]["active"] == ["final_confirmation"]
    assert "sales_silence_timer" in fired["path"]["completed"]
    assert "flow_sales_silence_timer_to_record_silent_confirmation" in fired["path"]["flows"]
    assert changed(fired)["sales_confirmed"][1] is not None

    # events that change nothing show the case as it stood
    for frame in frames_of(result, "task_created") + frames_of(result, "mail_sent"):
        assert frame["changes"] == [] and frame["path"] == result["frames"][frame["index"] - 1]["path"]


def test_frames_in_english_name_the_elements_and_diagram_in_english(ctx, clock):
    case = start(ctx)
    advance_to(ctx, case, "engineer_assessment")
    result = replay_frames(ctx, case, actor="process_owner1", lang="en")
    (created,) = frames_of(result, "task_created", "engineer_assessment")
    assert created["name"] == "Engineer assesses the request"
    assert 'name="Engineer assesses the request"' in result["versions"][0]["xml"]
    assert result["case"]["name"] == "Technical support"


def test_a_migrated_case_switches_to_its_new_versions_diagram_at_the_migrated_event(ctx):
    case = start(ctx)
    bundle = deploy.bundle_from_path(PROJECT_ROOT / "processes" / MAIN, PROJECT_ROOT / "forms")
    bundle.files[MAIN] = with_double_check(bundle.files[MAIN].decode("utf-8")).encode("utf-8")
    assert deploy.deploy_bundle(ctx, bundle, actor="process_owner1").version == 2
    assert migration.migrate(ctx, "technical_support", 2, [case], actor="process_owner1")["migrated"] == [case]
    do(ctx, case, "confirm_request")

    result = replay_frames(ctx, case, actor="auditor1")
    assert result["verdict"]["ok"] is True
    assert [v["version"] for v in result["versions"]] == [1, 2]
    first, second = (v["xml"] for v in result["versions"])
    assert 'id="double_check"' in second and 'id="double_check"' not in first
    (moved,) = frames_of(result, "migrated")
    assert [f["version"] for f in result["frames"][:moved["index"]]] == [1] * moved["index"]
    assert {f["version"] for f in result["frames"][moved["index"]:]} == {2}
    assert frames_of(result, "task_completed", "confirm_request")[0]["path"]["active"] == ["double_check"]


def test_a_replay_that_does_not_reach_the_stored_state_says_so_beside_the_frames(ctx):
    case = start(ctx)
    do(ctx, case, "confirm_request")
    with ctx.db.transaction() as session:
        state = json.loads(session.get(ProcessInstance, case).state_json)
        state["data"] = {**state.get("data", {}), "slipped_in": True}
        session.execute(update(ProcessInstance).where(ProcessInstance.id == case).values(state_json=json.dumps(state)))
    result = replay_frames(ctx, case, actor="auditor1")
    assert result["verdict"]["ok"] is False and result["verdict"]["diverges_at"]["reason"]
    assert len(result["frames"]) == result["events"]  # every step matched its record; the stored case did not


@pytest.mark.parametrize("who", ["sales1", "tech_director1", "engineer1", "customer1"])
def test_only_those_who_read_all_cases_see_the_frames(ctx, who):
    case = start(ctx)
    do(ctx, case, "confirm_request")
    with pytest.raises(Forbidden) as refused:
        replay_frames(ctx, case, actor=who)
    assert refused.value.code == "replay_pages.not_allowed"


def test_the_api_gives_the_verdict_to_whoever_sees_the_case_and_the_frames_to_auditors(ctx, client, clock):
    case = sent_back_signed_and_silent(ctx, clock)

    def get(user: str, path: str) -> Any:
        token = tokens.issue_token(ctx, user, name="test")
        return client.get(f"/api/v1/process-instances/{case}{path}", headers={"Authorization": f"Bearer {token}"})

    verdict = get("sales1", "/replay")  # the starter sees the case: the verdict, no fields
    assert verdict.status_code == 200
    assert set(verdict.get_json()) == {"ok", "diverges_at", "events", "steps", "differences"}
    assert verdict.get_json()["ok"] is True
    assert get("sales2", "/replay").status_code == 403  # another sales person does not see the case
    refused = get("sales1", "/replay/frames")
    assert refused.status_code == 403 and refused.get_json()["code"] == "replay_pages.not_allowed"

    # (parsed here without the application's input limits: a diagram's XML is longer than a request may be)
    english = json.loads(get("auditor1", "/replay/frames?lang=en").data)
    (planning,) = frames_of(english, "task_completed", "planning_documents")
    assert planning["label"] == "工程师1 completed “Submit planning documents”"
    assert planning["role_name"] == "Engineer"
    labels = {c["field"]: c["label"] for c in planning["changes"]}
    assert labels["doc_implementation_plan"] != "doc_implementation_plan"
    assert planning["documents"][0]["label"] == labels["doc_implementation_plan"]
    (fired,) = frames_of(english, "timer_fired")
    assert fired["actor_name"] == "Background worker"
    chinese = json.loads(get("auditor1", "/replay/frames").data)
    (planning_zh,) = frames_of(chinese, "task_completed", "planning_documents")
    assert planning_zh["label"] == "工程师1 完成了「提交规划文档」"
    assert english["verdict"]["ok"] is True


def test_the_page_is_for_those_who_read_all_cases(ctx, app, client):
    case = start(ctx)
    do(ctx, case, "confirm_request")
    sign_in(client, "sales1")
    refused = client.get(f"/cases/{case}/replay")
    assert refused.status_code == 403 and "replay_pages.not_allowed" in refused.text
    assert 'data-testid="case-replay"' not in client.get(f"/cases/{case}").text  # no link either
    client = app.test_client()
    sign_in(client, "auditor1")
    assert f'href="/cases/{case}/replay"' in client.get(f"/cases/{case}").text
    shown = client.get(f"/cases/{case}/replay?step=2")
    assert shown.status_code == 200 and 'id="replay-config"' in shown.text and "一致" in shown.text
    assert client.get(f"/cases/{case + 99}/replay").status_code == 404
