"""Drive contract approvals (contract_approval) along their paths, step by step, through the use cases.

Every step is a real transaction (load, engine, save), so each path doubles as a save-and-reload test.
The demo organisation decides who approves: sales1's group leader is sales_lead1, the regional
director sales_director1, the company director sales_director2; 技术部 is led by tech_director1.
"""

from __future__ import annotations

from typing import Any

from service.operations import cases, queries
from service.operations.context import AppContext
from tests.processes.walk import drive, open_elements, task, upload

PROCESS = "contract_approval"
LEVEL_TASKS = ("approve_sales_lead", "approve_regional_director", "approve_tech_director", "approve_finance",
               "approve_company_director")


def request(ctx: AppContext, **overrides: Any) -> dict[str, Any]:
    return {
        "customer": "欧莱雅", "project": "总部投影系统", "contract_type": "sales_consulting", "importance": "normal",
        "amount": 150000, "customer_record": "客户资料已收集并清理：总部信息部", "follow_up": "三次拜访，技术交流两次",
        "doc_improvement_proposal": upload(ctx, "企业管理改造项目建议书.docx", "建议书"),
        "doc_contract_draft": upload(ctx, "销售和咨询服务合同草稿.docx", "草稿"),
        "address": "上海市徐汇区", "contact": "王经理 13800138000",
        "product_lines": [{"serial_no": "XS-PJ-0001", "model": "PJ-5084", "name": "工程投影机", "kind": "whole_unit",
                           "ex_factory_on": "2026-08-01"}],
        "service_until": "2029-09-30", "warranty_extension_years": 1, **overrides}


def happy(ctx: AppContext) -> dict[str, tuple[str, dict[str, Any]]]:
    approve = {"approval_decision": "approve", "approval_opinion": "同意"}
    return {
        "review_secondary_sale": ("management1", {"original_fulfilled": "yes", "original_paid": "yes",
                                                  "review_result": "pass", "review_opinion": "原合同已履行并回款"}),
        "approve_sales_lead": ("sales_lead1", approve),
        "approve_regional_director": ("sales_director1", approve),
        "approve_tech_director": ("tech_director1", approve),
        "approve_finance": ("finance1", approve),
        "approve_company_director": ("sales_director2", approve),
        "revise_contract": ("sales1", {"amount": 150000, "importance": "normal", "revision_note": "按意见调整付款条款",
                                       "doc_contract_draft": upload(ctx, "合同草稿-修改.docx", "修改稿")}),
        "sign_contract": ("sales1", {"signed_on": "2026-10-09", "customer_signatory": "王经理",
                                     "doc_signed_contract": upload(ctx, "签字合同.pdf", "签字")}),
        "seal_contract": ("management1", {"seal_kind": "contract_seal", "sealed_copies": 2,
                                          "doc_sealed_contract": upload(ctx, "盖章合同.pdf", "盖章")}),
        "archive_contract": ("management1", {"archive_no": "DA-2026-001", "archive_location": "档案室A柜"}),
    }


def start(ctx: AppContext, actor: str = "sales1", **overrides: Any) -> int:
    return cases.start_case(ctx, process_id=PROCESS, actor=actor, data=request(ctx, **overrides))


def data(ctx: AppContext, case: int) -> dict[str, Any]:
    return dict(queries.show_case(ctx, case)["data"])


def do(ctx: AppContext, case: int, element: str, form: dict[str, Any] | None = None, actor: str | None = None) -> None:
    who, defaults = happy(ctx).get(element, ("", {}))
    cases.complete_task(ctx, task_id=task(ctx, case, element)["id"], actor=actor or who,
                        data={**defaults, **(form or {})})


def approve_all(ctx: AppContext, case: int) -> list[str]:
    """Every approval level that opens, approved by its holder; the levels in the order they opened."""
    seen = []
    for _ in range(10):
        now_open = [e for e in open_elements(ctx, case) if e in LEVEL_TASKS or e == "review_secondary_sale"]
        if not now_open:
            return seen
        seen.append(now_open[0])
        do(ctx, case, now_open[0])
    raise AssertionError("the approval never ended")


def walk_to_end(ctx: AppContext, case: int) -> None:
    drive(ctx, case, happy(ctx), lambda e: do(ctx, case, e), limit=20, what="the contract")
