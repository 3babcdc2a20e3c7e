"""The process editor's API: drafts saved, checked and deployed by process owners; a new process from
its template running at once; the panel's catalogue and checks; versions with their cases; and every
hostile diagram refused with where and why, nothing stored."""

from __future__ import annotations

import json
from io import BytesIO

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from service.config import PROJECT_ROOT
from service.operations import deploy, users
from service.persistence.models import Event, ProcessDefinition, ProcessDraft
from tests.support.walk import start_case

MAIN = "technical_support"
CONFLICT = "technical_support_conflict"
SOURCE = (PROJECT_ROOT / "processes" / f"{MAIN}.bpmn").read_text(encoding="utf-8")
LOL = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
XXE_DOCTYPE = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


class _Client(FlaskClient):
    """Reads answers with plain JSON: they carry whole diagrams, beyond the limits for requests."""

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        response = super().open(*args, **kwargs)
        response.json_module = json
        return response


@pytest.fixture
def client(app):
    return _Client(app, app.response_class, use_cookies=True)


@pytest.fixture
def auth(ctx):
    made: dict[str, dict[str, str]] = {}

    def headers(username: str) -> dict[str, str]:
        if username not in made:
            made[username] = {"Authorization": f"Bearer {users.issue_token(ctx, username)}"}
        return made[username]
    return headers


def _count(ctx, model, *where) -> int:
    with ctx.db.reading() as session:
        return session.execute(select(func.count()).select_from(model).where(*where)).scalar()


def _events(ctx, kind: str) -> list[dict]:
    with ctx.db.reading() as session:
        return [e.payload for e in session.execute(select(Event).where(Event.type == kind)
                                                   .order_by(Event.id)).scalars()]


def _draft(client, auth, process_id=MAIN):
    response = client.get(f"/api/v1/process-drafts/{process_id}", headers=auth("process_owner1"))
    assert response.status_code == 200, response.json
    return response.json


def _save(client, auth, body, process_id=MAIN, who="process_owner1"):
    return client.put(f"/api/v1/process-drafts/{process_id}", headers=auth(who), json=body)


def _edited(draft, old: str, new: str, name: str | None = None) -> dict:
    name = name or f"{draft['process_id']}.bpmn"
    assert old in draft["files"][name]
    files = {**draft["files"], name: draft["files"][name].replace(old, new, 1)}
    return {"files": files, "forms": draft["forms"], "translations": draft["translations"],
            "base_version": draft["base_version"]}


# -- drafts: read, save, discard, deploy -------------------------------------------------------------

def test_without_a_draft_the_editor_opens_the_latest_version(client, auth):
    draft = _draft(client, auth)
    assert (draft["is_draft"], draft["base_version"], draft["latest_version"]) == (False, 1, 1)
    assert f"{MAIN}.bpmn" in draft["files"] and f"{MAIN}_planning.dmn" in draft["files"]
    assert "application" in draft["forms"] and json.loads(draft["forms"]["application"])["components"]
    assert f"{MAIN}.en.json" in draft["translations"] and "forms/application.en.json" in draft["translations"]
    assert not any(name.endswith(".en.json") for name in draft["files"])


def test_a_saved_draft_is_checked_and_deployed_as_the_next_version(ctx, client, auth):
    body = _edited(_draft(client, auth), "技术总监确认申请", "技术总监确认技术支持申请")
    saved = _save(client, auth, body)
    assert saved.status_code == 200, saved.json
    assert saved.json["is_draft"] and saved.json["updated_by"] == "process_owner1"
    assert _draft(client, auth)["files"][f"{MAIN}.bpmn"] == body["files"][f"{MAIN}.bpmn"]
    assert _events(ctx, "draft_saved")[-1]["process_id"] == MAIN

    checked = client.post(f"/api/v1/process-drafts/{MAIN}/validate", headers=auth("process_owner1"))
    assert checked.status_code == 200 and checked.json["ok"] and checked.json["problems"] == []

    deployed = client.post(f"/api/v1/process-drafts/{MAIN}/deploy", headers=auth("process_owner1"))
    assert deployed.status_code == 201, deployed.json
    assert deployed.json == {"process_id": MAIN, "version": 2, "created": True}
    assert _count(ctx, ProcessDraft) == 0  # deploying removed the draft
    assert _events(ctx, "deployed")[-1]["version"] == 2
    opened = _draft(client, auth)
    assert (opened["is_draft"], opened["latest_version"]) == (False, 2)
    assert "技术总监确认技术支持申请" in opened["files"][f"{MAIN}.bpmn"]


