"""Validate and deploy process bundles: a new version only when content changed.

Each executable process of the files given is a bundle (see `engine/checks_sources.py`: files may
have any name and hold several processes; ids come from the content): the file holding it, stored as
`<process_id>.bpmn`, the decision tables named after it (`<process_id>*.dmn`) or called by it, the
diagrams of the processes it calls, its forms (`forms/<process_id>/*.form`) and their English beside
them (`<process_id>.en.json`, `<formKey>.en.json`), stored with the version. Running cases stay on
the version they started with; new cases take the latest.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain import form_translation as words_rules
from service.domain import forms as form_rules
from service.domain.messages import Message
from service.domain.roles import ROLES, role_for_lane
from service.engine import lint, serializer
from service.engine.checks import sources as checks_sources
from service.engine.definitions import ParsedBundle, parse_bundle
from service.engine.problems import DefinitionInvalid, Problem
from service.engine.xml_safety import XmlRejected, as_utf8, parse_xml
from service.persistence.audit import append_event
from service.persistence.models import ProcessDefinition
from service.service_tasks.registry import signatures

from .context import AppContext
from .deploy_translations import translation_problems, translation_texts


@dataclass
class Bundle:
    process_id: str
    files: dict[str, bytes]
    forms: dict[str, str]
    form_sources: dict[str, str]
    # stored name (`<process_id>.en.json`, `forms/<formKey>.en.json`) → the file as read; and where it lies
    translations: dict[str, bytes] = field(default_factory=dict)
    translation_sources: dict[str, str] = field(default_factory=dict)
    # stored name (`<process_id>.bpmn`) → the name the file was given as, which problems name
    file_sources: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DeployResult:
    process_id: str
    version: int
    created: bool


def bundle_from_path(path: Path, forms_root: Path) -> Bundle:
    """The bundle of the process a diagram file holds (the first executable one when it holds several)."""
    found = bundles_from_paths([path], forms_root)
    named = [b for b in found if b.process_id == checks_sources.stem(path.name)]
    if not found:  # nothing refused it, nothing to deploy either (a file changing while it is read)
        raise DefinitionInvalid([Problem.said(path.name, None, "", Message("sources.no_executable_process", {
            "setting": 'isExecutable="true"'}))])
    return (named or found)[0]


def bundles_from_paths(paths: list[Path], forms_root: Path) -> list[Bundle]:
    """One bundle per executable process in the files and folders given; DefinitionInvalid when a file
    cannot be read, holds nothing to run, or a folder holds no diagram."""
    bundles, problems = discover(paths, forms_root)
    if problems:
        raise DefinitionInvalid(problems)
    return bundles


def discover(paths: list[Path], forms_root: Path) -> tuple[list[Bundle], list[Problem]]:
    """Every process to deploy from `paths` (any file names: the ids come from the content), and what
    keeps files from deploying. Called processes and decision tables are looked for among the files
    given and those beside them."""
    problems: list[Problem] = []
    folders: dict[Path, list[checks_sources.Source]] = {}
    unreadable: dict[Path, list[Problem]] = {}  # a neighbour's problem is said only when it is given
    given: list[checks_sources.Source] = []
    for path in paths:
        if path.is_dir():
            inside = _folder_sources(path, folders, unreadable)
            problems.extend(unreadable.get(path, []))
            diagrams = [s for s in inside if s.kind == "bpmn"]
            if not diagrams and not unreadable.get(path):
                problems.append(Problem.said(str(path), None, "", Message("sources.no_diagram_in_folder", {
                    "folder": str(path), "kinds": checks_sources.KINDS})))
            given.extend(diagrams)
        elif path.is_file():
            neighbours = _folder_sources(path.parent, folders, unreadable)
            source = next((s for s in neighbours if s.shown == path.name), None)
            if source is None:
                source = checks_sources.readable(path.name, path.read_bytes(), str(path.parent), problems)
            if source is not None and source.kind == "dmn":
                problems.append(Problem.said(path.name, 1, "", Message("sources.decisions_alone")))
            elif source is not None:
                given.append(source)
    problems.extend(checks_sources.source_problems(given))
    library = checks_sources.Library(s for inside in folders.values() for s in inside)
    bundles: list[Bundle] = []
    seen: set[str] = set()
    for source in given:
        for pid, executable in source.processes.items():
            if executable and pid not in seen and checks_sources.DEPLOYABLE_ID.fullmatch(pid):
                seen.add(pid)
                stem_tables = [s for s in folders.get(Path(source.folder), []) if s.kind == "dmn"
                               and fnmatch.fnmatchcase(s.shown, f"{pid}*.dmn")]
                planned = library.plan(pid, source, stem_tables)
                bundles.append(_bundle_of(planned, _forms_root_for(Path(source.folder) / source.shown, forms_root)))
    return bundles, problems


def bundles_from_uploads(files: dict[str, bytes], forms: dict[str, str]) -> list[Bundle]:
    """One bundle per executable process in uploaded diagrams (any names; the decision tables sent go
    with every one of them, called processes are found among the diagrams sent)."""
    problems: list[Problem] = []
    sources = [s for name, data in files.items() if (s := checks_sources.readable(name, data, "", problems))]
    given = [s for s in sources if s.kind == "bpmn"]
    problems.extend(checks_sources.source_problems(s for s in sources if s.kind != "dmn"))
    if not given and not problems:
        problems.append(Problem.said("", None, "", Message("sources.no_diagram_sent", {"kinds": checks_sources.KINDS})))
    if problems:
        raise DefinitionInvalid(problems)
    library = checks_sources.Library(sources)
    tables = [s for s in sources if s.kind == "dmn"]
    plans = [library.plan(pid, source, tables) for source in given
             for pid, executable in source.processes.items() if executable]
    return [Bundle(p.process_id, p.files, dict(forms), {k: f"{k}.form" for k in forms}, file_sources=p.shown)
            for p in plans]


def _folder_sources(folder: Path, cache: dict[Path, list[checks_sources.Source]],
                    unreadable: dict[Path, list[Problem]]) -> list[checks_sources.Source]:
    """The diagrams and decision tables of a folder, read once; XML of other kinds is left alone there."""
    if folder not in cache:
        found = []
        problems = unreadable.setdefault(folder, [])
        for path in sorted(p for p in folder.iterdir() if p.is_file() and checks_sources.is_diagram_name(p.name)):
            source = checks_sources.readable(path.name, path.read_bytes(), str(folder), problems)
            if source is not None and (source.kind != "other" or not path.name.lower().endswith(".xml")):
                found.append(source)
        cache[folder] = found
    return cache[folder]


def _bundle_of(planned: checks_sources.Planned, forms_root: Path) -> Bundle:
    """The planned files with the forms of the processes it runs (`forms/<process_id>/`) and the English
    beside each diagram and form."""
    forms: dict[str, str] = {}
    sources: dict[str, str] = {}
    stems = [checks_sources.stem(name) for name in planned.files if name.endswith(".bpmn")]
    # the process's own forms first, then those of the processes it calls (same key: its own wins)
    for folder_id in [planned.process_id] + sorted(set(stems) | set(planned.runs)):
        folder = forms_root / folder_id
        for form_file in sorted(folder.glob("*.form")) if folder.is_dir() else []:
            if form_file.stem not in forms:
                forms[form_file.stem] = form_file.read_text(encoding="utf-8")
                sources[form_file.stem] = str(form_file)
    bundle = Bundle(planned.process_id, dict(planned.files), forms, sources, file_sources=dict(planned.shown))
    for name in [n for n in planned.files if n.endswith(".bpmn")]:
        own = checks_sources.stem(name)
        folder = Path(planned.folders.get(name) or ".")
        beside = folder / f"{own}.bpmn"
        given_as = checks_sources.stem(planned.shown.get(name, name))
        if not (folder / f"{own}.en.json").is_file() and (folder / f"{given_as}.en.json").is_file():
            beside = folder / f"{given_as}.bpmn"
        _read_translation(bundle, words_rules.diagram_words_name(own), beside)
    for key, source in sources.items():
        _read_translation(bundle, words_rules.form_words_name(key), Path(source))
    return bundle


def _read_translation(bundle: Bundle, stored_name: str, beside: Path) -> None:
    """The translation file beside a diagram or form, when there is one (where it belongs, either way)."""
    found = beside.with_name(f"{beside.stem}.en.json")
    bundle.translation_sources[stored_name] = str(found)
    if found.is_file():
        bundle.translations[stored_name] = found.read_bytes()


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
    parsed, forms, _warnings = _checked(bundle)
    return parsed, forms


def _checked(bundle: Bundle) -> tuple[ParsedBundle, dict[str, Any], list[Problem]]:
    """The parsed bundle, its loaded forms and the warnings (missing English) — or DefinitionInvalid;
    every problem names the file as it was given (`order.bpmn20.xml`), not as it is stored."""
    try:
        parsed, forms, warnings = _checked_as_stored(bundle)
    except DefinitionInvalid as exc:
        raise DefinitionInvalid(_as_given(exc.problems, bundle)) from None
    return parsed, forms, _as_given(warnings, bundle)


def _as_given(problems: list[Problem], bundle: Bundle) -> list[Problem]:
    shown = bundle.file_sources
    return [dataclasses.replace(p, file=shown[p.file]) if p.file in shown else p for p in problems]


def _checked_as_stored(bundle: Bundle) -> tuple[ParsedBundle, dict[str, Any], list[Problem]]:
    files = _utf8_files(bundle)
    try:
        parsed = parse_bundle(bundle.process_id, files, operations=signatures(), resolve_role=role_for_lane,
                              roles=sorted(ROLES))
    except DefinitionInvalid as exc:
        raise DefinitionInvalid(_explained(exc.problems, bundle, files)) from None
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
            problems.append(Problem.said(main_file, _line_of(files.get(main_file), element), element, Message(
                "deploy.form_not_found", {"form": key, "path": f"forms/{bundle.process_id}/{key}.form"})))
    refused, warnings = translation_problems(bundle, files, forms)
    problems.extend(refused)
    lint_problems, lint_warnings = lint.bundle_report(parsed, forms)
    problems.extend(lint_problems)
    if problems:
        raise DefinitionInvalid(problems)
    warnings.extend(lint_warnings)
    parsed.files.update(translation_texts(bundle))
    return parsed, forms, warnings


def _explained(problems: list[Problem], bundle: Bundle, files: dict[str, bytes]) -> list[Problem]:
    """The engine's own sentences ("No start event found", "Non-default exclusive outgoing sequence
    flow without condition") replaced by the lint's, which say where and what to do, when the lint
    finds the cause; the engine's words stay when it does not."""
    if any(p.code for p in problems):
        return problems
    try:
        found = lint.bundle_problems(ParsedBundle(bundle.process_id, None, {}, {}, dict(files)), {})
    except Exception:  # the lint reads diagrams the engine accepted; this one it refused
        return problems
    return [p for p in found if p.code not in _NEEDS_FORMS] or problems


