"""Message catalogue: contract numbering (the schemes per contract type and the register of numbers)."""

from __future__ import annotations

ZH: dict[str, str] = {
    "contracts.prefix_invalid": "前缀「{value}」不可用：须以大写字母开头，只含大写字母和数字，最多 8 个字符",
    "contracts.digits_invalid": "序号位数「{value}」不可用：须为 {low} 到 {high} 之间的整数",
    "contracts.may_not_read": "{user} 不能查看合同编号（只有公司员工可以）",
    "contracts.may_not_edit_numbering": "{user} 不能修改合同编号规则（只有流程负责人和系统管理员可以）",
    "contracts.unknown_type": "没有合同类型「{type}」",
    "contracts.scheme_refused": "{type}的编号规则未修改",
}

EN: dict[str, str] = {
    "contracts.prefix_invalid": "the prefix “{value}” cannot be used: it starts with a capital letter and holds only "
                                "capital letters and digits, at most 8",
    "contracts.digits_invalid": "“{value}” digits cannot be used: a whole number from {low} to {high}",
    "contracts.may_not_read": "{user} may not read the contract numbers (staff only)",
    "contracts.may_not_edit_numbering": "{user} may not change the contract numbering (process owners and "
                                        "administrators only)",
    "contracts.unknown_type": "there is no contract type “{type}”",
    "contracts.scheme_refused": "the numbering of the {type} was not changed",
}
