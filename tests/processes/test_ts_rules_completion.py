"""Seed 000, rules 8, 9 and 11 as written: sales has until the end of the next working day after receiving
the completion mail (no noon rule, silence is confirmation), an objection or the technical director's
rejection goes back to the engineer with its reason, and the workload coefficients under review are named
placeholders."""

from __future__ import annotations

import pytest

from service.operations import queries
from service.operations.errors import ValidationFailed
from tests.processes.test_ts_rules_planning import PROJECT_DOCS
from tests.processes.walk import advance_to, at, do, mail_body, mails, open_elements, start, task, upload


def _data(ctx, case, element, actor):  # type: ignore[no-untyped-def]
    return queries.get_task(ctx, task(ctx, case, element)["id"], actor=actor)["data"]


@pytest.mark.parametrize("mailed, due", [
    ("2026-09-29T09:00", "2026-09-30T18:00:00+08:00"),  # a working morning: the next working day, not the same
    ("2026-09-29T17:30", "2026-09-30T18:00:00+08:00"),  # the afternoon changes nothing: no noon rule
    ("2026-09-30T10:00", "2026-10-08T18:00:00+08:00"),  # before National Day: the first working day after it
    ("2026-10-04T10:00", "2026-10-08T18:00:00+08:00"),  # received on a holiday: its first working day after
    ("2026-10-09T16:00", "2026-10-10T18:00:00+08:00"),  # Friday: the swapped working Saturday
])
def test_rule_9_sales_answers_by_the_end_of_the_next_working_day_after_the_mail(ctx, clock, mailed, due):
    clock.set(at("2026-09-29T08:00"))
    case = start(ctx)
    advance_to(ctx, case, "completion_report")
    clock.set(at(mailed))
    do(ctx, case, "completion_report")
    assert task(ctx, case, "sales_confirmation")["due_at"] == due
    assert f"回复期限：{due[:10]} 18:00" in mail_body(ctx, case, mails(ctx, case)[-1]["subject"])


def test_rule_9_an_objection_goes_back_to_the_engineer_with_its_reason(ctx):
    case = start(ctx)
    advance_to(ctx, case, "sales_confirmation")
    with pytest.raises(ValidationFailed) as err:
        do(ctx, case, "sales_confirmation", {"sales_confirmed": "objection"})
    assert "sales_comment" in err.value.errors
    do(ctx, case, "sales_confirmation", {"sales_confirmed": "objection", "sales_comment": "客户反映打印机未配置"})
    assert open_elements(ctx, case) == ["completion_report"]
    assert _data(ctx, case, "completion_report", "engineer1")["sales_comment"] == "客户反映打印机未配置"
    first = len(mails(ctx, case))
    do(ctx, case, "completion_report", {"completion_summary": "已补充配置打印机"})
    assert len(mails(ctx, case)) == first + 1 and mails(ctx, case)[-1]["subject"].startswith("回复: ")
    do(ctx, case, "sales_confirmation")
    assert open_elements(ctx, case) == ["final_confirmation"]


def test_rule_9_the_technical_director_can_send_the_completion_back_with_a_reason(ctx):
    case = start(ctx)
    advance_to(ctx, case, "final_confirmation")
    with pytest.raises(ValidationFailed) as err:
        do(ctx, case, "final_confirmation", {"completion_confirmed": False})
    assert "final_comment" in err.value.errors
    do(ctx, case, "final_confirmation", {"completion_confirmed": False, "final_comment": "服务单缺少客户签字日期"})
    assert open_elements(ctx, case) == ["completion_report"]
    assert _data(ctx, case, "completion_report", "engineer1")["final_comment"] == "服务单缺少客户签字日期"
    do(ctx, case, "completion_report")
    do(ctx, case, "sales_confirmation")
    do(ctx, case, "final_confirmation")
    assert open_elements(ctx, case) == ["review_workload"]


def test_rule_11_the_director_reviews_the_figure_and_each_placeholder_coefficient(ctx):
    case = start(ctx, support_kind="project")
    docs = {f"doc_{code}": upload(ctx, f"{code}.docx") for code in PROJECT_DOCS}
    advance_to(ctx, case, "review_workload", {
        "planning_documents": docs,
        "work": {"work_location": "remote", "time_kind": "holiday", "difficulty": 3, "person_days_spent": 2}})
    review = queries.get_task(ctx, task(ctx, case, "review_workload")["id"], actor="tech_director1")
    data = review["data"]
    assert (data["coefficient_support_kind"], data["coefficient_location"], data["coefficient_time"],
            data["coefficient_difficulty"]) == (1.2, 0.8, 2.0, 1.5)
    assert data["workload_coefficient"] == pytest.approx(1.2 * 0.8 * 2.0 * 1.5)
    assert data["workload_accounted_days"] == pytest.approx(round(2 * 2.88, 2))
    components = review["form"]["components"]
    assert any(c["type"] == "text" and "占位值" in c["text"] for c in components)
    shown = {c["key"] for c in components if c.get("readonly")}
    assert shown >= {"workload_coefficient", "workload_accounted_days", "coefficient_support_kind",
                     "coefficient_location", "coefficient_time", "coefficient_difficulty"}
