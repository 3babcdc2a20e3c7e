"""Message catalogue: the auditors' verification (hash chains, stored states, documents, checkpoints)."""

from __future__ import annotations

ZH: dict[str, str] = {
    "audit_verify.where_event": "案例 #{case} 第 {seq} 个事件（编号 {id}）",
    "audit_verify.where_seq": "案例 #{case} 第 {seq} 个事件",
    "audit_verify.may_not": "{user} 不能查看审计校验：只有审计员和系统管理员可以",
    "audit_verify.checkpoint_admin_only": "{user} 不能写入检查点：只有系统管理员可以",
    "audit_verify.altered": "{where}：事件内容与其哈希不符，已被修改",
    "audit_verify.unlinked": "{where}：不再接在前一条事件之后，前一条事件被改写过",
    "audit_verify.missing": "{where}：案例链缺少第 {seq} 条事件（接着是第 {found} 条），已被删除",
    "audit_verify.reordered": "{where}：这条事件本应接在第 {links_to} 条之后，事件顺序被改动",
    "audit_verify.truncated": "{where}：链头记录共 {head} 条事件，只找到 {found} 条，最后的事件被删除",
    "audit_verify.head_altered": "{where}：链头记录 {head} 条事件，与找到的 {found} 条不符，链头被修改",
    "audit_verify.truncated_since_checkpoint":
        "{where}：检查点 {checkpoint} 记录了 {recorded} 条事件，现在只有 {found} 条，事件被删除",
    "audit_verify.rewritten": "{where}：与检查点 {checkpoint} 记录的哈希不符，整条链被改写",
    "audit_verify.case_deleted": "{where}：检查点 {checkpoint} 记录的案例 #{case}（{recorded} 条事件）已不存在，整个案例被删除",
    "audit_verify.stray": "{where}：{count} 条事件不属于任何案例或系统链，链名被修改",
    "audit_verify.checkpoint_altered": "{where}：检查点内容与其哈希不符，或它之前的检查点被删除",
    "audit_verify.checkpoint_digest": "{where}：检查点记录的链头与其摘要不符",
    "audit_verify.state_edited": "{where}：案例 #{case} 存储的流程状态与这条事件记录的哈希不符，状态被修改",
    "audit_verify.document_missing": "{where}：事件引用的文档「{document}」不存在",
    "audit_verify.document_damaged": "{where}：文档「{document}」的内容与其校验和不符，已被修改",
    "audit_verify.archive_missing": "{where}：归档文件「{document}」不存在",
    "audit_verify.archive_damaged": "{where}：归档文件「{document}」的内容与归档时的校验和不符",
    "audit_verify.intact":
        "审计校验通过：{cases} 个案例、{events} 条事件、{documents} 份文档、{checkpoints} 个检查点均完好",
    "audit_verify.not_covered": "{count} 个较早的案例的事件没有记录状态哈希，未校验其存储状态",
    "audit_verify.broken": "审计校验失败（已校验 {events} 条事件、{cases} 个案例，发现 {count} 处问题）",
    "audit_verify.first_bad": "审计链断裂（{where}）：{message}",
    "audit_verify.more": "另有 {count} 处问题",
    "audit_verify.progress": "正在校验案例",
    "audit_verify.case_refused": "无法校验：请改正案例编号",
    "audit_verify.case_number": "案例编号「{value}」须为正整数",
}

EN: dict[str, str] = {
    "audit_verify.where_event": "case #{case}, event {seq} (id {id})",
    "audit_verify.where_seq": "case #{case}, event {seq}",
    "audit_verify.may_not": "{user} may not see the audit verification: only auditors and administrators may",
    "audit_verify.checkpoint_admin_only": "{user} may not write a checkpoint: only administrators may",
    "audit_verify.altered": "{where}: the event's content does not match its hash (altered)",
    "audit_verify.unlinked": "{where}: no longer links to the event before it, which was rewritten (altered)",
    "audit_verify.missing": "{where}: event {seq} of the chain is missing (event {found} comes next): deleted",
    "audit_verify.reordered": "{where}: this event belongs after event {links_to}: the events were reordered",
    "audit_verify.truncated": "{where}: the chain head records {head} events, only {found} found: "
                              "the last events were deleted (truncated)",
    "audit_verify.head_altered": "{where}: the chain head records {head} events, which does not match the "
                                 "{found} found: the head was altered",
    "audit_verify.truncated_since_checkpoint":
        "{where}: checkpoint {checkpoint} recorded {recorded} events, only {found} remain: events deleted (truncated)",
    "audit_verify.rewritten": "{where}: does not match the hash checkpoint {checkpoint} recorded: the chain was "
                              "rewritten (altered)",
    "audit_verify.case_deleted": "{where}: case #{case} ({recorded} events), recorded by checkpoint {checkpoint}, "
                                 "no longer exists: the whole case was deleted",
    "audit_verify.stray": "{where}: {count} events belong to no case or system chain: a chain name was altered",
    "audit_verify.checkpoint_altered": "{where}: the checkpoint does not match its hash, or a checkpoint before "
                                       "it was removed",
    "audit_verify.checkpoint_digest": "{where}: the heads the checkpoint recorded do not match its digest",
    "audit_verify.state_edited": "{where}: the stored engine state of case #{case} does not match the hash this "
                                 "event recorded: the state was edited",
    "audit_verify.document_missing": "{where}: the document “{document}” the event refers to is missing",
    "audit_verify.document_damaged": "{where}: the document “{document}” does not match its checksum (damaged)",
    "audit_verify.archive_missing": "{where}: the archived file “{document}” is missing",
    "audit_verify.archive_damaged": "{where}: the archived file “{document}” does not match the checksum recorded "
                                    "when it was archived (damaged)",
    "audit_verify.intact": "verified: {cases} cases, {events} events, {documents} documents, "
                           "{checkpoints} checkpoints, all intact",
    "audit_verify.not_covered": "{count} older cases have events without a state hash: their stored state was "
                                "not checked",
    "audit_verify.broken": "audit verification failed ({events} events and {cases} cases checked, "
                           "{count} problems found)",
    "audit_verify.first_bad": "audit chain broken at {where}: {message}",
    "audit_verify.more": "{count} more problems",
    "audit_verify.progress": "verifying cases",
    "audit_verify.case_refused": "nothing was verified: correct the case number",
    "audit_verify.case_number": "the case number “{value}” must be a positive whole number",
}
