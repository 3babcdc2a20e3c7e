"""The implementation project's operations on their own: what a diagram author may rely on when reusing them."""

from __future__ import annotations

from datetime import datetime

import pytest

from service.adapters.mailer import Address
from service.domain.errors import InputRejected
from service.domain.working_calendar import WorkingCalendar
from service.service_tasks.context import ServiceContext
from service.service_tasks.registry import call
from tests.conftest import SHANGHAI


def _context() -> ServiceContext:
    return ServiceContext(now=datetime(2026, 10, 8, 9, 30, tzinfo=SHANGHAI), calendar=WorkingCalendar([]),
                          instance_id=1, process_id="implementation_project", business_key="k",
                          people_with_role=lambda role: [], sender=Address("规程", "g@x"), mail_domain="x")


@pytest.mark.parametrize("evidence", [None, "", "  ", []])
def test_no_milestone_is_reached_without_its_recorded_result(evidence):  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="evidence"):
        call("implementation_milestone", _context(), {"milestones": {}, "milestone": "acceptance",
                                                       "evidence": evidence})


def test_a_milestone_keeps_its_evidence_and_the_earlier_ones(ctx):  # type: ignore[no-untyped-def]
    reached = call("implementation_milestone", _context(), {
        "milestones": {"kickoff": {"evidence": "upload:a/纪要.docx"}}, "milestone": "research",
        "evidence": "upload:b/报告.docx"})
    assert list(reached) == ["kickoff", "research"]
    assert reached["research"]["evidence"] == "upload:b/报告.docx"
    assert reached["research"]["reached_at"] == "2026-10-08T09:30:00+08:00"


def test_only_the_last_memos_agreed_items_are_carried_blank_rows_left_out():  # type: ignore[no-untyped-def]
    memos = [{"memo_no": 1, "agreed_items": [{"item": "旧事项", "party": "ours", "due": ""}]},
             {"memo_no": 2, "agreed_items": [{"item": " 新事项 ", "party": "customer", "due": "11-02"},
                                             {"item": "", "party": "ours"}]}]
    assert call("implementation_carried_items", _context(), {"memos": memos}) == [
        {"item": "新事项", "party": "customer", "due": "11-02", "memo_no": 2}]
    assert call("implementation_carried_items", _context(), {"memos": []}) == []


def test_a_round_that_contradicts_no_memo_keeps_no_re_signed_memo_and_an_unsigned_one_no_signature():  # type: ignore[no-untyped-def]
    (entry,) = call("implementation_record_change", _context(), {
        "change_log": [], "change_kind": "change", "change_title": "变更", "contradicts_memo": "no",
        "doc_resigned_memo": "upload:old/重签.pdf", "change_signed": "withdraw", "doc_signed_change": "upload:x/y.pdf",
        "cost_impact": 1500.0, "schedule_impact_days": 2})
    assert (entry["doc_resigned_memo"], entry["doc_signed_change"], entry["outcome"]) == (None, None, "withdrawn")
    assert (entry["cost_impact"], entry["schedule_impact_days"]) == (1500, 2)


@pytest.mark.parametrize("amount", [0, -5, 100.01])
def test_a_payment_is_above_zero_and_within_what_is_outstanding(amount):  # type: ignore[no-untyped-def]
    with pytest.raises(InputRejected) as refused:
        call("implementation_payment", _context(), {"amount_due": 100, "payments": [], "payment_amount": amount})
    assert refused.value.field == "payment_amount"


def test_payments_add_up_to_what_is_outstanding():  # type: ignore[no-untyped-def]
    first = call("implementation_payment", _context(), {"amount_due": 100, "payments": [], "payment_amount": 40.5})
    assert (first["paid_total"], first["outstanding"]) == (40.5, 59.5)
    second = call("implementation_payment", _context(), {"amount_due": 100, "payments": first["payments"],
                                                          "payment_amount": 59.5})
    assert (second["paid_total"], second["outstanding"], len(second["payments"])) == (100, 0, 2)
