"""What people type into the case search, read the way they mean it: `*` is the only wildcard, `%` and
`_` are plain characters, Chinese works, and every wrong value is named by its field."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from service.domain.case_search_terms import LIKE_ESCAPE, CaseQuery, QueryRejected, like_pattern, read_query

VALUES = ["欧莱雅", "华为", "欧莱雅 / CITRIX安装", "华为 / 云桌面 / HT-2026_001", "100% 完成", "a_b", "axb", r"C:\temp",
          "L'Oréal 中国"]


def _found(typed: str) -> list[str]:
    """What a real LIKE … ESCAPE finds for the typed text among VALUES."""
    db = sqlite3.connect(":memory:")
    return [v for v in VALUES if db.execute("SELECT ? LIKE ? ESCAPE ?", (v, like_pattern(typed), LIKE_ESCAPE))
            .fetchone()[0]]


@pytest.mark.parametrize(("typed", "pattern"), [
    ("欧莱雅", "%欧莱雅%"), ("欧*", "欧%"), ("*为", "%为"), ("欧*雅", "欧%雅"), ("*云桌面*", "%云桌面%"), ("**", "%"),
    ("100%", "%100\\%%"), ("a_b", "%a\\_b%"), ("C:\\temp", "%C:\\\\temp%"), ("HT-2026_*", "HT-2026\\_%"),
])
def test_wildcards_become_like_patterns_and_the_rest_is_escaped(typed, pattern):
    assert like_pattern(typed) == pattern


def test_without_a_star_the_text_is_found_anywhere_with_one_it_covers_the_whole_value():
    assert _found("莱雅") == ["欧莱雅", "欧莱雅 / CITRIX安装"]
    assert _found("欧*") == ["欧莱雅", "欧莱雅 / CITRIX安装"]
    assert _found("*为") == ["华为"]  # anchored at the end: "华为 / 云桌面 …" does not end in 为
    assert _found("欧*雅") == ["欧莱雅"]
    assert _found("华为*001") == ["华为 / 云桌面 / HT-2026_001"]
    assert _found("citrix") == ["欧莱雅 / CITRIX安装"]  # letters in any case


def test_like_metacharacters_typed_by_a_person_are_literal():
    assert _found("%") == ["100% 完成"]
    assert _found("a_b") == ["a_b"]  # not "axb"
    assert _found("_") == ["华为 / 云桌面 / HT-2026_001", "a_b"]
    assert _found("C:\\temp") == [r"C:\temp"]
    assert _found("L'Oréal*") == ["L'Oréal 中国"]


def test_no_arguments_mean_the_first_page_newest_first():
    assert read_query({}) == CaseQuery(tab="", sort="started_at", order="desc", page=1, per_page=25)


def test_good_values_are_read():
    query = read_query({"tab": "done", "process": "technical_support", "status": "running", "key": "  欧* ",
                        "starter": "sales1", "holder": "engineer3", "from": "2026-09-01", "to": "2026-09-30",
                        "overdue": "1", "sort": "due", "page": "3", "per_page": "200", "format": "xlsx"})
    assert query == CaseQuery(tab="done", process="technical_support", status="running", key="欧*", starter="sales1",
                              holder="engineer3", started_from=date(2026, 9, 1), started_to=date(2026, 9, 30),
                              overdue=True, sort="due", order="asc", page=3, per_page=200)


def test_the_sort_order_defaults_to_newest_first_for_times_and_ascending_otherwise():
    assert read_query({"sort": "updated_at"}).order == "desc"
    assert read_query({"sort": "business_key"}).order == "asc"
    assert read_query({"sort": "due", "order": "desc"}).order == "desc"


@pytest.mark.parametrize(("args", "field", "says"), [
    ({"from": "2026-02-30"}, "from", "YYYY-MM-DD"),
    ({"to": "30.09.2026"}, "to", "YYYY-MM-DD"),
    ({"from": "0001-01-01"}, "from", "1900-01-01"),  # a time zone away from the first datetime there is
    ({"to": "9999-12-31"}, "to", "9998-12-31"),
    ({"from": "2026-10-01", "to": "2026-09-30"}, "to", "早于"),
    ({"sort": "password"}, "sort", "started_at"),
    ({"order": "random"}, "order", "asc"),
    ({"tab": "everything"}, "tab", "todo"),
    ({"status": "paused"}, "status", "running"),
    ({"page": "0"}, "page", "1 到 100000"),
    ({"page": "-1"}, "page", "1 到"),
    ({"page": "１"}, "page", "1 到"),  # a full-width digit is not a page number
    ({"per_page": "100000"}, "per_page", "1 到 200"),
    ({"per_page": "abc"}, "per_page", "200"),
    ({"overdue": "maybe"}, "overdue", "1"),
    ({"key": "欧\x01"}, "key", "U+0001"),
    ({"key": "a\tb"}, "key", "U+0009"),
    ({"key": "欧" * 101}, "key", "101"),
    ({"starter": "sales1; drop"}, "starter", "用户名"),
    ({"holder": "工程师3"}, "holder", "用户名"),
    ({"process": "a" * 129}, "process", "129"),
])
def test_a_wrong_value_is_refused_naming_its_field(args, field, says):
    with pytest.raises(QueryRejected) as refused:
        read_query(args)
    assert list(refused.value.errors) == [field]
    assert says in str(refused.value.errors[field])  # the sentence a person reads (Chinese by default)


def test_every_wrong_field_is_named_at_once():
    with pytest.raises(QueryRejected) as refused:
        read_query({"from": "x", "sort": "y", "page": "0", "per_page": "999"})
    assert set(refused.value.errors) == {"from", "sort", "page", "per_page"}


def test_a_query_says_itself_as_arguments_that_read_back_the_same():
    query = read_query({"key": "华为*", "overdue": "yes", "from": "2026-09-01", "sort": "due", "page": "2"})
    assert query.arguments() == {"key": "华为*", "overdue": "1", "from": "2026-09-01", "sort": "due", "page": "2"}
    assert read_query(query.arguments()) == query
    assert query.arguments(page=1, sort="started_at", order="desc") == {"key": "华为*", "overdue": "1",
                                                                         "from": "2026-09-01"}
    assert read_query({}).arguments() == {}
