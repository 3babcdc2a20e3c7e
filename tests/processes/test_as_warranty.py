"""三包: the warranty table's proposal for each reason and each period boundary, confirmed or overridden.

The request is received on 2026-09-30 11:00 (the frozen clock); periods count complete months up to then.
"""

from __future__ import annotations

import pytest

from service.operations.errors import ValidationFailed
from tests.processes.as_walk import advance_to, data, do, open_elements, start

COVERED = ["manufacturing_defect", "unused_unaltered_unhappy", "our_transport_damage", "wrong_shipment",
           "engineer_accepted"]
PAID = ["misuse", "altered", "no_card_or_invoice", "unauthorised_repair"]


def _proposal(ctx, reason: str = "manufacturing_defect", **order) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    case = start(ctx, **order)
    advance_to(ctx, case, "diagnose")
    do(ctx, case, "diagnose", {"fault_reason": reason})
    assert open_elements(ctx, case) == ["confirm_warranty"]
    found = data(ctx, case)
    return found["warranty_proposal"], found["warranty_rule"]


@pytest.mark.parametrize("reason", COVERED)
def test_each_covered_reason_within_the_period_is_proposed_as_covered(ctx, reason):  # type: ignore[no-untyped-def]
    proposal, rule = _proposal(ctx, reason)
    assert proposal == "covered" and rule.startswith("三包：保修期内")


@pytest.mark.parametrize("reason, words", [("misuse", "使用"), ("altered", "涂改"), ("no_card_or_invoice", "保修卡"),
                                           ("unauthorised_repair", "非本公司授权")])
def test_each_paid_reason_is_proposed_as_paid_even_within_the_period(ctx, reason, words):  # type: ignore[no-untyped-def]
    proposal, rule = _proposal(ctx, reason)
    assert proposal == "paid" and words in rule


@pytest.mark.parametrize("order, proposal, words", [
    # whole unit: one year from first use …
    ({"first_use_on": "2025-10-01", "ex_factory_on": "2025-09-01"}, "covered", "保修期内"),  # 11 complete months
    ({"first_use_on": "2025-09-30", "ex_factory_on": "2025-09-01"}, "paid", "首次使用起一年"),  # 12 months: out
    # … or two years from leaving the factory, whichever comes first
    ({"first_use_on": "2026-03-01", "ex_factory_on": "2024-10-01"}, "covered", "保修期内"),  # 23 months ex-factory
    ({"first_use_on": "2026-03-01", "ex_factory_on": "2024-09-30"}, "paid", "出厂起两年"),  # 24 months: out first
    ({"first_use_on": None, "ex_factory_on": "2024-09-30"}, "paid", "出厂起两年"),  # never used: the factory date
    # accessories: half a year
    ({"part_kind": "accessory", "first_use_on": "2026-04-01"}, "covered", "保修期内"),  # 5 complete months
    ({"part_kind": "accessory", "first_use_on": "2026-03-30"}, "paid", "配件自首次使用起半年"),  # 6 months
    # a contract extension adds its years (at most three) to the whole-unit periods
    ({"first_use_on": "2024-10-01", "ex_factory_on": "2024-09-01"}, "paid", "首次使用起一年"),
    ({"first_use_on": "2024-10-01", "ex_factory_on": "2024-09-01",
      "warranty_extension_years": 1}, "covered", "保修期内"),
    ({"first_use_on": "2022-10-01", "ex_factory_on": "2022-09-01",
      "warranty_extension_years": 3}, "covered", "保修期内"),
    ({"first_use_on": "2022-09-30", "ex_factory_on": "2022-09-01", "warranty_extension_years": 3}, "paid", "一年"),
    ({"first_use_on": None, "ex_factory_on": None}, "paid", "无法确认在保修期内"),
])
def test_period_boundaries(ctx, order, proposal, words):  # type: ignore[no-untyped-def]
    found, rule = _proposal(ctx, **order)
    assert (found, words in rule) == (proposal, True), rule


def test_dates_facts_are_kept_for_the_order(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx, first_use_on="2025-10-01", ex_factory_on="2025-09-01", warranty_extension_years=3)
    advance_to(ctx, case, "confirm_warranty")
    facts = data(ctx, case)["warranty_facts"]
    assert facts == {"at": "2026-09-30", "part_kind": "whole_unit", "months_since_first_use": 11,
                     "days_since_first_use": 364, "months_since_ex_factory": 12, "days_since_ex_factory": 394,
                     "dates_known": True, "extension_years": 3}


def test_not_claimed_and_contract_services_follow_the_task_type(ctx):  # type: ignore[no-untyped-def]
    assert _proposal(ctx, warranty_claimed=False)[0] == "paid"
    assert _proposal(ctx, "", task_type="maintenance", first_use_on="2020-01-01")[0] == "covered"
    assert _proposal(ctx, "", task_type="parts_sale")[0] == "paid"


def test_the_engineer_confirms_or_overrides_with_a_reason(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx, first_use_on="2025-09-30")
    advance_to(ctx, case, "confirm_warranty")
    assert data(ctx, case)["warranty_proposal"] == "paid"
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "confirm_warranty", {"warranty_decision": "covered"})
    assert list(refused.value.errors) == ["warranty_override_reason"]
    do(ctx, case, "confirm_warranty", {"warranty_decision": "covered",
                                       "warranty_override_reason": "超期一天，经理同意免费"})
    found = data(ctx, case)
    assert found["warranty_decision"] == "covered"
    assert found["warranty_rule"] == "有偿：超出保修期（整机自首次使用起一年，另加合同延保年数）"  # what was proposed
    assert open_elements(ctx, case) == ["service_work"]
