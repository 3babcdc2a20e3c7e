"""Message catalogue: the processes pages (who may read or change procedures in the browser). Every code in ZH
has a sentence in EN."""

from __future__ import annotations

ZH: dict[str, str] = {
    "process_pages.not_found": "流程 {process_id} 不存在，也没有草稿",
    "process_pages.read_forbidden": "{user} 不能查看流程定义：只有流程负责人、审计和管理员可以",
    "process_pages.edit_forbidden": "{user} 不能修改流程：只有流程负责人可以（审计和管理员请查看流程详情页）",
    "process_pages.version_unknown": "流程 {process_id} 没有版本 {version}",
}

EN: dict[str, str] = {
    "process_pages.not_found": "process {process_id} does not exist and has no draft",
    "process_pages.read_forbidden": "{user} may not read process definitions: only process owners, auditors and "
                                    "administrators may",
    "process_pages.edit_forbidden": "{user} may not change processes: only process owners may (auditors and "
                                    "administrators use the process's detail page)",
    "process_pages.version_unknown": "process {process_id} has no version {version}",
}
