"""Hostile diagrams (external entities, entity expansion, wrong encodings, script escapes, oversized
files), saved as drafts or uploaded: refused with where and why, nothing stored, never a 500."""

from __future__ import annotations

import json
from io import BytesIO

import pytest

from service.config import PROJECT_ROOT
from service.persistence.models import ProcessDefinition, ProcessDraft
from tests.integration import editor_api
from tests.integration.editor_api import (
    CONFLICT,
    MAIN,
    SOURCE,
    _count,
    _draft,
    _edited,
    _events,
    _save,
)

client, auth = editor_api.client, editor_api.auth  # the editor's fixtures, used by name in the tests below

LOL = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
XXE_DOCTYPE = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


# -- hostile input: refused with where and why, nothing stored, never a 500 ---------------------------

CONFLICT_SOURCE = (PROJECT_ROOT / "processes" / f"{CONFLICT}.bpmn").read_text(encoding="utf-8")


def _upload_of(bpmn: bytes) -> dict:
    """The multipart upload (POST /process-definitions) of the conflict diagram with its forms."""
    folder = PROJECT_ROOT / "forms" / CONFLICT
    forms = [(BytesIO(p.read_bytes()), p.name) for p in sorted(folder.glob("*.form"))]
    words = [(BytesIO(p.read_bytes()), p.name) for p in sorted(folder.glob("*.en.json"))]
    words.append((BytesIO((PROJECT_ROOT / "processes" / f"{CONFLICT}.en.json").read_bytes()), f"{CONFLICT}.en.json"))
    return {"bpmn": (BytesIO(bpmn), f"{CONFLICT}.bpmn"), "form": forms, "translation": words}


def _conflict_versions(ctx) -> int:
    return _count(ctx, ProcessDefinition, ProcessDefinition.process_id == CONFLICT)


HOSTILE = {
    "external entity": SOURCE.replace('<?xml version="1.0" encoding="UTF-8"?>', XXE_DOCTYPE, 1).replace(
        'name="技术支持"', 'name="&xxe;"', 1),
    "billion laughs": f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY l0 "lol">{LOL}]><d>&l9;</d>',
    "not XML": "这不是流程图 {\"json\": true}",
    "GBK declared on Unicode text": SOURCE.replace('encoding="UTF-8"', 'encoding="GBK"', 1),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_diagrams_are_refused_when_saved(ctx, client, auth, kind):
    draft = _draft(client, auth)
    response = _save(client, auth, {**draft, "files": {**draft["files"], f"{MAIN}.bpmn": HOSTILE[kind]}})
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    said = response.json["errors"][f"files.{MAIN}.bpmn"]
    assert f"{MAIN}.bpmn" in said and ("line" in said or "行" in said) and "root:" not in said
    assert _count(ctx, ProcessDraft) == 0 and not _events(ctx, "draft_saved")


def _stored_draft(ctx, bpmn: str) -> None:
    """A draft holding what a save refuses, as if written before the rules: the deploy checks again."""
    with ctx.db.transaction() as session:
        session.add(ProcessDraft(process_id=MAIN, base_version=1, files={f"{MAIN}.bpmn": bpmn}, forms={},
                                 translations={}, updated_at=ctx.now(), updated_by="process_owner1"))


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_diagrams_in_a_draft_are_not_deployed(ctx, client, auth, kind):
    _stored_draft(ctx, HOSTILE[kind])
    for action in ("validate", "deploy"):
        response = client.post(f"/api/v1/process-drafts/{MAIN}/{action}", headers=auth("process_owner1"))
        assert response.status_code == (200 if action == "validate" else 400), response.json
        problems = response.json["problems"]
        assert problems and all(p["file"] == f"{MAIN}.bpmn" and p["line"] for p in problems), problems
        assert "root:" not in json.dumps(problems)
    assert _count(ctx, ProcessDefinition, ProcessDefinition.process_id == MAIN) == 1


