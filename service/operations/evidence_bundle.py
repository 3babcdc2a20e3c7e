"""Export one case's evidence bundle: its chain, its versions' diagrams and forms, its documents, a report.

Why one transaction for the read and the record of the export: the `evidence_exported` event (on the
system chain — on the case's own chain it would move the very head being exported) names the head the
bundle holds, so the record and the bundle always agree. The case row is locked meanwhile, so no step
of the case slips in between. Documents, the replay and the zip come after, outside the lock. The
layout is `domain.evidence_format`'s; docs/evidence.md describes it for the people who check it.
"""

from __future__ import annotations

import importlib.metadata
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from service.adapters.archive_store import DocumentStore
from service.domain import evidence_format as fmt
from service.domain.documents import REFERENCE, references_within
from service.domain.evidence_check import safe_name
from service.persistence.audit import append_event, case_chain, recorded_heads
from service.persistence.models import Event, ProcessDefinition, ProcessInstance

from .access import load_viewer
from .case_store import lock_instance
from .context import AppContext
from .errors import Forbidden, NotFound
from .evidence_report import build_report, readme_text, report_text

COMMAND_LINE = "cli"  # who the record names when the export runs at the server's console


@dataclass
class CaseRecord:
    """What the export transaction read: the case, its chain, its versions, the last checkpoint's view."""

    case: dict[str, Any]
    chain: str
    head: tuple[int, str]
    events: list[dict[str, Any]]
    versions: list[dict[str, Any]]
    checkpoint: dict[str, Any]
    exported_at: datetime
    exported_by: str
    export_event: int


@dataclass(frozen=True)
class Document:
    kind: str  # upload, archive
    path: str  # inside the bundle
    sha256: str
    name: str
    variable: str
    status: str  # ok, missing, damaged
    data: bytes | None = None

    def listed(self) -> dict[str, Any]:
        return {"kind": self.kind, "path": self.path, "sha256": self.sha256, "name": self.name,
                "variable": self.variable, "status": self.status}


@dataclass(frozen=True)
class ExportSummary:
    instance_id: int
    events: int
    head_seq: int
    head_hash: str
    chain_ok: bool
    documents: int
    document_problems: int
    replay_ok: bool | None
    checkpoint_covered: bool
    report: dict[str, Any] = field(default_factory=dict)


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat(timespec="microseconds") if value else None


def _event_line(event: Event) -> dict[str, Any]:
    return {"chain": event.chain, "seq": event.seq, "instance_id": event.instance_id, "type": event.type,
            "actor": event.actor, "occurred_at": _iso(event.occurred_at), "payload": event.payload,
            "prev_hash": event.prev_hash, "hash": event.hash}


def _versions(session: Session, instance: ProcessInstance, events: list[Event]) -> list[ProcessDefinition]:
    """The versions the case ran on: where it started, where each migration took it, where it is now."""
    ids, numbers = {instance.definition_id}, set()
    for event in events:
        if event.type == "case_started" and isinstance(event.payload.get("version"), int):
            numbers.add(event.payload["version"])
        if event.type == "migrated":
            ids |= {v for k in ("from_definition_id", "to_definition_id")
                    if isinstance(v := event.payload.get(k), int)}
    rows = session.execute(select(ProcessDefinition).where(or_(
        ProcessDefinition.id.in_(ids),
        (ProcessDefinition.process_id == instance.process_id) & ProcessDefinition.version.in_(numbers))))
    return sorted(rows.scalars(), key=lambda d: (d.process_id, d.version))


def _checkpoint(session: Session, chain: str, head: tuple[int, str]) -> dict[str, Any]:
    heads, last = recorded_heads(session)
    recorded = heads.get(chain)
    return {"checkpoint_id": last.id if last else None, "created_at": _iso(last.created_at) if last else None,
            "recorded_seq": recorded[0] if recorded else None, "recorded_hash": recorded[1] if recorded else None,
            "covered": recorded == head}


