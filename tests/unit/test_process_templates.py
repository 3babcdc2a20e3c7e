"""A new process's template deploys as it is, for any role and name; the checks as you type read
the variables an expression uses and tell ISO times from expressions."""

from __future__ import annotations

import pytest
from lxml import etree

from service.domain.roles import ROLES
from service.engine.definitions import BPMN
from service.engine.xml_safety import parse_xml
from service.operations import deploy
from service.operations.process_catalogue import check, deadline_variables, variables_read
from service.operations.process_drafts import bundle_of
from service.operations.process_templates import DraftContent, blank

DI = "http://www.omg.org/spec/BPMN/20100524/DI"


@pytest.mark.parametrize("role", ["sales", "engineer", "finance"])
@pytest.mark.parametrize("name", ["请假申请", "A & B <审批> \"引号\"", "x"])
def test_the_blank_template_passes_every_check(role, name):
    content = blank("leave_request", name, role)
    problems, warnings = deploy.bundle_report(bundle_of("leave_request", content))
    assert problems == []
    assert [w.message for w in warnings] == ['warning: no English process "name"']  # only the name is unknown
    tree = parse_xml(content.files["leave_request.bpmn"].encode(), "leave_request.bpmn")
    (process,) = tree.getroot().iter(f"{{{BPMN}}}process")
    assert process.get("name") == name and not list(tree.getroot().iter(f"{{{BPMN}}}participant"))
    (lane,) = tree.getroot().iter(f"{{{BPMN}}}lane")
    assert lane.get("name") == ROLES[role][0]


def test_every_element_of_the_template_is_drawn():
    tree = parse_xml(blank("leave_request", "请假").files["leave_request.bpmn"].encode(), "t.bpmn")
    drawn = {n.get("bpmnElement") for n in tree.iter(f"{{{DI}}}BPMNShape", f"{{{DI}}}BPMNEdge")}
    elements = {n.get("id") for n in tree.getroot().iter() if isinstance(n.tag, str) and n.get("id")
                and etree.QName(n).localname in {"lane", "startEvent", "userTask", "endEvent", "sequenceFlow"}}
    assert elements == drawn and len(elements) == 6


@pytest.mark.parametrize(("source", "script", "read"), [
    ("a + b * a", False, ["a", "b"]),
    ("len(items) > 0 and all(x > 0 for x in items)", False, ["items"]),
    ("{k: v for k, v in pairs.items()}", False, ["pairs"]),
    ("total = price * n\nresult = total + fee", True, ["price", "n", "fee"]),
])
def test_the_variables_an_expression_reads(source, script, read):
    assert variables_read(source, script) == read


def test_times_in_quotes_are_iso_and_bare_ones_are_explained():
    assert check('"PT4H"', "timer", "en")["ok"]
    assert check('"2026-10-08"', "timer", "en")["ok"]
    said = check("2026-10-08", "timer", "zh")
    assert not said["ok"] and "引号" in said["message"]
    refused = check('"tomorrow"', "timer", "en")
    assert not refused["ok"] and "tomorrow" in refused["message"]


def test_deadline_variables_are_the_results_of_working_day_operations():
    diagram = blank("p_x", "流程").files["p_x.bpmn"].replace(
        "<bpmn:endEvent", '<bpmn:serviceTask id="due"><bpmn:extensionElements><spiffworkflow:serviceTaskOperator '
        'id="working_day_end" resultVariable="reply_due" /></bpmn:extensionElements></bpmn:serviceTask>'
        '<bpmn:serviceTask id="mail"><bpmn:extensionElements><spiffworkflow:serviceTaskOperator '
        'id="send_case_mail" resultVariable="sent" /></bpmn:extensionElements></bpmn:serviceTask><bpmn:endEvent', 1)
    found = deadline_variables(DraftContent({"p_x.bpmn": diagram}, {}, {}))
    assert found == [{"name": "reply_due", "operation": "working_day_end", "element_id": "due"}]
