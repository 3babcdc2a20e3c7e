"""Helpers to drive a technical-support case through the use cases."""

from __future__ import annotations

from typing import Any

from service.operations import cases, queries
from service.operations.context import AppContext

APPLICATION = {
    "customer": "欧莱雅",
    "project": "CITRIX安装",
    "sales_name": "ZGH",
    "support_kind": "non_project",
    "preparation": "PPT 与实施方案",
    "document_contents": "一、背景 二、方案",
}


def start_case(ctx: AppContext, **overrides: Any) -> int:
    return cases.start_case(ctx, process_id="technical_support", actor="sales1",
                            data={**APPLICATION, **overrides})


def only_task(ctx: AppContext, instance_id: int, element_id: str) -> dict[str, Any]:
    open_now = queries.open_tasks(ctx, instance_id=instance_id)
    assert [t["element_id"] for t in open_now] == [element_id], open_now
    return open_now[0]


def complete(ctx: AppContext, instance_id: int, element_id: str, actor: str, data: dict[str, Any]) -> dict:
    task = only_task(ctx, instance_id, element_id)
    return cases.complete_task(ctx, task_id=task["id"], actor=actor, data=data)


def walk_to_sales_confirmation(ctx: AppContext, instance_id: int) -> None:
    complete(ctx, instance_id, "confirm_request", "tech_director1", {"accepted": "yes", "engineer": "engineer1"})
    complete(ctx, instance_id, "engineer_work", "engineer1", {"work_summary": "安装 CITRIX 并测试", "person_days": 2})
    complete(ctx, instance_id, "customer_signoff", "customer1", {"service_sheet_signed": True, "signer": "王经理"})
