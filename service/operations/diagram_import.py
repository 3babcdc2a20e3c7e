"""The processes page's import: a diagram from another modeler, what it must change, and the fixes the owner
ticks saved as drafts.

The same findings and fixes as `guicheng import` (`foreign_import.examine_diagram`); what differs is where
the result goes: not back into the file but into a draft of each process the file holds (a process that
exists gets its next version's draft), checked exactly as the editor checks a draft (`bundle_of` and
`deploy.bundle_report`). Nothing is deployed here: the owner opens the draft, checks and deploys it.

The apply reads the very upload the report was made of (`diagram_uploads`): a fix is named by its key,
and keys are stable only for the same file.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from service.domain.messages import Message
from service.domain.roles import ROLES
from service.engine.foreign import BPMN, process_ids
from service.engine.foreign.writing import serialise
from service.engine.problems import Problem
from service.engine.xml_safety import as_utf8, parse_xml

from . import deploy, foreign_import, process_drafts, queries
from .context import AppContext
from .diagram_uploads import Upload, drop_upload
from .draft_content import checked_content
from .errors import Forbidden, NotFound, ValidationFailed
from .process_templates import PROCESS_ID, DraftContent

IMPORTERS = frozenset({"process_owner", "admin"})


@dataclass
class Row:
    """One finding as the report shows it: at its line of the file as uploaded."""

    key: str
    line: int | None
    element_id: str
    element_name: str
    message: Message
    fix: tuple[str, str] | None
    blocking: bool
    applied: bool


@dataclass
class Part:
    """A process of the file (or, with `process_id` "", what concerns the file as a whole)."""

    process_id: str
    name: str
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # what refuses a deploy after the chosen fixes
    runs: bool = False  # executable after the chosen fixes: it becomes a draft
    latest_version: int | None = None
    draft_by: str | None = None  # someone's draft of this process that the import replaces
    refused: Message | None = None  # why it cannot become a draft at all
    content: DraftContent | None = None


@dataclass
class Report:
    upload: Upload
    role: str | None
    forms: bool
    parts: list[Part]
    has_layout: bool  # the file carries diagram interchange: the viewer can draw it

    @property
    def drafts(self) -> list[Part]:
        return [p for p in self.parts if p.runs]

    @property
    def marked(self) -> list[str]:
        return sorted({r.element_id for p in self.parts for r in p.rows if r.element_id})


# -- who may, and the upload -------------------------------------------------------------------------

def check_may_import(actor: str, roles: Collection[str]) -> None:
    if not set(roles) & IMPORTERS:
        raise Forbidden("diagram_import.forbidden", user=actor)


def checked_role(role: str | None) -> str | None:
    if role in (None, ""):
        return None
    if role not in ROLES:
        raise ValidationFailed("diagram_import.refused", {"role": Message("diagram_import.role_unknown", {
            "role": str(role)[:40], "known": ", ".join(ROLES)})})
    return role


# -- the report --------------------------------------------------------------------------------------

def read(ctx: AppContext, actor: str, upload: Upload, *, role: str | None, forms: bool,
         chosen: Collection[str] | None = None) -> Report:
    """The findings of the upload with the `chosen` fixes applied (all of them when None), per process,
    and what each process's draft would still be refused for."""
    role = checked_role(role)
    tree = parse_xml(upload.data, upload.name)
    lines = {n.get("id"): n.sourceline for n in tree.iter() if isinstance(n.tag, str) and n.get("id")}
    existing = _existing(ctx, [p.get("id", "") for p in tree.getroot().findall(f"{{{BPMN}}}process")])
    examined = foreign_import.examine_diagram(
        tree, role=role, forms=forms, chosen=chosen,
        has_form=lambda pid, key: key in (existing[pid][0].forms if pid in existing else {}))
    renamed = _renamed(ctx, tree, existing, examined, chosen)
    generated = {(renamed.get(pid, pid), key): form for (pid, key), form in examined.generated.items()}
    fixed = as_utf8(serialise(tree, upload.data), upload.name).decode("utf-8")
    parts = {"": Part("", upload.name)}
    owner: dict[str, str] = dict(renamed)
    names: dict[str, str] = {}
    for process in tree.getroot().findall(f"{{{BPMN}}}process"):
        pid = process.get("id", "")
        part = parts.setdefault(pid, Part(pid, process.get("name") or pid))
        part.runs = (process.get("isExecutable") or "").strip().lower() == "true" and bool(pid)
        for node in process.iter():
            if isinstance(node.tag, str) and node.get("id"):
                owner[node.get("id")] = pid
                names[node.get("id")] = node.get("name") or ""
        if pid in existing:
            part.latest_version, part.draft_by = existing[pid][1], existing[pid][2]
        elif part.runs and not PROCESS_ID.fullmatch(pid):
            part.refused = Message("diagram_import.id_refused", {"process": pid, "example": "purchase_approval"})
    for item in examined.found:
        parts[owner.get(item.element_id, "")].rows.append(Row(
            item.key, item.line, item.element_id, names.get(item.element_id, ""),
            foreign_import.said(item.code, **item.params),
            (item.fix.before, item.fix.after) if item.fix else None, item.blocking, item.key in examined.applied))
    for part in parts.values():
        if part.runs and part.refused is None:
            part.content = _content(part.process_id, fixed, existing.get(part.process_id), generated)
            problems, _warnings = deploy.bundle_report(process_drafts.bundle_of(part.process_id, part.content))
            part.problems = [_at_upload_line(p, upload.name, part.process_id, lines)
                             for p in foreign_import.not_said(problems, examined.found)]
    shown = [p for p in parts.values() if p.process_id or p.rows]
    has_layout = tree.getroot().find("{http://www.omg.org/spec/BPMN/20100524/DI}BPMNDiagram") is not None
    return Report(upload, role, forms, shown, has_layout)


