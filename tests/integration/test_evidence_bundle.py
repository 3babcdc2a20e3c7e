"""The evidence bundle of a case: exported by an auditor, checked offline by the real command and by
`sha256sum` alone, and every kind of tampering named — the file, the event, what is wrong.

The case is a technical-support request driven past its archiving step, so the bundle holds uploaded
documents, their archived copies and the diagram and forms of its version.
"""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from service.domain import evidence_format as fmt
from service.domain.evidence_check import check_bundle
from service.operations.errors import Forbidden
from service.operations.evidence_bundle import export_bundle
from service.operations.evidence_report import LINK_CHECK
from service.persistence.audit import SYSTEM_CHAIN
from service.persistence.models import Event, ProcessInstance
from tests.integration.test_web_pages import sign_in
from tests.processes.walk import advance_to, start
from tests.support.cli import cli_env, run_cli


@pytest.fixture
def archived(ctx) -> int:
    """A case past 文档归档: two uploads, their archived copies, 30-odd events."""
    case = start(ctx)
    advance_to(ctx, case, "review_workload")
    return case


def _bundle(ctx, case: int, actor: str = "auditor1") -> bytes:
    out = io.BytesIO()
    export_bundle(ctx, case, out, actor=actor)
    return out.getvalue()


def _rewrite(data: bytes, changes: dict[str, bytes | None]) -> bytes:
    """The bundle with some entries replaced (bytes) or removed (None), everything else as it was."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in changes:
                if changes[info.filename] is not None:
                    target.writestr(info.filename, changes[info.filename] or b"")
            else:
                target.writestr(info, source.read(info))
    return out.getvalue()


def _verify(ctx, tmp_path: Path, data: bytes, name: str = "证据包.zip") -> subprocess.CompletedProcess[str]:
    path = tmp_path / name
    path.write_bytes(data)
    # offline: the database the command is given does not exist
    env = cli_env(f"sqlite:///{tmp_path}/no-such-folder/none.db", tmp_path / "elsewhere")
    return run_cli(env, "audit", "verify-bundle", str(path))


def _sh(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", command], cwd=cwd, capture_output=True, text=True, timeout=60)


def test_an_auditor_exports_a_bundle_that_verifies_offline_and_with_sha256sum_alone(ctx, archived, tmp_path):
    target = tmp_path / "案例-证据包.zip"
    exported = run_cli(cli_env(ctx.settings.database_url, ctx.settings.home), "audit", "export", str(archived),
                       "-o", str(target), "--as", "auditor1")
    assert exported.returncode == 0, exported.stderr
    assert str(target) in exported.stdout and "链头第" in exported.stdout
    with ctx.db.reading() as session:
        head = session.execute(select(ProcessInstance.chain_seq, ProcessInstance.chain_hash)
                               .where(ProcessInstance.id == archived)).one()
        record = session.execute(select(Event).where(Event.chain == SYSTEM_CHAIN, Event.type == "evidence_exported")
                                 ).scalar_one()
    assert record.actor == "auditor1" and record.payload == {
        "instance_id": archived, "head_seq": head.chain_seq, "head_hash": head.chain_hash, "by": "auditor1"}

    verified = _verify(ctx, tmp_path, target.read_bytes())
    assert verified.returncode == 0, verified.stderr
    assert f"证据包核查通过：案例 #{archived}，{head.chain_seq} 个事件" in verified.stdout

    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(target) as bundle:
        names = bundle.namelist()
        chinese = [i for i in bundle.infolist() if "实施规划.docx" in i.filename]
        assert chinese and all(i.flag_bits & 0x800 for i in chinese)  # UTF-8 names, readable everywhere
        bundle.extractall(folder)
        manifest = json.loads(bundle.read(fmt.MANIFEST))
    assert manifest["chain"] == {"name": f"case:{archived}", "events": head.chain_seq, "head_seq": head.chain_seq,
                                 "head_hash": head.chain_hash}
    assert manifest["exported_by"] == "auditor1" and manifest["export_event"]["seq"] == record.seq
    assert [v["version"] for v in manifest["versions"]] == [1]
    assert "versions/v1/technical_support.bpmn" in names and "versions/v1/forms/work.form" in names
    assert {n for n in names if n.startswith("documents/") and n.endswith("实施规划.docx")} == {
        n for n in names if "实施规划" in n}
    assert any(n.startswith("documents/archive/") for n in names)

    for where in (folder, folder / "chain", folder / "documents"):
        checked = _sh(f"sha256sum -c {fmt.SUMS}", where)
        assert checked.returncode == 0 and "FAILED" not in checked.stdout, checked.stdout + checked.stderr
    links = _sh(LINK_CHECK.replace("cd chain && ", ""), folder / "chain")
    assert links.returncode == 0 and links.stdout == "", links.stdout
    last = (folder / "chain" / fmt.SUMS).read_text().splitlines()[-1]
    assert last == f"{head.chain_hash}  {head.chain_seq:06d}.json"  # the head names the last chain file

    report = json.loads((folder / fmt.REPORT_JSON).read_text())
    assert report["chain"]["ok"] and report["replay"]["ok"] is True
    assert report["documents"]["checked"] == report["documents"]["ok"] == 4
    text = (folder / fmt.REPORT_TXT).read_text()
    assert "哈希链完整" in text and "hash chain intact" in text


def test_every_kind_of_tampering_is_named_with_its_file_and_event(ctx, archived, tmp_path):
    data = _bundle(ctx, archived)
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        lines = bundle.read(fmt.EVENTS).decode().splitlines(keepends=True)
        document = next(n for n in bundle.namelist() if n.startswith("documents/") and n.endswith("实施规划.docx"))
    edited = json.loads(lines[2])
    edited["actor"] = "someone_else"
    chain_three = fmt.canonical(fmt.hashed_body(edited))
    tampered = {
        "an event line": (_rewrite(data, {fmt.EVENTS: "".join(lines[:2] + [json.dumps(edited) + "\n"] + lines[3:])
                                          .encode()}), f"{fmt.EVENTS}（第 3 个事件）: 事件内容与其哈希不符"),
        "a deleted event": (_rewrite(data, {fmt.EVENTS: "".join(lines[:4] + lines[5:]).encode()}),
                            f"{fmt.EVENTS}（第 6 个事件）: 应为第 5 个事件，却是第 6 个"),
        "a chain file": (_rewrite(data, {fmt.chain_file(3): chain_three}),
                         "chain/000003.json（第 3 个事件）: 与 events.jsonl"),
        "a deleted chain file": (_rewrite(data, {fmt.chain_file(5): None}),
                                 "chain/000005.json（第 5 个事件）: 缺少此文件"),
        "a document": (_rewrite(data, {document: "改过的内容".encode()}), f"{document}: 校验和不符"),
        "the report": (_rewrite(data, {fmt.REPORT_JSON: b'{"chain": {"ok": true}}'}), f"{fmt.REPORT_JSON}: 校验和不符"),
        "an added file": (_with_entry(data, "extra.txt", b"x"), "extra.txt: 此文件不在 SHA256SUMS 的清单中"),
    }
    for what, (changed, named) in tampered.items():  # the check the command runs, in this process
        checked = check_bundle(io.BytesIO(changed), label="证据包.zip")
        assert not checked.ok, what
        assert named in checked.problems[0].render("zh"), (what, [p.render("zh") for p in checked.problems])
    answer = _verify(ctx, tmp_path, tampered["an event line"][0])  # and the command itself, once
    assert answer.returncode == 1
    assert tampered["an event line"][1] in answer.stderr.splitlines()[0] and "Traceback" not in answer.stderr


def _with_entry(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a") as bundle:
        bundle.writestr(name, content)
    return out.getvalue()


def test_an_event_altered_in_the_database_is_exported_as_it_is_and_named(ctx, archived, tmp_path):
    with ctx.db.transaction() as session:
        session.execute(update(Event).where(Event.chain == f"case:{archived}", Event.seq == 4)
                        .values(actor="tech_director2"))
    data = _bundle(ctx, archived)
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        report = json.loads(bundle.read(fmt.REPORT_JSON))
    assert report["chain"]["ok"] is False and "第 4 个事件" in report["chain"]["problems"]["zh"][0]
    answer = _verify(ctx, tmp_path, data)
    assert answer.returncode == 1 and f"{fmt.EVENTS}（第 4 个事件）: 事件内容与其哈希不符" in answer.stderr


def test_a_document_missing_on_the_server_is_listed_not_skipped(ctx, tmp_path):
    case = start(ctx)
    advance_to(ctx, case, "work")  # 实施规划 uploaded at planning_documents
    for path in (ctx.settings.home / "uploads").rglob("实施规划.docx"):
        path.unlink()
    target = tmp_path / "bundle.zip"
    exported = run_cli(cli_env(ctx.settings.database_url, ctx.settings.home), "audit", "export", str(case),
                       "-o", str(target))
    assert exported.returncode == 0, exported.stderr
    assert "实施规划.docx" in exported.stderr  # the console is told
    with zipfile.ZipFile(target) as bundle:
        report = json.loads(bundle.read(fmt.REPORT_JSON))
        text = bundle.read(fmt.REPORT_TXT).decode()
        assert not [n for n in bundle.namelist() if n.endswith("实施规划.docx")]
    (missing,) = report["documents"]["items"]
    assert missing["status"] == "missing" and missing["name"] == "实施规划.docx"
    assert missing["variable"] == "doc_implementation_plan"
    assert "「实施规划.docx」（doc_implementation_plan" in text and "is missing on the server" in text
    assert _verify(ctx, tmp_path, target.read_bytes()).returncode == 0  # the bundle says so truthfully


def test_hostile_zips_get_a_clear_error_never_a_traceback(ctx, tmp_path):
    traversal = io.BytesIO()
    with zipfile.ZipFile(traversal, "w") as bundle:
        bundle.writestr("../../etc/cron.d/evil", b"x")
    empty = io.BytesIO()
    zipfile.ZipFile(empty, "w").close()
    for data, named in ((b"not a zip at all", "不是可读取的压缩包"),
                        (traversal.getvalue(), "../../etc/cron.d/evil: 条目名不安全"),
                        (empty.getvalue(), "manifest.json: 缺少此文件")):
        checked = check_bundle(io.BytesIO(data), label="证据包.zip")
        assert not checked.ok and any(named in p.render("zh") for p in checked.problems), named
    answer = _verify(ctx, tmp_path, traversal.getvalue())  # the command says it too, without a traceback
    assert answer.returncode == 1 and "条目名不安全" in answer.stderr and "Traceback" not in answer.stderr
    assert not (tmp_path.parent.parent / "etc").exists()


def _download(client, case: int, user: str, path: str = "/api/v1/process-instances/{case}/evidence") -> Any:
    sign_in(client, user)
    return client.get(path.format(case=case))


@pytest.mark.parametrize("user", ["sales1", "customer1", "engineer1"])
def test_only_viewers_who_read_all_cases_may_download_the_bundle(ctx, client, user):
    case = start(ctx)
    advance_to(ctx, case, "customer_signoff")  # sales1 applied, engineer1 works on it, customer1 signs it
    answer = _download(client, case, user)
    assert answer.status_code == 403 and answer.mimetype == "application/problem+json"
    page = client.get(f"/cases/{case}")
    assert 'data-testid="evidence-download"' not in page.text
    assert client.get(f"/cases/{case}/evidence.zip").status_code == 403
    with pytest.raises(Forbidden):
        _bundle(ctx, case, actor=user)
    with ctx.db.reading() as session:  # a refusal is not an export
        assert not session.execute(select(Event).where(Event.type == "evidence_exported")).first()


@pytest.mark.parametrize("user", ["auditor1", "process_owner1", "admin1"])
def test_the_download_has_its_chinese_file_name_and_verifies(ctx, client, tmp_path, user):
    case = start(ctx)
    answer = _download(client, case, user)
    assert answer.status_code == 200 and answer.mimetype == "application/zip"
    disposition = answer.headers["Content-Disposition"]
    assert f"filename=\"case-{case}-evidence.zip\"" in disposition
    assert f"filename*=UTF-8''%E6%A1%88%E4%BE%8B-{case}-%E8%AF%81%E6%8D%AE%E5%8C%85.zip" in disposition
    assert check_bundle(io.BytesIO(answer.data), label=f"案例-{case}-证据包.zip").ok
    page = client.get(f"/cases/{case}")
    assert 'data-testid="evidence-download"' in page.text and "证据包" in page.text
    web = client.get(f"/cases/{case}/evidence.zip?lang=en")
    assert web.status_code == 200 and zipfile.ZipFile(io.BytesIO(web.data)).testzip() is None
    assert client.get("/api/v1/process-instances/999999/evidence").status_code == 404
