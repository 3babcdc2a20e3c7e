"""`guicheng import`: what diagrams from other modelers must change to run here, and the safe fixes.

A file is examined by the dialect modules (`service.engine.foreign`), their certain fixes are applied
to a copy in memory, and that copy goes through the same check as `validate` and deploy, so "would
deploy" means what it says. Nothing is written unless asked; when it is, the file is rewritten in
place with only the fixed elements changed (diagram interchange, comments and other tools'
extensions stay) and the first original is kept beside it as `<file>.orig`, never overwritten.

Lines: without --fix they are those of the file as it is; with --fix, of the file as written.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from service.domain.messages import Message
from service.domain.roles import role_for_lane
from service.engine.foreign import BPMN, Finding, examine, owner_choices
from service.engine.foreign.writing import serialise
from service.engine.problems import Problem
from service.engine.xml_safety import XmlRejected, parse_xml

from . import deploy

PATTERNS = ("*.bpmn", "*.bpmn20.xml")
# names of languages, tools and extensions: parameters of the sentences, the same in every language
TERMS = {"juel": "JUEL", "feel": "FEEL", "python": "Python", "camunda": "Camunda", "flowable": "Flowable",
         "bool_ops": "and/or/not", "example": "amount > 1000", "iso": "ISO-8601",
         "spiff_decision": "spiffworkflow:calledDecisionId", "form_key": "formKey", "form_js": "form-js",
         "form_file": "forms/<process_id>/<formKey>.form", "assignee": "assignee",
         "operator": "spiffworkflow:serviceTaskOperator", "zeebe_called": "zeebe:calledElement",
         "called_element": "calledElement", "definitions": "definitions", "target_namespace": "targetNamespace",
         "roles": "sales, engineer, tech_director", "fix_option": "--fix", "orig": ".orig",
         "patterns": ", ".join(PATTERNS)}


def said(code: str, **params: Any) -> Message:
    """A sentence of the import catalogue with the technical names filled in."""
    return Message(code, {**TERMS, **params})
# a deploy problem that says again what an unfixed finding of the same element already said
_SAID_BY = {
    "foreign.juel_untranslatable": {"diagram.expression_refused", "diagram.expression_empty",
                                    "diagram.expression_juel"},
    "foreign.feel_untranslatable": {"diagram.expression_refused", "diagram.expression_empty"},
    "foreign.untyped_task_no_lane": {"elements.untyped_task"},
    "foreign.engine_call": {"diagram.service_task_no_operation"},
    "foreign.candidate_group_not_role": {"diagram.user_task_no_lane"},
    "foreign.candidate_users": {"diagram.user_task_no_lane"},
    "foreign.form_key_dynamic": {"diagram.user_task_no_form"},
    "foreign.assignee_literal": {"diagram.user_task_no_lane"},
}


# what a task in no lane was told to do, said no more once the owner's `--role` placed it
_PLACED_BY_ROLE = {"foreign.untyped_task_no_lane", "foreign.candidate_users", "foreign.candidate_group_not_role",
                   "foreign.assignee_literal"}


@dataclass(frozen=True)
class ImportFinding:
    file: str
    line: int | None
    element_id: str
    message: Message
    fix: tuple[str, str] | None  # (before, after)
    blocking: bool

    def line_text(self, lang: str) -> str:
        text = f"{self.file}:{self.line or 0}: {self.element_id or '-'}: {self.message.render(lang)}"
        if self.fix:
            text += f" [{said('foreign.fix', before=self.fix[0], after=self.fix[1]).render(lang)}]"
        return text

    def as_json(self, lang: str) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "element_id": self.element_id,
                "code": self.message.code, "message": self.message.render(lang), "blocking": self.blocking,
                "fix": {"before": self.fix[0], "after": self.fix[1]} if self.fix else None}


@dataclass
class FileReport:
    file: str
    findings: list[ImportFinding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # what still refuses a deploy after the fixes
    written: bool = False
    orig: str | None = None
    forms_written: list[str] = field(default_factory=list)

    @property
    def fixable(self) -> int:
        return sum(1 for f in self.findings if f.fix)

    @property
    def deployable(self) -> bool:
        return not self.problems and not any(f.blocking and not f.fix for f in self.findings)


def diagram_files(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """The diagrams named, a folder standing for its BPMN files; a path that holds none is a problem."""
    found: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if not path.exists():
            problems.append(Problem.said(str(path), None, "", Message("deploy.no_such_path")))
        elif path.is_dir():
            inside = sorted({p for pattern in PATTERNS for p in path.glob(pattern) if p.is_file()})
            if not inside:
                problems.append(Problem.said(str(path), None, "", said("foreign.no_files", path=str(path))))
            found.extend(inside)
        else:
            found.append(path)
    return found, problems


def import_paths(paths: list[Path], forms_root: Path, *, fix: bool, role: str | None = None,
                 forms: bool = False) -> tuple[list[FileReport], list[Problem]]:
    files, problems = diagram_files(paths)
    return [import_file(path, forms_root, fix=fix, role=role, forms=forms) for path in files], problems


def import_file(path: Path, forms_root: Path, *, fix: bool, role: str | None = None,
                forms: bool = False) -> FileReport:
    """One diagram: its findings, the fixes applied (written with `fix`), what still refuses it.
    `role` and `forms` are the owner's choices (see `owner_choices`), offered as fixes like the others."""
    name = str(path)
    report = FileReport(name)
    try:
        original = path.read_bytes()
    except OSError as exc:
        report.problems.append(Problem.said(name, None, "", said("foreign.not_read", reason=exc.strerror or str(exc))))
        return report
    try:
        tree = parse_xml(original, name)
    except XmlRejected as exc:
        report.problems.append(Problem(name, exc.line, "", exc.message))
        return report
    original_lines = _lines_by_id(tree)
    folder = _forms_dir(path, forms_root)
    examined = examine_diagram(tree, role=role, forms=forms,
                               has_form=lambda pid, key: (folder / pid / f"{key}.form").is_file())
    found, generated = examined.found, examined.generated
    fixed = serialise(tree, original) if any(f.fix for f in found) else original
    if fix and fixed != original:
        orig = path.with_name(path.name + ".orig")
        try:
            if not orig.exists():
                orig.write_bytes(original)
            path.write_bytes(fixed)
            report.forms_written = _write_forms(generated, _forms_dir(path, forms_root))
        except OSError as exc:
            report.problems.append(Problem.said(name, None, "", said("foreign.not_written",
                                                                       reason=exc.strerror or str(exc))))
            return report
        report.written, report.orig = True, str(orig)
        problems = _deploy_problems(path, None, forms_root)
        lines = _lines_by_id(parse_xml(fixed, name))
    else:
        problems = _deploy_problems(path, fixed if fixed != original else None, forms_root, generated)
        lines = original_lines
    report.findings = [_said(name, item, lines if report.written else None) for item in found]
    report.problems = [_relined(p, name, lines) for p in not_said(problems, found)]
    return report


