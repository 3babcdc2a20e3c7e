"""Messages that used to mislead, said plainly: duplicate ids, lanes without a name (once per lane), data
stores, Camunda's decision reference, the BPMN schema's complaints — each at its line, in both languages."""

from __future__ import annotations

import pytest

from service.engine.problems import Problem
from tests.engine.lint_diagrams import END, START, chain, diagram, line_of, problems, user


def test_an_id_used_twice_names_both_lines():
    xml = diagram(START, user("work"), user("work").replace('name="work"', 'name="again"'), END,
                  *chain("start", "work", "end"))
    (found,) = problems(xml)
    first = line_of(xml, "work")
    assert (found.element_id, found.line) == ("work", first + 1)
    assert found.message == (f"id work is used twice (lines {first} and {first + 1}): every element needs its own "
                             "id, rename one")
    assert "xs:ID" not in found.message
    assert found.render("zh").startswith(f"编号「work」被使用了两次（第 {first} 行和第 {first + 1} 行）")


def test_a_lane_without_a_name_is_said_once_with_the_roles_to_choose_from():
    xml = diagram(START, user("first"), user("second"), END, *chain("start", "first", "second", "end"))
    xml = xml.replace('name="engineer"', 'name=""')
    (found,) = problems(xml)  # one lane, two tasks in it: one problem, at the lane
    assert found.element_id == "lane_p"
    assert found.message.startswith("lane has no name: name it after the role whose people do its tasks (roles: ")
    assert "engineer" in found.message and "sales" in found.message and "None" not in found.message
    assert found.render("zh").startswith("泳道没有名称：请以办理其中任务的角色为它命名")


def test_a_lane_that_is_no_role_is_said_once_not_once_per_task():
    xml = diagram(START, user("first"), user("second"), END, *chain("start", "first", "second", "end"))
    (found,) = problems(xml.replace('name="engineer"', 'name="Warehouse"'))
    assert (found.element_id, found.message) == ("lane_p", "lane name 'Warehouse' is not a known role id or role name")


def test_a_data_store_is_refused_at_its_line_saying_what_to_do():
    store = '<bpmn:dataStore id="crm" name="CRM 系统"/>'
    xml = diagram(START, user("work"), END, *chain("start", "work", "end"), before=store)
    (found,) = problems(xml)
    assert (found.element_id, found.line) == ("crm", line_of(xml, "crm"))
    assert found.message.startswith("data store 'CRM 系统' (a database or system outside the process) cannot be read")
    assert "has no implementation" not in found.message


def test_camunda_decision_ref_is_not_silently_ignored():
    task = ('<bpmn:businessRuleTask id="decide" name="decide" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '
            'camunda:decisionRef="discount"/>')
    (found,) = problems(diagram(START, task, END, *chain("start", "decide", "end")))
    assert found.element_id == "decide"
    assert found.message == ("business rule task names its decision 'discount' with camunda:decisionRef, which this "
                             "engine does not read: name it with spiffworkflow:calledDecisionId (discount)")


def test_a_decision_no_table_holds_is_named_with_those_there_are():
    task = ('<bpmn:businessRuleTask id="decide" name="decide"><bpmn:extensionElements><spiffworkflow:calledDecisionId>'
            "discount</spiffworkflow:calledDecisionId></bpmn:extensionElements></bpmn:businessRuleTask>")
    (found,) = problems(diagram(START, task, END, *chain("start", "decide", "end")))
    assert found.message.startswith("business rule task calls decision 'discount', which no decision file holds")


def test_schema_complaints_are_said_in_words_with_the_element():
    xml = diagram(START, user("work").replace("<bpmn:userTask ", '<bpmn:userTask priority="high" '), END,
                  *chain("start", "work", "end"))
    (found,) = problems(xml)
    assert (found.element_id, found.line) == ("work", line_of(xml, "work"))
    assert found.message == "userTask may not have the attribute priority: remove it"
    assert "{http" not in found.message
    bad_id = diagram(START, user("work"), END, *chain("start", "work", "end")).replace('id="end"', 'id="2nd end"')
    (found,) = problems(bad_id.replace('targetRef="end"', 'targetRef="2nd end"'))
    assert found.message == ("endEvent id '2nd end' is not a valid id: ids start with a letter or _ and hold no "
                             "spaces, only letters, digits, _ - .")


