"""The dialect modules: each finding names its element and line; a fix edits only what it says."""

from __future__ import annotations

from typing import Any

from lxml import etree

from service.domain.roles import role_for_lane
from service.engine.foreign import SPIFF, examine
from service.engine.foreign.forms import form_key
from service.engine.xml_safety import parse_xml

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '
        'xmlns:flowable="http://flowable.org/bpmn" id="d" targetNamespace="t">\n')


def _tree(body: str) -> etree._ElementTree:
    return parse_xml((HEAD + body + "\n</bpmn:definitions>\n").encode(), "t.bpmn")


def _by_code(tree: etree._ElementTree) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for item in examine(tree, role_for_lane):
        found.setdefault(item.code, []).append(item)
    return found


def test_decision_ref_becomes_the_spiff_decision_reference() -> None:
    tree = _tree('<bpmn:process id="p" isExecutable="true">\n'
                 '<bpmn:businessRuleTask id="decide" camunda:decisionRef="discount"/>\n</bpmn:process>')
    [item] = _by_code(tree)["foreign.decision_ref"]
    assert (item.element_id, item.line) == ("decide", 4)
    item.fix.apply()
    assert tree.xpath("//s:calledDecisionId/text()", namespaces={"s": SPIFF}) == ["discount"]


def test_candidate_group_that_is_a_role_puts_the_task_in_its_lane() -> None:
    tree = _tree('<bpmn:process id="p" isExecutable="true">\n'
                 '<bpmn:userTask id="check" flowable:candidateGroups="engineer"/>\n'
                 '<bpmn:userTask id="other" flowable:candidateGroups="accountancy"/>\n</bpmn:process>')
    found = _by_code(tree)
    [fixable] = found["foreign.candidate_group"]
    [refused] = found["foreign.candidate_group_not_role"]
    assert (fixable.element_id, refused.element_id, refused.fix) == ("check", "other", None)
    fixable.fix.apply()
    lanes = tree.xpath("//bpmn:lane", namespaces={"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"})
    assert [(ln.get("name"), [r.text for r in ln]) for ln in lanes] == [("engineer", ["check"])]


def test_assignee_variable_becomes_the_assignee_expression_but_a_literal_person_is_only_said() -> None:
    tree = _tree('<bpmn:process id="p" isExecutable="true">\n'
                 '<bpmn:userTask id="a" camunda:assignee="${starter}"/>\n'
                 '<bpmn:userTask id="b" camunda:assignee="demo"/>\n</bpmn:process>')
    found = _by_code(tree)
    assert [f.element_id for f in found["foreign.assignee"]] == ["a"]
    assert [(f.element_id, f.fix) for f in found["foreign.assignee_literal"]] == [("b", None)]
    found["foreign.assignee"][0].fix.apply()
    assert tree.xpath("//s:property[@name='assignee']/@value", namespaces={"s": SPIFF}) == ["starter"]


def test_unquoted_timer_literal_is_quoted() -> None:
    tree = _tree('<bpmn:process id="p" isExecutable="true">\n<bpmn:intermediateCatchEvent id="wait">\n'
                 '<bpmn:timerEventDefinition id="t"><bpmn:timeDuration>PT5M</bpmn:timeDuration>'
                 '</bpmn:timerEventDefinition>\n</bpmn:intermediateCatchEvent>\n</bpmn:process>')
    [item] = _by_code(tree)["foreign.timer_unquoted"]
    assert (item.element_id, item.fix.before, item.fix.after) == ("wait", "PT5M", '"PT5M"')


def test_untyped_task_in_a_lane_becomes_manual_outside_a_lane_is_said() -> None:
    tree = _tree('<bpmn:process id="p" isExecutable="true">\n<bpmn:laneSet id="ls"><bpmn:lane id="l" name="sales">'
                 '<bpmn:flowNodeRef>inside</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>\n'
                 '<bpmn:task id="inside"/>\n<bpmn:task id="outside"/>\n</bpmn:process>')
    found = _by_code(tree)
    [manual] = found["foreign.untyped_task"]
    [alone] = found["foreign.untyped_task_no_lane"]
    assert (manual.element_id, alone.element_id, alone.fix) == ("inside", "outside", None)
    manual.fix.apply()
    assert etree.QName(tree.xpath("//*[@id='inside']")[0]).localname == "manualTask"


