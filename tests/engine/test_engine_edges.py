"""Input edges the engine meets: absurd nesting, unchecked scripts, malformed decisions, missing data."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from service.engine import runner
from service.engine.definitions import parse_bundle
from service.engine.problems import DefinitionInvalid
from service.engine.runner import DataInputError, EngineError
from tests.engine import diagrams

NOW = datetime(2026, 9, 30, 3, 0, tzinfo=UTC)
DMN_HEAD = '<?xml version="1.0"?>\n<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" ' \
           'id="rules" name="r" namespace="n">'


def _parse(files: dict[str, bytes]):
    return parse_bundle("p", files, operations={}, resolve_role=lambda name: name)


def _problems(files: dict[str, bytes]) -> list[str]:
    with pytest.raises(DefinitionInvalid) as caught:
        _parse(files)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("condition", ["(" * 100_000 + "1" + ")" * 100_000, "a" + "+a" * 100_000])
def test_absurdly_nested_condition_is_a_problem_naming_its_flow(condition):
    (problem,) = _problems({"p.bpmn": diagrams.gateway_choice(condition)})
    assert problem.startswith("p.bpmn:") and ": f_yes: condition refused:" in problem
    assert "too deeply nested" in problem


def test_absurdly_nested_script_is_a_problem_naming_its_task():
    (problem,) = _problems({"p.bpmn": diagrams.between(diagrams.script("calc", "x = " + "-" * 100_000 + "1"))})
    assert ": calc: script refused:" in problem and "too deeply nested" in problem


@pytest.mark.parametrize(("pre", "post"), [("import os", None), (None, "x = ().__class__")])
def test_pre_and_post_scripts_are_checked_at_deploy(pre, post):
    (problem,) = _problems({"p.bpmn": diagrams.between(diagrams.extension_scripts("review", pre, post))})
    file, line, element, message = (part.strip() for part in problem.split(":", 3))
    assert (file, element) == ("p.bpmn", "review") and int(line) > 0
    assert message.startswith("preScript refused" if pre else "postScript refused")


def test_good_pre_and_post_scripts_run():
    parsed = _parse({"p.bpmn": diagrams.between(diagrams.extension_scripts("review", "seen = 1", "done = seen + 1"))})
    workflow = runner.start(parsed.spec, parsed.subprocess_specs, {}, now=NOW, service_handler=None)
    (task,) = runner.ready_user_tasks(workflow)
    assert task.data["seen"] == 1
    runner.complete_user_task(workflow, task.task_id, {}, now=NOW, service_handler=None)
    assert runner.case_data(workflow)["done"] == 2


@pytest.mark.parametrize(("dmn", "element", "says"), [
    (DMN_HEAD + "</definitions>", "rules", "has no decision"),
    (DMN_HEAD + '\n<decision id="levels" name="l"></decision></definitions>', "levels", "has no decisionTable"),
])
def test_a_dmn_file_without_a_decision_table_is_a_problem(dmn, element, says):
    bpmn = diagrams.between(diagrams.business_rule("decide", "levels"))
    (problem,) = _problems({"p.bpmn": bpmn, "p.dmn": dmn.encode()})
    file, line, found, message = (part.strip() for part in problem.split(":", 3))
    assert (file, found) == ("p.dmn", element) and int(line) > 0 and says in message


def _user_task_with(**props: str) -> bytes:
    listed = "".join(f'<spiffworkflow:property name="{k}" value="{v}"/>' for k, v in props.items())
    task = ('<bpmn:userTask id="repair" name="repair"><bpmn:extensionElements><spiffworkflow:properties>'
            f'<spiffworkflow:property name="formKey" value="f"/>{listed}</spiffworkflow:properties>'
            "</bpmn:extensionElements></bpmn:userTask>")
    return diagrams.between(task)


def test_assignee_lands_in_the_task_metadata():
    parsed = _parse({"p.bpmn": _user_task_with(assignee="engineer", dueAt="repair_due")})
    task = parsed.metadata["tasks"]["repair"]
    assert (task["assignee"], task["due"], task["form"], task["role"]) == ("engineer", "repair_due", "f", "engineer")
    assert _parse({"p.bpmn": diagrams.rework_loop()}).metadata["tasks"]["work"]["assignee"] is None


@pytest.mark.parametrize(("value", "says"), [("__import__('os')", "refused"), ("engineer ==", "syntax error"),
                                             ("", "assignee is empty")])
def test_a_bad_assignee_is_a_problem_naming_the_task(value, says):
    (problem,) = _problems({"p.bpmn": _user_task_with(assignee=value)})
    assert ": repair: " in problem and says in problem


@pytest.mark.parametrize("named", ["ghost", "repair"])
def test_different_from_must_name_another_user_task(named):
    (problem,) = _problems({"p.bpmn": _user_task_with(differentFrom=named)})
    assert ": repair: " in problem and f"differentFrom names “{named}”" in problem


def _multi_instance(collection: str) -> bytes:
    task = ('<bpmn:userTask id="visit" name="visit"><bpmn:extensionElements><spiffworkflow:properties>'
            '<spiffworkflow:property name="formKey" value="f"/></spiffworkflow:properties></bpmn:extensionElements>'
            '<bpmn:multiInstanceLoopCharacteristics isSequential="true">'
            f"<bpmn:loopDataInputRef>{collection}</bpmn:loopDataInputRef>"
            '<bpmn:inputDataItem id="site"/></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>')
    return diagrams.between(task)


@pytest.mark.parametrize(("data", "says"), [({}, "is not set"), ({"sites": 3}, "is not a list or a dict")])
def test_multi_instance_without_its_collection_names_element_and_variable(data, says):
    parsed = _parse({"p.bpmn": _multi_instance("sites")})
    with pytest.raises(DataInputError) as caught:
        runner.start(parsed.spec, parsed.subprocess_specs, data, now=NOW, service_handler=None)
    assert isinstance(caught.value, EngineError) and caught.value.element_id == "visit"
    message = str(caught.value)
    assert message.startswith("visit: the multi-instance input collection 'sites' ") and says in message


def test_multi_instance_with_its_collection_runs():
    parsed = _parse({"p.bpmn": _multi_instance("sites")})
    workflow = runner.start(parsed.spec, parsed.subprocess_specs, {"sites": ["北京", "上海"]}, now=NOW,
                            service_handler=None)
    (task,) = runner.ready_user_tasks(workflow)
    assert task.data["site"] == "北京"
