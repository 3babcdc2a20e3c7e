"""Where a case stands, as people are shown it. The path it took, as the diagram viewer paints it: the
flows followed, an element done twice (the planning-documents loop, a 退回), the task a timer cancelled,
and the pages that carry it. And the deadline of a task in working hours, the same on the page and in
the notice mail, which links the task itself."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from html import unescape

from service.domain.due import due_standing, due_words
from service.operations import case_moves, diagram_path, inbox
from service.operations.calendar import load_calendar
from tests.integration.test_web_pages import sign_in
from tests.processes.walk import advance_to, do, open_elements, run_worker_at, start, task

LOOP_FLOWS = {"flow_planning_join_to_planning_documents", "flow_planning_documents_to_check_documents",
              "flow_check_documents_to_documents_gateway", "flow_documents_gateway_to_waive_documents",
              "flow_waive_documents_to_recheck_documents", "flow_recheck_documents_to_waiver_gateway",
              "flow_waiver_gateway_to_planning_join"}

WAIVER_ASKED = {"doc_implementation_plan": None, "request_waiver": True,
                "waiver_requested_documents": ["implementation_plan"], "waiver_request_reason": "客户环境信息未齐"}


def through_the_documents_loop(ctx) -> int:  # type: ignore[no-untyped-def]
    """Planning documents handed in without the implementation plan, no waiver, handed in again."""
    case = start(ctx)
    advance_to(ctx, case, "planning_documents")
    do(ctx, case, "planning_documents", WAIVER_ASKED)
    do(ctx, case, "waive_documents", {"waived_documents": [], "waiver_reason": "实施规划不能免除"},
       actor="tech_director2")
    assert open_elements(ctx, case) == ["planning_documents"]
    do(ctx, case, "planning_documents", {"request_waiver": False})
    assert open_elements(ctx, case) == ["work"]
    return case


def test_the_documents_loop_counts_two_passes_and_colours_the_flows_taken(ctx):
    case = through_the_documents_loop(ctx)
    path = diagram_path.diagram_path(ctx, case)
    assert path["passes"] == {"check_documents": 2, "planning_documents": 2, "planning_join": 2,
                              "documents_gateway": 2}
    assert path["active"] == ["work"]
    assert LOOP_FLOWS <= set(path["flows"])
    assert {"flow_documents_gateway_to_work_join", "flow_work_join_to_work"} <= set(path["flows"])
    # the branch not taken stays plain: no meeting was needed, no proposal written
    assert "organise_meeting" not in path["completed"] and "proposal" not in path["completed"]
    assert not {f for f in path["flows"] if "organise_meeting" in f or f.startswith("flow_proposal_to")}
    assert path["cancelled"] == []
    assert inbox.diagram_state(ctx, case) == path  # the pages' old name reads the same path


def test_a_task_sent_back_counts_its_second_pass(ctx):
    case = start(ctx)
    advance_to(ctx, case, "communication")
    current = task(ctx, case, "communication")["id"]
    target = next(t for t in case_moves.send_back_targets(ctx, current, "engineer1")
                  if t["element_id"] == "engineer_assessment")
    case_moves.send_back(ctx, task_id=current, actor="engineer1", to_task=target["id"], reason="需要重新评估人天")
    assert open_elements(ctx, case) == ["engineer_assessment"]
    assert diagram_path.diagram_path(ctx, case)["passes"] == {}  # the first pass is done, the second open
    do(ctx, case, "engineer_assessment")
    path = diagram_path.diagram_path(ctx, case)
    assert path["passes"]["engineer_assessment"] == 2
    assert path["active"] == ["communication"] and "engineer_assessment" in path["completed"]


def test_the_task_a_timer_ended_is_marked_cancelled_and_the_timer_path_taken(ctx, clock):
    case = start(ctx)
    advance_to(ctx, case, "sales_confirmation")
    silence_ends = datetime.fromisoformat(task(ctx, case, "sales_confirmation")["due_at"]) + timedelta(seconds=1)
    run_worker_at(ctx, clock, silence_ends.isoformat())  # sales said nothing: silence counts as confirmation
    path = diagram_path.diagram_path(ctx, case)
    assert path["cancelled"] == ["sales_confirmation"]
    assert "sales_confirmation" not in path["completed"] and "sales_silence_timer" in path["completed"]
    assert "flow_sales_silence_timer_to_record_silent_confirmation" in path["flows"]
    assert "flow_sales_confirmation_to_sales_confirmed_join" not in path["flows"]
    # timers that were only waiting while their task was done are not news
    assert "confirm_reminder_timer" not in path["cancelled"] + path["completed"]
    assert path["active"] == ["final_confirmation"]


def _diagram_data(page: str) -> dict[str, object]:
    tag = re.search(r'<div class="diagram" id="diagram"[^>]*>', page)
    assert tag, "no diagram on the page"
    return {name: json.loads(unescape(value)) if value not in ("true", "false") else value == "true"
            for name, value in re.findall(r'data-(completed|active|current|cancelled|flows|passes|started)="([^"]*)"',
                                          tag.group(0))}


def test_the_case_and_task_pages_hand_the_path_to_the_viewer(ctx, client):
    case = through_the_documents_loop(ctx)
    sign_in(client, "engineer1")
    shown = _diagram_data(client.get(f"/cases/{case}").text)
    assert shown["passes"] == {"check_documents": 2, "documents_gateway": 2, "planning_documents": 2,
                               "planning_join": 2}
    assert LOOP_FLOWS <= set(shown["flows"]) and shown["active"] == ["work"] and shown["started"] is True
    on_task = _diagram_data(client.get(f"/tasks/{task(ctx, case, 'work')['id']}").text)
    assert on_task["current"] == ["work"] and on_task["active"] == [] and on_task["passes"] == shown["passes"]


def test_an_unstarted_case_has_no_position_on_the_start_page(ctx, client):
    sign_in(client, "sales2")
    page = client.get("/start/technical_support").text
    shown = _diagram_data(page)
    assert shown.get("started", False) is False and shown["current"] == [] and shown["active"] == []
    assert 'data-testid="diagram-legend"' not in page


def test_the_assignment_notice_says_the_deadline_as_the_task_page_does_and_links_the_task(ctx, client):
    case = start(ctx)
    do(ctx, case, "confirm_request")  # the director picks engineer1: the assessment is assigned, a notice sent
    assessment = task(ctx, case, "engineer_assessment")
    notice = next(m for m in reversed(inbox.case_mails(ctx, [case]))
                  if m["subject"].startswith("【待办】") and "engineer1@demo.guicheng.local" in json.dumps(m["to"]))
    due_at = datetime.fromisoformat(assessment["due_at"]).astimezone(ctx.tz)
    with ctx.db.reading() as session:
        standing = due_standing(load_calendar(session, ctx), due_at, ctx.now())
    said = due_words(standing, "zh")
    assert re.fullmatch(r"还剩 (\d+ 个工作日( [\d.]+ 小时)?|[\d.]+ 个工作小时)", said), said
    assert f"期限 (due)：{due_at:%Y-%m-%d %H:%M}，{said} ({due_words(standing, 'en')})" in notice["body"]
    assert f"{ctx.settings.base_url}/tasks/{assessment['id']}" in notice["body"]
    assert f"{ctx.settings.base_url}/cases/{case}" in notice["body"]
    sign_in(client, "engineer1")
    page = client.get(f"/tasks/{assessment['id']}").text
    assert re.search(r'data-testid="due">' + re.escape(said) + "<", page)
    assert said in client.get("/", follow_redirects=True).text  # the inbox row says it the same way
