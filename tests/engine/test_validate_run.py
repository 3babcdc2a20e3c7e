"""validate = run: whatever would fail in a running case for a reason written in the diagram is refused at
deploy — timers, loops, multi-instance, event conditions, decision table cells, scripts, untyped tasks —
one message per cause, at the element's line, saying what to write instead."""

from __future__ import annotations

import pytest

from tests.engine.diagrams import flow
from tests.engine.lint_diagrams import END, START, accepted, chain, diagram, line_of, problems, timer_event, user


def only(xml: str, element_id: str, **kwargs) -> str:
    """The one problem of the diagram, which is about `element_id` on its line; its English sentence."""
    found = problems(xml, **kwargs)
    assert [(p.element_id, p.line) for p in found] == [(element_id, line_of(xml, element_id))], found
    return found[0].message


def waiting_on(event: str) -> str:
    return diagram(START, user("work"), event, END, *chain("start", "work", "wait", "end"))


# -- timers ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("tag", "text"), [("timeDuration", "PT5M"), ("timeCycle", "R6/P1D"),
                                           ("timeDate", "2026-10-08T18:00:00+08:00"), ("timeDuration", "P7D")])
def test_a_timer_written_without_quotes_says_to_quote_it(tag, text):
    xml = waiting_on(timer_event("wait", tag, text))
    said = only(xml, "wait")
    assert f"timer {tag} {text} is not quoted" in said and f"""write it as a quoted string '"{text}"'""" in said
    accepted(waiting_on(timer_event("wait", tag, f'"{text}"')))


def test_a_cron_timer_says_it_is_cron_and_what_to_write():
    said = only(waiting_on(timer_event("wait", "timeCycle", "0/5 0/1 * 1/1 * ?")), "wait")
    assert "is a cron expression" in said and '"R/PT5M"' in said


def test_a_quoted_timer_that_is_no_iso_8601_is_refused_as_the_engine_would_read_it():
    said = only(waiting_on(timer_event("wait", "timeDuration", '"5 minutes"')), "wait")
    assert said.startswith('timer timeDuration "5 minutes" is not valid ISO 8601')


# -- loops, multi-instance, conditional events -------------------------------------------------------------

def looped(characteristics: str, task: str = "work") -> str:
    looping = user(task).replace("</bpmn:userTask>", characteristics + "</bpmn:userTask>")
    return diagram(START, looping, END, *chain("start", task, "end"))


def test_loop_and_completion_conditions_are_checked_like_every_expression():
    said = only(looped("<bpmn:standardLoopCharacteristics><bpmn:loopCondition>__import__('os')"
                       "</bpmn:loopCondition></bpmn:standardLoopCharacteristics>"), "work")
    assert said.startswith("loop condition refused")
    said = only(looped('<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>3</bpmn:loopCardinality>'
                       "<bpmn:completionCondition>${nrOfCompletedInstances >= 2}</bpmn:completionCondition>"
                       "</bpmn:multiInstanceLoopCharacteristics>"), "work")
    assert "completion condition '${nrOfCompletedInstances >= 2}' is a JUEL expression" in said
    assert said.endswith("write it as nrOfCompletedInstances >= 2")
    accepted(looped('<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>3</bpmn:loopCardinality>'
                    "<bpmn:completionCondition>answer == 'done'</bpmn:completionCondition>"
                    "</bpmn:multiInstanceLoopCharacteristics>"))


def test_a_loop_needs_a_condition_or_a_whole_number_maximum():
    assert only(looped("<bpmn:standardLoopCharacteristics/>"), "work").startswith(
        "loop has neither a loopCondition nor a loopMaximum")
    assert only(looped('<bpmn:standardLoopCharacteristics loopMaximum="three"/>'), "work").startswith(
        "standardLoopCharacteristics loopMaximum 'three' is not a whole number: write one")  # said by the schema
    accepted(looped('<bpmn:standardLoopCharacteristics loopMaximum="3"/>'))


