"""The lint on whole bundles: every diagram shipped in processes/ passes, very large diagrams are checked or
refused without the engine running out of stack, and `guicheng validate` prints file:line:element: message."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.config import PROJECT_ROOT
from service.engine import lint
from service.engine.definitions import ParsedBundle, parse_bundle
from service.engine.problems import DefinitionInvalid
from service.operations import deploy
from tests.engine.diagrams import flow
from tests.engine.lint_diagrams import (
    END,
    FORM,
    START,
    chain,
    diagram,
    gateway,
    line_of,
    reads,
    script,
    user,
)
from tests.support.cli import cli_env, run_cli

# -- the real processes, large diagrams, the command ------------------------------------------------------------

def test_every_diagram_in_processes_passes_every_rule():
    found = deploy.bundles_from_paths([PROJECT_ROOT / "processes"], PROJECT_ROOT / "forms")
    assert {"technical_support", "after_sales_visit_plan"} <= {b.process_id for b in found}
    for each in found:
        parsed, forms = deploy.check_bundle(each)
        assert lint.bundle_report(parsed, forms) == ([], []), each.process_id


def _long(n: int, back: bool) -> ParsedBundle:
    ids = ["start", *[f"s{i}" for i in range(n)], "gw", "end"]
    steps = [START, *(script(i, "x = 1") for i in ids[1:-2]), gateway("gw", default="f_out"), END,
             *chain(*ids[:-1]), flow("f_out", "gw", "end")]
    if back:
        steps.append(flow("f_back", "gw", "s0", "x"))
    return ParsedBundle("p", None, {}, {}, {"p.bpmn": diagram(*steps).encode()})


def test_a_chain_of_ten_thousand_steps_is_checked_without_running_out_of_stack():
    assert lint.bundle_problems(_long(10_000, back=False), {}) == []
    (problem,) = lint.bundle_problems(_long(10_000, back=True), {})
    assert problem.element_id == "gw" and problem.message.startswith("endless loop: gw → s0 → s1 → s2")
    assert "… → gw never waits" in problem.message


def test_a_diagram_too_large_for_a_procedure_is_refused_before_the_engine_reads_it():
    huge = _long(10_000, back=False)
    with pytest.raises(DefinitionInvalid) as refused:
        parse_bundle("p", huge.files, operations={}, resolve_role=lambda name: name)
    (problem,) = refused.value.problems
    assert problem.file == "p.bpmn" and problem.line and "more than 3000 BPMN elements" in problem.message


def test_validate_prints_file_line_element_message_for_a_lint_problem(tmp_path: Path):
    folder = tmp_path / "processes"
    folder.mkdir()
    xml = reads("anser == 'yes'", user("work"))
    (folder / "p.bpmn").write_text(xml, encoding="utf-8")
    (tmp_path / "forms" / "p").mkdir(parents=True)
    (tmp_path / "forms" / "p" / "f.form").write_text(FORM, encoding="utf-8")
    env = cli_env(f"sqlite:///{tmp_path / 'unused.db'}", tmp_path, GUICHENG_LANG="en")
    result = run_cli(env, "validate", str(folder))
    assert result.returncode == 1, result.stdout + result.stderr
    (line,) = result.stdout.splitlines()
    file, number, element, message = (part.strip() for part in line.split(":", 3))
    assert (file, int(number), element) == ("p.bpmn", line_of(xml, "f_if"), "f_if")
    assert message.startswith("condition reads 'anser', which no form field")
    (folder / "p.bpmn").write_text(xml.replace("anser", "answer"), encoding="utf-8")
    assert run_cli(env, "validate", str(folder)).returncode == 0
