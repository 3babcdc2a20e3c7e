"""Which processes the given files hold, and which files each of them needs to run.

Diagrams drawn elsewhere are named anything (`order.bpmn20.xml`, `diagram_1.bpmn`) and may hold
several processes and the collaboration joining them, so a process is known by the id in its
content, never by its file's name. Every executable process becomes one bundle: the file holding
it, the files holding the processes it calls (found by `calledElement` among the files given) and
the decision tables it calls. Inside a bundle the files are stored under the names the rest of the
product reads (`<process_id>.bpmn`, `<name>.dmn`); `shown` keeps the name the owner gave, which is
the one every problem names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from lxml import etree

from service.domain.messages import Message

from ..problems import Problem
from ..xml_safety import XmlRejected, parse_xml

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
DMN_NAMESPACES = frozenset({"http://www.omg.org/spec/DMN/20151101/dmn.xsd", "http://www.omg.org/spec/DMN/20180521/MODEL/",
                            "https://www.omg.org/spec/DMN/20191111/MODEL/"})
KINDS = ".bpmn, .bpmn20.xml, .xml"  # how the messages name the diagrams a folder may hold
DIAGRAM_SUFFIXES = (".bpmn20.xml", ".bpmn", ".dmn11.xml", ".dmn.xml", ".dmn", ".xml")
# a process id names URLs, database rows and the stored file `<process_id>.bpmn`
DEPLOYABLE_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,127}")
_STORED_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,120}")


def stem(name: str) -> str:
    """`order.bpmn20.xml` → `order`: the file's name without what says it is a diagram."""
    base = name.rsplit("/", 1)[-1]
    for suffix in DIAGRAM_SUFFIXES:
        if base.lower().endswith(suffix):
            return base[: -len(suffix)]
    return base.rsplit(".", 1)[0] if "." in base else base


def is_diagram_name(name: str) -> bool:
    return name.lower().endswith(DIAGRAM_SUFFIXES)


@dataclass
class Source:
    """One file as given: its name, its bytes and what it holds."""

    shown: str
    data: bytes
    folder: str = ""
    kind: str = "other"  # "bpmn", "dmn" or "other" (XML of some other kind)
    processes: dict[str, bool] = field(default_factory=dict)  # id → executable, in document order
    lines: dict[str, int] = field(default_factory=dict)  # process id → its line
    calls: dict[str, set[str]] = field(default_factory=dict)  # process id → the processes it calls
    decisions_called: set[str] = field(default_factory=set)
    decisions: list[str] = field(default_factory=list)  # DMN: the decisions it holds
    empty: set[str] = field(default_factory=set)  # executable processes drawn without a single step


_NOT_STEPS = frozenset({"laneSet", "documentation", "extensionElements", "ioSpecification", "property"})


def _has_steps(process: etree._Element) -> bool:
    return any(isinstance(c.tag, str) and etree.QName(c).localname not in _NOT_STEPS for c in process)


def read_source(shown: str, data: bytes, folder: str = "") -> Source:
    """What a file holds; XmlRejected when it is no XML the product reads."""
    source = Source(shown, data, folder)
    root = parse_xml(data, shown).getroot()
    namespace = etree.QName(root).namespace if isinstance(root.tag, str) else None
    if namespace == BPMN and etree.QName(root).localname == "definitions":
        source.kind = "bpmn"
        for process in root.iter(f"{{{BPMN}}}process"):
            pid = process.get("id") or ""
            # the engine's own rule: an absent isExecutable means executable; a pool drawn empty runs nothing
            source.processes[pid] = process.get("isExecutable", "true") == "true" and _has_steps(process)
            if process.get("isExecutable", "true") == "true" and not _has_steps(process):
                source.empty.add(pid)
            source.lines[pid] = process.sourceline or 0
            source.calls[pid] = {n.get("calledElement") or "" for n in process.iter(f"{{{BPMN}}}callActivity")}
        source.decisions_called = {(n.text or "").strip() for n in root.iter(f"{{{SPIFF}}}calledDecisionId")}
    elif namespace in DMN_NAMESPACES:
        source.kind = "dmn"
        source.decisions = [n.get("id") or "" for n in root
                            if isinstance(n.tag, str) and etree.QName(n).localname == "decision"]
    return source


def stored_dmn_name(source: Source, taken: Iterable[str]) -> str:
    """The name a decision file is stored under: its own (`.dmn`) when it is a plain one, else one
    made from its name or first decision, as the editor keeps files."""
    taken = set(taken)
    own = stem(source.shown)
    for candidate in (own, *(d for d in source.decisions)):
        if _STORED_NAME.fullmatch(candidate) and f"{candidate}.dmn" not in taken:
            return f"{candidate}.dmn"
    number = 1
    while f"decisions_{number}.dmn" in taken:
        number += 1
    return f"decisions_{number}.dmn"


