"""The restricted evaluator: what process owners may write in diagrams, and what is refused."""

from __future__ import annotations

import pytest

from service.engine import safe_eval
from service.engine.safe_eval import (
    BudgetExceeded,
    UnsafeExpression,
    UnsafeSyntax,
    check_expression,
    check_script,
    evaluate,
)

# -- refused: each names what was refused --------------------------------------------


@pytest.mark.parametrize(
    ("source", "named"),
    [
        ("__import__('os')", "'__import__'"),
        ("().__class__.__bases__[0].__subclasses__()", "'__subclasses__'"),
        ("().__class__", "'__class__'"),
        ("(lambda: 1)()", "'lambda'"),
        ("getattr(x, '__class__')", "'getattr'"),
        ("open('/etc/passwd')", "'open'"),
        ("exec('1')", "'exec'"),
        ("eval('1')", "'eval'"),
        ("globals()", "'globals'"),
        ("'a' * 10**12", "'*'"),
        ("9 ** 9 ** 9", "'**'"),
        ("2 ** n", "'**'"),
        ("1 << 10**9", "'<<'"),
        ("'%0999999999d' % 1", "'%'"),
        ("f'{x:>1000000000}'", "format width"),
        ("s.format(x)", "'format'"),
        ("(y for y in xs).gi_frame", "'gi_frame'"),
        ("_secret", "'_secret'"),
        ("len(**kw)", "'**'"),
        ("max(*xs)", "'*'"),
        ("(n := 1)", "':='"),
        ("xs.__len__()", "'__len__'"),
        ("str.join(',', xs)", "values"),  # checked at run time: not a data value
    ],
)
def test_refused_expressions(source: str, named: str) -> None:
    with pytest.raises(UnsafeExpression) as caught:
        evaluate(source, {"x": 1, "xs": [1], "s": "{0}", "n": 3, "kw": {}})
    assert named in str(caught.value)
    assert caught.value.source == source


@pytest.mark.parametrize(
    ("source", "named"),
    [
        ("import os", "'import'"),
        ("from os import system", "'import'"),
        ("while True: pass", "'while'"),
        ("for x in iter(int, 1): pass", "'for'"),
        ("f = lambda f: f(f)\nf(f)", "'lambda'"),
        ("def f(): return f()\nf()", "'def'"),
        ("class A: pass", "'class'"),
        ("with open('x') as f: pass", "'with'"),
        ("try:\n    pass\nexcept Exception:\n    pass", "'try'"),
        ("global x", "'global'"),
        ("del x", "'del'"),
        ("x.attr = 1", "'attr'"),
        ("raise SystemExit", "'raise'"),
    ],
)
def test_refused_scripts(source: str, named: str) -> None:
    with pytest.raises(UnsafeExpression) as caught:
        check_script(source)
    assert named in str(caught.value)


def test_error_names_line_and_column() -> None:
    with pytest.raises(UnsafeExpression) as caught:
        check_script("a = 1\nimport os")
    error = caught.value
    assert issubclass(UnsafeExpression, ValueError)
    assert (error.line, error.column) == (2, 0)
    assert str(error) == "line 2, column 0: 'import' is not allowed in diagram scripts"
    assert error.message == "'import' is not allowed in diagram scripts"


def test_loops_point_to_the_diagram() -> None:
    with pytest.raises(UnsafeExpression, match="multi-instance"):
        check_script("while True:\n    pass")


def test_statements_are_not_expressions() -> None:
    with pytest.raises(UnsafeExpression) as caught:
        check_expression("while True: pass")
    assert caught.value.line == 1


def test_syntax_error_gives_line_number() -> None:
    with pytest.raises(UnsafeExpression) as caught:
        check_script("a = 1\nb = (\nc = 3")
    assert caught.value.line == 2
    assert "syntax error" in str(caught.value)


def test_syntax_error_is_also_a_syntax_error_for_the_dmn_engine() -> None:
    # The DMN engine retries a cell such as `> 5` as `v > 5` when validation raises SyntaxError.
    with pytest.raises(SyntaxError):
        check_expression("> 5")
    check_expression("v > 5")


def test_syntax_error_line_counts_leading_blank_lines() -> None:
    with pytest.raises(UnsafeExpression) as caught:
        check_expression("\n\n  kind ==")
    assert caught.value.line == 3


# -- run-time guards ------------------------------------------------------------------


def test_repetition_from_case_data_is_bounded() -> None:
    with pytest.raises(UnsafeExpression, match="limit"):
        evaluate("s * n", {"s": "a", "n": 10**12})


def test_repeated_doubling_in_a_script_is_bounded() -> None:
    script = "\n".join(["s = 'ab'"] + ["s = s + s"] * 40)
    with pytest.raises(UnsafeExpression, match="limit"):
        safe_eval.execute(script, {})


