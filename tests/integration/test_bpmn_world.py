"""Real diagrams from six public sources (tests/fixtures/bpmn-world, SOURCES.md): each one is either
accepted — after `guicheng import --fix` — and run to its end by the generic client, or refused with
problems that say where (file:line, element). Never a traceback, never a case left waiting on nothing.

The outcome of every file is compared with `expected.json`, so a change that makes a diagram run, or
stop running, shows as a difference; `BPMN_WORLD_WRITE=1` rewrites that table and RESULTS.md.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from service.adapters.clock import FrozenClock
from service.config import Settings
from service.domain.roles import role_for_lane
from service.engine.foreign import examine
from service.engine.problems import Problem
from service.engine.xml_safety import parse_xml
from service.operations import calendar, demo_org, foreign_import
from service.operations.context import AppContext
from service.persistence.db import Database
from service.persistence.migrate import upgrade
from tests.conftest import DEFAULT_NOW
from tests.support.generic_client import walk_file

WORLD = Path(__file__).resolve().parents[1] / "fixtures" / "bpmn-world"
DI = "http://www.omg.org/spec/BPMN/20100524/DI"
CHOSEN_ROLE = "sales"
SOURCES = ("miwg", "spiffworkflow", "bpmn-js", "camunda", "flowable", "spiff-samples")
# problems about a whole file or an XML element without an id, said by its tag and line instead
# (unreadable XML, nothing to run, a schema violation)
WHOLE_FILE = ("malformed XML", "sources.", "schema.", "not valid BPMN", "Element '")


_SAID = re.compile(r"^error: [a-z_]+\.[a-z_]+: ")


def corpus() -> list[Path]:
    return sorted(p for source in SOURCES for p in (WORLD / source).iterdir()
                  if p.is_file() and p.name.endswith((".bpmn", ".bpmn20.xml")))


@pytest.fixture
def world_ctx(tmp_path: Path) -> Iterator[AppContext]:
    """SQLite with the calendar and the demo organisation; none of the product's own processes."""
    settings = Settings(home=tmp_path, database_url=f"sqlite:///{tmp_path / 'guicheng.db'}", secret_key="test-secret")
    context = AppContext(settings=settings, db=Database(settings.database_url), clock=FrozenClock(DEFAULT_NOW))
    upgrade(context.db.engine)
    calendar.seed_calendar(context)
    demo_org.ensure_demo_organisation(context)
    yield context
    context.db.dispose()


def _alone(path: Path, folder: Path) -> Path:
    """The file in a folder of its own with the readable neighbours it calls."""
    folder.mkdir(parents=True, exist_ok=True)
    for neighbour in foreign_import.neighbours_needed(path):
        shutil.copy(neighbour, folder / neighbour.name)
    shutil.copy(path, folder / path.name)
    return folder / path.name


def _where_said(problems: list[Problem]) -> list[str]:
    """The problems that do not say where: no line, or no element although they are about one."""
    return [str(p) for p in problems if not p.line or (
        not p.element_id and not (p.code or p.message).startswith(WHOLE_FILE))]


def _changed_beyond_fixes(original: Path, fixed: Path) -> list[str]:
    """What a fix must not touch: every element id stays, the diagram interchange stays as it was."""
    before, after = parse_xml(original.read_bytes(), "a"), parse_xml(fixed.read_bytes(), "b")
    ids = {n.get("id") for n in after.iter() if isinstance(n.tag, str)}
    lost = [f"lost {n.get('id')}" for n in before.iter()
            if isinstance(n.tag, str) and n.get("id") and n.get("id") not in ids]

    def drawing(tree: etree._ElementTree) -> list[tuple[object, ...]]:
        return [(n.tag, sorted(n.attrib.items()), n.text, n.tail) for d in tree.iter(f"{{{DI}}}BPMNDiagram")
                for n in d.iter()]

    return lost + (["diagram interchange changed"] if drawing(before) != drawing(after) else [])


def _outcome(ctx: AppContext, original: Path, path: Path, tmp: Path) -> dict[str, object]:
    before = foreign_import.validate_alone(path, tmp / "no-forms")
    report = foreign_import.import_file(path, tmp / "no-forms", fix=True)
    outcome: dict[str, object] = {"before": "accepted" if not before else "refused",
                                  "fixes": sum(1 for f in report.findings if f.fix)}
    if report.written:
        outcome["changed_else"] = _changed_beyond_fixes(path.with_name(path.name + ".orig"), path)
        # fixed once is fixed: a second look finds nothing more to change
        again = examine(parse_xml(path.read_bytes(), path.name), role_for_lane)
        outcome["refixed"] = [f"{f.element_id}: {f.code}" for f in again if f.fix]
    outcome.update(_verdict(ctx, report, path, tmp / "run", tmp / "no-forms", "after"))
    # the owner's choices too: every task in no lane is the salespeople's, every task without a form gets one
    chosen = _alone(original, tmp / "chosen" / "diagrams")
    (tmp / "chosen" / "forms").mkdir()
    report = foreign_import.import_file(chosen, tmp / "chosen" / "forms", fix=True, role=CHOSEN_ROLE, forms=True)
    outcome.update(_verdict(ctx, report, chosen, tmp / "chosen-run", tmp / "chosen" / "forms", "chosen"))
    return outcome


