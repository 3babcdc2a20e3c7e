"""One technical-support request on the happy path: the same steps for every benchmark."""

from __future__ import annotations

from typing import Any

APPLICATION = {"customer": "欧莱雅", "project": "CITRIX安装", "sales_name": "ZGH", "support_kind": "non_project",
               "request_origin": "customer", "preparation_required": ["ppt"], "notify_sales_on_leaving": True,
               "emergency": False, "estimated_person_days": 2, "preparation": "", "document_support": False,
               "document_contents": ""}


def steps(document: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(element id, who, form data); `document` is an upload reference for the doc_* fields."""
    return [
        ("confirm_request", "tech_director1", {"accepted": "yes", "engineer": "engineer1"}),
        ("engineer_assessment", "engineer1", {"assessment": "accept"}),
        ("communication", "engineer1", {"customer_situation": "现有环境", "customer_preparation": "服务器",
                                        "clear": "yes"}),
        ("planning_documents", "engineer1", {"doc_implementation_plan": document}),
        ("work", "engineer1", {"work_summary": "安装并测试", "person_days_spent": 2, "work_location": "onsite",
                               "time_kind": "normal", "difficulty": 2}),
        ("leave_site", "engineer1", {"completion_state": "完成", "leave_channel": "phone"}),
        ("customer_signoff", "customer1", {"doc_service_sheet": document, "signer": "王经理"}),
        ("completion_report", "engineer1", {"completion_summary": "已完成"}),
        ("sales_confirmation", "sales1", {"sales_confirmed": "yes"}),
        ("final_confirmation", "tech_director1", {"completion_confirmed": True}),
        ("review_workload", "tech_director1", {}),
        ("weekly_report", "tech_director1", {"doc_weekly_report": document, "weekly_report_person_days": 2}),
    ]
