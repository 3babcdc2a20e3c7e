"""Who sees what of a case (domain.case_view through the queries and the API), on SQLite and PostgreSQL.

The process owner marks the forms as the conventions say (summary fields of the start form, customer-facing
fields); a customer then reads only the customer-facing part of its own case, staff read what the forms
declare, and only the read-all roles see the internal variables.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from service.config import PROJECT_ROOT
from service.operations import case_comments, case_context, deploy, queries
from tests.processes.walk import advance_to, do, start, task

SUMMARY = ("customer", "project", "support_kind", "preparation_required")
CUSTOMER_FACING = {"application": ("customer", "project"), "work": ("work_summary",)}
INTERNAL_WORDS = ("person_days_spent", "difficulty", "documents_check", "estimated_person_days")


def _mark(form_text: str, keys: tuple[str, ...], name: str, value: str) -> str:
    form = json.loads(form_text)

    def walk(components: list[Any]) -> None:
        for component in components:
            if component.get("key") in keys:
                component["properties"] = {**(component.get("properties") or {}), name: value}
            walk(component.get("components") or [])
    walk(form["components"])
    return json.dumps(form, ensure_ascii=False)


def deploy_marked(ctx) -> int:  # type: ignore[no-untyped-def]
    """Deploy technical_support with the summary and customer-facing marks the conventions describe."""
    real = deploy.bundle_from_path(PROJECT_ROOT / "processes" / "technical_support.bpmn", PROJECT_ROOT / "forms")
    forms = dict(real.forms)
    forms["application"] = _mark(forms["application"], SUMMARY, "summary", "true")
    for form_key, keys in CUSTOMER_FACING.items():
        forms[form_key] = _mark(forms[form_key], keys, "audience", "customer")
    return deploy.deploy_bundle(ctx, dataclasses.replace(real, forms=forms), actor="process_owner1").version


def _worked_case(ctx) -> int:  # type: ignore[no-untyped-def]
    deploy_marked(ctx)
    case = start(ctx)
    case_comments.add_comment(ctx, actor="tech_director1", text="内部：注意控制人天", instance_id=case)
    advance_to(ctx, case, "customer_signoff")
    return case


def test_a_customer_reads_only_the_customer_facing_part_of_its_case(ctx):
    case = _worked_case(ctx)
    shown = queries.show_case(ctx, case, actor="customer1")
    assert {"customer", "project", "work_summary"} <= set(shown["data"])
    assert set(shown["data"]) <= queries.case_view_for(ctx, case, "customer1").customer_facing
    assert all(w not in shown["data"] for w in INTERNAL_WORDS) and "received_at" not in shown["data"]
    assert shown["data"]["work_summary"] == "安装并测试"
    assert shown["mails"] == [] and [t["element_id"] for t in shown["open_tasks"]] == ["customer_signoff"]
    events = queries.history(ctx, case, actor="customer1")
    assert {e["type"] for e in events} <= {"case_started", "task_completed", "task_created", "case_completed"}
    assert not any(e["type"] == "task_completed" and e["payload"]["element_id"] != "customer_signoff"
                   for e in events)
    words = json.dumps(events, ensure_ascii=False)
    assert "注意控制人天" not in words and all(w not in words for w in INTERNAL_WORDS)
    signoff = queries.get_task(ctx, task(ctx, case, "customer_signoff")["id"], actor="customer1")
    assert all(w not in signoff["data"] for w in INTERNAL_WORDS)
    assert signoff["data"]["project"] == "CITRIX安装"
    summary = [f["key"] for f in case_context.case_summary(ctx, case, "customer1", "zh")]
    assert summary[:2] == ["customer", "project"] and "support_kind" not in summary  # not customer-facing
    said = case_context.decisions(ctx, case, "customer1", "zh")
    assert [d["kind"] for d in said] == ["case_started"]
    assert {f["key"] for f in said[0]["fields"]} <= queries.case_view_for(ctx, case, "customer1").customer_facing


def test_staff_read_what_the_forms_declare_and_the_read_all_roles_the_internal_variables(ctx):
    case = _worked_case(ctx)
    for staff in ("sales1", "tech_director1", "engineer1"):
        data = queries.show_case(ctx, case, actor=staff)["data"]
        assert data["person_days_spent"] == 2 and data["difficulty"] == 2
        assert "documents_check" not in data and "received_at" not in data
    for reader in ("auditor1", "process_owner1", "admin1"):
        data = queries.show_case(ctx, case, actor=reader)["data"]
        assert data["documents_check"]["missing"] == [] and "received_at" in data
    assert queries.case_view_for(ctx, case, "auditor1").technical
    assert not queries.case_view_for(ctx, case, "sales1").technical


def test_a_task_keeps_the_values_its_form_reads(ctx):
    """A form's conditions may read internal variables: the task's data still carries them for staff."""
    case = _worked_case(ctx)
    signoff = task(ctx, case, "customer_signoff")["id"]
    view = queries.case_view_for(ctx, case, "engineer1")
    form = {"components": [{"type": "textfield", "key": "x", "label": "x",
                            "conditional": {"hide": '=not(list contains(documents_check.missing, "ppt"))'}}]}
    data = view.task_data(queries.get_task(ctx, signoff)["data"], form)
    assert "documents_check" in data and "x" not in data and "received_at" not in data


def test_the_summary_and_the_decisions_come_from_the_marked_forms(ctx):
    deploy_marked(ctx)
    case = start(ctx)
    do(ctx, case, "confirm_request", {"accepted": "yes", "engineer": "engineer1", "comment": "尽快安排"})
    summary = {f["key"]: f for f in case_context.case_summary(ctx, case, "tech_director1", "zh")}
    assert [(summary[k]["label"], summary[k]["value"]) for k in SUMMARY] == [
        ("客户名称", "欧莱雅"), ("项目名称", "CITRIX安装"), ("支持类型", "non_project"), ("需要的准备", ["ppt"])]
    assert summary["support_kind"]["options"]["non_project"] == "非项目支持"
    assert "received_at" not in summary and "engineer" not in summary  # only the start form's marked fields
    decided = case_context.decisions(ctx, case, "engineer1", "zh")
    assert [d["kind"] for d in decided] == ["case_started", "task_completed"]
    assert {f["key"]: f["value"] for f in decided[1]["fields"]} == {
        "accepted": "yes", "engineer": "engineer1", "comment": "尽快安排"}
