"""The editor panel's catalogue of roles, operations, forms, processes, decisions and deadlines; its
expression checks; and the deployed versions with their cases."""

from __future__ import annotations

import pytest

from tests.integration import editor_api
from tests.integration.editor_api import CONFLICT, MAIN, _draft, _edited, _save
from tests.support.walk import start_case

client, auth = editor_api.client, editor_api.auth  # the editor's fixtures, used by name in the tests below

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