def test_huge_numbers_are_refused() -> None:
    with pytest.raises(UnsafeExpression, match="bits"):
        safe_eval.execute("\n".join(["x = 2 ** 64"] + ["x = x * x"] * 20), {})


def test_nested_comprehensions_run_on_a_budget() -> None:
    with pytest.raises(BudgetExceeded) as caught:
        evaluate("[1 for a in s for b in s for c in s]", {"s": "x" * 1000})
    assert caught.value.limit in ("operations", "time")


def test_join_is_sized_before_it_is_built() -> None:
    with pytest.raises(UnsafeExpression, match="limit"):
        evaluate("sep.join(parts)", {"sep": "-" * 100_000, "parts": ["a"] * 100_000})


def test_methods_of_other_objects_are_refused() -> None:
    class Service:
        def get(self, key: str) -> str:
            return "secret"

    with pytest.raises(UnsafeExpression, match="Service"):
        evaluate("svc.get('k')", {"svc": Service()})


def test_attribute_values_are_refused_only_calls_allowed() -> None:
    with pytest.raises(UnsafeExpression, match="method calls"):
        evaluate("d.get", {"d": {}})


# -- what process owners write --------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("kind == 'project' and docs_ok", True),
        ("kind == 'non_project' or not docs_ok", False),
        ("request['customer']", "华北电力"),
        ("request.get('missing', '无')", "无"),
        ("request.get('days', 0) > 3", True),
        ("'urgent' if request['days'] > 3 else 'normal'", "urgent"),
        ("f\"{request['customer']}-{request['days']:03d}\"", "华北电力-005"),
        ("f'{ratio:.1%}'", "12.5%"),
        ("[p.upper() for p in products if p != 'b']", ["A", "C"]),
        ("{p: len(p) for p in products}", {"a": 1, "b": 1, "c": 1}),
        ("{p for p in products}", {"a", "b", "c"}),
        ("sum(x * 2 for x in hours)", 24),
        ("any(h > 5 for h in hours) and all(h > 0 for h in hours)", True),
        ("max(hours) - min(hours)", 4),
        ("sorted(hours, reverse=True)[:2]", [6, 4]),
        ("len(products) == 3 and 'b' in products", True),
        ("round(sum(hours) / len(hours), 2)", 4.0),
        ("kind.startswith('pro') and kind.strip() == kind", True),
        ("int('42') + float('0.5')", 42.5),
        ("'a' * 3 + '-' * 2", "aaa--"),
        ("2 ** 10 + 7 % 3 - (1 << 4)", 1009),
        ("{**request, 'days': 1}['days']", 1),
        ("\n  kind\n", "project"),
    ],
)
def test_ordinary_expressions(source: str, expected: object) -> None:
    names = {
        "kind": "project",
        "docs_ok": True,
        "request": {"customer": "华北电力", "days": 5},
        "ratio": 0.125,
        "products": ["a", "b", "c"],
        "hours": [2, 4, 6],
    }
    assert evaluate(source, names) == expected


def test_case_variable_named_like_a_function_does_not_shadow_it() -> None:
    assert evaluate("max([1, max])", {"max": 99}) == 99
    assert evaluate("max", {"max": 5}) == 5


def test_timer_expression_literal_and_variable() -> None:
    assert evaluate('"2026-10-08T18:00:00+08:00"', {}) == "2026-10-08T18:00:00+08:00"
    assert evaluate("confirm_due", {"confirm_due": "2026-10-09T18:00:00+08:00"}).endswith("+08:00")


def test_script_assignments_write_back() -> None:
    names: dict[str, object] = {"request": {"days": 5}, "count": 1, "tags": ["a"]}
    safe_eval.execute(
        "count += 2\n"
        "request['level'] = 'high' if request['days'] > 3 else 'low'\n"
        "request['days'] *= 2\n"
        "tags.append('b')\n"
        "first, second = tags\n"
        "if count > 2:\n"
        "    note = f'{count} 次'\n"
        "else:\n"
        "    pass\n"
        "summary = {t: len(t) for t in tags}\n",
        names,
    )
    assert names["count"] == 3
    assert names["request"] == {"days": 10, "level": "high"}
    assert names["tags"] == ["a", "b"]
    assert (names["first"], names["second"]) == ("a", "b")
    assert names["note"] == "3 次"
    assert names["summary"] == {"a": 1, "b": 1}
    assert not any(key.startswith("_") for key in names)


def test_indented_script_from_a_diagram_runs() -> None:
    names: dict[str, object] = {"x": 1}
    safe_eval.execute("\n    y = x + 1\n    z = y * 2\n", names)
    assert names["z"] == 4


def test_compiled_code_is_cached_per_source() -> None:
    source = "cached_probe + 1"
    evaluate(source, {"cached_probe": 1})
    hits = safe_eval._compile.cache_info().hits
    assert evaluate(source, {"cached_probe": 2}) == 3
    assert safe_eval._compile.cache_info().hits == hits + 1