def test_every_new_message_reads_in_chinese_and_english():
    from service.domain.message_texts import diagram_sources

    assert set(diagram_sources.ZH) == set(diagram_sources.EN)
    for code in diagram_sources.ZH:
        assert Problem.said("p.bpmn", 1, "x", _message(code)).render("zh") != ""


def _message(code: str):
    import re

    from service.domain.message_texts import diagram_sources
    from service.domain.messages import Message

    names = set(re.findall(r"\{(\w+)\}", diagram_sources.EN[code])) | set(re.findall(r"\{(\w+)\}",
                                                                                      diagram_sources.ZH[code]))
    return Message(code, {name: "v" for name in names})


def test_what_the_engine_says_in_its_own_words_is_said_with_the_fix_when_the_lint_knows_the_cause():
    from tests.engine.diagrams import flow
    from tests.engine.lint_diagrams import gateway

    xml = diagram(START, user("work"), gateway("choice"), END, '<bpmn:endEvent id="end2" name="end2"/>',
                  *chain("start", "work", "choice"), flow("f_a", "choice", "end"), flow("f_b", "choice", "end2"))
    found = problems(xml)
    assert {p.element_id for p in found} == {"f_a", "f_b"}
    assert all(p.message.startswith("sequence flow leaves exclusive gateway 'choice?' without a condition")
               for p in found)
    assert not any("Non-default exclusive outgoing sequence flow" in p.message for p in found)


def test_what_the_engine_cannot_run_is_said_with_what_to_use_instead():
    gateway = '<bpmn:complexGateway id="split" name="split"/>'
    (found,) = problems(diagram(START, gateway, END, *chain("start", "split", "end")))
    assert found.element_id == "split" and found.message.startswith("a complex gateway cannot run here")
    assert "no support implemented" not in found.message
    assert found.render("zh").startswith("复杂网关在这里不能运行")


def test_a_manual_task_without_a_form_is_called_a_manual_task():
    manual = user("check").replace("bpmn:userTask", "bpmn:manualTask")
    manual = manual.replace('<spiffworkflow:property name="formKey" value="f"/>', "")
    found = [p for p in problems(diagram(START, manual, END, *chain("start", "check", "end")))
             if p.element_id == "check"]
    assert found and found[0].message.startswith("manual task has no formKey"), found


@pytest.mark.parametrize(("definition", "says"), [
    ('<bpmn:timerEventDefinition><bpmn:timeDuration>"PT1H"</bpmn:timeDuration></bpmn:timerEventDefinition>',
     "a timer start event does not start cases on a schedule here"),
    ('<bpmn:signalEventDefinition/>', "a signal start event cannot be triggered here"),
    ('<bpmn:errorEventDefinition/>', "a start event of this kind (error) belongs in an event subprocess only"),
])
def test_a_start_nothing_here_would_trigger_is_refused(definition, says):
    start = f'<bpmn:startEvent id="start" name="start">{definition}</bpmn:startEvent>'
    found = [p for p in problems(diagram(start, user("work"), END, *chain("start", "work", "end")))
             if p.element_id == "start"]
    assert found and found[0].message.startswith(says), found


def _link(kind: str, element_id: str, name: str) -> str:
    return f'<bpmn:{kind} id="{element_id}"><bpmn:linkEventDefinition name="{name}"/></bpmn:{kind}>'


def test_a_link_throw_without_its_catch_and_a_link_caught_twice_are_refused_at_the_event():
    throw = _link("intermediateThrowEvent", "go_on", "next")
    elsewhere = _link("intermediateCatchEvent", "arrive", "nexd")
    found = [p for p in problems(diagram(START, user("work"), throw, elsewhere, user("after"), END,
                                         *chain("start", "work", "go_on"), *chain("arrive", "after", "end")))
             if p.element_id in ("go_on", "arrive")]
    assert [p.element_id for p in found] == ["go_on"], found
    assert found[0].message.startswith("link throw event 'next' has no link catch event of the same name")

    twice = _link("intermediateCatchEvent", "arrive_again", "next")
    found = [p for p in problems(diagram(START, user("work"), throw, _link("intermediateCatchEvent", "arrive", "next"),
                                         twice, user("after"), END, *chain("start", "work", "go_on"),
                                         *chain("arrive", "after", "end"), *chain("arrive_again", "after")))
             if p.element_id == "arrive_again"]
    assert found and found[0].message.startswith("link 'next' is already caught by arrive"), found
