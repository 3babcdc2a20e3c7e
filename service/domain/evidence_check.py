"""The offline check of an evidence bundle: only the zip, no database, no server.

Why it trusts nothing in the zip: the bundle travels to a third party, who must learn from this check
alone whether it is complete and untouched — so every event's hash is recomputed from its fields, the
links from seq 1 onwards, the chain files, the documents and every checksum. A hostile zip (not a zip,
a bomb, names leaving the folder, duplicated entries) is refused before anything is read from it.
What this check cannot know offline is whether the head is the server's: `manifest.json` names it, to
be compared with the server or a checkpoint.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO, Any

from . import evidence_format as fmt
from .messages import DEFAULT_LANGUAGE, Message, render

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What a bundle may be before it is read: generous for real cases, far below what hurts a machine."""

    entries: int = 200_000
    total_bytes: int = 8 * 1024 ** 3
    ratio: int = 200  # uncompressed : compressed, for entries of at least `ratio_from` bytes
    ratio_from: int = 4 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    file: str
    message: Message
    seq: int | None = None

    def render(self, lang: str = DEFAULT_LANGUAGE) -> str:
        where = self.file if self.seq is None else render("evidence.where_event", lang, file=self.file, seq=self.seq)
        return f"{where}: {self.message.render(lang)}"


@dataclass
class BundleCheck:
    problems: list[Problem] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)
    report: dict[str, Any] = field(default_factory=dict)
    events: int = 0
    documents: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, file: str, code: str, seq: int | None = None, **params: Any) -> None:
        self.problems.append(Problem(file, Message(code, params), seq))


class _Refused(Exception):
    """The zip cannot be checked further (not a zip, hostile, a required file unreadable)."""