def _renamed(ctx: AppContext, tree: etree._ElementTree, existing: dict[str, Any],
             examined: foreign_import.Examined, chosen: Collection[str] | None) -> dict[str, str]:
    """The fixes of process ids no new process may have (after the others, whose findings keep naming the
    ids as drawn); old id → new id of those applied."""
    taken = {d["process_id"] for d in queries.definitions(ctx)} | set(process_drafts.draft_list(ctx))
    found = process_ids.findings(tree, lambda pid: bool(PROCESS_ID.fullmatch(pid)), existing, taken)
    renamed: dict[str, str] = {}
    for item in found:
        if item.fix is not None and (chosen is None or item.key in chosen):
            item.fix.apply()
            examined.applied.add(item.key)
            renamed[item.params["old"]] = item.params["new"]
    examined.found.extend(found)
    return renamed


def _existing(ctx: AppContext, process_ids: list[str]
              ) -> dict[str, tuple[DraftContent, int | None, str | None]]:
    """Of the processes named, those that exist here: their current content, latest version, draft's author."""
    found: dict[str, tuple[DraftContent, int | None, str | None]] = {}
    with ctx.db.reading() as session:
        for pid in process_ids:
            if not process_drafts.ANY_PROCESS_ID.fullmatch(pid):
                continue
            try:
                content, draft = process_drafts.current_content(session, pid)
            except NotFound:
                continue
            found[pid] = (content, process_drafts.latest_version(session, pid), draft.updated_by if draft else None)
    return found


def _content(process_id: str, fixed: str, existing: tuple[DraftContent, int | None, str | None] | None,
             generated: dict[tuple[str, str], dict[str, Any]]) -> DraftContent:
    """The draft the import makes: the fixed file as the process's diagram, beside what the process has
    (its decision tables, forms and translations); the forms drawn for it where it has none of that key."""
    files, forms, translations = ({}, {}, {}) if existing is None else (
        dict(existing[0].files), dict(existing[0].forms), dict(existing[0].translations))
    files[f"{process_id}.bpmn"] = fixed
    for (pid, key), form in generated.items():
        if pid == process_id and key not in forms:
            forms[key] = json.dumps(form, ensure_ascii=False, indent=2) + "\n"
    return DraftContent(files, forms, translations)


def _at_upload_line(problem: Problem, name: str, process_id: str, lines: dict[str, int]) -> Problem:
    """A problem of the draft's diagram, named by the uploaded file at the line of its element there."""
    if problem.file not in (f"{process_id}.bpmn", ""):
        return problem
    line = lines.get(problem.element_id, problem.line) if problem.element_id else problem.line
    return Problem(name, line, problem.element_id, problem.message, problem.code, problem.params)


# -- the apply ---------------------------------------------------------------------------------------

def apply(ctx: AppContext, actor: str, upload: Upload, *, role: str | None, forms: bool,
          chosen: Collection[str]) -> list[str]:
    """Save the upload with only the `chosen` fixes as a draft of each process that would run; returns
    their ids. Refused as a whole (nothing saved) when a process cannot become a draft."""
    process_drafts.require_may_change(ctx, actor)
    report = read(ctx, actor, upload, role=role, forms=forms, chosen=chosen)
    errors: dict[str, str | Message] = {f"process.{p.process_id}": p.refused for p in report.parts if p.refused}
    if not report.drafts and not errors:
        errors["file"] = Message("diagram_import.nothing_runs", {"setting": 'isExecutable="true"'})
    for part in report.drafts:
        if part.content is not None:
            try:
                checked_content(part.process_id, part.content.files, part.content.forms, part.content.translations)
            except ValidationFailed as exc:
                errors.update(exc.errors)
    if errors:
        raise ValidationFailed("diagram_import.refused", errors)
    saved = []
    for part in report.drafts:
        assert part.content is not None
        if part.latest_version is None and part.draft_by is None:
            process_drafts.new_draft(ctx, actor=actor, process_id=part.process_id, name=_name(part.name))
            process_drafts.save_draft(ctx, part.process_id, actor=actor, files=part.content.files,
                                      forms=part.content.forms, translations=part.content.translations,
                                      base_version=None)
        else:
            process_drafts.save_draft(ctx, part.process_id, actor=actor, files=part.content.files,
                                      forms=part.content.forms, translations=part.content.translations)
        saved.append(part.process_id)
    drop_upload(ctx, upload.token)
    return saved


def _name(name: str) -> str:
    plain = " ".join("".join(c for c in name if c.isprintable()).split())
    return plain[:process_drafts.MAX_NAME] or "imported"
