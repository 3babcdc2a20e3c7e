"""Message catalogue: the step-through page of a case (回放) and its frames."""

from __future__ import annotations

ZH: dict[str, str] = {
    "replay_pages.not_allowed": "{user} 不能回放案例 #{case}：回放显示每一步的全部字段，只有审计员、系统管理员和流程负责人可以查看",
}

EN: dict[str, str] = {
    "replay_pages.not_allowed": "{user} may not replay case #{case}: the replay shows every field at every step, "
                                "so only auditors, administrators and process owners may see it",
}
