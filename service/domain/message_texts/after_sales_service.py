"""Message catalogue: the dispatch-order case (materials, owed parts, warranty dates)."""

from __future__ import annotations

ZH: dict[str, str] = {
    "after_sales.not_a_date": "「{value}」不是日期（YYYY-MM-DD）",
    "after_sales.unknown_part_kind": "未知的部件类别「{kind}」（可选：整机、配件）",
    "after_sales.material_line": "第 {line} 行材料：需要物料编号、领用或退料、大于 0 的数量",
    "after_sales.return_exceeds": "物料 {material_no} 退料 {returned} 多于本单领用 {requisitioned}，不能退回未领用的材料",
    "after_sales.owed_part_line": "第 {line} 行欠件：需要物料编号和大于 0 的数量",
}

EN: dict[str, str] = {
    "after_sales.not_a_date": "“{value}” is not a date (YYYY-MM-DD)",
    "after_sales.unknown_part_kind": "unknown part kind “{kind}” (whole_unit or accessory)",
    "after_sales.material_line": "material line {line}: needs a material no., requisition or return, and a "
                                 "quantity above 0",
    "after_sales.return_exceeds": "material {material_no}: returning {returned} is more than the {requisitioned} "
                                  "this order requisitioned; what was not requisitioned cannot be returned",
    "after_sales.owed_part_line": "owed part line {line}: needs a material no. and a quantity above 0",
}
