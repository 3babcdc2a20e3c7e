"""Seed 000, rules 1 and 2 as written: the technical director confirms by mail (「技术总监邮件确认」), the
application mail carries what the procedure asks, and an emergency can be refused or must wait for its
filed application (补发) before the completion is confirmed."""

from __future__ import annotations

from service.operations import case_context, queries
from tests.processes.walk import advance_to, at, do, mail_body, mails, open_elements, run_worker_at, start

DOMAIN = "@demo.guicheng.local"
APPLICATION_LINE = sorted(f"{u}{DOMAIN}" for u in ("management1", "sales_director1", "sales_director2", "sales_lead1"))


def test_rule_1_the_directors_acceptance_is_mailed_in_the_thread_to_the_starter_and_the_application_copies(ctx):
    case = start(ctx)
    do(ctx, case, "confirm_request", {"engineer": "engineer2", "comment": "请尽快联系客户"})
    application, acceptance = mails(ctx, case)
    assert acceptance["subject"] == "回复: " + application["subject"]
    assert acceptance["in_reply_to"] == application["message_id"]
    assert acceptance["to"] == ["sales1" + DOMAIN]
    assert sorted(acceptance["cc"]) == sorted(application["cc"]) == APPLICATION_LINE
    body = mail_body(ctx, case, acceptance["subject"])
    assert "已受理" in body and "engineer2" in body and "请尽快联系客户" in body
    assert "工程师响应期限：2026-10-08 18:00" in body  # received 09-30 before noon, non-project: working day 2


def test_rule_1_the_application_mail_carries_the_preparation_the_agreed_contents_and_the_due_time(ctx):
    case = start(ctx, preparation="需要准备PPT和实施规划", document_contents="一、背景 二、需求分析 三、解决方案")
    (application,) = mails(ctx, case)
    body = mail_body(ctx, case, application["subject"])
    assert "需要的准备：需要准备PPT和实施规划" in body
    assert "约定的文档目录：一、背景 二、需求分析 三、解决方案" in body
    assert "确认期限：2026-09-30 18:00" in body  # received before noon: the same working day
    assert f"/cases/{case}" in body


def test_rule_2_the_director_can_refuse_an_emergency_and_sales_is_told_by_mail(ctx):
    case = start(ctx, emergency=True)
    do(ctx, case, "confirm_emergency", {"emergency_accepted": "no", "engineer": None, "note": "非紧急情况，请正常申请"})
    shown = queries.show_case(ctx, case)
    assert shown["status"] == "completed" and open_elements(ctx, case) == []
    (refusal,) = mails(ctx, case)
    assert refusal["subject"] == "应急技术支持不予受理--欧莱雅--CITRIX安装"
    assert refusal["to"] == ["sales1" + DOMAIN]
    assert "非紧急情况，请正常申请" in mail_body(ctx, case, refusal["subject"])


def test_rule_2_an_emergency_is_not_confirmed_complete_before_its_application_is_filed(ctx, clock):
    clock.set(at("2026-09-29T10:00"))
    case = start(ctx, emergency=True)
    advance_to(ctx, case, "customer_signoff", {"planning_documents": {"estimated_person_days": 3}})
    do(ctx, case, "customer_signoff")
    assert open_elements(ctx, case) == ["file_application"]  # the engineer cannot confirm completion yet
    chased = len(mails(ctx, case))
    run_worker_at(ctx, clock, "2026-09-30T10:00:01")
    assert len(mails(ctx, case)) == chased + 1  # still chased every working day
    do(ctx, case, "file_application", {"customer": "欧莱雅", "project": "CITRIX安装", "sales_name": "ZGH",
                                        "support_kind": "non_project"}, actor="sales1")
    assert open_elements(ctx, case) == ["completion_report"]
    assert queries.show_case(ctx, case)["data"]["estimated_person_days"] == 3  # the planning estimate is kept
    do(ctx, case, "completion_report")
    application = next(m for m in mails(ctx, case) if m["subject"].startswith("技术支持申请--"))
    assert mails(ctx, case)[-1]["in_reply_to"] == application["message_id"]  # completion replies to the filed one
    advance_to(ctx, case, "final_confirmation")


def test_rule_1_the_case_summary_is_what_the_application_states(ctx):
    case = start(ctx, emergency=False, preparation="准备PPT")
    summary = case_context.case_summary(ctx, case, "sales1", "zh")
    assert [f["key"] for f in summary] == ["customer", "project", "support_kind", "preparation", "document_contents",
                                          "emergency"]
    assert summary[0]["label"] == "客户名称"
