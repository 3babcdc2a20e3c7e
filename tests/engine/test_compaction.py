"""A case's live state stays the size of its present however often an activity repeats: finished loop
rounds leave the engine state (the audit log keeps them), the loop still counts, stops and carries its
data, and a case rebuilt from its log arrives at the same compacted state."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from service.config import PROJECT_ROOT
from service.domain.roles import role_for_lane
from service.engine import determinism, runner, serializer
from service.engine.compaction import compact_finished_loops, rounds_merged
from service.engine.definitions import parse_bundle
from service.operations import case_moves, cases, queries, replay
from service.operations.deploy import bundle_from_path
from service.persistence.models import HumanTask, ProcessInstance
from service.service_tasks.registry import signatures
from tests.engine import diagrams
from tests.processes.walk import advance_to, do, start, upload

NOW = datetime(2026, 9, 30, 3, 0, tzinfo=UTC)
PROPOSAL = {"customer": "欧莱雅", "project": "桌面虚拟化", "proposal_title": "桌面虚拟化方案", "proposal_size": "3",
            "received_at": "2026-09-30T11:00:00+08:00"}
ANSWERS: dict[str, Any] = {"noon_rule": True, "working_day_end": "2026-10-10T18:00:00+08:00",
                           "working_day_deadline": "2026-10-10T18:00:00+08:00",
                           "next_working_day_end": "2026-10-10T18:00:00+08:00",
                           "reminder_time": "2026-10-10T16:00:00+08:00"}


def _services(operation: str, _params: dict[str, Any], _data: Any, _task: Any) -> Any:
    """The calendar's answers, fixed: these tests are about the loop, not the working days."""
    return ANSWERS.get(operation, {"message_id": "<loop@guicheng.local>", "subject": "技术支持申请"})


def _real(process_id: str) -> Any:
    bundle = bundle_from_path(PROJECT_ROOT / "processes" / f"{process_id}.bpmn", PROJECT_ROOT / "forms")
    return parse_bundle(process_id, bundle.files, operations=signatures(), resolve_role=role_for_lane)


def _looping_task(maximum: int | None = None) -> Any:
    """start → `draft` (a user task that repeats while `again`, at most `maximum` times) → end."""
    limit = f' loopMaximum="{maximum}"' if maximum is not None else ""
    loop = f"<bpmn:standardLoopCharacteristics{limit}><bpmn:loopCondition>again</bpmn:loopCondition>" \
           "</bpmn:standardLoopCharacteristics>"
    task = diagrams.user_task("draft").replace("</bpmn:userTask>", loop + "</bpmn:userTask>")
    return parse_bundle("p", {"p.bpmn": diagrams.between(task)}, operations={}, resolve_role=lambda name: name)


class Case:
    """A workflow saved and loaded again around every step, as the product stores a case."""

    def __init__(self, parsed: Any, data: dict[str, Any]) -> None:
        self.spec, self.subs = parsed.spec, parsed.subprocess_specs
        self.state = serializer.dump_state(runner.start(self.spec, self.subs, data, now=NOW,
                                                        service_handler=_services))

    @property
    def workflow(self) -> Any:
        return serializer.load_state(self.state, self.spec, self.subs)

    def ready(self) -> list[str]:
        return [t.element_id for t in runner.ready_user_tasks(self.workflow)]

    def do(self, element: str, data: dict[str, Any]) -> None:
        workflow = self.workflow
        (task,) = [t for t in runner.ready_user_tasks(workflow) if t.element_id == element]
        runner.complete_user_task(workflow, task.task_id, data, now=NOW, service_handler=_services)
        self.state = serializer.dump_state(workflow)


def _review_round(case: Case, n: int, understood: str = "no") -> None:
    case.do("write_proposal", {"doc_proposal": f"upload:{n:064d}/方案v{n}.docx", "proposal_parts": ["cover"]})
    case.do("review_proposal", {"proposal_understood": understood, "review_comments": f"第{n}轮"})


def _loop_task(workflow: Any, element: str) -> Any:
    return next(t for t in workflow.get_tasks() if t.task_spec.name == element)


def _live_tasks(workflow: Any) -> int:
    return sum(len(wf.tasks) for wf in [workflow, *workflow.subprocesses.values()])


