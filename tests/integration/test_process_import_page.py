"""The processes page's import through Flask's test client: a process owner uploads a Camunda diagram, sees
each finding with its fix, ticks two of three fixes and gets a draft holding exactly those (nothing
deployed); a diagram of a process that exists becomes that process's next draft, said before applying;
who else may not; hostile or garbage files are refused on the page and change nothing."""

# ruff: noqa: E501  (the diagram below is kept as a modeler writes it: one element per line)
from __future__ import annotations

import io
import re

from service.operations import process_drafts, queries
from service.persistence.models import ProcessDraft
from tests.integration.test_web_pages import csrf_of, sign_in

CAMUNDA = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" exporterVersion="5.0.0">
  <bpmn:process id="purchase_check" name="采购核对" isExecutable="true" camunda:historyTimeToLive="180">
    <bpmn:laneSet id="lanes">
      <bpmn:lane id="lane_sales" name="销售">
        <bpmn:flowNodeRef>request</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>how_much</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>cool_down</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>done</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="request" name="申请" />
    <bpmn:exclusiveGateway id="how_much" name="金额多少？" />
    <bpmn:sequenceFlow id="to_gateway" sourceRef="request" targetRef="how_much" />
    <bpmn:sequenceFlow id="large" name="大额" sourceRef="how_much" targetRef="done">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${amount &gt; 1000}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="small" name="小额" sourceRef="how_much" targetRef="cool_down">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${amount &lt;= 1000}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:intermediateCatchEvent id="cool_down" name="等五分钟">
      <bpmn:timerEventDefinition id="cool_down_timer">
        <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT5M</bpmn:timeDuration>
      </bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="waited" sourceRef="cool_down" targetRef="done" />
    <bpmn:endEvent id="done" name="完成" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="purchase_check">
      <bpmndi:BPMNShape id="request_di" bpmnElement="request"><dc:Bounds x="152" y="102" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="how_much_di" bpmnElement="how_much" isMarkerVisible="true"><dc:Bounds x="245" y="95" width="50" height="50" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="cool_down_di" bpmnElement="cool_down"><dc:Bounds x="352" y="212" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="done_di" bpmnElement="done"><dc:Bounds x="452" y="102" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="to_gateway_di" bpmnElement="to_gateway"><di:waypoint x="188" y="120" /><di:waypoint x="245" y="120" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="large_di" bpmnElement="large"><di:waypoint x="295" y="120" /><di:waypoint x="452" y="120" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="small_di" bpmnElement="small"><di:waypoint x="270" y="145" /><di:waypoint x="270" y="230" /><di:waypoint x="352" y="230" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="waited_di" bpmnElement="waited"><di:waypoint x="388" y="230" /><di:waypoint x="470" y="230" /><di:waypoint x="470" y="138" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""
FIXES = ("large/juel_condition", "small/juel_condition", "cool_down/timer_unquoted")


