"""Page labels: task pages and case pages (summary, earlier decisions, next task, what a reader sees)."""

from __future__ import annotations

ZH: dict[str, str] = {
    "ctx.summary": "案例摘要", "ctx.earlier": "更早的 {n} 条",
    "ctx.decisions": "此前的意见和决定", "ctx.no_decisions": "还没有意见和决定",
    "dec.case_started": "{actor} 发起了申请", "dec.task_completed": "{actor} 办理了「{step}」",
    "dec.comment_added": "{actor} 发表了意见", "dec.comment_added.on": "{actor} 在「{step}」发表了意见",
    "dec.task_sent_back": "{actor} 把「{step}」退回到「{to_step}」",
    "dec.task_transferred": "{actor} 把「{step}」转办给 {to}", "dec.task_delegated": "{actor} 把「{step}」委派给 {to}",
    "dec.signer_added": "{actor} 为「{step}」加签 {to}", "dec.signer_signed": "{actor} 对「{step}」的加签意见：{decision}",
    "dec.case_withdrawn": "{actor} 撤回了案例", "dec.case_cancelled": "{actor} 取消了案例",
    "dec.verdict.agree": "同意", "dec.verdict.disagree": "不同意",
    "next.go_on": "「{name}」已提交，接着办理本案例的下一个任务「{next}」",
    "next.none": "「{name}」已提交。本案例暂时没有您要办理的其他任务，这是您的待办。",
    "case.tech_details": "技术细节", "case.tech_details_n": "技术细节（{n}）",
    "ctx.pair": "{label}：{value}", "ctx.pair_sep": "；", "ctx.list_sep": "、", "case.tech_hint": "表单中没有的流程内部变量，只供流程负责人、审计和管理员查看。",
    "case.show_system": "显示系统步骤", "case.summary": "案例摘要",
}

EN: dict[str, str] = {
    "ctx.summary": "Case summary", "ctx.earlier": "{n} earlier",
    "ctx.decisions": "Earlier comments and decisions", "ctx.no_decisions": "No comments or decisions yet",
    "dec.case_started": "{actor} applied", "dec.task_completed": "{actor} did “{step}”",
    "dec.comment_added": "{actor} commented", "dec.comment_added.on": "{actor} commented on “{step}”",
    "dec.task_sent_back": "{actor} sent “{step}” back to “{to_step}”",
    "dec.task_transferred": "{actor} transferred “{step}” to {to}",
    "dec.task_delegated": "{actor} delegated “{step}” to {to}",
    "dec.signer_added": "{actor} added {to} as signer of “{step}”",
    "dec.signer_signed": "{actor} signed “{step}”: {decision}",
    "dec.case_withdrawn": "{actor} withdrew the case", "dec.case_cancelled": "{actor} cancelled the case",
    "dec.verdict.agree": "agree", "dec.verdict.disagree": "disagree",
    "next.go_on": "“{name}” submitted; on to your next task of this case, “{next}”",
    "next.none": "“{name}” submitted. You have no other task in this case for now; here is your inbox.",
    "case.tech_details": "Technical details", "case.tech_details_n": "Technical details ({n})",
    "ctx.pair": "{label}: {value}", "ctx.pair_sep": "; ", "ctx.list_sep": ", ",
    "case.tech_hint": "Process variables no form declares: for process owners, auditors and administrators.",
    "case.show_system": "Show system steps", "case.summary": "Case summary",
}
