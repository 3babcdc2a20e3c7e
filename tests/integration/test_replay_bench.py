"""The replay benchmark's quick variant, end to end: it builds the mixed cases, every replay reproduces
its case, the verification finds nothing, and the figures come out in the bench's shape."""

from __future__ import annotations

from bench import replay_bench
from service.config import PROJECT_ROOT

CASES = 16  # enough for the mix (every 8th case sent back, timers among the unfinished), quick to build


def test_the_quick_replay_bench_replays_every_case_faithfully() -> None:
    """On SQLite: the bench's shape is the same on PostgreSQL, where replay itself is tested by
    tests/integration/test_replay.py and every module that replays its cases at the end."""
    label = "sqlite"
    outcome = replay_bench.run(PROJECT_ROOT, True, label, None, cases=CASES)

    assert outcome.failures == []  # no replay diverged, no chain broken
    summary = outcome.summary
    assert summary["cases"] == CASES
    assert summary["replays_not_ok"] == 0 and summary["verify_problems"] == 0
    # the mix a real year leaves: finished and waiting cases, 退回, timers
    assert 0 < summary["finished"] < summary["cases"]
    assert summary["sent_back"] > 0 and summary["timers_fired"] > 0
    assert summary["events"] > summary["engine_steps"] > summary["cases"]
    assert summary["verify_events"] >= summary["events"]
    assert summary["replay_over_bare_median"] > 0

    by_name = {r.name: r for r in outcome.results}
    per_case = by_name[f"{label} replay: one case (replay_case)"]
    assert len(per_case.samples) == CASES
    assert len(by_name[f"{label} replay: bare engine, same steps in memory"].samples) == len(per_case.samples)
    for name in (f"{label} replay: per event", f"{label} replay: per engine step",
                 f"{label} replay: all {CASES:,} cases, total",
                 f"{label} verify: audit verify, {CASES:,} cases",
                 f"{label} verify: audit verify per event", f"{label} verify: hash chain only (verify_chain)"):
        assert by_name[name].samples and all(sample > 0 for sample in by_name[name].samples)
    assert {r.as_dict()["unit"] for r in outcome.results} >= {"case", "event", "step", "run"}
    lines = replay_bench.summary_lines(summary)
    assert any("replay ÷ bare engine" in line for line in lines)
    assert any("guicheng replay --all" in line for line in lines)