def _upload(client, data: bytes, name: str = "purchase.bpmn", **fields: str):  # type: ignore[no-untyped-def]
    return client.post("/processes/import", data={"csrf_token": csrf_of(client), **fields,
                                                  "diagram": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _report_path(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 302, response.text
    return response.headers["Location"].split("?")[0]


def _draft(ctx, process_id: str) -> ProcessDraft | None:  # type: ignore[no-untyped-def]
    with ctx.db.reading() as session:
        return session.get(ProcessDraft, process_id)


def test_a_process_owner_ticks_two_of_three_fixes_and_the_draft_holds_exactly_those(client, ctx):
    sign_in(client, "process_owner1")
    assert 'data-testid="import-process"' in client.get("/processes").text
    assert client.get("/processes/import").status_code == 200
    report_path = _report_path(_upload(client, CAMUNDA.encode()))
    report = client.get(report_path)
    assert report.status_code == 200
    for key in FIXES:  # every safe fix shown, ticked, with its before → after
        assert re.search(rf'value="{re.escape(key)}" checked', report.text), key
    assert "<code>${amount &gt; 1000}</code> → <code>amount &gt; 1000</code>" in report.text
    assert "新流程：应用后保存为草稿 purchase_check" in report.text
    assert "第 15 行" in report.text  # the finding at its line of the file as uploaded
    assert _draft(ctx, "purchase_check") is None  # the report changes nothing

    recheck = client.post(report_path, data={"csrf_token": csrf_of(client), "action": "recheck",
                                             "fix": [FIXES[0], FIXES[2]]})
    assert recheck.status_code == 200 and 'value="small/juel_condition" data-testid' not in recheck.text
    assert 'value="small/juel_condition" checked' not in recheck.text
    assert 'data-testid="still-refused"' in recheck.text  # the JUEL left in place refuses a deploy

    applied = client.post(report_path, data={"csrf_token": csrf_of(client), "action": "apply",
                                             "fix": [FIXES[0], FIXES[2]]})
    assert applied.status_code == 302 and applied.headers["Location"].endswith("/processes/purchase_check/edit")
    draft = _draft(ctx, "purchase_check")
    assert draft is not None and draft.base_version is None and draft.updated_by == "process_owner1"
    diagram = draft.files["purchase_check.bpmn"]
    assert "amount &gt; 1000</bpmn:conditionExpression>" in diagram  # ticked: fixed
    assert '"PT5M"</bpmn:timeDuration>' in diagram  # ticked: fixed
    assert "${amount &lt;= 1000}</bpmn:conditionExpression>" in diagram  # not ticked: as drawn
    assert 'camunda:historyTimeToLive="180"' in diagram and '<dc:Bounds x="152"' in diagram
    assert "purchase_check" not in {d["process_id"] for d in queries.definitions(ctx)}  # nothing deployed
    editor = client.get("/processes/purchase_check/edit")
    assert editor.status_code == 200 and "已把导入的流程图保存为草稿：purchase_check" in editor.text
    assert client.get(report_path).status_code == 404  # the upload is used up


def test_english_labels_with_the_language_switch(client, ctx):
    sign_in(client, "process_owner1")
    client.get("/lang/en")
    assert "Import a diagram" in client.get("/processes").text
    report = client.get(_report_path(_upload(client, CAMUNDA.encode())))
    assert "Import check: purchase.bpmn" in report.text and "Apply the chosen fixes and open as a draft" in report.text
    assert "conditionExpression is a JUEL expression" in report.text and "line 15" in report.text


def test_a_diagram_of_an_existing_process_becomes_its_next_draft_and_the_page_says_so(client, ctx):
    sign_in(client, "process_owner1")
    current = process_drafts.get_draft(ctx, "technical_support", actor="process_owner1")
    text = current["files"]["technical_support.bpmn"]
    report_path = _report_path(_upload(client, text.encode(), "technical_support.bpmn"))
    report = client.get(report_path).text
    assert "流程 technical_support 已存在（当前版本 v1）：导入的流程图将成为它的草稿，即下一个版本" in report
    applied = client.post(report_path, data={"csrf_token": csrf_of(client), "action": "apply"})
    assert applied.headers["Location"].endswith("/processes/technical_support/edit")
    draft = _draft(ctx, "technical_support")
    assert draft is not None and draft.base_version == 1
    assert set(draft.forms) == set(current["forms"])  # the process keeps its forms and translations
    assert [d["version"] for d in queries.definitions(ctx) if d["process_id"] == "technical_support"] == [1]


def test_others_may_not_import(client, ctx):
    sign_in(client, "sales1")
    assert client.get("/processes/import").status_code == 403
    assert _upload(client, CAMUNDA.encode()).status_code == 403
    assert 'data-testid="import-process"' not in client.get("/processes").text
    client.post("/logout", data={"csrf_token": csrf_of(client)})
    sign_in(client, "auditor1")
    assert client.get("/processes/import").status_code == 403
    assert 'data-testid="import-process"' not in client.get("/processes").text


def test_an_administrator_sees_the_report_but_only_a_process_owner_saves_drafts(client, ctx):
    sign_in(client, "admin1")
    report_path = _report_path(_upload(client, CAMUNDA.encode()))
    report = client.get(report_path)
    assert report.status_code == 200 and 'data-testid="import-apply"' not in report.text
    assert client.post(report_path, data={"csrf_token": csrf_of(client), "action": "apply"}).status_code == 403
    assert _draft(ctx, "purchase_check") is None


def test_an_upload_without_the_csrf_token_is_refused(client, ctx):
    sign_in(client, "process_owner1")
    response = client.post("/processes/import", data={"diagram": (io.BytesIO(CAMUNDA.encode()), "p.bpmn")},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and _draft(ctx, "purchase_check") is None


HOSTILE = {
    "entities.bpmn": (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">]>\n<definitions/>',
                      "「entities.bpmn」第 2 行无法读取：DOCTYPE and entity declarations are not allowed"),
    "garbage.bpmn": (b"\x89PNG\r\n\x1a\n not a diagram", "「garbage.bpmn」第 1 行无法读取：malformed XML"),
    "empty.bpmn": (b"", "「empty.bpmn」是空文件"),
    "notes.txt": (CAMUNDA.encode(), "「notes.txt」不是流程图文件：只接受 .bpmn, .bpmn20.xml, .xml"),
    "form.xml": (b'<?xml version="1.0"?>\n<form><field/></form>', "根元素是 form，不是 bpmn:definitions"),
    "huge.bpmn": (b"<a>" + b" " * (5 * 1024 * 1024) + b"</a>", "超过了 5242880 字节的上限"),
}


def test_hostile_or_garbage_files_get_a_clear_error_on_the_page_and_change_nothing(client, ctx):
    sign_in(client, "process_owner1")
    before = client.get("/processes").text
    for name, (data, said) in HOSTILE.items():
        response = _upload(client, data, name)
        assert response.status_code == 400, name
        assert 'data-testid="import-error"' in response.text and said in response.text, (name, response.text[-2000:])
    nothing = client.post("/processes/import", data={"csrf_token": csrf_of(client)}, content_type="multipart/form-data")
    assert nothing.status_code == 400 and "请选择要导入的流程图文件" in nothing.text
    assert client.get("/processes").text == before
    assert not list((ctx.settings.home / "imports").glob("*.xml")) if (ctx.settings.home / "imports").exists() else True
    assert client.get("/processes/import/not-a-token-of-anyone-at-all").status_code == 404


def test_every_diagram_of_the_corpus_gives_a_report_or_a_clear_refusal(client, ctx):
    """Real third-party files (tests/fixtures/bpmn-world): the page reports on each, never fails."""
    from pathlib import Path

    sign_in(client, "process_owner1")
    corpus = sorted(p for p in Path(__file__).parent.parent.joinpath("fixtures", "bpmn-world").rglob("*")
                    if p.name.endswith((".bpmn", ".bpmn20.xml")))
    assert len(corpus) > 100
    for path in corpus:
        response = _upload(client, path.read_bytes(), path.name)
        if response.status_code == 400:
            assert 'data-testid="import-error"' in response.text, path
            continue
        report = client.get(_report_path(response))
        assert report.status_code == 200 and 'data-testid="import-part"' in report.text, path


def test_a_modeler_default_process_id_is_offered_as_a_new_process_id(client, ctx):
    """bpmn.io and Camunda name a process `Process_0x8f7k2`; a new process here needs a lower-case id."""
    sign_in(client, "process_owner1")
    text = CAMUNDA.replace('"purchase_check"', '"Process_0x8F7k2"')
    report_path = _report_path(_upload(client, text.encode()))
    report = client.get(report_path).text
    assert 'value="Process_0x8F7k2/process_id_renamed" checked' in report
    assert "新流程：应用后保存为草稿 process_0x8f7k2" in report
    applied = client.post(report_path, data={"csrf_token": csrf_of(client), "action": "apply",
                                             "fix": ["Process_0x8F7k2/process_id_renamed", *FIXES]})
    assert applied.headers["Location"].endswith("/processes/process_0x8f7k2/edit")
    diagram = _draft(ctx, "process_0x8f7k2").files["process_0x8f7k2.bpmn"]
    assert '<bpmn:process id="process_0x8f7k2"' in diagram and 'bpmnElement="process_0x8f7k2"' in diagram
    assert "Process_0x8F7k2" not in diagram


def test_the_owner_chooses_the_role_of_tasks_in_no_lane_and_forms_for_tasks_without_one(client, ctx):
    """The CLI's --role and --forms on the page: the draft gets the lane and the drawn forms, and deploys."""
    from tests.integration.test_import import FLOWABLE_NO_LANES

    sign_in(client, "process_owner1")
    plain = client.get(_report_path(_upload(client, FLOWABLE_NO_LANES.encode(), "vacation.bpmn20.xml"))).text
    assert "decide/given_role" not in plain and 'data-testid="still-refused"' in plain
    report_path = _report_path(_upload(client, FLOWABLE_NO_LANES.encode(), "vacation.bpmn20.xml",
                                       role="sales", forms="1"))
    report = client.get(report_path + "?role=sales&forms=1").text
    assert 'value="decide/given_role" checked' in report and 'value="request/form_from_fields" checked' in report
    assert 'data-testid="deployable"' in report
    applied = client.post(report_path, data={"csrf_token": csrf_of(client), "action": "apply", "role": "sales",
                                             "forms": "1", "fix": re.findall(r'name="fix" value="([^"]+)" checked',
                                                                             report)})
    assert applied.headers["Location"].endswith("/processes/vacation_request/edit")
    draft = _draft(ctx, "vacation_request")
    assert set(draft.forms) == {"request", "decide"}
    assert process_drafts.validate_draft(ctx, "vacation_request", actor="process_owner1")["ok"]
