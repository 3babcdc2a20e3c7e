"""Seed 000, rule 6 (planning documents) and rule 5 (communication on project support) as written: the
documents each kind of support needs come from a decision table the process owner edits, the project
proposal is one document whether written in the proposal process or attached, a missing document is a
field error unless a waiver is asked for, and on project support the project manager confirms the
communication."""

from __future__ import annotations

import pytest

from service.operations import queries
from service.operations.errors import Forbidden, ValidationFailed
from tests.processes.walk import advance_to, do, open_elements, start, task, upload

PROJECT_DOCS = ["proposal", "implementation_plan", "scope_statement", "project_schedule", "project_management_plan"]


@pytest.mark.parametrize("kind, required, optional", [
    ("non_project", ["implementation_plan"], ["implementation_schedule"]),
    ("project", PROJECT_DOCS, []),
])
def test_rule_6_the_decision_table_decides_the_required_and_optional_documents(ctx, kind, required, optional):
    case = start(ctx, support_kind=kind)
    advance_to(ctx, case, "planning_documents")
    data = queries.get_task(ctx, task(ctx, case, "planning_documents")["id"], actor="engineer1")["data"]
    assert (data["required_documents"], data["optional_documents"]) == (required, optional)


def test_rule_6_a_missing_required_document_is_a_field_error_unless_a_waiver_is_asked_for(ctx):
    case = start(ctx, support_kind="project")
    advance_to(ctx, case, "planning_documents")
    some = {f"doc_{code}": upload(ctx, f"{code}.docx") for code in PROJECT_DOCS[:4]}
    with pytest.raises(ValidationFailed) as err:
        do(ctx, case, "planning_documents", some)
    assert list(err.value.errors) == ["doc_project_management_plan"]
    with pytest.raises(ValidationFailed) as err:  # a waiver request names the documents and gives a reason
        do(ctx, case, "planning_documents", {**some, "request_waiver": True})
    assert set(err.value.errors) >= {"waiver_requested_documents", "waiver_request_reason"}
    do(ctx, case, "planning_documents", {**some, "request_waiver": True,
                                         "waiver_requested_documents": ["project_management_plan"],
                                         "waiver_request_reason": "由客户项目组编写"})
    assert open_elements(ctx, case) == ["waive_documents"]
    shown = queries.get_task(ctx, task(ctx, case, "waive_documents")["id"], actor="tech_director1")["data"]
    assert shown["waiver_requested_documents"] == ["project_management_plan"]
    do(ctx, case, "waive_documents", {"waived_documents": ["project_management_plan"], "waiver_reason": "同意"},
       actor="tech_director1")
    assert open_elements(ctx, case) == ["work"]
    assert queries.show_case(ctx, case)["data"]["documents_check"]["waived"] == ["project_management_plan"]


def test_rule_6_the_proposal_written_in_the_proposal_process_is_the_planning_proposal(ctx):
    case = start(ctx, support_kind="project", preparation_required=["proposal"], proposal_size="2")
    advance_to(ctx, case, "agree_contents")
    do(ctx, case, "agree_contents", {"proposal_contents": "目录"}, actor="engineer1")
    do(ctx, case, "approve_contents", {"contents_agreed": "yes"}, actor="sales1")
    proposal = upload(ctx, "方案.docx")
    do(ctx, case, "write_proposal", {"doc_proposal": proposal}, actor="engineer1")
    do(ctx, case, "review_proposal", {"proposal_understood": "yes"}, actor="sales1")
    advance_to(ctx, case, "planning_documents")
    planning = queries.get_task(ctx, task(ctx, case, "planning_documents")["id"], actor="engineer1")
    assert planning["data"]["doc_proposal"] == proposal  # the form opens with it filled in
    keys = [c.get("key") for c in planning["form"]["components"]]
    assert "doc_proposal" in keys and "doc_project_proposal" not in keys
    others = {f"doc_{code}": upload(ctx, f"{code}.docx") for code in PROJECT_DOCS[1:]}
    do(ctx, case, "planning_documents", {"doc_proposal": proposal, **others})
    assert open_elements(ctx, case) == ["work"]


def test_rule_5_on_project_support_the_project_manager_confirms_the_communication(ctx):
    case = start(ctx, support_kind="project")
    advance_to(ctx, case, "communication")
    with pytest.raises(ValidationFailed) as err:  # project support names its project manager
        do(ctx, case, "communication", {"project_manager": ""})
    assert "project_manager" in err.value.errors
    do(ctx, case, "communication", {"project_manager": "project_manager1", "notes": "客户要求周末实施"})
    assert open_elements(ctx, case) == ["pm_communication"]
    pm_task = queries.get_task(ctx, task(ctx, case, "pm_communication")["id"], actor="project_manager1")
    assert pm_task["data"]["notes"] == "客户要求周末实施"  # shown read-only to the project manager
    with pytest.raises(Forbidden):
        do(ctx, case, "pm_communication", actor="engineer1")
    do(ctx, case, "pm_communication", {"pm_notes": "周末需提前报备机房"})
    assert open_elements(ctx, case) == ["planning_documents"]


def test_rule_5_non_project_support_has_no_project_manager_step(ctx):
    case = start(ctx)
    advance_to(ctx, case, "communication")
    do(ctx, case, "communication")
    assert open_elements(ctx, case) == ["planning_documents"]
