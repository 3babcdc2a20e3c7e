"""Shortcuts for integration tests that need a technical-support case at some step."""

from __future__ import annotations

from typing import Any

from service.operations import cases, queries
from service.operations.context import AppContext
from tests.processes import walk as paths

APPLICATION = paths.APPLICATION


def start_case(ctx: AppContext, **overrides: Any) -> int:
    return paths.start(ctx, **overrides)


def only_task(ctx: AppContext, instance_id: int, element_id: str) -> dict[str, Any]:
    open_now = queries.open_tasks(ctx, instance_id=instance_id)
    assert [t["element_id"] for t in open_now] == [element_id], open_now
    return open_now[0]


def complete(ctx: AppContext, instance_id: int, element_id: str, actor: str, data: dict[str, Any]) -> dict:
    task = only_task(ctx, instance_id, element_id)
    return cases.complete_task(ctx, task_id=task["id"], actor=actor, data=data)


def walk_to_sales_confirmation(ctx: AppContext, instance_id: int) -> None:
    paths.advance_to(ctx, instance_id, "sales_confirmation")
