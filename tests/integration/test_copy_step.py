"""抄送 as a diagram step: a `copy_case` service task lets the people it names read the case and tells them."""

from __future__ import annotations

import pytest

from service.operations import cases, deploy, queries
from service.operations.errors import Forbidden
from tests.engine.diagrams import flow, process

pytestmark = pytest.mark.usefixtures("every_case_replays")  # each case replays to what is stored

COPY = ('<bpmn:serviceTask id="copy_to_line"><bpmn:extensionElements><spiffworkflow:serviceTaskOperator '
        'id="copy_case" resultVariable="copied"><spiffworkflow:parameters>'
        '<spiffworkflow:parameter id="to" type="list" value="{to}" />'
        '</spiffworkflow:parameters></spiffworkflow:serviceTaskOperator></bpmn:extensionElements></bpmn:serviceTask>')


def _diagram(to: str) -> bytes:
    body = ('<bpmn:startEvent id="start"/>' + COPY.format(to=to) + '<bpmn:endEvent id="end"/>'
            + flow("f1", "start", "copy_to_line") + flow("f2", "copy_to_line", "end"))
    return process(body, process_id="copy_note")


def _deploy(ctx, to: str) -> None:  # type: ignore[no-untyped-def]
    deploy.deploy_bundle(ctx, deploy.Bundle("copy_note", {"copy_note.bpmn": _diagram(to)}, {}, {}),
                         actor="process_owner1")


def test_a_copy_step_lets_the_named_people_read_the_case(ctx):  # type: ignore[no-untyped-def]
    _deploy(ctx, "['starter_group_leader', 'user:finance1']")
    case = cases.start_case(ctx, process_id="copy_note", actor="sales3", data={})
    for reader in ("sales_lead2", "finance1", "sales3"):
        assert queries.show_case(ctx, case, actor=reader)["id"] == case
    with pytest.raises(Forbidden):
        queries.show_case(ctx, case, actor="sales_lead1")
    (mail,) = queries.show_case(ctx, case)["mails"]
    assert sorted(mail["to"]) == ["finance1@demo.guicheng.local", "sales_lead2@demo.guicheng.local"]
    (call,) = [e for e in queries.history(ctx, case) if e["type"] == "service_task"]
    assert call["payload"]["result"]["copied"] == ["finance1", "sales_lead2"]


def test_an_unknown_recipient_of_a_copy_step_is_refused_at_deploy(ctx):  # type: ignore[no-untyped-def]
    with pytest.raises(Exception) as refused:
        _deploy(ctx, "['boss_of_everyone']")
    assert "copy_to_line" in str(refused.value) and "unknown recipient 'boss_of_everyone'" in str(refused.value)
