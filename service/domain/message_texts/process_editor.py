"""Message catalogue: the process editor (drafts, their check and deploy, the panel's catalogue and checks).

A refusal names the file, the line or the member of the request, so the editor can point at it.
"""

from __future__ import annotations

ZH: dict[str, str] = {
    "editor.change_forbidden": "{user} 不能修改流程：只有流程负责人可以保存、放弃或部署草稿",
    "editor.read_forbidden": "{user} 不能查看流程定义：只有流程负责人、审计和系统管理员可以",
    "editor.process_missing": "没有流程「{process}」（既没有部署的版本，也没有草稿）",
    "editor.draft_missing": "流程「{process}」没有保存的草稿",
    "editor.version_missing": "流程「{process}」没有第 {version} 版",
    "editor.draft_refused": "草稿未保存：内容有误",
    "editor.member_not_texts": "应为对象：每个名称对应一段文本",
    "editor.main_diagram_missing": "缺少主流程图 {name}",
    "editor.file_name": "文件名「{name}」不可用：应为 {pattern}（字母、数字、下划线）",
    "editor.form_key": "表单键「{key}」不可用：以字母或下划线开头，只含字母、数字、下划线和连字符",
    "editor.translation_name": "翻译文件名「{name}」不可用：应为 {pattern}",
    "editor.file_too_large": "{file} 有 {size} 字节，超过上限 {max} 字节",
    "editor.encoding_declared": "{file} 第 {line} 行声明编码为 {encoding}，但编辑器发送的是统一码文本：请声明为 UTF-8 或去掉编码声明",
    "editor.xml_refused": "{file} 第 {line} 行：{reason}",
    "editor.json_refused": "{file} 第 {line} 行：不是有效的 JSON（{reason}）",
    "editor.json_not_object": "{file} 应为 JSON 对象",
    "editor.base_version_unknown": "流程「{process}」没有版本 {version}，草稿不能以它为基础",
    "editor.new_refused": "不能新建流程：请检查所填内容",
    "editor.process_id": "流程编号应以小写字母开头，只含小写字母、数字和下划线，共 3 到 64 个字符（{pattern}）",
    "editor.process_name": "请填写流程名称（最多 {max} 个字符，不含控制字符）",
    "editor.template_unknown": "没有这个模板（可选：{known}）",
    "editor.role_unknown": "没有这个角色（可选：{known}）",
    "editor.process_exists": "流程「{process}」已经存在：请打开它来修改",
    "editor.draft_exists": "流程「{process}」已有草稿：请打开草稿继续编辑",
    "editor.draft_stale": "草稿基于{base}，但流程「{process}」现在是{latest}：有人在此期间部署了新版本，请先查看新版本再合并修改",
    "editor.draft_changed": "流程「{process}」的草稿在部署期间被另存或放弃：请重新打开草稿再部署",
    "editor.version": "第 {version} 版",
    "editor.no_version": "尚无版本",
    "editor.not_deployable": "草稿有 {count} 处错误，不能部署（什么也没有改变）",
    "editor.check_refused": "不能检查：请检查所填内容",
    "editor.expression_missing": "请填写要检查的表达式或脚本（最多 {max} 个字符）",
    "editor.check_kind": "类型应为以下之一：{known}",
    "editor.expression_refused": "不允许：{reason}",
    "editor.timer_not_iso": "「{text}」不是引擎能读的日期时间、时长或周期（例如 {examples}）",
    "editor.timer_unquoted": "固定的时间要加引号：\"{text}\"（不加引号会被当作变量表达式）",
    "editor.operation.archive_documents": "把每份文件（保存上传引用的变量）按 年/客户/项目/案例 归档",
    "editor.operation.send_case_mail": "按模板给流程图指定的人发送本案例的邮件",
    "editor.operation.send_completion_mail": "在申请邮件的线程中全部回复，或按主题格式发新邮件",
    "editor.operation.copy_case": "把案例抄送给收件人所指的人（只阅读，不办理）",
    "editor.operation.noon_rule": "是否在工作日中午 12 点前收到（非工作日收到也算是）",
    "editor.operation.working_day_end": "从收到时起算第几个工作日的下班时间（第 1 天为收到当天）",
    "editor.operation.reminder_time": "截止前若干小时的提醒时间，但不会早于现在",
    "editor.operation.working_day_deadline": "按中午前后分别取天数，从收到时起算第几个工作日的下班时间（默认从现在起）",
    "editor.operation.next_working_day_end": "收到当天之后第一个工作日的下班时间（默认从现在起）",
    "editor.operation.update_parent_case": "修改本案例所属的申请：设置其变量，或在其列表中追加一条记录",
    "editor.operation.request_person": "收件人所指的第一个人的用户名（没有人时为空）",
    "editor.operation.check_planning_documents": "决策表要求的文档中还缺哪些（既未附上也未免交）",
    "editor.operation.send_application_mail": "把申请发给技术总监，抄送该销售的组长、区域和公司销售总监及管理部",
    "editor.operation.compute_workload": "估算和核算人天 = 天数 × 匹配系数之积",
    "editor.operation.finalise_workload": "以签字的周报中的数字为最终工作量",
}

