"""The roles of PROCEDURES.md: lane names in diagrams map onto these ids.

Kept as data so a lane named either `sales` or `销售` resolves to the same
role, and an unknown lane is caught at deploy instead of at run time.
"""

from __future__ import annotations

ROLES: dict[str, tuple[str, str]] = {
    "sales": ("销售", "Sales"),
    "sales_lead": ("销售组长", "Sales group leader"),
    "sales_director": ("销售总监", "Sales director"),
    "tech_director": ("技术总监", "Technical director"),
    "engineer": ("工程师", "Engineer"),
    "project_manager": ("项目经理", "Project manager"),
    "management": ("管理部", "Management office (GXM)"),
    "service_desk": ("售后服务部", "Service desk"),
    "finance": ("财务", "Finance"),
    "customer": ("顾客", "Customer"),
    "process_owner": ("流程负责人", "Process owner"),
    "auditor": ("审计", "Auditor"),
    "admin": ("系统管理员", "Administrator"),
}

_BY_CHINESE = {zh: role_id for role_id, (zh, _en) in ROLES.items()}


def role_for_lane(lane_name: str | None) -> str | None:
    """The role id a lane stands for, or None when the name is unknown."""
    if not lane_name:
        return None
    name = lane_name.strip()
    if name in ROLES:
        return name
    return _BY_CHINESE.get(name)


def role_label(role_id: str, language: str = "zh") -> str:
    zh, en = ROLES.get(role_id, (role_id, role_id))
    return zh if language == "zh" else en