@pytest.mark.parametrize("escape", ["__import__('os').system('id')", "().__class__.__bases__[0].__subclasses__()"])
def test_script_escapes_in_conditions_are_refused_naming_the_flow(ctx, client, auth, escape):
    draft = _draft(client, auth)
    flows = [line for line in draft["files"][f"{MAIN}.bpmn"].splitlines() if "<bpmn:conditionExpression" in line]
    original = flows[0].split(">", 1)[1].split("</bpmn:conditionExpression")[0]
    body = _edited(draft, f">{original}</bpmn:conditionExpression", f">{escape}</bpmn:conditionExpression")
    assert _save(client, auth, body).status_code == 200  # a draft may be wrong; it is never run
    refused = client.post(f"/api/v1/process-drafts/{MAIN}/deploy?lang=en", headers=auth("process_owner1"))
    assert refused.status_code == 400
    (problem,) = refused.json["problems"]
    assert problem["file"] == f"{MAIN}.bpmn" and problem["element_id"]
    assert "condition refused" in problem["message"] and problem["line"]
    assert _count(ctx, ProcessDefinition, ProcessDefinition.process_id == MAIN) == 1
    condition = CONFLICT_SOURCE.split("<bpmn:conditionExpression", 1)[1].split(">", 1)[1].split("<", 1)[0]
    hostile = CONFLICT_SOURCE.replace(f">{condition}<", f">{escape}<", 1)
    upload = client.post("/api/v1/process-definitions?lang=en", headers=auth("process_owner1"),
                         content_type="multipart/form-data", data=_upload_of(hostile.encode("utf-8")))
    assert upload.status_code == 400 and upload.mimetype == "application/problem+json"
    (where, said), = upload.json["errors"].items()
    assert where.startswith(f"{CONFLICT}.bpmn:") and where.split(":")[2] != "-" and "condition refused" in said
    assert _conflict_versions(ctx) == 1


def test_raw_gbk_bytes_are_refused_in_a_draft_and_read_when_uploaded_with_their_declaration(ctx, client, auth):
    gbk = SOURCE.replace('encoding="UTF-8"', 'encoding="GBK"', 1)
    body = json.dumps({"files": {f"{MAIN}.bpmn": gbk}, "forms": {}}, ensure_ascii=False).encode("gbk")
    refused = client.put(f"/api/v1/process-drafts/{MAIN}", headers=auth("process_owner1"), data=body,
                         content_type="application/json")
    assert refused.status_code == 400 and refused.mimetype == "application/problem+json"
    assert _count(ctx, ProcessDraft) == 0
    changed = CONFLICT_SOURCE.replace('name="', 'name="改 ', 1)
    declared = client.post("/api/v1/process-definitions", headers=auth("process_owner1"),
                           content_type="multipart/form-data", data=_upload_of(
                               changed.replace('encoding="UTF-8"', 'encoding="GBK"', 1).encode("gbk")))
    assert declared.status_code == 201, declared.json  # declared GBK is read and stored as UTF-8
    undeclared = changed.replace('<?xml version="1.0" encoding="UTF-8"?>', "", 1).replace('name="', 'name="再', 1)
    response = client.post("/api/v1/process-definitions", headers=auth("process_owner1"),
                           content_type="multipart/form-data", data=_upload_of(undeclared.encode("gbk")))
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    (where, said), = response.json["errors"].items()
    assert where.startswith(f"{CONFLICT}.bpmn:") and where.split(":")[1] != "0" and "malformed XML" in said
    assert _conflict_versions(ctx) == 2


@pytest.mark.parametrize("kind", ["external entity", "billion laughs", "not XML"])
def test_hostile_uploads_are_refused_naming_file_and_line(ctx, client, auth, kind):
    response = client.post("/api/v1/process-definitions", headers=auth("process_owner1"),
                           content_type="multipart/form-data", data=_upload_of(HOSTILE[kind].encode("utf-8")))
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert all(key.startswith(f"{CONFLICT}.bpmn:") for key in response.json["errors"]), response.json
    assert "root:" not in json.dumps(response.json)
    assert _conflict_versions(ctx) == 1


def test_fifty_megabytes_are_refused_as_too_large(ctx, client, auth):
    huge = SOURCE.replace("</bpmn:definitions>", "<!--" + "x" * (50 * 1024 * 1024) + "--></bpmn:definitions>")
    owner = auth("process_owner1")
    as_draft = client.put(f"/api/v1/process-drafts/{MAIN}", headers=owner,
                          data=json.dumps({"files": {f"{MAIN}.bpmn": huge}, "forms": {}}),
                          content_type="application/json")
    as_upload = client.post("/api/v1/process-definitions", headers=owner, content_type="multipart/form-data",
                            data=_upload_of(huge.encode("utf-8")))
    for response in (as_draft, as_upload):
        assert response.status_code == 413 and response.mimetype == "application/problem+json"
    assert _count(ctx, ProcessDraft) == 0
    assert _conflict_versions(ctx) == 1


def test_a_file_over_the_limit_inside_an_allowed_body_is_named(ctx, client, auth):
    big = SOURCE.replace("</bpmn:definitions>", "<!--" + "x" * (6 * 1024 * 1024) + "--></bpmn:definitions>")
    response = _save(client, auth, {"files": {f"{MAIN}.bpmn": big}, "forms": {}})
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert _count(ctx, ProcessDraft) == 0
