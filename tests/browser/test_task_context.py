"""Task and case pages people can work in, in Chromium: the context a task page gives (case summary,
earlier decisions), going on with one's next task of the case, what a customer may not see (on the page
and through the API), the 技术细节 of the read-all roles, system steps behind a toggle, the case page's
status above the fold, and a start page without a "current position"."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from service.operations import case_comments, cases
from tests.browser.forms import fill_form
from tests.integration.test_case_view import deploy_marked
from tests.processes.walk import advance_to, do, start, task

INTERNAL_LABELS = ("实际人天", "难度", "注意控制人天")


def _ready(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_selector("body[data-form-ready=true]")


def test_the_directors_first_task_shows_what_the_case_is_about(ctx, staff):
    deploy_marked(ctx)
    case = start(ctx)
    director = staff("tech_director1")
    page = director.go(f"/tasks/{task(ctx, case, 'confirm_request')['id']}")
    _ready(page)
    summary = page.get_by_test_id("case-summary")
    expect(summary).to_contain_text("客户名称")
    expect(summary).to_contain_text("欧莱雅")
    expect(summary).to_contain_text("CITRIX安装")
    expect(summary.locator('[data-key="support_kind"] dd')).not_to_have_text("non_project")  # the option's label
    for raw in ("support_kind", "non_project", "preparation_required", "customer"):
        assert raw not in summary.inner_text()
    expect(page.get_by_test_id("decisions").get_by_test_id("decision")).to_have_text([re.compile("销售1 发起了申请")])
    director.shot("60-task-context-director")
    director.go("/lang/en")
    page = director.go(f"/tasks/{task(ctx, case, 'confirm_request')['id']}")
    _ready(page)
    expect(page.get_by_test_id("case-summary")).to_contain_text("Case summary")
    expect(page.get_by_test_id("decisions")).to_contain_text("applied")
    director.shot("60-task-context-director-en")
    assert director.errors == []


def test_after_submitting_the_engineer_goes_on_with_his_next_task_and_reads_the_directors_reason(ctx, staff):
    case = start(ctx)
    do(ctx, case, "confirm_request", {"accepted": "yes", "engineer": "engineer1", "comment": "请尽快联系客户"})
    engineer = staff("engineer1")
    assessment = task(ctx, case, "engineer_assessment")["id"]
    page = engineer.go(f"/tasks/{assessment}")
    _ready(page)
    expect(page.get_by_test_id("decisions")).to_contain_text("请尽快联系客户")
    fill_form(page, {"assessment": "accept"})
    page.get_by_test_id("submit").click()
    page.wait_for_url(lambda url: "/tasks/" in url and not url.endswith(f"/tasks/{assessment}"))
    assert page.url == f"{engineer.base}/tasks/{task(ctx, case, 'communication')['id']}"
    expect(page.locator(".flash.success")).to_have_text(
        "「工程师评估能否支持」已提交，接着办理本案例的下一个任务「具体技术支持前的沟通」")
    engineer.shot("61-next-task-of-the-case")

    do(ctx, case, "communication")
    cases.complete_task(ctx, task_id=task(ctx, case, "planning_documents")["id"], actor="engineer1", data={
        "request_waiver": True, "waiver_requested_documents": ["implementation_plan"],
        "waiver_request_reason": "客户已有规划", "estimated_person_days": 2})
    do(ctx, case, "waive_documents", {"waived_documents": [], "waiver_reason": "请补交实施规划"},
       actor="tech_director1")
    page = engineer.go(f"/tasks/{task(ctx, case, 'planning_documents')['id']}")
    _ready(page)
    said = page.get_by_test_id("decisions").get_by_test_id("decision").last
    expect(said).to_contain_text("技术总监1 办理了「技术总监免除文档」")
    expect(said).to_contain_text("请补交实施规划")
    engineer.shot("62-second-round-of-planning-documents")

    director = staff("tech_director2")  # the last task of his in this case: back to the inbox, told so
    other = start(ctx, project="VDI扩容")
    page = director.go(f"/tasks/{task(ctx, other, 'confirm_request')['id']}")
    _ready(page)
    fill_form(page, {"accepted": "yes", "engineer": "engineer2"})
    page.get_by_test_id("submit").click()
    page.wait_for_url(director.base + "/")
    expect(page.locator(".flash.success")).to_contain_text("「技术总监确认申请」已提交。本案例暂时没有您要办理的其他任务")
    assert engineer.errors == [] and director.errors == []


def _signoff_case(ctx, **application) -> int:  # type: ignore[no-untyped-def]
    case = start(ctx, **application)
    case_comments.add_comment(ctx, actor="tech_director1", text="内部：注意控制人天", instance_id=case)
    advance_to(ctx, case, "customer_signoff")
    return case


def test_a_customer_sees_only_the_customer_facing_part_of_its_own_case(ctx, staff):
    deploy_marked(ctx)
    loreal = _signoff_case(ctx)
    huawei = start(ctx, customer="华为", project="云桌面")
    customer = staff("customer1")
    page = customer.go(f"/cases/{loreal}")
    page.wait_for_selector("#diagram[data-ready=true]")
    expect(page.get_by_test_id("case-data")).to_contain_text("安装并测试")  # the work summary is theirs
    body = page.locator("main, body").first.inner_text()
    for word in INTERNAL_LABELS:
        assert word not in body, word
    expect(page.get_by_test_id("comments")).to_have_count(0)
    expect(page.get_by_test_id("tech-details")).to_have_count(0)
    expect(page.get_by_test_id("case-mail")).to_have_count(0)
    customer.shot("63-case-as-the-customer")
    shown = page.request.get(f"{customer.base}/api/v1/process-instances/{loreal}").json()
    assert "person_days_spent" not in shown["data"] and "difficulty" not in shown["data"]
    assert shown["data"]["work_summary"] == "安装并测试" and shown["mails"] == []
    signoff = task(ctx, loreal, "customer_signoff")["id"]
    data = page.request.get(f"{customer.base}/api/v1/tasks/{signoff}").json()["data"]
    assert "person_days_spent" not in data and "documents_check" not in data
    events = page.request.get(f"{customer.base}/api/v1/process-instances/{loreal}/events").text()
    assert "注意控制人天" not in events and "person_days_spent" not in events
    page = customer.go(f"/tasks/{signoff}")
    _ready(page)
    expect(page.get_by_test_id("comments")).to_have_count(0)
    assert "注意控制人天" not in page.get_by_test_id("decisions").inner_text()
    assert page.request.get(f"{customer.base}/api/v1/process-instances/{huawei}").status == 403
    response = page.goto(f"{customer.base}/cases/{huawei}")
    assert response is not None and response.status == 403
    assert customer.errors == []


def test_technical_details_for_the_auditor_and_system_steps_behind_a_toggle(ctx, staff):
    case = _signoff_case(ctx)
    auditor = staff("auditor1")
    auditor.page.set_viewport_size({"width": 1366, "height": 768})  # the screen most people have
    page = auditor.go(f"/cases/{case}")
    page.wait_for_selector("#diagram[data-ready=true]")
    tasks_box = page.get_by_test_id("case-open-tasks").bounding_box()
    diagram_box = page.get_by_test_id("diagram").bounding_box()
    assert tasks_box and diagram_box and tasks_box["y"] + tasks_box["height"] <= 768 <= diagram_box["y"] + 520
    assert tasks_box["y"] < diagram_box["y"]
    details = page.get_by_test_id("tech-details")
    expect(details).to_contain_text("技术细节")
    expect(details.locator("code", has_text="documents_check")).not_to_be_visible()
    details.locator("summary").click()
    expect(details.locator("code", has_text="documents_check")).to_be_visible()
    timeline = page.get_by_test_id("timeline")
    system = timeline.locator("li.system").first
    expect(system).not_to_be_visible()
    expect(timeline.locator("li.task_completed").first).to_be_visible()
    page.get_by_text("显示系统步骤").click()
    expect(system).to_be_visible()
    auditor.shot("64-case-technical-details")

    sales = staff("sales1")
    page = sales.go(f"/cases/{case}")
    page.wait_for_selector("#diagram[data-ready=true]")
    expect(page.get_by_test_id("tech-details")).to_have_count(0)
    expect(page.get_by_test_id("case-data")).to_contain_text("实际人天")
    assert "documents_check" not in page.locator("body").inner_text()
    sales.shot("65-case-as-sales")
    sales.go("/lang/en")
    page = sales.go(f"/cases/{case}")
    expect(page.get_by_text("Show system steps")).to_be_visible()
    sales.shot("65-case-as-sales-en")
    assert sales.errors == [] and auditor.errors == []


def test_the_start_page_shows_the_process_without_a_current_position(staff):
    sales = staff("sales1")
    page = sales.go("/start/technical_support")
    page.wait_for_selector("#diagram[data-ready=true]")
    diagram = page.get_by_test_id("start-diagram")
    expect(diagram.locator(".legend")).to_have_count(0)
    expect(diagram.get_by_role("button", name="全图")).to_be_visible()
    expect(diagram.get_by_role("button", name="当前位置")).to_have_count(0)
    expect(page.locator(".gc-current, .gc-active, .gc-done")).to_have_count(0)
    sales.shot("66-start-page")
