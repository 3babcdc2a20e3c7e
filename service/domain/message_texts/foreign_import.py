"""Message catalogue: `guicheng import` — what a diagram drawn in Camunda, Flowable, Signavio or bpmn.io
must change to run here, the fix offered when it is certain, and the command's summary lines.

`{attribute}`, `{value}`, `{expression}` are the diagram's own text, shown as written; the names of
languages, tools and extensions (`{juel}`, `{form_key}`…) are parameters too, filled by
`service.operations.foreign_import.TERMS`, so a sentence holds only words of its own language."""

from __future__ import annotations

ZH: dict[str, str] = {
    "foreign.juel_condition": "{what} 用的是 {juel} 表达式（{camunda}/{flowable}），这里的表达式是 {python}",
    "foreign.juel_untranslatable": "{what} 的 {juel} 表达式 {expression} 无法确定地译成 {python}：请改写为 {python} "
                                   "表达式（变量名、比较、{bool_ops}），例如 {example}",
    "foreign.feel_condition": "{what} 用的是 {feel} 表达式（{camunda} 8），这里的表达式是 {python}",
    "foreign.feel_untranslatable": "{what} 的 {feel} 表达式 {expression} 无法确定地译成 {python}：请改写为 {python} "
                                   "表达式（变量名、比较、{bool_ops}），例如 {example}",
    "foreign.zeebe_called_element": "调用的流程写在 {zeebe_called} 中，本引擎读取 {called_element} 属性",
    "foreign.juel_timer": "定时器 {tag} 用的是 {juel} 表达式，这里写变量名即可",
    "foreign.timer_unquoted": "定时器 {tag} 在这里是表达式：{iso} 文字须加引号",
    "foreign.decision_ref": "{attribute} 不被本引擎读取：决策须写在 {spiff_decision} 中",
    "foreign.decision_ref_dynamic": "{attribute}=\"{value}\" 是运行时才确定的决策，这里须写明决策表的标识"
                                    "（{spiff_decision}）",
    "foreign.form_key": "{attribute} 不被本引擎读取：任务的表单由属性 {form_key} 指定（表单文件 {form_file}）",
    "foreign.form_key_dynamic": "{attribute}=\"{value}\" 无法对应到表单文件：请为该任务画一个 {form_js} 表单，"
                                "并在属性 {form_key} 中写它的名字",
    "foreign.generated_form": "提示：原工具自动生成的表单字段（{fields}）这里不读取，请画一个 {form_js} 表单",
    "foreign.candidate_group": "{attribute} 在这里由泳道表示：任务放入角色「{role}」的泳道",
    "foreign.candidate_group_not_role": "{attribute}=\"{value}\"：{groups} 不是本组织的角色，"
                                        "请把任务放进以角色命名的泳道（如 {roles}）",
    "foreign.candidate_users": "{attribute}=\"{value}\" 指定的是具体的人：请把任务放进以其角色命名的泳道",
    "foreign.assignee": "{attribute} 在这里是属性 {assignee}（按案例数据求值的表达式）",
    "foreign.assignee_literal": "{attribute}=\"{value}\" 指定的人在这里不一定存在：请用泳道指定角色，"
                                "需要指定某人时在属性 {assignee} 中写取自案例数据的表达式",
    "foreign.untyped_task": "未指定类型的任务位于泳道「{lane}」中：改为人工任务，由该角色完成",
    "foreign.untyped_task_no_lane": "未指定类型的任务不在任何泳道中，没有人能完成它："
                                    "请改为泳道中的用户任务，或脚本任务/服务任务",
    "foreign.engine_call": "{attribute}=\"{value}\" 调用的是原引擎的程序，这里不能运行："
                           "服务任务须通过 {operator} 指定本系统的一个操作",
    "foreign.script_language": "脚本语言 {language} 这里不能运行：脚本须是受限的 {python}",
    "foreign.listener_ignored": "提示：{kind} 这里不执行",
    "foreign.input_output_ignored": "提示：{kind} 这里不执行，变量直接取自案例数据",
    "foreign.not_executable": "流程未标记为可执行（建模工具默认只作文档）：导入即为运行，标记为可执行",
    "foreign.no_target_namespace": "{definitions} 缺少规范要求的 {target_namespace}：补上（不影响运行）",
    "foreign.given_role": "任务不在任何泳道中：按您的选择放入角色「{role}」的泳道",
    "foreign.form_from_fields": "任务没有表单：按原工具列出的 {count} 个字段画出表单 {form_file}",
    "foreign.form_to_confirm": "任务没有表单：画出只显示任务名称的表单 {form_file}，办理即确认",
    "foreign.flow_without_id": "从 {source} 到 {target} 的顺序流没有标识，引擎会把这样的流当作同一条：给它一个",
    # the command's own lines
    "foreign.fix": "修正：{before} → {after}",
    "foreign.summary": "{files} 个文件：{findings} 处发现，{fixable} 处可自动修正，{applied} 处已修正；"
                       "{deployable} 个可以部署",
    "foreign.summary_hint": "加 {fix_option} 即可应用以上修正（原文件另存为 {orig}）",
    "foreign.written": "{file}：已写入修正，原文件保存为 {orig}",
    "foreign.form_written": "已画出表单 {file}",
    "foreign.no_files": "{path} 中没有流程图文件（{patterns}）",
    "foreign.not_read": "无法读取此文件：{reason}",
    "foreign.not_written": "无法写入修正，文件未改动：{reason}",
}

