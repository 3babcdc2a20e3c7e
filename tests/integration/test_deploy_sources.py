"""Deploying diagrams from other modelers and going back to older content, with cases run by the demo
organisation: a file of any name with two pools deploys both processes, and their cases run; content
deployed again after a newer version is the current version again."""

from __future__ import annotations

from io import BytesIO

import pytest

from service.config import PROJECT_ROOT
from service.operations import cases, deploy, queries, users
from tests.engine.test_validate_sources import COLLABORATION, definitions, folder, simple

pytestmark = pytest.mark.usefixtures("every_case_replays")

ORDER_FILE = definitions(COLLABORATION, simple("order"), simple("invoice", task="bill"))
SOURCE = (PROJECT_ROOT / "processes" / "technical_support.bpmn").read_text(encoding="utf-8")
APPLICATION = {"customer": "欧莱雅", "project": "CITRIX安装", "sales_name": "ZGH", "support_kind": "non_project",
               "request_origin": "customer", "request_description": "安装 CITRIX 并接入现有域",
               "preparation_required": ["ppt"], "preparation": "准备PPT和实施规划", "notify_sales_on_leaving": True}


def _run_to_the_end(ctx, process_id: str, starter: str, doer: str) -> dict:
    case = cases.start_case(ctx, process_id=process_id, actor=starter, data={})
    (task,) = [t for t in queries.open_tasks(ctx, actor=doer) if t["instance_id"] == case]
    cases.complete_task(ctx, task_id=task["id"], actor=doer, data={"answer": "已完成"})
    return queries.show_case(ctx, case, actor=starter)


def test_a_bpmn20_file_with_two_pools_deploys_both_and_their_cases_run(ctx, tmp_path):
    where = folder(tmp_path, {"Order Handling.bpmn20.xml": ORDER_FILE}, forms_for=("order", "invoice"))
    deployed = [deploy.deploy_bundle(ctx, b, actor="process_owner1")
                for b in deploy.bundles_from_paths([where], tmp_path / "forms")]
    assert [(r.process_id, r.version, r.created) for r in deployed] == [("order", 1, True), ("invoice", 1, True)]
    for process_id in ("order", "invoice"):
        shown = _run_to_the_end(ctx, process_id, starter="engineer1", doer="engineer3")
        assert (shown["status"], shown["process_id"], shown["version"]) == ("completed", process_id, 1)
    again = [deploy.deploy_bundle(ctx, b, actor="process_owner1")
             for b in deploy.bundles_from_paths([where], tmp_path / "forms")]
    assert [r.created for r in again] == [False, False]


def test_going_back_to_older_content_makes_new_cases_start_on_it(ctx):
    def bundle(text: str) -> deploy.Bundle:
        real = deploy.bundle_from_path(PROJECT_ROOT / "processes" / "technical_support.bpmn", PROJECT_ROOT / "forms")
        return deploy.Bundle("technical_support", {**real.files, "technical_support.bpmn": text.encode()}, real.forms,
                             real.form_sources, real.translations, real.translation_sources)

    renamed = SOURCE.replace("技术总监确认申请", "技术总监确认技术支持申请")
    assert deploy.deploy_bundle(ctx, bundle(renamed), actor="process_owner1").version == 2
    back = deploy.deploy_bundle(ctx, bundle(SOURCE), actor="process_owner1")
    assert (back.version, back.created) == (3, True)
    case = cases.start_case(ctx, process_id="technical_support", actor="sales3", data=APPLICATION)
    assert queries.show_case(ctx, case, actor="sales3")["version"] == 3
    (task,) = [t for t in queries.open_tasks(ctx, actor="tech_director2") if t["instance_id"] == case]
    assert task["name"] == "技术总监确认申请"  # what version 1 said, deployed again
    same = deploy.deploy_bundle(ctx, bundle(SOURCE), actor="process_owner1")
    assert (same.version, same.created) == (3, False)  # the latest content again: unchanged


def _upload(ctx, *diagrams: tuple[str, str], forms: tuple[str, ...] = ()):
    from service import create_app

    client = create_app(context=ctx).test_client()
    headers = {"Authorization": f"Bearer {users.issue_token(ctx, 'process_owner1')}", "Accept-Language": "en"}
    from tests.engine.lint_diagrams import FORM

    data = {"bpmn": [(BytesIO(text.encode()), name) for name, text in diagrams],
            "form": [(BytesIO(FORM.encode()), "f.form") for _ in forms[:1]]}
    return client.post("/api/v1/process-definitions", headers=headers, content_type="multipart/form-data", data=data)


def test_uploading_a_file_of_any_name_deploys_every_executable_process_in_it(ctx):
    response = _upload(ctx, ("Order Handling.bpmn20.xml", ORDER_FILE), forms=("f",))
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert [(p["process_id"], p["version"]) for p in body["processes"]] == [("order", 1), ("invoice", 1)]
    shown = _run_to_the_end(ctx, "invoice", starter="engineer2", doer="engineer4")
    assert shown["status"] == "completed"


def test_an_upload_calling_a_process_it_does_not_send_names_the_called_element(ctx):
    from tests.engine.test_validate_sources import caller

    response = _upload(ctx, ("request.xml", definitions(caller("request", "approval"))))
    assert response.status_code == 400
    (where, said), = response.get_json()["errors"].items()
    assert where.startswith("request.xml:") and where.endswith(":call")
    assert "calls process 'approval' (calledElement), which none of the files given holds" in said
