"""Strategy: the engineer's technical strategy, the system-integration team's architecture, equipment and
pricing when the equipment needs a part of its own, and the action strategy beside it."""

from __future__ import annotations

import pytest

from service.operations.errors import Forbidden, ValidationFailed
from tests.processes.ps_walk import advance_to, data, do, open_elements, start, tasks_of


def test_the_system_integration_team_writes_architecture_equipment_and_pricing_beside_the_action_strategy(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "technical_strategy")
    with pytest.raises(ValidationFailed) as refused:  # the equipment on its own needs the integration engineer
        do(ctx, case, "technical_strategy", {"equipment_emphasised": "yes"})
    assert list(refused.value.errors) == ["integration_engineer"]
    do(ctx, case, "technical_strategy", {"equipment_emphasised": "yes", "integration_engineer": "engineer3",
                                         "technical_architecture": None})
    assert open_elements(ctx, case) == ["action_strategy", "integration_architecture"]
    assert tasks_of(ctx, "engineer3", case) == ["integration_architecture"]
    assert tasks_of(ctx, "engineer1", case) == ["action_strategy"]
    with pytest.raises(Forbidden):
        do(ctx, case, "integration_architecture", actor="engineer1")
    do(ctx, case, "integration_architecture")
    assert open_elements(ctx, case) == ["action_strategy"]
    do(ctx, case, "action_strategy")
    found = data(ctx, case)  # both branches' work survives the join
    assert found["system_architecture"] == "核心交换双链路，服务器集群"
    assert found["doc_equipment_quote"].endswith("/设备报价.xlsx")
    assert found["what_to_show"] == "业务模型和会员中心演示"
    assert (found["status"], open_elements(ctx, case)) == ("exchanges", ["plan_exchange"])


def test_without_equipment_of_its_own_the_engineer_writes_the_technical_architecture(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "technical_strategy")
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "technical_strategy", {"technical_architecture": ""})
    assert list(refused.value.errors) == ["technical_architecture"]
    do(ctx, case, "technical_strategy")
    assert open_elements(ctx, case) == ["action_strategy"]
    do(ctx, case, "action_strategy")
    assert data(ctx, case)["technical_architecture"] == "双机热备"
    assert open_elements(ctx, case) == ["plan_exchange"]


def test_technology_held_back_says_what_is_held_back(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "action_strategy", {"check_claims": {"decision_maker_reached": "no"}})
    assert data(ctx, case)["hold_back_technology"] is True
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "action_strategy")
    assert list(refused.value.errors) == ["withheld_technology"]
    do(ctx, case, "action_strategy", {"withheld_technology": "核心算法不写入方案"})
    assert data(ctx, case)["withheld_technology"] == "核心算法不写入方案"


def test_a_full_effort_needs_nothing_held_back(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "action_strategy")
    assert data(ctx, case)["hold_back_technology"] is False
    do(ctx, case, "action_strategy")
    assert open_elements(ctx, case) == ["plan_exchange"]
