"""退回 and 加签 through the task page in Chromium, refusals included, at desk and phone width."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from service.operations import cases, queries
from tests.browser.forms import fill_form
from tests.processes.walk import APPLICATION, task


def _case_at_assessment(ctx) -> int:  # type: ignore[no-untyped-def]
    case = cases.start_case(ctx, process_id="technical_support", actor="sales3", data=APPLICATION)
    cases.complete_task(ctx, task_id=task(ctx, case, "confirm_request")["id"], actor="tech_director1",
                        data={"accepted": "yes", "engineer": "engineer3"})
    return case


def _ready(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_selector("body[data-form-ready=true]")


def test_engineer_sends_the_case_back_to_the_director(ctx, staff):  # type: ignore[no-untyped-def]
    case = _case_at_assessment(ctx)
    assessment = task(ctx, case, "engineer_assessment")
    engineer = staff("engineer3")
    page = engineer.go(f"/tasks/{assessment['id']}")
    _ready(page)
    form = page.get_by_test_id("send-back-form")
    expect(form.get_by_test_id("send-back-target")).to_contain_text("技术总监1")
    form.get_by_test_id("send-back").click()  # no reason given
    expect(page.locator(".flash.error")).to_contain_text("原因")
    assert task(ctx, case, "engineer_assessment")["id"] == assessment["id"]  # nothing moved

    page.get_by_test_id("send-back-reason").fill("客户环境与申请不符，请重新确认范围")
    page.get_by_test_id("send-back").click()
    expect(page.locator(".flash.success")).to_contain_text("已退回")
    engineer.shot("moves-01-sent-back")

    director = staff("tech_director1")
    redo = task(ctx, case, "confirm_request")
    page = director.go(f"/tasks/{redo['id']}")
    _ready(page)
    expect(page.get_by_test_id("task-note")).to_contain_text("客户环境与申请不符")
    director.page.set_viewport_size({"width": 390, "height": 844})
    director.shot("moves-02-redo-phone")
    case_page = director.go(f"/cases/{case}")
    expect(case_page.get_by_test_id("timeline")).to_contain_text("退回给")
    assert not engineer.errors and not director.errors, engineer.errors + director.errors


def test_director_adds_a_signer_who_agrees(ctx, staff):  # type: ignore[no-untyped-def]
    case = cases.start_case(ctx, process_id="technical_support", actor="sales3", data=APPLICATION)
    confirm = task(ctx, case, "confirm_request")
    director = staff("tech_director1")
    page = director.go(f"/tasks/{confirm['id']}")
    _ready(page)
    form = page.get_by_test_id("add-signer-form")
    form.get_by_test_id("signer").select_option("tech_director2")
    form.locator("input[value=after]").check()
    form.get_by_test_id("add-signer").click()
    expect(page.locator(".flash.success")).to_contain_text("已加签")
    # a second signer while the first still waits is refused with the reason
    page.get_by_test_id("add-signer-form").get_by_test_id("signer").select_option("finance1")
    page.get_by_test_id("add-signer-form").get_by_test_id("add-signer").click()
    expect(page.locator(".flash.error")).to_contain_text("已有待签的加签人")

    _ready(page)
    fill_form(page, {"accepted": "yes", "engineer": "engineer3"})
    page.get_by_test_id("submit").click()
    page.wait_for_url(re.compile(r"/$|/inbox|/cases"))

    second = staff("tech_director2")
    (signer_task,) = [t for t in queries.open_tasks(ctx, actor="tech_director2") if t["kind"] == "signer"]
    page = second.go(f"/tasks/{signer_task['id']}")
    _ready(page)
    expect(page.locator(".flash.info")).to_contain_text("加签步骤")
    second.shot("moves-03-signer-task")
    fill_form(page, {"decision": "agree"})
    page.get_by_test_id("submit").click()
    page.wait_for_url(re.compile(r"/$|/inbox|/cases"))
    assert task(ctx, case, "engineer_assessment")["assignee"] == "engineer3"
    assert not director.errors and not second.errors, director.errors + second.errors
