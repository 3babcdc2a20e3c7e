"""What a new process starts from: a diagram that already deploys and runs.

Why a working template rather than an empty canvas: a process owner learns the editor by changing
something that works (a start event in the lane of the role that starts it, one user task with its
form, an end event), and `validate` is green from the first minute. The diagram carries its layout
(DI) so the modeler draws it as it is; the names are Chinese with their English beside them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from service.domain import form_translation as words_rules
from service.domain.roles import ROLES

PROCESS_ID = re.compile(r"[a-z][a-z0-9_]{2,63}")
TEMPLATES = ("blank",)
DEFAULT_ROLE = "sales"
FIELD_KEY = "notes"


@dataclass(frozen=True)
class DraftContent:
    """A draft's files (.bpmn/.dmn texts), forms (formKey → form-js JSON) and translations (stored name → text)."""

    files: dict[str, str]
    forms: dict[str, str]
    translations: dict[str, str]


def first_form_key(process_id: str) -> str:
    return f"{process_id}_form1"


def blank(process_id: str, name: str, role: str = DEFAULT_ROLE) -> DraftContent:
    """start → one user task (its form: one text field) → end, all in the lane of `role`."""
    form_key = first_form_key(process_id)
    diagram = _BLANK_BPMN.format(pid=process_id, name=quoteattr(name), lane=quoteattr(ROLES[role][0]),
                                 form=quoteattr(form_key))
    form = {"schemaVersion": 16, "id": form_key, "type": "default", "components": [
        {"id": f"Field_{FIELD_KEY}", "key": FIELD_KEY, "type": "textfield", "label": "说明"}]}
    diagram_words = {"elements": {"start": "Start", "fill_in": "Fill in the form", "end": "Done"}}
    return DraftContent(
        files={f"{process_id}.bpmn": diagram},
        forms={form_key: json.dumps(form, ensure_ascii=False, indent=2) + "\n"},
        translations={words_rules.diagram_words_name(process_id): _json(diagram_words),
                      words_rules.form_words_name(form_key): _json({"说明": "Notes"})})


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


_BLANK_BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
                  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
                  xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
                  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
                  id="{pid}_definitions" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="{pid}" name={name} isExecutable="true">
    <bpmn:laneSet id="{pid}_lanes">
      <bpmn:lane id="lane_1" name={lane}>
        <bpmn:flowNodeRef>start</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>fill_in</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>end</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start" name="开始">
      <bpmn:outgoing>flow_start_fill_in</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:userTask id="fill_in" name="填写表单">
      <bpmn:extensionElements>
        <spiffworkflow:properties>
          <spiffworkflow:property name="formKey" value={form} />
        </spiffworkflow:properties>
      </bpmn:extensionElements>
      <bpmn:incoming>flow_start_fill_in</bpmn:incoming>
      <bpmn:outgoing>flow_fill_in_end</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="end" name="完成">
      <bpmn:incoming>flow_fill_in_end</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="flow_start_fill_in" sourceRef="start" targetRef="fill_in" />
    <bpmn:sequenceFlow id="flow_fill_in_end" sourceRef="fill_in" targetRef="end" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="{pid}_diagram">
    <bpmndi:BPMNPlane id="{pid}_plane" bpmnElement="{pid}">
      <bpmndi:BPMNShape id="lane_1_di" bpmnElement="lane_1" isHorizontal="true">
        <dc:Bounds x="130" y="80" width="560" height="200" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="start_di" bpmnElement="start">
        <dc:Bounds x="212" y="162" width="36" height="36" />
        <bpmndi:BPMNLabel>
          <dc:Bounds x="217" y="205" width="26" height="14" />
        </bpmndi:BPMNLabel>
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="fill_in_di" bpmnElement="fill_in">
        <dc:Bounds x="330" y="140" width="100" height="80" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="end_di" bpmnElement="end">
        <dc:Bounds x="522" y="162" width="36" height="36" />
        <bpmndi:BPMNLabel>
          <dc:Bounds x="527" y="205" width="26" height="14" />
        </bpmndi:BPMNLabel>
      </bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="flow_start_fill_in_di" bpmnElement="flow_start_fill_in">
        <di:waypoint x="248" y="180" />
        <di:waypoint x="330" y="180" />
      </bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="flow_fill_in_end_di" bpmnElement="flow_fill_in_end">
        <di:waypoint x="430" y="180" />
        <di:waypoint x="522" y="180" />
      </bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""
