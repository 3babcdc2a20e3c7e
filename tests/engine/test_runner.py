"""The engine wrapper: restricted scripts, loud failures instead of silent hangs, spec-free state."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from service.engine import runner, serializer
from service.engine.definitions import parse_bundle
from service.engine.problems import DefinitionInvalid
from service.engine.runner import EngineError
from tests.engine import diagrams

NOW = datetime(2026, 9, 30, 3, 0, tzinfo=UTC)


def _parse(data: bytes):
    return parse_bundle("p", {"p.bpmn": data}, operations={}, resolve_role=lambda name: name)


@pytest.mark.parametrize("script", [
    "__import__('os').system('id')",
    "x = ().__class__.__bases__[0].__subclasses__()",
    "import os",
    "while True: pass",
])
def test_escaping_scripts_are_refused_at_deploy(script):
    with pytest.raises(DefinitionInvalid) as err:
        _parse(diagrams.escaping_script(script))
    problem = err.value.problems[0]
    assert problem.element_id == "evil" and problem.line and "refused" in problem.message


def test_endless_automatic_loop_becomes_an_error_naming_the_element():
    parsed = _parse(diagrams.endless_automatic_loop())
    with pytest.raises(EngineError) as err:
        runner.start(parsed.spec, parsed.subprocess_specs, {"n": 0}, now=NOW, service_handler=None)
    assert "count" in str(err.value) or "gw" in str(err.value)


def test_long_gateway_loop_stall_is_detected_not_silent():
    parsed = _parse(diagrams.rework_loop())
    workflow = runner.start(parsed.spec, parsed.subprocess_specs, {}, now=NOW, service_handler=None)
    with pytest.raises(EngineError) as err:
        for _ in range(600):  # the engine loses sight of ready tasks at tree depth 1000 (~500 rounds here)
            (task,) = runner.ready_user_tasks(workflow)
            runner.complete_user_task(workflow, task.task_id, {"again": True}, now=NOW, service_handler=None)
    assert str(err.value).startswith("gw:") and "loop" in str(err.value)


def test_state_round_trips_without_the_spec():
    parsed = _parse(diagrams.rework_loop())
    workflow = runner.start(parsed.spec, parsed.subprocess_specs, {"客户": "欧莱雅"}, now=NOW, service_handler=None)
    state = serializer.dump_state(workflow)
    assert '"spec"' not in state.split('"tasks"')[0] and "欧莱雅" in state
    specs = serializer.load_specs(serializer.dump_specs(parsed.spec, parsed.subprocess_specs))
    restored = serializer.load_state(state, *specs)
    (task,) = runner.ready_user_tasks(restored)
    runner.complete_user_task(restored, task.task_id, {"again": False}, now=NOW, service_handler=None)
    assert runner.is_completed(restored)
    assert runner.case_data(restored)["客户"] == "欧莱雅"
