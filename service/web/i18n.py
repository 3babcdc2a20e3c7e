"""Every label of the pages in Chinese (the default) and English.

`t(key, **values)` looks the key up in the session's language. Form labels are
not here: they come from the form files and are shown as written.
"""

from __future__ import annotations

from flask import session

from service.web.texts import merge_into

LANGUAGES = ("zh", "en")
DEFAULT = "zh"

ZH: dict[str, str] = {
    "product": "规程", "product_sub": "流程即规范",
    # navigation
    "nav.inbox": "待办", "nav.start": "发起", "nav.done": "我的已办", "nav.mailbox": "邮件", "nav.admin": "管理", "nav.incidents": "故障",
    "nav.signout": "退出", "nav.lang_other": "English", "nav.skip": "跳到正文",
    # sign-in
    "login.title": "登录", "login.username": "用户名", "login.password": "密码", "login.submit": "登录",
    "login.failed": "用户名或密码不正确", "login.hint": "演示账号：角色名加 1（如 sales1），密码 demo",
    "login.signed_out": "您已退出", "login.required": "请先登录",
    # inbox
    "inbox.title": "我的待办", "inbox.empty": "没有待办任务", "inbox.process": "流程", "inbox.case": "案例",
    "inbox.task": "任务", "inbox.role": "角色", "inbox.due": "期限", "inbox.holder": "办理人",
    "inbox.created": "创建时间", "inbox.due_state": "期限状态", "inbox.all": "全部", "inbox.overdue_only": "只看逾期",
    "inbox.search": "搜索客户 / 项目", "inbox.filter": "筛选", "inbox.reset": "清除",
    "inbox.sort": "排序", "inbox.sort.due": "按期限", "inbox.sort.created": "按创建时间（新的在前）",
    "inbox.sort.name": "按任务名称", "inbox.export": "导出 CSV", "inbox.claim": "认领", "inbox.release": "取消认领",
    "inbox.open": "办理", "inbox.unclaimed": "未认领", "inbox.count": "共 {n} 项",
    "inbox.tab.open": "待办", "inbox.tab.done": "我的已办", "done.empty": "还没有已办的任务",
    "done.completed_at": "完成时间", "inbox.claimed": "已认领任务 #{id}", "inbox.released": "已退回任务 #{id}",
    # due dates
    "due.left": "还剩 {n} 个工作日", "due.today": "今天到期", "due.overdue": "已逾期 {n} 个工作日",
    "due.left.one": "还剩 1 个工作日", "due.overdue.one": "已逾期 1 个工作日",
    "due.overdue_today": "已逾期", "due.none": "无期限",
    # paging
    "page.prev": "上一页", "page.next": "下一页", "page.of": "第 {page} / {pages} 页",
    # task page
    "task.title": "任务 #{id}", "task.case": "所属案例", "task.submit": "提交", "task.back": "返回待办",
    "task.done": "任务「{name}」已提交", "task.not_open": "此任务已{status}，无需再办理。",
    "task.claimed_by": "此任务已被 {who} 认领。", "task.not_yours": "此任务不在您的角色范围内，只能查看。",
    "task.errors": "提交未通过，请修改标出的字段：", "task.failed": "提交失败：", "task.no_form": "此任务没有表单，直接提交即可。",
    "task.saving": "正在提交…", "task.diagram": "流程图", "task.legend.done": "已完成",
    "task.legend.active": "进行中", "task.legend.current": "本任务",
    "diagram.focus": "当前位置", "diagram.fit": "全图", "diagram.zoom_in": "放大", "diagram.zoom_out": "缩小", "task.status.completed": "完成", "task.status.cancelled": "取消",
    # uploads
    "upload.title": "附件", "upload.choose": "选择文件", "upload.button": "上传", "upload.done": "已上传：{name}",
    "upload.failed": "上传失败：", "upload.busy": "正在上传…", "upload.hint": "上传后，文件引用会自动填入表单中的对应字段。",
    # start
    "start.title": "发起流程", "start.none": "您没有可发起的流程", "start.roles": "可发起角色",
    "start.open": "填写申请", "start.submit": "提交申请", "start.done": "已发起案例 #{id}",
    "start.version": "版本 {v}", "start.back": "返回流程列表",
    "start.linked_hint": "属于一个进行中的技术支持案例：需填写案例编号，也可在案例页面直接发起。",
    # case page
    "case.title": "案例 #{id}", "case.status": "状态", "case.started": "发起", "case.completed": "完成于",
    "case.data": "案例数据", "case.field": "字段", "case.value": "内容", "case.open_tasks": "当前待办",
    "case.no_open_tasks": "没有待办任务", "case.timeline": "经过", "case.mails": "邮件往来",
    "case.no_mails": "没有邮件", "case.documents": "文档", "case.no_documents": "没有文档",
    "case.download": "下载", "case.linked": "关联案例", "case.parent": "上级案例", "case.children": "下级案例",
    "case.no_links": "没有关联案例", "case.diagram": "流程图", "case.raise": "发起关联流程",
    "case.error": "错误", "case.version": "版本",
    "case.internal": "流程内部变量（{n} 项）",
    "status.running": "进行中", "status.completed": "已完成", "status.error": "出错", "status.cancelled": "已取消",
    "status.open": "待办",
    # timeline sentences
    "ev.case_started": "{actor} 发起了案例", "ev.task_created": "待办「{name}」交给 {role}",
    "ev.task_completed": "{actor} 完成了「{name}」", "ev.task_claimed": "{actor} 认领了「{name}」",
    "ev.task_released": "{actor} 退回了「{name}」", "ev.service_task": "系统执行「{name}」",
    "ev.timer_fired": "时限到达：「{name}」", "ev.mail_sent": "邮件已发出：{subject}",
    "ev.message_received": "{actor} 发来消息「{name}」", "ev.mail_refused": "回信未受理：{from}",
    "ev.case_completed": "案例结束", "ev.case_error": "出错：{error}", "ev.other": "{type}",
    "ev.incident_opened": "故障：「{name}」未能执行：{error}", "ev.incident_retry_failed": "重试「{name}」仍失败：{error}",
    "ev.incident_resolved": "{actor} 处理了「{name}」的故障", "ev.case_cancelled": "{actor} 取消了案例：{reason}",
    "incident.title": "故障", "incident.element": "环节", "incident.message": "原因", "incident.attempts": "已尝试",
    "incident.next": "下次自动重试", "incident.manual": "不再自动重试，请人工处理", "incident.retry": "立即重试",
    "incident.cancel": "取消案例", "incident.reason": "取消原因", "incident.retried": "已重试：{result}",
    "incident.cancelled": "案例已取消", "incident.list": "未处理的故障", "incident.none": "没有未处理的故障",
    "incident.case": "案例",
    "ev.due": "期限 {due}", "ev.system": "系统", "ev.worker": "后台任务",
    # mail
    "mail.title": "邮件", "mail.empty": "没有邮件", "mail.subject": "主题", "mail.from": "发件人",
    "mail.to": "收件人", "mail.cc": "抄送", "mail.time": "时间", "mail.status": "状态", "mail.case": "案例",
    "mail.status.pending": "待发送", "mail.status.sent": "已发送", "mail.status.failed": "发送失败",
    "mail.back": "返回邮件列表", "mail.scope_all": "系统发出的全部邮件", "mail.scope_mine": "发给我或抄送我的邮件",
    # admin
    "admin.users": "用户管理", "admin.new": "新建用户", "admin.edit": "编辑用户 {u}", "admin.username": "用户名",
    "admin.display_name": "姓名", "admin.email": "邮箱", "admin.roles": "角色", "admin.password": "密码",
    "admin.password_keep": "留空则不修改密码", "admin.active": "状态", "admin.active.yes": "启用",
    "admin.active.no": "停用", "admin.save": "保存", "admin.saved": "已保存用户 {u}", "admin.cancel": "取消",
    "admin.edit_link": "编辑", "admin.required": "必填", "admin.username_rule": "只能用字母、数字、_ . -",
    "admin.exists": "用户名已存在",
    # errors
    "err.title": "出错了", "err.403": "您无权查看此页面", "err.404": "找不到此页面", "err.400": "请求无效",
    "err.409": "冲突：数据已被其他人修改", "err.413": "文件太大", "err.csrf": "页面已过期，请刷新后重试", "err.home": "返回待办",
    # data labels of variables that no form declares
    "var.received_at": "收到时间", "var.started_by": "发起人", "var.business_key": "案例名称",
    "var.due_of": "「{task}」期限",
    "yes": "是", "no": "否",
    # sign-in limits, unexpected errors, API tokens
    "login.paused.account": "此账号登录失败次数过多，已暂停登录。请在 {at} 之后再试（约 {minutes} 分钟后）。",
    "login.paused.client": "来自此地址的登录失败次数过多，已暂停登录。请在 {at} 之后再试（约 {minutes} 分钟后）。",
    "err.405": "不支持此操作", "err.429": "请求过于频繁", "err.500": "系统内部错误",
    "err.unexpected": "系统出了意外的问题，已记录在日志中。请稍后再试；若一再出现，请把错误编号告诉管理员。",
    "err.log_id": "错误编号：{id}",
    "nav.tokens": "我的令牌", "tokens.title": "我的令牌", "tokens.new": "新建令牌",
    "tokens.hint": "脚本调用 API 时在请求头中带上令牌：Authorization: Bearer <令牌>。令牌到期、被撤销、改密码或账号停用后失效。",
    "tokens.name": "名称（用途）", "tokens.days": "有效天数", "tokens.create": "生成令牌", "tokens.created": "创建时间",
    "tokens.expires": "到期时间", "tokens.state": "状态", "tokens.state.valid": "有效", "tokens.state.expired": "已过期",
    "tokens.state.ended": "已失效（密码或账号已变更）", "tokens.revoke": "撤销", "tokens.revoked": "已撤销令牌 #{id}",
    "tokens.none": "还没有令牌", "tokens.issued": "已生成令牌「{name}」：",
    "tokens.copy_now": "请立即复制保存，此令牌只显示这一次。用法：",
    "tokens.invalid.name": "名称最多 128 个字符，不能含控制字符", "tokens.invalid.days": "有效天数须为 1 到 {max} 的整数",
}

