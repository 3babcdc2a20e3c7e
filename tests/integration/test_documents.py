"""Documents in forms: a filepicker field holds the reference of a file uploaded to /uploads; the
server checks the file exists, that a required document is there when its condition shows the field
(and not when it hides it), never takes a read-only field from a submission, and lists errors in form
order. Deployed versions whose forms still had `doc_*` text fields are migrated to filepickers.

The process is a small one of the tests' own (tests/fixtures/documents): sales asks, an engineer
(any of the demo organisation's four) attaches the documents, the system archives them.
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import JSON, DateTime, Engine, Integer, String, Text, column, create_engine, insert, select, table, text

from service.adapters.archive_store import DocumentStore
from service.operations import cases, deploy, queries
from service.operations.errors import ValidationFailed
from service.persistence.migrate import alembic_config
from tests.integration.test_web_pages import csrf_of, sign_in
from tests.support.requirements import postgres_url

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "documents"
REQUEST = {"customer": "欧莱雅", "project": "CITRIX安装", "needs_plan": True}


@pytest.fixture
def review(ctx) -> int:
    """A case of the fixture process waiting at 上传文档 (an implementation plan needed)."""
    bundle = deploy.bundle_from_path(FIXTURE / "processes" / "document_review.bpmn", FIXTURE / "forms")
    deploy.deploy_bundle(ctx, bundle, actor="process_owner1")
    return cases.start_case(ctx, process_id="document_review", actor="sales2", data=REQUEST)


def _task(ctx, case_id: int) -> dict[str, Any]:
    (task,) = queries.open_tasks(ctx, instance_id=case_id)
    return task


def _upload(client, name: str, content: bytes) -> Any:
    return client.post("/uploads", headers={"X-CSRF-Token": csrf_of(client), "Accept": "application/json"},
                       data={"file": (io.BytesIO(content), name)})


def _complete(client, task_id: int, data: dict[str, Any], lang: str | None = None) -> Any:
    if lang:
        client.get(f"/lang/{lang}")
    return client.post(f"/api/v1/tasks/{task_id}/complete", json={"data": data},
                       headers={"X-CSRF-Token": csrf_of(client), "Accept": "application/json"})


def test_an_uploaded_file_is_the_value_of_the_filepicker_and_is_archived(ctx, client, review):
    sign_in(client, "engineer3")
    sheet = _upload(client, "技术支持服务单.pdf", "%PDF-1.4 服务单".encode())
    plan = _upload(client, "实施规划.docx", "实施规划正文".encode())
    photos = [_upload(client, f"现场{i}.jpg", f"照片{i}".encode()) for i in (1, 2)]
    assert sheet.status_code == 201 and sheet.json["name"] == "技术支持服务单.pdf"
    assert re.fullmatch(r"upload:[0-9a-f]{64}/技术支持服务单\.pdf", sheet.json["reference"])
    task = _task(ctx, review)
    answer = _complete(client, task["id"], {"doc_service_sheet": sheet.json["reference"],
                                            "doc_implementation_plan": plan.json["reference"],
                                            "site_photos": [p.json["reference"] for p in photos]})
    assert answer.status_code == 200, answer.json
    data = queries.show_case(ctx, review)["data"]
    assert data["site_photos"] == [p.json["reference"] for p in photos]
    manifest = {(entry["document"], entry["name"]) for entry in data["archive_manifest"]}
    assert manifest == {("doc_service_sheet", "技术支持服务单.pdf"), ("doc_implementation_plan", "实施规划.docx"),
                        ("site_photos", "现场1.jpg"), ("site_photos", "现场2.jpg")}
    page = client.get(f"/cases/{review}")
    assert ">技术支持服务单.pdf</a>" in page.text and ">现场2.jpg</a>" in page.text
    assert ">upload:" not in page.text  # files by name; the reference only in the download link
    download = client.get(f"/cases/{review}/documents", query_string={"ref": photos[1].json["reference"]})
    assert download.status_code == 200 and download.data == "照片2".encode()


def test_a_required_document_shown_by_its_condition_is_a_field_error_in_form_order(ctx, client, review):
    sign_in(client, "engineer1")
    task = _task(ctx, review)
    answer = _complete(client, task["id"], {"remark": "稍后补"})
    assert answer.status_code == 400
    errors = answer.json["errors"]
    assert errors == {"doc_service_sheet": "服务单: 必填", "doc_implementation_plan": "实施规划: 必填"}
    english = _complete(client, task["id"], {"site_photos": "现场.jpg"}, lang="en")
    assert english.json["errors"]["doc_implementation_plan"] == "实施规划: required"
    assert set(english.json["errors"]) == {"doc_service_sheet", "doc_implementation_plan", "site_photos"}
    with pytest.raises(ValidationFailed) as caught:  # the use case lists them in the order of the form
        cases.complete_task(ctx, task_id=task["id"], actor="engineer1", data={"site_photos": "现场.jpg"})
    assert list(caught.value.errors) == ["doc_service_sheet", "doc_implementation_plan", "site_photos"]
    assert _task(ctx, review)["status"] == "open"  # nothing changed


def test_a_required_document_hidden_by_its_condition_may_stay_empty(ctx, review):
    bundle_case = cases.start_case(ctx, process_id="document_review", actor="sales3",
                                   data={**REQUEST, "needs_plan": False})
    sheet = DocumentStore(ctx.settings.home).store_upload(b"%PDF-1.4", "服务单.pdf").reference
    cases.complete_task(ctx, task_id=_task(ctx, bundle_case)["id"], actor="engineer2",
                        data={"doc_service_sheet": sheet})
    data = queries.show_case(ctx, bundle_case)["data"]
    assert data["doc_service_sheet"] == sheet and data["doc_implementation_plan"] is None


def test_a_reference_to_a_file_never_uploaded_is_refused(ctx, review):
    store = DocumentStore(ctx.settings.home)
    real = store.store_upload(b"%PDF-1.4", "服务单.pdf").reference
    invented = f"upload:{'0' * 64}/实施规划.docx"
    with pytest.raises(ValidationFailed) as caught:
        cases.complete_task(ctx, task_id=_task(ctx, review)["id"], actor="engineer4",
                            data={"doc_service_sheet": real, "doc_implementation_plan": invented})
    assert caught.value.field_errors() == {
        "doc_implementation_plan": "实施规划: 上传的文件「实施规划.docx」不存在，请重新上传"}
    with pytest.raises(ValidationFailed) as typed:
        cases.complete_task(ctx, task_id=_task(ctx, review)["id"], actor="engineer4",
                            data={"doc_service_sheet": "服务单.pdf", "doc_implementation_plan": real})
    assert list(typed.value.field_errors()) == ["doc_service_sheet"]
    assert _task(ctx, review)["status"] == "open"


def test_a_read_only_field_is_never_taken_from_a_submission(ctx, review):
    store = DocumentStore(ctx.settings.home)
    documents = {"doc_service_sheet": store.store_upload(b"%PDF-1.4", "服务单.pdf").reference,
                 "doc_implementation_plan": store.store_upload(b"plan", "实施规划.docx").reference}
    task_id = _task(ctx, review)["id"]
    with pytest.raises(ValidationFailed) as caught:
        cases.complete_task(ctx, task_id=task_id, actor="engineer1", data={**documents, "project": "改过的项目"})
    assert caught.value.field_errors() == {"project": "项目: 只读字段不能修改"}
    cases.complete_task(ctx, task_id=task_id, actor="engineer1", data={**documents, "project": "CITRIX安装"})
    assert queries.show_case(ctx, review)["data"]["project"] == "CITRIX安装"


# the migration of deployed forms ------------------------------------------------------------

OLD_FORMS = {
    "customer_signoff": {"components": [
        {"type": "textfield", "id": "Field_doc_service_sheet", "key": "doc_service_sheet", "label": "服务单",
         "description": "上传签字的服务单", "validate": {"required": True, "maxLength": 300}},
        {"type": "textfield", "id": "Field_signer", "key": "signer", "label": "签字人"},
        {"type": "group", "id": "Field_more", "label": "其他", "components": [
            {"type": "textfield", "id": "Field_doc_extra", "key": "doc_extra", "label": "附件",
             "conditional": {"hide": "=not(extra)"}}]},
    ]},
    "no_documents": {"components": [{"type": "textfield", "id": "Field_a", "key": "a", "label": "甲"}]},
}


@pytest.fixture(params=["sqlite", "postgres"])
def engine_at_0005(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database migrated up to 0005, as a deployment before the filepicker change."""
    if request.param == "sqlite":
        engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
        command.upgrade(alembic_config(engine), "0005")
        yield engine
        engine.dispose()
        return
    url = postgres_url()
    name = f"guicheng_documents_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
    engine = create_engine(url.rsplit("/", 1)[0] + f"/{name}")
    command.upgrade(alembic_config(engine), "0005")
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


