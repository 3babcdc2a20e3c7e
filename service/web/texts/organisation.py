"""Labels of the organisation pages (组织架构)."""

ZH: dict[str, str] = {
    "org.title": "组织架构", "org.nav": "组织架构", "org.count": "{d} 个部门 · {n} 人", "org.users": "用户管理",
    "org.export": "导出 Excel", "org.tree": "部门与人员",
    "org.tree_hint": "点击部门可修改部门或设置负责人，点击人员可调整其部门、上级和手机。",
    "org.leader": "负责人", "org.no_leader": "未设负责人", "org.people_n": "{n} 人", "org.superior_is": "上级：{name}",
    "org.customers": "客户联系人（不属于部门）", "org.unplaced": "未分配部门的人员", "org.no_departments": "还没有部门",
    "org.place": "人员调整", "org.place_hint": "一个人属于一个部门，有一位直接上级；上级关系不能成环。",
    "org.person": "人员", "org.department": "部门", "org.superior": "直接上级", "org.mobile": "手机",
    "org.choose": "— 请选择 —", "org.none": "— 无 —", "org.top_level": "— 顶级部门 —", "org.save": "保存",
    "org.edit_department": "修改部门", "org.new_name": "部门名称", "org.parent": "上级部门", "org.delete": "删除部门",
    "org.delete_hint": "只有没有人员、也没有下级部门的部门才能删除。", "org.set_leader": "设置负责人",
    "org.new_department": "新建部门", "org.name": "名称", "org.create": "新建",
    "org.import": "导入 / 导出", "org.import.file": "Excel 文件（.xlsx）", "org.import.submit": "导入",
    "org.import_hint": "先导出，在 Excel 中修改后再导入。任何一行有错，整个文件都不会导入；文件中没有的人员保持不变。"
                       "新导入的人员没有密码，需由管理员设置。",
    "org.import.choose": "请选择一个 .xlsx 文件", "org.import.refused": "「{file}」未导入，没有任何改变：发现 {n} 处问题",
    "org.import.sheet": "工作表", "org.import.row": "行", "org.import.column": "列", "org.import.message": "问题",
    "org.import.done": "「{file}」已导入", "org.import.nothing": "「{file}」与现有组织架构一致，没有改变",
    "org.import.departments": "新建部门 {n} 个", "org.import.leaders": "更换负责人 {n} 个",
    "org.import.created": "新建人员 {n} 人", "org.import.updated": "更新人员 {n} 人",
    "org.import.unchanged": "未变人员 {n} 人", "org.import.not_in_file": "文件中没有、保持不变的人员 {n} 人",
    "org.import.ignored": "忽略的列：{columns}", "org.import.no_password": "新建的人员还没有密码，请在用户管理中为他们设置。",
    "org.pick_department": "请选择部门", "org.pick_person": "请选择人员", "org.created": "已新建部门「{name}」",
    "org.saved": "已保存", "org.deleted": "已删除部门", "org.placed": "已更新 {u} 的部门、上级和手机",
    "org.list_sep": "、", "org.colon": "：",
}

EN: dict[str, str] = {
    "org.title": "Organisation", "org.nav": "Organisation", "org.count": "{d} departments · {n} people",
    "org.users": "Users", "org.export": "Export to Excel", "org.tree": "Departments and people",
    "org.tree_hint": "Click a department to change it or set its leader, a person to change their department, "
                     "superior and mobile.",
    "org.leader": "Leader", "org.no_leader": "no leader", "org.people_n": "{n} people", "org.superior_is": "reports to {name}",
    "org.customers": "Customer contacts (in no department)", "org.unplaced": "People in no department",
    "org.no_departments": "No departments yet",
    "org.place": "Department and superior", "org.place_hint": "Each person belongs to one department and has one "
                                                              "direct superior; superiors may not form a cycle.",
    "org.person": "Person", "org.department": "Department", "org.superior": "Direct superior", "org.mobile": "Mobile",
    "org.choose": "— choose —", "org.none": "— none —", "org.top_level": "— top level —", "org.save": "Save",
    "org.edit_department": "Change a department", "org.new_name": "Name", "org.parent": "Parent department",
    "org.delete": "Delete department", "org.delete_hint": "Only a department with no people and no departments "
                                                          "under it can be deleted.",
    "org.set_leader": "Set the leader", "org.new_department": "New department", "org.name": "Name",
    "org.create": "Create",
    "org.import": "Import / export", "org.import.file": "Excel file (.xlsx)", "org.import.submit": "Import",
    "org.import_hint": "Export, edit in Excel, import again. If any row is wrong, nothing of the file is imported; "
                       "people who are not in the file stay as they are. New people get no password: an "
                       "administrator sets one.",
    "org.import.choose": "Choose an .xlsx file", "org.import.refused": "{file} was not imported, nothing changed: "
                                                                       "{n} problems found",
    "org.import.sheet": "Sheet", "org.import.row": "Row", "org.import.column": "Column", "org.import.message": "Problem",
    "org.import.done": "{file} imported", "org.import.nothing": "{file} matches the organisation: nothing changed",
    "org.import.departments": "{n} departments created", "org.import.leaders": "{n} leaders changed",
    "org.import.created": "{n} people created", "org.import.updated": "{n} people updated",
    "org.import.unchanged": "{n} people unchanged", "org.import.not_in_file": "{n} people not in the file, unchanged",
    "org.import.ignored": "Columns ignored: {columns}",
    "org.import.no_password": "The new people have no password yet: set one for each under Users.",
    "org.pick_department": "Choose a department", "org.pick_person": "Choose a person",
    "org.created": "Department {name} created", "org.saved": "Saved", "org.deleted": "Department deleted",
    "org.placed": "Department, superior and mobile of {u} saved",
    "org.list_sep": ", ", "org.colon": ": ",
}