EN: dict[str, str] = {
    "product": "Guicheng", "product_sub": "procedures that run",
    "nav.inbox": "Inbox", "nav.start": "Start", "nav.done": "Done by me", "nav.mailbox": "Mail", "nav.admin": "Admin", "nav.incidents": "Incidents",
    "nav.signout": "Sign out", "nav.lang_other": "中文", "nav.skip": "Skip to content",
    "login.title": "Sign in", "login.username": "User name", "login.password": "Password", "login.submit": "Sign in",
    "login.failed": "Wrong user name or password", "login.hint": "Demo accounts: role id plus 1 (e.g. sales1), password demo",
    "login.signed_out": "You have signed out", "login.required": "Please sign in first",
    "inbox.title": "My tasks", "inbox.empty": "Nothing to do", "inbox.process": "Process", "inbox.case": "Case",
    "inbox.task": "Task", "inbox.role": "Role", "inbox.due": "Due", "inbox.holder": "Held by",
    "inbox.created": "Created", "inbox.due_state": "Due status", "inbox.all": "All", "inbox.overdue_only": "Overdue only",
    "inbox.search": "Search customer / project", "inbox.filter": "Filter", "inbox.reset": "Clear",
    "inbox.sort": "Sort", "inbox.sort.due": "By due date", "inbox.sort.created": "By creation (newest first)",
    "inbox.sort.name": "By task name", "inbox.export": "Export CSV", "inbox.claim": "Claim", "inbox.release": "Release",
    "inbox.open": "Open", "inbox.unclaimed": "unclaimed", "inbox.count": "{n} in total",
    "inbox.tab.open": "Open", "inbox.tab.done": "Done by me", "done.empty": "You have not completed any task yet",
    "done.completed_at": "Completed", "inbox.claimed": "Claimed task #{id}", "inbox.released": "Released task #{id}",
    "due.left": "{n} working days left", "due.today": "Due today", "due.overdue": "Overdue by {n} working days",
    "due.left.one": "1 working day left", "due.overdue.one": "Overdue by 1 working day",
    "due.overdue_today": "Overdue", "due.none": "No deadline",
    "page.prev": "Previous", "page.next": "Next", "page.of": "Page {page} of {pages}",
    "task.title": "Task #{id}", "task.case": "Case", "task.submit": "Submit", "task.back": "Back to inbox",
    "task.done": "Task “{name}” submitted", "task.not_open": "This task is {status}; nothing left to do.",
    "task.claimed_by": "This task is claimed by {who}.", "task.not_yours": "This task is not for your roles; read only.",
    "task.errors": "Not accepted; please correct the marked fields:", "task.failed": "Could not submit: ",
    "task.no_form": "This task has no form; just submit it.",
    "task.saving": "Submitting…", "task.diagram": "Diagram", "task.legend.done": "Done",
    "task.legend.active": "In progress", "task.legend.current": "This task",
    "diagram.focus": "Where we are", "diagram.fit": "Whole diagram", "diagram.zoom_in": "Zoom in",
    "diagram.zoom_out": "Zoom out", "task.status.completed": "completed", "task.status.cancelled": "cancelled",
    "upload.title": "Attachments", "upload.choose": "Choose file", "upload.button": "Upload",
    "upload.done": "Uploaded: {name}", "upload.failed": "Upload failed: ", "upload.busy": "Uploading…",
    "upload.hint": "After the upload the file reference is filled into the matching form field.",
    "start.title": "Start a process", "start.none": "There is no process you may start",
    "start.roles": "Who may start", "start.open": "Fill in", "start.submit": "Submit", "start.done": "Case #{id} started",
    "start.version": "version {v}", "start.back": "Back to processes",
    "start.linked_hint": "Belongs to a running technical-support case: give its number, or start it from the case page.",
    "case.title": "Case #{id}", "case.status": "Status", "case.started": "Started", "case.completed": "Completed",
    "case.data": "Case data", "case.field": "Field", "case.value": "Value", "case.open_tasks": "Open tasks",
    "case.no_open_tasks": "No open tasks", "case.timeline": "Timeline", "case.mails": "Mail thread",
    "case.no_mails": "No mails", "case.documents": "Documents", "case.no_documents": "No documents",
    "case.download": "Download", "case.linked": "Linked cases", "case.parent": "Parent case",
    "case.children": "Child cases", "case.no_links": "No linked cases", "case.diagram": "Diagram",
    "case.raise": "Start a linked process", "case.error": "Error", "case.version": "Version",
    "case.internal": "Process variables ({n})",
    "status.running": "running", "status.completed": "completed", "status.error": "error",
    "status.cancelled": "cancelled", "status.open": "open",
    "ev.case_started": "{actor} started the case", "ev.task_created": "Task “{name}” handed to {role}",
    "ev.task_completed": "{actor} completed “{name}”", "ev.task_claimed": "{actor} claimed “{name}”",
    "ev.task_released": "{actor} released “{name}”", "ev.service_task": "System ran “{name}”",
    "ev.timer_fired": "Deadline reached: “{name}”", "ev.mail_sent": "Mail sent: {subject}",
    "ev.message_received": "Message “{name}” from {actor}", "ev.mail_refused": "Mail reply refused: {from}",
    "ev.case_completed": "Case completed", "ev.case_error": "Error: {error}", "ev.other": "{type}",
    "ev.incident_opened": "Incident: “{name}” could not run: {error}",
    "ev.incident_retry_failed": "Retry of “{name}” failed again: {error}",
    "ev.incident_resolved": "{actor} resolved the incident at “{name}”",
    "ev.case_cancelled": "{actor} cancelled the case: {reason}",
    "incident.title": "Incident", "incident.element": "Step", "incident.message": "Reason", "incident.attempts": "Attempts",
    "incident.next": "Next automatic retry", "incident.manual": "No more automatic retries: handle it by hand",
    "incident.retry": "Retry now", "incident.cancel": "Cancel the case", "incident.reason": "Reason for cancelling",
    "incident.retried": "Retried: {result}", "incident.cancelled": "Case cancelled", "incident.list": "Open incidents",
    "incident.none": "No open incidents", "incident.case": "Case",
    "ev.due": "due {due}", "ev.system": "System", "ev.worker": "Background worker",
    "mail.title": "Mail", "mail.empty": "No mail", "mail.subject": "Subject", "mail.from": "From", "mail.to": "To",
    "mail.cc": "Cc", "mail.time": "Time", "mail.status": "Status", "mail.case": "Case",
    "mail.status.pending": "queued", "mail.status.sent": "sent", "mail.status.failed": "failed",
    "mail.back": "Back to mail", "mail.scope_all": "All mail the system sent", "mail.scope_mine": "Mail to or cc me",
    "admin.users": "Users", "admin.new": "New user", "admin.edit": "Edit user {u}", "admin.username": "User name",
    "admin.display_name": "Name", "admin.email": "E-mail", "admin.roles": "Roles", "admin.password": "Password",
    "admin.password_keep": "Leave empty to keep the password", "admin.active": "Status", "admin.active.yes": "active",
    "admin.active.no": "inactive", "admin.save": "Save", "admin.saved": "User {u} saved", "admin.cancel": "Cancel",
    "admin.edit_link": "Edit", "admin.required": "required", "admin.username_rule": "letters, digits, _ . - only",
    "admin.exists": "This user name is taken",
    "err.title": "Something went wrong", "err.403": "You may not see this page", "err.404": "Page not found",
    "err.400": "Invalid request", "err.409": "Conflict: someone else changed this first", "err.413": "The file is too large",
    "err.csrf": "The page has expired; reload it and try again", "err.home": "Back to inbox",
    "var.received_at": "Received", "var.started_by": "Started by", "var.business_key": "Case name",
    "var.due_of": "Due: {task}",
    "yes": "yes", "no": "no",
    "login.paused.account": "Too many failed sign-ins for this account. Try again after {at} (in about {minutes} min).",
    "login.paused.client": "Too many failed sign-ins from this address. Try again after {at} (in about {minutes} min).",
    "err.405": "Method not allowed", "err.429": "Too many requests", "err.500": "Internal error",
    "err.unexpected": "Something unexpected went wrong and has been logged. Please try again later; if it keeps "
                      "happening, tell an administrator the log id.",
    "err.log_id": "Log id: {id}",
    "nav.tokens": "My API tokens", "tokens.title": "My API tokens", "tokens.new": "New token",
    "tokens.hint": "Scripts send the token with every API call: Authorization: Bearer <token>. A token stops working "
                   "when it expires, is revoked, or your password or account changes.",
    "tokens.name": "Name (what it is for)", "tokens.days": "Valid for (days)", "tokens.create": "Create token",
    "tokens.created": "Created", "tokens.expires": "Expires", "tokens.state": "State", "tokens.state.valid": "valid",
    "tokens.state.expired": "expired", "tokens.state.ended": "ended (password or account changed)",
    "tokens.revoke": "Revoke", "tokens.revoked": "Token #{id} revoked", "tokens.none": "No tokens yet",
    "tokens.issued": "Token “{name}” created:", "tokens.copy_now": "Copy it now: it is shown only this once. Use:",
    "tokens.invalid.name": "at most 128 characters, no control characters",
    "tokens.invalid.days": "a whole number of days from 1 to {max}",
}

merge_into(ZH, EN)
TEXTS = {"zh": ZH, "en": EN}


def language() -> str:
    lang = session.get("lang", DEFAULT)
    return lang if lang in LANGUAGES else DEFAULT


def translate(lang: str, key: str, **values: object) -> str:
    text = TEXTS.get(lang, ZH).get(key) or ZH.get(key) or key
    return text.format(**values) if values else text


def known(key: str) -> bool:
    return key in ZH


def t(key: str, **values: object) -> str:
    return translate(language(), key, **values)
