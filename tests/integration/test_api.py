"""The JSON API: every endpoint for every role, conflicts, validation, the OpenAPI document."""

from __future__ import annotations

import pytest

from service.domain.roles import ROLES
from service.operations import users
from tests.support.walk import APPLICATION, start_case

READERS = {"auditor", "admin", "process_owner"}


@pytest.fixture
def tokens(ctx):
    return {role: {"Authorization": f"Bearer {users.issue_token(ctx, role + '1')}"} for role in ROLES}


def test_no_token_is_401_and_a_bad_token_too(client):
    assert client.get("/api/v1/tasks").status_code == 401
    response = client.get("/api/v1/tasks", headers={"Authorization": "Bearer forged"})
    assert response.status_code == 401 and response.mimetype == "application/problem+json"


def test_each_role_sees_only_its_own_tasks(ctx, client, tokens):
    start_case(ctx)
    for role, headers in tokens.items():
        response = client.get("/api/v1/tasks", headers=headers)
        assert response.status_code == 200
        names = [t["element_id"] for t in response.json]
        assert names == (["confirm_request"] if role == "tech_director" else []), role
    (task,) = client.get("/api/v1/tasks", headers=tokens["tech_director"]).json
    assert task["form"]["components"] and task["due_at"] == "2026-09-30T18:00:00+08:00"


@pytest.mark.parametrize("role", sorted(ROLES))
def test_task_and_case_reads_by_role(ctx, client, tokens, role):
    instance_id = start_case(ctx)
    (task,) = client.get("/api/v1/tasks", headers=tokens["tech_director"]).json
    headers = tokens[role]
    # a task is readable by whoever may see its case: here the applicant, the technical directors, the
    # applicant's line and GXM (copied on the application mail) and the read-all roles
    readers = {"tech_director", "sales", "sales_lead", "sales_director", "management"} | READERS
    expected_case = 200 if role in readers else 403
    assert client.get(f"/api/v1/tasks/{task['id']}", headers=headers).status_code == expected_case
    assert client.get(f"/api/v1/process-instances/{instance_id}", headers=headers).status_code == expected_case
    assert client.get(f"/api/v1/process-instances/{instance_id}/events", headers=headers).status_code == expected_case
    assert client.get("/api/v1/process-instances/9999", headers=headers).status_code == 404
    assert client.get("/api/v1/tasks/9999", headers=headers).status_code == 404
    assert client.get("/api/v1/process-definitions", headers=headers).status_code == 200


@pytest.mark.parametrize("role", sorted(ROLES))
def test_starting_a_request_is_for_sales_only(client, tokens, role):
    response = client.post("/api/v1/process-instances", headers=tokens[role],
                           json={"process_id": "technical_support", "data": APPLICATION})
    assert response.status_code == (201 if role == "sales" else 403)
    if role == "sales":
        assert response.json["status"] == "running" and response.json["business_key"] == "欧莱雅 / CITRIX安装"


@pytest.mark.parametrize("role", sorted(ROLES))
def test_completing_a_task_by_role(ctx, client, tokens, role):
    start_case(ctx)
    (task,) = client.get("/api/v1/tasks", headers=tokens["tech_director"]).json
    response = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=tokens[role],
                           json={"data": {"accepted": "no"}})
    assert response.status_code == (200 if role == "tech_director" else 403)


def test_double_completion_is_409(ctx, client, tokens):
    start_case(ctx)
    (task,) = client.get("/api/v1/tasks", headers=tokens["tech_director"]).json
    url = f"/api/v1/tasks/{task['id']}/complete"
    assert client.post(url, headers=tokens["tech_director"], json={"data": {"accepted": "no"}}).status_code == 200
    again = client.post(url, headers=tokens["tech_director"], json={"data": {"accepted": "no"}})
    assert again.status_code == 409 and again.json["code"] == "task.already_by" and "已完成" in again.json["detail"]


def test_invalid_data_is_400_with_per_field_errors(ctx, client, tokens):
    response = client.post("/api/v1/process-instances", headers=tokens["sales"], json={
        "process_id": "technical_support", "data": {**APPLICATION, "customer": "", "support_kind": "其他"}})
    assert response.status_code == 400
    assert set(response.json["errors"]) >= {"customer", "support_kind"}
    bad_json = client.post("/api/v1/process-instances", headers=tokens["sales"], data="{",
                           content_type="application/json")
    assert bad_json.status_code == 400


def test_claim_and_release(ctx, client, tokens):
    start_case(ctx)
    (task,) = client.get("/api/v1/tasks", headers=tokens["tech_director"]).json
    claimed = client.post(f"/api/v1/tasks/{task['id']}/claim", headers=tokens["tech_director"])
    assert claimed.status_code == 200 and claimed.json["assignee"] == "tech_director1"
    users.save_user(ctx, username="tech_director2", display_name="技术总监2", email="td2@x", roles=["tech_director"],
                    password="pw", actor="test")
    other = {"Authorization": f"Bearer {users.issue_token(ctx, 'tech_director2')}"}
    assert client.get("/api/v1/tasks", headers=other).json == []  # claimed by someone else
    assert client.post(f"/api/v1/tasks/{task['id']}/claim", headers=other).status_code == 409
    assert client.post(f"/api/v1/tasks/{task['id']}/release", headers=tokens["tech_director"]).status_code == 200
    assert len(client.get("/api/v1/tasks", headers=other).json) == 1


def test_only_process_owners_deploy(client, tokens):
    from io import BytesIO

    from service.config import PROJECT_ROOT
    source = (PROJECT_ROOT / "processes" / "technical_support_conflict.bpmn").read_bytes()
    def upload(headers):
        return client.post("/api/v1/process-definitions", headers=headers, content_type="multipart/form-data",
                           data={"bpmn": (BytesIO(source), "technical_support_conflict.bpmn")})
    assert upload(tokens["sales"]).status_code == 403
    response = upload(tokens["process_owner"])
    assert response.status_code == 400 and any("form" in m for m in response.json["errors"].values())


def test_openapi_lists_exactly_the_real_endpoints(client):
    document = client.get("/api/v1/openapi.json").json
    rules = {(r.rule, m) for r in client.application.url_map.iter_rules() if r.rule.startswith("/api/v1")
             for m in r.methods - {"HEAD", "OPTIONS"}}
    import re
    listed = {(p, m.upper()) for p, ops in document["paths"].items() for m in ops}
    normalised = {(re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r), m) for r, m in rules}
    assert listed == normalised


@pytest.mark.parametrize("role", sorted(ROLES))
def test_claim_release_and_deploy_by_role(ctx, client, tokens, role):
    from io import BytesIO
    start_case(ctx)
    (task,) = client.get("/api/v1/tasks", headers=tokens["tech_director"]).json
    claimed = client.post(f"/api/v1/tasks/{task['id']}/claim", headers=tokens[role])
    assert claimed.status_code == (200 if role == "tech_director" else 403)
    released = client.post(f"/api/v1/tasks/{task['id']}/release", headers=tokens[role])
    assert released.status_code == (200 if role in {"tech_director", "admin"} else 403)
    assert client.post("/api/v1/tasks/9999/claim", headers=tokens[role]).status_code == 404
    deployed = client.post("/api/v1/process-definitions", headers=tokens[role], content_type="multipart/form-data",
                           data={"bpmn": (BytesIO(b"<not-bpmn/>"), "x.bpmn")})
    assert deployed.status_code == (400 if role == "process_owner" else 403)