def safe_name(name: str) -> bool:
    """A relative path that stays inside the folder it is unpacked into."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/") or ":" in name.split("/")[0]:
        return False
    return all(part not in ("", ".", "..") for part in PurePosixPath(name).parts) and not name.startswith("./")


# --- chain -------------------------------------------------------------------------------------------


def check_chain(events: list[dict[str, Any]], chain: str, instance_id: int, into: BundleCheck) -> None:
    """Seq from 1 without gaps, each event linked to the one before, each hash recomputed from its fields."""
    expected_seq, prev = 1, fmt.GENESIS
    for event in events:
        seq = event["seq"]
        if seq != expected_seq:
            into.add(fmt.EVENTS, "evidence.seq_gap", seq, expected=expected_seq, found=seq)
            return
        if event["chain"] != chain or event["instance_id"] != instance_id:
            into.add(fmt.EVENTS, "evidence.other_chain", seq, found=event["chain"], expected=chain)
        if event["prev_hash"] != prev:
            into.add(fmt.EVENTS, "evidence.link_broken", seq, found=event["prev_hash"], expected=prev)
        actual = fmt.sha256(fmt.canonical(fmt.hashed_body(event)))
        if actual != event["hash"]:
            into.add(fmt.EVENTS, "evidence.event_altered", seq, expected=event["hash"], actual=actual)
        expected_seq, prev = seq + 1, event["hash"]


_TYPES: dict[str, tuple[type, ...]] = {"chain": (str,), "seq": (int,), "instance_id": (int, type(None)), "type": (str,),
                                       "actor": (str,), "occurred_at": (str,), "payload": (dict,),
                                       "prev_hash": (str,), "hash": (str,)}


def parse_events(text: str, into: BundleCheck) -> list[dict[str, Any]] | None:
    events: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        value = _json(line, fmt.EVENTS, number, into)
        if not isinstance(value, dict):
            if value is not None:
                into.add(fmt.EVENTS, "evidence.line_not_object", line=number)
            return None
        for name, kinds in _TYPES.items():
            if name not in value or not isinstance(value[name], kinds) or isinstance(value[name], bool):
                into.add(fmt.EVENTS, "evidence.event_field", line=number, name=name)
                return None
        events.append(value)
    return events


# --- the zip -----------------------------------------------------------------------------------------


class _Bundle:
    def __init__(self, archive: zipfile.ZipFile, label: str, limits: Limits, into: BundleCheck):
        self.zip, self.label, self.into = archive, label, into
        infos = archive.infolist()
        if len(infos) > limits.entries:
            self._refuse(label, "evidence.too_many_entries", count=len(infos), max=limits.entries)
        self.files: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if not safe_name(info.filename):
                self._refuse(info.filename, "evidence.unsafe_name")
            if info.is_dir():
                continue
            if info.filename in self.files:
                self._refuse(info.filename, "evidence.duplicate_entry")
            if info.file_size >= limits.ratio_from and info.file_size > limits.ratio * max(info.compress_size, 1):
                self._refuse(info.filename, "evidence.bomb", ratio=info.file_size // max(info.compress_size, 1))
            self.files[info.filename] = info
        total = sum(info.file_size for info in self.files.values())
        if total > limits.total_bytes:
            self._refuse(label, "evidence.too_large", size=total, max=limits.total_bytes)

    def _refuse(self, file: str, code: str, **params: Any) -> None:
        self.into.add(file, code, **params)
        raise _Refused

    def chunks(self, name: str) -> Iterator[bytes]:
        try:
            with self.zip.open(self.files[name]) as stream:
                while block := stream.read(CHUNK):
                    yield block
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError, OSError) as exc:
            self._refuse(name, "evidence.entry_damaged", reason=str(exc)[:200])

    def digest(self, name: str) -> str:
        digest = hashlib.sha256()
        for block in self.chunks(name):
            digest.update(block)
        return digest.hexdigest()

    def data(self, name: str) -> bytes:
        return b"".join(self.chunks(name))

    def text(self, name: str, required: bool = True) -> str | None:
        if name not in self.files:
            if required:
                self._refuse(name, "evidence.file_missing")
            return None
        try:
            return self.data(name).decode("utf-8")
        except UnicodeDecodeError:
            self._refuse(name, "evidence.not_utf8")
        return None

    def json(self, name: str) -> dict[str, Any]:
        value = _json(self.text(name) or "", name, None, self.into)
        if not isinstance(value, dict):
            if value is not None:
                self.into.add(name, "evidence.line_not_object", line=1)
            raise _Refused
        return value

    def sums(self, name: str) -> list[tuple[int, str, str]]:
        parsed = fmt.parse_sums(self.text(name) or "")
        if isinstance(parsed, int):
            self._refuse(name, "evidence.sums_line", line=parsed)
        assert not isinstance(parsed, int)
        return parsed


def _json(text: str, file: str, line: int | None, into: BundleCheck) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        into.add(file, "evidence.json_invalid", line=line or 1, reason=str(exc)[:120])
        return None


def _check_manifest(manifest: dict[str, Any], into: BundleCheck) -> tuple[str, int, int, str]:
    if manifest.get("format") != fmt.FORMAT or manifest.get("format_version") != fmt.FORMAT_VERSION:
        into.add(fmt.MANIFEST, "evidence.not_a_bundle", format=str(manifest.get("format"))[:80],
                 version=str(manifest.get("format_version"))[:20])
        raise _Refused
    case, chain = manifest.get("case"), manifest.get("chain")
    if not (isinstance(case, dict) and isinstance(case.get("id"), int) and isinstance(chain, dict)
            and isinstance(chain.get("name"), str) and isinstance(chain.get("head_seq"), int)
            and isinstance(chain.get("head_hash"), str)):
        into.add(fmt.MANIFEST, "evidence.manifest_incomplete")
        raise _Refused
    return chain["name"], case["id"], chain["head_seq"], chain["head_hash"]


def _check_chain_files(bundle: _Bundle, events: list[dict[str, Any]], into: BundleCheck) -> None:
    wanted = [(event["hash"], fmt.relative(fmt.chain_file(event["seq"]), fmt.CHAIN_DIR)) for event in events]
    for event in events:
        name = fmt.chain_file(event["seq"])
        if name not in bundle.files:
            into.add(name, "evidence.file_missing", event["seq"])
        elif bundle.data(name) != fmt.canonical(fmt.hashed_body(event)):
            into.add(name, "evidence.chain_file_differs", event["seq"], events=fmt.EVENTS)
    listed = bundle.sums(fmt.CHAIN_SUMS)
    for (number, digest, name), (want_digest, want_name) in zip(listed, wanted, strict=False):
        if (digest, name) != (want_digest, want_name):
            into.add(fmt.CHAIN_SUMS, "evidence.chain_sums_line", line=number, expected=f"{want_digest}  {want_name}")
    if len(listed) != len(wanted):
        into.add(fmt.CHAIN_SUMS, "evidence.chain_sums_count", listed=len(listed), events=len(wanted))
    known = {fmt.chain_file(event["seq"]) for event in events} | {fmt.CHAIN_SUMS}
    for name in sorted(n for n in bundle.files if n.startswith(fmt.CHAIN_DIR) and n not in known):
        into.add(name, "evidence.chain_extra")


def _check_documents(bundle: _Bundle, into: BundleCheck) -> None:
    for _number, digest, name in bundle.sums(fmt.DOCUMENT_SUMS):
        path = fmt.DOCUMENTS_DIR + name
        folder = name.split("/")[0]
        if not name.startswith("archive/") and folder != digest:
            into.add(path, "evidence.document_folder", digest=digest)
        if path not in bundle.files:
            into.add(path, "evidence.file_missing")
        else:
            actual = bundle.digest(path)
            if actual != digest:
                into.add(path, "evidence.checksum_mismatch", expected=digest, actual=actual)
        into.documents += 1


def _check_checkpoint(report: dict[str, Any], events: list[dict[str, Any]], into: BundleCheck) -> None:
    """The checkpoint the server had recorded for this chain must name one of the bundle's events."""
    checkpoint = report.get("checkpoint")
    if not isinstance(checkpoint, dict):
        return
    seq, digest = checkpoint.get("recorded_seq"), checkpoint.get("recorded_hash")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        return
    if seq > len(events) or events[seq - 1]["hash"] != digest:
        into.add(fmt.REPORT_JSON, "evidence.checkpoint_differs", seq, hash=str(digest)[:64])


