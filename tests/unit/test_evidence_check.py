"""The offline check of an evidence bundle, on bundles made here: the canonical bytes agree with the audit
log's own hash, and hostile zips (bombs, too many entries, traversal, duplicates) are refused by name."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from typing import Any

import pytest

from service.domain import evidence_format as fmt
from service.domain.evidence_check import Limits, check_bundle, safe_name
from service.operations.evidence_bundle import CaseRecord, write_bundle
from service.operations.evidence_report import build_report
from service.persistence.audit import event_hash

AT = datetime(2026, 9, 30, 3, 0, tzinfo=UTC)


class _Replayed:
    ok = True

    def as_dict(self, lang: str) -> dict[str, Any]:
        return {"ok": True, "events": 2}

    def said(self, lang: str) -> str:
        return "replayed"


def _events() -> list[dict[str, Any]]:
    events, prev = [], fmt.GENESIS
    for seq, (kind, payload) in enumerate([("case_started", {"data": {"customer": "欧莱雅", "n": 2.5}}),
                                           ("task_completed", {"data": {"备注": "已完成"}})], start=1):
        digest = event_hash(chain="case:7", seq=seq, instance_id=7, type=kind, actor="sales1", occurred_at=AT,
                            payload=payload, prev_hash=prev)
        events.append({"chain": "case:7", "seq": seq, "instance_id": 7, "type": kind, "actor": "sales1",
                       "occurred_at": AT.isoformat(timespec="microseconds"), "payload": payload,
                       "prev_hash": prev, "hash": digest})
        prev = digest
    return events


def _bundle() -> bytes:
    events = _events()
    head = (2, events[-1]["hash"])
    record = CaseRecord({"id": 7}, "case:7", head, events, [], {"covered": False}, AT, "auditor1", 1)
    out = io.BytesIO()
    write_bundle(record, [], build_report(7, "case:7", head, events, [], _Replayed(), {"covered": False}), out)
    return out.getvalue()


def _zip(entries: list[tuple[str, bytes]]) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, data in entries:
            bundle.writestr(name, data)
    out.seek(0)
    return out


def _first(source: Any, limits: Limits | None = None) -> str:
    problems = check_bundle(source, "b.zip", limits or Limits()).problems
    assert problems
    return problems[0].render("en")


def test_a_bundle_whose_hashes_are_the_audit_logs_own_verifies():
    checked = check_bundle(io.BytesIO(_bundle()))
    assert checked.ok, [p.render("en") for p in checked.problems]
    assert checked.events == 2 and checked.manifest["chain"]["head_seq"] == 2


def test_the_chain_file_is_the_canonical_body_whose_sha256_is_the_hash():
    event = _events()[0]
    assert fmt.sha256(fmt.canonical(fmt.hashed_body(event))) == event["hash"]
    assert "欧莱雅".encode() in fmt.canonical(fmt.hashed_body(event))  # not \\u-escaped


def test_a_bomb_is_refused_before_it_is_unpacked():
    said = _first(_zip([("documents/zeros.txt", bytes(16 * 1024 * 1024))]))
    assert said.startswith("documents/zeros.txt: compression ratio 10") and "(a zip bomb?); not unpacked" in said


def test_too_many_entries_or_bytes_are_refused():
    entries = [(f"f{i}.txt", b"abc") for i in range(6)]
    assert "6 entries, more than the limit of 5" in _first(_zip(entries), Limits(entries=5))
    assert "18 bytes, more than the limit of 10 bytes" in _first(_zip(entries), Limits(total_bytes=10))


@pytest.mark.filterwarnings("ignore:Duplicate name")  # the hostile zip is made that way on purpose
def test_names_that_leave_the_folder_and_duplicates_are_refused():
    for name in ("../x", "a/../../x", "/etc/passwd", "C:/x", "a\\..\\x", "./x"):
        assert not safe_name(name), name
        assert "unsafe entry name" in _first(_zip([(name, b"x")])), name
    assert safe_name("documents/archive/2026/欧莱雅/case-1/实施规划.docx")
    duplicated = _zip([("manifest.json", b"{}"), ("manifest.json", b"{}")])
    assert _first(duplicated) == "manifest.json: an entry of this name appears more than once"


def test_not_a_zip_and_garbage_inside_are_named():
    assert _first(io.BytesIO(b"PK\x03\x04 broken")) == "b.zip: not a readable zip file"
    assert _first(_zip([("manifest.json", b"[1")])).startswith("manifest.json: line 1 is not valid JSON")
    assert _first(_zip([("manifest.json", b'{"format": "other"}')])).startswith(
        "manifest.json: not an evidence bundle of this product")
    data = _bundle()
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        entries = [(n, bundle.read(n)) for n in bundle.namelist()]
    broken = [(n, b'{"seq": "one"}\n' if n == fmt.EVENTS else d) for n, d in entries]
    assert _first(_zip(broken)) == "events.jsonl: the event on line 1 lacks the field chain or it has the wrong type"
    deep = [(n, b"[" * 100000 + b"\n" if n == fmt.EVENTS else d) for n, d in entries]
    assert "not valid JSON" in _first(_zip(deep))
