"""Message catalogue: comparing versions of a process and moving running cases to another version. Every code
in ZH has a sentence in EN."""

from __future__ import annotations

ZH: dict[str, str] = {
    "versions.read_forbidden": "{user} 不能查看流程版本：只有流程负责人、审计和管理员可以",
    "versions.unknown": "流程 {process} 没有版本 {version}",
    "versions.query_refused": "请求参数有误：请改正标出的参数",
    "versions.version_format": "版本须为正整数",
    "migration.forbidden": "{user} 不能迁移案例：只有流程负责人可以",
    "migration.request_refused": "未迁移任何案例：请改正标出的字段",
    "migration.instance_ids": "须为案例编号的列表，或者 {all}（所有在其他版本上进行中的案例）",
    "migration.other_process": "案例 #{case} 不属于流程 {process}",
    "migration.not_running": "案例 #{case} 已不在进行中（{status}），不能迁移",
    "migration.already_there": "案例 #{case} 已在版本 {version}",
    "migration.element_removed": "案例正停在「{name}」（{element}），版本 {version} 中已没有这一步",
    "migration.type_changed": "「{name}」（{element}）在版本 {version} 中改了类型（{old} → {new}），进行中的这一步无法对应",
    "migration.subprocess_removed": "案例正在子流程「{name}」（{element}）中，版本 {version} 中已没有这个子流程",
    "migration.called_process_changed": "案例正在「{name}」（{element}）调用的流程中，版本 {version} 改为调用另一个流程（{old} → {new}）",
    "migration.form_incompatible": "「{name}」（{element}）的表单在版本 {version} 中新增了没有默认值的必填字段：{fields}；正在办理的人没被要求填写",
    "migration.can_migrate": "可以迁移",
    "migration.engine_failed": "流程引擎无法把案例迁移到版本 {version}：{cause}",
}

EN: dict[str, str] = {
    "versions.read_forbidden": "{user} may not read process versions: only process owners, auditors and administrators may",
    "versions.unknown": "process {process} has no version {version}",
    "versions.query_refused": "the request's parameters are wrong: correct the marked ones",
    "versions.version_format": "the version must be a positive whole number",
    "migration.forbidden": "{user} may not migrate cases: only process owners may",
    "migration.request_refused": "no case was migrated: correct the marked fields",
    "migration.instance_ids": "must be a list of case numbers, or {all} (every running case on another version)",
    "migration.other_process": "case #{case} is not a case of the process {process}",
    "migration.not_running": "case #{case} is no longer running ({status}) and cannot be migrated",
    "migration.already_there": "case #{case} is already on version {version}",
    "migration.element_removed": "the case is waiting at “{name}” ({element}), which version {version} no longer has",
    "migration.type_changed": "“{name}” ({element}) has another type in version {version} ({old} → {new}): the waiting step has no counterpart",
    "migration.subprocess_removed": "the case is inside the subprocess “{name}” ({element}), which version {version} no longer has",
    "migration.called_process_changed": "the case is inside the process called by “{name}” ({element}); version {version} calls another process ({old} → {new})",
    "migration.form_incompatible": "the form of “{name}” ({element}) in version {version} adds required fields without a default: {fields}; whoever holds the task was never asked for them",
    "migration.can_migrate": "can move",
    "migration.engine_failed": "the engine could not move the case to version {version}: {cause}",
}