DEFINITIONS = table("process_definitions", column("id", Integer), column("process_id", String),
                    column("version", Integer), column("name", String), column("content_hash", String),
                    column("files", JSON), column("forms", JSON), column("meta", JSON),
                    column("spec_json", Text), column("deployed_at", DateTime), column("deployed_by", String))


def _forms(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        return conn.execute(select(DEFINITIONS.c.forms)).scalar_one()


def test_deployed_doc_text_fields_become_filepickers_and_values_stay(engine_at_0005: Engine):
    with engine_at_0005.begin() as conn:
        conn.execute(insert(DEFINITIONS).values(id=1, process_id="technical_support", version=1, name="技术支持",
                                                content_hash="0" * 64, files={}, forms=OLD_FORMS, meta={},
                                                spec_json="{}", deployed_at=datetime(2026, 9, 30, 3, 0),
                                                deployed_by="system"))
    command.upgrade(alembic_config(engine_at_0005), "head")
    forms = _forms(engine_at_0005)
    sheet, signer, group = forms["customer_signoff"]["components"]
    assert sheet == {"type": "filepicker", "id": "Field_doc_service_sheet", "key": "doc_service_sheet",
                     "label": "服务单", "description": "上传签字的服务单", "validate": {"required": True}}
    assert signer["type"] == "textfield"
    assert group["components"][0] == {"type": "filepicker", "id": "Field_doc_extra", "key": "doc_extra",
                                      "label": "附件", "conditional": {"hide": "=not(extra)"}}
    assert forms["no_documents"] == OLD_FORMS["no_documents"]
    command.downgrade(alembic_config(engine_at_0005), "0005")
    assert _forms(engine_at_0005)["customer_signoff"]["components"][0]["type"] == "textfield"
