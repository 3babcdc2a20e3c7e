"""Rules 5–11: communication, planning documents, leaving the site, completion,
archiving and workload accounting."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from service.operations import queries
from service.operations.errors import ValidationFailed
from tests.processes.walk import advance_to, do, mails, open_elements, run_worker_at, start, task, upload

PROJECT_DOCS = ("proposal", "implementation_plan", "scope_statement", "project_schedule", "project_management_plan")


def test_unclear_communication_brings_a_meeting_organised_by_sales(ctx):
    case = start(ctx)
    advance_to(ctx, case, "communication")
    do(ctx, case, "communication", {"clear": "no"})
    assert open_elements(ctx, case) == ["organise_meeting"]
    do(ctx, case, "organise_meeting", {"meeting_kind": "onsite", "meeting_outcome": "已明确需求"}, actor="sales1")
    assert open_elements(ctx, case) == ["planning_documents"]


def test_non_project_support_needs_the_implementation_plan(ctx):
    case = start(ctx)
    advance_to(ctx, case, "planning_documents")
    with pytest.raises(ValidationFailed) as err:  # missing, and no waiver asked for
        do(ctx, case, "planning_documents", {"doc_implementation_plan": ""})
    assert list(err.value.errors) == ["doc_implementation_plan"]
    do(ctx, case, "planning_documents", {"doc_implementation_plan": "", "request_waiver": True,
                                         "waiver_requested_documents": ["implementation_plan"],
                                         "waiver_request_reason": "客户已有实施规划"})
    assert open_elements(ctx, case) == ["waive_documents"]
    data = queries.show_case(ctx, case)["data"]
    assert data["documents_check"]["missing"] == ["implementation_plan"]


def test_project_support_cannot_move_on_until_each_document_is_attached_or_waived(ctx):
    case = start(ctx, support_kind="project")
    advance_to(ctx, case, "planning_documents")
    attached = {f"doc_{name}": upload(ctx, f"{name}.docx") for name in PROJECT_DOCS[:3]}
    do(ctx, case, "planning_documents", {**attached, "request_waiver": True,
                                         "waiver_requested_documents": list(PROJECT_DOCS[3:]),
                                         "waiver_request_reason": "客户自己制订计划"})
    assert queries.show_case(ctx, case)["data"]["documents_check"]["missing"] == list(PROJECT_DOCS[3:])
    with pytest.raises(ValidationFailed) as err:  # a waiver needs its reason
        do(ctx, case, "waive_documents", {"waived_documents": ["project_schedule"]}, actor="tech_director1")
    assert "waiver_reason" in err.value.errors
    do(ctx, case, "waive_documents", {"waived_documents": ["project_schedule"], "waiver_reason": "客户已有计划"},
       actor="tech_director1")
    assert open_elements(ctx, case) == ["planning_documents"]  # the management plan is still missing
    do(ctx, case, "planning_documents", {**attached, "doc_project_management_plan": upload(ctx, "管理计划.docx"),
                                         "request_waiver": False})
    assert open_elements(ctx, case) == ["work"]


def test_a_reference_to_a_file_that_was_never_uploaded_is_refused(ctx):
    case = start(ctx)
    advance_to(ctx, case, "planning_documents")
    fake = "upload:" + "0" * 64 + "/伪造.docx"
    with pytest.raises(ValidationFailed) as err:
        do(ctx, case, "planning_documents", {"doc_implementation_plan": fake})
    assert "doc_implementation_plan" in err.value.errors
    assert open_elements(ctx, case) == ["planning_documents"]


def test_rule_8_without_a_request_from_sales_the_engineer_talks_to_the_director_then_texts_sales(ctx):
    case = start(ctx, notify_sales_on_leaving=False)
    advance_to(ctx, case, "leave_site")
    with pytest.raises(ValidationFailed) as err:  # the engineer must text sales himself
        do(ctx, case, "leave_site", {"leave_channel": "sms"})
    assert "sms_to_sales" in err.value.errors
    do(ctx, case, "leave_site", {"leave_channel": "sms", "director_informed": True, "sales_texted": True,
                                 "sms_to_sales": "已离场，安装完成，客户已测试"})
    assert open_elements(ctx, case) == ["customer_signoff"]  # no task for the director
    data = queries.show_case(ctx, case)["data"]
    assert (data["director_informed"], data["sales_texted"]) == (True, True)


def test_leaving_site_reported_to_sales_directly_when_asked(ctx):
    case = start(ctx, notify_sales_on_leaving=True)
    advance_to(ctx, case, "leave_site")
    do(ctx, case, "leave_site")
    assert open_elements(ctx, case) == ["customer_signoff"]


def test_completion_mail_replies_to_all_on_the_application_thread(ctx, clock):
    case = start(ctx)
    advance_to(ctx, case, "completion_report")
    assert task(ctx, case, "completion_report")["due_at"] == "2026-10-08T18:00:00+08:00"  # the next working day
    do(ctx, case, "completion_report")
    application, _acceptance, completion = mails(ctx, case)
    assert completion["subject"] == "回复: " + application["subject"]
    assert completion["in_reply_to"] == application["message_id"]
    # reply-all: to the salesperson who applied, copying their line, the technical directors and GXM
    assert completion["to"] == ["sales1@demo.guicheng.local"]
    assert sorted(completion["cc"]) == [f"{u}@demo.guicheng.local" for u in (
        "management1", "sales_director1", "sales_director2", "sales_lead1", "tech_director1", "tech_director2")]


def test_sales_silence_counts_as_confirmation(ctx, clock):
    case = start(ctx)
    advance_to(ctx, case, "sales_confirmation")  # the mail is received on Wed 09-30, before National Day
    due = task(ctx, case, "sales_confirmation")["due_at"]
    assert due == "2026-10-08T18:00:00+08:00"  # one working day: the next one, after the holiday
    run_worker_at(ctx, clock, "2026-10-08T17:59:59")
    assert open_elements(ctx, case) == ["sales_confirmation"]
    run_worker_at(ctx, clock, "2026-10-08T18:00:01")
    assert open_elements(ctx, case) == ["final_confirmation"]
    assert queries.get_task(ctx, task(ctx, case, "final_confirmation")["id"])["data"]["sales_confirmed"] == "silent"


def test_full_request_is_archived_with_checksums_and_accounted(ctx):
    case = start(ctx, support_kind="project")
    docs = {f"doc_{name}": upload(ctx, f"{name}.docx", f"{name} 内容") for name in PROJECT_DOCS}
    advance_to(ctx, case, "review_workload", {
        "planning_documents": docs,
        "work": {"work_location": "onsite", "time_kind": "overtime", "difficulty": 2, "person_days_spent": 2}})
    data = queries.show_case(ctx, case)["data"]
    assert data["workload"]["coefficient"] == pytest.approx(1.2 * 1.0 * 1.5 * 1.2)
    assert data["workload"]["accounted_person_days"] == pytest.approx(round(2 * 2.16, 2))
    archived = {entry["document"]: entry for entry in data["archive_manifest"]}
    assert set(archived) >= {f"doc_{name}" for name in PROJECT_DOCS} | {"doc_service_sheet"}
    entry = archived["doc_scope_statement"]
    path = Path(ctx.settings.archive_dir) / entry["path"]
    assert entry["path"].startswith(f"2026/欧莱雅/CITRIX安装/case-{case}/")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
    with pytest.raises(ValidationFailed):
        do(ctx, case, "review_workload", {"adjusted_person_days": -1})
    do(ctx, case, "review_workload", {"adjusted_person_days": 4, "adjustment_reason": "部分远程"})
    do(ctx, case, "weekly_report")
    final = queries.show_case(ctx, case)
    assert final["status"] == "completed"
    assert final["data"]["workload_final"]["final_person_days"] == 2.5
    assert final["data"]["workload_final"]["assessed_person_days"] == 4
    history = [e["type"] for e in queries.history(ctx, case)]
    assert "service_task" in history and history[-1] == "case_completed"


def test_a_document_field_must_hold_an_uploaded_file_on_every_form(ctx):
    case = start(ctx)
    advance_to(ctx, case, "customer_signoff")
    with pytest.raises(ValidationFailed) as err:
        do(ctx, case, "customer_signoff", {"doc_service_sheet": "已签字，见纸质版"})
    assert "doc_service_sheet" in err.value.errors
    assert open_elements(ctx, case) == ["customer_signoff"]
