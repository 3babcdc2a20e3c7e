"""Labels of assignment, 退回 and 加签 on the task and case pages."""

ZH: dict[str, str] = {
    "moves.title": "退回 / 加签", "moves.send_back": "退回", "moves.to_step": "退回到已办理的步骤",
    "moves.reason": "退回原因（必填）", "moves.add_signer": "加签", "moves.signer": "加签人",
    "moves.position": "加签位置", "moves.before": "在我之前（先由加签人审批）", "moves.after": "在我之后（我提交后由加签人审批）",
    "moves.note": "说明", "moves.refused": "未执行：", "moves.sent_back": "已退回，案例回到所选步骤",
    "moves.signer_added": "已加签", "task.status.waiting": "等待加签", "task.status.pending": "待加签",
    "task.waiting_signer": "此任务正在等待加签人审批，审批后回到您手中。", "task.note": "说明：{note}",
    "task.signer": "这是一个加签步骤：请同意或不同意「{name}」。",
    "task.held_for_signer": "「{name}」已提交，等待加签人审批", "task.returned_to_delegator": "「{name}」已交回委派人确认",
    "ev.task_sent_back": "{actor} 将「{name}」退回给 {to} 重新办理：{reason}", "ev.signer_added": "{actor} 为「{name}」加签 {to}",
    "ev.signer_signed": "{actor} 对「{name}」签署加签意见", "ev.task_held_for_signer": "{actor} 已填写「{name}」，等待加签人 {to}",
}

EN: dict[str, str] = {
    "moves.title": "Send back / add signer", "moves.send_back": "Send back", "moves.to_step": "Back to a step already done",
    "moves.reason": "Reason (required)", "moves.add_signer": "Add signer", "moves.signer": "Signer",
    "moves.position": "Where", "moves.before": "Before me (the signer approves first)",
    "moves.after": "After me (the signer approves what I submit)",
    "moves.note": "Note", "moves.refused": "Not done: ", "moves.sent_back": "Sent back: the case is at the chosen step again",
    "moves.signer_added": "Signer added", "task.status.waiting": "waiting for a signer",
    "task.status.pending": "waiting to sign",
    "task.waiting_signer": "This task waits for the added signer; it comes back to you afterwards.",
    "task.note": "Note: {note}", "task.signer": "An added approval step: agree or disagree with “{name}”.",
    "task.held_for_signer": "“{name}” submitted; waiting for the added signer",
    "task.returned_to_delegator": "“{name}” handed back to the delegator to confirm",
    "ev.task_sent_back": "{actor} sent “{name}” back to {to} to redo: {reason}", "ev.signer_added": "{actor} added {to} as a signer of “{name}”",
    "ev.signer_signed": "{actor} signed “{name}”", "ev.task_held_for_signer": "{actor} filled in “{name}”; waiting for the signer {to}",
}