def test_the_proposal_review_loop_keeps_its_size_over_1000_rounds_and_ends_with_the_accepted_version():
    case = Case(_real("technical_support_proposal"), PROPOSAL)
    case.do("agree_contents", {"proposal_contents": "封面、目录"})
    case.do("approve_contents", {"contents_agreed": "yes"})
    sizes = {}
    for n in range(1, 1001):
        _review_round(case, n)
        if n in (10, 1000):
            sizes[n] = (len(case.state), _live_tasks(case.workflow), len(case.workflow.subprocesses))
            assert case.ready() == ["write_proposal"]
    assert abs(sizes[1000][0] - sizes[10][0]) < 100  # a few digits of the round count, nothing per round
    assert sizes[1000][1:] == sizes[10][1:] and sizes[10][2] == 3  # contents, last review, this one
    workflow = case.workflow
    assert rounds_merged(_loop_task(workflow, "review_round")) == 1000
    assert runner.case_data(workflow)["review_comments"] == "第1000轮"  # the author still sees the last review

    _review_round(case, 1001, understood="yes")
    workflow = case.workflow
    assert runner.is_completed(workflow) and rounds_merged(_loop_task(workflow, "review_round")) == 1001
    assert workflow.data["doc_proposal"].endswith("方案v1001.docx")  # the version the reader understood


def test_a_repeating_user_task_runs_5000_rounds_and_each_round_knows_its_number():
    case = Case(_looping_task(), {"again": True})
    sizes = {}
    for n in range(1, 5001):
        case.do("draft", {"again": True, "draft": f"第{n}稿"})
        if n in (10, 5000):
            sizes[n] = len(case.state)
    assert abs(sizes[5000] - sizes[10]) < 100
    workflow = case.workflow
    loop = _loop_task(workflow, "draft")
    (open_round,) = [c for c in loop.children if c.state == TaskState.READY]
    assert rounds_merged(loop) == 5000 and open_round.internal_data["iteration"] == 5000  # as the engine numbers
    case.do("draft", {"again": False, "draft": "定稿"})
    assert runner.is_completed(case.workflow) and case.workflow.data["draft"] == "定稿"


def test_a_loop_maximum_still_stops_the_loop_after_compaction():
    case = Case(_looping_task(maximum=30), {"again": True})
    for _ in range(29):
        case.do("draft", {"again": True})
    assert case.ready() == ["draft"]
    case.do("draft", {"again": True})  # the 30th round: the maximum, though the condition says go on
    assert runner.is_completed(case.workflow) and case.ready() == []


def test_a_request_calling_the_proposal_keeps_finding_its_task_past_1000_review_rounds():
    """Uncompacted, the engine's task walk counts one level deeper for each finished round inside the
    called process and lost the write task after ~990 rounds."""
    parsed = _real("technical_support")
    workflow = runner.start(parsed.spec, parsed.subprocess_specs, {
        "customer": "欧莱雅", "project": "CITRIX安装", "sales_name": "ZGH", "support_kind": "non_project",
        "request_origin": "customer", "preparation_required": ["proposal"], "proposal_size": "2",
        "notify_sales_on_leaving": True, "emergency": False, "estimated_person_days": 2, "preparation": "",
        "document_support": False, "document_contents": "", "received_at": "2026-09-30T11:00:00+08:00"},
        now=NOW, service_handler=_services)
    answers = {"confirm_request": {"accepted": "yes", "engineer": "engineer1"},
               "engineer_assessment": {"assessment": "accept"},
               "communication": {"customer_situation": "现有环境", "customer_preparation": "服务器", "clear": "yes"},
               "agree_contents": {"proposal_contents": "目录"}, "approve_contents": {"contents_agreed": "yes"},
               "write_proposal": {"doc_proposal": "upload:" + "0" * 64 + "/方案.docx", "proposal_parts": ["cover"]},
               "review_proposal": {"proposal_understood": "no"}}
    reviews = 0
    while reviews < 1050:
        (task,) = runner.ready_user_tasks(workflow)
        runner.complete_user_task(workflow, task.task_id, answers[task.element_id], now=NOW,
                                  service_handler=_services)
        reviews += task.element_id == "review_proposal"
    assert [t.element_id for t in runner.ready_user_tasks(workflow)] == ["write_proposal"]
    assert len(workflow.subprocesses) <= 4


def test_compaction_is_a_pure_function_of_the_state():
    """Replay re-runs the logged steps in memory and compares with what the live steps saved and loaded."""
    parsed = _looping_task()
    seeds = [determinism.new_seed() for _ in range(40)]

    def run(reload: bool) -> str:
        with determinism.seeded_step(seeds[0], NOW):
            workflow = runner.start(parsed.spec, parsed.subprocess_specs, {"again": True}, now=NOW,
                                    service_handler=None)
        for seed in seeds[1:]:
            if reload:
                workflow = serializer.load_state(serializer.dump_state(workflow), parsed.spec,
                                                 parsed.subprocess_specs)
            with determinism.seeded_step(seed, NOW):
                (task,) = runner.ready_user_tasks(workflow)
                runner.complete_user_task(workflow, task.task_id, {"again": True}, now=NOW, service_handler=None)
        return serializer.dump_state(workflow)

    in_memory, reloaded = run(False), run(True)
    assert in_memory == reloaded
    again = serializer.load_state(in_memory, parsed.spec, parsed.subprocess_specs)
    assert compact_finished_loops(again) == 0 and serializer.dump_state(again) == in_memory  # nothing left to drop
    assert json.loads(in_memory)["tasks"]  # a real state, not an empty one


