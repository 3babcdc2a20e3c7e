"""Message catalogue: importing a diagram from another modeler on the processes page (the upload, who may,
and saving the fixed diagram as drafts). Every code in ZH has a sentence in EN."""

from __future__ import annotations

ZH: dict[str, str] = {
    "diagram_import.forbidden": "{user} 不能导入流程图：只有流程负责人和管理员可以",
    "diagram_import.apply_forbidden": "{user} 不能把导入的流程图保存为草稿：只有流程负责人可以",
    "diagram_import.no_file": "请选择要导入的流程图文件（{kinds}）",
    "diagram_import.wrong_kind": "「{file}」不是流程图文件：只接受 {kinds}",
    "diagram_import.empty": "「{file}」是空文件",
    "diagram_import.too_large": "「{file}」有 {size} 字节，超过了 {max} 字节的上限",
    "diagram_import.not_xml": "「{file}」第 {line} 行无法读取：{reason}",
    "diagram_import.not_bpmn": "「{file}」第 {line} 行：根元素是 {root}，不是 {expected}，这不是流程图",
    "diagram_import.no_process": "「{file}」中没有流程（{element}）",
    "diagram_import.gone": "这次导入已不存在或已过期（或属于另一个人），请重新上传文件",
    "diagram_import.role_unknown": "角色「{role}」不存在，可选：{known}",
    "diagram_import.nothing_runs": "勾选的修正之后，文件中没有可运行的流程（{setting} 且有开始事件）",
    "diagram_import.id_refused": "流程标识「{process}」不能用作新流程的标识：需为 3 到 64 个小写英文字母、数字或下划线，"
                                 "以字母开头（如 {example}）；请在原建模工具中改名后重新导入",
    "diagram_import.refused": "未保存任何草稿",
    "diagram_import.process_id_renamed": "流程标识「{old}」不能用作这里新流程的标识（3 到 64 个小写英文字母、数字或下划线，"
                                         "以字母开头）：改为「{new}」，文件中引用它的地方一并修改",
}

EN: dict[str, str] = {
    "diagram_import.forbidden": "{user} may not import diagrams: only process owners and administrators may",
    "diagram_import.apply_forbidden": "{user} may not save an imported diagram as a draft: only process owners may",
    "diagram_import.no_file": "choose the diagram file to import ({kinds})",
    "diagram_import.wrong_kind": "'{file}' is not a diagram file: only {kinds} are accepted",
    "diagram_import.empty": "'{file}' is empty",
    "diagram_import.too_large": "'{file}' is {size} bytes, more than the limit of {max} bytes",
    "diagram_import.not_xml": "'{file}' cannot be read at line {line}: {reason}",
    "diagram_import.not_bpmn": "'{file}' line {line}: the root element is {root}, not {expected}: "
                               "this is no diagram",
    "diagram_import.no_process": "'{file}' holds no process ({element})",
    "diagram_import.gone": "this import no longer exists or has expired (or is someone else's): upload the file again",
    "diagram_import.role_unknown": "there is no role '{role}'; the roles are: {known}",
    "diagram_import.nothing_runs": "after the chosen fixes no process of the file would run "
                                   "({setting} with a start event)",
    "diagram_import.id_refused": "the process id '{process}' cannot name a new process here: 3 to 64 lower-case "
                                 "letters, digits or underscores, starting with a letter (e.g. {example}); "
                                 "rename it in the modeler it came from and import it again",
    "diagram_import.refused": "no draft was saved",
    "diagram_import.process_id_renamed": "the process id '{old}' cannot name a new process here (3 to 64 lower-case "
                                         "letters, digits or underscores, starting with a letter): it becomes "
                                         "'{new}', and so do the references to it in the file",
}
