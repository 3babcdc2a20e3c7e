"""The messages a case waits for, sent from its page: the desk stops a visit plan with a reason; who else
could — an engineer, a customer's contact, an auditor who reads every case — sees no button and is
refused like any sender who cannot reach the case; a finished case offers nothing."""

from __future__ import annotations

from service.operations import case_messages, queries
from tests.integration.test_web_pages import csrf_of, sign_in
from tests.processes.test_as_visit_plan import orders_deployed, start_plan  # noqa: F401  (a fixture)
from tests.processes.walk import at


def test_the_desk_stops_a_visit_plan_from_its_page_with_a_reason(client, ctx, clock, orders_deployed):  # noqa: F811
    clock.set(at("2026-12-01T08:00"))
    plan = start_plan(ctx)
    assert [m["name"] for m in case_messages.waiting_messages(ctx, plan, "service_desk1")] == [
        "after_sales_visit_plan_stop"]
    sign_in(client, "service_desk1")
    shown = client.get(f"/cases/{plan}")
    assert 'data-testid="case-message-after_sales_visit_plan_stop"' in shown.text
    assert "发送：售后服务部终止计划" in shown.text
    sent = client.post(f"/cases/{plan}/messages", data={"csrf_token": csrf_of(client),
                                                        "name": "after_sales_visit_plan_stop", "note": "合同提前终止"})
    assert sent.status_code == 302
    case = queries.show_case(ctx, plan)
    assert case["status"] == "completed" and case["data"]["message_note"] == "合同提前终止"
    after = client.get(f"/cases/{plan}").text
    assert "case-messages" not in after  # nothing left to send
    assert "发来消息「售后服务部终止计划」" in after  # the timeline names the step, not the message's code


def test_who_is_not_involved_sees_no_button_and_is_refused(client, ctx, clock, orders_deployed):  # noqa: F811
    clock.set(at("2026-12-01T08:00"))
    plan = start_plan(ctx)
    for who in ("engineer1", "auditor1", "customer1"):
        assert case_messages.waiting_messages(ctx, plan, who) == [], who
        sign_in(client, who)
        page = client.get(f"/cases/{plan}")
        assert "case-messages" not in page.text
        refused = client.post(f"/cases/{plan}/messages", data={"csrf_token": csrf_of(client),
                                                               "name": "after_sales_visit_plan_stop", "note": "x"})
        assert refused.status_code in (403, 404), who
        client.get("/logout")
    assert queries.show_case(ctx, plan)["status"] == "running"
    sign_in(client, "service_desk1")
    unknown = client.post(f"/cases/{plan}/messages", data={"csrf_token": csrf_of(client), "name": "no_such"})
    assert unknown.status_code == 404 and "no_such" in unknown.text
    assert queries.show_case(ctx, plan)["status"] == "running"
