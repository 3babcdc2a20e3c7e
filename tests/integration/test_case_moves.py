"""退回 (send back) and 加签 (add a signer) through the API, with the demo organisation, on SQLite
and PostgreSQL: the right person can, everyone else is refused, and the history says what happened."""

from __future__ import annotations

from typing import Any

import pytest

from service.operations import cases, queries, tokens
from service.persistence.audit import verify_chain
from tests.processes.walk import APPLICATION, task

pytestmark = pytest.mark.usefixtures("every_case_replays")  # each case replays to what is stored


@pytest.fixture
def api(client, ctx):  # type: ignore[no-untyped-def]
    """Call the API as a demo user: api("engineer3", "post", "/tasks/1/send-back", {...})."""
    issued: dict[str, str] = {}

    def call(user: str, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        token = issued.setdefault(user, tokens.issue_token(ctx, user, name="test"))
        return getattr(client, method)(f"/api/v1{path}", json=body, headers={"Authorization": f"Bearer {token}"})
    return call


def _case_at_assessment(ctx, engineer: str = "engineer3") -> int:  # type: ignore[no-untyped-def]
    case = cases.start_case(ctx, process_id="technical_support", actor="sales3",
                            data={**APPLICATION, "sales_name": "SXS"})
    cases.complete_task(ctx, task_id=task(ctx, case, "confirm_request")["id"], actor="tech_director1",
                        data={"accepted": "yes", "engineer": engineer})
    return case


def _chain_ok(ctx) -> bool:  # type: ignore[no-untyped-def]
    with ctx.db.reading() as session:
        return verify_chain(session).ok


def _events(ctx, case: int, kind: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    return [e for e in queries.history(ctx, case) if e["type"] == kind]


def test_send_back_returns_the_case_to_the_person_who_did_the_step(ctx, api):  # type: ignore[no-untyped-def]
    case = _case_at_assessment(ctx)
    assessment = task(ctx, case, "engineer_assessment")
    targets = api("engineer3", "get", f"/tasks/{assessment['id']}/send-back").get_json()
    assert [t["element_id"] for t in targets] == ["confirm_request"]

    reply = api("engineer3", "post", f"/tasks/{assessment['id']}/send-back",
                {"to_task": targets[0]["id"], "reason": "客户需求不清楚，请重新确认"})
    assert reply.status_code == 200, reply.get_json()

    redo = task(ctx, case, "confirm_request")
    assert redo["assignee"] == "tech_director1"  # not every technical director
    assert "客户需求不清楚" in redo["note"]
    assert queries.get_task(ctx, assessment["id"])["status"] == "cancelled"
    (event,) = _events(ctx, case, "task_sent_back")
    assert event["actor"] == "engineer3"
    assert event["payload"]["to_name"] == "技术总监确认申请" or event["payload"]["to_element_id"] == "confirm_request"
    assert event["payload"]["reason"] == "客户需求不清楚，请重新确认"
    # the redone step is done again, with a different engineer this time
    cases.complete_task(ctx, task_id=redo["id"], actor="tech_director1", data={"accepted": "yes",
                                                                            "engineer": "engineer4"})
    assert task(ctx, case, "engineer_assessment")["assignee"] == "engineer4"
    # both answers stay in the history
    confirmations = [e["payload"]["data"]["engineer"] for e in _events(ctx, case, "task_completed")
                     if e["payload"]["element_id"] == "confirm_request"]
    assert confirmations == ["engineer3", "engineer4"]
    assert _chain_ok(ctx)


def test_send_back_refusals_change_nothing(ctx, api):  # type: ignore[no-untyped-def]
    case = _case_at_assessment(ctx)
    other = _case_at_assessment(ctx, "engineer4")
    assessment = task(ctx, case, "engineer_assessment")
    confirm_id = _events(ctx, case, "task_completed")[0]["payload"]["task_id"]
    path = f"/tasks/{assessment['id']}/send-back"

    no_reason = api("engineer3", "post", path, {"to_task": confirm_id, "reason": " "})
    assert no_reason.status_code == 400 and "reason" in no_reason.get_json()["errors"]
    not_done = api("engineer3", "post", path, {"to_task": assessment["id"], "reason": "重做"})
    assert not_done.status_code == 400
    assert "只能退回到已办理的步骤" in not_done.get_json()["errors"]["to_task"]
    other_case = api("engineer3", "post", path, {"to_task": task(ctx, other, "engineer_assessment")["id"],
                                                 "reason": "重做"})
    assert other_case.status_code == 400 and "to_task" in other_case.get_json()["errors"]
    not_holder = api("engineer1", "post", path, {"to_task": confirm_id, "reason": "重做"})
    assert not_holder.status_code == 403

    assert task(ctx, case, "engineer_assessment")["id"] == assessment["id"]  # still there, unchanged
    assert _events(ctx, case, "task_sent_back") == []


def test_a_signer_before_holds_the_task_until_they_agree(ctx, api):  # type: ignore[no-untyped-def]
    case = cases.start_case(ctx, process_id="technical_support", actor="sales3", data=APPLICATION)
    confirm = task(ctx, case, "confirm_request")
    added = api("tech_director1", "post", f"/tasks/{confirm['id']}/add-signer",
                {"to": "tech_director2", "position": "before", "text": "请先看一下范围"})
    assert added.status_code == 200, added.get_json()
    signer_id = added.get_json()["signer_task_id"]

    early = api("tech_director1", "post", f"/tasks/{confirm['id']}/complete",
                {"data": {"accepted": "yes", "engineer": "engineer3"}})
    assert early.status_code == 409  # waits for the signer
    assert [t["id"] for t in queries.open_tasks(ctx, actor="tech_director2")] == [signer_id]
    assert signer_id not in [t["id"] for t in queries.open_tasks(ctx, actor="tech_director1")]
    not_signer = api("tech_director1", "post", f"/tasks/{signer_id}/complete", {"data": {"decision": "agree"}})
    assert not_signer.status_code == 403

    signed = api("tech_director2", "post", f"/tasks/{signer_id}/complete", {"data": {"decision": "agree"}})
    assert signed.status_code == 200, signed.get_json()
    done = api("tech_director1", "post", f"/tasks/{confirm['id']}/complete",
               {"data": {"accepted": "yes", "engineer": "engineer3"}})
    assert done.status_code == 200, done.get_json()
    assert task(ctx, case, "engineer_assessment")["assignee"] == "engineer3"
    kinds = [e["type"] for e in queries.history(ctx, case)]
    assert kinds.index("signer_added") < kinds.index("signer_signed") < kinds.index("task_completed")
    assert _chain_ok(ctx)


def test_a_signer_after_decides_whether_the_filled_form_goes_on(ctx, api):  # type: ignore[no-untyped-def]
    case = cases.start_case(ctx, process_id="technical_support", actor="sales3", data=APPLICATION)
    confirm = task(ctx, case, "confirm_request")
    api("tech_director1", "post", f"/tasks/{confirm['id']}/add-signer", {"to": "sales_director1", "position": "after"})
    held = api("tech_director1", "post", f"/tasks/{confirm['id']}/complete",
               {"data": {"accepted": "yes", "engineer": "engineer2"}})
    assert held.status_code == 200 and held.get_json()["waiting_for"] == "sales_director1"
    (signer,) = queries.open_tasks(ctx, actor="sales_director1")
    no_reason = api("sales_director1", "post", f"/tasks/{signer['id']}/complete", {"data": {"decision": "disagree"}})
    assert no_reason.status_code == 400 and "comment" in no_reason.get_json()["errors"]
    api("sales_director1", "post", f"/tasks/{signer['id']}/complete",
        {"data": {"decision": "disagree", "comment": "应派 engineer3"}})
    reopened = queries.get_task(ctx, confirm["id"])
    assert reopened["status"] == "open" and "应派 engineer3" in reopened["note"]
    assert reopened["data"]["engineer"] == "engineer2"  # the filled form is kept for the holder

    api("tech_director1", "post", f"/tasks/{confirm['id']}/add-signer", {"to": "sales_director1", "position": "after"})
    api("tech_director1", "post", f"/tasks/{confirm['id']}/complete",
        {"data": {"accepted": "yes", "engineer": "engineer3"}})
    (signer,) = queries.open_tasks(ctx, actor="sales_director1")
    assert api("sales_director1", "post", f"/tasks/{signer['id']}/complete",
               {"data": {"decision": "agree"}}).status_code == 200
    assert task(ctx, case, "engineer_assessment")["assignee"] == "engineer3"
    (completed,) = [e for e in _events(ctx, case, "task_completed") if e["payload"]["task_id"] == confirm["id"]]
    assert completed["actor"] == "tech_director1"


def test_add_signer_refusals(ctx, api):  # type: ignore[no-untyped-def]
    case = cases.start_case(ctx, process_id="technical_support", actor="sales3", data=APPLICATION)
    path = f"/tasks/{task(ctx, case, 'confirm_request')['id']}/add-signer"
    assert api("tech_director1", "post", path, {"to": "tech_director1"}).status_code == 400
    assert api("tech_director1", "post", path, {"to": "customer1"}).status_code == 400
    assert api("tech_director1", "post", path, {"to": "nobody"}).status_code == 400
    assert api("tech_director1", "post", path, {"to": "tech_director2", "position": "sideways"}).status_code == 400
    assert api("sales1", "post", path, {"to": "tech_director2"}).status_code == 403
    assert api("tech_director1", "post", path, {"to": "tech_director2"}).status_code == 200
    again = api("tech_director1", "post", path, {"to": "finance1"})
    assert again.status_code in (400, 409)


def test_a_customers_contact_on_their_own_task_neither_adds_a_signer_nor_copies_the_case(ctx, api):  # type: ignore[no-untyped-def]
    from service.operations import action_options, case_moves
    from tests.processes import as_walk

    order = as_walk.start(ctx)
    as_walk.advance_to(ctx, order, "customer_signoff")
    signoff = task(ctx, order, "customer_signoff")["id"]
    refused = api("customer1", "post", f"/tasks/{signoff}/add-signer", {"to": "engineer1", "position": "before"})
    assert refused.status_code == 400 and "客户联系人" in refused.json["errors"]["to"]
    copied = api("customer1", "post", f"/tasks/{signoff}/copy", {"to": ["engineer2"]})
    assert copied.status_code == 403
    assert case_moves.signer_candidates(ctx, "customer1") == []  # nor a list of who works here
    options = action_options.task_options(ctx, signoff, "customer1")
    assert options["copy"]["allowed"] is False and options["copy_people"] == []
    assert task(ctx, order, "customer_signoff")["status"] == "open"  # nothing changed
