"""Message catalogue: the auditors' search of every case's history. Every code in ZH has a sentence in EN."""

from __future__ import annotations

ZH: dict[str, str] = {
    "audit_search.refused": "审计查询条件有误：{fields}",
    "audit_search.forbidden": "{user} 不能检索审计记录：只有审计员和管理员可以",
    "audit_search.field": "{value} 不是字段名（字母、数字和 _，不以数字开头）",
    "audit_search.case": "{value} 不是案例编号（应为正整数）",
    "audit_search.flag": "{value} 应为 1 或 0",
    "audit_search.format_refused": "下载格式无效",
    "audit_search.format": "格式 {value} 无效：应为 json 或 xlsx",
}

EN: dict[str, str] = {
    "audit_search.refused": "the audit search was refused: {fields}",
    "audit_search.forbidden": "{user} may not search the audit history: only auditors and administrators",
    "audit_search.field": "{value} is not a field name (letters, digits and _, not starting with a digit)",
    "audit_search.case": "{value} is not a case number (a positive whole number)",
    "audit_search.flag": "{value} must be 1 or 0",
    "audit_search.format_refused": "download format refused",
    "audit_search.format": "format {value} refused: json or xlsx",
}
