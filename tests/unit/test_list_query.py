"""The lists' query rules (seed 004, 1.2): wildcards, AND/OR, the 200-row cut with its total, the pinyin
sort, numbers by value, nested groups with counts and sums, column choice and errors that say where."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from service.domain import list_query as lq
from service.domain.list_query import Column, Condition, ListQuery, QueryRejected, SortKey
from service.domain.messages import render

TZ = ZoneInfo("Asia/Shanghai")
COLUMNS = (
    Column("serial_no", "序列号", "Serial no."),
    Column("customer", "客户", "Customer"),
    Column("engineer", "工程师", "Engineer"),
    Column("region", "销售区域", "Region"),
    Column("amount", "金额", "Amount", "number", total=True, decimals=2),
    Column("quantity", "数量", "Quantity", "number", total=True),
    Column("requested_at", "报修时间", "Requested", "datetime"),
    Column("first_use_on", "首次使用", "First used", "date"),
    Column("status", "状态", "Status", "choice", (("new", "新建", "New"), ("closed", "已关闭", "Closed"))),
    Column("warranty", "是否三包", "Warranty", "bool"),
)


def rows() -> list[dict[str, object]]:
    return [
        {"serial_no": "2BY.5084.1044.1", "customer": "欧莱雅", "engineer": "张伟", "region": "华东区/上海",
         "amount": 120, "quantity": 2, "requested_at": datetime(2026, 9, 30, 9, 0, tzinfo=TZ),
         "first_use_on": date(2025, 9, 1), "status": "new", "warranty": True},
        {"serial_no": "2BY.5084.2044.7", "customer": "华为", "engineer": "李娜", "region": "华南区/深圳",
         "amount": 80.5, "quantity": 1, "requested_at": datetime(2026, 9, 29, 18, 0, tzinfo=TZ), "first_use_on": None,
         "status": "closed", "warranty": False},
        {"serial_no": "3CX.0001", "customer": "欧莱雅", "engineer": "王芳", "region": "华东区/杭州", "amount": None,
         "quantity": 3, "requested_at": datetime(2026, 9, 1, 8, 0, tzinfo=TZ), "first_use_on": date(2026, 1, 5),
         "status": "closed", "warranty": True},
    ]


def run(query: ListQuery | None = None, data: Sequence[Mapping[str, Any]] | None = None) -> lq.ListResult:
    return lq.run(rows() if data is None else data, COLUMNS, query or ListQuery())


def where(text: str) -> lq.ListResult:
    return run(ListQuery(lq.parse_where(text, COLUMNS)))


def serials(result: lq.ListResult) -> list[str]:
    return [str(r["serial_no"]) for r in result.rows]


@pytest.mark.parametrize("text", ["2by*5084*4*1", "*y.50*4.10*4", "序列号 = 2by*5084*4*1", "serial_no ~ 5084.10",
                                  '"SERIAL NO." ~ 2BY.5084.1'])
def test_the_seeds_wildcards_find_the_part_in_any_case(text: str) -> None:
    assert serials(where(text)) == ["2BY.5084.1044.1"]


def test_a_value_without_a_star_is_found_anywhere_and_equals_means_the_whole_cell() -> None:
    assert serials(where("customer ~ 莱")) == ["2BY.5084.1044.1", "3CX.0001"]
    assert serials(where("customer = 莱")) == []
    assert serials(where("customer = 欧莱雅")) == ["2BY.5084.1044.1", "3CX.0001"]
    assert serials(where("serial_no = 2by*")) == ["2BY.5084.1044.1", "2BY.5084.2044.7"]  # the start, then any
    assert serials(where("serial_no != 2by*")) == ["3CX.0001"]
    assert serials(where("* ~ 深圳")) == ["2BY.5084.2044.7"]  # any field
    assert serials(where("* !~ 欧莱雅")) == ["2BY.5084.2044.7"]  # no field has it


def test_and_binds_tighter_than_or() -> None:
    # (customer 欧莱雅 AND engineer 王芳) OR (serial 2BY…7): two rows; read left to right it would be one
    text = "customer = 欧莱雅 and engineer ~ 王 or serial_no ~ *2044.7"
    assert sorted(serials(where(text))) == ["2BY.5084.2044.7", "3CX.0001"]
    assert serials(where("customer = 欧莱雅 and engineer ~ 李")) == []
    assert sorted(serials(where("customer = 华为 or engineer ~ 王"))) == ["2BY.5084.2044.7", "3CX.0001"]
    assert serials(where("客户 = 华为 且 金额 > 100 或 数量 >= 3")) == ["3CX.0001"]


def test_form_rows_skip_blank_rows_and_join_as_said() -> None:
    conditions = lq.condition_rows(COLUMNS, [("and", "customer", "=", "欧莱雅"), ("and", "engineer", "~", ""),
                                             ("or", "serial_no", "~", "2044")])
    assert [c.join for c in conditions] == ["and", "or"]
    assert sorted(serials(run(ListQuery(conditions)))) == ["2BY.5084.1044.1", "2BY.5084.2044.7", "3CX.0001"]


def test_numbers_dates_choices_and_yes_no_compare_by_value() -> None:
    assert serials(where("amount > 100")) == ["2BY.5084.1044.1"]
    assert serials(where("amount <= 80.5")) == ["2BY.5084.2044.7"]
    assert serials(where("amount = 80.50")) == ["2BY.5084.2044.7"]
    assert serials(where("amount =")) == ["3CX.0001"]  # an empty cell
    assert serials(where("requested_at = 2026-09-30")) == ["2BY.5084.1044.1"]  # the whole day
    assert sorted(serials(where("requested_at < 2026-09-30"))) == ["2BY.5084.2044.7", "3CX.0001"]
    assert serials(where("requested_at >= 2026-09-29T18:00+08:00 and requested_at < 2026-09-30")) == [
        "2BY.5084.2044.7"]
    assert serials(where("first_use_on > 2025-12-31")) == ["3CX.0001"]
    assert sorted(serials(where("status = 已关闭"))) == ["2BY.5084.2044.7", "3CX.0001"]
    assert sorted(serials(where("status = closed"))) == ["2BY.5084.2044.7", "3CX.0001"]
    assert sorted(serials(where("warranty = 是"))) == ["2BY.5084.1044.1", "3CX.0001"]
    assert serials(where("warranty = no")) == ["2BY.5084.2044.7"]


def test_201_matches_show_200_and_count_201() -> None:
    many = [{"serial_no": f"2BY.{i:04d}", "customer": "欧莱雅"} for i in range(201)]
    many.append({"serial_no": "X", "customer": "华为"})
    result = run(ListQuery(lq.parse_where("customer = 欧莱雅", COLUMNS)), many)
    assert (result.shown, result.total) == (200, 201)
    assert run(ListQuery(limit=1000), many).shown == 200  # never more than 200, whatever is asked


def test_chinese_sorts_by_pinyin_latin_without_case_and_empty_last() -> None:
    people = [{"engineer": name} for name in ("张三", "李四", "王五", "", "bob", "Alice", "Zoe", "安娜")]
    result = run(ListQuery(sort=(SortKey("engineer"),)), people)
    assert [r["engineer"] for r in result.rows] == ["Alice", "安娜", "bob", "李四", "王五", "张三", "Zoe", ""]
    result = run(ListQuery(sort=(SortKey("engineer", descending=True),)), people)
    assert [r["engineer"] for r in result.rows] == ["Zoe", "张三", "王五", "李四", "bob", "安娜", "Alice", ""]
    assert [r["engineer"] for r in run(ListQuery(sort=lq.read_sort(COLUMNS, ["工程师"])), [
        {"engineer": "张"}, {"engineer": "李"}, {"engineer": "王"}]).rows] == ["李", "王", "张"]


def test_numbers_sort_by_value_and_digits_in_text_too() -> None:
    data = [{"amount": a, "serial_no": s} for a, s in ((10, "PG-10"), ("9", "PG-9"), (100.5, "PG-100"), (None, ""))]
    assert [r["amount"] for r in run(ListQuery(sort=(SortKey("amount"),)), data).rows] == ["9", 10, 100.5, None]
    assert [r["amount"] for r in run(ListQuery(sort=lq.read_sort(COLUMNS, ["-amount"])), data).rows] == [
        100.5, 10, "9", None]
    assert [r["serial_no"] for r in run(ListQuery(sort=(SortKey("serial_no"),)), data).rows] == [
        "PG-9", "PG-10", "PG-100", ""]


def test_several_sort_columns() -> None:
    result = run(ListQuery(sort=lq.read_sort(COLUMNS, ["customer", "-requested_at"])))
    assert serials(result) == ["2BY.5084.2044.7", "2BY.5084.1044.1", "3CX.0001"]  # 华为 (hua) before 欧莱雅 (ou)


def test_two_level_groups_count_and_sum_every_match() -> None:
    data = [{"customer": c, "region": r, "amount": a, "quantity": 1}
            for c, r, a in (("欧莱雅", "华东区/上海", 10), ("华为", "华南区/深圳", 5), ("欧莱雅", "华东区/上海", 2.5),
                            ("欧莱雅", "华东区/杭州", 1), ("华为", "华南区/深圳", None))]
    result = run(ListQuery(group_by=("customer", "region"), columns=("customer", "region", "amount", "quantity")),
                 data)
    top = [(g.value, g.count, g.sums) for g in result.groups]
    assert top == [("华为", 2, {"amount": 5, "quantity": 2}), ("欧莱雅", 3, {"amount": 13.5, "quantity": 3})]
    inner = [(g.value, g.count, g.sums["amount"]) for g in result.groups[1].groups]
    assert inner == [("华东区/杭州", 1, 1), ("华东区/上海", 2, 12.5)]
    # the rows come group by group, and the lines of the table put each group's heading first
    kinds = [(kind, level) for kind, level, _ in lq.lines(result)]
    assert kinds[:4] == [("group", 1), ("group", 2), ("row", 2), ("row", 2)]
    assert [r["customer"] for r in result.rows] == ["华为", "华为", "欧莱雅", "欧莱雅", "欧莱雅"]
    # groups count all matches even when only some rows are shown
    cut = run(ListQuery(group_by=("customer",), limit=3), data)
    assert [(g.count, g.shown) for g in cut.groups] == [(2, 2), (3, 1)]


def test_group_by_a_time_column_is_by_day() -> None:
    result = run(ListQuery(group_by=("requested_at",), sort=(SortKey("requested_at", True),)))
    assert [(g.value.date(), g.count) for g in result.groups] == [
        (date(2026, 9, 30), 1), (date(2026, 9, 29), 1), (date(2026, 9, 1), 1)]


def test_columns_chosen_by_key_or_header() -> None:
    chosen = lq.read_columns(COLUMNS, ["客户", "serial_no", "Amount", "客户"])
    result = run(ListQuery(columns=chosen))
    assert [c.key for c in result.columns] == ["customer", "serial_no", "amount"]
    assert [c.key for c in run().columns] == [c.key for c in COLUMNS]


def _refusal(text: str) -> tuple[str, str, str]:
    with pytest.raises(QueryRejected) as caught:
        lq.parse_where(text, COLUMNS)
    (part, message), = caught.value.errors.items()
    return part, message.render("zh"), message.render("en")


def test_refusals_name_the_condition_and_what_is_wrong_in_both_languages() -> None:
    part, zh, en = _refusal("customer = 欧莱雅 and 金额 > 很多")
    assert part == "condition 2"
    assert "条件 2「金额 > 很多」" in zh and "数字" in zh
    assert "condition 2 “金额 > 很多”" in en and "numbers" in en
    part, zh, en = _refusal("colour = red")
    assert "colour" in zh and "serial_no" in zh and "no column" in en
    assert "只能用于数字或日期列" in _refusal("customer > 3")[1]
    assert "应写成" in _refusal("customer like 3")[1]
    with pytest.raises(QueryRejected) as caught:
        lq.condition_rows(COLUMNS, [("and", "customer", "like", "3")])
    assert "not an operator" in caught.value.errors["condition 1"].render("en")
    assert "结尾" in _refusal("customer = 华为 and")[1]
    assert "日期" in _refusal("requested_at < yesterday")[1]
    with pytest.raises(QueryRejected) as caught:
        lq.condition_rows(COLUMNS, [("and", "amount", ">", "x"), ("xor", "customer", "~", "a")])
    assert set(caught.value.errors) == {"condition 1", "condition 2"}
    with pytest.raises(QueryRejected) as caught:
        lq.read_sort(COLUMNS, ["-nothing"])
    assert "nothing" in render(caught.value.errors["sort"].code, "en", **caught.value.errors["sort"].params)


def test_quoted_values_keep_their_spaces_and_words() -> None:
    data = [{"customer": "Acme and Sons"}, {"customer": "Acme"}]
    result = run(ListQuery(lq.parse_where('customer = "Acme and Sons"', COLUMNS)), data)
    assert [r["customer"] for r in result.rows] == ["Acme and Sons"]
    assert lq.parse_where("欧莱雅", COLUMNS) == (Condition(lq.ANY_FIELD, "~", "欧莱雅", "and"),)


def test_cells_read_in_each_language() -> None:
    status, warranty, amount = COLUMNS[8], COLUMNS[9], COLUMNS[4]
    assert (lq.cell_text(status, "closed", "zh"), lq.cell_text(status, "closed", "en")) == ("已关闭", "Closed")
    assert (lq.cell_text(warranty, True, "zh"), lq.cell_text(warranty, False, "en")) == ("是", "no")
    assert lq.cell_text(amount, 80.5) == "80.50"