def _state_size(ctx: Any, case: int) -> int:
    with ctx.db.reading() as session:
        return len(session.execute(select(ProcessInstance.state_json).where(ProcessInstance.id == case)).scalar_one())


def _complete(ctx: Any, case: int, element: str, actor: str, data: dict[str, Any]) -> None:
    with ctx.db.reading() as session:
        task_id = session.execute(select(HumanTask.id).where(
            HumanTask.instance_id == case, HumanTask.element_id == element, HumanTask.status == "open")).scalar_one()
    cases.complete_task(ctx, task_id=task_id, actor=actor, data=data)


def test_300_review_rounds_of_a_proposal_case_stay_small_keep_their_history_and_replay(ctx):
    rounds = 300
    case = cases.start_case(ctx, process_id="technical_support_proposal", actor="engineer1",
                            data={k: v for k, v in PROPOSAL.items() if k != "received_at"})
    _complete(ctx, case, "agree_contents", "engineer1", {"proposal_contents": "封面、目录、背景"})
    _complete(ctx, case, "approve_contents", "sales1", {"contents_agreed": "yes"})
    document = upload(ctx, "方案.docx")
    sizes = {}
    for n in range(1, rounds + 1):
        _complete(ctx, case, "write_proposal", "engineer1", {"doc_proposal": document, "proposal_parts": ["cover"]})
        _complete(ctx, case, "review_proposal", "sales1",
                  {"proposal_understood": "no", "review_comments": f"第{n}轮：拓扑看不懂"})
        if n in (10, rounds):
            sizes[n] = _state_size(ctx, case)
    assert abs(sizes[rounds] - sizes[10]) < 100
    final = upload(ctx, "方案终稿.docx")
    _complete(ctx, case, "write_proposal", "engineer1", {"doc_proposal": final, "proposal_parts": ["cover"]})
    _complete(ctx, case, "review_proposal", "sales1", {"proposal_understood": "yes"})

    view = queries.show_case(ctx, case)
    assert view["status"] == "completed" and view["data"]["doc_proposal"] == final
    reviews = [e for e in queries.history(ctx, case)
               if e["type"] == "task_completed" and e["payload"].get("element_id") == "review_proposal"]
    assert len(reviews) == rounds + 1  # every round is still in the case's history, though not in its state
    result = replay.replay_case(ctx, case)
    assert result.ok, result.said("en")


def test_a_request_with_a_proposal_loop_replays_after_sending_back_inside_a_round(ctx):
    """退回 inside the current round (review → write) resets that round only; the earlier, dropped rounds
    are not needed for it, and the case replays."""
    request = start(ctx, preparation_required=["proposal"], proposal_size="2")
    advance_to(ctx, request, "agree_contents")
    do(ctx, request, "agree_contents", {"proposal_contents": "目录"}, actor="engineer1")
    do(ctx, request, "approve_contents", {"contents_agreed": "yes"}, actor="sales1")
    for n in range(5):
        do(ctx, request, "write_proposal", {"doc_proposal": upload(ctx, f"方案{n}.docx"), "proposal_parts": ["cover"]},
           actor="engineer1")
        do(ctx, request, "review_proposal", {"proposal_understood": "no"}, actor="sales1")
    do(ctx, request, "write_proposal", {"doc_proposal": upload(ctx, "方案5.docx"), "proposal_parts": ["cover"]},
       actor="engineer1")
    with ctx.db.reading() as session:
        review = session.execute(select(HumanTask.id).where(
            HumanTask.instance_id == request, HumanTask.element_id == "review_proposal",
            HumanTask.status == "open")).scalar_one()
    (target,) = [t for t in case_moves.send_back_targets(ctx, review, "sales1") if t["element_id"] == "write_proposal"]
    case_moves.send_back(ctx, task_id=review, actor="sales1", to_task=target["id"], reason="请补充拓扑")
    do(ctx, request, "write_proposal", {"doc_proposal": upload(ctx, "方案6.docx"), "proposal_parts": ["cover"]},
       actor="engineer1")
    do(ctx, request, "review_proposal", {"proposal_understood": "yes"}, actor="sales1")
    assert "planning_documents" in [t["element_id"] for t in queries.open_tasks(ctx, instance_id=request)]
    result = replay.replay_case(ctx, request)
    assert result.ok, result.said("en")