def test_a_multi_instance_over_nothing_is_refused_before_a_case_reaches_it():
    said = only(looped('<bpmn:multiInstanceLoopCharacteristics isSequential="true"/>'), "work")
    assert said.startswith("multi-instance has neither a loopCardinality nor a loopDataInputRef")
    camunda = looped('<bpmn:multiInstanceLoopCharacteristics xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '
                     'camunda:collection="engineers"/>')
    assert "camunda:collection, which this engine does not read: use loopDataInputRef (engineers)" in only(
        camunda, "work")


def test_a_multi_instance_over_a_collection_nothing_sets_is_refused():
    said = only(looped("<bpmn:multiInstanceLoopCharacteristics><bpmn:loopDataInputRef>engineers"
                       "</bpmn:loopDataInputRef></bpmn:multiInstanceLoopCharacteristics>"), "work")
    assert said.startswith("multi-instance collection 'engineers' is set by no form field")
    set_before = diagram(START, '<bpmn:scriptTask id="pick" name="pick"><bpmn:script>engineers = ["a", "b"]'
                                "</bpmn:script></bpmn:scriptTask>",
                         user("work").replace("</bpmn:userTask>", "<bpmn:multiInstanceLoopCharacteristics>"
                                              "<bpmn:loopDataInputRef>engineers</bpmn:loopDataInputRef>"
                                              "</bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>"),
                         END, *chain("start", "pick", "work", "end"))
    accepted(set_before)


def test_a_conditional_event_condition_is_checked():
    event = ('<bpmn:intermediateCatchEvent id="wait" name="wait"><bpmn:conditionalEventDefinition>'
             "<bpmn:condition>().__class__</bpmn:condition></bpmn:conditionalEventDefinition>"
             "</bpmn:intermediateCatchEvent>")
    assert only(waiting_on(event), "wait").startswith("event condition refused")
    assert only(waiting_on(event.replace("().__class__", "")), "wait") == "event condition is empty"


# -- scripts before and after a task -----------------------------------------------------------------------

@pytest.mark.parametrize("tag", ["preScript", "postScript"])
def test_pre_and_post_scripts_are_checked(tag):
    task = user("work").replace("<spiffworkflow:properties>",
                                f"<spiffworkflow:{tag}>import os</spiffworkflow:{tag}><spiffworkflow:properties>")
    said = only(diagram(START, task, END, *chain("start", "work", "end")), "work")
    assert said.startswith(f"{tag} refused") and "'import' is not allowed" in said


def test_a_script_in_another_language_says_which():
    script = ('<bpmn:scriptTask id="calc" name="calc" scriptFormat="groovy"><bpmn:script>def x = 1'
              "</bpmn:script></bpmn:scriptTask>")
    said = only(diagram(START, script, END, *chain("start", "calc", "end")), "calc")
    assert said.startswith("the script is written in groovy; this engine runs Python scripts only")


# -- steps nobody can take -----------------------------------------------------------------------------------

def test_an_untyped_task_is_refused_saying_what_to_make_it():
    xml = diagram(START, '<bpmn:task id="check" name="检查"/>', END, *chain("start", "check", "end"))
    said = only(xml, "check")
    assert said.startswith("task has no type (bpmn:task), so nobody can do it")
    assert "make it a user task in a lane" in said and "a manual task" in said and "script or service task" in said


def test_a_call_activity_names_its_missing_process():
    xml = diagram(START, '<bpmn:callActivity id="call" name="call" calledElement="approval"/>', END,
                  *chain("start", "call", "end"))
    assert "calls process 'approval' (calledElement), which none of the files given holds" in only(xml, "call")


# -- decision tables -----------------------------------------------------------------------------------------