# what the lint says about variables only holds with the forms loaded, which the engine's refusal came before
_NEEDS_FORMS = frozenset({"lint.condition_unknown", "lint.loop_condition_unknown", "lint.collection_unknown",
                          "lint.cardinality_unknown", "lint.unless_called_sets"})


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
    """Of the UTF-8 files and the forms: the same diagram in another encoding is no new version.

    The files include the translations: a changed translation is a new version, so a running case
    keeps the words it started with and the version says exactly what a reader was shown."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(f"file:{name}\0".encode())
        digest.update(files[name])
    for key in sorted(forms):
        digest.update(f"form:{key}\0".encode())
        digest.update(forms[key].encode("utf-8"))
    return digest.hexdigest()


def deploy_bundle(ctx: AppContext, bundle: Bundle, *, actor: str,
                  within: Callable[[Session, int], None] | None = None) -> DeployResult:
    """A new version unless the content is that of the latest one. Going back to an older content is
    a new version too, so new cases take what the owner deployed last. `within(session, latest)` runs
    in the deploy's transaction before anything is stored (a draft's own checks and clean-up)."""
    parsed, forms = check_bundle(bundle)
    digest = content_hash(parsed.files, bundle.forms)
    with ctx.db.transaction() as session:
        current = session.execute(select(ProcessDefinition).where(
            ProcessDefinition.process_id == bundle.process_id).order_by(ProcessDefinition.version.desc())
            .limit(1).with_for_update()).scalar_one_or_none()
        latest = current.version if current is not None else 0
        if within is not None:
            within(session, latest)
        if current is not None and current.content_hash == digest:
            return DeployResult(bundle.process_id, current.version, created=False)
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


def bundle_report(bundle: Bundle) -> tuple[list[Problem], list[Problem]]:
    """One bundle's problems (refusing a deploy) and warnings, as `validate` prints them for files."""
    try:
        return [], _checked(bundle)[2]
    except DefinitionInvalid as exc:
        return list(exc.problems), []