EN: dict[str, str] = {
    "editor.change_forbidden": "{user} may not change processes: only process owners save, discard or deploy drafts",
    "editor.read_forbidden": "{user} may not read process definitions: only process owners, auditors and "
                             "administrators may",
    "editor.process_missing": "no process '{process}' (neither a deployed version nor a draft)",
    "editor.draft_missing": "process '{process}' has no saved draft",
    "editor.version_missing": "process '{process}' has no version {version}",
    "editor.draft_refused": "the draft was not saved: some of it is wrong",
    "editor.member_not_texts": "an object expected: each name with its text",
    "editor.main_diagram_missing": "the main diagram {name} is missing",
    "editor.file_name": "file name '{name}' cannot be used: {pattern} (letters, digits, underscores)",
    "editor.form_key": "form key '{key}' cannot be used: a letter or underscore first, then letters, digits, "
                       "underscores and hyphens",
    "editor.translation_name": "translation name '{name}' cannot be used: {pattern}",
    "editor.file_too_large": "{file} is {size} bytes, over the limit of {max} bytes",
    "editor.encoding_declared": "{file} line {line} declares the encoding {encoding}, but the editor sends Unicode "
                                "text: declare UTF-8 or leave the declaration out",
    "editor.xml_refused": "{file} line {line}: {reason}",
    "editor.json_refused": "{file} line {line}: not valid JSON ({reason})",
    "editor.json_not_object": "{file} must be a JSON object",
    "editor.base_version_unknown": "process '{process}' has no version {version} for the draft to start from",
    "editor.new_refused": "the process cannot be created: please check what you entered",
    "editor.process_id": "a process id starts with a lower-case letter and has 3 to 64 lower-case letters, digits "
                         "and underscores ({pattern})",
    "editor.process_name": "the process needs a name (at most {max} characters, no control characters)",
    "editor.template_unknown": "no such template (known: {known})",
    "editor.role_unknown": "no such role (known: {known})",
    "editor.process_exists": "process '{process}' exists already: open it to change it",
    "editor.draft_exists": "process '{process}' has a draft already: open the draft to go on editing",
    "editor.draft_stale": "the draft started from {base}, but process '{process}' is now at {latest}: someone "
                          "deployed meanwhile; look at the new version and carry your changes over",
    "editor.draft_changed": "the draft of process '{process}' was saved again or discarded while it was being "
                            "deployed: open the draft again and deploy it then",
    "editor.version": "version {version}",
    "editor.no_version": "no version yet",
    "editor.not_deployable": "the draft has {count} problem(s) and cannot be deployed (nothing was changed)",
    "editor.check_refused": "cannot check: please check what you sent",
    "editor.expression_missing": "the expression or script to check is required (at most {max} characters)",
    "editor.check_kind": "the kind must be one of: {known}",
    "editor.expression_refused": "not allowed: {reason}",
    "editor.timer_not_iso": "'{text}' is no date-time, duration or cycle the engine can read (for example "
                            "{examples})",
    "editor.timer_unquoted": "a fixed time needs quotes: \"{text}\" (without them it is read as an expression "
                             "over variables)",
    "editor.operation.archive_documents": "File every document (each variable holding upload references) under "
                                          "year/customer/project/case",
    "editor.operation.send_case_mail": "Mail a template to the people the diagram names for this case",
    "editor.operation.send_completion_mail": "Reply-all in the application thread, or a new mail in the subject "
                                             "format",
    "editor.operation.copy_case": "Copy the case to the people the recipients name (they read it, they do not work "
                                  "on it)",
    "editor.operation.noon_rule": "True when received on a working day before 12:00 (or on a non-working day)",
    "editor.operation.working_day_end": "End of working day N counted from the receipt time (day 1 = the receipt "
                                        "day)",
    "editor.operation.reminder_time": "When to remind before a deadline: N hours before it, but never in the past",
    "editor.operation.working_day_deadline": "End of working day N from a receipt time (default: now), N by the "
                                             "noon column",
    "editor.operation.next_working_day_end": "End of the first working day after the day of receipt (default: now)",
    "editor.operation.update_parent_case": "Change the request this case belongs to: set its variables, append a "
                                           "record to a list of it",
    "editor.operation.request_person": "The user name of the first person a recipient names for the request (empty "
                                       "when nobody)",
    "editor.operation.check_planning_documents": "Which of the documents the decision table requires are still "
                                                 "missing (neither attached nor waived)",
    "editor.operation.send_application_mail": "Mail the application to the technical directors, Cc this "
                                              "salesperson's group leader, the regional and company sales "
                                              "directors and GXM",
    "editor.operation.compute_workload": "Estimated and accounted person-days = days × the product of the matched "
                                         "coefficients",
    "editor.operation.finalise_workload": "The final figure is the one in the signed weekly report",
}
