"""Drive presales pursuits (presales_support) along their paths, step by step, through the use cases.

Every step is a real transaction (load, engine, save), so each path doubles as a save-and-reload test.
The demo organisation: sales1 and sales2 are in 销售一组 (sales_lead1), sales3 in 销售二组 (sales_lead2);
tech_director1 assigns engineer1, whose superior is tech_director1. The clock is the fixtures' frozen
clock (2026-09-30 11:00), so a report filed "now" is due 2026-10-01 11:00, reminded at 07:00.
"""

from __future__ import annotations

from typing import Any

from service.operations import cases, queries
from service.operations.context import AppContext
from tests.processes.walk import at, drive, mail_body, mails, open_elements, run_worker_at, task, upload

__all__ = ["PROCESS", "REQUEST", "advance_to", "at", "data", "do", "happy", "mail_body", "mails", "open_elements",
           "run_worker_at", "start", "task", "tasks_of", "walk_to_end"]

PROCESS = "presales_support"

REQUEST: dict[str, Any] = {
    "customer": "欧莱雅", "project": "总部信息化平台", "project_summary": "总部新建客户信息系统，覆盖全国门店",
    "customer_contact": "王经理 13800138000", "tender": "yes", "expected_decision_on": "2026-12-15",
}
REPORT = {"report_plan": "两小时方案交流", "report_goals": "让客户接受总体架构", "report_summary": "客户认可业务模型",
          "open_questions": "数据迁移方案待答复", "hours_spent": 6, "sales_report": "交流半天，客户认可总体架构"}


def happy(ctx: AppContext) -> dict[str, tuple[str, dict[str, Any]]]:
    """element id → (who completes it, the form data a person would give)."""
    return {
        "assign_engineer": ("tech_director1", {"engineer": "engineer1"}),
        "sales_background": ("sales1", {
            "customer_wants": "客户信息系统，统一会员", "technical_preferences": "Java，国产数据库",
            "decision_maker": "李总（信息部）", "decision_maker_integrity": "reliable", "relationship_depth": "deep",
            "competitors": "甲公司（关系一般）", "win_probability": 70,
            "customer_contacts": [{"contact_name": "李总", "contact_position": "信息部总监", "contact_phone": "139"}]}),
        "check_claims": ("engineer1", {
            "contacts_called": "yes", "call_notes": "李总热情，问了很多问题", "decision_maker_reached": "yes",
            "joint_visit": "done", "visit_notes": "客户安排了会议室和三位技术骨干", "customer_warmth": "warm",
            "sales_track_record": "strong", "assessed_win_probability": 75}),
        "technical_strategy": ("engineer1", {
            "business_model": "会员为中心的业务模型", "application_architecture": "三层架构，会员、营销、渠道子系统",
            "key_modules": "会员中心", "equipment_emphasised": "no", "technical_architecture": "双机热备"}),
        "integration_architecture": ("engineer3", {
            "system_architecture": "核心交换双链路，服务器集群", "equipment_list": "服务器 4 台，存储 1 套",
            "doc_equipment_quote": upload(ctx, "设备报价.xlsx", "设备报价")}),
        "action_strategy": ("engineer1", {
            "what_to_show": "业务模型和会员中心演示", "proposal_plan": "方案一次提交", "planned_exchange_count": 1,
            "planned_exchanges": [{"planned_goal": "认可总体架构", "planned_content": "胶片和演示"}]}),
        "plan_exchange": ("engineer1", {"exchange_goal": "让客户认可总体架构", "exchange_content": "业务模型、演示",
                                        "exchange_on": "2026-10-08", "customer_attendees": "李总、三位技术骨干"}),
        "hold_exchange": ("engineer1", {"exchange_outcome": "客户认可总体架构", "customer_reaction": "positive",
                                        "customer_questions": "数据迁移怎么做", "more_exchanges": "no"}),
        "internal_report": ("engineer1", dict(REPORT)),
        "confirm_hours": ("sales1", {"hours_confirmed": "yes"}),
        "research_checklist": ("engineer1", {
            "organisation_it_status": "总部信息部 20 人，门店用旧 POS", "target_scale": "全国 800 家门店，高可用",
            "business_processes": "会员注册、积分、营销活动", "platform_database": "Linux，国产数据库",
            "security_storage": "等保三级，数据本地存储", "software_development_view": "重视文档和测试",
            "hot_technologies": "微服务、大数据分析", "tender": "yes",
            "likely_evaluators": [{"evaluator_name": "李总", "evaluator_position": "信息部总监",
                                   "evaluator_interest": "稳定性"}]}),
        "receive_tender": ("sales1", {"doc_tender": upload(ctx, "招标书.pdf", "招标书"),
                                      "bid_deadline": "2026-10-20T09:00", "tenderer": "某招标代理"}),
        "split_tender": ("engineer1", {
            "commercial_requirements": "资质、业绩、报价", "technical_requirements": "会员系统功能和性能",
            "qualification_requirements": "系统集成一级资质", "unclear_points": "门店数量口径",
            "bid_strategy": "突出会员中心的行业经验"}),
        "form_bid_team": ("sales1", {
            "authorised_person": "张总（法人代表授权人）",
            "doc_power_of_attorney": upload(ctx, "法人授权书.pdf", "授权"),
            "bid_supervisor": "sales_lead1",
            "team_members": [{"member_name": "sales1", "member_part": "commercial", "member_duty": "商务标和报价"},
                             {"member_name": "engineer1", "member_part": "technical", "member_duty": "技术标"}],
            "bid_plan": [{"plan_item": "技术标", "plan_owner": "engineer1", "plan_due_on": "2026-10-15"},
                         {"plan_item": "商务标和报价", "plan_owner": "sales1", "plan_due_on": "2026-10-16"}],
            "first_checker": "sales2", "second_checker": "sales3", "internal_resources": "请财务出具资信证明",
            "confidential_circle": True}),
        "commercial_bid": ("sales1", {"doc_commercial_bid": upload(ctx, "商务标.docx", "商务标"),
                                      "commercial_in_order": True, "nothing_unasked": True,
                                      "group_shared_qualification": "no"}),
        "price_sheet": ("sales1", {"doc_price_sheet": upload(ctx, "报价单.pdf", "报价"), "bid_price_total": 980000,
                                   "spare_price_sheets": 2, "spare_seals": 4}),
        "technical_bid": ("engineer1", {"doc_technical_bid": upload(ctx, "技术标.docx", "技术标"),
                                        "technical_in_order": True,
                                        "doc_deviation_table": upload(ctx, "差异表.xlsx", "差异"),
                                        "deviation_note": "只列出对中标有利的差异"}),
        "check_bid_first": ("sales2", {"qualifications_checked_first": True, "seals_checked_first": True,
                                       "first_check_result": "pass"}),
        "check_bid_second": ("sales3", {"qualifications_checked_second": True, "seals_checked_second": True,
                                        "second_check_result": "pass"}),
        "fix_bid": ("sales1", {"doc_commercial_bid": upload(ctx, "商务标-修改.docx", "修改"),
                               "group_shared_qualification": "no", "fix_note": "补盖公章"}),
        "submit_bid": ("sales1", {"bid_submitted_at": "2026-10-20T08:30", "used_spare_price_sheet": "no"}),
        "present_bid": ("engineer1", {"presentation_on": "2026-10-21", "presenters": "engineer1",
                                      "doc_presentation_slides": upload(ctx, "讲标.pptx", "讲标"),
                                      "presentation_summary": "评委关注售后服务",
                                      "answered_questions": "售后响应时间"}),
        "bid_report": ("engineer1", {**REPORT, "hours_spent": 4, "sales_report": "讲标一小时，答疑半小时"}),
        "confirm_bid_hours": ("sales1", {"hours_confirmed": "yes"}),
        "bid_result": ("sales1", {"bid_awarded": "yes", "bid_result_note": "第一中标候选人"}),
        "negotiate_commercial": ("sales1", {"doc_commercial_contract": upload(ctx, "商务合同.docx", "合同"),
                                            "agreed_amount": 950000, "payment_terms": "3-6-1"}),
        "technical_agreement": ("engineer1", {"doc_technical_agreement": upload(ctx, "技术协议书.docx", "协议"),
                                              "agreed_scope": "会员中心、营销、渠道三个子系统"}),
        "record_outcome": ("sales1", {"outcome": "won", "amount": 950000, "contract_type": "sales_consulting",
                                      "importance": "important",
                                      "doc_improvement_proposal": upload(ctx, "企业管理改造项目建议书.docx",
                                                                         "建议书")}),
    }


