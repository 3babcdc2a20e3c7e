"""Message catalogue: the organisation workbook — why a file or a cell is refused, and the command line's lines.

Each problem of an import is shown as `sheet:row:column: message`; the sheet and column names are the
workbook's own headers (data of the file), so they are parameters, never part of a sentence.
Parameters a sentence does not show (`reason`: the reader's failure) are kept for programs.
"""

from __future__ import annotations

ZH: dict[str, str] = {
    # the file as a whole
    "org_import.unreadable": "无法读取此工作簿",
    "org_import.file_too_large": "文件有 {size} 字节，最多 {max} 字节",
    "org_import.old_format": "这是旧版（97-2003）工作簿格式，请另存为 .xlsx 后再导入",
    "org_import.not_xlsx": "不是 .xlsx 工作簿",
    "org_import.too_many_members": "压缩包内有 {count} 个文件，最多 {max} 个",
    "org_import.no_workbook": "压缩包里没有工作簿",
    "org_import.damaged": "压缩包已损坏",
    "org_import.unpacked_too_large": "解压后超过 {max} 兆字节",
    "org_import.entities": "{member} 含有实体声明，已拒绝",
    "org_import.row_beyond_limit": "「{sheet}」的行号超过电子表格的上限",
    "org_import.too_many_rows": "「{sheet}」超过 {max} 行",
    "org_import.no_sheet": "工作簿中没有「{sheet}」表",
    "org_import.more": "…还有 {count} 处问题",
    "org_import.and": "{first}；{then}",
    # one cell
    "org_import.cell_formula": "公式不能导入，请直接填写内容",
    "org_import.cell_date": "应为文字，不是日期",
    "org_import.cell_error": "单元格是错误值",
    "org_import.cell_not_text": "应为文字",
    "org_import.required": "不能为空",
    "org_import.column_twice": "列「{column}」出现了两次",
    "org_import.column_missing": "缺少列「{column}」",
    "org_import.path_too_deep": "部门路径超过 {max} 级",
    "org_import.path_level": "「{part}」：{problem}",
    "org_import.path_empty_level": "路径中有空的一级",
    "org_import.department_twice": "部门「{path}」在第 {row} 行已经出现",
    "org_import.unknown_roles": "未知角色：{roles}",
    "org_import.username_format": "用户名「{username}」只能用字母、数字和 _ . -",
    "org_import.own_superior": "不能是自己的上级",
    "org_import.username_twice": "用户名「{username}」在第 {row} 行已经出现",
    # rows against each other and the database
    "org_import.parent_unknown": "上级部门「{parent}」不在部门表中，也不在系统中",
    "org_import.department_unknown": "未知部门「{path}」：既不在部门表中，也不在系统中",
    "org_import.user_nowhere": "「{username}」既不在文件中，也不在系统中",
    "org_import.user_inactive": "用户「{username}」已停用",
    # the command line: `guicheng users list`, `guicheng org import|export|show`
    "org_cli.problems": "{file}：共 {count} 处问题，没有任何改变",
    "org_cli.exported": "组织架构已导出到 {path}",
    "org_cli.departments_created": "新建部门：{count}",
    "org_cli.leaders_changed": "更换负责人：{count}",
    "org_cli.users_created": "新建用户：{count}",
    "org_cli.users_updated": "修改用户：{count}",
    "org_cli.users_unchanged": "未变用户：{count}",
    "org_cli.names": "（{names}）",
    "org_cli.no_password": "新用户还没有密码：请管理员在用户页面（{page}）或用 `{command}` 设置",
    "org_cli.not_in_file": "文件中没有的用户，保持不变：{names}",
    "org_cli.columns_ignored": "忽略的列：{columns}",
    "org_cli.inactive": "（已停用）",
    "org_cli.superior": "上级",
    "org_cli.leader": "负责人",
    "org_cli.no_department": "（无部门）",
}

EN: dict[str, str] = {
    # the file as a whole
    "org_import.unreadable": "the workbook cannot be read",
    "org_import.file_too_large": "the file has {size} bytes, at most {max} are read",
    "org_import.old_format": "this is the old .xls format (Excel 97-2003): save it as .xlsx first",
    "org_import.not_xlsx": "not an .xlsx workbook",
    "org_import.too_many_members": "{count} files inside the zip, at most {max}",
    "org_import.no_workbook": "the zip holds no Excel workbook",
    "org_import.damaged": "the .xlsx file is damaged",
    "org_import.unpacked_too_large": "unpacks to more than {max} MB",
    "org_import.entities": "{member} declares XML entities: refused",
    "org_import.row_beyond_limit": "sheet {sheet}: rows beyond Excel's limit",
    "org_import.too_many_rows": "sheet {sheet} has more than {max} rows",
    "org_import.no_sheet": "the workbook has no sheet {sheet}",
    "org_import.more": "…and {count} more problems",
    "org_import.and": "{first}; {then}",
    # one cell
    "org_import.cell_formula": "a formula cannot be imported: type the value",
    "org_import.cell_date": "expected text, not a date",
    "org_import.cell_error": "the cell holds an error value",
    "org_import.cell_not_text": "expected text",
    "org_import.required": "required",
    "org_import.column_twice": "column {column} appears twice",
    "org_import.column_missing": "column {column} is missing",
    "org_import.path_too_deep": "a department path has at most {max} levels",
    "org_import.path_level": "“{part}”: {problem}",
    "org_import.path_empty_level": "the path has an empty level",
    "org_import.department_twice": "department {path} is already on row {row}",
    "org_import.unknown_roles": "unknown role: {roles}",
    "org_import.username_format": "the user name {username} may use letters, digits and _ . - only",
    "org_import.own_superior": "a person cannot be their own superior",
    "org_import.username_twice": "duplicate user name {username}: already on row {row}",
    # rows against each other and the database
    "org_import.parent_unknown": "parent department {parent} is neither in the sheet nor in the system",
    "org_import.department_unknown": "unknown department {path}: neither in the sheet nor in the system",
    "org_import.user_nowhere": "user {username} is neither in the file nor in the system",
    "org_import.user_inactive": "user {username} is inactive",
    # the command line: `guicheng users list`, `guicheng org import|export|show`
    "org_cli.problems": "{file}: {count} problem(s); nothing was changed",
    "org_cli.exported": "exported the organisation to {path}",
    "org_cli.departments_created": "departments created: {count}",
    "org_cli.leaders_changed": "leaders changed: {count}",
    "org_cli.users_created": "users created: {count}",
    "org_cli.users_updated": "users updated: {count}",
    "org_cli.users_unchanged": "users unchanged: {count}",
    "org_cli.names": " ({names})",
    "org_cli.no_password": "new users have no password yet: an administrator sets one on the user page ({page}) "
                           "or with `{command}`",
    "org_cli.not_in_file": "not in the file, unchanged: {names}",
    "org_cli.columns_ignored": "columns ignored: {columns}",
    "org_cli.inactive": "  (inactive)",
    "org_cli.superior": "superior",
    "org_cli.leader": "leader",
    "org_cli.no_department": "(no department)",
}