def test_discarding_a_draft_leaves_the_deployed_version(ctx, client, auth):
    _save(client, auth, _edited(_draft(client, auth), "技术总监确认申请", "改过的名称"))
    assert client.delete(f"/api/v1/process-drafts/{MAIN}", headers=auth("process_owner1")).status_code == 204
    assert _events(ctx, "draft_discarded")[-1]["process_id"] == MAIN
    assert "改过的名称" not in _draft(client, auth)["files"][f"{MAIN}.bpmn"]
    again = client.delete(f"/api/v1/process-drafts/{MAIN}", headers=auth("process_owner1"))
    assert again.status_code == 404 and again.mimetype == "application/problem+json"


def test_a_draft_started_before_someone_else_deployed_is_refused(ctx, client, auth):
    body = _edited(_draft(client, auth), "技术总监确认申请", "我的修改")
    assert _save(client, auth, body).status_code == 200
    other = deploy.bundle_from_path(PROJECT_ROOT / "processes" / f"{MAIN}.bpmn", PROJECT_ROOT / "forms")
    other.files[f"{MAIN}.bpmn"] = SOURCE.replace("技术总监确认申请", "别人的修改").encode()
    assert deploy.deploy_bundle(ctx, other, actor="process_owner1").version == 2  # e.g. from the command line
    refused = client.post(f"/api/v1/process-drafts/{MAIN}/deploy?lang=en", headers=auth("process_owner1"))
    assert refused.status_code == 409 and refused.mimetype == "application/problem+json"
    assert "version 1" in refused.json["detail"] and "version 2" in refused.json["detail"]
    assert _count(ctx, ProcessDefinition, ProcessDefinition.process_id == MAIN) == 2
    assert _count(ctx, ProcessDraft) == 1  # the draft stays, to be carried over


def test_an_invalid_draft_is_saved_but_not_deployed(ctx, client, auth):
    body = _edited(_draft(client, auth), 'id="send_application_mail"', 'id="send_fax"')
    assert _save(client, auth, body).status_code == 200
    checked = client.post(f"/api/v1/process-drafts/{MAIN}/validate", headers=auth("process_owner1")).json
    assert not checked["ok"]
    (problem,) = [p for p in checked["problems"] if "send_fax" in p["message"]]
    assert problem["file"] == f"{MAIN}.bpmn" and problem["element_id"] and problem["line"] > 1
    refused = client.post(f"/api/v1/process-drafts/{MAIN}/deploy", headers=auth("process_owner1"))
    assert refused.status_code == 400 and refused.mimetype == "application/problem+json"
    assert refused.json["problems"] == checked["problems"]
    assert _count(ctx, ProcessDefinition, ProcessDefinition.process_id == MAIN) == 1
    assert _count(ctx, ProcessDraft) == 1


def test_who_may_read_and_who_may_change_drafts(ctx, client, auth):
    body = _edited(_draft(client, auth), "技术总监确认申请", "改")
    for reader in ("auditor1", "admin1", "process_owner1"):
        assert client.get(f"/api/v1/process-drafts/{MAIN}", headers=auth(reader)).status_code == 200, reader
        assert client.post(f"/api/v1/process-drafts/{MAIN}/validate", headers=auth(reader)).status_code == 200
        assert client.get(f"/api/v1/process-definitions/{MAIN}/versions", headers=auth(reader)).status_code == 200
    for outsider in ("sales1", "engineer1", "tech_director1", "customer1"):
        refused = client.get(f"/api/v1/process-drafts/{MAIN}", headers=auth(outsider))
        assert refused.status_code == 403 and refused.mimetype == "application/problem+json", outsider
        assert client.get(f"/api/v1/process-editor/catalogue?process_id={MAIN}",
                          headers=auth(outsider)).status_code == 403
    for writer_not in ("sales1", "auditor1", "admin1"):
        assert _save(client, auth, body, who=writer_not).status_code == 403, writer_not
        assert client.post("/api/v1/process-drafts", headers=auth(writer_not),
                           json={"process_id": "leave_request", "name": "请假"}).status_code == 403
    assert _count(ctx, ProcessDraft) == 0
    assert _save(client, auth, body).status_code == 200
    for writer_not in ("sales1", "auditor1"):
        refused = client.post(f"/api/v1/process-drafts/{MAIN}/deploy?lang=en", headers=auth(writer_not))
        assert refused.status_code == 403 and "process owners" in refused.json["detail"]
        assert client.delete(f"/api/v1/process-drafts/{MAIN}", headers=auth(writer_not)).status_code == 403
    assert _count(ctx, ProcessDefinition, ProcessDefinition.process_id == MAIN) == 1
    assert _count(ctx, ProcessDraft) == 1


