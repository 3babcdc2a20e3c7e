"""The 审批 actions through the API with the demo organisation: each succeeds for the right person and
is refused for the others with a message that says why, changes nothing when refused, notifies the
people concerned and leaves its event on the case's chain."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from service.operations import cases, users
from service.persistence.models import CaseCopy, HumanTask, OutboxMail
from tests.processes.walk import APPLICATION, do, open_elements, task
from tests.support.cli import cli_env, run_cli

pytestmark = pytest.mark.usefixtures("every_case_replays")  # each case replays to what is stored


class Api:
    """The JSON API as the demo people call it, one token each."""

    def __init__(self, ctx, client) -> None:  # type: ignore[no-untyped-def]
        self.ctx, self.client, self.tokens = ctx, client, {}

    def __call__(self, who: str, method: str, path: str, body: Any = None):  # type: ignore[no-untyped-def]
        if who not in self.tokens:
            self.tokens[who] = users.issue_token(self.ctx, who)
        return self.client.open("/api/v1" + path, method=method, json=body,
                                headers={"Authorization": f"Bearer {self.tokens[who]}"})


@pytest.fixture
def api(ctx, client) -> Api:  # type: ignore[no-untyped-def]
    return Api(ctx, client)


def _case_for_engineer3(ctx, starter: str = "sales1") -> int:  # type: ignore[no-untyped-def]
    case = cases.start_case(ctx, process_id="technical_support", actor=starter, data=APPLICATION)
    do(ctx, case, "confirm_request", {"accepted": "yes", "engineer": "engineer3"})
    return case


def _mails_to(ctx, username: str) -> list[OutboxMail]:  # type: ignore[no-untyped-def]
    address = f"{username}@demo.guicheng.local"
    with ctx.db.reading() as session:
        rows = session.execute(select(OutboxMail).order_by(OutboxMail.id)).scalars().all()
        return [m for m in rows if any(a["email"] == address for a in m.to)]


def _events(api: Api, case: int, kind: str) -> list[dict[str, Any]]:
    return [e for e in api("auditor1", "GET", f"/process-instances/{case}/events").get_json() if e["type"] == kind]


def _assignee(ctx, task_id: int) -> str | None:  # type: ignore[no-untyped-def]
    with ctx.db.reading() as session:
        row = session.get(HumanTask, task_id)
        assert row is not None
        return row.assignee


def test_transfer_moves_the_task_to_another_engineer_and_refuses_everyone_else(ctx, api):
    case = _case_for_engineer3(ctx)
    assessment = task(ctx, case, "engineer_assessment")["id"]
    refused = api("engineer1", "POST", f"/tasks/{assessment}/transfer", {"to": "engineer2"})
    assert refused.status_code == 403 and "engineer3" in refused.get_json()["detail"]
    for target, words in (("sales1", ["sales1 没有角色「工程师」"]),
                          ("nobody9", ["没有在职用户 nobody9"]), ("engineer3", ["不能交给自己"]),
                          ("", ["请选择接收人"])):
        answer = api("engineer3", "POST", f"/tasks/{assessment}/transfer", {"to": target})
        assert answer.status_code == 400, answer.get_json()
        assert all(w in answer.get_json()["errors"]["to"] for w in words), answer.get_json()
    assert _assignee(ctx, assessment) == "engineer3" and _events(api, case, "task_transferred") == []

    moved = api("engineer3", "POST", f"/tasks/{assessment}/transfer", {"to": "engineer4"})
    assert moved.status_code == 200 and moved.get_json()["assignee"] == "engineer4"
    assert [e["payload"] for e in _events(api, case, "task_transferred")] == [{
        "task_id": assessment, "name": "工程师评估能否支持", "from": "engineer3", "to": "engineer4",
        "by_supervisor": False}]
    notice = _mails_to(ctx, "engineer4")[-1]
    assert "工程师评估能否支持" in notice.subject and f"/tasks/{assessment}" in notice.body and "期限" in notice.body
    assert api("engineer3", "POST", f"/tasks/{assessment}/complete", {"data": {"assessment": "accept"}}
               ).status_code == 403
    assert api("engineer4", "POST", f"/tasks/{assessment}/complete", {"data": {"assessment": "accept"}}
               ).status_code == 200
    assert api("engineer4", "POST", f"/tasks/{assessment}/transfer", {"to": "engineer1"}).status_code == 409


def test_supervisors_reassign_the_tasks_of_the_people_they_supervise(ctx, api):
    case = _case_for_engineer3(ctx)
    assessment = task(ctx, case, "engineer_assessment")["id"]
    for director, target in (("tech_director1", "engineer1"), ("tech_director2", "engineer2")):
        answer = api(director, "POST", f"/tasks/{assessment}/transfer", {"to": target})
        assert answer.status_code == 200 and answer.get_json()["by_supervisor"] is True
    assert [e["payload"]["by_supervisor"] for e in _events(api, case, "task_transferred")] == [True, True]

    emergency = cases.start_case(ctx, process_id="technical_support", actor="sales3",
                                 data={**APPLICATION, "customer": "华为", "emergency": True})
    do(ctx, emergency, "confirm_emergency", {"channel": "phone", "engineer": "engineer3"})
    filing = task(ctx, emergency, "file_application")
    assert filing["assignee"] == "sales3"
    refused = api("sales_lead1", "POST", f"/tasks/{filing['id']}/transfer", {"to": "sales4"})
    assert refused.status_code == 403 and refused.get_json()["code"] == "task.may_not_transfer"
    assert "办理人的上级" in refused.get_json()["detail"]
    assert api("sales4", "POST", f"/tasks/{filing['id']}/transfer", {"to": "sales4"}).status_code == 403
    reassigned = api("sales_lead2", "POST", f"/tasks/{filing['id']}/transfer", {"to": "sales4"})
    assert reassigned.status_code == 200 and reassigned.get_json()["by_supervisor"] is True
    assert _assignee(ctx, filing["id"]) == "sales4"


def test_delegation_goes_to_the_delegate_and_comes_back_to_be_confirmed(ctx, api):
    case = _case_for_engineer3(ctx)
    assessment = task(ctx, case, "engineer_assessment")["id"]
    answer = api("engineer3", "POST", f"/tasks/{assessment}/delegate", {"to": "customer1"})
    assert answer.status_code == 400 and answer.get_json()["errors"]["to"] == "customer1 没有角色「工程师」"
    assert api("engineer1", "POST", f"/tasks/{assessment}/delegate", {"to": "engineer2"}).status_code == 403
    delegated = api("engineer3", "POST", f"/tasks/{assessment}/delegate", {"to": "engineer2"})
    assert delegated.status_code == 200
    assert (delegated.get_json()["assignee"], delegated.get_json()["delegated_by"]) == ("engineer2", "engineer3")
    assert "请代为填写" in _mails_to(ctx, "engineer2")[-1].subject
    assert api("engineer2", "POST", f"/tasks/{assessment}/transfer", {"to": "engineer4"}).status_code == 409
    assert api("engineer3", "POST", f"/tasks/{assessment}/complete", {"data": {"assessment": "accept"}}
               ).status_code == 403

    bad = api("engineer2", "POST", f"/tasks/{assessment}/complete", {"data": {"assessment": "maybe"}})
    assert bad.status_code == 400 and "assessment" in bad.get_json()["errors"]
    submitted = api("engineer2", "POST", f"/tasks/{assessment}/complete", {"data": {"assessment": "accept"}})
    assert submitted.status_code == 200, submitted.get_json()
    assert open_elements(ctx, case) == ["engineer_assessment"]  # the engine has not moved
    options = api("engineer3", "GET", f"/tasks/{assessment}/actions").get_json()
    assert options["draft"]["assessment"] == "accept" and options["delegated_by"] is None
    assert options["drafted_by"] == "engineer2"
    assert _assignee(ctx, assessment) == "engineer3"
    assert "已填好" in _mails_to(ctx, "engineer3")[-1].subject
    payload = _events(api, case, "delegation_submitted")[0]["payload"]
    assert (payload["from"], payload["to"], payload["data"]["assessment"]) == ("engineer2", "engineer3", "accept")
    assert _events(api, case, "task_delegated")[0]["payload"] == {
        "task_id": assessment, "name": "工程师评估能否支持", "from": "engineer3", "to": "engineer2"}

    confirmed = api("engineer3", "POST", f"/tasks/{assessment}/complete", {"data": {"assessment": "accept"}})
    assert confirmed.status_code == 200 and "communication" in open_elements(ctx, case)


def test_urging_twice_within_a_working_hour_is_refused_with_the_time_of_the_next(ctx, clock, api):
    case = cases.start_case(ctx, process_id="technical_support", actor="sales1", data=APPLICATION)
    confirm = task(ctx, case, "confirm_request")["id"]  # the technical directors' task, unclaimed
    assert api("auditor1", "POST", f"/tasks/{confirm}/urge").status_code == 403
    assert api("sales2", "POST", f"/tasks/{confirm}/urge").status_code == 403  # not their case
    first = api("sales1", "POST", f"/tasks/{confirm}/urge")
    assert first.status_code == 200 and first.get_json()["to"] == ["tech_director1", "tech_director2"]
    assert all("催办" in _mails_to(ctx, d)[-1].subject for d in ("tech_director1", "tech_director2"))
    clock.advance(minutes=59)
    again = api("sales1", "POST", f"/tasks/{confirm}/urge", {})
    assert again.status_code == 409
    assert "2026-09-30 12:00" in again.get_json()["detail"] and "2026-09-30 11:00" in again.get_json()["detail"]
    clock.advance(minutes=1)
    assert api("sales1", "POST", f"/tasks/{confirm}/urge").status_code == 200
    assert [e["payload"]["to"] for e in _events(api, case, "task_urged")] == [["tech_director1", "tech_director2"]] * 2
    do(ctx, case, "confirm_request", {"accepted": "yes", "engineer": "engineer3"})
    assert api("sales1", "POST", f"/tasks/{confirm}/urge").status_code == 409  # done: nothing to urge


def test_the_starter_withdraws_until_someone_else_has_acted(ctx, api):
    case = cases.start_case(ctx, process_id="technical_support", actor="sales1", data=APPLICATION)
    assert api("tech_director1", "POST", f"/process-instances/{case}/withdraw", {"reason": "x"}).status_code == 403
    missing = api("sales1", "POST", f"/process-instances/{case}/withdraw", {"reason": "  "})
    assert missing.status_code == 400 and "reason" in missing.get_json()["errors"]
    api("sales1", "POST", f"/tasks/{task(ctx, case, 'confirm_request')['id']}/urge")  # a reminder is no act
    withdrawn = api("sales1", "POST", f"/process-instances/{case}/withdraw", {"reason": "客户取消了需求"})
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "cancelled"
    shown = api("sales1", "GET", f"/process-instances/{case}").get_json()
    assert shown["status"] == "cancelled" and shown["open_tasks"] == []
    assert [e["payload"] for e in _events(api, case, "case_withdrawn")] == [{"reason": "客户取消了需求"}]
    assert api("sales1", "POST", f"/process-instances/{case}/withdraw", {"reason": "再来"}).status_code == 409

    acted = _case_for_engineer3(ctx)
    refused = api("sales1", "POST", f"/process-instances/{acted}/withdraw", {"reason": "不要了"})
    assert refused.status_code == 409
    assert "tech_director1" in refused.get_json()["detail"] and "技术总监确认申请" in refused.get_json()["detail"]
    assert api("sales1", "GET", f"/process-instances/{acted}").get_json()["status"] == "running"


def test_a_copied_person_reads_the_case_and_nobody_else_gains_it(ctx, api):
    case = _case_for_engineer3(ctx)
    assessment = task(ctx, case, "engineer_assessment")["id"]
    assert api("finance1", "GET", f"/process-instances/{case}").status_code == 403
    assert api("engineer1", "POST", f"/tasks/{assessment}/copy", {"to": ["finance1"]}).status_code == 403
    for to, words in ((["customer2"], "其他客户的联系人"), (["ghost"], "没有在职用户 ghost"),
                      ("finance1", "用户名列表"), ([], "用户名列表")):
        answer = api("engineer3", "POST", f"/tasks/{assessment}/copy", {"to": to})
        assert answer.status_code == 400 and words in answer.get_json()["errors"]["to"], answer.get_json()
    copied = api("engineer3", "POST", f"/tasks/{assessment}/copy", {"to": ["finance1", "service_desk2"]})
    assert copied.status_code == 200 and copied.get_json()["copied"] == ["finance1", "service_desk2"]
    again = api("sales1", "POST", f"/process-instances/{case}/copy", {"to": ["finance1"]})
    assert again.status_code == 200 and again.get_json() == {"instance_id": case, "copied": [], "already": ["finance1"]}
    with ctx.db.reading() as session:
        assert session.execute(select(func.count()).select_from(CaseCopy).where(
            CaseCopy.copied_by == "engineer3")).scalar() == 2
    assert api("finance1", "GET", f"/process-instances/{case}").status_code == 200
    assert "抄送" in _mails_to(ctx, "finance1")[-1].subject
    assert api("service_desk1", "GET", f"/process-instances/{case}").status_code == 403
    assert api("finance1", "POST", f"/tasks/{assessment}/urge").status_code == 403  # a reader does not urge
    assert [e["payload"] for e in _events(api, case, "case_copied")] == [
        {"to": ["finance1", "service_desk2"], "task_id": assessment}]


def test_comments_notify_the_people_mentioned_who_may_read_the_case(ctx, api):
    case = _case_for_engineer3(ctx)
    assessment = task(ctx, case, "engineer_assessment")["id"]
    blind = api("tech_director1", "POST", f"/tasks/{assessment}/comments", {"text": "@engineer4 帮忙看看"})
    assert blind.status_code == 400 and "engineer4" in blind.get_json()["errors"]["text"]
    for text in ("", "   ", "坏\x07字符", "长" * 2001, 12):
        assert api("tech_director1", "POST", f"/tasks/{assessment}/comments", {"text": text}).status_code == 400
    assert api("auditor1", "POST", f"/process-instances/{case}/comments", {"text": "审计"}).status_code == 403
    assert api("customer2", "POST", f"/process-instances/{case}/comments", {"text": "你好"}).status_code == 403
    said = api("tech_director1", "POST", f"/tasks/{assessment}/comments", {"text": "@工程师3，请今天内评估。\n谢谢"})
    assert said.status_code == 201 and said.get_json()["mentions"] == ["engineer3"]
    assert "请今天内评估" in _mails_to(ctx, "engineer3")[-1].body
    api("sales1", "POST", f"/process-instances/{case}/comments", {"text": "客户很着急 @tech_director2"})
    listed = api("engineer3", "GET", f"/process-instances/{case}/comments").get_json()
    assert [(c["author"], c["task_id"]) for c in listed] == [("tech_director1", assessment), ("sales1", None)]
    assert [c["author"] for c in api("engineer3", "GET", f"/tasks/{assessment}/comments").get_json()] == [
        "tech_director1"]
    assert api("customer2", "GET", f"/process-instances/{case}/comments").status_code == 403
    assert [e["payload"]["mentions"] for e in _events(api, case, "comment_added")] == [["engineer3"],
                                                                                    ["tech_director2"]]


def test_every_action_is_on_the_case_chain_and_the_chain_verifies(ctx, api, database_url, home):
    case = _case_for_engineer3(ctx)
    assessment = task(ctx, case, "engineer_assessment")["id"]
    for who, path, body in (("sales1", f"/tasks/{assessment}/urge", None),
                            ("engineer3", f"/tasks/{assessment}/comments", {"text": "收到"}),
                            ("engineer3", f"/tasks/{assessment}/copy", {"to": ["finance1"]}),
                            ("engineer3", f"/tasks/{assessment}/delegate", {"to": "engineer2"}),
                            ("engineer2", f"/tasks/{assessment}/complete", {"data": {"assessment": "accept"}}),
                            ("engineer3", f"/tasks/{assessment}/transfer", {"to": "engineer1"})):
        assert api(who, "POST", path, body).status_code in (200, 201), path
    fresh = cases.start_case(ctx, process_id="technical_support", actor="sales1", data=APPLICATION)
    assert api("sales1", "POST", f"/process-instances/{fresh}/withdraw", {"reason": "重复申请"}).status_code == 200
    kinds = [e["type"] for e in api("auditor1", "GET", f"/process-instances/{case}/events").get_json()]
    assert [k for k in kinds if k in ("task_urged", "comment_added", "case_copied", "task_delegated",
                                      "delegation_submitted", "task_transferred")] == [
        "task_urged", "comment_added", "case_copied", "task_delegated", "delegation_submitted", "task_transferred"]
    result = run_cli(cli_env(database_url, home), "audit", "verify")
    assert result.returncode == 0, result.stdout + result.stderr
