"""Message catalogue: what refuses a diagram (or only warns about it) when it is validated or deployed —
the checks of the diagram itself, the lint rules of its flows, and the forms and translations around it.
Warnings start with `warning:` in English and `提示：` in Chinese."""

from __future__ import annotations

ZH: dict[str, str] = {
    # -- what an element is, as the sentences below name it
    "bpmn.process": "流程",
    "bpmn.sub_process": "子流程",
    "bpmn.transaction": "事务子流程",
    "bpmn.ad_hoc_sub_process": "自由子流程",
    "bpmn.task": "任务",
    "bpmn.user_task": "用户任务",
    "bpmn.manual_task": "人工任务",
    "bpmn.service_task": "服务任务",
    "bpmn.script_task": "脚本任务",
    "bpmn.business_rule_task": "业务规则任务",
    "bpmn.send_task": "发送任务",
    "bpmn.receive_task": "接收任务",
    "bpmn.call_activity": "调用活动",
    "bpmn.start_event": "开始事件",
    "bpmn.end_event": "结束事件",
    "bpmn.intermediate_catch_event": "中间捕获事件",
    "bpmn.intermediate_throw_event": "中间抛出事件",
    "bpmn.boundary_event": "边界事件",
    "bpmn.exclusive_gateway": "排他网关",
    "bpmn.inclusive_gateway": "包容网关",
    "bpmn.parallel_gateway": "并行网关",
    "bpmn.event_based_gateway": "事件网关",
    "bpmn.complex_gateway": "复杂网关",
    "lint.named": "{kind}「{name}」",
    # -- what an expression is
    "diagram.what_script": "脚本",
    "diagram.what_pre_script": "任务开始前的脚本",
    "diagram.what_post_script": "任务完成后的脚本",
    "diagram.what_condition": "条件",
    "diagram.what_timer": "定时器 {tag}",
    "diagram.what_assignee": "办理人表达式",
    "diagram.what_parameter": "参数「{param}」",
    "diagram.what_loop_condition": "循环条件",
    "diagram.what_completion_condition": "多实例的完成条件",
    "diagram.what_cardinality": "多实例的实例数",
    "diagram.what_event_condition": "条件事件的条件",
    "diagram.none": "无",
    # -- the diagram's own checks
    "diagram.expression_empty": "{what}为空：请填写",
    "diagram.expression_refused": "{what}未通过安全检查：{reason}",
    "diagram.start_role_unknown": "开始事件的可发起角色「{role}」不是已知角色：请填写角色编号或角色名称",
    "diagram.operator_id_clash": "有一个元素的编号与它调用的操作同为「{id}」：引擎会把两者混淆，请给该元素改个编号",
    "diagram.user_task_no_lane": "用户任务不在任何泳道中：请把它放进办理它的角色的泳道",
    "diagram.lane_unnamed": "泳道没有名称：请以办理其中任务的角色为它命名（角色：{roles}）",
    "diagram.expression_juel": "{what}「{text}」是其他流程引擎的表达式写法，本系统不能计算：请改写为 {python}",
    "diagram.expression_juel_rewrite": "{what}「{text}」是其他流程引擎的表达式写法，本系统不能计算：请用案例变量改写（不能调用方法或读取对象属性）",
    "diagram.timer_cron": "定时器 {tag} 的「{text}」是定时任务表的写法，本引擎不读取它：请写成带引号的周期，例如 {example}（每 5 分钟）",
    "diagram.script_language": "脚本的语言是 {language}，本系统不能运行：请按条件表达式的写法改写它，或改为服务任务调用一个操作",
    "diagram.timer_unquoted": "定时器 {tag} 的 {text} 没有加引号，引擎会把它当作表达式计算而在运行时出错："
                              "请写成带引号的文本 '{quoted}'",
    "diagram.lane_not_a_role": "泳道名称「{lane}」不是已知的角色编号或角色名称：请把泳道命名为办理其中任务的角色",
    "diagram.user_task_no_form": "用户任务没有指定表单：请为它选择办理时填写的表单",
    "diagram.different_from_unknown": "须由另一人办理的参照步骤「{element}」不是本流程中另一个用户任务",
    "diagram.manual_task_no_form": "人工任务没有指定表单：请为它选择表单（只需确认完成时，选一个只有说明文字的表单）",
    "diagram.service_task_no_operation": "服务任务没有指定要调用的操作：请为它选择一个操作",
    "diagram.unknown_operation": "未知的服务操作「{name}」（可用的操作：{known}）：请选择其中之一",
    "diagram.operation_missing_params": "操作「{name}」缺少参数：{params}：请补上",
    "diagram.operation_unknown_params": "操作「{name}」没有这些参数：{params}：请改正参数名或删除它们",
    "diagram.operation_param_invalid": "操作「{name}」的参数「{param}」有误：{problem}",
    "diagram.dmn_no_decision": "决策文件中没有决策：请添加一个带决策表的决策",
    "diagram.decision_no_table": "决策没有决策表：引擎只能执行决策表",
    "diagram.too_large": "流程图的元素超过 {max} 个：请把它拆分为几个被调用的流程",
    "diagram.process_missing": "这些文件中没有编号为「{process}」的流程",
    # -- forms and translations around the diagram
    "deploy.form_not_found": "找不到表单「{form}」：应有文件 {path}",
    "deploy.no_such_path": "没有这个文件或目录",
    "deploy.not_utf8": "不是 UTF-8 文本（第 {byte} 个字节起无法读取）",
    "deploy.translation_unused": "不是本流程中任何流程图或表单的翻译：请命名为 {diagram_file} 或 {form_file}",
    "deploy.translation_unknown_id": "{diagram} 中没有这个编号的元素：请改正编号或删除这一项",
    "deploy.no_translation": "提示：没有英文翻译（缺少 {source}）",
    "deploy.no_english_text": "提示：{source} 中没有「{text}」的英文",
    "deploy.no_english_name": "提示：{source} 中没有「{name}」的英文名称",
    "deploy.no_english_process_name": "提示：没有流程的英文名称（name）",
    # -- the lint rules of the flows
    "lint.no_start": "{what}没有开始事件：请在流程开始的地方添加一个开始事件",
    "lint.no_start_inside": "{what}没有开始事件：请在它内部开始的地方添加一个开始事件",
    "lint.no_end": "{what}没有结束事件：请在流程结束的地方添加一个结束事件",
    "lint.no_end_inside": "{what}没有结束事件：请在它内部结束的地方添加一个结束事件",
    "lint.not_connected": "{what}没有连接：请画出进入和离开它的顺序流，或删除它",
    "lint.no_incoming": "{what}没有进入的顺序流，永远不会被执行：请从前一步连到它，或删除它",
    "lint.unreachable": "从开始事件无法到达{what}：请把它和前面的步骤连起来，或删除它",
    "lint.no_outgoing": "{what}没有离开的顺序流：请把它连到下一步或结束事件",
    "lint.endless_loop": "无限循环：{path} 从不等待人员办理或事件发生：请在循环中加入用户任务、接收任务、"
                         "定时器或消息事件，或把重复改为任务或子流程上的循环",
    "lint.flow_without_condition": "从{what}出发的这条顺序流没有条件，也不是默认流，案例走到这里会出错停下："
                                   "请添加条件，或把它设为该网关的默认流",
    "lint.pointless_gateway": "提示：{what}只有一个入口和一个出口，不做任何判断：请删除它，直接连接前后步骤",
    "lint.unnamed": "提示：{kind}没有名称：请为它命名，让流程图和案例历史说明这里做什么",
    "lint.timer_not_text": "定时器 {tag} 的 {text} 不是时间文本：请写在引号中，例如 {example}",
    "lint.timer_invalid": "定时器 {tag} 的“{value}”不是有效的标准时间格式（{why}）：请写成 {example} 这样",
    "lint.condition_unknown": "条件读取了 {names}，但本流程中没有任何表单字段、脚本、服务任务结果、决策表或消息"
                              "设置它：请改正变量名，或添加设置它的表单字段或步骤",
    "lint.loop_condition_unknown": "循环条件读取了 {names}，但本流程中没有任何表单字段、脚本、服务任务结果、"
                                   "决策表或消息设置它：请改正变量名，或添加设置它的表单字段或步骤",
    "lint.collection_unknown": "多实例的集合 {names} 没有任何表单字段、脚本、服务任务结果、决策表或消息设置它，"
                               "案例走到这里会出错停下：请改正变量名，或在此之前设置它",
    "lint.cardinality_unknown": "多实例的实例数读取了 {names}，但没有任何表单字段、脚本、服务任务结果、决策表或消息"
                                "设置它：请改正变量名，或在此之前设置它",
    "lint.unless_called_sets": "提示：{said}（除非某个不在本次部署中的被调用流程设置了它）",
}

