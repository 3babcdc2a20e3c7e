"""Rule 12 (proposal, alone and called from a request), rule 7 (deviations, any number
of times beside the request) and rule 13 (conflict escalation)."""

from __future__ import annotations

import pytest

from service.operations import cases, queries
from service.operations.errors import Forbidden, ValidationFailed
from tests.processes.walk import advance_to, at, do, mails, open_elements, start, task, upload

PROPOSAL = {"customer": "欧莱雅", "project": "桌面虚拟化", "proposal_title": "桌面虚拟化方案", "proposal_size": "3"}


def _proposal(ctx, **overrides) -> int:
    return cases.start_case(ctx, process_id="technical_support_proposal", actor="engineer1",
                            data={**PROPOSAL, **overrides})


@pytest.mark.parametrize("received, size, due", [
    ("2026-09-30T11:00", "3", "2026-10-10T18:00:00+08:00"),  # before noon, size 3: day 4, a working Saturday
    ("2026-09-30T14:00", "3", "2026-10-12T18:00:00+08:00"),  # after noon: day 5
    ("2026-09-30T11:00", "1", "2026-09-30T18:00:00+08:00"),
    ("2026-09-30T14:00", "5", "2026-10-16T18:00:00+08:00"),  # day 9 either way
])
def test_standalone_proposal_deadline_by_size_class(ctx, clock, received, size, due):
    clock.set(at(received))
    case = _proposal(ctx, proposal_size=size)
    cases.complete_task(ctx, task_id=task(ctx, case, "agree_contents")["id"], actor="engineer1",
                        data={"proposal_contents": "封面、目录、背景、需求分析、方案、产品介绍、产品清单、总结"})
    cases.complete_task(ctx, task_id=task(ctx, case, "approve_contents")["id"], actor="sales1",
                        data={"contents_agreed": "yes"})
    assert task(ctx, case, "write_proposal")["due_at"] == due


def test_contents_and_review_loop_until_the_reader_understands(ctx):
    case = _proposal(ctx)
    def complete(element, actor, data):
        cases.complete_task(ctx, task_id=task(ctx, case, element)["id"], actor=actor, data=data)
    complete("agree_contents", "engineer1", {"proposal_contents": "初稿目录"})
    complete("approve_contents", "sales1", {"contents_agreed": "no", "contents_comment": "缺少产品清单"})
    assert open_elements(ctx, case) == ["agree_contents"]
    complete("agree_contents", "engineer1", {"proposal_contents": "目录含产品清单"})
    complete("approve_contents", "sales1", {"contents_agreed": "yes"})
    for round_ in range(2):
        complete("write_proposal", "engineer1", {"doc_proposal": upload(ctx, f"方案v{round_}.docx")})
        complete("review_proposal", "sales1", {"proposal_understood": "no", "review_comments": "看不懂拓扑"})
    complete("write_proposal", "engineer1", {"doc_proposal": upload(ctx, "方案v3.docx")})
    complete("review_proposal", "sales1", {"proposal_understood": "yes"})
    assert queries.show_case(ctx, case)["status"] == "completed"


def test_request_needing_a_proposal_calls_the_proposal_process(ctx):
    case = start(ctx, preparation_required=["proposal"], proposal_size="2")
    advance_to(ctx, case, "agree_contents")
    do(ctx, case, "agree_contents", {"proposal_contents": "目录"}, actor="engineer1")
    do(ctx, case, "approve_contents", {"contents_agreed": "yes"}, actor="sales1")
    do(ctx, case, "write_proposal", {"doc_proposal": upload(ctx, "方案.docx")}, actor="engineer1")
    do(ctx, case, "review_proposal", {"proposal_understood": "yes"}, actor="sales1")
    assert open_elements(ctx, case) == ["planning_documents"]


def _deviation(ctx, parent, kind="workload"):
    return cases.start_case(ctx, process_id="technical_support_deviation", actor="engineer1", data={
        "parent_case": parent, "deviation_kind": kind, "channel": "phone", "description": "客户新增两台服务器"})


def test_deviations_any_number_of_times_reply_in_the_request_thread(ctx):
    request = start(ctx)
    advance_to(ctx, request, "work")
    first, second = _deviation(ctx, request), _deviation(ctx, request, "product")
    for deviation in (first, second):
        cases.complete_task(ctx, task_id=task(ctx, deviation, "confirm_deviation")["id"], actor="sales1",
                            data={"deviation_confirmed": "yes", "outcome": "增加 1 人天，客户同意"})
    thread = [m for c in (request, first, second) for m in mails(ctx, c)]
    application = thread[0]
    assert [m["subject"] for m in thread[1:]] == ["回复: " + application["subject"]] * 2
    assert thread[2]["in_reply_to"] == thread[1]["message_id"]  # reply-all on the latest mail of the thread
    assert open_elements(ctx, request) == ["work"]  # the main flow is untouched
    assert queries.show_case(ctx, first)["business_key"] == queries.show_case(ctx, request)["business_key"]


def test_deviation_needs_a_running_request(ctx):
    with pytest.raises(ValidationFailed) as err:
        _deviation(ctx, 999)
    assert "parent_case" in err.value.errors


@pytest.mark.parametrize("actor, role, resolver, element", [
    ("engineer1", "engineer", "tech_director1", "resolve_by_tech_director"),
    ("sales1", "sales", "sales_director1", "resolve_by_sales_director"),
])
def test_conflicts_escalate_by_who_raises_them(ctx, actor, role, resolver, element):
    request = start(ctx)
    conflict = cases.start_case(ctx, process_id="technical_support_conflict", actor=actor, data={
        "parent_case": request, "raised_by_role": role, "description": "对工作范围有分歧"})
    assert open_elements(ctx, conflict) == [element]
    cases.complete_task(ctx, task_id=task(ctx, conflict, element)["id"], actor=resolver,
                        data={"resolution": "按合同范围执行", "resolved": "yes"})
    assert queries.show_case(ctx, conflict)["status"] == "completed"


def test_conflict_cannot_be_raised_in_a_role_one_does_not_hold(ctx):
    request = start(ctx)
    with pytest.raises(ValidationFailed) as err:
        cases.start_case(ctx, process_id="technical_support_conflict", actor="engineer1", data={
            "parent_case": request, "raised_by_role": "sales", "description": "x"})
    assert "raised_by_role" in err.value.errors
    with pytest.raises(Forbidden):
        cases.start_case(ctx, process_id="technical_support_conflict", actor="customer1", data={
            "parent_case": request, "raised_by_role": "engineer", "description": "x"})
