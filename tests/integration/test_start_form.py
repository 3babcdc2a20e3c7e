"""What a script or a person at the terminal learns before starting a case: the start form of the latest
version and who may start it — `guicheng start-form` and `GET /api/v1/process-definitions/{id}`, in the
reader's language, the same answer both ways."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from service.config import PROJECT_ROOT
from service.operations import deploy, users
from tests.support.cli import cli_env, run_cli


@pytest.fixture
def sales(ctx):  # type: ignore[no-untyped-def]
    return {"Authorization": f"Bearer {users.issue_token(ctx, 'sales3')}"}


def _labels(form: dict) -> dict[str, str]:
    return {c["key"]: c.get("label") for c in form["components"] if c.get("key")}


def test_the_api_gives_the_latest_start_form_and_start_roles(client, sales):
    response = client.get("/api/v1/process-definitions/technical_support", headers=sales)
    assert response.status_code == 200
    body = response.json
    assert (body["process_id"], body["version"], body["name"]) == ("technical_support", 1, "技术支持")
    assert body["start_roles"] == ["sales"]
    labels = _labels(body["start_form"])
    assert labels["customer"] == "客户名称" and labels["project"] == "项目名称"
    english = client.get("/api/v1/process-definitions/technical_support?lang=en", headers=sales).json
    assert english["name"] == "Technical support" and _labels(english["start_form"])["customer"] == "Customer"
    assert english["start_roles"] == ["sales"]


def test_a_new_version_is_the_one_described(ctx, client, sales):
    bundle = next(b for b in deploy.bundles_from_paths([PROJECT_ROOT / "processes"], PROJECT_ROOT / "forms")
                  if b.process_id == "technical_support")
    bpmn = bundle.files["technical_support.bpmn"]
    text = bpmn.decode("utf-8") if isinstance(bpmn, bytes) else bpmn
    changed = text.replace('name="提交规划文档"', 'name="提交规划文件"', 1)
    assert changed != text
    files = {**bundle.files, "technical_support.bpmn": changed.encode("utf-8") if isinstance(bpmn, bytes) else changed}
    deploy.deploy_bundle(ctx, replace(bundle, files=files), actor="process_owner1")
    assert client.get("/api/v1/process-definitions/technical_support", headers=sales).json["version"] == 2


def test_an_unknown_process_is_a_404_problem_naming_it(client, sales):
    response = client.get("/api/v1/process-definitions/no_such_process", headers=sales)
    assert response.status_code == 404
    assert response.content_type.startswith("application/problem+json")
    assert "no_such_process" in response.json["detail"]
    assert client.get("/api/v1/process-definitions/technical_support").status_code == 401


def test_the_command_prints_the_same_as_the_api(database_url, home, client, sales):
    env = cli_env(database_url, home)
    result = run_cli(env, "start-form", "technical_support", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == client.get("/api/v1/process-definitions/technical_support",
                                                   headers=sales).json
    listing = run_cli(env, "start-form", "technical_support")
    assert listing.returncode == 0, listing.stderr
    lines = listing.stdout.splitlines()
    assert lines[0] == "technical_support v1  技术支持" and "销售" in lines[1]
    assert "  customer *  客户名称" in lines
    english = run_cli({**env, "GUICHENG_LANG": "en"}, "start-form", "technical_support")
    assert "  customer *  Customer" in english.stdout.splitlines() and "Sales" in english.stdout


def test_the_command_names_an_unknown_process(database_url, home):
    result = run_cli(cli_env(database_url, home), "start-form", "no_such_process")
    assert result.returncode == 1 and result.stdout == ""
    assert "no_such_process" in result.stderr and "没有已部署的流程" in result.stderr
