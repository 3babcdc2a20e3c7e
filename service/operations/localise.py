"""What a reader sees, in their language: forms, task, process and element names of a deployed version.

Called at the edge (API views, pages) with the reader's language; the stored case keeps the
words of the diagram. Chinese is the diagrams' own language, so `zh` changes nothing. The English
comes from the translation files deployed with the version (a running case keeps its version's
words), read once per version and kept for the life of the process: a list of tasks costs no
query per task.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree
from sqlalchemy import func, select

from service.domain import form_translation as words_rules
from service.domain.case_moves import SIGNER_FORM_WORDS
from service.domain.roles import role_for_lane, role_label
from service.engine.definitions import BPMN
from service.engine.xml_safety import XmlRejected, parse_xml
from service.persistence.models import ProcessDefinition, ProcessInstance

from .context import AppContext

ENGLISH = "en"
_LOCK = threading.Lock()
_CACHE_ATTRIBUTE = "_version_words"  # on the AppContext: its versions, its database


@dataclass(frozen=True)
class VersionWords:
    """The English of one deployed version: its own diagram, the diagrams it calls, their forms."""

    process_name: str | None = None
    elements: dict[str, str] = field(default_factory=dict)  # element id → English (own diagram wins)
    by_name: dict[str, str] = field(default_factory=dict)  # Chinese element name → English
    process_names: dict[str, str] = field(default_factory=dict)  # process id (own and called) → English
    forms: dict[str, dict[str, str]] = field(default_factory=dict)  # form key → its words
    words: dict[str, str] = field(default_factory=dict)  # every form's words together
    chinese: dict[str, str] = field(default_factory=dict)  # element id → its Chinese name (as `elements`)
    own_elements: dict[str, str] = field(default_factory=dict)  # the own diagram's alone (for serving it)

    def element(self, element_id: str | None, name: str | None) -> str | None:
        """By id; by name when the id belongs to another diagram of the bundle (a called process)."""
        by_id = self.elements.get(element_id or "")
        if by_id and (not name or self.chinese.get(element_id or "") == name):
            return by_id
        return self.by_name.get(name or "") or by_id or name

    def form_words(self, form_key: str | None) -> dict[str, str]:
        own = self.forms.get(form_key or "")
        return {**self.words, **own} if own else self.words


def words_of(files: Mapping[str, str], process_id: str) -> VersionWords:
    """The English in the files of a version as stored (see deploy: translations beside the diagrams)."""
    elements: dict[str, str] = {}
    by_name: dict[str, str] = {}
    process_names: dict[str, str] = {}
    chinese: dict[str, str] = {}
    own: dict[str, str] = {}
    diagrams = sorted((n for n in files if n.endswith(".bpmn")), key=lambda n: n != f"{process_id}.bpmn")
    for name in reversed(diagrams):  # the own diagram last, so its names win
        diagram_id = Path(name).stem
        words = _diagram_words(files.get(words_rules.diagram_words_name(diagram_id)))
        if words.name:
            process_names[diagram_id] = words.name
        elements.update(words.elements)
        own = words.elements
        for element_id, written in _names_in(files[name]).items():
            if element_id in words.elements:
                by_name[written] = words.elements[element_id]
                chinese[element_id] = written
    forms = {key: _form_words(text) for key, text in _form_files(files)}
    merged: dict[str, str] = {}
    for key in sorted(forms):
        merged.update(forms[key])
    return VersionWords(process_names.get(process_id), elements, by_name, process_names, forms, merged, chinese,
                        own if diagrams and diagrams[0] == f"{process_id}.bpmn" else {})


def _form_files(files: Mapping[str, str]) -> Iterable[tuple[str, str]]:
    prefix, suffix = words_rules.form_words_name("\0").split("\0")
    for name, text in files.items():
        if name.startswith(prefix) and name.endswith(suffix):
            yield name[len(prefix):-len(suffix)], text


def _diagram_words(text: str | None) -> words_rules.DiagramWords:
    try:
        return words_rules.read_diagram_words(text) if text else words_rules.DiagramWords()
    except words_rules.TranslationInvalid:  # checked at deploy; an old row is no reason to fail a page
        return words_rules.DiagramWords()


def _form_words(text: str) -> dict[str, str]:
    try:
        return words_rules.read_form_words(text)
    except words_rules.TranslationInvalid:
        return {}


def _names_in(xml: str) -> dict[str, str]:
    try:
        tree = parse_xml(xml.encode("utf-8"), "diagram.bpmn")
    except XmlRejected:
        return {}
    return {el.get("id"): el.get("name") for el in tree.iter() if el.get("id") and el.get("name")}


def version_words(ctx: AppContext, process_id: str, version: int) -> VersionWords:
    """The English of one version, read from the database once (a version never changes)."""
    key = (process_id, int(version))
    with _LOCK:
        cache: dict[tuple[str, int], VersionWords] = ctx.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
        if key in cache:
            return cache[key]
    with ctx.db.reading() as session:
        files = session.execute(select(ProcessDefinition.files).where(
            ProcessDefinition.process_id == process_id, ProcessDefinition.version == version)).scalar()
    found = words_of(files or {}, process_id)
    with _LOCK:
        cache[key] = found
    return found


def _wants(lang: str) -> bool:
    return lang == ENGLISH


# -- the functions the edge calls -----------------------------------------------------------------------------------


def localise_task(ctx: AppContext, task: dict[str, Any], lang: str) -> dict[str, Any]:
    """A task dict (as `queries.task_dict`) with its name, process name and form in `lang`."""
    if not _wants(lang) or "process_id" not in task or "version" not in task:
        return task
    words = version_words(ctx, task["process_id"], task["version"])
    out = dict(task)
    out["name"] = words.element(task.get("element_id"), task.get("name"))
    if task.get("process_name"):
        out["process_name"] = words.process_name or task["process_name"]
    if task.get("form"):
        own = SIGNER_FORM_WORDS if task.get("kind") == "signer" else words.form_words(task.get("form_key"))
        out["form"] = words_rules.translate_form(task["form"], own)
    return out


def localise_case(ctx: AppContext, case: dict[str, Any], lang: str) -> dict[str, Any]:
    """A case dict (as `queries.get_instance`) with process, task and element names in `lang`.

    Also a row of the case lists (`process_name`, `current_tasks`), and, when the dict carries them,
    `events` (their element names), `element_names` and `forms` (the labels of the case data).
    """
    if not _wants(lang) or "process_id" not in case or "version" not in case:
        return case
    words = version_words(ctx, case["process_id"], case["version"])
    out = dict(case)
    for key in ("name", "process_name"):
        if case.get(key):
            out[key] = words.process_name or case[key]
    if case.get("open_tasks"):
        out["open_tasks"] = [localise_task(ctx, t, lang) for t in case["open_tasks"]]
    if case.get("current_tasks"):  # rows of the case lists name their tasks only
        out["current_tasks"] = [{**t, "name": words.element(t.get("element_id"), t.get("name"))}
                                for t in case["current_tasks"]]
    if case.get("events"):
        out["events"] = localise_events(ctx, case["process_id"], case["version"], case["events"], lang)
    if case.get("element_names"):
        out["element_names"] = localise_element_names(ctx, case["process_id"], case["version"],
                                                      case["element_names"], lang)
    if case.get("forms"):
        out["forms"] = localise_forms(ctx, case["process_id"], case["version"], case["forms"], lang)
    return out


def localise_form(ctx: AppContext, process_id: str, version: int, form: dict[str, Any] | None,
                  lang: str) -> dict[str, Any] | None:
    """A form-js form with labels, options, descriptions and texts in `lang`."""
    if not _wants(lang) or not form:
        return form
    words = version_words(ctx, process_id, version)
    return words_rules.translate_form(form, words.form_words(_key_of(words, form)))


def _key_of(words: VersionWords, form: Mapping[str, Any]) -> str | None:
    """The form key of a form by its id (`Form_<process>_<formKey>` by habit); else all forms' words serve."""
    form_id = str(form.get("id") or "")
    keys = [k for k in words.forms if form_id == k or form_id.endswith(f"_{k}")]
    return max(keys, key=len) if keys else None


