"""Validate and deploy process bundles: a new version only when content changed.

A bundle is `<process_id>.bpmn`, the decision tables named after it
(`<process_id>*.dmn`), the diagrams of the processes it calls, and its forms
(`forms/<process_id>/*.form`). Running cases stay on the version they
started with; new cases take the latest.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from service.domain import forms as form_rules
from service.domain.roles import role_for_lane
from service.engine import serializer
from service.engine.definitions import BPMN, ParsedBundle, parse_bundle
from service.engine.problems import DefinitionInvalid, Problem
from service.engine.xml_safety import XmlRejected, as_utf8, parse_xml
from service.persistence.audit import append_event
from service.persistence.models import ProcessDefinition
from service.service_tasks.registry import signatures

from .context import AppContext


@dataclass
class Bundle:
    process_id: str
    files: dict[str, bytes]
    forms: dict[str, str]
    form_sources: dict[str, str]


@dataclass(frozen=True)
class DeployResult:
    process_id: str
    version: int
    created: bool


def _called_processes(data: bytes, name: str) -> set[str]:
    try:
        tree = parse_xml(data, name)
    except XmlRejected:
        return set()  # reported by parse_bundle with its line
    return {n.get("calledElement") for n in tree.iter(f"{{{BPMN}}}callActivity") if n.get("calledElement")}


def bundle_from_path(path: Path, forms_root: Path) -> Bundle:
    process_id = path.stem
    files = {path.name: path.read_bytes()}
    for dmn in sorted(path.parent.glob(f"{process_id}*.dmn")):
        files[dmn.name] = dmn.read_bytes()
    pending = _called_processes(files[path.name], path.name)
    while pending:
        called = pending.pop()
        candidate = path.parent / f"{called}.bpmn"
        if candidate.exists() and candidate.name not in files:
            files[candidate.name] = candidate.read_bytes()
            pending |= _called_processes(files[candidate.name], candidate.name)
    forms: dict[str, str] = {}
    sources: dict[str, str] = {}
    # the process's own forms first, then those of the processes it calls (same key: its own wins)
    for folder_id in [process_id] + sorted(Path(name).stem for name in files if name.endswith(".bpmn")):
        folder = forms_root / folder_id
        for form_file in sorted(folder.glob("*.form")) if folder.is_dir() else []:
            if form_file.stem not in forms:
                forms[form_file.stem] = form_file.read_text(encoding="utf-8")
                sources[form_file.stem] = str(form_file)
    return Bundle(process_id, files, forms, sources)


def bundles_from_paths(paths: list[Path], forms_root: Path) -> list[Bundle]:
    found: list[Path] = []
    for p in paths:
        found.extend(sorted(p.glob("*.bpmn")) if p.is_dir() else [p])
    # every process is deployed on its own, called ones too: a proposal can be written without a request
    return [bundle_from_path(p, _forms_root_for(p, forms_root)) for p in found]


def _forms_root_for(path: Path, default: Path) -> Path:
    beside = path.resolve().parent.parent / "forms"
    return beside if beside.is_dir() else default


def _utf8_files(bundle: Bundle) -> dict[str, bytes]:
    """Every file as the UTF-8 text that is checked, stored and served, whatever it arrived in."""
    files: dict[str, bytes] = {}
    problems: list[Problem] = []
    for name, data in bundle.files.items():
        try:
            files[name] = as_utf8(data, name)
        except XmlRejected as exc:
            problems.append(Problem(name, exc.line, "", exc.message))
    if problems:
        raise DefinitionInvalid(problems)
    return files


def check_bundle(bundle: Bundle) -> tuple[ParsedBundle, dict[str, Any]]:
    """Everything `validate` promises; raises DefinitionInvalid listing every problem.

    `validate` and deploy (from files or uploaded) both come through here, so they
    accept and refuse the same diagrams; the parsed bundle carries the UTF-8 files.
    """
    files = _utf8_files(bundle)
    parsed = parse_bundle(bundle.process_id, files, operations=signatures(), resolve_role=role_for_lane)
    problems: list[Problem] = []
    forms: dict[str, Any] = {}
    for key, text in bundle.forms.items():
        source = bundle.form_sources.get(key, f"{key}.form")
        try:
            forms[key] = form_rules.load_form(text, source)
        except form_rules.FormError as exc:
            problems.append(Problem(source, getattr(exc, "line", None), key, str(exc)))
    wanted = {t["form"]: element for element, t in parsed.metadata["tasks"].items() if t.get("form")}
    if parsed.metadata.get("start_form"):
        wanted[parsed.metadata["start_form"]] = "start"
    main_file = f"{bundle.process_id}.bpmn"
    for key, element in sorted(wanted.items()):
        if key not in bundle.forms:
            problems.append(Problem(main_file, _line_of(files.get(main_file), element), element,
                                    f"form '{key}' not found (expected forms/{bundle.process_id}/{key}.form)"))
    if problems:
        raise DefinitionInvalid(problems)
    return parsed, forms


def _line_of(data: bytes | None, element_id: str) -> int | None:
    if not data:
        return None
    try:
        tree = parse_xml(data, "x")
    except XmlRejected:
        return None
    found = tree.xpath("//*[@id=$id]", id=element_id)
    return found[0].sourceline if found else None


def content_hash(files: dict[str, bytes], forms: dict[str, str]) -> str:
    """Of the UTF-8 files and the forms: the same diagram in another encoding is no new version."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(f"file:{name}\0".encode())
        digest.update(files[name])
    for key in sorted(forms):
        digest.update(f"form:{key}\0".encode())
        digest.update(forms[key].encode("utf-8"))
    return digest.hexdigest()


def deploy_bundle(ctx: AppContext, bundle: Bundle, *, actor: str) -> DeployResult:
    parsed, forms = check_bundle(bundle)
    digest = content_hash(parsed.files, bundle.forms)
    with ctx.db.transaction() as session:
        same = session.execute(select(ProcessDefinition).where(
            ProcessDefinition.process_id == bundle.process_id, ProcessDefinition.content_hash == digest)
        ).scalar_one_or_none()
        if same is not None:
            return DeployResult(bundle.process_id, same.version, created=False)
        latest = session.execute(select(func.max(ProcessDefinition.version)).where(
            ProcessDefinition.process_id == bundle.process_id)).scalar() or 0
        definition = ProcessDefinition(
            process_id=bundle.process_id, version=latest + 1, name=parsed.metadata["name"], content_hash=digest,
            files={name: data.decode("utf-8") for name, data in parsed.files.items()}, forms=forms,
            meta=parsed.metadata, spec_json=serializer.dump_specs(parsed.spec, parsed.subprocess_specs),
            deployed_at=ctx.now(), deployed_by=actor,
        )
        session.add(definition)
        session.flush()
        append_event(session, type="deployed", actor=actor, at=ctx.now(), payload={
            "process_id": bundle.process_id, "version": definition.version, "content_hash": digest,
            "files": sorted(parsed.files), "forms": sorted(forms)})
        return DeployResult(bundle.process_id, definition.version, created=True)


def validate_paths(paths: list[Path], forms_root: Path) -> list[Problem]:
    problems: list[Problem] = []
    for path in paths:
        if not path.exists():
            problems.append(Problem(str(path), None, "", "no such file or directory"))
    existing = [p for p in paths if p.exists()]
    for bundle in bundles_from_paths(existing, forms_root):
        try:
            check_bundle(bundle)
        except DefinitionInvalid as exc:
            problems.extend(exc.problems)
    return problems
