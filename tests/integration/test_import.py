"""`guicheng import [--fix]` on small hand-drawn Camunda and Flowable diagrams: each fix is listed at its
element and line, nothing is written without --fix, and after --fix `guicheng validate` accepts the file."""

# ruff: noqa: E501  (the diagram below is kept exactly as a modeler writes it: one element per line)
from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli import cli_env, run_cli

CAMUNDA = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" exporterVersion="5.0.0">
  <bpmn:process id="purchase_approval" name="Purchase approval" isExecutable="true" camunda:historyTimeToLive="180">
    <bpmn:startEvent id="request" name="Request" camunda:formKey="embedded:app:forms/request.html">
      <bpmn:outgoing>to_gateway</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:exclusiveGateway id="how_much" name="How much?">
      <bpmn:incoming>to_gateway</bpmn:incoming>
      <bpmn:outgoing>large</bpmn:outgoing>
      <bpmn:outgoing>small</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:sequenceFlow id="to_gateway" sourceRef="request" targetRef="how_much" />
    <bpmn:sequenceFlow id="large" name="large" sourceRef="how_much" targetRef="approve">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${amount &gt; 1000}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="small" name="small" sourceRef="how_much" targetRef="cool_down">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${amount &lt;= 1000}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:userTask id="approve" name="Approve" camunda:candidateGroups="tech_director" camunda:formKey="camunda-forms:deployment:approve.form">
      <bpmn:incoming>large</bpmn:incoming>
      <bpmn:outgoing>approved</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:intermediateCatchEvent id="cool_down" name="Five minutes">
      <bpmn:incoming>small</bpmn:incoming>
      <bpmn:outgoing>waited</bpmn:outgoing>
      <bpmn:timerEventDefinition id="cool_down_timer">
        <bpmn:timeDuration xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">PT5M</bpmn:timeDuration>
      </bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="done" name="Done">
      <bpmn:incoming>approved</bpmn:incoming>
      <bpmn:incoming>waited</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="approved" sourceRef="approve" targetRef="done" />
    <bpmn:sequenceFlow id="waited" sourceRef="cool_down" targetRef="done" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="purchase_approval">
      <bpmndi:BPMNShape id="request_di" bpmnElement="request">
        <dc:Bounds x="152" y="102" width="36" height="36" />
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""
REQUEST_FORM = '{"type": "default", "id": "request", "components": [{"id": "Field_amount", "key": "amount", "type": "number", "label": "金额", "validate": {"required": true}}]}'
APPROVE_FORM = '{"type": "default", "id": "approve", "components": [{"id": "Field_ok", "key": "ok", "type": "checkbox", "label": "同意"}]}'


def _flowable(text: str) -> str:
    """The same diagram as Flowable writes it: its namespace, #{…} expressions, another role."""
    return (text.replace("http://camunda.org/schema/1.0/bpmn", "http://flowable.org/bpmn")
            .replace("camunda:", "flowable:").replace("xmlns:camunda", "xmlns:flowable")
            .replace("${", "#{").replace('candidateGroups="tech_director"', 'candidateGroups="engineer"'))


def _folder(tmp_path: Path, name: str, text: str) -> Path:
    """A diagram in `diagrams/` with its forms in `forms/purchase_approval/` beside, as a project keeps them."""
    (tmp_path / "diagrams").mkdir()
    forms = tmp_path / "forms" / "purchase_approval"
    forms.mkdir(parents=True)
    (forms / "request.form").write_text(REQUEST_FORM, encoding="utf-8")
    (forms / "approve.form").write_text(APPROVE_FORM, encoding="utf-8")
    path = tmp_path / "diagrams" / name
    path.write_text(text, encoding="utf-8")
    return path


def _env(tmp_path: Path) -> dict[str, str]:
    return cli_env(f"sqlite:///{tmp_path / 'unused.db'}", tmp_path, GUICHENG_LANG="en")