def test_form_key_keeps_the_name_of_the_other_tools_form() -> None:
    assert form_key("embedded:app:forms/approve-invoice.html") == "approve-invoice"
    assert form_key("camunda-forms:deployment:task-form.form") == "task-form"
    assert form_key("vacationRequest.form") == "vacationRequest"


def test_java_delegates_and_groovy_are_said_without_fix() -> None:
    tree = _tree('<bpmn:process id="p" isExecutable="true">\n'
                 '<bpmn:serviceTask id="call" camunda:class="org.example.Delegate"/>\n'
                 '<bpmn:scriptTask id="s" scriptFormat="groovy"><bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>\n'
                 '</bpmn:process>')
    found = _by_code(tree)
    assert [(f.element_id, f.fix) for f in found["foreign.engine_call"]] == [("call", None)]
    assert [(f.element_id, f.line) for f in found["foreign.script_language"]] == [("s", 5)]


def test_camunda8_called_element_people_and_conditions() -> None:
    tree = parse_xml(b'<?xml version="1.0"?>\n<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'
                     b' xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">\n'
                     b'<bpmn:process id="p" isExecutable="true">\n'
                     b'<bpmn:callActivity id="call"><bpmn:extensionElements>'
                     b'<zeebe:calledElement processId="check"/></bpmn:extensionElements></bpmn:callActivity>\n'
                     b'<bpmn:userTask id="review"><bpmn:extensionElements>'
                     b'<zeebe:assignmentDefinition candidateGroups="finance"/>'
                     b'</bpmn:extensionElements></bpmn:userTask>\n'
                     b'<bpmn:sequenceFlow id="f" sourceRef="call" targetRef="review">'
                     b'<bpmn:conditionExpression>= not(fraud)</bpmn:conditionExpression></bpmn:sequenceFlow>\n'
                     b'</bpmn:process>\n</bpmn:definitions>', "c8.bpmn")
    found = {(f.code, f.element_id): f for f in examine(tree, role_for_lane)}
    assert set(found) == {("foreign.zeebe_called_element", "call"), ("foreign.candidate_group", "review"),
                          ("foreign.feel_condition", "f")}
    for item in found.values():
        assert item.fix is not None
        item.fix.apply()
    assert tree.xpath("//*[@id='call']/@calledElement") == ["check"]
    assert tree.xpath("//*[local-name()='conditionExpression']/text()") == ["not (fraud)"]


def test_camunda_form_fields_become_form_js_components() -> None:
    from service.engine.foreign.owner_choices import fields_of

    tree = _tree('<bpmn:process id="p" isExecutable="true">\n<bpmn:userTask id="t"><bpmn:extensionElements>'
                 '<camunda:formData><camunda:formField id="amount" label="Amount" type="long">'
                 '<camunda:validation><camunda:constraint name="required"/></camunda:validation></camunda:formField>'
                 '<camunda:formField id="kind" label="Kind" type="enum"><camunda:value id="a" name="A"/>'
                 '</camunda:formField><camunda:formField id="ok" type="boolean"/></camunda:formData>'
                 '</bpmn:extensionElements></bpmn:userTask>\n</bpmn:process>')
    [task] = tree.xpath("//*[@id='t']")
    assert fields_of(task) == [
        {"type": "number", "id": "Field_amount", "key": "amount", "label": "Amount", "validate": {"required": True}},
        {"type": "select", "id": "Field_kind", "key": "kind", "label": "Kind",
         "values": [{"label": "A", "value": "a"}]},
        {"type": "checkbox", "id": "Field_ok", "key": "ok", "label": "ok"}]
