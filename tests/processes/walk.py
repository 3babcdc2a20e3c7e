"""Drive technical-support cases along their paths, step by step, through the use cases.

Every step is a real transaction: the case is loaded from the database,
advanced by the engine and saved again, so each path doubles as a
save-and-reload test.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from service.adapters.archive_store import DocumentStore
from service.operations import background, cases, inbox, queries
from service.operations.context import AppContext
from tests.conftest import SHANGHAI

APPLICATION = {
    "customer": "欧莱雅", "project": "CITRIX安装", "sales_name": "ZGH", "support_kind": "non_project",
    "request_origin": "customer", "request_description": "安装 CITRIX 并接入现有域",
    "preparation_required": ["ppt"], "preparation": "准备PPT和实施规划",
    "document_support": True, "document_contents": "一、背景 二、方案",
    "notify_sales_on_leaving": True, "emergency": False, "estimated_person_days": 2,
}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def upload(ctx: AppContext, name: str, content: str = "内容") -> str:
    return DocumentStore(ctx.settings.home).store_upload(content.encode("utf-8"), name).reference


def happy_defaults(ctx: AppContext, instance_id: int | None = None) -> dict[str, tuple[str, dict[str, Any]]]:
    """element id → (who completes it, the form data a person would give to this case)."""
    project = instance_id is not None and queries.show_case(ctx, instance_id)["data"].get("support_kind") == "project"
    return {
        "confirm_request": ("tech_director1", {"accepted": "yes", "engineer": "engineer1"}),
        "confirm_emergency": ("tech_director1", {"emergency_accepted": "yes", "channel": "phone",
                                                 "engineer": "engineer1"}),
        "engineer_assessment": ("engineer1", {"assessment": "accept"}),
        "communication": ("engineer1", {"customer_situation": "客户现有 CITRIX 6.5",
                                        "customer_preparation": "准备服务器", "clear": "yes",
                                        **({"project_manager": "project_manager1"} if project else {})}),
        "pm_communication": ("project_manager1", {"pm_notes": "注意项目里程碑"}),
        "planning_documents": ("engineer1", {"doc_implementation_plan": upload(ctx, "实施规划.docx"),
                                             "estimated_person_days": 2}),
        "work": ("engineer1", {"work_summary": "安装并测试", "person_days_spent": 2, "work_location": "onsite",
                               "time_kind": "normal", "difficulty": 2}),
        "leave_site": ("engineer1", {"completion_state": "已完成安装", "leave_channel": "phone"}),
        "customer_signoff": ("customer1", {"doc_service_sheet": upload(ctx, "技术支持服务单.pdf", "已签字"),
                                           "signer": "王经理"}),
        "completion_report": ("engineer1", {"completion_summary": "已完成，客户已签字"}),
        "sales_confirmation": ("sales1", {"sales_confirmed": "yes"}),
        "final_confirmation": ("tech_director1", {"completion_confirmed": True}),
        "review_workload": ("tech_director1", {}),
        "weekly_report": ("tech_director1", {"doc_weekly_report": upload(ctx, "技术周报.xlsx", "周报"),
                                             "weekly_report_person_days": 2.5}),
    }


def start(ctx: AppContext, **overrides: Any) -> int:
    return cases.start_case(ctx, process_id="technical_support", actor="sales1", data={**APPLICATION, **overrides})


def open_elements(ctx: AppContext, instance_id: int) -> list[str]:
    return sorted(t["element_id"] for t in queries.open_tasks(ctx, instance_id=instance_id))


def task(ctx: AppContext, instance_id: int, element_id: str) -> dict[str, Any]:
    found = [t for t in queries.open_tasks(ctx, instance_id=instance_id) if t["element_id"] == element_id]
    assert found, f"{element_id} is not open; open: {open_elements(ctx, instance_id)}"
    return found[0]


def do(ctx: AppContext, instance_id: int, element_id: str, data: dict[str, Any] | None = None,
       actor: str | None = None) -> None:
    defaults = happy_defaults(ctx, instance_id).get(element_id, ("", {}))
    cases.complete_task(ctx, task_id=task(ctx, instance_id, element_id)["id"], actor=actor or defaults[0],
                        data={**defaults[1], **(data or {})})


def advance_to(ctx: AppContext, instance_id: int, target: str, overrides: dict[str, dict] | None = None) -> None:
    """Complete open tasks with happy-path data until `target` is open."""
    drive(ctx, instance_id, happy_defaults(ctx), lambda e: do(ctx, instance_id, e, (overrides or {}).get(e)),
          until=target, limit=40)


def mails(ctx: AppContext, instance_id: int) -> list[dict[str, Any]]:
    """The mails the procedure prescribes (not the notices telling people of their tasks)."""
    return [m for m in queries.show_case(ctx, instance_id)["mails"] if m["kind"] == "procedure"]


def notices(ctx: AppContext, instance_id: int) -> list[dict[str, Any]]:
    return [m for m in queries.show_case(ctx, instance_id)["mails"] if m["kind"] == "notice"]


def run_worker_at(ctx: AppContext, clock: Any, when: str) -> background.WorkReport:
    clock.set(at(when))
    return background.run_once(ctx)


def mail_body(ctx: AppContext, instance_id: int, subject: str) -> str:
    """The body of the case's last mail with this subject, as its readers receive it."""
    bodies = [m["body"] for m in inbox.case_mails(ctx, [instance_id]) if m["subject"] == subject]
    assert bodies, f"no mail '{subject}' in case {instance_id}"
    return str(bodies[-1])


def drive(ctx: AppContext, instance_id: int, known: Mapping[str, Any], step: Callable[[str], None], *,
          until: str | None = None, limit: int = 60, what: str = "the case") -> list[str]:
    """Complete the case's open tasks that `known` names, one at a time with `step(element)`, until
    `until` is open (or, without it, until nothing is open); the elements completed, in order."""
    done: list[str] = []
    for _ in range(limit):
        open_now = open_elements(ctx, instance_id)
        if (until is not None and until in open_now) or (until is None and not open_now):
            return done
        element = next((e for e in open_now if e in known), None)
        assert element, f"stuck before {until or 'the end'}; open: {open_now}"
        step(element)
        done.append(element)
    raise AssertionError(f"{until} never opened" if until else f"{what} never ended")
