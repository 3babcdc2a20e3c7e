"""The `*` wildcard of the search boxes (service.domain.wildcard): case-insensitive, a bare word anywhere,
a pattern with `*` over the whole value; the SQL LIKE form says the same."""

from __future__ import annotations

import pytest

from service.domain.wildcard import like_pattern, matches, terms


@pytest.mark.parametrize(("term", "value", "found"), [
    ("2by*5084*4*1", "2BY.5084.1044.1", True),  # the example
    ("2BY*5084*4*1", "2by.5084.1044.1", True),
    ("2by*5084", "2BY.5084.1044.1", False),  # a pattern with * covers the whole value
    ("2by*5084*", "2BY.5084.1044.1", True),
    ("*1044*", "2BY.5084.1044.1", True),
    ("5084", "2BY.5084.1044.1", True),  # a bare word: anywhere
    ("ht-2026", "HT-2026-001", True),
    ("欧莱雅", "欧莱雅上海工厂", True),
    ("*上海*", "欧莱雅上海工厂", True),
    ("上海*", "欧莱雅上海工厂", False),
    ("a.b", "axb", False),  # a dot is a dot
    ("50%", "50% off", True),
    ("50%", "500 off", False),
    ("*", "", True),
])
def test_matches(term: str, value: str, found: bool) -> None:
    assert matches(term, value) is found


def test_like_pattern_escapes_sql_wildcards() -> None:
    assert like_pattern("2BY*5084*4*1") == "2by%5084%4%1"
    assert like_pattern("5084") == "%5084%"
    assert like_pattern("a_b%c") == "%a\\_b\\%c%"
    assert like_pattern("x\\y") == "%x\\\\y%"


def test_terms_split_at_spaces_and_empty_is_everything() -> None:
    assert terms("") == []
    assert terms("   ") == []
    assert terms(" HT-2026\u3000欧莱雅 ") == ["HT-2026", "欧莱雅"]
    assert terms("*") == ["*"]