def localise_forms(ctx: AppContext, process_id: str, version: int, forms: Mapping[str, Any],
                   lang: str) -> dict[str, Any]:
    """Every form of a version (form key → form), e.g. for the labels of the case data."""
    if not _wants(lang):
        return dict(forms)
    words = version_words(ctx, process_id, version)
    return {key: words_rules.translate_form(form, words.form_words(key)) if isinstance(form, dict) else form
            for key, form in forms.items()}


def localise_events(ctx: AppContext, process_id: str, version: int, events: list[dict[str, Any]],
                    lang: str) -> list[dict[str, Any]]:
    """Audit events (as `queries.history`) whose payload names an element: that name in `lang`.

    The stored events keep the words they were written with; only the copy shown is translated."""
    if not _wants(lang):
        return events
    words = version_words(ctx, process_id, version)
    out = []
    for event in events:
        payload = event.get("payload")
        if isinstance(payload, dict) and payload.get("name") and isinstance(payload["name"], str):
            payload = {**payload, "name": words.element(payload.get("element_id"), payload["name"])}
            event = {**event, "payload": payload}
        out.append(event)
    return out


def localise_element_names(ctx: AppContext, process_id: str, version: int, names: Mapping[str, str],
                           lang: str) -> dict[str, str]:
    """Element id → name (as `inbox.element_names`), in `lang`."""
    if not _wants(lang):
        return dict(names)
    words = version_words(ctx, process_id, version)
    return {element_id: words.element(element_id, name) or name for element_id, name in names.items()}


