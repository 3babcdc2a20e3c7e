"""The frames of the step-through page: a case replayed from its log, as it stood after each event.

Each frame is drawn from the replayed workflow itself, not from what the events say about it: the path
on the diagram of the version the case ran on at that moment, the case data changed by the event, the
documents the case held then. So the page shows what the replay reproduces, next to the verdict of the
same log. The log is read once; each version's diagram is read, parsed and sent once, however many
frames it serves. A frame costs a walk of the task tree and a copy of the case variables — never a
serialisation of the state.

Every field at every step is shown, including those a customer contact is not shown: only viewers
who read all cases (auditor, admin, process owner) may see the frames.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain.documents import REFERENCE, document_variables
from service.engine import runner
from service.persistence.models import ProcessDefinition, ProcessInstance, User

from .access import load_viewer
from .case_store import case_or_missing
from .context import AppContext
from .diagram_path import DiagramShape, diagram_shape, path_of
from .errors import Forbidden
from .localise import localise_diagram, version_words
from .replay import replay_log
from .replay_log import CaseLog, LoggedEvent, read_case_log
from .step_services import as_logged

NO_PATH: dict[str, Any] = {"completed": [], "active": [], "cancelled": [], "flows": [], "passes": {}}
COMPLETIONS = frozenset({"task_completed"})  # a person's pass through a task (退回 rewinds the tree)


@dataclass
class _Frames:
    """Collects one frame per event while the replay walks the log."""

    ctx: AppContext
    lang: str
    diagrams: dict[int, str]
    shapes: dict[int, DiagramShape] = field(default_factory=dict)
    frames: list[dict[str, Any]] = field(default_factory=list)
    done: Counter[str] = field(default_factory=Counter)
    data: dict[str, Any] = field(default_factory=dict)

    def __call__(self, event: LoggedEvent, workflow: Any, definition: ProcessDefinition | None, status: str) -> None:
        if event.type in COMPLETIONS and event.payload.get("element_id"):
            self.done[str(event.payload["element_id"])] += 1
        data = as_logged(runner.case_data(workflow)) if workflow is not None else self.data
        path = path_of(workflow, self._shape(definition), dict(self.done)) if workflow is not None else NO_PATH
        self.frames.append({
            "index": len(self.frames), "seq": event.seq, "event_id": event.id, "type": event.type,
            "actor": event.actor, "at": _local(self.ctx, event.at),
            "role": event.payload.get("role"), "status": status,
            "element_id": event.payload.get("element_id"), "name": self._name(event, definition),
            "definition_id": definition.id if definition else None,
            "version": definition.version if definition else None,
            "path": path, "changes": _changes(self.data, data), "documents": _documents(data),
            "payload": _shown_payload(event.payload)})
        self.data = data

    def _shape(self, definition: ProcessDefinition | None) -> DiagramShape:
        if definition is None:
            return DiagramShape({}, {})
        if definition.id not in self.shapes:
            xml = self.diagrams.get(definition.id)
            self.shapes[definition.id] = diagram_shape(xml) if xml else DiagramShape({}, {})
        return self.shapes[definition.id]

    def _name(self, event: LoggedEvent, definition: ProcessDefinition | None) -> str | None:
        """The element the event names, in the reader's language (the version's own words)."""
        name = event.payload.get("name")
        if definition is None or not isinstance(name, str):
            return name if isinstance(name, str) else None
        if self.lang != "en":
            return name
        words = version_words(self.ctx, definition.process_id, definition.version)
        return words.element(event.payload.get("element_id"), name)


def _diagrams(session: Session, log: CaseLog) -> dict[int, str]:
    """The own diagram of each version the log says the case ran on: the one it started on, the ones
    it moved to (read here, while the session is open; a version's files are loaded on demand)."""
    ids = set()
    for event in log.events:
        if event.type == "case_started":
            started = log.version(str(event.payload.get("process_id")), event.payload.get("version"))
            ids |= {started.id} if started else set()
        elif event.type == "migrated" and isinstance(event.payload.get("to_definition_id"), int):
            ids.add(event.payload["to_definition_id"])
    rows = session.execute(select(ProcessDefinition.id, ProcessDefinition.process_id, ProcessDefinition.files)
                           .where(ProcessDefinition.id.in_(sorted(ids))))
    return {i: str(files[f"{process_id}.bpmn"]) for i, process_id, files in rows if (files or {}).get(
        f"{process_id}.bpmn")}


def _changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"field": name, "old": before.get(name), "new": after.get(name)}
            for name in sorted(set(before) | set(after)) if before.get(name) != after.get(name)]


