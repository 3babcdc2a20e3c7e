"""The evaluation budget: code that passes every static check still stops, and cleanly."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from service.config import PROJECT_ROOT
from service.engine import safe_eval
from service.engine.safe_eval import BudgetExceeded, EvaluationLimits, engine_run

SHARED = "a = 'x' * 1000\nb = [a] * 10000\nc = [b] * 10000\n"  # 20,000 slots, 10**8 references to `a`
SHARED_TOO = SHARED + "b2 = [a] * 10000\nc2 = [b2] * 10000\n"


def _stopped(script: str, names: dict[str, object] | None = None,
             limits: EvaluationLimits | None = None) -> BudgetExceeded:
    with engine_run(limits), pytest.raises(BudgetExceeded) as caught:
        safe_eval.execute(script, dict(names or {}))
    return caught.value


def test_the_reviewed_bomb_stops_on_operations() -> None:
    error = _stopped("a = 'x' * 10000 * 100\nn = [a.count(x) for x in a]")
    assert error.limit in ("operations", "time")
    assert "stopped" in str(error)


@pytest.mark.parametrize("script", [
    SHARED + "s = str(c)",
    SHARED + "s = f'{c}'",
    SHARED_TOO + "same = c == c2",
    SHARED_TOO + "ordered = c < c2",
    SHARED_TOO + "found = c2 in [c]",
    SHARED + "n = [c].count(c[:])",
    SHARED + "s = sorted([c, c[:]])",
    SHARED + "m = max(c, c[:])",
    SHARED,  # left in the case data: writing it out would walk it all
])
def test_shared_structure_is_measured_as_the_c_code_walks_it(script: str) -> None:
    assert _stopped(script).limit == "size"


@pytest.mark.parametrize(("script", "names"), [
    ("r = [s.rfind(x) for c in 'ab']", {"s": "a" * 1_000_000, "x": "a" * 250_000 + "b" + "a" * 250_000}),
    ("r = [x for x in xs if x in xs]", {"xs": list(range(100_000))}),
    ("r = [t.count(t[0]) for c in 'abc']", {"t": ["y" * 100_000] * 10_000}),
    ("r = [[q for q in xs] for y in xs]", {"xs": list(range(3_000))}),
])
def test_quadratic_work_stops(script: str, names: dict[str, object]) -> None:
    assert _stopped(script, names).limit in ("operations", "time")


@pytest.mark.parametrize(("script", "names"), [
    ("r = [f'{a}{a}{a}{a}{a}{a}{a}{a}{a}{a}' for c in 'x' * 100]", {"a": "y" * 1_000_000}),
    ("r = [a.upper() for c in 'x' * 100]", {"a": "y" * 1_000_000}),
    ("r = [d.keys() for c in 'x' * 1000]", {"d": {str(i): i for i in range(100_000)}}),
])
def test_allocation_stops(script: str, names: dict[str, object]) -> None:
    assert _stopped(script, names).limit == "memory"


def test_deep_or_circular_case_data_is_refused() -> None:
    assert _stopped("x = []\ny = [x.append([x]) for c in 'x' * 100]").limit == "nesting"


def test_hash_floods_are_refused_before_hashing() -> None:
    with pytest.raises(safe_eval.UnsafeExpression, match="this large"):
        safe_eval.execute("m = 2 ** 61 - 1\ns = set([k * m for k in ks])", {"ks": list(range(100_000))})


def test_one_budget_is_shared_by_all_evaluations_of_a_run() -> None:
    limits = EvaluationLimits(operations=7_000)  # about 3,000 each: 1,000 steps, then the data walked
    script = "r = [x for x in xs]"
    names = {"xs": list(range(1_000))}
    with engine_run(limits):
        safe_eval.execute(script, dict(names))
        safe_eval.execute(script, dict(names))
        with pytest.raises(BudgetExceeded, match="7,000 operations"):
            safe_eval.execute(script, dict(names))
    safe_eval.execute(script, dict(names))  # outside the run: a budget of its own


def test_a_real_evaluation_spends_little() -> None:
    with engine_run() as budget:
        assert safe_eval.evaluate("accepted == 'yes' and 'ppt' in preparation", {
            "accepted": "yes", "preparation": ["ppt", "proposal"]}) is True
    assert budget.operations < 20 and budget.allocated < 20


def test_running_out_of_memory_ends_as_budget_exceeded() -> None:
    """In a child process whose address space is capped just above what it uses."""
    program = textwrap.dedent("""
        from service.engine import safe_eval
        from service.engine.limits import cap_address_space
        from service.engine.safe_eval import BudgetExceeded, EvaluationLimits, engine_run
        huge = 10 ** 12
        limits = EvaluationLimits(operations=huge, seconds=600, allocation=huge, logical_size=huge,
                                  case_data_size=huge)
        assert cap_address_space(64 * 1024 * 1024)
        with engine_run(limits):
            try:
                safe_eval.execute("r = [s * 1000 for c in s]", {"s": "x" * 1000})
            except BudgetExceeded as exc:
                print(exc.limit)
    """)
    done = subprocess.run([sys.executable, "-c", program], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.stdout.strip() == "memory", done.stderr
