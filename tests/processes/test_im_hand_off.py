"""Opening the project: a signed sales contract opens it as its salesperson; the technical director names the
project manager, who alone does the project manager's work; the hand-off starts with the requirements work plan."""

from __future__ import annotations

import pytest

from service.operations import background, case_starts, cases, queries, users
from service.operations.errors import Forbidden, OperationError, ValidationFailed
from tests.processes import ca_walk
from tests.processes.im_walk import (
    PM,
    PROCESS,
    PROJECT,
    advance_to,
    data,
    do,
    mails,
    open_elements,
    start,
    task,
    tasks_of,
)

DOMAIN = "@demo.guicheng.local"


def test_a_signed_sales_contract_opens_its_implementation_project_as_its_salesperson(ctx):  # type: ignore[no-untyped-def]
    contract = ca_walk.start(ctx, amount=180000)
    ca_walk.approve_all(ctx, contract)
    ca_walk.walk_to_end(ctx, contract)
    assert background.run_once(ctx).cases_opened == 1
    (request,) = case_starts.case_starts_of(ctx, contract)
    shown = queries.show_case(ctx, request["case_id"])
    assert (shown["process_id"], shown["started_by"]) == (PROCESS, "sales1")
    found = shown["data"]
    signed = ca_walk.data(ctx, contract)
    facts = ("contract_no", "customer", "project", "contract_type", "amount", "contract_case")
    assert {k: found[k] for k in facts} == {
        "contract_no": signed["contract_no"], "customer": "欧莱雅", "project": "总部投影系统",
        "contract_type": "sales_consulting", "amount": 180000, "contract_case": contract}
    assert (found["address"], found["contact"]) == ("上海市徐汇区", "王经理 13800138000")
    assert (found["amount_due"], found["outstanding"], found["milestones"]) == (180000, 180000, {})
    assert open_elements(ctx, request["case_id"]) == ["assign_project_manager"]
    assert signed["contract_no"] in shown["business_key"]


@pytest.mark.parametrize("starter", ["sales1", "project_manager1", "tech_director1"])
def test_sales_project_managers_and_technical_directors_may_open_one_by_hand(ctx, starter):  # type: ignore[no-untyped-def]
    case = start(ctx, actor=starter)
    assert open_elements(ctx, case) == ["assign_project_manager"]


@pytest.mark.parametrize("outsider", ["engineer1", "finance1", "customer1"])
def test_nobody_else_opens_an_implementation_project(ctx, outsider):  # type: ignore[no-untyped-def]
    with pytest.raises(OperationError):
        start(ctx, actor=outsider)


def test_the_start_form_takes_the_contracts_facts_and_refuses_others(ctx):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as refused:
        cases.start_case(ctx, process_id=PROCESS, actor="sales1", data={**PROJECT, "contract_case": 7,
                                                                        "discount": 5})
    assert list(refused.value.errors) == ["discount"]
    with pytest.raises(ValidationFailed) as missing:
        cases.start_case(ctx, process_id=PROCESS, actor="sales1",
                         data={k: v for k, v in PROJECT.items() if k != "contract_no"})
    assert list(missing.value.errors) == ["contract_no"]


def test_the_technical_director_assigns_the_project_manager_who_is_told(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    assert tasks_of(ctx, "tech_director1", case) == ["assign_project_manager"]
    for outsider in ("project_manager1", "sales1"):
        with pytest.raises(Forbidden):
            do(ctx, case, "assign_project_manager", actor=outsider)
    with pytest.raises(ValidationFailed) as refused:  # the picker offers project managers only
        do(ctx, case, "assign_project_manager", {"project_manager": "engineer1"})
    assert list(refused.value.errors) == ["project_manager"]
    do(ctx, case, "assign_project_manager")
    assert data(ctx, case)["project_manager"] == PM
    (told,) = mails(ctx, case)
    assert told["to"] == [PM + DOMAIN] and told["cc"] == ["sales1" + DOMAIN]
    assert "项目经理" in told["subject"] and "XS-2026-0001" in told["subject"]


def test_the_hand_off_starts_with_the_requirements_work_plan_and_its_document(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    do(ctx, case, "assign_project_manager")
    assert open_elements(ctx, case) == ["requirements_work_plan"]
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "requirements_work_plan", {"doc_requirements_work_plan": None})
    assert list(refused.value.errors) == ["doc_requirements_work_plan"]
    do(ctx, case, "requirements_work_plan")
    assert data(ctx, case)["doc_requirements_work_plan"].startswith("upload:")
    assert open_elements(ctx, case) == ["kickoff_facts"]


def test_only_the_assigned_project_manager_sees_and_does_the_project_managers_work(ctx):  # type: ignore[no-untyped-def]
    users.save_user(ctx, username="project_manager2", display_name="项目经理2", email="project_manager2" + DOMAIN,
                    roles=["project_manager"], password="another-demo-password", actor="admin1")
    case = start(ctx)
    advance_to(ctx, case, "requirements_work_plan")
    assert tasks_of(ctx, PM, case) == ["requirements_work_plan"]
    assert tasks_of(ctx, "project_manager2", case) == []
    for other in ("project_manager2", "engineer1", "tech_director1", "sales1", "customer1"):
        with pytest.raises(Forbidden):
            do(ctx, case, "requirements_work_plan", actor=other)
    with pytest.raises(Forbidden):
        queries.get_task(ctx, task(ctx, case, "requirements_work_plan")["id"], actor="project_manager2")
    do(ctx, case, "requirements_work_plan")
    assert open_elements(ctx, case) == ["kickoff_facts"]


def test_a_project_manager_named_by_the_contract_is_offered_to_the_technical_director(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx, project_manager=PM)
    assert data(ctx, case)["project_manager"] == PM
    do(ctx, case, "assign_project_manager", {"assignment_note": "按合同约定"})
    assert tasks_of(ctx, PM, case) == ["requirements_work_plan"]
