"""Work and mail reach the people seed 000 names for *this* application, in the demo organisation
(two sales groups, two technical directors, four engineers, two customers) — not everyone in a role."""

from __future__ import annotations

import pytest

from service.operations import cases, inbox, queries
from service.operations.errors import Forbidden, ValidationFailed
from tests.processes.walk import APPLICATION, do, mails, notices, task

DOMAIN = "@demo.guicheng.local"


def _addresses(*users: str) -> list[str]:
    return sorted(u + DOMAIN for u in users)


def _sales3_applies(ctx, **data):  # type: ignore[no-untyped-def]
    """sales3 (销售二组) applies for 欧莱雅, naming customer1 (欧莱雅's contact) for the sign-off."""
    return cases.start_case(ctx, process_id="technical_support", actor="sales3",
                            data={**APPLICATION, "sales_name": "SXS", "customer_contact": "customer1", **data})


def _tasks_of(ctx, user: str, case: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [t["element_id"] for t in queries.open_tasks(ctx, actor=user) if t["instance_id"] == case]


def test_application_mail_goes_to_this_salespersons_own_line(ctx):  # type: ignore[no-untyped-def]
    case = _sales3_applies(ctx)
    (application,) = mails(ctx, case)
    assert sorted(application["to"]) == _addresses("tech_director1", "tech_director2")
    cc = sorted(application["cc"])
    assert cc == _addresses("sales_lead2", "sales_director1", "sales_director2", "management1")
    for outsider in ("sales_lead1", "sales1", "sales2"):  # 销售一组 hears nothing of it
        assert outsider + DOMAIN not in cc
    # who was named, and why, is in the audit event of the step
    (call,) = [e for e in queries.history(ctx, case) if e["type"] == "service_task"
               and e["payload"]["operation"] == "send_application_mail"]
    assert call["payload"]["result"]["recipients"]["cc"]["starter_group_leader"] == ["sales_lead2"]
    assert call["payload"]["result"]["recipients"]["cc"]["company_sales_director"] == ["sales_director2"]


def test_everyone_the_application_mail_went_to_can_open_its_link(ctx):  # type: ignore[no-untyped-def]
    case = _sales3_applies(ctx)
    (application,) = mails(ctx, case)
    body = inbox.mail(ctx, inbox.mailbox(ctx, "sales_lead2")["rows"][0]["id"], "sales_lead2")["body"]
    assert f"/cases/{case}" in body
    readers = [a.split("@")[0] for a in application["to"] + application["cc"]]
    for reader in readers:
        assert queries.show_case(ctx, case, actor=reader)["id"] == case
    for outsider in ("sales_lead1", "sales1", "customer2"):
        with pytest.raises(Forbidden):
            queries.show_case(ctx, case, actor=outsider)


def test_the_chosen_engineer_alone_gets_the_work_and_is_told(ctx):  # type: ignore[no-untyped-def]
    case = _sales3_applies(ctx)
    do(ctx, case, "confirm_request", {"engineer": "engineer3"})
    assert _tasks_of(ctx, "engineer3", case) == ["engineer_assessment"]
    for other in ("engineer1", "engineer2", "engineer4"):
        assert _tasks_of(ctx, other, case) == []
        with pytest.raises(Forbidden):
            queries.get_task(ctx, task(ctx, case, "engineer_assessment")["id"], actor=other)
    (notice,) = notices(ctx, case)
    assessment = task(ctx, case, "engineer_assessment")
    assert notice["to"] == ["engineer3" + DOMAIN]
    assert assessment["name"] in notice["subject"] and f"#{case}" in notice["subject"]
    (in_app,) = [m for m in inbox.mailbox(ctx, "engineer3")["rows"] if "【待办】" in m["subject"]]
    assert "期限" in in_app["body"]
    assert [m for m in inbox.mailbox(ctx, "engineer1")["rows"] if "【待办】" in m["subject"]] == []
    assert f"/tasks/{assessment['id']}" in in_app["body"]


@pytest.mark.parametrize("engineer, why", [
    ("engineer9", "engineer9 不是具有角色「工程师」的在职用户"), ("sales1", "sales1 不是具有角色「工程师」的在职用户")])
def test_the_engineer_choice_must_be_an_engineer(ctx, engineer, why):  # type: ignore[no-untyped-def]
    case = _sales3_applies(ctx)
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "confirm_request", {"engineer": engineer})
    assert str(refused.value.errors["engineer"]) == why
    assert _tasks_of(ctx, "tech_director1", case) == ["confirm_request"]  # nothing moved


def test_the_engineer_picker_offers_the_engineers_only(ctx):  # type: ignore[no-untyped-def]
    case = _sales3_applies(ctx)
    form = queries.get_task(ctx, task(ctx, case, "confirm_request")["id"], actor="tech_director1")["form"]
    (picker,) = [c for c in form["components"] if c.get("key") == "engineer"]
    assert [v["value"] for v in picker["values"]] == ["engineer1", "engineer2", "engineer3", "engineer4"]


def test_the_sign_off_goes_to_this_cases_customer_contact(ctx):  # type: ignore[no-untyped-def]
    case = _sales3_applies(ctx)
    do(ctx, case, "confirm_request", {"engineer": "engineer3"})
    for step in ("engineer_assessment", "communication", "planning_documents", "work", "leave_site"):
        do(ctx, case, step, actor="engineer3")
    signoff = task(ctx, case, "customer_signoff")
    assert signoff["assignee"] == "customer1"
    assert _tasks_of(ctx, "customer1", case) == ["customer_signoff"]
    assert _tasks_of(ctx, "customer2", case) == []
    with pytest.raises(Forbidden):
        queries.get_task(ctx, signoff["id"], actor="customer2")

    do(ctx, case, "customer_signoff", actor="customer1")
    do(ctx, case, "completion_report", actor="engineer3")
    assert _tasks_of(ctx, "sales3", case) == ["sales_confirmation"]
    assert _tasks_of(ctx, "sales1", case) == []
    # supervision follows the organisation: sales3's own leader sees the case, the other group's does not
    assert queries.show_case(ctx, case, actor="sales_lead2")["id"] == case
    with pytest.raises(Forbidden):
        queries.show_case(ctx, case, actor="sales_lead1")


def test_a_contact_of_another_customer_is_refused(ctx):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as refused:
        _sales3_applies(ctx, customer_contact="customer2")  # 华为's contact on a 欧莱雅 case
    assert "欧莱雅" in str(refused.value.errors["customer_contact"])
