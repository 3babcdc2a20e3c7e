"""The task list's cursor: what one page hands to the next comes back as it was, and anything else is
refused naming `after` (or `limit`), never a 500 or a silently different page."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest

from service.domain.task_cursor import LIMIT_DEFAULT, LIMIT_MAX, Cursor, CursorRejected, decode, encode, read_limit

DUE = datetime(2026, 9, 30, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("cursor", [
    Cursor("due", 0, (DUE, 7)), Cursor("due", 1, (None, 12)), Cursor("created", 0, (DUE, 3)),
    Cursor("name", 0, ("技" * 256, 1, DUE, 99))])
def test_a_cursor_comes_back_as_it_was_given(cursor):
    assert decode(encode(cursor), cursor.sort) == cursor


def _raw(data) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


@pytest.mark.parametrize("text", [
    "%%%", "bm90IGpzb24", _raw({"a": 1}), _raw([2, "due", 0, ["2026-09-30T10:00:00+00:00", 1]]),
    _raw([1, "due", 0, ["2026-09-30T10:00:00", 1]]),  # a moment without its offset
    _raw([1, "due", 0, [None, 1]]),  # no deadline belongs to the second segment only
    _raw([1, "due", 2, [None, 1]]), _raw([1, "due", 0, ["2026-09-30T10:00:00+00:00", -1]]),
    _raw([1, "due", 0, ["2026-09-30T10:00:00+00:00", True]]), _raw([1, "due", 0, ["x", 1]])])
def test_anything_else_is_refused_naming_after(text):
    with pytest.raises(CursorRejected) as refused:
        decode(text, "due")
    assert refused.value.argument == "after"


def test_a_cursor_of_another_sort_is_refused():
    with pytest.raises(CursorRejected, match="created"):
        decode(encode(Cursor("created", 0, (DUE, 3))), "due")


def test_the_page_size_has_a_default_and_bounds():
    assert read_limit(None) == read_limit("") == LIMIT_DEFAULT
    assert read_limit("1") == 1 and read_limit(str(LIMIT_MAX)) == LIMIT_MAX
    for wrong in ("0", str(LIMIT_MAX + 1), "-1", "ten", "５"):
        with pytest.raises(CursorRejected) as refused:
            read_limit(wrong)
        assert refused.value.argument == "limit"