def not_said(problems: list[Problem], found: list[Finding]) -> list[Problem]:
    """The deploy problems a finding without a fix has not already said at the same element."""
    unfixed = {(f.element_id, code) for f in found if f.fix is None for code in _SAID_BY.get(f.code, ())}
    return [p for p in problems if (p.element_id, p.code) not in unfixed]


@dataclass
class Examined:
    """A diagram's findings (each with its key) and the fixes applied to its tree; `generated`: the forms
    the applied form fixes drew, (process id, formKey) → form-js form."""

    tree: etree._ElementTree
    found: list[Finding]
    generated: dict[tuple[str, str], dict[str, Any]]
    applied: set[str]


def examine_diagram(tree: etree._ElementTree, *, role: str | None, forms: bool,
                    has_form: Callable[[str, str], bool], chosen: Collection[str] | None = None) -> Examined:
    """Every finding of `tree`, its fixes applied in place: all of them, or only those whose key is in
    `chosen` (the ones the owner ticked). The owner's `role` and `forms` choices are asked after the
    certain fixes, on the tree they left, as `owner_choices` expects."""
    applied: set[str] = set()
    found = _apply(examine(tree, role_for_lane), chosen, applied)
    generated: dict[tuple[str, str], dict[str, Any]] = {}
    if role:
        placed = _apply(owner_choices.lane_findings(tree, role), chosen, applied)
        found = [f for f in found if not (f.fix is None and f.code in _PLACED_BY_ROLE and any(
            p.element_id == f.element_id and p.key in applied for p in placed))] + placed
    if forms:
        found += _apply(owner_choices.form_findings(tree, generated, has_form), chosen, applied)
    return Examined(tree, found, generated, applied)


def _apply(found: list[Finding], chosen: Collection[str] | None, applied: set[str]) -> list[Finding]:
    for item in found:
        if item.fix is not None and (chosen is None or item.key in chosen):
            item.fix.apply()
            applied.add(item.key)
    return found


def _forms_dir(path: Path, forms_root: Path) -> Path:
    """Where the forms of a diagram are looked for: `forms/` beside its folder, else the default."""
    beside = path.resolve().parent.parent / "forms"
    return beside if beside.is_dir() else forms_root


