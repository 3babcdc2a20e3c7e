"""Drive dispatch orders (after_sales_service) along their paths, step by step, through the use cases.

Every step is a real transaction: the case is loaded, advanced by the engine and saved again, so each
path doubles as a save-and-reload test. The clock is the frozen clock of the fixtures (2026-09-30 11:00).
"""

from __future__ import annotations

from typing import Any

from service.operations import cases, queries
from service.operations.context import AppContext
from tests.processes.walk import at, drive, mails, open_elements, run_worker_at, task, upload

__all__ = ["ORDER", "advance_to", "at", "data", "do", "mails", "open_elements", "run_worker_at", "start", "task",
           "walk_to_close"]

PROCESS = "after_sales_service"

ORDER: dict[str, Any] = {
    "contract_no": "HT-2026-001", "project": "总部投影系统", "customer": "欧莱雅", "address": "上海市徐汇区",
    "contact": "王经理 13800138000", "region_path": "华东区/上海", "task_type": "repair", "task_type_name": "故障维修",
    "serial_no": "2BY.5084.1044.1", "product_model": "PJ-5084", "product_name": "工程投影机",
    "part_kind": "whole_unit", "first_use_on": "2026-03-01", "ex_factory_on": "2026-01-15",
    "warranty_extension_years": 0, "warranty_claimed": True, "fault_kind": "hardware",
    "request_description": "投影机开机无显示", "requested_at": None,
}


def happy(ctx: AppContext) -> dict[str, tuple[str, dict[str, Any]]]:
    """element id → (who completes it, the form data a person would give)."""
    return {
        "review_order": ("service_desk2", {"review_action": "confirm"}),
        "dispatch": ("service_desk2", {"engineer": "engineer1"}),
        "arrive_on_site": ("engineer1", {"arrival_note": "已到现场"}),
        "diagnose": ("engineer1", {"fault_reason": "manufacturing_defect", "fault_code": "NO-DISPLAY",
                                   "diagnosis": "主板电源模块损坏"}),
        "confirm_warranty": ("engineer1", {"warranty_decision": "covered"}),
        "service_work": ("engineer1", {"service_content": "更换电源模块", "handling_report": "更换后开机正常",
                                       "repaired": True, "labour_hours": 2}),
        "replace_unit": ("service_desk2", {"replacement_serial_no": "2BY.5084.2000.9"}),
        "provide_spare_unit": ("service_desk2", {"spare_serial_no": "SPARE-001"}),
        "deliver_owed_part": ("service_desk2", {"delivered_on": "2026-10-08"}),
        "customer_signoff": ("customer1", {"doc_service_report": upload(ctx, "服务报告.pdf", "已签字"),
                                           "signed_by": "王经理"}),
        "return_visit": ("service_desk2", {"visit_channel": "phone", "visit_contact": "王经理",
                                           **{k: "satisfied" for k in ("visit_response", "visit_attitude",
                                                                       "visit_quality", "visit_conduct",
                                                                       "visit_fees", "visit_overall")}}),
        "follow_up": ("service_desk1", {"follow_up_result": "已致电道歉并安排复查"}),
    }


def start(ctx: AppContext, actor: str = "service_desk2", **overrides: Any) -> int:
    return cases.start_case(ctx, process_id=PROCESS, actor=actor, data={**ORDER, **overrides})


def data(ctx: AppContext, case: int) -> dict[str, Any]:
    return dict(queries.show_case(ctx, case)["data"])


def do(ctx: AppContext, case: int, element: str, form: dict[str, Any] | None = None, actor: str | None = None,
       replace: bool = False) -> None:
    """Complete the open task of `element`: the happy data with `form` over it (or only `form`)."""
    who, defaults = happy(ctx).get(element, ("", {}))
    submitted = dict(form or {}) if replace else {**defaults, **(form or {})}
    cases.complete_task(ctx, task_id=task(ctx, case, element)["id"], actor=actor or who, data=submitted)


def advance_to(ctx: AppContext, case: int, target: str, overrides: dict[str, dict[str, Any]] | None = None) -> None:
    """Complete open tasks with the happy data (and `overrides` per element) until `target` is open."""
    drive(ctx, case, happy(ctx), lambda e: do(ctx, case, e, (overrides or {}).get(e)), until=target, limit=40)


def walk_to_close(ctx: AppContext, case: int, overrides: dict[str, dict[str, Any]] | None = None) -> None:
    """The happy path to the end, with `overrides` per element."""
    drive(ctx, case, happy(ctx), lambda e: do(ctx, case, e, (overrides or {}).get(e)), limit=40, what="the order")
