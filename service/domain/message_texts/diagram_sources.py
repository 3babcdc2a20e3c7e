"""Message catalogue: diagrams from other modelers — which files hold processes to deploy, elements the
engine would accept and then fail on, decision table cells, and the BPMN schema's complaints in words."""

from __future__ import annotations

ZH: dict[str, str] = {
    # -- the files given
    "sources.not_a_diagram": "不是流程图或决策表文件：其中没有可读取的流程或决策",
    "sources.no_process": "文件中没有流程：只有协作图或图形的文件无法运行",
    "sources.no_executable_process": "文件中没有可执行的流程：请在要运行的流程上设置 {setting}",
    "sources.process_id_unusable": "流程编号「{id}」无法使用：编号应以字母或 _ 开头，只含字母、数字、_ . -，"
                                   "最长 128 个字符：请修改流程编号",
    "sources.process_id_twice": "流程编号「{id}」在 {other} 中也有：每个流程编号只能有一个流程，请修改其中一个",
    "sources.empty_process": "流程没有任何步骤，没有可运行的内容：请画出它的开始事件、任务和结束事件，或设置 {setting}",
    "sources.no_diagram_in_folder": "目录 {folder} 中没有流程图（{kinds}）",
    "sources.decisions_alone": "决策文件随调用它的流程图一起部署：请给出流程图或它所在的目录",
    "sources.no_diagram_sent": "没有上传流程图：请上传 {kinds} 文件",
    # -- elements the engine would fail on or stop at
    "elements.id_twice": "编号「{id}」被使用了两次（第 {first} 行和第 {second} 行）：每个元素的编号必须唯一，"
                         "请修改其中一个",
    "elements.timer_start": "定时开始事件在这里不会按时自动发起案例，案例会一直停在开始处：请改用普通开始事件"
                            "（由人发起）或消息开始事件，需要等待时在其后放一个定时中间事件",
    "elements.signal_start": "信号开始事件在这里无法触发（案例之间不传递信号），案例会一直停在开始处：请改用消息开始事件"
                             "（由其他系统或人发送消息发起）或普通开始事件",
    "elements.start_only_in_event_subprocess": "这种开始事件（{kind}）只能用在事件子流程里：请改用普通开始事件，"
                                               "或把它放进一个事件子流程",
    "elements.complex_gateway": "复杂网关在这里不能运行：请按它的规则改用排他网关、包容网关或并行网关",
    "elements.compensation_boundary": "补偿边界事件在这里不能运行：请把补偿步骤画成正常的流程（例如在出错的分支上做撤销），"
                                      "或用错误边界事件接住失败",
    "elements.data_store": "数据存储「{name}」（流程之外的数据库或系统）在这里无法读写：请删除它及其数据关联，"
                           "改用服务任务或表单字段传递数据",
    "elements.untyped_task": "这个任务没有类型，没有人能办理它，案例会停在这里：请把它改为泳道中的用户任务（由人办理）、人工任务，或脚本任务、服务任务（由系统执行）",
    "elements.call_names_nothing": "调用活动没有指定要调用的流程：请填写被调用流程的编号",
    "elements.call_target_missing": "调用活动调用的流程「{process}」不在给出的文件中：请一起给出含有该流程的文件，或改正被调用流程的编号",
    "elements.call_target_not_executable": "调用活动调用的流程「{process}」不可执行：请把它设为可执行",
    "elements.camunda_decision_ref": "业务规则任务用 {camunda} 指定决策「{decision}」，本引擎不读取它：请改用 {spiff} 指定 {decision}",
    "elements.no_decision": "业务规则任务没有指定决策：请用 {spiff} 填写决策表文件中决策的编号",
    "elements.decision_missing": "业务规则任务调用的决策「{decision}」不在任何决策表文件中（已有：{known}）：请一起给出含有它的决策表文件，或改正编号",
    "elements.link_without_catch": "链接抛出事件「{link}」在同一层流程中没有同名的链接捕获事件，流程会在这里直接结束："
                                   "请在它旁边画一个名称相同的链接捕获事件，或改正名称",
    "elements.link_caught_twice": "链接「{link}」已有捕获事件 {first}，同一层流程中一个链接名只能捕获一次：请改名或删除其中一个",
    "elements.loop_without_end": "循环既没有循环条件也没有最大次数，引擎无法运行它：请填写其中之一",
    "elements.camunda_collection": "多实例用 {camunda} 指定集合「{collection}」，本引擎不读取它：请把 {collection} 填为多实例的输入集合",
    "elements.multi_instance_over_nothing": "多实例既没有实例数也没有输入集合：请填写其中之一",
    "elements.multi_instance_both": "多实例同时有实例数和集合：请只保留其中之一",
    "elements.multi_instance_collection": "多实例的集合「{text}」不是变量名：请填写存放列表的变量名",
    # -- decision tables
    "decisions.input_no_expression": "决策表的输入列「{label}」没有输入表达式：请填写比较的变量或表达式",
    "decisions.input_refused": "决策表的输入列「{label}」的表达式「{text}」未通过检查：{reason}",
    "decisions.hit_policy": "决策表的命中策略 {policy} 不受支持：请使用 {supported}",
    "decisions.aggregation": "决策表的汇总 {aggregation} 不受支持：请去掉汇总，或在之后的脚本中计算",
    "decisions.cell_blank": "第 {row} 条规则「{label}」列只有空格：请清空它或写 -（任意值）",
    "decisions.cell_refused": "第 {row} 条规则「{label}」列的「{text}」不是引擎能计算的表达式（{reason}）：请写成 \"金牌\"、> 1000、1 <= ? <= 10 这样",
    "decisions.cell_feel_list": "第 {row} 条规则「{label}」列的「{text}」是“其中之一”的写法，在这里不会匹配任何值：请写成 {fix}",
    "decisions.cell_feel": "第 {row} 条规则「{label}」列的「{text}」使用了 {names}，这里没有这些变量：请写成 {python}",
    # -- the BPMN schema
    "schema.not_an_id": "{tag} 的 {attribute}「{value}」不是有效的编号：编号应以字母或 _ 开头，不含空格，"
                        "只含字母、数字、_ - .",
    "schema.not_a_reference": "{tag} 的 {attribute}「{value}」不是有效的引用：请填写所引用元素的编号",
    "schema.not_a_number": "{tag} 的 {attribute}「{value}」不是整数：请填写一个整数",
    "schema.names_nothing": "{tag}「{value}」引用的元素在本文件中不存在：请填写所引用元素的编号",
    "schema.prefix_undeclared": "{tag} 的 {attribute}「{value}」使用的前缀 {prefix} 在文件中没有声明：请在文件开头声明它，或删除这个属性",
    "schema.unknown_extension": "{tag} 是其他工具的扩展元素，本系统不认识它：请删除它，或把它放进扩展元素中",
    "schema.not_a_boolean": "{tag} 的 {attribute}「{value}」无效：请填写 {choices}",
    "schema.not_one_of": "{tag} 的 {attribute}「{value}」无效：可选值为 {allowed}",
    "schema.attribute_not_allowed": "{tag} 不能有属性 {attribute}：请删除它",
    "schema.attribute_missing": "{tag} 缺少属性 {attribute}：请补上",
    "schema.child_missing": "{tag} 缺少必需的子元素（应为：{allowed}）：请补上",
    "schema.not_expected_here": "{tag} 不能放在这里（这里应为 {allowed}）：请移动或删除它",
    "schema.not_expected": "{tag} 不能放在这里：请移动或删除它",
    "schema.not_bpmn": "不是流程图文件：根元素应为命名空间 {namespace} 中的 {root}",
    "schema.other": "不符合流程图规范：{text}",
}

