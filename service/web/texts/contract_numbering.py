"""Page labels: contract numbering (schemes per contract type, the register of numbers issued)."""

from __future__ import annotations

ZH: dict[str, str] = {
    "cnum.tab": "合同编号",
    "cnum.title": "合同编号",
    "cnum.hint": "每种合同类型单独编号：前缀-年份-序号，合同批准时按批准年份取下一个号，不跳号。修改前缀或位数只影响以后的编号。",
    "cnum.col.type": "合同类型", "cnum.col.prefix": "前缀", "cnum.col.digits": "序号位数",
    "cnum.col.issued": "今年已编号", "cnum.col.next": "下一个编号",
    "cnum.save": "保存",
    "cnum.saved": "已保存：{type}的前缀为 {prefix}",
    "cnum.register": "已发出的合同编号",
    "cnum.register_hint": "最新的在前，最多显示 200 条。",
    "cnum.filter": "合同类型", "cnum.all_types": "全部类型", "cnum.show": "显示",
    "cnum.col.number": "合同编号", "cnum.col.case": "案例", "cnum.col.issued_at": "编号时间",
    "cnum.none": "还没有发出合同编号。",
}

EN: dict[str, str] = {
    "cnum.tab": "Contract numbers",
    "cnum.title": "Contract numbering",
    "cnum.hint": "Each contract type numbers on its own: prefix-year-sequence, the next number of the year of "
                 "approval, taken when the contract is approved, with no gaps. A new prefix or number of digits "
                 "applies to later numbers only.",
    "cnum.col.type": "Contract type", "cnum.col.prefix": "Prefix", "cnum.col.digits": "Digits",
    "cnum.col.issued": "Issued this year", "cnum.col.next": "Next number",
    "cnum.save": "Save",
    "cnum.saved": "Saved: the {type} prefix is {prefix}",
    "cnum.register": "Contract numbers issued",
    "cnum.register_hint": "Newest first, at most 200.",
    "cnum.filter": "Contract type", "cnum.all_types": "All types", "cnum.show": "Show",
    "cnum.col.number": "Contract no.", "cnum.col.case": "Case", "cnum.col.issued_at": "Numbered at",
    "cnum.none": "No contract number has been issued yet.",
}