def test_an_unknown_process_is_404(client, auth):
    owner = auth("process_owner1")
    for response in (client.get("/api/v1/process-drafts/no_such_process", headers=owner),
                     _save(client, auth, {"files": {"no_such_process.bpmn": SOURCE}, "forms": {}},
                           process_id="no_such_process"),
                     client.post("/api/v1/process-drafts/no_such_process/validate", headers=owner),
                     client.post("/api/v1/process-drafts/no_such_process/deploy", headers=owner),
                     client.get("/api/v1/process-definitions/no_such_process/versions", headers=owner),
                     client.get(f"/api/v1/process-definitions/{MAIN}/versions/9", headers=owner)):
        assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_a_save_names_each_refused_member(client, auth):
    draft = _draft(client, auth)
    response = _save(client, auth, {
        "files": {**draft["files"], "../evil.bpmn": "<x/>"},
        "forms": {**draft["forms"], "application": "{not json", "bad key!": "{}"},
        "translations": {"elsewhere/x.en.json": "{}"}, "base_version": 7}, process_id=MAIN)
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert set(response.json["errors"]) == {"files.../evil.bpmn", "forms.application", "forms.bad key!",
                                            "translations.elsewhere/x.en.json", "base_version"}
    assert "application.form" in response.json["errors"]["forms.application"]
    missing = _save(client, auth, {"files": {}, "forms": {}})
    assert missing.status_code == 400 and "files" in missing.json["errors"]


# -- a new process from the template -----------------------------------------------------------------

def test_a_new_process_from_the_template_deploys_and_runs_at_once(ctx, client, auth):
    owner = auth("process_owner1")
    created = client.post("/api/v1/process-drafts", headers=owner,
                          json={"process_id": "leave_request", "name": "请假申请", "template": "blank"})
    assert created.status_code == 201, created.json
    assert created.json["base_version"] is None and created.json["latest_version"] is None
    assert "leave_request_form1" in created.json["forms"]
    assert "<bpmndi:BPMNEdge" in created.json["files"]["leave_request.bpmn"]
    checked = client.post("/api/v1/process-drafts/leave_request/validate", headers=owner).json
    assert checked["ok"] and checked["problems"] == []
    deployed = client.post("/api/v1/process-drafts/leave_request/deploy", headers=owner)
    assert deployed.status_code == 201 and deployed.json["version"] == 1

    started = client.post("/api/v1/process-instances", headers=auth("sales1"),
                          json={"process_id": "leave_request", "data": {}})
    assert started.status_code == 201, started.json
    inbox = client.get("/api/v1/tasks", headers=auth("sales1")).json
    (task,) = [t for t in inbox if t["process_id"] == "leave_request"]
    assert task["element_id"] == "fill_in" and task["form"]["components"][0]["key"] == "notes"
    assert not [t for t in client.get("/api/v1/tasks", headers=auth("engineer1")).json
                if t["process_id"] == "leave_request"]


def test_a_new_process_needs_a_free_plain_id_and_a_name(client, auth):
    owner = auth("process_owner1")
    taken = client.post("/api/v1/process-drafts", headers=owner, json={"process_id": MAIN, "name": "重复"})
    assert taken.status_code == 409
    bad = client.post("/api/v1/process-drafts", headers=owner,
                      json={"process_id": "Bad-Id", "name": "", "template": "fancy", "role": "boss"})
    assert bad.status_code == 400 and set(bad.json["errors"]) == {"process_id", "name", "template", "role"}
    assert client.post("/api/v1/process-drafts", headers=owner,
                       json={"process_id": "new_one", "name": "新流程", "role": "engineer"}).status_code == 201
    assert client.post("/api/v1/process-drafts", headers=owner,
                       json={"process_id": "new_one", "name": "又一个"}).status_code == 409


# -- the catalogue and the checks ------------------------------------------------------------------