EN: dict[str, str] = {
    "sources.not_a_diagram": "not a BPMN diagram or DMN decision file (the root must be BPMN 2.0 or DMN "
                             "definitions)",
    "sources.no_process": "the file holds no process (bpmn:process): a file of only a collaboration or shapes "
                          "cannot run",
    "sources.no_executable_process": "the file holds no executable process: set {setting} on the process to run",
    "sources.process_id_unusable": "process id '{id}' cannot be used: ids start with a letter or _ and hold only "
                                   "letters, digits, _ . - (at most 128): rename the process",
    "sources.process_id_twice": "process id '{id}' is also used in {other}: one process per id, rename one of them",
    "sources.empty_process": "the process holds no steps, so there is nothing to run: draw its start event, tasks and end event, or set {setting}",
    "sources.no_diagram_in_folder": "no diagram ({kinds}) in the folder {folder}",
    "sources.decisions_alone": "a decision file deploys with the diagram that calls it: give the diagram or its "
                               "folder",
    "sources.no_diagram_sent": "no diagram was uploaded: send a {kinds} file",
    "elements.id_twice": "id {id} is used twice (lines {first} and {second}): every element needs its own id, "
                         "rename one",
    "elements.timer_start": "a timer start event does not start cases on a schedule here, so the case would wait "
                            "at its start for ever: use a none start (a person starts it) or a message start, with "
                            "a timer event after it if it must wait",
    "elements.signal_start": "a signal start event cannot be triggered here (cases send no signals to each other), "
                             "so the case would wait at its start for ever: use a message start (another system or "
                             "a person sends the message) or a none start",
    "elements.start_only_in_event_subprocess": "a start event of this kind ({kind}) belongs in an event subprocess "
                                               "only: use a none start, or put it in an event subprocess",
    "elements.complex_gateway": "a complex gateway cannot run here: say its rule with an exclusive, inclusive or "
                                "parallel gateway instead",
    "elements.compensation_boundary": "a compensation boundary event cannot run here: draw the compensating step as "
                                      "ordinary flow (an undo on the failing branch), or catch the failure with an "
                                      "error boundary event",
    "elements.data_store": "data store '{name}' (a database or system outside the process) cannot be read or "
                           "written here: remove it and its data associations, and pass the data with a service "
                           "task or form fields",
    "elements.untyped_task": "task has no type (bpmn:task), so nobody can do it and a case would wait here for "
                             "ever: make it a user task in a lane (a person does it), a manual task, or a script "
                             "or service task (the server does it)",
    "elements.call_names_nothing": "call activity names no process (calledElement): give the id of the process "
                                   "it calls",
    "elements.call_target_missing": "call activity calls process '{process}' (calledElement), which none of the "
                                    "files given holds: add the file holding it, or correct calledElement",
    "elements.call_target_not_executable": "call activity calls process '{process}', which is not executable "
                                           "(isExecutable=\"false\"): make it executable",
    "elements.camunda_decision_ref": "business rule task names its decision '{decision}' with {camunda}, which this engine does not read: name it with {spiff} ({decision})",
    "elements.no_decision": "business rule task names no decision: set {spiff} to the id of a decision in a .dmn file",
    "elements.decision_missing": "business rule task calls decision '{decision}', which no decision file holds "
                                 "(known: {known}): add the .dmn file holding it, or correct the id",
    "elements.link_without_catch": "link throw event '{link}' has no link catch event of the same name in the same "
                                   "process level, so the path would just end here: draw a link catch named "
                                   "'{link}' beside it, or correct the name",
    "elements.link_caught_twice": "link '{link}' is already caught by {first}; a link name is caught once per "
                                  "process level: rename or remove one of them",
    "elements.loop_without_end": "loop has neither a loopCondition nor a loopMaximum, so the engine cannot run it: "
                                 "give one of them",
    "elements.camunda_collection": "multi-instance names its collection '{collection}' with {camunda}, "
                                   "which this engine does not read: use loopDataInputRef ({collection})",
    "elements.multi_instance_over_nothing": "multi-instance has neither a loopCardinality nor a loopDataInputRef "
                                            "(collection): give one of them",
    "elements.multi_instance_both": "multi-instance has both a loopCardinality and a loopDataInputRef: keep one",
    "elements.multi_instance_collection": "multi-instance collection '{text}' is not a variable name: give the "
                                          "variable holding the list",
    "decisions.input_no_expression": "decision table input '{label}' has no input expression: give the variable or "
                                     "expression it compares",
    "decisions.input_refused": "decision table input '{label}' expression '{text}' refused: {reason}",
    "decisions.hit_policy": "hit policy {policy} is not supported: use {supported}",
    "decisions.aggregation": "aggregation {aggregation} is not supported: remove it, or compute it in a script "
                             "afterwards",
    "decisions.cell_blank": "rule {row}, column '{label}' holds only spaces: empty it or write - (any value)",
    "decisions.cell_refused": "rule {row}, column '{label}': '{text}' is no Python expression the engine can "
                              "evaluate ({reason}): write cells like \"gold\", > 1000, 1 <= ? <= 10 (FEEL is not "
                              "supported)",
    "decisions.cell_feel_list": "rule {row}, column '{label}': '{text}' is FEEL's \"one of\", which matches no value here: write {fix}",
    "decisions.cell_feel": "rule {row}, column '{label}': '{text}' uses FEEL's {names}: write Python's {python}",
    "schema.not_an_id": "{tag} {attribute} '{value}' is not a valid id: ids start with a letter or _ and hold "
                        "no spaces, only letters, digits, _ - .",
    "schema.not_a_reference": "{tag} {attribute} '{value}' is not a valid reference: give the id of the element "
                              "it refers to",
    "schema.not_a_number": "{tag} {attribute} '{value}' is not a whole number: write one",
    "schema.names_nothing": "{tag} '{value}' names no element of this file: give the id of the element it refers to",
    "schema.prefix_undeclared": "{tag} {attribute} '{value}' uses the prefix {prefix}, which the file does not "
                                "declare: declare xmlns:{prefix}, or remove the attribute",
    "schema.unknown_extension": "{tag} is another tool's extension element, unknown here: remove it, or put it "
                                "inside extensionElements",
    "schema.not_a_boolean": "{tag} {attribute} '{value}' must be {choices}",
    "schema.not_one_of": "{tag} {attribute} '{value}' is not allowed: use one of {allowed}",
    "schema.attribute_not_allowed": "{tag} may not have the attribute {attribute}: remove it",
    "schema.attribute_missing": "{tag} lacks the attribute {attribute}: add it",
    "schema.child_missing": "{tag} lacks a required child element (expected: {allowed}): add it",
    "schema.not_expected_here": "{tag} is not allowed here (expected: {allowed}): move or remove it",
    "schema.not_expected": "{tag} is not allowed here: move or remove it",
    "schema.not_bpmn": "not a BPMN 2.0 file: the root must be {root} in the namespace {namespace}",
    "schema.other": "not valid BPMN 2.0: {text}",
}