@dataclass
class Planned:
    """The files of one process's bundle: stored name → bytes, and the name each was given as."""

    process_id: str
    files: dict[str, bytes]
    shown: dict[str, str]
    folders: dict[str, str]  # stored name → the folder it came from ("" when uploaded)
    runs: list[str]  # the process and those it calls that the bundle holds

    def add(self, name: str, source: Source) -> None:
        self.files[name], self.shown[name], self.folders[name] = source.data, source.shown, source.folder


class Library:
    """Every file a deploy may draw on: those given and their neighbours (called processes, tables)."""

    def __init__(self, sources: Iterable[Source]):
        self.sources = list(sources)
        self.by_process: dict[str, list[Source]] = {}
        self.by_decision: dict[str, list[Source]] = {}
        for source in self.sources:
            for pid in source.processes:
                self.by_process.setdefault(pid, []).append(source)
            for decision in source.decisions:
                self.by_decision.setdefault(decision, []).append(source)

    def _holder(self, found: dict[str, list[Source]], key: str, near: Source) -> Source | None:
        holders = found.get(key, [])
        same_folder = [s for s in holders if s.folder == near.folder]
        found_in = same_folder or holders
        return found_in[0] if found_in else None

    def plan(self, process_id: str, source: Source, stem_tables: Iterable[Source] = ()) -> Planned:
        """The bundle of `process_id` (held by `source`): its file, the files of the processes it calls
        and the decision tables they call (`stem_tables`: those named after the process, as before)."""
        main = f"{process_id}.bpmn"
        planned = Planned(process_id, {main: source.data}, {main: source.shown}, {main: source.folder}, [process_id])
        included = [source]
        for table in stem_tables:
            planned.add(stored_dmn_name(table, planned.files), table)
            included.append(table)
        pending = sorted(source.calls.get(process_id, set()))
        while pending:
            called = pending.pop(0)
            if not called or called in planned.runs:
                continue
            holder = next((s for s in included if called in s.processes), None)
            if holder is None:
                holder = self._holder(self.by_process, called, source)
                if holder is None:
                    continue  # the lint names the call whose process is missing
                planned.add(f"{called}.bpmn", holder)
                included.append(holder)
            planned.runs.append(called)
            pending.extend(sorted(holder.calls.get(called, set())))
        held = {d for s in included for d in s.decisions}
        for decision in sorted({d for s in included if s.kind == "bpmn" for d in s.decisions_called} - held):
            found = self._holder(self.by_decision, decision, source)
            if found is None or found in included:
                continue  # the check names the decision no table holds
            planned.add(stored_dmn_name(found, planned.files), found)
            included.append(found)
            held |= set(found.decisions)
        return planned


def source_problems(given: Iterable[Source]) -> list[Problem]:
    """What keeps the given files from deploying before any process is read: no process to run, a
    process id the product cannot use, one process id in two files."""
    problems: list[Problem] = []
    seen: dict[str, Source] = {}
    for source in given:
        if source.kind == "other":
            problems.append(Problem.said(source.shown, 1, "", Message("sources.not_a_diagram")))
            continue
        if source.kind == "bpmn" and not any(source.processes.values()):
            if source.empty:
                problems.extend(Problem.said(source.shown, source.lines.get(pid), pid, Message(
                    "sources.empty_process", {"setting": 'isExecutable="false"'})) for pid in sorted(source.empty))
            else:
                code = "sources.no_executable_process" if source.processes else "sources.no_process"
                problems.append(Problem.said(source.shown, _first_line(source), "", Message(code, {
                    "setting": 'isExecutable="true"'})))
        for pid, executable in source.processes.items():
            if not executable:
                continue
            if not DEPLOYABLE_ID.fullmatch(pid):
                problems.append(Problem.said(source.shown, source.lines.get(pid), pid, Message(
                    "sources.process_id_unusable", {"id": pid[:80]})))
            other = seen.get(pid)
            if other is not None and other is not source:
                problems.append(Problem.said(source.shown, source.lines.get(pid), pid, Message(
                    "sources.process_id_twice", {"id": pid, "other": other.shown})))
            seen.setdefault(pid, source)
    return problems


def _first_line(source: Source) -> int:
    return min(source.lines.values(), default=1) or 1


def readable(shown: str, data: bytes, folder: str, problems: list[Problem]) -> Source | None:
    """The file's contents, or None with its problem added (malformed, hostile or too large XML)."""
    try:
        return read_source(shown, data, folder)
    except XmlRejected as exc:
        problems.append(Problem(shown, exc.line, "", exc.message))
        return None
