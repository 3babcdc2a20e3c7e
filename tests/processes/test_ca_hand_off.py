"""After approval: signing and sealing need their documents, archiving files both; a signed sales
contract becomes after-sales master data and asks for its implementation project; other types do not."""

from __future__ import annotations

import pytest

from service.operations import after_sales_contracts, case_starts, queries
from service.operations.errors import Forbidden, ValidationFailed
from tests.processes.ca_walk import approve_all, data, do, start
from tests.processes.walk import mail_body, mails, open_elements


def _approved(ctx, **overrides):  # type: ignore[no-untyped-def]
    case = start(ctx, **overrides)
    approve_all(ctx, case)
    return case


def test_signing_and_sealing_need_their_documents_and_the_archive_files_both(ctx):  # type: ignore[no-untyped-def]
    case = _approved(ctx)
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "sign_contract", {"doc_signed_contract": None})
    assert list(refused.value.errors) == ["doc_signed_contract"]
    with pytest.raises(Forbidden):
        do(ctx, case, "sign_contract", actor="sales2")  # the applicant signs, not a colleague
    do(ctx, case, "sign_contract")
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "seal_contract", {"doc_sealed_contract": None})
    assert list(refused.value.errors) == ["doc_sealed_contract"]
    with pytest.raises(Forbidden):
        do(ctx, case, "seal_contract", actor="sales1")  # sales does not seal its own contract
    do(ctx, case, "seal_contract")
    do(ctx, case, "archive_contract")
    shown = queries.show_case(ctx, case)
    assert shown["status"] == "completed" and shown["data"]["status"] == "archived"
    filed = {entry["document"] for entry in shown["data"]["archived"]}
    assert {"doc_signed_contract", "doc_sealed_contract"} <= filed


def test_a_signed_sales_contract_becomes_after_sales_master_data_with_its_products(ctx):  # type: ignore[no-untyped-def]
    case = _approved(ctx)
    do(ctx, case, "sign_contract")
    assert after_sales_contracts.contract_by_no(ctx, "XS-2026-0001") is None  # not before it is sealed
    do(ctx, case, "seal_contract")
    kept = after_sales_contracts.contract_by_no(ctx, "XS-2026-0001")
    assert kept is not None
    assert (kept["customer"], kept["project"], kept["address"], kept["warranty_extension_years"]) == (
        "欧莱雅", "总部投影系统", "上海市徐汇区", 1)
    assert kept["signed_on"] == "2026-10-09" and kept["service_until"] == "2029-09-30"
    assert [(p["serial_no"], p["model"], p["ex_factory_on"]) for p in kept["products"]] == [
        ("XS-PJ-0001", "PJ-5084", "2026-08-01")]
    [asked] = case_starts.case_starts_of(ctx, case)
    assert (asked["process_id"], asked["status"]) == ("implementation_project", "pending")
    assert asked["data"]["contract_no"] == "XS-2026-0001" and asked["data"]["contract_case"] == case
    assert asked["business_key"] == "XS-2026-0001 / 欧莱雅 / 总部投影系统"
    assert open_elements(ctx, case) == ["archive_contract"]


def test_a_technical_service_contract_is_neither_master_data_nor_a_project(ctx):  # type: ignore[no-untyped-def]
    case = _approved(ctx, contract_type="technical_service", doc_improvement_proposal=None, product_lines=[])
    assert data(ctx, case)["contract_no"] == "JF-2026-0001"
    do(ctx, case, "sign_contract")
    do(ctx, case, "seal_contract")
    assert after_sales_contracts.contract_by_no(ctx, "JF-2026-0001") is None
    assert case_starts.case_starts_of(ctx, case) == []
    assert open_elements(ctx, case) == ["archive_contract"]


def test_the_returned_and_rejected_mails_carry_the_approvers_opinion(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    do(ctx, case, "approve_sales_lead", {"approval_decision": "return", "approval_opinion": "请补充付款节点"})
    (returned,) = [m for m in mails(ctx, case) if "退回修改" in m["subject"]]
    assert "请补充付款节点" in mail_body(ctx, case, returned["subject"])
    do(ctx, case, "revise_contract")
    do(ctx, case, "approve_sales_lead", {"approval_decision": "reject", "approval_opinion": "价格低于底线"})
    (rejected,) = [m for m in mails(ctx, case) if "未获批准" in m["subject"]]
    assert "价格低于底线" in mail_body(ctx, case, rejected["subject"])