def _documents(data: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for variable, refs in document_variables(data):
        for ref in refs:
            match = REFERENCE.fullmatch(ref)
            if match:
                found.append({"field": variable, "name": match["name"], "reference": ref, "sha256": match["sha"]})
    return found


def _shown_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """What a sentence about the event needs; the engine's inputs (data, seeds, hashes) are in the frame."""
    hidden = {"data", "engine_seed", "state_sha256", "params", "result", "removed"}
    return {k: v for k, v in payload.items() if k not in hidden}


def _versions(ctx: AppContext, log: CaseLog, diagrams: dict[int, str], frames: list[dict[str, Any]],
              lang: str) -> list[dict[str, Any]]:
    """The versions the frames use, each with its diagram as the reader's language names it."""
    used = list(dict.fromkeys(f["definition_id"] for f in frames if f["definition_id"] is not None))
    out = []
    for definition_id in used:
        definition = log.versions[definition_id]
        xml = diagrams.get(definition_id, "")
        words = version_words(ctx, definition.process_id, definition.version) if lang == "en" else None
        out.append({"definition_id": definition.id, "process_id": definition.process_id,
                    "version": definition.version, "name": (words.process_name if words else None) or definition.name,
                    "xml": localise_diagram(ctx, definition.process_id, definition.version, xml, lang)})
    return out


def _summary(ctx: AppContext, instance: ProcessInstance, log: CaseLog, lang: str) -> dict[str, Any]:
    definition = log.versions.get(instance.definition_id)
    words = version_words(ctx, instance.process_id, definition.version) if definition and lang == "en" else None
    return {"id": instance.id, "process_id": instance.process_id,
            "name": (words.process_name if words else None) or (definition.name if definition else ""),
            "version": definition.version if definition else None, "business_key": instance.business_key,
            "customer": instance.customer, "status": instance.status, "started_by": instance.started_by,
            "started_at": _local(ctx, instance.started_at), "completed_at": _local(ctx, instance.completed_at)}


def _local(ctx: AppContext, moment: datetime | None) -> str | None:
    return moment.astimezone(ctx.tz).isoformat() if moment else None


def _display_names(ctx: AppContext, actors: set[str]) -> dict[str, str]:
    with ctx.db.reading() as session:
        rows = session.execute(select(User.username, User.display_name).where(User.username.in_(sorted(actors))))
        return {str(name): str(shown) for name, shown in rows}


def replay_frames(ctx: AppContext, instance_id: int, *, actor: str | None, lang: str = "zh") -> dict[str, Any]:
    """The case, its versions with their diagrams, one frame per event, and the replay's verdict.

    `actor` must read all cases (None: the command line). A replay that diverges has frames up to the
    event before the divergence; the verdict names that event."""
    with ctx.db.reading() as session:
        if actor is not None and not load_viewer(session, actor).reads_all:
            raise Forbidden("replay_pages.not_allowed", user=actor, case=instance_id)
        log = read_case_log(session, instance_id)
        case = _summary(ctx, case_or_missing(session, instance_id), log, lang)
        diagrams = _diagrams(session, log)
    collect = _Frames(ctx, lang, diagrams)
    verdict = replay_log(ctx, log, on_event=collect).as_dict(lang)  # diverging: frames up to there
    names = _display_names(ctx, {e.actor for e in log.events} | {case["started_by"] or ""})
    for frame in collect.frames:
        frame["actor_name"] = names.get(frame["actor"], frame["actor"])
    case["started_by_name"] = names.get(case["started_by"] or "", case["started_by"])
    return {"case": case, "versions": _versions(ctx, log, diagrams, collect.frames, lang),
            "frames": collect.frames, "events": len(log.events), "verdict": verdict}