DMN = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="d" namespace="http://x">
  <decision id="level" name="level">
    <decisionTable id="table" hitPolicy="{policy}">
      <input id="in_amount" label="金额">
        <inputExpression id="e1" typeRef="number"><text>amount</text></inputExpression></input>
      <output id="out_level" label="级别" name="level" typeRef="string"/>
      <rule id="r1"><inputEntry id="r1_in"><text>{cell}</text></inputEntry>
        <outputEntry id="r1_out"><text>{out}</text></outputEntry></rule>
      <rule id="r2"><inputEntry id="r2_in"><text>-</text></inputEntry>
        <outputEntry id="r2_out"><text>"low"</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>"""


def deciding(cell: str, out: str = '"high"', policy: str = "UNIQUE") -> dict:
    rule_task = ('<bpmn:businessRuleTask id="decide" name="decide"><bpmn:extensionElements>'
                 "<spiffworkflow:calledDecisionId>level</spiffworkflow:calledDecisionId>"
                 "</bpmn:extensionElements></bpmn:businessRuleTask>")
    xml = diagram(START, '<bpmn:scriptTask id="set" name="set"><bpmn:script>amount = 5000</bpmn:script>'
                         "</bpmn:scriptTask>", rule_task, END, *chain("start", "set", "decide", "end"))
    return {"xml": xml, "files": {"level.dmn": DMN.replace("{cell}", cell).replace("{out}", out)
                                  .replace("{policy}", policy)}}


@pytest.mark.parametrize("cell", ["&gt; 1000", '"gold"', "1000 &lt;= ? &lt;= 9000", "? in (1, 2)", "-", ""])
def test_decision_cells_the_engine_evaluates_are_accepted(cell):
    given = deciding(cell)
    accepted(given["xml"], files=given["files"])


@pytest.mark.parametrize(("cell", "out", "element", "says"), [
    ("[1000..9000]", '"high"', "r1_in", "rule 1, column '金额': '[1000..9000]' is no Python expression"),
    ("&gt; 1000", "true", "r1_out", "rule 1, column '级别': 'true' uses FEEL's true: write Python's True"),
    ('"gold","silver"', '"high"', "r1_in", "is FEEL's \"one of\", which matches no value here: write ? in ("),
    ("in (1, 2)", '"high"', "r1_in", "'in (1, 2)' is no Python expression"),  # the engine reads `amountin (1, 2)`
    ("__import__('os')", '"high"', "r1_in", "__import__"),
    ("&gt; 1000", "amount.__class__", "r1_out", "is no Python expression the engine can evaluate"),
])
def test_a_decision_cell_the_engine_would_fail_on_is_refused_with_its_rule(cell, out, element, says):
    given = deciding(cell, out)
    found = problems(given["xml"], files=given["files"])
    assert [(p.file, p.element_id) for p in found] == [("level.dmn", element)], found
    assert says in found[0].message and found[0].line == DMN[: DMN.index(f'id="{element}"')].count("\n") + 1


def test_a_hit_policy_the_engine_does_not_have_is_refused():
    given = deciding("&gt; 1000", policy="RULE ORDER")
    (found,) = problems(given["xml"], files=given["files"])
    assert (found.element_id, found.message) == ("table", "hit policy RULE ORDER is not supported: use UNIQUE, "
                                                          "FIRST, ANY, COLLECT")


def test_a_flow_condition_in_juel_gives_its_python():
    xml = diagram(START, user("work"), '<bpmn:exclusiveGateway id="gw" name="gw?" default="f_no"/>', END,
                  '<bpmn:endEvent id="end2" name="end2"/>', *chain("start", "work", "gw"),
                  flow("f_yes", "gw", "end", "${answer &gt; 1000 &amp;&amp; !again}"), flow("f_no", "gw", "end2"))
    said = only(xml, "f_yes")
    assert said == ("condition '${answer > 1000 && !again}' is a JUEL expression (Camunda/Flowable); this engine "
                    "evaluates Python: write it as answer > 1000 and not again")
