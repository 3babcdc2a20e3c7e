"""Rule 12 (proposal, alone and called from a request: its completion table, the contents agreement and
the author-responsibility review, each a loop until agreed), rule 7 (deviations, any number of times
beside the request) and rule 13 (who may raise a conflict). The rule 7 and 13 outcomes on the request
are in test_ts_linked_rules.py."""

from __future__ import annotations

from typing import Any

import pytest

from service.operations import cases, queries
from service.operations.errors import Forbidden, ValidationFailed
from tests.processes.walk import advance_to, at, do, mails, open_elements, start, task, upload

PROPOSAL = {"customer": "欧莱雅", "project": "桌面虚拟化", "proposal_title": "桌面虚拟化方案", "proposal_size": "3"}
NINE_PARTS = ["封面", "目录", "背景", "需求分析（含现有拓扑）", "解决方案（含新拓扑）", "产品介绍",
              "代理商/合作伙伴服务介绍", "产品清单", "总结"]
ALL_PARTS = ["cover", "contents", "background", "requirements", "solution", "products", "services",
             "product_list", "summary"]


def _proposal(ctx: Any, **overrides: Any) -> int:
    return cases.start_case(ctx, process_id="technical_support_proposal", actor="engineer1",
                            data={**PROPOSAL, **overrides})


def _complete(ctx: Any, case: int, element: str, actor: str, data: dict[str, Any]) -> None:
    cases.complete_task(ctx, task_id=task(ctx, case, element)["id"], actor=actor, data=data)


def _agree_contents(ctx: Any, case: int) -> None:
    _complete(ctx, case, "agree_contents", "engineer1", {"proposal_contents": "、".join(NINE_PARTS)})
    _complete(ctx, case, "approve_contents", "sales1", {"contents_agreed": "yes"})


def _write(ctx: Any, case: int, name: str = "方案.docx", parts: list[str] = ALL_PARTS) -> None:
    _complete(ctx, case, "write_proposal", "engineer1", {"doc_proposal": upload(ctx, name), "proposal_parts": parts})


# The 2026 calendar: 10-01..10-07 holiday, 10-10 a working Saturday. Received Wed 09-30:
# before 12:00 that day is working day 1; after 12:00 too, but the table counts one more day.
@pytest.mark.parametrize("received, size, due", [
    ("2026-09-30T11:00", "1", "2026-09-30T18:00:00+08:00"),  # before noon, size 1: day 1, the same day
    ("2026-09-30T11:00", "2", "2026-10-08T18:00:00+08:00"),  # size 2: day 2, after the National Day holiday
    ("2026-09-30T11:00", "3", "2026-10-10T18:00:00+08:00"),  # size 3: day 4, a working Saturday
    ("2026-09-30T11:00", "4", "2026-10-13T18:00:00+08:00"),  # size 4: day 6 (Sunday 10-11 is not counted)
    ("2026-09-30T11:00", "5", "2026-10-16T18:00:00+08:00"),  # size 5: day 9
    ("2026-09-30T14:00", "1", "2026-10-08T18:00:00+08:00"),  # after noon, size 1: day 2
    ("2026-09-30T14:00", "2", "2026-10-09T18:00:00+08:00"),  # size 2: day 3
    ("2026-09-30T14:00", "3", "2026-10-12T18:00:00+08:00"),  # size 3: day 5
    ("2026-09-30T14:00", "4", "2026-10-14T18:00:00+08:00"),  # size 4: day 7
    ("2026-09-30T14:00", "5", "2026-10-16T18:00:00+08:00"),  # size 5: day 9 either way
])
def test_rule_12_completion_table_every_cell_on_the_working_day_calendar(ctx, clock, received, size, due):
    clock.set(at(received))
    case = _proposal(ctx, proposal_size=size)
    _agree_contents(ctx, case)
    assert task(ctx, case, "write_proposal")["due_at"] == due


def test_rule_12_received_on_a_holiday_counts_from_the_next_working_day_morning(ctx, clock):
    clock.set(at("2026-10-03T15:00"))  # a Saturday in the holiday: as if received 10-08 before noon
    case = _proposal(ctx, proposal_size="2")
    _agree_contents(ctx, case)
    assert task(ctx, case, "write_proposal")["due_at"] == "2026-10-09T18:00:00+08:00"


def test_rule_12_contents_are_agreed_round_by_round_until_sales_agrees(ctx):
    case = _proposal(ctx)
    for draft, comment in [("初稿目录", "缺少产品清单"), ("目录含产品清单", "背景太长")]:
        _complete(ctx, case, "agree_contents", "engineer1", {"proposal_contents": draft})
        _complete(ctx, case, "approve_contents", "sales1", {"contents_agreed": "no", "contents_comment": comment})
        assert open_elements(ctx, case) == ["agree_contents"]  # another round, nothing written yet
        assert queries.show_case(ctx, case)["data"]["contents_comment"] == comment  # the engineer sees why
    _agree_contents(ctx, case)
    assert open_elements(ctx, case) == ["write_proposal"]


