"""Lint rules on what a diagram reads: timers the engine can parse, and condition variables something in the
bundle sets (a form field, a script, a decision, a message, a called process or the server)."""

from __future__ import annotations

import pytest

from service.engine import lint
from service.engine.definitions import ParsedBundle
from tests.engine.lint_diagrams import (
    END,
    START,
    accepted,
    chain,
    diagram,
    linted,
    problems,
    reads,
    refused,
    script,
    timer_event,
    user,
)

# -- timers ------------------------------------------------------------------------------------------------------

def _timed(tag: str, text: str) -> str:
    return diagram(START, script("compute", "due_at = '2026-10-08T18:00:00+08:00'"),
                   timer_event("wait", tag, text), user("work"), END, *chain("start", "compute", "wait", "work", "end"))


@pytest.mark.parametrize(("tag", "text", "says"), [
    ("timeDuration", '"PT2X"', 'timer timeDuration "PT2X" is not valid ISO 8601'),
    ("timeDuration", '"P1000000000Y"', "longer than 100 years"),
    ("timeDate", '"2026-13-01T09:00:00+08:00"', "is not valid ISO 8601 (month must be in 1..12)"),
    ("timeDate", '"2026-10-08T18:00:00"', "no UTC offset"),
    ("timeCycle", '"R/every day"', 'timer timeCycle "R/every day" is not valid ISO 8601'),
    ("timeDuration", "7200", "is not ISO 8601 text: write it in quotes"),
])
def test_a_timer_literal_the_engine_cannot_read_is_refused(tag, text, says):
    refused(_timed(tag, text), "wait", says)


@pytest.mark.parametrize(("tag", "text"), [("timeDuration", '"PT2H"'), ("timeDate", '"2026-10-08T18:00:00+08:00"'),
                                           ("timeCycle", '"R3/PT24H"'), ("timeDate", "due_at")])
def test_a_timer_in_iso_8601_or_an_expression_is_accepted(tag, text):
    accepted(_timed(tag, text))


# -- condition variables ---------------------------------------------------------------------------------------


def test_a_condition_reading_a_name_nothing_sets_is_refused():
    faulty = reads("anser == 'yes'", user("work"))
    problem = refused(faulty, "f_if", "condition reads 'anser', which no form field")
    assert "fix the name" in problem.message
    accepted(reads("answer == 'yes'", user("work")))


def test_a_python_built_in_the_expressions_do_not_have_is_a_variable_like_any_other():
    """`input == 1` (Flowable's tests) reads a case variable `input`: nothing sets it, so it is refused."""
    refused(reads("input == 1", user("work")), "f_if", "condition reads 'input'")
    accepted(reads("len(answer) > 2", user("work")))


DMN = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="d" namespace="n">
<decision id="level" name="level"><decisionTable id="level_table">
<input id="in"><inputExpression id="in_x" typeRef="string"><text>answer</text></inputExpression></input>
<output id="out" name="level_result" typeRef="string"/>
<rule id="r1"><inputEntry id="r1_in"><text>-</text></inputEntry><outputEntry id="r1_out"><text>"high"</text>
</outputEntry></rule></decisionTable></decision></definitions>"""
MESSAGE = '<bpmn:message id="reply_message" name="reply"/>'


@pytest.mark.parametrize(("condition", "setting", "extra"), [
    ("answer and again and contact['phone']", [user("work")], {}),
    ("total > 2", [script("add", "total = 3")], {}),
    ("before_noon", ['<bpmn:serviceTask id="noon" name="noon"><bpmn:extensionElements>'
                     '<spiffworkflow:serviceTaskOperator id="noon_rule" resultVariable="before_noon">'
                     "<spiffworkflow:parameters/></spiffworkflow:serviceTaskOperator></bpmn:extensionElements>"
                     "</bpmn:serviceTask>"], {}),
    ("level_result == 'high'", [user("work"), '<bpmn:businessRuleTask id="decide" name="decide">'
                                "<bpmn:extensionElements><spiffworkflow:calledDecisionId>level"
                                "</spiffworkflow:calledDecisionId></bpmn:extensionElements></bpmn:businessRuleTask>"],
     {"files": {"p.dmn": DMN}}),
    ("started_by and received_at and business_key", [], {}),
    ("reply", ['<bpmn:intermediateCatchEvent id="wait_reply" name="reply"><bpmn:messageEventDefinition '
               'messageRef="reply_message"><bpmn:extensionElements><spiffworkflow:messageVariable>reply'
               "</spiffworkflow:messageVariable></bpmn:extensionElements></bpmn:messageEventDefinition>"
               "</bpmn:intermediateCatchEvent>"], {"after": MESSAGE}),
    ("any(x > 1 for x in [answer]) and len(answer) > 0", [user("work")], {}),
], ids=["form fields in groups", "script", "service task result", "decision output", "set by the server",
        "message variable", "names bound in the condition"])
def test_a_condition_reading_what_the_bundle_sets_is_accepted(condition, setting, extra):
    files = extra.pop("files", None)
    accepted(reads(condition, *setting, **extra), files=files)


def test_multi_instance_variables_count_as_set():
    looped = user("each").replace("</bpmn:userTask>", "<bpmn:multiInstanceLoopCharacteristics>"
                                  "<bpmn:loopDataInputRef>answers</bpmn:loopDataInputRef>"
                                  '<bpmn:inputDataItem id="item" name="item"/>'
                                  "<bpmn:completionCondition>item == 'stop'</bpmn:completionCondition>"
                                  "</bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>")
    accepted(reads("answer", script("collect", "answers = [1, 2]"), looped))
    refused(reads("answer", script("collect", "answers = [1, 2]"), looped.replace("item ==", "iten ==")),
            "each", "loop condition reads 'iten'")


def test_a_call_of_a_process_outside_the_bundle_may_set_anything():
    xml = reads("outcome == 'ok'", '<bpmn:callActivity id="call" name="call" calledElement="elsewhere"/>')
    assert problems(xml)[0].message.startswith("call activity calls process 'elsewhere' (calledElement), which none")
    assert linted(xml) == []  # on its own, the lint cannot know what the called process sets: it warns
    parsed = ParsedBundle("p", None, {}, {}, {"p.bpmn": xml.encode()})
    (warning,) = [w for w in lint.bundle_warnings(parsed, {}) if w.element_id == "f_if"]
    assert "unless a called process that is not part of this bundle sets it" in warning.message


def test_what_a_called_process_in_the_bundle_sets_counts():
    called = diagram('<bpmn:startEvent id="h_start" name="s"/>', script("decide", "outcome = 'ok'"),
                     '<bpmn:endEvent id="h_end" name="e"/>', *chain("h_start", "decide", "h_end"), process_id="helper")
    xml = reads("outcome == 'ok'", '<bpmn:callActivity id="call" name="call" calledElement="helper"/>')
    accepted(xml, files={"helper.bpmn": called})
    refused(xml.replace("outcome ==", "outcom =="), "f_if", "'outcom'", files={"helper.bpmn": called})
