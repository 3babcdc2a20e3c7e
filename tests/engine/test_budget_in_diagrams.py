"""The evaluation budget in real engine runs: the step that overspends fails, naming its element."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from service.engine import runner
from service.engine.definitions import OperationSignature, parse_bundle
from service.engine.runner import BudgetExceeded, EngineError, EvaluationLimits, EvaluationRefused
from tests.engine import diagrams

NOW = datetime(2026, 9, 30, 3, 0, tzinfo=UTC)
BIG = {"s": "x" * 1_000_000}  # passes every static check; counting it for each of its letters does not
BOMB = "len([s.count(c) for c in s])"
SHARED = "len(str([['x' * 1000] * 10000] * 10000))"


def _parse(bpmn: bytes, **extra: bytes) -> Any:
    files = {"p.bpmn": bpmn, **{f"{name}.dmn": data for name, data in extra.items()}}
    return parse_bundle("p", files, operations={"record": OperationSignature(frozenset({"value"}))},
                        resolve_role=lambda name: name)


def _start(parsed: Any, data: dict[str, Any], **kwargs: Any) -> Any:
    return runner.start(parsed.spec, parsed.subprocess_specs, data, now=NOW,
                        service_handler=lambda *args: {"ok": True}, **kwargs)


def _stopped(parsed: Any, data: dict[str, Any], **kwargs: Any) -> BudgetExceeded:
    with pytest.raises(BudgetExceeded) as caught:
        _start(parsed, data, **kwargs)
    assert isinstance(caught.value, EngineError)
    return caught.value


def test_the_reviewed_bomb_in_a_script_task_stops_naming_it():
    parsed = _parse(diagrams.between(diagrams.script("count_letters", "n = " + BOMB)))
    error = _stopped(parsed, BIG)
    assert error.element_id == "count_letters"
    assert str(error).startswith("count_letters: script 'n = len(")
    assert error.limit in ("operations", "time") and f"evaluation limit '{error.limit}'" in str(error)


def test_a_gateway_condition_stops_naming_the_gateway():
    error = _stopped(_parse(diagrams.gateway_choice(SHARED + " > 0")), {})
    assert (error.element_id, error.limit) == ("gw", "size")
    assert str(error).startswith("gw: condition 'len(str(")


def test_a_timer_expression_stops_naming_the_timer():
    error = _stopped(_parse(diagrams.between(diagrams.timer("wait", "str(" + BOMB + ")"))), BIG)
    assert error.element_id == "wait" and "timer" in str(error)


def test_a_service_parameter_stops_naming_the_service_task():
    parsed = _parse(diagrams.between(diagrams.service("notify", "record", value="str(" + SHARED + ")")))
    error = _stopped(parsed, {})
    assert error.element_id == "notify" and "service parameter" in str(error)


def test_a_decision_table_cell_stops_naming_the_business_rule_task():
    parsed = _parse(diagrams.between(diagrams.business_rule("decide", "levels")),
                    p=diagrams.decision_table("levels", "kind", "", "str(" + SHARED + ")"))
    error = _stopped(parsed, {"kind": "a"})
    assert error.element_id == "decide" and "decision table cell" in str(error)


def test_decision_tables_still_decide():
    parsed = _parse(diagrams.between(diagrams.business_rule("decide", "levels")),
                    p=diagrams.decision_table("levels", "amount", "> 5", "'high'"))
    assert runner.case_data(_start(parsed, {"amount": 7}))["result"] == "high"


def test_a_pre_script_stops_naming_its_task():
    parsed = _parse(diagrams.between(diagrams.extension_scripts("review", pre="n = " + BOMB)))
    error = _stopped(parsed, BIG)
    assert error.element_id == "review" and "preScript" in str(error)


def test_the_budget_is_shared_by_the_whole_run():
    step = "n = len([c for c in s])"  # about 1,000 operations for 1,000 letters
    parsed = _parse(diagrams.between(diagrams.script("first", step), diagrams.script("second", step),
                                     diagrams.script("third", step)))
    data = {"s": "x" * 1_000}
    _start(parsed, data, limits=EvaluationLimits(operations=3_500))  # three steps fit
    error = _stopped(parsed, data, limits=EvaluationLimits(operations=2_500))  # each fits, not all three
    assert error.element_id == "third" and error.limit == "operations"


def test_each_run_gets_a_fresh_budget():
    parsed = _parse(diagrams.rework_loop())
    limits = EvaluationLimits(operations=50)
    workflow = _start(parsed, {}, limits=limits)
    for _ in range(5):  # five steps of a few operations each: more than 50 in all, never in one run
        (task,) = runner.ready_user_tasks(workflow)
        runner.complete_user_task(workflow, task.task_id, {"again": True, "note": "x" * 10}, now=NOW,
                                  service_handler=None, limits=limits)


def test_an_operation_refused_at_run_time_names_the_element():
    parsed = _parse(diagrams.between(diagrams.script("repeat", "y = s * n")))
    with pytest.raises(EvaluationRefused) as caught:
        _start(parsed, {"s": "a", "n": 10**12})
    assert caught.value.element_id == "repeat" and "length of a result" in str(caught.value)
    assert str(caught.value).startswith("repeat: script 'y = s * n' refused:")