def test_the_catalogue_offers_roles_operations_forms_processes_decisions_and_deadlines(client, auth):
    found = client.get(f"/api/v1/process-editor/catalogue?process_id={MAIN}&lang=en",
                       headers=auth("process_owner1")).json
    assert {"id": "sales", "name": "Sales"} in found["roles"]
    (working_day_end,) = [op for op in found["operations"] if op["name"] == "working_day_end"]
    assert working_day_end["required"] == ["day"] and "received_at" in working_day_end["optional"]
    assert working_day_end["description"].startswith("End of working day")
    assert "application" in found["forms"] and "work" in found["forms"]
    assert {"process_id": CONFLICT, "name": "Conflict resolution", "version": 1} in found["processes"]
    assert {"id": "planning_documents", "name": "具体技术支持前的规划文档",
            "file": f"{MAIN}_planning.dmn"} in found["decisions"]
    names = {d["name"]: d["operation"] for d in found["deadline_variables"]}
    assert names["confirm_due"] == "working_day_end" and names["sales_confirm_due"] == "next_working_day_end"
    chinese = client.get(f"/api/v1/process-editor/catalogue?process_id={MAIN}", headers=auth("auditor1")).json
    assert {"id": "sales", "name": "销售"} in chinese["roles"]
    bare = client.get("/api/v1/process-editor/catalogue", headers=auth("auditor1")).json
    assert bare["forms"] == [] and bare["roles"] == chinese["roles"]


@pytest.mark.parametrize(("expression", "kind", "ok", "variables"), [
    ('support_kind == "project" and days > 2', "condition", True, ["support_kind", "days"]),
    ("[x for x in items if x > limit]", "condition", True, ["items", "limit"]),
    ("total = len(items)\nshare = total / people", "script", True, ["items", "people"]),
    ("__import__('os').system('id')", "condition", False, []),
    ("().__class__.__bases__[0].__subclasses__()", "condition", False, []),
    ("open('/etc/passwd').read()", "script", False, []),
    ('"P2D"', "timer", True, []),
    ('"R/PT24H"', "timer", True, []),
    ('"2026-10-08T18:00:00+08:00"', "timer", True, []),
    ('"next tuesday"', "timer", False, []),
    ("confirm_due", "timer", True, ["confirm_due"]),
    ("P2D", "timer", False, []),
    ("request_sales", "assignee", True, ["request_sales"]),
])
def test_expressions_are_checked_as_the_deploy_checks_them(client, auth, expression, kind, ok, variables):
    response = client.post("/api/v1/process-editor/check?lang=en", headers=auth("process_owner1"),
                           json={"expression": expression, "kind": kind})
    assert response.status_code == 200
    assert (response.json["ok"], response.json["variables"]) == (ok, variables), response.json
    assert (response.json["message"] is None) == ok


def test_an_unquoted_time_is_explained(client, auth):
    said = client.post("/api/v1/process-editor/check?lang=en", headers=auth("process_owner1"),
                       json={"expression": "P2D", "kind": "timer"}).json["message"]
    assert "quotes" in said and '"P2D"' in said
    bad = client.post("/api/v1/process-editor/check", headers=auth("process_owner1"),
                      json={"expression": "", "kind": "poem"})
    assert bad.status_code == 400 and set(bad.json["errors"]) == {"expression", "kind"}
    assert client.post("/api/v1/process-editor/check", headers=auth("sales1"),
                       json={"expression": "1", "kind": "condition"}).status_code == 403


# -- versions ----------------------------------------------------------------------------------------

def test_versions_count_their_running_and_finished_cases(ctx, client, auth):
    start_case(ctx)
    start_case(ctx, project="第二个")
    body = _edited(_draft(client, auth), "技术总监确认申请", "技术总监确认技术支持申请")
    _save(client, auth, body)
    client.post(f"/api/v1/process-drafts/{MAIN}/deploy", headers=auth("process_owner1"))
    listed = client.get(f"/api/v1/process-definitions/{MAIN}/versions?lang=en", headers=auth("auditor1")).json
    assert [(v["version"], v["running"], v["finished"]) for v in listed] == [(2, 0, 0), (1, 2, 0)]
    assert listed[0]["deployed_by"] == "process_owner1" and listed[0]["name"] == "Technical support"
    assert len(listed[0]["content_hash"]) == 64
    old = client.get(f"/api/v1/process-definitions/{MAIN}/versions/1", headers=auth("auditor1")).json
    assert old["version"] == 1 and "技术总监确认申请" in old["files"][f"{MAIN}.bpmn"]
    assert "application" in old["forms"] and f"{MAIN}.en.json" in old["translations"]


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