def test_rule_12_author_rewrites_until_the_reader_understands(ctx):
    case = _proposal(ctx)
    _agree_contents(ctx, case)
    for round_ in range(4):
        _write(ctx, case, f"方案v{round_}.docx")
        _complete(ctx, case, "review_proposal", "sales1",
                  {"proposal_understood": "no", "review_comments": "看不懂拓扑"})
        assert open_elements(ctx, case) == ["write_proposal"]
    _write(ctx, case, "方案v5.docx")
    _complete(ctx, case, "review_proposal", "sales1", {"proposal_understood": "yes"})
    case_view = queries.show_case(ctx, case)
    assert case_view["status"] == "completed"
    assert case_view["data"]["doc_proposal"].endswith("方案v5.docx")  # the version the reader accepted


def test_rule_12_write_form_offers_the_nine_part_structure(ctx):
    case = _proposal(ctx)
    _agree_contents(ctx, case)
    form = queries.get_task(ctx, task(ctx, case, "write_proposal")["id"], actor="engineer1")["form"]
    (parts,) = [c for c in form["components"] if c["key"] == "proposal_parts"]
    assert [v["label"] for v in parts["values"]] == NINE_PARTS
    with pytest.raises(ValidationFailed) as err:  # only the parts of the structure
        _write(ctx, case, parts=["cover", "appendix"])
    assert "proposal_parts" in err.value.errors
    _write(ctx, case, parts=["cover", "contents", "solution", "summary"])  # a short proposal says what it has
    assert queries.show_case(ctx, case)["data"]["proposal_parts"] == ["cover", "contents", "solution", "summary"]


def test_rule_12_request_needing_a_proposal_calls_the_proposal_process(ctx):
    case = start(ctx, preparation_required=["proposal"], proposal_size="2")
    advance_to(ctx, case, "agree_contents")
    do(ctx, case, "agree_contents", {"proposal_contents": "目录"}, actor="engineer1")
    do(ctx, case, "approve_contents", {"contents_agreed": "no", "contents_comment": "补充产品清单"}, actor="sales1")
    do(ctx, case, "agree_contents", {"proposal_contents": "目录含产品清单"}, actor="engineer1")
    do(ctx, case, "approve_contents", {"contents_agreed": "yes"}, actor="sales1")
    do(ctx, case, "write_proposal", {"doc_proposal": upload(ctx, "方案.docx"), "proposal_parts": ALL_PARTS},
       actor="engineer1")
    do(ctx, case, "review_proposal", {"proposal_understood": "no"}, actor="sales1")
    do(ctx, case, "write_proposal", {"doc_proposal": upload(ctx, "方案2.docx"), "proposal_parts": ALL_PARTS},
       actor="engineer1")
    do(ctx, case, "review_proposal", {"proposal_understood": "yes"}, actor="sales1")
    assert open_elements(ctx, case) == ["planning_documents"]


def _deviation(ctx: Any, parent: int, kind: str = "workload") -> int:
    return cases.start_case(ctx, process_id="technical_support_deviation", actor="engineer1", data={
        "parent_case": parent, "deviation_kind": kind, "channel": "phone", "description": "客户新增两台服务器"})


def test_rule_7_deviations_any_number_of_times_reply_in_the_request_thread(ctx):
    request = start(ctx)
    advance_to(ctx, request, "work")
    first, second = _deviation(ctx, request), _deviation(ctx, request, "product")
    for deviation in (first, second):
        cases.complete_task(ctx, task_id=task(ctx, deviation, "confirm_deviation")["id"], actor="sales1",
                            data={"deviation_confirmed": "yes", "outcome": "增加 1 人天，客户同意"})
        cases.complete_task(ctx, task_id=task(ctx, deviation, "director_confirm_deviation")["id"],
                            actor="tech_director1", data={"director_confirmed": "yes"})
    application = mails(ctx, request)[0]
    (first_outcome,), (second_outcome,) = mails(ctx, first), mails(ctx, second)
    assert [m["subject"] for m in (first_outcome, second_outcome)] == ["回复: " + application["subject"]] * 2
    assert second_outcome["in_reply_to"] == first_outcome["message_id"]  # reply-all on the thread's latest mail
    assert open_elements(ctx, request) == ["work"]  # the main flow goes on where it was
    assert queries.show_case(ctx, first)["business_key"] == queries.show_case(ctx, request)["business_key"]


def test_rule_7_deviation_needs_a_running_request(ctx):
    with pytest.raises(ValidationFailed) as err:
        _deviation(ctx, 999)
    assert "parent_case" in err.value.errors


def test_rule_13_conflict_cannot_be_raised_in_a_role_one_does_not_hold(ctx):
    request = start(ctx)
    with pytest.raises(ValidationFailed) as err:
        cases.start_case(ctx, process_id="technical_support_conflict", actor="engineer1", data={
            "parent_case": request, "raised_by_role": "sales", "description": "x"})
    assert "raised_by_role" in err.value.errors
    with pytest.raises(Forbidden):
        cases.start_case(ctx, process_id="technical_support_conflict", actor="customer1", data={
            "parent_case": request, "raised_by_role": "engineer", "description": "x"})
