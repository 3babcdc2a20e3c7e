"""The readable diff of two versions of a process: exactly what a process owner changed, nothing else.

The versions are the technical-support bundle as shipped and edited copies of it, the way a process owner
changes a procedure: a step added after the director's confirmation, a step given another id, a name
changed, a shape moved, a form's label, a decision-table rule.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from service.config import PROJECT_ROOT
from service.domain import forms as form_rules
from service.domain.version_diff import diff_versions, form_changes, incompatible_fields, is_empty

MAIN = "technical_support.bpmn"
WORDS = "technical_support.en.json"
DOUBLE_CHECK = """<bpmn:userTask id="double_check" name="复核申请">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="formKey" value="review_workload"/>
      </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>flow_confirm_request_to_double_check</bpmn:incoming>
      <bpmn:outgoing>flow_double_check_to_confirm_gateway</bpmn:outgoing>
    </bpmn:userTask>
    """


def _replace(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"expected one {old!r}"
    return text.replace(old, new)


def with_double_check(text: str) -> str:
    """A review step 复核申请 (double_check, the directors' lane) between the confirmation and its gateway."""
    text = _replace(text, '<bpmn:sequenceFlow id="flow_confirm_request_to_confirm_gateway" sourceRef="confirm_request" '
                          'targetRef="confirm_gateway"/>',
                    '<bpmn:sequenceFlow id="flow_confirm_request_to_double_check" sourceRef="confirm_request" '
                    'targetRef="double_check"/>\n    <bpmn:sequenceFlow id="flow_double_check_to_confirm_gateway" '
                    'sourceRef="double_check" targetRef="confirm_gateway"/>')
    text = _replace(text, "<bpmn:outgoing>flow_confirm_request_to_confirm_gateway</bpmn:outgoing>",
                    "<bpmn:outgoing>flow_confirm_request_to_double_check</bpmn:outgoing>")
    text = _replace(text, "<bpmn:incoming>flow_confirm_request_to_confirm_gateway</bpmn:incoming>",
                    "<bpmn:incoming>flow_double_check_to_confirm_gateway</bpmn:incoming>")
    text = _replace(text, "<bpmn:flowNodeRef>confirm_request</bpmn:flowNodeRef>",
                    "<bpmn:flowNodeRef>confirm_request</bpmn:flowNodeRef>\n        "
                    "<bpmn:flowNodeRef>double_check</bpmn:flowNodeRef>")
    return _replace(text, '<bpmn:exclusiveGateway id="confirm_gateway"',
                    DOUBLE_CHECK + '<bpmn:exclusiveGateway id="confirm_gateway"')


def with_emergency_renamed(text: str) -> str:
    """The emergency confirmation gets another id (confirm_urgent): to the engine, a removed and an added step."""
    for pattern in ('id="{}"', "<bpmn:flowNodeRef>{}<", 'targetRef="{}"', 'sourceRef="{}"', 'bpmnElement="{}"'):
        text = _replace(text, pattern.format("confirm_emergency"), pattern.format("confirm_urgent"))
    return text


def words_with_emergency_renamed(data: bytes) -> bytes:
    return data.replace(b'"confirm_emergency":', b'"confirm_urgent":')


@pytest.fixture(scope="module")
def version_1() -> tuple[dict[str, str], dict[str, Any]]:
    files = {p.name: p.read_text(encoding="utf-8") for p in (PROJECT_ROOT / "processes").iterdir()
             if p.suffix in (".bpmn", ".dmn") or p.name.endswith(".en.json")}
    forms = {p.stem: form_rules.load_form(p.read_text(encoding="utf-8"), p.name)
             for p in sorted(Path(PROJECT_ROOT / "forms").glob("*/*.form"))}
    return files, forms


def _diff(version_1: tuple[dict[str, str], dict[str, Any]], files: dict[str, str] | None = None,
          forms: dict[str, Any] | None = None) -> dict[str, Any]:
    old_files, old_forms = version_1
    return diff_versions(old_files, old_forms, {**old_files, **(files or {})}, {**old_forms, **(forms or {})})


def _ids(found: list[dict[str, Any]]) -> list[str]:
    return [e["id"] for e in found]


def _changed(diff: dict[str, Any]) -> dict[str, list[str]]:
    return {e["id"]: e["properties"] for e in diff["elements"]["changed"]}


def test_a_version_compared_with_itself_has_no_changes(version_1):  # type: ignore[no-untyped-def]
    diff = _diff(version_1)
    assert is_empty(diff)
    assert diff["elements"] == {"added": [], "removed": [], "changed": [], "moved": []}


def test_an_added_step_and_a_renamed_id_are_listed_exactly(version_1):  # type: ignore[no-untyped-def]
    files, _forms = version_1
    diff = _diff(version_1, {MAIN: with_emergency_renamed(with_double_check(files[MAIN]))})
    assert _ids(diff["elements"]["added"]) == ["confirm_urgent", "double_check", "flow_confirm_request_to_double_check",
                                               "flow_double_check_to_confirm_gateway"]
    assert diff["elements"]["added"][1] == {"id": "double_check", "name": "复核申请", "type": "userTask",
                                            "process": "technical_support"}
    assert _ids(diff["elements"]["removed"]) == ["confirm_emergency", "flow_confirm_request_to_confirm_gateway"]
    # what is wired differently: the neighbours of the new step and the flows of the renamed one
    assert _changed(diff) == {"confirm_gateway": ["flows"], "confirm_request": ["flows"],
                              "flow_confirm_emergency_to_emergency_decision_gateway": ["flows"],
                              "flow_emergency_gateway_to_confirm_emergency": ["flows"]}
    assert diff["forms"] == {"added": [], "removed": [], "changed": []}
    assert diff["tables"] == {"added": [], "removed": [], "changed": []}


def test_properties_that_changed_are_named(version_1):  # type: ignore[no-untyped-def]
    files, _forms = version_1
    text = _replace(files[MAIN], 'name="工程师评估能否支持"', 'name="工程师评估"')
    text = _replace(text, '<bpmn:timeDate xsi:type="bpmn:tFormalExpression">confirm_due</bpmn:timeDate>',
                    '<bpmn:timeDate xsi:type="bpmn:tFormalExpression">response_due</bpmn:timeDate>')
    text = _replace(text, '<spiffworkflow:parameter id="day" type="int" value="confirm_day"/>',
                    '<spiffworkflow:parameter id="day" type="int" value="confirm_day + 1"/>')
    text = _replace(text, '<spiffworkflow:property name="dueAt" value="confirm_due"/>',
                    '<spiffworkflow:property name="dueAt" value="response_due"/>')
    changed = _changed(_diff(version_1, {MAIN: text}))
    assert changed == {"engineer_assessment": ["name"], "confirm_overdue_timer": ["timer"],
                       "compute_confirm_due": ["parameters"], "confirm_request": ["dueAt"]}


def test_a_step_moved_to_another_lane_changes_its_role(version_1):  # type: ignore[no-untyped-def]
    files, _forms = version_1
    text = _replace(files[MAIN], "<bpmn:flowNodeRef>confirm_request</bpmn:flowNodeRef>", "")
    text = _replace(text, "<bpmn:flowNodeRef>engineer_assessment</bpmn:flowNodeRef>",
                    "<bpmn:flowNodeRef>engineer_assessment</bpmn:flowNodeRef><bpmn:flowNodeRef>confirm_request"
                    "</bpmn:flowNodeRef>")
    assert _changed(_diff(version_1, {MAIN: text})) == {"confirm_request": ["lane"]}


def test_a_shape_moved_on_the_canvas_is_no_change(version_1):  # type: ignore[no-untyped-def]
    files, _forms = version_1
    text = _replace(files[MAIN], '<bpmndi:BPMNShape id="confirm_request_di" bpmnElement="confirm_request">\n'
                                 '        <dc:Bounds x="1790" y="550"',
                    '<bpmndi:BPMNShape id="confirm_request_di" bpmnElement="confirm_request">\n'
                    '        <dc:Bounds x="1800" y="600"')
    diff = _diff(version_1, {MAIN: text})
    assert is_empty(diff)
    assert _ids(diff["elements"]["moved"]) == ["confirm_request"]


def _field(form: dict[str, Any], key: str) -> dict[str, Any]:
    return next(c for c in form["components"] if c.get("key") == key)


def test_form_changes_name_the_fields_and_attributes(version_1):  # type: ignore[no-untyped-def]
    _files, forms = version_1
    form = json.loads(json.dumps(forms["confirm_request"]))
    _field(form, "accepted")["label"] = "是否受理申请"
    form["components"].append({"id": "Field_urgency", "key": "urgency", "type": "textfield", "label": "紧急程度",
                               "validate": {"required": True}})
    diff = _diff(version_1, forms={"confirm_request": form})
    assert diff["forms"]["changed"] == [{"key": "confirm_request", "fields_added": ["urgency"], "fields_removed": [],
                                         "fields_changed": [{"key": "accepted", "attributes": ["label"]}]}]
    assert diff["forms"]["added"] == diff["forms"]["removed"] == []


def test_a_new_required_field_without_default_is_incompatible_for_a_waiting_task(version_1):  # type: ignore[no-untyped-def]
    _files, forms = version_1
    old = forms["confirm_request"]
    relabelled = json.loads(json.dumps(old))
    _field(relabelled, "accepted")["label"] = "是否受理申请"
    assert incompatible_fields(old, relabelled) == []
    demanding = json.loads(json.dumps(old))
    demanding["components"].append({"key": "urgency", "type": "textfield", "label": "紧急程度",
                                    "validate": {"required": True}})
    demanding["components"].append({"key": "channel", "type": "textfield", "label": "渠道",
                                    "validate": {"required": True}, "defaultValue": "mail"})
    demanding["components"].append({"key": "remark", "type": "textfield", "label": "备注"})
    assert incompatible_fields(old, demanding) == ["urgency"]  # the default fills channel; remark is optional
    assert form_changes("confirm_request", old, old) is None


def test_decision_rules_and_translations_are_listed_apart(version_1):  # type: ignore[no-untyped-def]
    files, _forms = version_1
    name = "technical_support_deadlines.dmn"
    dmn = files[name]
    start = dmn.index('<rule id="support_deadlines_rule_1">')
    rule = dmn[start:dmn.index("</rule>", start)]
    changed_rule = rule.replace("<text>2</text>", "<text>3</text>", 1)
    assert changed_rule != rule
    words = _replace(files[WORDS], '"Technical director confirms the application"', '"Director confirms"')
    diff = _diff(version_1, {name: dmn.replace(rule, changed_rule), WORDS: words})
    assert diff["tables"]["changed"] == [{"file": name, "decisions": [{
        "id": "support_deadlines", "name": "确认与响应时限", "status": "changed", "rules_added": [],
        "rules_removed": [], "rules_changed": ["support_deadlines_rule_1"], "table_changed": False}]}]
    assert diff["translations"] == {"added": [], "removed": [], "changed": [WORDS]}
    assert diff["elements"]["changed"] == []
