"""Rule 6: which planning documents a request needs before the work starts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

DOCUMENT_LABELS = {
    "implementation_plan": "实施规划",
    "implementation_schedule": "实施计划",
    "project_proposal": "项目方案",
    "scope_statement": "项目范围说明书",
    "project_schedule": "项目进度计划",
    "project_management_plan": "项目管理计划",
}

# Non-project support: the implementation plan; the schedule only "where appropriate", so optional.
REQUIRED = {
    "non_project": ("implementation_plan",),
    "project": ("project_proposal", "implementation_plan", "scope_statement", "project_schedule",
                "project_management_plan"),
}


def required_documents(support_kind: str) -> tuple[str, ...]:
    if support_kind not in REQUIRED:
        raise ValueError(f"support_kind '{support_kind}' is neither 'project' nor 'non_project'")
    return REQUIRED[support_kind]


def missing_documents(support_kind: str, data: Mapping[str, Any], waived: Iterable[str] = ()) -> list[str]:
    """Required documents neither attached (`doc_<name>`) nor waived by the technical director."""
    waived_set = set(waived or ())
    return [name for name in required_documents(support_kind)
            if not str(data.get(f"doc_{name}") or "").strip() and name not in waived_set]
