"""Access per case, not per role, with the demo organisation: two customers, four engineers, four
salespeople. Each refusal is checked where a person would try it: the case, the task, the inbox."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from service.domain.access import CaseFacts, TaskFacts, Viewer, may_see_case
from service.operations import cases, queries, task_claims
from service.operations.access import case_facts, viewer_for, visible_cases
from service.operations.errors import Conflict, Forbidden, ValidationFailed
from service.operations.step_rows import ReadyTask, _valid_assignees
from service.persistence.models import ProcessInstance, User
from tests.processes.walk import APPLICATION, advance_to, do, start, task


def _huawei_case(ctx) -> int:
    return start(ctx, customer="华为", project="云桌面")


def test_a_customer_never_sees_or_signs_another_customers_case(ctx):
    loreal = start(ctx)
    advance_to(ctx, loreal, "customer_signoff")
    signoff = task(ctx, loreal, "customer_signoff")
    with pytest.raises(Forbidden):
        queries.show_case(ctx, loreal, actor="customer2")
    with pytest.raises(Forbidden):
        queries.history(ctx, loreal, actor="customer2")
    with pytest.raises(Forbidden):
        queries.get_task(ctx, signoff["id"], actor="customer2")
    assert queries.open_tasks(ctx, actor="customer2") == []
    with pytest.raises(Forbidden) as refused:
        cases.complete_task(ctx, task_id=signoff["id"], actor="customer2", data={"signer": "李经理"})
    assert "属于其他客户的案例" in str(refused.value)
    with pytest.raises(Forbidden):
        task_claims.claim_task(ctx, task_id=signoff["id"], actor="customer2")
    assert [t["id"] for t in queries.open_tasks(ctx, actor="customer1")] == [signoff["id"]]
    assert queries.show_case(ctx, loreal, actor="customer1")["id"] == loreal
    do(ctx, loreal, "customer_signoff")  # customer1 signs their own


def test_customers_do_not_see_their_company_cases_they_have_no_part_in(ctx):
    huawei = _huawei_case(ctx)
    with pytest.raises(Forbidden):
        queries.show_case(ctx, huawei, actor="customer1")
    with pytest.raises(Forbidden):
        queries.show_case(ctx, huawei, actor="customer2")  # no task of theirs yet


def test_engineer_tasks_go_to_the_engineer_the_director_chose(ctx):
    case = start(ctx)
    do(ctx, case, "confirm_request", {"accepted": "yes", "engineer": "engineer3"})
    assessment = task(ctx, case, "engineer_assessment")
    assert assessment["assignee"] == "engineer3"
    for other in ("engineer1", "engineer2", "engineer4"):
        assert queries.open_tasks(ctx, actor=other) == []
        with pytest.raises(Forbidden) as refused:
            cases.complete_task(ctx, task_id=assessment["id"], actor=other, data={"assessment": "accept"})
        assert "已分配给 engineer3" in str(refused.value)
        with pytest.raises(Forbidden):
            queries.show_case(ctx, case, actor=other)
    assert [t["id"] for t in queries.open_tasks(ctx, actor="engineer3")] == [assessment["id"]]
    do(ctx, case, "engineer_assessment", actor="engineer3")
    assert task(ctx, case, "communication")["assignee"] == "engineer3"  # every later engineer task
    assert queries.show_case(ctx, case, actor="tech_director2")["id"] == case  # supervisors see it


def test_sales_tasks_go_to_the_salesperson_who_applied(ctx):
    case = cases.start_case(ctx, process_id="technical_support", actor="sales3",
                            data={**APPLICATION, "customer": "华为"})
    advance_to(ctx, case, "customer_signoff")
    do(ctx, case, "customer_signoff", actor="customer2")  # the Huawei contact signs
    advance_to(ctx, case, "sales_confirmation")
    confirmation = task(ctx, case, "sales_confirmation")
    assert confirmation["assignee"] == "sales3"
    for other in ("sales1", "sales2", "sales4"):
        with pytest.raises(Forbidden):
            cases.complete_task(ctx, task_id=confirmation["id"], actor=other, data={"sales_confirmed": "yes"})
        with pytest.raises(Forbidden):
            queries.show_case(ctx, case, actor=other)
    cases.complete_task(ctx, task_id=confirmation["id"], actor="sales3", data={"sales_confirmed": "yes"})


def test_an_unknown_engineer_is_a_field_error_and_nothing_moves(ctx):
    case = start(ctx)
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "confirm_request", {"accepted": "yes", "engineer": "nobody9"})
    assert "nobody9" in str(refused.value.errors["engineer"])
    assert task(ctx, case, "confirm_request")["status"] == "open"


def test_an_assignee_who_lost_the_role_leaves_the_task_with_the_role_and_says_why(ctx):
    """The diagram's assignee is checked again when the task is created (the picker's answer may be
    old by then): someone without the role, or a contact of another customer, gets nothing."""
    ready = [ReadyTask("t1", "work", "实施", "engineer", None, None, "sales1"),
             ReadyTask("t2", "customer_signoff", "签署", "customer", None, None, "customer2"),
             ReadyTask("t3", "work", "实施", "engineer", None, None, "engineer2")]
    with ctx.db.reading() as session:
        checked = _valid_assignees(session, ready, "欧莱雅")
    assert [t.assignee for t in checked] == [None, None, "engineer2"]
    assert "sales1" in checked[0].assignee_problem and "欧莱雅" in checked[1].assignee_problem


def test_the_sql_form_of_the_policy_agrees_with_the_rule_for_every_demo_user(ctx):
    """Lists (SQL) and the case page (Python) must never disagree about who sees what."""
    loreal = start(ctx)
    do(ctx, loreal, "confirm_request", {"accepted": "yes", "engineer": "engineer2"})
    huawei = cases.start_case(ctx, process_id="technical_support", actor="sales3",
                              data={**APPLICATION, "customer": "华为"})
    advance_to(ctx, huawei, "customer_signoff")
    with ctx.db.reading() as session:
        for user in session.execute(select(User)).scalars():
            viewer = viewer_for(user)
            by_sql = set(session.execute(select(ProcessInstance.id).where(visible_cases(viewer))).scalars())
            by_rule = {i.id for i in session.execute(select(ProcessInstance)).unique().scalars()
                       if may_see_case(viewer, case_facts(session, i))}
            assert by_sql == by_rule, user.username
    with ctx.db.reading() as session:
        customer2 = viewer_for(session.execute(select(User).where(User.username == "customer2")).scalar_one())
        seen = set(session.execute(select(ProcessInstance.id).where(visible_cases(customer2))).scalars())
    assert seen == {huawei}


def test_the_rule_itself():
    engineer = Viewer("engineer3", frozenset({"engineer"}))
    auditor = Viewer("auditor1", frozenset({"auditor"}))
    customer = Viewer("customer1", frozenset({"customer"}), "欧莱雅")
    case = CaseFacts(started_by="sales1", customer="华为", tasks=(
        TaskFacts("engineer", "open", assignee="engineer2"), TaskFacts("customer", "open")))
    assert not may_see_case(engineer, case) and may_see_case(auditor, case)
    assert not may_see_case(customer, case)  # an open customer task, but of another company
    assert may_see_case(customer, CaseFacts("sales1", "欧莱雅", (TaskFacts("customer", "open"),)))
    assert may_see_case(Viewer("tech_director2", frozenset({"tech_director"})), case)


def test_a_task_the_case_assigned_cannot_be_released_to_the_whole_role(ctx):
    case = start(ctx)
    do(ctx, case, "confirm_request", {"accepted": "yes", "engineer": "engineer3"})
    assessment = task(ctx, case, "engineer_assessment")
    with pytest.raises(Conflict) as refused:
        task_claims.release_task(ctx, task_id=assessment["id"], actor="engineer3")
    assert "转办" in str(refused.value)
    assert queries.get_task(ctx, assessment["id"])["assignee"] == "engineer3"
