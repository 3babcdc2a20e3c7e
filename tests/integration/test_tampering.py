"""Tampering with any stored record is caught by `guicheng audit verify` and named.

A few cases of the demo organisation are built once per database (one finished and archived, one at
work with an uploaded plan, one just applied for), a checkpoint is written, and each test then edits a
fresh copy with raw SQL or on disk, the way someone with database or file access would, and runs the
real command and the operation on it.

Instance data (`process_instances.data`) is derived: the case's variables read out of the stored engine
state for pages, lists and search. `audit verify` protects the state itself (the events' `state_sha256`);
an edit of the derived data alone is caught by replay, which rebuilds the case from its events and
compares the variables, status, open tasks and timers it arrives at with the stored ones.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, create_engine, text

from service.adapters.clock import FrozenClock
from service.config import Settings
from service.operations import background, queries
from service.operations.audit_verify import AuditReport, verify_audit
from service.operations.context import AppContext
from service.operations.errors import Forbidden
from service.persistence.audit import state_digest
from service.persistence.db import Database
from tests.conftest import DEFAULT_NOW, _admin_url
from tests.processes.walk import advance_to, do, start
from tests.support.cli import cli_env, run_cli

STATE_EVENTS = {"case_started", "task_completed", "timer_fired", "task_sent_back", "migrated",
                "changed_by_linked_case"}


@dataclass(frozen=True)
class Built:
    url: str
    home: Path
    finished: int
    working: int
    applied: int


def _context(url: str, home: Path) -> AppContext:
    return AppContext(settings=Settings(home=home, database_url=url, secret_key="test-secret"), db=Database(url),
                      clock=FrozenClock(DEFAULT_NOW))


def _build(url: str, home: Path) -> Built:
    ctx = _context(url, home)
    finished = start(ctx)
    advance_to(ctx, finished, "weekly_report")
    do(ctx, finished, "weekly_report")
    working = start(ctx, project="邮件系统迁移")
    advance_to(ctx, working, "work")
    applied = start(ctx, project="桌面云评估")
    assert background.checkpoint_if_due(ctx, force=True)
    ctx.db.dispose()
    return Built(url, home, finished, working, applied)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    home = tmp_path_factory.mktemp("tamper-home")
    if request.param == "sqlite":
        target = home / "built.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), target)
        yield _build(f"sqlite:///{target}", home)
        return
    template = request.getfixturevalue("postgres_template")
    name = f"guicheng_tamper_{uuid.uuid4().hex[:8]}"
    admin = create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield _build(_admin_url(name), home)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


class Copy:
    """A fresh copy of the built database and home, with the means to tamper with it and to verify it."""

    def __init__(self, built: Built, url: str, home: Path):
        self.built, self.url, self.home = built, url, home
        self.ctx = _context(url, home)

    def sql(self, statement: str, **params: Any) -> list[Any]:
        with self.ctx.db.engine.begin() as conn:
            result = conn.execute(text(statement), params)
            return list(result) if result.returns_rows else []

    def events(self, case: int) -> list[Any]:
        return self.sql("SELECT id, seq, type, payload FROM audit_events WHERE chain = :chain ORDER BY seq",
                        chain=f"case:{case}")

    def verify(self, **options: Any) -> AuditReport:
        return verify_audit(self.ctx, **options)

    def cli(self, *args: str, **env: str) -> Any:
        return run_cli(cli_env(self.url, self.home, **env), "audit", "verify", *args)

    def delete_case(self, case: int) -> None:
        """Remove the case and every row that refers to it, as the schema has it (foreign keys)."""
        schema = MetaData()
        schema.reflect(self.ctx.db.engine)
        with self.ctx.db.engine.begin() as conn:
            self._delete(conn, schema, "process_instances", [case])

    def _delete(self, conn: Any, schema: MetaData, table_name: str, ids: list[Any]) -> None:
        table = schema.tables[table_name]
        for other in schema.sorted_tables:
            for fk in other.foreign_keys:
                if fk.column.table is table and fk.parent.table is other and other is not table:
                    keys = [r[0] for r in conn.execute(other.select().with_only_columns(
                        *other.primary_key.columns).where(fk.parent.in_(ids)))] if other.primary_key.columns else []
                    if keys and len(other.primary_key.columns) == 1:
                        self._delete(conn, schema, other.name, keys)
                    conn.execute(other.delete().where(fk.parent.in_(ids)))
        conn.execute(table.delete().where(list(table.primary_key.columns)[0].in_(ids)))


@pytest.fixture
def copy(built: Built, tmp_path: Path) -> Iterator[Copy]:
    home = tmp_path / "home"
    shutil.copytree(built.home, home)
    if built.url.startswith("sqlite"):
        url = f"sqlite:///{home / 'built.db'}"
        yield (made := Copy(built, url, home))
        made.ctx.db.dispose()
        return
    name = f"guicheng_tampered_{uuid.uuid4().hex[:8]}"
    admin = create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{built.url.rsplit("/", 1)[1]}"'))
    made = Copy(built, _admin_url(name), home)
    yield made
    made.ctx.db.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _caught(copy: Copy, kind: str, *named: str, command: bool = False) -> dict[str, Any]:
    """The verification reports the tampering, naming each of `named`; with `command`, the real command
    too (one process start per kind would double the module's time: a few kinds go through it)."""
    report = copy.verify()
    assert not report.ok and report.first_bad is not None
    first = report.first_bad.as_dict("en")
    assert first["kind"] == kind, first
    for text_named in named:
        assert text_named in first["where"] + " " + first["message"], (text_named, first)
    if not command:
        return first
    result = copy.cli()
    assert result.returncode == 1, result.stdout + result.stderr
    first_line = result.stderr.strip().splitlines()[0]
    for text_named in named:
        assert text_named in first_line, (text_named, result.stderr)
    return first


def _middle(events: list[Any], kind: str) -> Any:
    found = [e for e in events[1:-1] if e.type == kind]
    assert found, [e.type for e in events]
    return found[0]


def test_an_untouched_history_verifies_with_every_state_and_document_covered(copy):
    report = copy.verify()
    assert report.ok, [p.as_dict("en") for p in report.problems]
    assert report.checked_cases == 3 and report.checkpoints == 1 and report.not_covered == []
    assert report.checked_documents >= 4  # the uploads and their archived copies
    for case in (copy.built.finished, copy.built.working, copy.built.applied):
        stating = [e for e in copy.events(case) if e.type in STATE_EVENTS]
        assert stating and all("state_sha256" in _payload(e) for e in stating), case
        (state,) = copy.sql("SELECT state_json FROM process_instances WHERE id = :id", id=case)
        assert state_digest(state[0]) == _payload(stating[-1])["state_sha256"]
    result = copy.cli()
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("audit chain intact: ") and "1 checkpoints" in lines[0]
    assert "审计校验通过：3 个案例" in lines[1]
    assert "verified: 3 cases" in copy.cli(GUICHENG_LANG="en").stdout
    one = copy.cli("--case", str(copy.built.working))
    assert one.returncode == 0 and "1 个案例" in one.stdout


def _payload(row: Any) -> dict[str, Any]:
    return row.payload if isinstance(row.payload, dict) else json.loads(row.payload)


def test_an_edited_event_payload_is_named_by_case_and_seq(copy):
    case = copy.built.working
    event = _middle(copy.events(case), "task_completed")
    payload = {**_payload(event), "data": {**_payload(event).get("data", {}), "accepted": "no"}}
    copy.sql("UPDATE audit_events SET payload = :p WHERE id = :id", p=json.dumps(payload, ensure_ascii=False),
             id=event.id)
    first = _caught(copy, "altered", f"case:{case} event {event.seq} (id {event.id})", command=True)
    assert first["instance_id"] == case and "altered" in first["message"]
    english = copy.cli(GUICHENG_LANG="en").stderr
    assert "the event's content does not match its hash" in english


def test_two_swapped_events_are_named_as_reordered(copy):
    case = copy.built.working
    events = copy.events(case)
    a, b = events[3], events[4]
    copy.sql("UPDATE audit_events SET seq = -1 WHERE id = :id", id=a.id)
    copy.sql("UPDATE audit_events SET seq = :s WHERE id = :id", s=a.seq, id=b.id)
    copy.sql("UPDATE audit_events SET seq = :s WHERE id = :id", s=b.seq, id=a.id)
    first = _caught(copy, "reordered", f"case:{case} event {a.seq} (id {b.id})")
    assert "reordered" in first["message"]


def test_an_event_deleted_in_the_middle_is_named_as_missing(copy):
    case = copy.built.finished
    event = _middle(copy.events(case), "service_task")
    copy.sql("DELETE FROM audit_events WHERE id = :id", id=event.id)
    first = _caught(copy, "missing", f"case:{case} event {event.seq}")
    assert first["seq"] == event.seq


def test_the_last_event_deleted_is_named_as_truncated(copy):
    case = copy.built.applied
    last = copy.events(case)[-1]
    copy.sql("DELETE FROM audit_events WHERE id = :id", id=last.id)
    first = _caught(copy, "truncated", f"case:{case} event {last.seq}")
    assert "head records" in first["message"]


def test_the_last_event_deleted_and_the_head_moved_back_is_caught_by_the_checkpoint(copy):
    case = copy.built.applied
    *kept, last = copy.events(case)
    (before,) = copy.sql("SELECT hash FROM audit_events WHERE id = :id", id=kept[-1].id)
    copy.sql("DELETE FROM audit_events WHERE id = :id", id=last.id)
    copy.sql("UPDATE process_instances SET chain_seq = :s, chain_hash = :h WHERE id = :id",
             s=kept[-1].seq, h=before[0], id=case)
    first = _caught(copy, "truncated", f"case:{case} event {last.seq}")
    assert "checkpoint" in first["message"]


def test_a_whole_case_deleted_is_named_by_the_checkpoint(copy):
    case = copy.built.working
    copy.delete_case(case)
    assert copy.sql("SELECT count(*) FROM audit_events WHERE chain = :c", c=f"case:{case}")[0][0] == 0
    first = _caught(copy, "case_deleted", f"case:{case}", command=True)
    assert first["instance_id"] == case and "whole case was deleted" in first["message"]


def test_an_edited_state_is_named_and_replay_finds_it_too(copy):
    case = copy.built.working
    (state,) = copy.sql("SELECT state_json FROM process_instances WHERE id = :id", id=case)
    edited = state[0].replace("邮件系统迁移", "伪造项目")
    assert edited != state[0]
    copy.sql("UPDATE process_instances SET state_json = :s WHERE id = :id", s=edited, id=case)
    stated = [e for e in copy.events(case) if "state_sha256" in _payload(e)][-1]
    first = _caught(copy, "state_edited", f"case:{case} event {stated.seq}", command=True)
    assert "state was edited" in first["message"]

    from service.operations.replay import replay_case  # the replay engine re-derives the state

    replayed = replay_case(copy.ctx, case)
    assert replayed.ok is False
    said = replayed.as_dict("en")
    assert said["diverges_at"] is not None and said["differences"], said
    assert any("伪造项目" in line or "邮件系统迁移" in line for line in said["differences"]), said


def test_edited_instance_data_is_named_by_replay(copy):
    case = copy.built.working
    (data,) = copy.sql("SELECT data FROM process_instances WHERE id = :id", id=case)
    stored = data[0] if isinstance(data[0], dict) else json.loads(data[0])
    copy.sql("UPDATE process_instances SET data = :d WHERE id = :id",
             d=json.dumps({**stored, "estimated_person_days": 20}, ensure_ascii=False), id=case)
    assert copy.verify().ok  # the record of what happened (events, state, documents) is untouched

    from service.operations.replay import replay_case

    said = replay_case(copy.ctx, case).as_dict("en")
    assert said["ok"] is False
    assert any("estimated_person_days" in line for line in said["differences"]), said


def test_an_overwritten_upload_is_named_as_damaged(copy):
    (path,) = (copy.home / "uploads").glob("*/实施规划.docx")
    path.write_bytes(b"not the plan that was uploaded")
    first = _caught(copy, "document_damaged", "实施规划.docx", f"case:{copy.built.finished}")
    assert first["document"] == "实施规划.docx"


def test_a_deleted_upload_is_named_as_missing(copy):
    (path,) = (copy.home / "uploads").glob("*/技术支持服务单.pdf")
    path.unlink()
    first = _caught(copy, "document_missing", "技术支持服务单.pdf", f"case:{copy.built.finished}", command=True)
    assert first["document"] == "技术支持服务单.pdf"


def test_an_overwritten_archived_copy_is_named(copy):
    (archived,) = (copy.home / "archive").rglob("*技术支持服务单.pdf")
    archived.write_bytes(b"changed after archiving")
    first = _caught(copy, "document_damaged", "技术支持服务单.pdf", f"case:{copy.built.finished}")
    assert first["document"].startswith(f"2026/欧莱雅/CITRIX安装/case-{copy.built.finished}/")


def test_an_edited_checkpoint_is_named(copy):
    copy.sql("UPDATE audit_checkpoints SET chain_count = chain_count + 1")
    _caught(copy, "checkpoint_altered", "checkpoint 1")


def test_one_case_can_be_verified_alone_and_an_unknown_case_is_refused(copy):
    (state,) = copy.sql("SELECT state_json FROM process_instances WHERE id = :id", id=copy.built.applied)
    copy.sql("UPDATE process_instances SET state_json = :s WHERE id = :id", s=state[0] + " ", id=copy.built.applied)
    assert copy.cli("--case", str(copy.built.working)).returncode == 0
    alone = copy.cli("--case", str(copy.built.applied))
    assert alone.returncode == 1 and f"case:{copy.built.applied}" in alone.stderr
    missing = copy.cli("--case", "99999")
    assert missing.returncode == 1 and "99999" in missing.stderr and "Traceback" not in missing.stderr


def test_only_auditors_and_administrators_may_verify(copy):
    assert copy.verify(actor="auditor1").ok and copy.verify(actor="admin1").ok
    for who in ("sales1", "customer1", "process_owner1", "engineer1"):
        with pytest.raises(Forbidden):
            copy.verify(actor=who)
    assert queries.show_case(copy.ctx, copy.built.working)["status"] == "running"


def _api(copy: Copy, who: str, query: str = "") -> Any:
    from service import create_app
    from service.operations import users

    client = create_app(context=copy.ctx).test_client()
    return client.get(f"/api/v1/audit/verify{query}",
                      headers={"Authorization": f"Bearer {users.issue_token(copy.ctx, who)}"})


def test_the_api_reports_the_first_broken_link_to_auditors_only(copy):
    intact = _api(copy, "auditor1").get_json()
    assert intact["ok"] is True and intact["first_bad"] is None and intact["problems"] == []
    assert intact["checked_cases"] == 3 and intact["checkpoints"] == 1 and intact["checked_documents"] >= 4
    assert intact["checked_events"] > 20 and intact["verified_at"]
    event = _middle(copy.events(copy.built.finished), "task_completed")
    copy.sql("UPDATE audit_events SET actor = 'sales2' WHERE id = :id", id=event.id)
    broken = _api(copy, "admin1", "?lang=en").get_json()
    assert broken["ok"] is False and broken["problem_count"] == 1
    assert broken["first_bad"]["where"] == f"case:{copy.built.finished} event {event.seq} (id {event.id})"
    assert broken["first_bad"]["kind"] == "altered" and "altered" in broken["first_bad"]["message"]
    assert "已被修改" in _api(copy, "auditor1", "?lang=zh").get_json()["first_bad"]["message"]
    alone = _api(copy, "auditor1", f"?case={copy.built.working}").get_json()
    assert alone["ok"] is True and alone["checked_cases"] == 1
    for who in ("sales1", "customer1", "process_owner1"):
        refused = _api(copy, who)
        assert refused.status_code == 403 and refused.mimetype == "application/problem+json", who
    for bad in ("abc", "0", "²", "99999999999"):
        response = _api(copy, "auditor1", f"?case={bad}")
        assert response.status_code == 400 and "case" in response.get_json()["errors"], bad
    assert _api(copy, "auditor1", "?case=99999").status_code == 404