EN: dict[str, str] = {
    "bpmn.process": "process",
    "bpmn.sub_process": "sub process",
    "bpmn.transaction": "transaction",
    "bpmn.ad_hoc_sub_process": "ad hoc sub process",
    "bpmn.task": "task",
    "bpmn.user_task": "user task",
    "bpmn.manual_task": "manual task",
    "bpmn.service_task": "service task",
    "bpmn.script_task": "script task",
    "bpmn.business_rule_task": "business rule task",
    "bpmn.send_task": "send task",
    "bpmn.receive_task": "receive task",
    "bpmn.call_activity": "call activity",
    "bpmn.start_event": "start event",
    "bpmn.end_event": "end event",
    "bpmn.intermediate_catch_event": "intermediate catch event",
    "bpmn.intermediate_throw_event": "intermediate throw event",
    "bpmn.boundary_event": "boundary event",
    "bpmn.exclusive_gateway": "exclusive gateway",
    "bpmn.inclusive_gateway": "inclusive gateway",
    "bpmn.parallel_gateway": "parallel gateway",
    "bpmn.event_based_gateway": "event based gateway",
    "bpmn.complex_gateway": "complex gateway",
    "lint.named": "{kind} '{name}'",
    "diagram.what_script": "script",
    "diagram.what_pre_script": "preScript",
    "diagram.what_post_script": "postScript",
    "diagram.what_condition": "condition",
    "diagram.what_timer": "timer {tag}",
    "diagram.what_assignee": "assignee",
    "diagram.what_parameter": "parameter '{param}'",
    "diagram.what_loop_condition": "loop condition",
    "diagram.what_completion_condition": "completion condition",
    "diagram.what_cardinality": "loop cardinality",
    "diagram.what_event_condition": "event condition",
    "diagram.none": "none",
    "diagram.expression_empty": "{what} is empty",
    "diagram.expression_refused": "{what} refused: {reason}",
    "diagram.start_role_unknown": "startRoles names '{role}', which is not a known role",
    "diagram.operator_id_clash": "an element has the id '{id}' of the operation it calls: the engine confuses the "
                                 "two, rename the element",
    "diagram.user_task_no_lane": "user task is not in a lane: put it in the lane of the role that does it",
    "diagram.lane_unnamed": "lane has no name: name it after the role whose people do its tasks (roles: {roles})",
    "diagram.expression_juel": "{what} '{text}' is a JUEL expression (Camunda/Flowable); this engine evaluates "
                               "Python: write it as {python}",
    "diagram.expression_juel_rewrite": "{what} '{text}' is a JUEL expression (Camunda/Flowable); this engine "
                                       "evaluates Python: rewrite it as a Python expression over the case "
                                       "variables (no Java methods or object properties)",
    "diagram.timer_cron": "timer {tag} '{text}' is a cron expression (Camunda/Quartz), which this engine does not read: write a quoted ISO 8601 cycle such as {example} (every 5 minutes)",
    "diagram.script_language": "the script is written in {language}; this engine runs Python scripts only: rewrite "
                               "it in Python, or make it a service task calling an operation",
    "diagram.timer_unquoted": "timer {tag} {text} is not quoted, so the engine would evaluate it as an expression "
                              "and fail when the timer starts: write it as a quoted string '{quoted}'",
    "diagram.lane_not_a_role": "lane name '{lane}' is not a known role id or role name",
    "diagram.user_task_no_form": "user task has no formKey property naming its form",
    "diagram.different_from_unknown": "differentFrom names “{element}”, which is no other user task of this process",
    "diagram.manual_task_no_form": "manual task has no formKey property naming its form (for a plain 'done', "
                                   "choose a form that only shows a text)",
    "diagram.service_task_no_operation": "service task names no operation (spiffworkflow:serviceTaskOperator)",
    "diagram.unknown_operation": "unknown service operation '{name}' (known: {known})",
    "diagram.operation_missing_params": "operation '{name}' needs parameter(s): {params}",
    "diagram.operation_unknown_params": "operation '{name}' has no parameter(s): {params}",
    "diagram.operation_param_invalid": "operation '{name}', parameter '{param}': {problem}",
    "diagram.dmn_no_decision": "the DMN file has no decision: add a decision with a decision table",
    "diagram.decision_no_table": "decision has no decisionTable: the engine evaluates decision tables only",
    "diagram.too_large": "the diagram has more than {max} BPMN elements: split it into called processes",
    "diagram.process_missing": "no process with id '{process}' in the files",
    "deploy.form_not_found": "form '{form}' not found (expected {path})",
    "deploy.no_such_path": "no such file or directory",
    "deploy.not_utf8": "not UTF-8 text (byte {byte})",
    "deploy.translation_unused": "translates no diagram or form of this bundle (name it {diagram_file} or "
                                 "{form_file})",
    "deploy.translation_unknown_id": "no element with this id in {diagram}",
    "deploy.no_translation": "warning: no English translation ({source} is missing)",
    "deploy.no_english_text": "warning: no English for '{text}' in {source}",
    "deploy.no_english_name": "warning: no English name for '{name}' in {source}",
    "deploy.no_english_process_name": "warning: no English process \"name\"",
    "lint.no_start": "{what} has no start event: add a start event where it begins",
    "lint.no_start_inside": "{what} has no start event: add a start event inside it where it begins",
    "lint.no_end": "{what} has no end event: add an end event where it finishes",
    "lint.no_end_inside": "{what} has no end event: add an end event inside it where it finishes",
    "lint.not_connected": "{what} is not connected: draw sequence flows into and out of it, or delete it",
    "lint.no_incoming": "{what} has no incoming sequence flow, so nothing ever starts it: connect the step "
                        "before it, or delete it",
    "lint.unreachable": "{what} cannot be reached from a start event: connect it to the steps before it, or "
                        "delete it",
    "lint.no_outgoing": "{what} has no outgoing sequence flow: connect it to the next step or to an end event",
    "lint.endless_loop": "endless loop: {path} never waits for a person or an event: put a user task, a receive "
                         "task or a timer or message event in the loop, or model the repetition as a loop on a "
                         "task or sub-process",
    "lint.flow_without_condition": "sequence flow leaves {what} without a condition and is not its default "
                                   "flow, so the case would stop with an error there: add a condition, or make "
                                   "it the gateway's default flow",
    "lint.pointless_gateway": "warning: {what} has one way in and one way out and decides nothing: remove it "
                              "and connect the steps directly",
    "lint.unnamed": "warning: {kind} has no name: name it, so the diagram and the case history say what happens "
                    "here",
    "lint.timer_not_text": "timer {tag} {text} is not ISO 8601 text: write it in quotes, e.g. {example}",
    "lint.timer_invalid": "timer {tag} \"{value}\" is not valid ISO 8601 ({why}): write it like {example}",
    "lint.condition_unknown": "condition reads {names}, which no form field, script, service task result, "
                              "decision table or message of this process sets: fix the name, or add the form "
                              "field or step that sets it",
    "lint.loop_condition_unknown": "loop condition reads {names}, which no form field, script, service task "
                                   "result, decision table or message of this process sets: fix the name, or "
                                   "add the form field or step that sets it",
    "lint.collection_unknown": "multi-instance collection {names} is set by no form field, script, service task "
                               "result, decision table or message, so a case would stop with an error here: fix "
                               "the name, or set it before this step",
    "lint.cardinality_unknown": "loop cardinality reads {names}, which no form field, script, service task result, "
                                "decision table or message sets: fix the name, or set it before this step",
    "lint.unless_called_sets": "warning: {said} (unless a called process that is not part of this bundle sets "
                               "it)",
}
