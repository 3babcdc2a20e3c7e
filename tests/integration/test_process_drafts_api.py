"""The process editor's drafts: read, saved, checked, deployed and discarded by process owners, refused
to everyone else; and a new process from its template running at once."""

from __future__ import annotations

import json

from service.config import PROJECT_ROOT
from service.operations import deploy
from service.persistence.models import ProcessDefinition, ProcessDraft
from tests.integration import editor_api
from tests.integration.editor_api import MAIN, SOURCE, _count, _draft, _edited, _events, _save

client, auth = editor_api.client, editor_api.auth  # the editor's fixtures, used by name in the tests below

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