def _check_top_sums(bundle: _Bundle, into: BundleCheck) -> None:
    listed = bundle.sums(fmt.SUMS)
    names = set()
    for _number, digest, name in listed:
        names.add(name)
        if name not in bundle.files:
            into.add(name, "evidence.file_missing")
            continue
        actual = bundle.digest(name)
        if actual != digest:
            into.add(name, "evidence.checksum_mismatch", expected=digest, actual=actual)
    for name in sorted(set(bundle.files) - names - {fmt.SUMS}):
        into.add(name, "evidence.file_unlisted", sums=fmt.SUMS)


def check_bundle(source: str | IO[bytes], label: str = "", limits: Limits = Limits()) -> BundleCheck:
    """Every problem of the bundle, in the order a reader should see them (the first names the worst)."""
    into = BundleCheck()
    label = label or (source if isinstance(source, str) else "bundle")
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        into.add(label, "evidence.not_zip")
        return into
    with archive:
        try:
            bundle = _Bundle(archive, label, limits, into)
            into.manifest = bundle.json(fmt.MANIFEST)
            chain, instance_id, head_seq, head_hash = _check_manifest(into.manifest, into)
            events = parse_events(bundle.text(fmt.EVENTS) or "", into)
            if events is None:
                return into
            into.events = len(events)
            check_chain(events, chain, instance_id, into)
            last = events[-1] if events else {"seq": 0, "hash": fmt.GENESIS}
            if (last["seq"], last["hash"]) != (head_seq, head_hash):
                into.add(fmt.MANIFEST, "evidence.head_differs", seq=head_seq, hash=head_hash,
                         last_seq=last["seq"], last_hash=last["hash"])
            _check_chain_files(bundle, events, into)
            _check_documents(bundle, into)
            into.report = bundle.json(fmt.REPORT_JSON)
            _check_checkpoint(into.report, events, into)
            _check_top_sums(bundle, into)
        except _Refused:
            pass
    return into
