"""The benchmark's own arithmetic: interleaved samples really alternate, ratios are taken per round,
and a row's verdict follows its target — so a PASS printed by `guicheng bench` means what it says."""

from __future__ import annotations

from bench.rows import Row, at_least, at_most, skipped
from bench.timing import interleaved, median_ratio, percentile


def test_interleaved_samples_alternate_and_neither_side_always_goes_first():
    order: list[str] = []
    first, second = interleaved(lambda: order.append("a") or 1, lambda: order.append("b") or 1, rounds=4, warmup=1)
    assert len(first) == len(second) == 4
    assert order[:2] == ["a", "b"]  # the untimed warm-up
    rounds = [order[i:i + 2] for i in range(2, len(order), 2)]
    assert rounds == [["a", "b"], ["b", "a"], ["a", "b"], ["b", "a"]]


def test_samples_are_per_unit_and_ratios_per_round():
    first, second = interleaved(lambda: 1000, lambda: 1, rounds=3, warmup=0)
    assert max(first) < min(second)  # a thousand units in one call: ms per unit is tiny
    assert median_ratio([2.0, 4.0, 9.0], [1.0, 2.0, 3.0]) == 2.0  # the rounds' ratios 2, 2, 3
    assert percentile([5.0, 1.0, 3.0, 2.0, 4.0], 0.95) == 5.0


def test_a_row_passes_only_on_its_side_of_the_target():
    assert at_least(0.25, 0.25) and not at_least(0.249, 0.25)
    assert at_most(1.5, 1.5) and not at_most(1.51, 1.5)
    row = Row("B1", "cases/s", 0.1, "0.1", "≥ 0.25", at_least(0.1, 0.25))
    assert row.verdict == "FAIL" and row.as_dict()["verdict"] == "FAIL"
    assert skipped("B2", "cases/s", "≥ 0.15", "no PostgreSQL").verdict == "SKIP"