def test_camunda_diagram_lists_each_fix_and_writes_nothing_without_fix(tmp_path: Path) -> None:
    path = _folder(tmp_path, "purchase.bpmn", CAMUNDA)
    result = run_cli(_env(tmp_path), "import", str(path))
    lines = result.stdout.splitlines()
    assert f"{path}:14: large: conditionExpression is a JUEL expression (Camunda/Flowable); expressions here are " \
           "Python [fix: ${amount > 1000} → amount > 1000]" in lines
    assert any(line.startswith(f"{path}:19: approve: camunda:candidateGroups") and
               '[fix: camunda:candidateGroups="tech_director" → lane tech_director]' in line for line in lines)
    assert any(line.startswith(f"{path}:4: request: camunda:formKey") and "→ formKey request]" in line
               for line in lines)
    assert any(line.startswith(f"{path}:27: cool_down: timer timeDuration") and '[fix: PT5M → "PT5M"]' in line
               for line in lines)
    assert "1 files: 6 findings, 6 fixable, 0 fixed; 1 would deploy" in result.stderr
    assert result.returncode == 0  # it would deploy once fixed
    assert path.read_text(encoding="utf-8") == CAMUNDA and not path.with_name("purchase.bpmn.orig").exists()
    assert run_cli(_env(tmp_path), "validate", str(path)).returncode == 1  # as drawn, it is refused


