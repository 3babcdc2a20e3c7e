"""BPMN messages from outside: `POST /api/v1/messages` and `guicheng message` reach exactly the cases
waiting for them that the sender may act on, or start a case at a message start event; each delivery
is a case step with its `message_received` event, and every case replays."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from service.config import PROJECT_ROOT
from service.operations import background, cases, deploy, mail_replies, message_delivery, queries, users, what_if
from service.operations.errors import NotFound
from service.operations.message_delivery import deliver_message
from service.operations.warm_cases import WarmCases
from service.persistence.models import OutboxMail, Timer
from tests.support.cli import cli_env, run_cli

pytestmark = pytest.mark.usefixtures("every_case_replays")

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "messages"


def deploy_fixture(ctx, process_id: str) -> None:  # type: ignore[no-untyped-def]
    bundle = deploy.bundle_from_path(FIXTURES / "processes" / f"{process_id}.bpmn", FIXTURES / "forms")
    deploy.deploy_bundle(ctx, bundle, actor="process_owner1")


def headers(ctx, user: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"Authorization": f"Bearer {users.issue_token(ctx, user)}"}


def open_elements(ctx, case: int) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(t["element_id"] for t in queries.open_tasks(ctx, instance_id=case))


def events(ctx, case: int, kind: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    return [e for e in queries.history(ctx, case) if e["type"] == kind]


@pytest.fixture
def two_orders(ctx):  # type: ignore[no-untyped-def]
    """sales1's order for 欧莱雅 (A-1) and sales2's for 华为 (A-2), both waiting at the gateway."""
    deploy_fixture(ctx, "msg_order")
    loreal = cases.start_case(ctx, process_id="msg_order", actor="sales1",
                              data={"customer": "欧莱雅", "project": "CITRIX安装", "order_no": "A-1"})
    huawei = cases.start_case(ctx, process_id="msg_order", actor="sales2",
                              data={"customer": "华为", "project": "云桌面", "order_no": "A-2"})
    return loreal, huawei


def post(client, ctx, user: str, body: Any):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/messages", headers=headers(ctx, user), json=body)


def test_a_correlated_message_reaches_its_case_and_not_the_other_customers(ctx, client, two_orders):  # type: ignore[no-untyped-def]
    loreal, huawei = two_orders
    assert open_elements(ctx, loreal) == [] and open_elements(ctx, huawei) == []
    response = post(client, ctx, "sales1", {"name": "order_confirmed", "correlation": {"order_no": "A-1"},
                                            "data": {"confirmed_by": "王经理"}})
    assert response.status_code == 200, response.json
    assert response.json["cases"] == [loreal] and response.json["started"] == []
    assert open_elements(ctx, loreal) == ["order_ship"]
    assert queries.show_case(ctx, loreal)["data"]["confirmed_by"] == "王经理"
    assert open_elements(ctx, huawei) == [] and "confirmed_by" not in queries.show_case(ctx, huawei)["data"]
    (received,) = events(ctx, loreal, "message_received")
    assert received["actor"] == "sales1"
    assert received["payload"]["name"] == "order_confirmed"
    assert received["payload"]["correlation"] == {"order_no": "A-1"}
    assert received["payload"]["data"] == {"confirmed_by": "王经理"}
    assert events(ctx, huawei, "message_received") == []
    with ctx.db.reading() as session:  # the gateway's timer went with the branch not taken
        statuses = {t.instance_id: t.status for t in session.execute(select(Timer)).scalars()}
    assert statuses == {loreal: "cancelled", huawei: "pending"}


def test_who_may_send_a_message_to_a_case(ctx, client, two_orders):  # type: ignore[no-untyped-def]
    loreal, huawei = two_orders
    body = {"name": "order_confirmed", "correlation": {"order_no": "A-1"}}
    # another salesperson, the other customer's contact, an auditor (reads every case, acts on none)
    for outsider in ("sales2", "customer2", "auditor1", "engineer1"):
        refused = post(client, ctx, outsider, body)
        assert refused.status_code == 404, (outsider, refused.json)
        assert refused.headers["Content-Type"].startswith("application/problem+json")
    assert open_elements(ctx, loreal) == []
    # nor can the other customer's contact reach it by naming the business key instead
    key = queries.show_case(ctx, loreal)["business_key"]
    assert post(client, ctx, "customer2", {"name": "order_confirmed",
                                           "correlation": {"business_key": key}}).status_code == 404
    # the group leader supervises sales1; an administrator (an integration's token) reaches any case
    assert post(client, ctx, "sales_lead1", body).json["cases"] == [loreal]
    reached = post(client, ctx, "admin1", {"name": "order_confirmed", "correlation": {"order_no": "A-2"}})
    assert reached.json["cases"] == [huawei]
    assert open_elements(ctx, loreal) == ["order_ship"] and open_elements(ctx, huawei) == ["order_ship"]


def test_no_waiting_case_is_404_and_a_second_delivery_too(ctx, client, two_orders):  # type: ignore[no-untyped-def]
    loreal, _ = two_orders
    body = {"name": "order_confirmed", "correlation": {"order_no": "A-1"}}
    assert post(client, ctx, "sales1", body).status_code == 200
    again = post(client, ctx, "sales1", body)  # the case no longer waits: the message finds no one
    assert again.status_code == 404 and "order_confirmed" in again.json["detail"]
    assert post(client, ctx, "admin1", {"name": "order_confirmed", "correlation": {"order_no": "Z-9"}}
                ).status_code == 404
    assert post(client, ctx, "admin1", {"name": "nobody_waits_for_this"}).status_code == 404
    assert len(events(ctx, loreal, "message_received")) == 1


@pytest.mark.parametrize(("body", "field"), [
    ({"correlation": {}}, "name"),
    ({"name": ""}, "name"),
    ({"name": 7}, "name"),
    ({"name": "order\u0000confirmed"}, "name"),
    ({"name": "x" * 300}, "name"),
    ({"name": "order_confirmed", "correlation": ["A-1"]}, "correlation"),
    ({"name": "order_confirmed", "correlation": {"order_no": {"nested": 1}}}, "correlation.order_no"),
    ({"name": "order_confirmed", "data": "yes"}, "data"),
    ({"name": "order_confirmed", "data": {"started_by": "admin1"}}, "data.started_by"),
    ({"name": "order_confirmed", "data": {"note": "长" * 40_000}}, "data"),
])
def test_bad_input_is_400_naming_the_field(ctx, client, two_orders, body, field):  # type: ignore[no-untyped-def]
    response = post(client, ctx, "admin1", body)
    assert response.status_code == 400, response.json
    assert field in response.json["errors"], response.json
    assert all(open_elements(ctx, case) == [] for case in two_orders)


def test_the_timer_behind_the_event_based_gateway_fires_in_the_worker(ctx, client, clock, two_orders):  # type: ignore[no-untyped-def]
    loreal, huawei = two_orders
    with ctx.db.reading() as session:
        pending = session.execute(select(Timer).where(Timer.status == "pending")).scalars().all()
        assert sorted((t.instance_id, t.element_id) for t in pending) == [(loreal, "order_silence"),
                                                                          (huawei, "order_silence")]
    assert post(client, ctx, "sales1", {"name": "order_confirmed", "correlation": {"order_no": "A-1"}}
                ).status_code == 200
    clock.set(clock.now() + timedelta(hours=2, minutes=1))
    assert background.run_once(ctx).timers_fired == 1
    assert open_elements(ctx, huawei) == ["order_chase"] and open_elements(ctx, loreal) == ["order_ship"]
    # the confirmation arriving after the chase-up started finds nothing waiting
    assert post(client, ctx, "sales2", {"name": "order_confirmed", "correlation": {"order_no": "A-2"}}
                ).status_code == 404


def test_a_receive_task_correlated_by_property_and_a_boundary_message(ctx, client):  # type: ignore[no-untyped-def]
    deploy_fixture(ctx, "msg_contract")
    mine = cases.start_case(ctx, process_id="msg_contract", actor="sales1",
                            data={"customer": "欧莱雅", "project": "年度维保", "contract_no": "C-7"})
    other = cases.start_case(ctx, process_id="msg_contract", actor="sales2",
                             data={"customer": "华为", "project": "年度维保", "contract_no": "C-8"})
    signed = {"name": "contract_signed", "correlation": {"contract_no": "C-7"}, "data": {"signed_on": "2026-10-08"}}
    response = post(client, ctx, "admin1", signed)
    assert response.json["cases"] == [mine]
    assert open_elements(ctx, mine) == ["contract_kickoff"] and open_elements(ctx, other) == []
    assert queries.show_case(ctx, mine)["data"]["signed_on"] == "2026-10-08"
    # the boundary message on the kick-off task interrupts it: the case ends on its cancel path
    withdrawn = post(client, ctx, "sales1", {"name": "contract_withdrawn", "correlation": {"contract_no": "C-7"}})
    assert withdrawn.json["cases"] == [mine]
    shown = queries.show_case(ctx, mine)
    assert shown["status"] == "completed" and open_elements(ctx, mine) == []
    assert events(ctx, mine, "message_received")[-1]["payload"]["elements"] == ["contract_withdrawn"]
    assert queries.show_case(ctx, other)["status"] == "running"


def test_a_message_start_event_starts_a_case(ctx, client):  # type: ignore[no-untyped-def]
    deploy_fixture(ctx, "msg_intake")
    response = post(client, ctx, "sales1", {"name": "lead_received",
                                            "data": {"customer": "欧莱雅", "project": "门店网络"}})
    assert response.status_code == 200, response.json
    assert response.json["cases"] == [] and len(response.json["started"]) == 1
    (case,) = response.json["started"]
    shown = queries.show_case(ctx, case)
    assert shown["status"] == "running" and shown["data"]["project"] == "门店网络"
    assert open_elements(ctx, case) == ["intake_qualify"]
    (started,) = events(ctx, case, "case_started")
    assert started["actor"] == "sales1" and started["payload"]["message"]["name"] == "lead_received"
    # only the start roles may start it this way; a customer contact only for their own company
    assert post(client, ctx, "engineer1", {"name": "lead_received", "data": {"project": "x"}}).status_code == 403
    task = queries.open_tasks(ctx, instance_id=case)[0]
    cases.complete_task(ctx, task_id=task["id"], actor="sales1", data={"note": "合格"})
    assert queries.show_case(ctx, case)["status"] == "completed"


def test_tasks_inside_event_subprocesses_complete_after_the_case_is_read_again(ctx, clock):  # type: ignore[no-untyped-def]
    """Each step starts from the stored state (nothing kept in memory), as in separate processes."""
    ctx.warm = WarmCases(0)
    deploy_fixture(ctx, "msg_escalation")
    case = cases.start_case(ctx, process_id="msg_escalation", actor="sales1", data={})
    assert deliver_message(ctx, actor="sales1", name="customer_called", data={"caller": "王经理"}).reached == [case]
    assert open_elements(ctx, case) == ["esc_call_back", "esc_work"]
    call_back = next(t for t in queries.open_tasks(ctx, instance_id=case) if t["element_id"] == "esc_call_back")
    cases.complete_task(ctx, task_id=call_back["id"], actor="sales1", data={"note": "已回电"})
    assert open_elements(ctx, case) == ["esc_work"]
    clock.set(clock.now() + timedelta(hours=1, minutes=1))
    assert background.run_once(ctx).timers_fired == 1
    follow_up = next(t for t in queries.open_tasks(ctx, instance_id=case) if t["element_id"] == "esc_follow_up")
    cases.complete_task(ctx, task_id=follow_up["id"], actor="sales1", data={"note": "已跟进"})
    work = queries.open_tasks(ctx, instance_id=case)[0]
    cases.complete_task(ctx, task_id=work["id"], actor="sales1", data={"note": "完成"})
    assert queries.show_case(ctx, case)["status"] == "completed"


def test_guicheng_message_prints_the_case_ids(ctx, settings, two_orders):  # type: ignore[no-untyped-def]
    loreal, _ = two_orders
    env = cli_env(settings.database_url, settings.home, clock="2026-09-30T11:00:00+08:00")
    done = run_cli(env, "message", "order_confirmed", "--as", "sales1", "--key", "order_no=A-1",
                   "--data", json.dumps({"confirmed_by": "王经理"}))
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(loreal)]
    refused = run_cli(env, "message", "order_confirmed", "--as", "sales2", "--key", "order_no=A-1")
    assert refused.returncode == 1 and "order_confirmed" in refused.stderr


# --- mail replies as messages (the mail-drop folder) ---------------------------------------------


def _drop(settings, name: str, in_reply_to: str, as_name: str | None = None) -> None:  # type: ignore[no-untyped-def]
    folder = settings.home / "mail-in"
    folder.mkdir(exist_ok=True)
    raw = (FIXTURES / "mail" / name).read_bytes().replace(b"{in_reply_to}", in_reply_to.encode())
    (folder / (as_name or name)).write_bytes(raw)


def _thread_of(ctx, case: int) -> str:  # type: ignore[no-untyped-def]
    with ctx.db.reading() as session:
        return str(session.execute(select(OutboxMail.message_id).where(OutboxMail.instance_id == case)).scalar_one())


@pytest.fixture
def two_confirmations(ctx):  # type: ignore[no-untyped-def]
    """sales1 (欧莱雅) and sales2 (华为) each got the completion mail and must confirm it by replying."""
    deploy_fixture(ctx, "msg_sales_confirm")
    loreal = cases.start_case(ctx, process_id="msg_sales_confirm", actor="sales1",
                              data={"customer": "欧莱雅", "project": "CITRIX安装", "order_no": "A-1"})
    huawei = cases.start_case(ctx, process_id="msg_sales_confirm", actor="sales2",
                              data={"customer": "华为", "project": "云桌面", "order_no": "A-2"})
    return loreal, huawei


def test_a_mail_reply_to_the_cases_thread_confirms_it(ctx, settings, two_confirmations):  # type: ignore[no-untyped-def]
    loreal, huawei = two_confirmations
    _drop(settings, "confirmation_reply.eml", _thread_of(ctx, loreal))
    worked = background.run_once(ctx)  # what `guicheng worker --once` does: the reply is read first
    assert (worked.mails_received, worked.mails_refused) == (1, 0)
    assert open_elements(ctx, loreal) == ["confirm_close"] and open_elements(ctx, huawei) == []
    data = queries.show_case(ctx, loreal)["data"]
    assert data["reply_by"] == "sales1" and data["reply_text"] == "确认完成，谢谢！"  # the quoted mail left out
    assert data["reply_subject"] == "回复: 技术支持完成确认"
    (received,) = events(ctx, loreal, "message_received")
    assert received["actor"] == "sales1" and received["payload"]["name"] == "mail_reply"
    assert (settings.home / "mail-in" / "processed" / "confirmation_reply.eml").is_file()
    assert not (settings.home / "mail-in" / "confirmation_reply.eml").exists()
    assert mail_replies.read_mail_replies(ctx).delivered == []  # handled once


def test_mail_replies_that_may_not_move_a_case_are_refused_and_recorded(ctx, settings, two_confirmations):  # type: ignore[no-untyped-def]
    loreal, huawei = two_confirmations
    _drop(settings, "reply_from_colleague.eml", _thread_of(ctx, loreal))  # sales2 answering sales1's thread
    _drop(settings, "reply_to_unknown_thread.eml", "")
    _drop(settings, "not_a_mail.eml", "")
    _drop(settings, "confirmation_reply.eml", _thread_of(ctx, huawei), as_name="wrong_person.eml")  # sales1 → 华为
    report = mail_replies.read_mail_replies(ctx)
    assert report.delivered == [] and len(report.refused) == 4
    assert open_elements(ctx, loreal) == [] and open_elements(ctx, huawei) == []
    refused_dir = settings.home / "mail-in" / "refused"
    for name in ("reply_from_colleague.eml", "reply_to_unknown_thread.eml", "not_a_mail.eml", "wrong_person.eml"):
        assert (refused_dir / name).is_file() and (refused_dir / f"{name}.reason.txt").is_file()
    assert "sales2@demo.guicheng.local" in (refused_dir / "reply_from_colleague.eml.reason.txt").read_text()
    (on_loreal,) = events(ctx, loreal, "mail_refused")
    assert on_loreal["payload"]["from"] == "sales2@demo.guicheng.local"
    assert [e["payload"]["file"] for e in events(ctx, huawei, "mail_refused")] == ["wrong_person.eml"]
    # the right person's reply still goes through afterwards
    _drop(settings, "confirmation_reply.eml", _thread_of(ctx, loreal))
    assert mail_replies.read_mail_replies(ctx).delivered == [loreal]


def test_a_multi_instance_task_without_its_collection_refuses_the_start_saying_so(ctx, client):  # type: ignore[no-untyped-def]
    deploy_fixture(ctx, "msg_review_all")
    response = client.post("/api/v1/process-instances", headers=headers(ctx, "sales1"), json={
        "process_id": "msg_review_all", "data": {"customer": "欧莱雅", "project": "方案评审"}})
    assert response.status_code == 422, response.json
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert "review_each" in response.json["detail"] and "'reviewers'" in response.json["detail"]
    started = cases.start_case(ctx, process_id="msg_review_all", actor="sales1", data={
        "customer": "欧莱雅", "project": "方案评审", "reviewers": ["sales1", "sales2"]})
    assert open_elements(ctx, started) == ["review_each", "review_each"]


def test_two_deliveries_racing_for_one_wait_reach_it_once(ctx, two_orders):  # type: ignore[no-untyped-def]
    """The second sender's step finds the case moved on under it, reads it again, and finds no wait."""
    loreal, _ = two_orders
    inner: list[Any] = []

    def meanwhile(step: str) -> None:
        if step == "message":
            ctx.hooks.after_engine = None  # once
            inner.append(deliver_message(ctx, actor="sales1", name="order_confirmed", correlation={"order_no": "A-1"}))

    ctx.hooks.after_engine = meanwhile
    with pytest.raises(NotFound):
        deliver_message(ctx, actor="admin1", name="order_confirmed", correlation={"order_no": "A-1"})
    assert inner[0].reached == [loreal]
    (received,) = events(ctx, loreal, "message_received")
    assert received["actor"] == "sales1" and open_elements(ctx, loreal) == ["order_ship"]


def test_what_if_walks_a_finished_message_case_along_its_own_path(ctx, two_orders):  # type: ignore[no-untyped-def]
    """The process owner's what-if on the deployed version follows a case that a message moved."""
    loreal, _huawei = two_orders
    sent = message_delivery.deliver_message(ctx, actor="sales1", name="order_confirmed",
                                            correlation={"order_no": "A-1"}, data={"confirmed_by": "王经理"})
    assert sent.reached == [loreal]
    (ship,) = queries.open_tasks(ctx, instance_id=loreal)
    cases.complete_task(ctx, task_id=ship["id"], actor="sales1", data={"note": "已发货"})
    assert queries.show_case(ctx, loreal)["status"] == "completed"
    answer = what_if.what_if(ctx, "msg_order", actor="process_owner1")
    (row,) = answer["cases"]
    assert row["instance_id"] == loreal and row["verdict"] == "same", row
    assert "order_confirmed" in row["draft_path"] and "order_silence" not in row["draft_path"]