def read_case(ctx: AppContext, instance_id: int, actor: str | None) -> CaseRecord:
    """Check the reader, read the case's record and log the export: one transaction."""
    by = actor or COMMAND_LINE
    with ctx.db.transaction() as session:
        if actor is not None and not load_viewer(session, actor).reads_all:
            raise Forbidden("evidence.not_allowed", user=actor, case=instance_id)
        instance = lock_instance(session, instance_id)
        if instance.status == "starting":
            raise NotFound("case.missing", case=instance_id)
        chain, head = case_chain(instance.id), (instance.chain_seq or 0, instance.chain_hash or fmt.GENESIS)
        rows = session.execute(select(Event).where(Event.chain == chain).order_by(Event.seq, Event.id)).scalars().all()
        versions = [{"process_id": d.process_id, "version": d.version, "name": d.name,
                     "content_hash": d.content_hash, "deployed_at": _iso(d.deployed_at), "deployed_by": d.deployed_by,
                     "files": dict(d.files or {}), "forms": dict(d.forms or {})}
                    for d in _versions(session, instance, list(rows))]
        case = {"id": instance.id, "process_id": instance.process_id, "business_key": instance.business_key,
                "customer": instance.customer, "status": instance.status, "started_by": instance.started_by,
                "started_at": _iso(instance.started_at), "completed_at": _iso(instance.completed_at)}
        checkpoint = _checkpoint(session, chain, head)
        now = ctx.now()
        record = append_event(session, type="evidence_exported", actor=by, at=now, payload={
            "instance_id": instance.id, "head_seq": head[0], "head_hash": head[1], "by": by})
        return CaseRecord(case, chain, head, [_event_line(e) for e in rows], versions, checkpoint, now, by,
                          record.seq)


# --- documents ----------------------------------------------------------------------------------------


