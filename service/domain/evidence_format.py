"""The layout of a case's evidence bundle: file names, the canonical bytes of an event, checksum lists.

Why one module for the writer and the offline checker: the bundle is a contract with a third party who
checks it with `sha256sum` alone, so both sides must agree byte for byte on what an event's hashed body
is and how a checksum line is written. An event's hash is the SHA-256 of its canonical JSON (sorted
keys, no spaces, UTF-8, non-ASCII kept) over chain, seq, instance_id, type, actor, occurred_at (UTC,
microseconds), payload and prev_hash — so `chain/000007.json` holds exactly those bytes and
`chain/SHA256SUMS` lists the event's hash as that file's digest.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

FORMAT = "guicheng-evidence-bundle"
FORMAT_VERSION = 1
GENESIS = "0" * 64  # the prev_hash of a chain's first event

MANIFEST = "manifest.json"
EVENTS = "events.jsonl"
CHAIN_DIR = "chain/"
DOCUMENTS_DIR = "documents/"
VERSIONS_DIR = "versions/"
SUMS = "SHA256SUMS"
CHAIN_SUMS = CHAIN_DIR + SUMS
DOCUMENT_SUMS = DOCUMENTS_DIR + SUMS
REPORT_JSON = "report.json"
REPORT_TXT = "report.txt"
README = "README.txt"

HASHED_FIELDS = ("chain", "seq", "instance_id", "type", "actor", "occurred_at", "payload", "prev_hash")
EVENT_FIELDS = (*HASHED_FIELDS, "hash")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
SUMS_LINE = re.compile(r"^(?P<digest>[0-9a-f]{64}) [ *](?P<name>.+)$")


def canonical(body: dict[str, Any]) -> bytes:
    """The bytes an event's hash is taken over."""
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hashed_body(event: dict[str, Any]) -> dict[str, Any]:
    """The part of an `events.jsonl` line that its hash covers."""
    return {name: event.get(name) for name in HASHED_FIELDS}


def chain_file(seq: int) -> str:
    """`chain/000007.json`: sorts in chain order, as `ls` and `sha256sum` list them."""
    return f"{CHAIN_DIR}{seq:06d}.json"


def version_dir(version: int) -> str:
    return f"{VERSIONS_DIR}v{version}/"


def document_path(sha: str, name: str) -> str:
    """An upload `upload:<sha256>/<name>` lies at `documents/<sha256>/<name>`: its folder names its digest."""
    return f"{DOCUMENTS_DIR}{sha}/{name}"


def archive_path(path: str) -> str:
    return f"{DOCUMENTS_DIR}archive/{path}"


def sums_text(entries: list[tuple[str, str]]) -> str:
    """`sha256sum` output: digest, two spaces, name, one line each."""
    return "".join(f"{digest}  {name}\n" for digest, name in entries)


def parse_sums(text: str) -> list[tuple[int, str, str]] | int:
    """(line number, digest, name) per line; the number of the first malformed line instead."""
    found: list[tuple[int, str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = SUMS_LINE.fullmatch(line)
        if match is None:
            return number
        found.append((number, match["digest"], match["name"]))
    return found


def relative(name: str, folder: str) -> str:
    """A bundle path as a checksum list inside `folder` names it."""
    return name[len(folder):] if folder and name.startswith(folder) else name
