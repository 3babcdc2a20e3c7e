"""Drive implementation projects (implementation_project) along their paths, step by step, through the use cases.

Every step is a real transaction (load, engine, save), so each path doubles as a save-and-reload test. The
demo organisation does the work: tech_director1 assigns project_manager1, who does every project-manager
task; customer1 is 欧莱雅's contact and signs for it; finance1 records the payments. The clock is the frozen
clock of the fixtures (2026-09-30 11:00).
"""

from __future__ import annotations

from typing import Any

from service.operations import cases, queries
from service.operations.context import AppContext
from tests.processes.walk import at, drive, mails, open_elements, run_worker_at, task, upload

__all__ = ["PM", "PROCESS", "PROJECT", "advance_to", "at", "data", "do", "happy", "mails", "open_elements",
           "run_worker_at", "start", "task", "tasks_of", "walk_to_end"]

PROCESS = "implementation_project"
PM = "project_manager1"

PROJECT: dict[str, Any] = {
    "customer": "欧莱雅", "project": "总部CRM实施", "contract_no": "XS-2026-0001", "contract_type": "sales_consulting",
    "amount": 300000, "address": "上海市徐汇区", "contact": "王经理 13800138000",
}


def _kickoff_preparation() -> dict[str, Any]:
    return {"prep_meeting_on": "2026-10-09", "kickoff_on": "2026-10-12", "kickoff_place": "欧莱雅总部三楼会议室",
            "kickoff_executive": "欧莱雅中国区总裁", "kickoff_agenda": "总裁讲话；双方团队介绍；工作制度"}


def _kickoff(ctx: AppContext) -> dict[str, Any]:
    return {"executive_led": True, "teams_introduced": True, "kickoff_held_on": "2026-10-12",
            "kickoff_attendees": "欧莱雅总裁、信息部、各业务部门；我方项目组",
            "doc_kickoff_minutes": upload(ctx, "启动大会纪要.docx", "纪要")}