def test_fix_rewrites_in_place_keeps_the_original_and_then_validate_passes(tmp_path: Path) -> None:
    path = _folder(tmp_path, "purchase.bpmn", CAMUNDA)
    result = run_cli(_env(tmp_path), "import", "--fix", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert path.with_name("purchase.bpmn.orig").read_text(encoding="utf-8") == CAMUNDA
    fixed = path.read_text(encoding="utf-8")
    assert "amount &gt; 1000</bpmn:conditionExpression>" in fixed and '"PT5M"</bpmn:timeDuration>' in fixed
    assert '<bpmn:lane id="Lane_tech_director" name="tech_director"><bpmn:flowNodeRef>approve' in fixed
    # what the fix does not concern stays: the other tool's attributes, the diagram interchange
    assert 'camunda:historyTimeToLive="180"' in fixed and '<dc:Bounds x="152" y="102"' in fixed
    validated = run_cli(_env(tmp_path), "validate", str(path))
    assert validated.returncode == 0, validated.stdout + validated.stderr


def test_flowable_diagram_is_fixed_the_same_way(tmp_path: Path) -> None:
    path = _folder(tmp_path, "purchase.bpmn20.xml", _flowable(CAMUNDA))
    result = run_cli(_env(tmp_path), "import", "--fix", "--json", str(path))
    report = json.loads(result.stdout)
    fixes = {(f["element_id"], f["fix"]["after"]) for f in report["files"][0]["findings"] if f["fix"]}
    assert fixes == {("request", "formKey request"), ("large", "amount > 1000"), ("small", "amount <= 1000"),
                     ("approve", "lane engineer"), ("approve", "formKey approve"), ("cool_down", '"PT5M"')}
    assert (report["ok"], report["files"][0]["written"]) == (True, True)
    assert run_cli(_env(tmp_path), "validate", str(path)).returncode == 0


def test_decision_reference_and_what_cannot_be_fixed(tmp_path: Path) -> None:
    text = CAMUNDA.replace(
        '<bpmn:endEvent id="done"',
        '<bpmn:businessRuleTask id="rate" camunda:decisionRef="purchase_rating" />\n    '
        '<bpmn:serviceTask id="notify" camunda:class="org.example.Notify" />\n    <bpmn:endEvent id="done"'
    ).replace("${amount &lt;= 1000}", "${order.amount &lt;= 1000}")
    path = _folder(tmp_path, "purchase.bpmn", text)
    result = run_cli(_env(tmp_path), "import", "--json", str(path))
    findings = {f["element_id"]: f for f in json.loads(result.stdout)["files"][0]["findings"]
                if f["element_id"] in ("rate", "notify", "small")}
    assert findings["rate"]["fix"] == {"before": 'camunda:decisionRef="purchase_rating"',
                                       "after": "spiffworkflow:calledDecisionId purchase_rating"}
    assert findings["notify"]["fix"] is None and "serviceTaskOperator" in findings["notify"]["message"]
    assert findings["small"]["fix"] is None and "${order.amount <= 1000}" in findings["small"]["message"]
    assert result.returncode == 1  # a condition that is not certain and a Java class: the owner must act


def test_a_file_with_nothing_to_fix_is_untouched(tmp_path: Path) -> None:
    path = _folder(tmp_path, "purchase.bpmn", CAMUNDA)
    assert run_cli(_env(tmp_path), "import", "--fix", str(path)).returncode == 0
    path.with_name("purchase.bpmn.orig").unlink()
    fixed = path.read_bytes()
    again = run_cli(_env(tmp_path), "import", "--fix", str(path))
    assert again.returncode == 0 and "0 fixable, 0 fixed; 1 would deploy" in again.stderr
    assert path.read_bytes() == fixed and not path.with_name("purchase.bpmn.orig").exists()


def test_messages_are_in_chinese_by_default(tmp_path: Path) -> None:
    path = _folder(tmp_path, "purchase.bpmn", CAMUNDA)
    env = _env(tmp_path)
    env.pop("GUICHENG_LANG")
    result = run_cli(env, "import", str(path))
    assert "[修正：${amount > 1000} → amount > 1000]" in result.stdout
    assert "1 个文件：6 处发现，6 处可自动修正，0 处已修正；1 个可以部署" in result.stderr


def test_fix_keeps_the_encoding_the_declaration_and_comments_of_the_file(tmp_path: Path) -> None:
    from service.operations import foreign_import

    chinese = CAMUNDA.replace('name="Approve"', 'name="审批"').replace(
        '<?xml version="1.0" encoding="UTF-8"?>', "<?xml version='1.0' encoding='GBK'?>\n<!-- 由建模工具导出 -->")
    path = _folder(tmp_path, "purchase.bpmn", "")
    path.write_bytes(chinese.encode("gbk"))
    report = foreign_import.import_file(path, tmp_path / "forms", fix=True)
    written = path.read_bytes().decode("gbk")
    assert report.written and report.deployable, [str(p) for p in report.problems]
    assert written.startswith("<?xml version='1.0' encoding='GBK'?>\n<!-- 由建模工具导出 -->")
    assert 'name="审批"' in written and "amount &gt; 1000</bpmn:conditionExpression>" in written

    (tmp_path / "bom").mkdir()
    with_bom = _folder(tmp_path / "bom", "purchase.bpmn", "")
    with_bom.write_bytes(b"\xef\xbb\xbf" + CAMUNDA.encode("utf-8"))
    assert foreign_import.import_file(with_bom, tmp_path / "forms", fix=True).written
    assert with_bom.read_bytes().startswith(b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions')


FLOWABLE_NO_LANES = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:flowable="http://flowable.org/bpmn" id="d" targetNamespace="Examples">
  <process id="vacation_request" name="Vacation request">
    <startEvent id="request" name="Request">
      <extensionElements>
        <flowable:formProperty id="days" name="Number of days" type="long" required="true" />
      </extensionElements>
    </startEvent>
    <sequenceFlow id="f1" sourceRef="request" targetRef="decide" />
    <userTask id="decide" name="Decide" />
    <sequenceFlow sourceRef="decide" targetRef="done" />
    <endEvent id="done" name="Done" />
  </process>
</definitions>
"""


def test_owner_chooses_the_role_of_tasks_in_no_lane_and_forms_for_tasks_without_one(tmp_path: Path) -> None:
    path = _folder(tmp_path, "vacation.bpmn20.xml", FLOWABLE_NO_LANES)
    plain = run_cli(_env(tmp_path), "import", "--fix", str(path))
    assert plain.returncode == 1 and "decide: user task is not in a lane" in plain.stdout
    chosen = run_cli(_env(tmp_path), "import", "--fix", "--role", "sales", "--forms", str(path))
    assert chosen.returncode == 0, chosen.stdout + chosen.stderr
    lines = chosen.stdout.splitlines()
    assert any(line.startswith(f"{path}:") and "decide: task in no lane: goes into the lane of role 'sales'" in line
               for line in lines)
    start_form = json.loads((tmp_path / "forms" / "vacation_request" / "request.form").read_text(encoding="utf-8"))
    assert start_form["components"] == [{"type": "number", "id": "Field_days", "key": "days",
                                         "label": "Number of days", "validate": {"required": True}}]
    assert (tmp_path / "forms" / "vacation_request" / "decide.form").is_file()
    assert 'id="Flow_' in path.read_text(encoding="utf-8")  # the flow without an id got one
    assert run_cli(_env(tmp_path), "validate", str(path)).returncode == 0
    assert run_cli(_env(tmp_path), "import", "--role", "nobody", str(path)).returncode == 2  # roles only
