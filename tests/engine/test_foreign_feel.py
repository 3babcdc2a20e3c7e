"""FEEL conditions from Camunda 8 become Python only when the meaning is certain."""

from __future__ import annotations

import pytest

from service.engine.foreign import feel


@pytest.mark.parametrize(("written", "python"), [
    ("= approved", "approved"),
    ("=fraud", "fraud"),
    ("= not(approved)", "not (approved)"),
    ('=amount >= 1000 and status = "open"', 'amount >= 1000 and status == "open"'),
    ("= level != 3 or vip = true", "level != 3 or vip == True"),
])
def test_certain_translations(written: str, python: str) -> None:
    assert feel.to_python(written) == python


@pytest.mark.parametrize("written", [
    '= some risk in riskLevels satisfies risk = "red"',
    "= applicant.name",
    "= string(now())",
    "= [1, 2]",
    "= amount + 1 > 2",
    "=",
])
def test_uncertain_expressions_are_not_translated(written: str) -> None:
    assert feel.to_python(written) is None
