"""The input limits on their own: what a JSON document and a text field may hold, and the JSON
path each refusal names."""

from __future__ import annotations

import json

import pytest

from service.domain.input_limits import (
    DEFAULT_LIMITS,
    InputRejected,
    Limits,
    business_key_problem,
    field_problems,
    nesting_depth,
    parse_json,
    text_problem,
)


def _refusal(raw: str | bytes, limits: Limits = DEFAULT_LIMITS) -> dict[str, str]:
    with pytest.raises(InputRejected) as err:
        parse_json(raw, limits)
    return err.value.errors


def test_ordinary_documents_pass_unchanged():
    document = {"客户": "欧莱雅", "lines": "一\n二\r\n\t三", "n": -3, "x": 1.5, "ok": True, "none": None,
                "list": [{"a": []}], "big": 2**63 - 1}
    assert parse_json(json.dumps(document, ensure_ascii=False).encode()) == document


@pytest.mark.parametrize(("raw", "path"), [
    ('{"a": NaN}', "a"), ('{"a": -Infinity}', "a"), ('{"a": [0, 1e400]}', "a[1]"),
    ('{"a": {"b": 9223372036854775808}}', "a.b"), ('{"a": -9223372036854775809}', "a"),
    ('{"a": "\\udfff"}', "a"), ('["\\ud83d"]', "[0]"), ('{"a": "\\u0000"}', "a"), ('{"a": "\\u001b[31m"}', "a"),
    ('{"a": "\\u007f"}', "a"), ('{"a": "\\u0085"}', "a"), ('{"\\n": 1}', '["\\n"]'),
])
def test_each_refusal_names_the_member(raw, path):
    assert list(_refusal(raw)) == [path]


def test_an_emoji_as_a_surrogate_pair_is_fine():
    assert parse_json('"\\ud83d\\ude00"') == "😀"


def test_depth_is_measured_without_recursion_and_strings_do_not_count():
    assert nesting_depth("[" * 100_000) == 100_000
    assert nesting_depth('{"a": "[[[[{{{{", "b": [["\\"]]"]]}') == 3
    assert "100000" in str(_refusal("[" * 100_000)[""])
    assert parse_json("[" * 32 + "]" * 32) is not None
    assert list(_refusal("[" * 33 + "]" * 33)) == [""]


def test_sizes_of_lists_strings_and_the_whole_document():
    limits = Limits(max_list=3, max_string=5, max_keys=4, max_key_length=4)
    assert list(_refusal('{"a": [1, 2, 3, 4]}', limits)) == ["a"]
    assert list(_refusal('{"a": "123456"}', limits)) == ["a"]
    assert list(_refusal('{"a": 1, "b": {"c": 1, "d": 1, "e": 1}}', limits)) == ["b"]
    assert list(_refusal('{"abcde": 1}', limits)) == ['["abcde"]']
    assert parse_json('{"a": [1, 2, 3], "b": "12345"}', limits) == {"a": [1, 2, 3], "b": "12345"}


def test_broken_documents_say_where():
    assert "第 2 行第 1 列" in str(_refusal('{"a":\n}')[""])
    assert "line 2, column 1" in _refusal('{"a":\n}')[""].render("en")
    assert "第 1 字节" in str(_refusal(b'"\xff"')[""])


def test_text_fields_and_business_keys():
    assert text_problem("两行\n文字", max_length=10) is None
    assert "U+000A" in str(text_problem("两行\n文字", max_length=10, single_line=True))
    assert business_key_problem(None) is None and business_key_problem("欧莱雅 / CITRIX安装") is None
    assert "257" in str(business_key_problem("x" * 257)) and "U+0009" in str(business_key_problem("a\tb"))
    assert str(business_key_problem(5)) == "必须是文字"
    problems = field_problems([("q", "fine"), ("q", "a\x00"), ("b\x00", "x")])
    assert {k: str(v) for k, v in problems.items()} == {
        "q": "第 1 个字符处有控制字符 U+0000",
        '"b\\u0000"': "字段名：第 1 个字符处有控制字符 U+0000"}
    assert problems["q"].render("en") == "control character U+0000 at position 1"
