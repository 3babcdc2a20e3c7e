"""Message catalogue: the after-sales lists' query (conditions, sort, groups, columns). Every code in ZH
has a sentence in EN."""

from __future__ import annotations

ZH: dict[str, str] = {
    "list.refused": "查询条件有误：{parts}",
    "list.unknown_list": "没有名为「{list}」的列表（可用：{lists}）",
    "list.bad_join": "条件 {n}「{condition}」：连接词「{join}」只能是「且」或「或」",
    "list.value_too_long": "条件 {n}「{condition}」：值最长 {max} 个字符",
    "list.bad_operator": "条件 {n}「{condition}」：「{op}」不是运算符（可用：{allowed}）",
    "list.any_field_operator": "条件 {n}「{condition}」：任意字段（*）只能用 {allowed}，不能用「{op}」",
    "list.unknown_field": "条件 {n}「{condition}」：没有名为「{field}」的列（可用：{fields}）",
    "list.operator_needs_order": "条件 {n}「{condition}」：「{op}」只能用于数字或日期列，{field} 不是",
    "list.not_a_number": "条件 {n}「{condition}」：{field} 是数字列，「{value}」不是数字",
    "list.not_a_date": "条件 {n}「{condition}」：{field} 是日期列，「{value}」不是日期（如 2026-09-30）",
    "list.not_a_yes_no": "条件 {n}「{condition}」：{field} 只有 是 / 否，「{value}」不是",
    "list.value_missing": "条件 {n}「{condition}」：比较大小需要一个值",
    "list.bad_text": "查询文字第 {at} 个字符处无法识别：{text}",
    "list.dangling_join": "查询以「{join}」结尾，后面缺少条件",
    "list.bad_condition": "条件 {n}「{condition}」：应写成「字段 运算符 值」，或只写一个值",
    "list.too_many_conditions": "条件最多 {max} 个",
    "list.unknown_sort": "排序：没有名为「{field}」的列（可用：{fields}）",
    "list.unknown_group": "分组：没有名为「{field}」的列（可用：{fields}）",
    "list.unknown_column": "显示列：没有名为「{field}」的列（可用：{fields}）",
    "list.bad_limit": "每次最多显示 {max} 条，limit 应为 1 到 {max} 之间的整数，而不是 {value}",
    "list.bad_format": "导出格式只能是 {allowed} 之一，而不是 {value}",
}

EN: dict[str, str] = {
    "list.refused": "the query was refused: {parts}",
    "list.unknown_list": "there is no list called “{list}” (lists: {lists})",
    "list.bad_join": "condition {n} “{condition}”: “{join}” is not AND / OR",
    "list.value_too_long": "condition {n} “{condition}”: a value has at most {max} characters",
    "list.bad_operator": "condition {n} “{condition}”: “{op}” is not an operator (operators: {allowed})",
    "list.any_field_operator": "condition {n} “{condition}”: any field (*) takes only {allowed}, not “{op}”",
    "list.unknown_field": "condition {n} “{condition}”: there is no column “{field}” (columns: {fields})",
    "list.operator_needs_order": "condition {n} “{condition}”: “{op}” compares numbers or dates only; {field} is "
                                 "neither",
    "list.not_a_number": "condition {n} “{condition}”: {field} holds numbers, and “{value}” is not one",
    "list.not_a_date": "condition {n} “{condition}”: {field} holds dates, and “{value}” is not one (e.g. 2026-09-30)",
    "list.not_a_yes_no": "condition {n} “{condition}”: {field} is yes or no, not “{value}”",
    "list.value_missing": "condition {n} “{condition}”: a comparison needs a value",
    "list.bad_text": "the query cannot be read at character {at}: {text}",
    "list.dangling_join": "the query ends with “{join}” and no condition after it",
    "list.bad_condition": "condition {n} “{condition}”: write “field operator value”, or a value alone",
    "list.too_many_conditions": "at most {max} conditions",
    "list.unknown_sort": "sort: there is no column “{field}” (columns: {fields})",
    "list.unknown_group": "group by: there is no column “{field}” (columns: {fields})",
    "list.unknown_column": "columns: there is no column “{field}” (columns: {fields})",
    "list.bad_limit": "a query shows at most {max} rows: limit must be a whole number from 1 to {max}, not {value}",
    "list.bad_format": "the format must be one of {allowed}, not {value}",
}