def localise_process(ctx: AppContext, process: dict[str, Any], lang: str) -> dict[str, Any]:
    """A process dict (a deployed definition, or one the reader may start): name and start form."""
    if not _wants(lang) or "process_id" not in process or "version" not in process:
        return process
    words = version_words(ctx, process["process_id"], process["version"])
    out = {**process, "name": words.process_name or process.get("name")}
    if process.get("form"):
        out["form"] = words_rules.translate_form(process["form"], words.form_words(_key_of(words, process["form"])))
    return out


def localise_processes(ctx: AppContext, processes: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    return [localise_process(ctx, p, lang) for p in processes] if _wants(lang) else processes


def localise_rows(ctx: AppContext, rows: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Rows of a list: tasks (inbox, done) or cases (case lists); each row has its process and version."""
    if not _wants(lang):
        return rows
    return [localise_task(ctx, r, lang) if "element_id" in r else localise_case(ctx, r, lang) for r in rows]


def localise_process_choices(ctx: AppContext, choices: list[tuple[str, str]], lang: str) -> list[tuple[str, str]]:
    """(process id, name) pairs of the filters, each named as its latest version names it."""
    if not _wants(lang) or not choices:
        return choices
    with ctx.db.reading() as session:
        latest = dict(session.execute(select(ProcessDefinition.process_id, func.max(ProcessDefinition.version))
                                      .group_by(ProcessDefinition.process_id)).all())
    return [(pid, (version_words(ctx, pid, latest[pid]).process_name or name) if pid in latest else name)
            for pid, name in choices]


def localise_diagram(ctx: AppContext, process_id: str, version: int, xml: str, lang: str) -> str:
    """The BPMN XML as served to the viewer, its names in `lang`: elements from the translation,
    lanes by their role, pools and processes by the process name. Only names change."""
    if not _wants(lang):
        return xml
    words = version_words(ctx, process_id, version)
    try:
        tree = parse_xml(xml.encode("utf-8"), f"{process_id}.bpmn")
    except XmlRejected:
        return xml
    processes = {p.get("id"): p for p in tree.iter(f"{{{BPMN}}}process")}
    for node in tree.iter():
        if not isinstance(node.tag, str) or not node.get("name"):
            continue
        english = _english_name(etree.QName(node).localname, node, words, processes)
        if english:
            node.set("name", english)
    return etree.tostring(tree, encoding="unicode")


def _english_name(kind: str, node: etree._Element, words: VersionWords,
                  processes: Mapping[str, etree._Element]) -> str | None:
    if kind == "lane":
        role = role_for_lane(node.get("name"))
        return role_label(role, ENGLISH) if role else None
    if kind == "process":
        return words.process_names.get(node.get("id") or "")
    if kind == "participant":
        return words.process_names.get(node.get("processRef") or "") or (
            words.process_name if node.get("processRef") in processes else None)
    return words.own_elements.get(node.get("id") or "")


def localise_case_events(ctx: AppContext, instance_id: int, events: list[dict[str, Any]],
                         lang: str) -> list[dict[str, Any]]:
    """A case's history (as `queries.history`) in `lang`: the case's version says which words."""
    if not _wants(lang) or not events:
        return events
    with ctx.db.reading() as session:
        found = session.execute(select(ProcessDefinition.process_id, ProcessDefinition.version)
                                .join(ProcessInstance, ProcessInstance.definition_id == ProcessDefinition.id)
                                .where(ProcessInstance.id == instance_id)).first()
    return localise_events(ctx, found[0], found[1], events, lang) if found else events
