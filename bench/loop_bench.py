"""B3, B4: a case's step cost must not grow with its past when an activity repeats.

The proposal process (方案编写) loops its review round (编写与审阅: the engineer writes, the salesperson
reviews) until the reader understands: a standard loop of a sub-process, one sub-process instance per
round. One "long" case goes round it thousands of times through the use cases, every step a real
transaction on SQLite. When it is 1,000 rounds old (B3) and after its last round (B4), its steps are
timed alternately with those of a young case of the same process at round ~10, so the machine's load
hits both series alike; the figure is the median of the per-pair ratios.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from service.adapters.archive_store import DocumentStore
from service.operations import cases
from service.operations.context import AppContext

from .case_bench import prepared_context
from .rows import BenchSettings, Row, at_most
from .throughput_bench import open_task_id
from .timing import median_ratio, timed

PROPOSAL = {"customer": "欧莱雅", "project": "桌面虚拟化", "proposal_title": "桌面虚拟化方案", "proposal_size": "3"}
YOUNG = 10  # the young case's age, in rounds, when it is compared
RATIO = 1.5  # both rows' bound on late ÷ young ms per step


@dataclass
class LoopCase:
    """A proposal case going round its review loop; `rounds` done so far."""

    ctx: AppContext
    document: str
    instance_id: int = 0
    rounds: int = 0
    step_ms: list[float] = field(default_factory=list)  # every timed step, in order

    def __post_init__(self) -> None:
        self.instance_id = cases.start_case(self.ctx, process_id="technical_support_proposal", actor="engineer1",
                                            data=PROPOSAL)
        self._step("agree_contents", "engineer1", {"proposal_contents": "封面、目录、背景、解决方案、总结"})
        self._step("approve_contents", "sales1", {"contents_agreed": "yes"})

    def _step(self, element_id: str, actor: str, data: dict[str, Any]) -> float:
        """One completion through the use case; only the completion itself is timed."""
        task_id = open_task_id(self.ctx, self.instance_id, element_id)

        def complete() -> int:
            cases.complete_task(self.ctx, task_id=task_id, actor=actor, data=data)
            return 1
        return timed(complete)

    def round(self) -> float:
        """One more round (write, then review: not yet understood); its ms per step."""
        write = self._step("write_proposal", "engineer1",
                           {"doc_proposal": self.document, "proposal_parts": ["cover", "contents", "solution"]})
        review = self._step("review_proposal", "sales1",
                            {"proposal_understood": "no", "review_comments": f"第 {self.rounds + 1} 轮：拓扑看不懂"})
        self.rounds += 1
        self.step_ms += [write, review]
        return (write + review) / 2

    def go_to(self, rounds: int, progress: Callable[[str], None] | None = None) -> None:
        while self.rounds < rounds:
            self.round()
            if progress is not None and self.rounds % 500 == 0:
                progress(f"  … round {self.rounds:,}: {statistics.median(self.step_ms[-20:]):.1f} ms/step")


def compared(old: LoopCase, young: LoopCase, pairs: int) -> tuple[list[float], list[float]]:
    """ms per step of `old` and `young`, round by round alternately (which goes first alternates too)."""
    late: list[float] = []
    early: list[float] = []
    for n in range(pairs):
        if n % 2:
            early.append(young.round())
            late.append(old.round())
        else:
            late.append(old.round())
            early.append(young.round())
    return late, early


def _young(ctx: AppContext, document: str) -> LoopCase:
    case = LoopCase(ctx, document)
    case.go_to(YOUNG)
    return case


def _median(samples: list[float]) -> float:
    return statistics.median(samples)


def run(settings: BenchSettings) -> list[Row]:
    return measured(settings, settings.size(1000, 200), settings.size(5000, 400), settings.size(30, 6))


def measured(settings: BenchSettings, late_at: int, total: int, pairs: int) -> list[Row]:
    """B3 at round `late_at`, then B4 on to `total` rounds; `pairs` alternating rounds per comparison."""
    with prepared_context(settings.root, None) as ctx:
        document = DocumentStore(ctx.settings.home).store_upload("方案".encode(), "方案.docx").reference
        old = LoopCase(ctx, document)
        settings.progress(f"one proposal case to {late_at:,} review rounds (SQLite, every step a transaction)")
        old.go_to(late_at, settings.progress)
        late, early = compared(old, _young(ctx, document), pairs)
        b3 = _b3(late_at, late, early, pairs)
        settings.progress(f"the same case on to {total:,} rounds")
        stopped = _finish(old, total, settings.progress)
        end_late, end_early = compared(old, _young(ctx, document), pairs) if stopped is None else ([], [])
    return [b3, _b4(old, total, stopped, end_late, end_early, pairs)]


def _finish(case: LoopCase, total: int, progress: Callable[[str], None]) -> str | None:
    """Go on to `total` rounds; None when done, else what stopped it."""
    try:
        case.go_to(total, progress)
    except Exception as exc:  # the row reports where and why the loop stopped, instead of the run crashing
        return f"stopped at round {case.rounds + 1:,}: {type(exc).__name__}: {str(exc)[:200]}"
    return None


def _b3(late_at: int, late: list[float], early: list[float], pairs: int) -> Row:
    ratio = median_ratio(late, early)
    return Row("B3", f"ms/step of a standard loop at round {late_at:,} ÷ at round {YOUNG} (proposal review)",
               round(ratio, 3), f"{ratio:.2f} ({_median(late):.1f} vs {_median(early):.1f} ms/step)",
               f"≤ {RATIO}", at_most(ratio, RATIO),
               {"late_round": late_at, "young_round": YOUNG, "pairs": pairs, "late_ms": late, "young_ms": early})


def _b4(case: LoopCase, total: int, stopped: str | None, late: list[float], early: list[float], pairs: int) -> Row:
    measures = f"{total:,} rounds of the proposal review loop: completes, ms/step flat"
    start = _median(case.step_ms[:40])
    if stopped is not None:
        return Row("B4", measures, None, stopped, f"completes, ≤ {RATIO}", False,
                   {"rounds_done": case.rounds, "start_ms_per_step": start})
    ratio = median_ratio(late, early)
    end = _median(case.step_ms[-2 * pairs:])
    return Row("B4", measures, round(ratio, 3),
               f"{ratio:.2f} (start {start:.1f}, end {end:.1f} ms/step)", f"completes, ≤ {RATIO}",
               at_most(ratio, RATIO),
               {"rounds": case.rounds, "start_ms_per_step": start, "end_ms_per_step": end, "pairs": pairs,
                "end_ms": late, "young_ms": early})
