"""The bare engine, in memory and with a state round trip per step: the floor we compare with."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from service.domain.roles import role_for_lane
from service.engine import runner, serializer
from service.engine.definitions import parse_bundle
from service.operations.deploy import bundle_from_path
from service.service_tasks.registry import signatures

from .scenario import APPLICATION, steps
from .timing import Result, measure

STEPS = steps("upload:" + "0" * 64 + "/bench.docx")

NOW = datetime(2026, 9, 30, 3, 0, tzinfo=UTC)


STUB_RESULTS: dict[str, Any] = {
    "noon_rule": True,
    "working_day_end": "2026-10-08T18:00:00+08:00",
    "working_day_deadline": "2026-10-08T18:00:00+08:00",
    "next_working_day_end": "2026-10-08T18:00:00+08:00",
    "reminder_time": "2026-10-08T16:00:00+08:00",
    "check_planning_documents": {"complete": True, "missing": []},
    "archive_documents": [],
    "compute_workload": {"coefficient": 1.2, "accounted_person_days": 2.4},
    "finalise_workload": {"final_person_days": 2},
}


def _stub_services(operation: str, params: dict[str, Any], _data: Any, _task: Any) -> Any:
    """Constant answers, so the figure is the engine's own cost."""
    return STUB_RESULTS.get(operation, {"message_id": "<bench@guicheng.local>", "subject": "技术支持申请"})


def _spec(root: Path):  # type: ignore[no-untyped-def]
    bundle = bundle_from_path(root / "processes" / "technical_support.bpmn", root / "forms")
    return parse_bundle("technical_support", bundle.files, operations=signatures(), resolve_role=role_for_lane)


def parsed_spec(root: Path) -> Any:
    return _spec(root)


def one_case(parsed: Any) -> int:
    """One whole case in memory: the bare engine's unit for the throughput ratio."""
    return _one_case(parsed.spec, parsed.subprocess_specs, False)


def _one_case(spec: Any, subs: Any, round_trip: bool) -> int:
    data = {**APPLICATION, "received_at": "2026-09-30T11:00:00+08:00"}
    workflow = runner.start(spec, subs, data, now=NOW, service_handler=_stub_services)
    for element_id, _actor, values in STEPS:
        if round_trip:
            workflow = serializer.load_state(serializer.dump_state(workflow), spec, subs)
        task = next(t for t in runner.ready_user_tasks(workflow) if t.element_id == element_id)
        runner.complete_user_task(workflow, task.task_id, values, now=NOW, service_handler=_stub_services)
    assert runner.is_completed(workflow)
    return 1


def run(root: Path, repeat: int) -> list[Result]:
    parsed = _spec(root)
    spec, subs = parsed.spec, parsed.subprocess_specs
    steps = len(STEPS)
    return [
        measure("engine: whole case in memory", "case", lambda: _one_case(spec, subs, False), repeat),
        measure("engine: per step in memory", "step",
                lambda: _one_case(spec, subs, False) * steps, repeat),
        measure("engine: per step with state round trip", "step",
                lambda: _one_case(spec, subs, True) * steps, repeat),
    ]