def _archived(events: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The copies archiving recorded (its service result: path under the archive, checksum)."""
    for event in events:
        payload = event["payload"]
        if event["type"] == "service_task" and payload.get("operation") == "archive_documents":
            for entry in payload.get("result") or []:
                if isinstance(entry, dict) and isinstance(entry.get("path"), str):
                    yield entry


def _read(path: Path, root: Path, sha: str) -> tuple[str, bytes | None]:
    if not path.resolve().is_relative_to(root.resolve()) or not path.is_file():
        return "missing", None
    data = path.read_bytes()
    return ("ok", data) if fmt.sha256(data) == sha else ("damaged", None)


def collect_documents(ctx: AppContext, events: list[dict[str, Any]]) -> list[Document]:
    store = DocumentStore(ctx.settings.home)
    found: dict[str, Document] = {}
    for event in events:
        for variable, reference in references_within(event["payload"]):
            match = REFERENCE.fullmatch(reference)
            path = fmt.document_path(match["sha"], match["name"]) if match else ""
            if match is None or path in found:
                continue
            status, data = _read(store.uploads / match["sha"] / match["name"], store.uploads, match["sha"])
            found[path] = Document("upload", path, match["sha"], match["name"], variable, status, data)
    for entry in _archived(events):
        sha, relative = str(entry.get("sha256") or ""), entry["path"]
        path = fmt.archive_path(relative)
        if path in found or not safe_name(relative) or not fmt.SHA256.fullmatch(sha):
            continue
        status, data = _read(store.archive / relative, store.archive, sha)
        found[path] = Document("archive", path, sha, str(entry.get("name") or relative),
                               str(entry.get("document") or ""), status, data)
    return list(found.values())


# --- the zip ------------------------------------------------------------------------------------------


class _Writer:
    """Entries of the zip with the digest of each (for SHA256SUMS); UTF-8 names are flagged by zipfile."""

    def __init__(self, out: IO[bytes], at: datetime):
        self.zip = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED)
        self.date = at.astimezone(UTC).timetuple()[:6]
        self.digests: dict[str, str] = {}

    def add(self, name: str, data: bytes | str) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        self.zip.writestr(zipfile.ZipInfo(name, self.date), raw, compress_type=zipfile.ZIP_DEFLATED)
        self.digests[name] = fmt.sha256(raw)

    def close(self) -> None:
        self.add(fmt.SUMS, fmt.sums_text([(digest, name) for name, digest in sorted(self.digests.items())]))
        self.zip.close()


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _manifest(record: CaseRecord) -> dict[str, Any]:
    return {"format": fmt.FORMAT, "format_version": fmt.FORMAT_VERSION, "product": "guicheng",
            "product_version": importlib.metadata.version("guicheng"), "case": record.case,
            "versions": [{k: v for k, v in version.items() if k not in ("files", "forms")}
                         | {"folder": fmt.version_dir(version["version"]), "files": sorted(version["files"]),
                            "forms": sorted(version["forms"])} for version in record.versions],
            "chain": {"name": record.chain, "events": len(record.events), "head_seq": record.head[0],
                      "head_hash": record.head[1]},
            "exported_at": _iso(record.exported_at), "exported_by": record.exported_by,
            "export_event": {"chain": "system", "seq": record.export_event}}


def _write_versions(writer: _Writer, versions: list[dict[str, Any]]) -> None:
    for version in versions:
        folder = fmt.version_dir(version["version"])
        for name, text in sorted(version["files"].items()):
            if safe_name(name):
                writer.add(folder + name, text)
        for key, text in sorted(version["forms"].items()):
            if safe_name(key):
                writer.add(f"{folder}forms/{key}.form", text if isinstance(text, str) else _json_text(text))


def write_bundle(record: CaseRecord, documents: list[Document], report: dict[str, Any], out: IO[bytes]) -> None:
    writer = _Writer(out, record.exported_at)
    writer.add(fmt.README, readme_text(record.case["id"]))
    writer.add(fmt.MANIFEST, _json_text(_manifest(record)))
    writer.add(fmt.EVENTS, "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in record.events))
    for event in record.events:
        writer.add(fmt.chain_file(event["seq"]), fmt.canonical(fmt.hashed_body(event)))
    writer.add(fmt.CHAIN_SUMS, fmt.sums_text([(e["hash"], fmt.relative(fmt.chain_file(e["seq"]), fmt.CHAIN_DIR))
                                              for e in record.events]))
    _write_versions(writer, record.versions)
    present = [d for d in documents if d.data is not None]
    for document in present:
        writer.add(document.path, document.data or b"")
    writer.add(fmt.DOCUMENT_SUMS, fmt.sums_text([(d.sha256, fmt.relative(d.path, fmt.DOCUMENTS_DIR))
                                                 for d in present]))
    writer.add(fmt.REPORT_JSON, _json_text(report))
    writer.add(fmt.REPORT_TXT, report_text(report))
    writer.close()


def _replay(ctx: AppContext, instance_id: int) -> Any:
    from .replay import replay_case  # the replay engine: the report carries its verdict

    return replay_case(ctx, instance_id)


def export_bundle(ctx: AppContext, instance_id: int, out: IO[bytes], *, actor: str | None) -> ExportSummary:
    """Write the case's bundle to `out` (`actor` None: the server's console, no permission check)."""
    record = read_case(ctx, instance_id, actor)
    documents = collect_documents(ctx, record.events)
    report = build_report(record.case["id"], record.chain, record.head, record.events, documents,
                          _replay(ctx, instance_id), record.checkpoint)
    write_bundle(record, documents, report, out)
    return ExportSummary(instance_id, len(record.events), record.head[0], record.head[1], report["chain"]["ok"],
                         len(documents), sum(d.status != "ok" for d in documents), report["replay"]["ok"],
                         bool(record.checkpoint["covered"]), report)