def happy(ctx: AppContext) -> dict[str, tuple[str, dict[str, Any]]]:
    """element id → (who completes it, the form data a person would give)."""
    return {
        "assign_project_manager": ("tech_director1", {"project_manager": PM, "assignment_note": "熟悉CRM"}),
        "requirements_work_plan": (PM, {"work_plan_summary": "两周需求调研，三个业务部门",
                                        "customer_key_people": "总裁；信息部李经理；销售部关键用户",
                                        "doc_requirements_work_plan": upload(ctx, "需求工作计划.docx", "计划")}),
        "kickoff_facts": (PM, {}),
        "prepare_kickoff": (PM, _kickoff_preparation()),
        "hold_kickoff": (PM, _kickoff(ctx)),
        "prepare_late_kickoff": (PM, _kickoff_preparation()),
        "hold_late_kickoff": (PM, _kickoff(ctx)),
        "prepare_research": (PM, {"research_plan_confirmed": True,
                                  "doc_research_plan": upload(ctx, "调研计划.docx", "调研计划"),
                                  "background_materials": "组织结构、现有系统、业务表单"}),
        "research_on_site": (PM, {"research_log": [
            {"log_date": "2026-10-13", "work_process": "上午销售部，下午客服部", "content": "客户档案、订单流程",
             "open_points": "退货流程待确认：10-15 再访"}], "research_days": 3, "customer_acknowledged": True}),
        "research_follow_up": (PM, {"doc_research_report": upload(ctx, "业务调研报告.docx", "调研报告"),
                                    "product_configuration": "CRM 标准版 + 移动端",
                                    "solution_outline": "客户档案统一"}),
        "business_analysis_meeting": (PM, {"analysis_held_on": "2026-10-16", "analysis_participants": "双方项目组",
                                           "analysis_conclusions": "订单与客服流程合并"}),
        "analyse_requirements": (PM, {"requirements": [
            {"requirement": "订单审批", "requirement_kind": "planning_gap", "disposition": "solve",
             "handling": "本期配置审批流"},
            {"requirement": "报表太慢", "requirement_kind": "quality_issue", "disposition": "workaround",
             "handling": "夜间预计算"},
            {"requirement": "接入微信", "requirement_kind": "new_idea", "disposition": "decline",
             "handling": "属于其他系统，另立项目"}],
            "requirements_summary": "三类需求已分清", "doc_requirements": upload(ctx, "需求说明书.docx", "需求")}),
        "write_solution": (PM, {"solution_goals": "客户档案统一", "solution_strategy": "先总部后分公司",
                                "solution_actions": "配置、导入、培训", "solution_capability": "顾问2人",
                                "solution_verification": "订单全流程跑通",
                                "doc_solution": upload(ctx, "实施方案.docx", "方案"),
                                "doc_plan": upload(ctx, "实施计划.xlsx", "计划"),
                                "plan_communicated_with": "信息部李经理"}),
        "agree_solution": ("customer1", {"solution_agreed": "yes"}),
        "plan_visit": (PM, {"visit_goals": "完成订单流程配置", "visit_actions": "配置订单流程\n导入客户档案",
                            "visit_from": "2026-10-19", "communicated_with": "信息部李经理，邮件"}),
        "write_memo": (PM, {"work_done": "订单流程已配置", "results": "订单可下达",
                            "agreed_items": [{"item": "顾客提供历史订单数据", "party": "customer", "due": "10-23"}],
                            "doc_memo": upload(ctx, "备忘录.docx", "备忘录"), "more_site_work": "no"}),
        "confirm_memo": ("customer1", {"memo_confirmed": True,
                                       "doc_signed_memo": upload(ctx, "备忘录-签字.pdf", "签字"),
                                       "changes_to_submit": "no"}),
        "submit_change": ("customer1", {"change_title": "订单增加审批级别",
                                        "change_description": "订单超过10万需总监审批",
                                        "consolidated_by": "信息部李经理", "consolidated": True,
                                        "internal_agreement": True,
                                        "doc_change_request": upload(ctx, "变更申请.docx", "变更"),
                                        "more_changes": "no"}),
        "review_change": (PM, {"records_checked": True, "change_kind": "change", "contradicts_memo": "no",
                               "root_purpose": "大额订单风险控制"}),
        "handle_dissatisfaction": (PM, {"dissatisfaction_handling": "调整界面布局", "customer_informed": True}),
        "assess_impact": (PM, {"cost_impact": 20000, "schedule_impact_days": 5, "impact_summary": "增加配置和测试",
                               "doc_impact_assessment": upload(ctx, "变更影响评估.docx", "评估")}),
        "resign_memo": ("customer1", {"memo_resigned": True,
                                      "doc_resigned_memo": upload(ctx, "重新签字.pdf", "重签")}),
        "sign_change": ("customer1", {"change_signed": "sign",
                                      "doc_signed_change": upload(ctx, "变更确认.pdf", "确认")}),
        "plan_training": (PM, {"key_users": "销售部张三、客服部李四", "training_goals": "独立完成订单录入",
                               "training_schedule": "10-26 上午 订单；下午 客服", "training_content": "订单、客服",
                               "trainers": "顾问王五", "training_place": "欧莱雅培训室", "sign_in_method": "纸质签到表",
                               "exam_method": "按实际订单出上机考题", "plan_confirmed_by_customer": True,
                               "carried_arrangement": "历史订单数据在培训前导入"}),
        "hold_training": (PM, {"doc_sign_in_sheet": upload(ctx, "签到表.pdf", "签到"),
                               "exam_results": [{"trainee": "张三", "score": 92, "passed": True}],
                               "doc_exam_results": upload(ctx, "考核成绩.xlsx", "成绩"),
                               "doc_trainee_feedback": [upload(ctx, "学员反馈表.pdf", "反馈")],
                               "results_fed_back": True}),
        "signoff_functions": ("customer1", {"verified_flows": "订单—发货—回款", "functions_signed_off": "yes",
                                            "doc_function_signoff": upload(ctx, "功能认可.pdf", "认可")}),
        "check_rollout_readiness": (PM, {"stability_ok": "yes", "manuals_ready": "yes",
                                         "doc_operation_manuals": [upload(ctx, "业务操作手册.docx", "手册")],
                                         "resources_committed": "yes", "customer_rollout_team": "张三、李四"}),
        "fix_rollout_gaps": (PM, {"fix_actions": "补齐后重新检查"}),
        "rollout": (PM, {"rollout_scope": "销售部、客服部", "rollout_result": "两部门上线",
                         "doc_rollout_report": upload(ctx, "推广报告.docx", "推广")}),
        "prepare_acceptance": (PM, {"acceptance_scope": "订单、客服上线运行",
                                    "doc_acceptance_report": upload(ctx, "验收报告.docx", "验收")}),
        "sign_acceptance": ("customer1", {"acceptance_signed": "yes",
                                          "doc_signed_acceptance": upload(ctx, "验收单-签字.pdf", "签字")}),
        "closing_meeting": (PM, {"closing_held_on": "2026-11-20", "closing_participants": "双方项目组、欧莱雅总裁",
                                 "closing_summary": "按计划上线",
                                 "doc_closing_minutes": upload(ctx, "结项纪要.docx", "结项")}),
        "record_payment": ("finance1", {"payment_amount": 300000, "received_on": "2026-11-25",
                                        "doc_payment_voucher": upload(ctx, "回款凭证.pdf", "凭证")}),
    }


def start(ctx: AppContext, actor: str = "sales1", **overrides: Any) -> int:
    return cases.start_case(ctx, process_id=PROCESS, actor=actor, data={**PROJECT, **overrides})


def data(ctx: AppContext, case: int) -> dict[str, Any]:
    return dict(queries.show_case(ctx, case)["data"])


def tasks_of(ctx: AppContext, user: str, case: int) -> list[str]:
    """The elements of this case open in `user`'s inbox."""
    return [t["element_id"] for t in queries.open_tasks(ctx, actor=user) if t["instance_id"] == case]


def do(ctx: AppContext, case: int, element: str, form: dict[str, Any] | None = None, actor: str | None = None,
       replace: bool = False) -> None:
    """Complete the open task of `element`: the happy data with `form` over it (or only `form`)."""
    who, defaults = happy(ctx).get(element, ("", {}))
    submitted = dict(form or {}) if replace else {**defaults, **(form or {})}
    cases.complete_task(ctx, task_id=task(ctx, case, element)["id"], actor=actor or who, data=submitted)


def advance_to(ctx: AppContext, case: int, target: str,
               overrides: dict[str, dict[str, Any]] | None = None) -> list[str]:
    """Complete open tasks with the happy data (and `overrides` per element) until `target` is open; the
    elements completed on the way, in order."""
    return drive(ctx, case, happy(ctx), lambda e: do(ctx, case, e, (overrides or {}).get(e)), until=target, limit=80)


def walk_to_end(ctx: AppContext, case: int, overrides: dict[str, dict[str, Any]] | None = None) -> list[str]:
    """The happy path to the end, with `overrides` per element; the elements completed, in order."""
    return drive(ctx, case, happy(ctx), lambda e: do(ctx, case, e, (overrides or {}).get(e)), limit=80,
                 what="the project")