def start(ctx: AppContext, actor: str = "sales1", **overrides: Any) -> int:
    return cases.start_case(ctx, process_id=PROCESS, actor=actor, data={**REQUEST, **overrides})


def data(ctx: AppContext, case: int) -> dict[str, Any]:
    return dict(queries.show_case(ctx, case)["data"])


def tasks_of(ctx: AppContext, user: str, case: int) -> list[str]:
    """The case's open tasks the user's inbox shows."""
    return sorted(t["element_id"] for t in queries.open_tasks(ctx, actor=user) if t["instance_id"] == case)


def do(ctx: AppContext, case: int, element: str, form: dict[str, Any] | None = None, actor: str | None = None,
       starter: str = "sales1", engineer: str = "engineer1") -> None:
    """Complete the open task of `element` with the happy data and `form` over it; the sales and engineer
    tasks of a case started by someone else, or assigned to another engineer, are done by them."""
    who, defaults = happy(ctx).get(element, ("", {}))
    if who == "sales1" and element not in ("check_bid_first", "check_bid_second"):
        who = starter
    elif who == "engineer1":
        who = engineer
    cases.complete_task(ctx, task_id=task(ctx, case, element)["id"], actor=actor or who,
                        data={**defaults, **(form or {})})


def advance_to(ctx: AppContext, case: int, target: str, overrides: dict[str, dict[str, Any]] | None = None,
               starter: str = "sales1", engineer: str = "engineer1") -> None:
    """Complete open tasks with the happy data (and `overrides` per element) until `target` is open."""
    drive(ctx, case, happy(ctx), lambda e: do(ctx, case, e, (overrides or {}).get(e), starter=starter,
                                              engineer=engineer), until=target)


def walk_to_end(ctx: AppContext, case: int, overrides: dict[str, dict[str, Any]] | None = None,
                starter: str = "sales1", engineer: str = "engineer1") -> list[str]:
    """The happy path to the end, with `overrides` per element; the elements completed, in order."""
    return drive(ctx, case, happy(ctx), lambda e: do(ctx, case, e, (overrides or {}).get(e), starter=starter,
                                                     engineer=engineer), what="the pursuit")
