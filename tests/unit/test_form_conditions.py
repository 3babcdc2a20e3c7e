"""The FEEL subset of `conditional.hide`: the server must hide exactly the fields form-js hides.

The expected answers are form-js 1.23's (feelin), quirks included; tests/browser/test_documents.py
checks the server against the real form-js in Chromium."""

from __future__ import annotations

from typing import Any

import pytest

from service.domain.form_conditions import ConditionError, compile_condition, is_hidden

DATA: dict[str, Any] = {"support_kind": "project", "person_days": 2.5, "emergency": False, "notes": None,
                        "required_documents": ["implementation_plan", "proposal"],
                        "contact": {"name": "王工", "phone": None}}


@pytest.mark.parametrize(("expression", "value"), [
    ('=support_kind = "project"', True),
    ('=support_kind != "project"', False),
    ("=person_days >= 2.5 and person_days < 3", True),
    ("=person_days > 10 or emergency", False),
    ("=not(emergency)", True),
    ('=list contains(required_documents, "proposal")', True),
    ('=not(list contains(required_documents, "service_sheet"))', True),
    ('=support_kind != 1', True),            # different kinds: not equal
    ('=person_days > "3"', False),           # ordered as JavaScript orders 2.5 and "3"
    ('=required_documents.x = null', False),  # a path over a list is a list (of nulls), not null
    ('=["proposal"] = "proposal"', True),    # a one-item list is its item
    ('=list contains("proposal", "proposal")', True),  # one value is a list of it
    ('=list contains(["1"], 1)', False),     # items compared with ===
    ('=contact.name = "王工"', True),
    ("=(emergency = false) and (notes = null)", True),
    ("=missing = null", True),
    ('=if notes = null then "empty" else notes', "empty"),
    ('=list contains(if missing = null then [] else missing, "x")', False),
    ('=[1, 2] = [1, 2]', True),
    ("=-1 < 0", True),
    ('="中文 \\"引号\\"" = "中文 \\"引号\\""', True),
])
def test_the_subset_evaluates_as_feel(expression: str, value: Any) -> None:
    assert compile_condition(expression)(DATA) == value


@pytest.mark.parametrize("expression", [
    '=support_kind = 1',             # text and number: not comparable
    "=missing > 1",                  # null compared
    "=person_days > true",           # no range of booleans: the whole expression is null
    "=is defined(contact.name)",     # form-js 1.23 answers null, whatever the variable holds
    '=list contains(missing, "x")',  # no list
    "=not(notes)",                   # not() of null
    "=notes and true",
])
def test_what_feel_cannot_decide_is_null(expression: str) -> None:
    assert compile_condition(expression)(DATA) is None


def test_a_condition_is_a_unary_test_of_no_input() -> None:
    """form-js asks whether the absent input (null) passes the test: true hides, and so does null."""
    assert is_hidden('=support_kind = "project"', DATA)
    assert is_hidden('=list contains(missing, "x")', DATA)  # null = null
    assert not is_hidden('=not(list contains(missing, "x"))', DATA)  # not(…) negates the test
    assert is_hidden("=(not(missing))", DATA)  # in parentheses it is the function: not(null) is null
    assert is_hidden('=not(list contains(missing, "x")) or false', DATA)  # the function here: null or false
    assert not is_hidden('="yes"', DATA) and not is_hidden("=0", DATA)
    assert is_hidden("=[1, null]", DATA) and not is_hidden("=[1]", DATA)
    assert not is_hidden(None, DATA) and not is_hidden("", DATA)
    assert is_hidden("=false or true", {})
    assert not is_hidden("=null and false", {})
    assert is_hidden("=is defined(support_kind)", DATA) and not is_hidden("=not(is defined(support_kind))", DATA)


def test_three_valued_logic() -> None:
    assert compile_condition("=null or true")({}) is True
    assert compile_condition("=null and false")({}) is False
    assert compile_condition("=null or false")({}) is None


@pytest.mark.parametrize(("expression", "fragment"), [
    ('support_kind = "x"', "starting with '='"),
    ("=", "empty"),
    ("=count(required_documents) > 1", "character"),
    ("=a + 1", "'+ 1'"),
    ('=list contains(a)', "2 argument"),
    ("=is defined(1)", "variable name"),
    ("=not(true, false)", "1 argument"),
    ("=(a = 1", "expected ')'"),
    ('=a = "open', "unexpected"),
    ("=a = 1 b", "unexpected"),
    ("=contact.", "name after '.'"),
    ("=if a then b", "expected 'else'"),
])
def test_anything_else_is_refused_saying_where(expression: str, fragment: str) -> None:
    with pytest.raises(ConditionError) as caught:
        compile_condition(expression)
    assert fragment in str(caught.value)