def validate_paths(paths: list[Path], forms_root: Path) -> list[Problem]:
    return validation_report(paths, forms_root)[0]


def validation_report(paths: list[Path], forms_root: Path) -> tuple[list[Problem], list[Problem]]:
    """What refuses a deploy (problems), and what only lacks English (warnings), one line each."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for path in paths:
        if not path.exists():
            problems.append(Problem.said(str(path), None, "", Message("deploy.no_such_path")))
    bundles, found = discover([p for p in paths if p.exists()], forms_root)
    problems.extend(found)
    for bundle in bundles:
        try:
            warnings.extend(_checked(bundle)[2])
        except DefinitionInvalid as exc:
            problems.extend(p for p in exc.problems if p not in problems)  # a file shared by two processes
    return problems, sorted(set(warnings), key=lambda p: (p.file, p.line or 0, p.element_id, p.message))


def add_uploaded_translations(bundle: Bundle, uploads: dict[str, bytes]) -> None:
    """Translation files sent with an uploaded diagram: `<process_id>.en.json` beside a diagram of the
    bundle, any other `<formKey>.en.json` beside that form (checked with the rest by `check_bundle`)."""
    diagrams = {Path(name).stem for name in bundle.files if name.endswith(".bpmn")}
    for name, data in uploads.items():
        stem = name.removesuffix(".en.json")
        stored = words_rules.diagram_words_name(stem) if stem in diagrams else words_rules.form_words_name(stem)
        bundle.translations[stored] = data
        bundle.translation_sources[stored] = name