def _write_forms(generated: dict[tuple[str, str], dict[str, Any]], root: Path) -> list[str]:
    """The drawn forms as files; a form file that exists already is the owner's and stays."""
    written = []
    for (process_id, key), form in sorted(generated.items()):
        target = root / process_id / f"{key}.form"
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(form, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            written.append(str(target))
    return written


def _said(name: str, item: Finding, written_lines: dict[str, int] | None) -> ImportFinding:
    """The finding at its line in the file as read, or at its element's line in the file as written."""
    line = item.line if written_lines is None else written_lines.get(item.element_id, item.line)
    return ImportFinding(name, line, item.element_id, said(item.code, **item.params),
                         (item.fix.before, item.fix.after) if item.fix else None, item.blocking)


def _relined(problem: Problem, name: str, lines: dict[str, int]) -> Problem:
    """A problem found in the in-memory copy, at the line of the element in the file on disk."""
    if Path(problem.file).name != Path(name).name:
        return problem
    line = lines.get(problem.element_id, problem.line) if problem.element_id else problem.line
    return Problem(name, line, problem.element_id, problem.message, problem.code, problem.params)


def _lines_by_id(tree: etree._ElementTree) -> dict[str, int]:
    return {n.get("id"): n.sourceline for n in tree.iter() if isinstance(n.tag, str) and n.get("id")}


def validate_alone(path: Path, forms_root: Path) -> list[Problem]:
    """What plain `validate` says of this one file, its broken neighbours aside."""
    return _deploy_problems(path, None, forms_root)


def _deploy_problems(path: Path, content: bytes | None, forms_root: Path,
                     generated: dict[tuple[str, str], dict[str, Any]] | None = None) -> list[Problem]:
    """`validate` of the file (or of `content` in its place), beside the neighbours it calls and with
    its forms (and the ones `generated` would add).

    Checked in a folder of its own holding links to the neighbours it needs only (the processes it
    calls, the decision tables): a broken diagram next to this one is that file's problem, said when
    that file is imported, not this one's."""
    data = path.read_bytes() if content is None else content
    with tempfile.TemporaryDirectory() as folder:
        diagrams, forms = Path(folder) / "diagrams", Path(folder) / "forms"
        diagrams.mkdir()
        copy = diagrams / path.name
        for neighbour in neighbours_needed(path, data):
            (diagrams / neighbour.name).symlink_to(neighbour)
        copy.write_bytes(data)
        _link_forms(_forms_dir(path, forms_root), forms, generated or {})
        return [_renamed(p, copy, path) for p in deploy.validation_report([copy], forms)[0]]


def _link_forms(real: Path, into: Path, generated: dict[tuple[str, str], dict[str, Any]]) -> None:
    """The forms folder as the check sees it: links to the real forms, plus the ones not yet written."""
    into.mkdir()
    touched = {process_id for process_id, _key in generated}
    for folder in sorted(real.iterdir()) if real.is_dir() else []:
        if not folder.is_dir():
            continue
        if folder.name not in touched:
            (into / folder.name).symlink_to(folder.resolve())
            continue
        (into / folder.name).mkdir()
        for item in folder.iterdir():
            (into / folder.name / item.name).symlink_to(item.resolve())
    _write_forms(generated, into)


@dataclass(frozen=True)
class _Neighbour:
    path: Path
    processes: frozenset[str]
    calls: frozenset[str]


_NEIGHBOURS: dict[tuple[Path, float], list[_Neighbour]] = {}


def neighbours_needed(path: Path, content: bytes | None = None) -> list[Path]:
    """The readable files beside `path` a deploy of it reads: the processes it calls (and those they
    call), and the decision tables."""
    neighbours = [n for n in _readable_neighbours(path.resolve().parent) if n.path.name != path.name]
    try:
        wanted = set(_calls(parse_xml(path.read_bytes() if content is None else content, path.name)))
    except XmlRejected:
        return []
    found: list[Path] = [n.path for n in neighbours if n.path.name.endswith(".dmn")]
    while wanted:
        called = wanted.pop()
        for neighbour in neighbours:
            if called in neighbour.processes and neighbour.path not in found:
                found.append(neighbour.path)
                wanted |= neighbour.calls
    return found


def _calls(tree: etree._ElementTree) -> frozenset[str]:
    return frozenset(n.get("calledElement") for n in tree.iter(f"{{{BPMN}}}callActivity") if n.get("calledElement"))


def _readable_neighbours(folder: Path) -> list[_Neighbour]:
    """The diagrams and decision tables of a folder that parse (remembered while the folder is unchanged)."""
    key = (folder, folder.stat().st_mtime)
    if key not in _NEIGHBOURS:
        found = []
        for candidate in sorted(folder.iterdir()):
            if candidate.is_file() and candidate.name.endswith((".bpmn", ".bpmn20.xml", ".dmn")):
                try:
                    tree = parse_xml(candidate.read_bytes(), candidate.name)
                except XmlRejected:
                    continue
                processes = frozenset(p.get("id") for p in tree.iter(f"{{{BPMN}}}process") if p.get("id"))
                found.append(_Neighbour(candidate, processes, _calls(tree)))
        _NEIGHBOURS[key] = found
    return _NEIGHBOURS[key]


def _renamed(problem: Problem, copy: Path, path: Path) -> Problem:
    """A problem of the checked copy or of a neighbour, named by the file the owner has."""
    name = Path(problem.file).name
    if problem.file in (str(copy), copy.name):
        shown = str(path)
    elif name and (copy.parent / name).is_symlink():
        shown = str(path.parent / name)
    else:
        return problem
    return Problem(shown, problem.line, problem.element_id, problem.message, problem.code, problem.params)
