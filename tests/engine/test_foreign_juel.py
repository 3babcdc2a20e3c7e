"""JUEL conditions from Camunda/Flowable become Python only when the meaning is certain."""

from __future__ import annotations

import pytest

from service.engine.foreign import juel


@pytest.mark.parametrize(("written", "python"), [
    ("${amount > 1000}", "amount > 1000"),
    ("#{amount >= 1000}", "amount >= 1000"),
    ("${approved}", "approved"),
    ("${!approved}", "not approved"),
    ("${approved == true && amount lt 500}", "approved == True and amount < 500"),
    ("${status eq 'open' || status == \"new\"}", "status == 'open' or status == \"new\""),
    ("${not (a and b)}", "not (a and b)"),
    ("${reason == null}", "reason == None"),
    (" ${input == 1} ", "input == 1"),
])
def test_certain_translations(written: str, python: str) -> None:
    assert juel.to_python(written) == python


@pytest.mark.parametrize("written", [
    "${order.amount > 1000}",           # property access: no exact twin over case data
    "${execution.getVariable('x')}",    # method call on the other engine's objects
    "${empty list}",
    "${a ? b : c}",
    "${amount + 1 > 2}",                # arithmetic (JUEL coerces strings to numbers)
    "${x} and ${y}",                    # text mixed with expressions
    "${class == 1}",                    # a Python keyword as a variable name
    "amount > 1000",                    # already Python: not JUEL at all
    "${}",
])
def test_uncertain_expressions_are_not_translated(written: str) -> None:
    assert juel.to_python(written) is None
