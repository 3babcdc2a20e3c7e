"""The English switch of the API: task, process and element names and form labels from the translation
files deployed with each version; a running case keeps its version's words after a redeploy."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from service.config import PROJECT_ROOT
from service.domain.form_translation import has_cjk, shown_strings
from service.engine.problems import DefinitionInvalid
from service.operations import deploy, users
from tests.integration.test_web_pages import sign_in
from tests.support.walk import start_case

ENGLISH = {"Accept-Language": "en"}


@pytest.fixture
def director(ctx) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """One of the technical directors (the demo organisation has several)."""
    return {"Authorization": f"Bearer {users.issue_token(ctx, 'tech_director2')}"}


@pytest.fixture
def sales(ctx) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"Authorization": f"Bearer {users.issue_token(ctx, 'sales1')}"}


def _shown(form: dict[str, Any]) -> list[str]:
    """What the form shows, but the people a user picker offers (their names are data, as typed)."""
    people = [c for c in form["components"] if (c.get("properties") or {}).get("userPicker")]
    return [s.text for s in shown_strings(form)
            if not any(s.text in [v["label"] for v in c.get("values", [])] for c in people)]


def test_task_list_and_task_in_english(ctx, client, director):
    start_case(ctx)
    (task,) = client.get("/api/v1/tasks?lang=en", headers=director).json
    assert task["name"] == "Technical director confirms the application"
    shown = _shown(task["form"])
    assert "Accept the request?" in shown and "Assign engineer" in shown and "Refuse" in shown
    assert not [s for s in shown if has_cjk(s)], shown
    one = client.get(f"/api/v1/tasks/{task['id']}", headers={**director, **ENGLISH}).json
    assert one["name"] == task["name"] and _shown(one["form"]) == shown
    assert one["data"]["customer"] == "欧莱雅"  # what people typed stays as typed


def test_chinese_stays_as_written(ctx, client, director):
    start_case(ctx)
    (task,) = client.get("/api/v1/tasks", headers={**director, "Accept-Language": "zh-CN"}).json
    assert task["name"] == "技术总监确认申请" and "是否受理" in _shown(task["form"])
    (task,) = client.get("/api/v1/tasks?lang=zh", headers={**director, **ENGLISH}).json
    assert task["name"] == "技术总监确认申请"


def test_process_names_case_and_timeline_in_english(ctx, client, director, sales):
    instance_id = start_case(ctx)
    names = {d["process_id"]: d["name"] for d in client.get("/api/v1/process-definitions?lang=en",
                                                               headers=sales).json}
    assert names["technical_support"] == "Technical support"
    assert names["technical_support_proposal"] == "Proposal writing"
    case = client.get(f"/api/v1/process-instances/{instance_id}", headers={**director, **ENGLISH}).json
    assert case["name"] == "Technical support" and case["business_key"] == "欧莱雅 / CITRIX安装"
    assert [t["name"] for t in case["open_tasks"]] == ["Technical director confirms the application"]
    events = client.get(f"/api/v1/process-instances/{instance_id}/events?lang=en", headers=director).json
    named = [e["payload"]["name"] for e in events if isinstance(e["payload"], dict) and e["payload"].get("name")]
    assert "Technical director confirms the application" in named
    assert not [n for n in named if has_cjk(n)], named
    chinese = client.get(f"/api/v1/process-instances/{instance_id}/events", headers=director).json
    assert "技术总监确认申请" in [e["payload"].get("name") for e in chinese if isinstance(e["payload"], dict)]


def _copy_definitions(target: Path) -> Path:
    shutil.copytree(PROJECT_ROOT / "processes", target / "processes")
    shutil.copytree(PROJECT_ROOT / "forms", target / "forms")
    return target / "processes"


def _rewrite(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def _deploy(ctx, processes: Path) -> dict[str, deploy.DeployResult]:  # type: ignore[no-untyped-def]
    return {b.process_id: deploy.deploy_bundle(ctx, b, actor="process_owner1")
            for b in deploy.bundles_from_paths([processes], processes.parent / "forms")}


def test_a_running_case_keeps_its_versions_words_after_a_redeploy(ctx, client, director, tmp_path):
    first = start_case(ctx)
    processes = _copy_definitions(tmp_path)
    assert not _deploy(ctx, processes)["technical_support"].created  # the same words: no new version

    _rewrite(processes / "technical_support.en.json",
             lambda d: d["elements"].update(confirm_request="Director accepts or refuses"))
    _rewrite(tmp_path / "forms" / "technical_support" / "confirm_request.en.json",
             lambda d: d.update({"是否受理": "Take the request on?"}))
    result = _deploy(ctx, processes)["technical_support"]
    assert result.created and result.version == 2  # a changed translation is a new version
    second = start_case(ctx, project="SAP升级")

    tasks = {t["instance_id"]: t for t in client.get("/api/v1/tasks?lang=en", headers=director).json}
    assert tasks[first]["version"] == 1 and tasks[second]["version"] == 2
    assert tasks[first]["name"] == "Technical director confirms the application"
    assert "Accept the request?" in _shown(tasks[first]["form"])
    assert tasks[second]["name"] == "Director accepts or refuses"
    assert "Take the request on?" in _shown(tasks[second]["form"])
    old = client.get(f"/api/v1/tasks/{tasks[first]['id']}", headers={**director, **ENGLISH}).json
    assert old["name"] == "Technical director confirms the application"


def test_the_served_diagram_is_english_for_an_english_reader(ctx, client):
    start_case(ctx)
    sign_in(client, "tech_director1")
    client.get("/lang/en")
    xml = client.get("/processes/technical_support/1/diagram.bpmn").get_data(as_text=True)
    assert 'name="Technical director confirms the application"' in xml
    assert 'name="Technical director"' in xml  # a lane: the role's English
    shown = re.findall(r' name="([^"]*)"', xml)  # what the viewer labels the shapes with
    assert len(shown) > 80 and not [n for n in shown if has_cjk(n)]
    client.get("/lang/zh")
    assert "技术总监确认申请" in client.get("/processes/technical_support/1/diagram.bpmn").get_data(as_text=True)


def test_inbox_case_list_and_start_pages_name_tasks_and_processes_in_english(ctx, client):
    start_case(ctx)
    start_case(ctx, customer="华为", project="桌面云")
    sign_in(client, "tech_director2")
    client.get("/lang/en")
    inbox_page = client.get("/").get_data(as_text=True)
    assert inbox_page.count("Technical director confirms the application") >= 2 and "Technical support" in inbox_page
    assert "技术总监确认申请" not in inbox_page and "华为 / 桌面云" in inbox_page
    csv_text = client.get("/inbox.csv").data.decode("utf-8-sig")
    assert "Technical director confirms the application" in csv_text and "技术总监确认申请" not in csv_text
    cases_page = client.get("/cases").get_data(as_text=True)
    assert "Technical director confirms the application" in cases_page and "Proposal writing" in cases_page
    assert "技术总监确认申请" not in cases_page and "方案编写" not in cases_page
    client.get("/lang/zh")
    assert "技术总监确认申请" in client.get("/").get_data(as_text=True)

    sign_in(client, "sales2")
    client.get("/lang/en")
    start_list = client.get("/start").get_data(as_text=True)
    assert "Technical support" in start_list and "技术支持" not in start_list.replace("技术支持申请", "")
    start_form = client.get("/start/technical_support").get_data(as_text=True)
    assert '"label": "Customer"' in start_form or '"label":"Customer"' in start_form
    assert "客户名称" not in start_form


def test_an_uploaded_diagram_brings_its_translations(ctx, client, tmp_path):
    owner = {"Authorization": f"Bearer {users.issue_token(ctx, 'process_owner1')}"}
    processes = _copy_definitions(tmp_path)
    _rewrite(processes / "technical_support_conflict.en.json", lambda d: d.update(name="Settling a conflict"))
    forms = sorted((tmp_path / "forms" / "technical_support_conflict").glob("*.form"))
    words = [processes / "technical_support_conflict.en.json"] + [f.with_name(f"{f.stem}.en.json") for f in forms]

    def upload(translations: list[Path]):  # type: ignore[no-untyped-def]
        return client.post("/api/v1/process-definitions", headers=owner, content_type="multipart/form-data", data={
            "bpmn": (io.BytesIO((processes / "technical_support_conflict.bpmn").read_bytes()),
                     "technical_support_conflict.bpmn"),
            "form": [(io.BytesIO(f.read_bytes()), f.name) for f in forms],
            "translation": [(io.BytesIO(w.read_bytes()), w.name) for w in translations]})

    misnamed = tmp_path / "conflict.en.txt"
    misnamed.write_text("{}", encoding="utf-8")
    refused = upload([words[0], misnamed])
    assert refused.status_code == 400 and "translation" in refused.json["errors"]
    deployed = upload(words)
    assert deployed.status_code == 201, deployed.json
    names = {(d["process_id"], d["version"]): d["name"] for d in client.get(
        "/api/v1/process-definitions?lang=en", headers=owner).json}
    assert names[("technical_support_conflict", deployed.json["version"])] == "Settling a conflict"


def test_an_uploaded_translation_of_no_form_is_refused(ctx):
    bundle = deploy.bundle_from_path(PROJECT_ROOT / "processes" / "technical_support_conflict.bpmn",
                                     PROJECT_ROOT / "forms")
    deploy.add_uploaded_translations(bundle, {"resolve_conflikt.en.json": b'{"x": "y"}'})
    with pytest.raises(DefinitionInvalid) as refused:
        deploy.deploy_bundle(ctx, bundle, actor="process_owner1")
    assert str(refused.value) == ("resolve_conflikt.en.json:0: -: translates no diagram or form of this bundle "
                                  "(name it <process_id>.en.json or <formKey>.en.json)")