def test_safe_functions_are_the_documented_set() -> None:
    assert set(safe_eval.SAFE_FUNCTIONS) == {
        "len", "min", "max", "sum", "abs", "round", "int", "float", "str", "bool", "sorted",
        "any", "all", "list", "dict", "set", "tuple",
    }


# -- nesting, length and what expressions may not do ----------------------------------


@pytest.mark.parametrize("source", [
    "(" * 100_000 + "1" + ")" * 100_000,
    "a" + "+a" * 100_000,
    "-" * 100_000 + "1",
    "not " * 50_000 + "a",
    "a" + "[0]" * 50_000,
    "a" + "+a" * 150,
])
def test_deep_nesting_is_refused_cleanly(source: str) -> None:
    with pytest.raises(UnsafeSyntax, match="too deeply nested"):
        check_expression(source)


def test_deep_nesting_in_a_script_names_the_line() -> None:
    with pytest.raises(UnsafeSyntax, match="too deeply nested") as caught:
        check_script("x = 1\ny = " + "(" * 300 + "1" + ")" * 300)
    assert caught.value.line == 2


def test_long_sources_are_refused() -> None:
    with pytest.raises(UnsafeExpression, match=f"more than the limit of {safe_eval.MAX_SOURCE_CHARS:,}"):
        check_script("x = 1\n" * (safe_eval.MAX_SOURCE_CHARS // 6 + 1))
    with pytest.raises(UnsafeExpression, match="characters long"):
        check_expression("a" * 10 * safe_eval.MAX_SOURCE_CHARS + "b")


@pytest.mark.parametrize("source", ["tags.append('x')", "d.update({'a': 1})", "d.pop('a')",
                                    "tags.sort() or True", "s.add(1)"])
def test_expressions_may_not_change_case_data(source: str) -> None:
    with pytest.raises(UnsafeExpression, match="changes a value"):
        check_expression(source)
    check_script(source)  # a script task may


def test_slice_assignment_is_refused_in_scripts() -> None:
    with pytest.raises(UnsafeExpression, match="slice"):
        check_script("xs[0:2] = [1]")


@pytest.mark.parametrize("source", ["{(1, 2): 'a'}", "{(1, 2)}", "set([(1, 2)])", "(1, 2) in s",
                                    "d.get((1, 2))", "{big}", "dict([((1, 2), 3)])"])
def test_only_text_numbers_and_flags_are_keys(source: str) -> None:
    with pytest.raises(UnsafeExpression, match="dict key or set member"):
        evaluate(source, {"s": {1}, "d": {}, "big": 2 ** 64})


def test_dict_views_are_lists() -> None:
    d = {"a": 1, "b": 2}
    assert evaluate("d.keys()", {"d": d}) == ["a", "b"]
    assert evaluate("d.items()", {"d": d}) == [("a", 1), ("b", 2)]
    with pytest.raises(TypeError):
        evaluate("d.keys() | {'c'}", {"d": d})


def test_chained_comparisons_stay_lazy() -> None:
    assert evaluate("1 < x < 3", {"x": 2}) is True
    assert evaluate("3 < x < d['missing']", {"x": 2, "d": {}}) is False  # the right end is never read
    assert evaluate("[x for x in xs if 0 < x <= 2]", {"xs": [0, 1, 2, 3]}) == [1, 2]


def test_guarded_functions_keep_their_meaning() -> None:
    names = {"xs": [3, 1, 2, 1], "words": ["bb", "a", "ccc"]}
    assert evaluate("sorted(words, key=len)", names) == ["a", "bb", "ccc"]
    assert evaluate("sorted(xs, reverse=True)", names) == [3, 2, 1, 1]
    assert evaluate("max(words, key=len)", names) == "ccc"
    assert evaluate("min(xs, default=0)", names) == 1 and evaluate("max([], default=0)", names) == 0
    assert evaluate("max(1, 5, 2)", names) == 5
    assert evaluate("dict([('a', 1)], b=2)", names) == {"a": 1, "b": 2}
    assert evaluate("set('aba')", names) == {"a", "b"}
    assert evaluate("list(x for x in xs if x > 1)", names) == [3, 2]
    assert evaluate("str([1, 'a'])", names) == "[1, 'a']"
    names2: dict[str, object] = {"xs": [3, 1, 2]}
    safe_eval.execute("xs.sort()\nys = xs.copy()\nys.extend(x * 2 for x in xs)", names2)
    assert names2["ys"] == [1, 2, 3, 2, 4, 6]


@pytest.mark.parametrize(("source", "named"), [
    ("round(5, -10**9)", "100 digits"),
    ("sum([[1]] * 3, [])", "numbers only"),
    ("int(s, 2)", "bits"),
])
def test_builtins_with_hidden_costs_are_refused(source: str, named: str) -> None:
    with pytest.raises(UnsafeExpression, match=named):
        evaluate(source, {"s": "1" * 20_000})