def _verdict(ctx: AppContext, report: foreign_import.FileReport, path: Path, run: Path, forms: Path,
             column: str) -> dict[str, object]:
    if not report.deployable:
        first = (report.problems[0].code or report.problems[0].message[:60]) if report.problems else \
            next(f.message.code for f in report.findings if f.blocking and not f.fix)
        return {column: "refused", f"{column}_unplaced": _where_said(report.problems), f"{column}_why": first}
    walked = walk_file(ctx, _alone(path, run / "diagrams"), forms)
    verdict = "runs" if walked.kind == "runs" else walked.kind
    if walked.kind == "error" and _SAID.match(walked.verdict):
        verdict = "fails at run"  # the product said which step and why: no traceback, the case stopped
    return {column: verdict, f"{column}_why": "" if verdict == "runs" else walked.verdict[:160]}


def test_every_real_diagram_runs_or_is_refused_with_a_place(world_ctx: AppContext, tmp_path: Path) -> None:
    copy = tmp_path / "world"
    shutil.copytree(WORLD, copy)
    results: dict[str, dict[str, object]] = {}
    for original in corpus():
        path = copy / original.parent.name / original.name
        key = f"{original.parent.name}/{original.name}"
        try:
            results[key] = _outcome(world_ctx, original, path, tmp_path / "work" / key)
        except Exception as exc:  # the invariant under test: reported below, with the file
            results[key] = {"after": "traceback", "after_why": f"{type(exc).__name__}: {exc}"[:200]}
    if os.environ.get("BPMN_WORLD_WRITE"):
        _write(results)
    columns = ("after", "chosen")
    crashed = {(k, c): v.get(f"{c}_why") for k, v in results.items() for c in columns
               if v.get(c) in ("traceback", "error")}
    # a case that loops (the generic client's answers keep sending it back) still has work to do; one that is
    # stuck has none
    stuck = {(k, c): v.get(f"{c}_why") for k, v in results.items() for c in columns if v.get(c) == "stuck"}
    unplaced = {(k, c): v[f"{c}_unplaced"] for k, v in results.items() for c in columns if v.get(f"{c}_unplaced")}
    refixed = {k: v["refixed"] for k, v in results.items() if v.get("refixed")}
    changed = {k: v["changed_else"] for k, v in results.items() if v.get("changed_else")}
    assert not crashed
    assert not stuck
    assert not unplaced
    assert not refixed
    assert not changed
    expected = json.loads((WORLD / "expected.json").read_text(encoding="utf-8"))
    assert {k: [v["after"], v.get("chosen")] for k, v in results.items()} == expected


def _write(results: dict[str, dict[str, object]]) -> None:
    (WORLD / "expected.json").write_text(json.dumps(
        {k: [v["after"], v.get("chosen")] for k, v in results.items()}, indent=1) + "\n", encoding="utf-8")
    lines = ["# Outcomes of the real diagrams", "",
             "Written by `BPMN_WORLD_WRITE=1 pytest tests/integration/test_bpmn_world.py`. *Before*: plain",
             "`guicheng validate` of the file as published. *--fix*: `guicheng import --fix`, then deploy and a",
             "case walked to its end by the generic client (`runs`), or refused with the problems listed.",
             f"*--role*: `guicheng import --fix --role {CHOSEN_ROLE} --forms` (the owner's choices: who does the",
             "tasks in no lane, and a form for each task without one), then the same walk.", "",
             "| source | files | accepted before | fixes (--fix) | runs after --fix | runs after --role --forms "
             "| refused after both | fails at run, stuck or crashed |",
             "|---|---|---|---|---|---|---|---|"]
    for source in SOURCES:
        mine = [v for k, v in results.items() if k.startswith(source + "/")]
        after, chosen = Counter(str(v["after"]) for v in mine), Counter(str(v.get("chosen")) for v in mine)
        lines.append(f"| {source} | {len(mine)} | {sum(v.get('before') == 'accepted' for v in mine)} | "
                     f"{sum(int(str(v.get('fixes', 0))) for v in mine)} | {after['runs']} | {chosen['runs']} | "
                     f"{chosen['refused']} | {len(mine) - chosen['runs'] - chosen['refused']} |")
    for column, title in (("after", "--fix"), ("chosen", "--fix --role --forms")):
        first = Counter(str(v.get(f"{column}_why")) for v in results.values() if v.get(column) == "refused")
        lines += ["", f"## What still refuses them after {title} (the first problem of each file)", "",
                  "| problem | files |", "|---|---|"]
        lines += [f"| `{code}` | {count} |" for code, count in first.most_common()]
    lines += ["", "## Per file", "", "| file | before | fixes | --fix | why | --role --forms | why |",
              "|---|---|---|---|---|---|---|"]
    for key, v in results.items():
        def why(column: str, v: dict[str, object] = v) -> str:
            return str(v.get(f"{column}_why") or "").replace("|", "\\|")
        lines.append(f"| `{key}` | {v.get('before', '')} | {v.get('fixes', '')} | {v['after']} | {why('after')} | "
                     f"{v.get('chosen', '')} | {why('chosen')} |")
    (WORLD / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