EN: dict[str, str] = {
    "foreign.juel_condition": "{what} is a {juel} expression ({camunda}/{flowable}); expressions here are {python}",
    "foreign.juel_untranslatable": "the {juel} {what} {expression} has no certain {python} translation: write it as a "
                                   "{python} expression (names, comparisons, {bool_ops}), e.g. {example}",
    "foreign.feel_condition": "{what} is a {feel} expression ({camunda} 8); expressions here are {python}",
    "foreign.feel_untranslatable": "the {feel} {what} {expression} has no certain {python} translation: write it as a "
                                   "{python} expression (names, comparisons, {bool_ops}), e.g. {example}",
    "foreign.zeebe_called_element": "the called process is given in {zeebe_called}; this engine reads the "
                                    "{called_element} attribute",
    "foreign.juel_timer": "timer {tag} is a {juel} expression; here the variable's name is enough",
    "foreign.timer_unquoted": "timer {tag} is an expression here: an {iso} literal needs quotes",
    "foreign.decision_ref": "{attribute} is not read by this engine: the decision goes in {spiff_decision}",
    "foreign.decision_ref_dynamic": "{attribute}=\"{value}\" is a decision chosen at run time; here name the "
                                    "decision table's id ({spiff_decision})",
    "foreign.form_key": "{attribute} is not read by this engine: a task's form is the property {form_key} "
                        "(form file {form_file})",
    "foreign.form_key_dynamic": "{attribute}=\"{value}\" names no form file: draw a {form_js} form for the task and "
                                "give its name in the {form_key} property",
    "foreign.generated_form": "warning: the form fields generated by the other tool ({fields}) are not read here; "
                              "draw a {form_js} form",
    "foreign.candidate_group": "{attribute} is a lane here: the task goes into the lane of role '{role}'",
    "foreign.candidate_group_not_role": "{attribute}=\"{value}\": {groups} is no role of this organisation; put "
                                        "the task in a lane named after a role (e.g. {roles})",
    "foreign.candidate_users": "{attribute}=\"{value}\" names people: put the task in a lane named after their role",
    "foreign.assignee": "{attribute} is the property {assignee} here (an expression over the case data)",
    "foreign.assignee_literal": "{attribute}=\"{value}\" names a person who may not exist here: give the role by a "
                                "lane, and to name one person write an expression over the case data in the "
                                "{assignee} property",
    "foreign.untyped_task": "untyped task in lane '{lane}': becomes a manual task done by that role",
    "foreign.untyped_task_no_lane": "untyped task outside any lane: nobody could do it; make it a user task in a "
                                    "lane, or a script or service task",
    "foreign.engine_call": "{attribute}=\"{value}\" calls code of the engine the diagram came from, which cannot run "
                           "here: a service task names one of this system's operations ({operator})",
    "foreign.script_language": "script language {language} cannot run here: scripts are restricted {python}",
    "foreign.listener_ignored": "warning: {kind} is not run here",
    "foreign.input_output_ignored": "warning: {kind} is not run here; variables come from the case data",
    "foreign.not_executable": "the process is not marked executable (modelers draw documentation by default); "
                              "imported to run, it is marked executable",
    "foreign.no_target_namespace": "{definitions} lacks the {target_namespace} the standard requires: added (it "
                                   "changes nothing that runs)",
    "foreign.given_role": "task in no lane: goes into the lane of role '{role}', as you chose",
    "foreign.form_from_fields": "task without a form: form {form_file} drawn from the {count} fields the other tool "
                                "listed",
    "foreign.form_to_confirm": "task without a form: form {form_file} that shows the task's name (doing the task "
                               "confirms it)",
    "foreign.flow_without_id": "the sequence flow from {source} to {target} has no id, and the engine takes all such "
                               "flows for one: it gets one",
    "foreign.fix": "fix: {before} → {after}",
    "foreign.summary": "{files} files: {findings} findings, {fixable} fixable, {applied} fixed; "
                       "{deployable} would deploy",
    "foreign.summary_hint": "add {fix_option} to apply the fixes listed (the original is kept as {orig})",
    "foreign.written": "{file}: fixes written, the original kept as {orig}",
    "foreign.form_written": "form drawn: {file}",
    "foreign.no_files": "{path} holds no diagram file ({patterns})",
    "foreign.not_read": "cannot read this file: {reason}",
    "foreign.not_written": "cannot write the fixes, the file is unchanged: {reason}",
}
