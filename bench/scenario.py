"""One technical-support case on the happy path: the same steps for every benchmark."""

from __future__ import annotations

APPLICATION = {"customer": "欧莱雅", "project": "CITRIX安装", "sales_name": "ZGH", "support_kind": "project"}

STEPS = [
    ("confirm_request", "tech_director1", {"accepted": "yes", "engineer": "engineer1"}),
    ("engineer_work", "engineer1", {"work_summary": "安装并测试", "person_days": 1.5}),
    ("customer_signoff", "customer1", {"service_sheet_signed": True, "signer": "王经理"}),
    ("sales_confirmation", "sales1", {"sales_confirmed": "yes"}),
    ("final_confirmation", "tech_director1", {"completion_confirmed": True}),
]
