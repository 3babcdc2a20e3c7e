"""The 审批 actions as people use them in Chromium: 转办 and a supervisor's 改派, 委派 and its
confirmation, 催办, 抄送, 审批意见 with @mentions and the starter's 撤回 — each once refused with the
reason on the page, and the task page at phone width."""

from __future__ import annotations

from playwright.sync_api import expect

from service.operations import case_comments, cases, queries
from tests.browser.forms import fill_form, submit_and_leave
from tests.processes.walk import APPLICATION, do, task

WIDEST = """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)
  .slice(0, 8).map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


def _case_for_engineer3(ctx) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    case = cases.start_case(ctx, process_id="technical_support", actor="sales1", data=APPLICATION)
    do(ctx, case, "confirm_request", {"accepted": "yes", "engineer": "engineer3"})
    return case, task(ctx, case, "engineer_assessment")["id"]


def _offer(page, section: str, username: str) -> None:  # type: ignore[no-untyped-def]
    """Put a name into a picker that does not list it, as a stale or hand-made form would send it."""
    page.eval_on_selector(f"[data-testid={section}] select[name=to]",
                          "(s, u) => s.add(new Option(u, u))", username)


def _flash(page, kind: str):  # type: ignore[no-untyped-def]
    return page.locator(f".flash.{kind}").first


def test_transfer_is_refused_for_someone_without_the_role_and_a_director_reassigns(ctx, staff):
    case, assessment = _case_for_engineer3(ctx)
    engineer = staff("engineer3")
    page = engineer.go(f"/tasks/{assessment}")
    picker = page.locator("[data-testid=transfer] select[name=to]")
    expect(picker.locator("option")).to_have_text(["请选择…", "工程师1 (engineer1) · 技术部",
                                                   "工程师2 (engineer2) · 技术部", "工程师4 (engineer4) · 技术部"])
    _offer(page, "transfer", "sales1")
    picker.select_option("sales1")
    page.locator("[data-testid=transfer] button").click()
    expect(_flash(page, "error")).to_contain_text("sales1 没有角色「工程师」")
    page.locator("[data-testid=transfer] select[name=to]").select_option("engineer4")
    page.locator("[data-testid=transfer] button").click()
    page.wait_for_url(engineer.base + "/")
    expect(_flash(page, "success")).to_contain_text("转办给 engineer4")

    director = staff("tech_director1")
    page = director.go(f"/tasks/{assessment}")
    expect(page.locator("[data-testid=transfer] h3")).to_have_text("改派")
    page.locator("[data-testid=transfer] select[name=to]").select_option("engineer2")
    page.locator("[data-testid=transfer] button").click()
    expect(_flash(page, "success")).to_contain_text("转办给 engineer2")
    expect(page.locator(".page-head .meta")).to_contain_text("工程师2")
    director.shot("42-task-reassigned-by-director")
    page = director.go(f"/cases/{case}")
    expect(page.get_by_test_id("timeline")).to_contain_text("把「工程师评估能否支持」转办给 工程师2")
    assert queries.get_task(ctx, assessment)["assignee"] == "engineer2"
    assert engineer.errors == [] and director.errors == []


def test_a_delegate_fills_the_form_and_the_delegator_confirms_it(ctx, staff):
    case, assessment = _case_for_engineer3(ctx)
    owner = staff("engineer3")
    page = owner.go(f"/tasks/{assessment}")
    _offer(page, "delegate", "customer1")
    page.locator("[data-testid=delegate] select[name=to]").select_option("customer1")
    page.locator("[data-testid=delegate] button").click()
    expect(_flash(page, "error")).to_contain_text("customer1 没有角色「工程师」")
    page.locator("[data-testid=delegate] select[name=to]").select_option("engineer2")
    page.locator("[data-testid=delegate] button").click()
    expect(_flash(page, "success")).to_contain_text("委派给 engineer2")

    delegate = staff("engineer2")
    page = delegate.go(f"/tasks/{assessment}")
    page.wait_for_selector("body[data-form-ready=true]")
    expect(page.get_by_test_id("delegation")).to_contain_text("委派自 engineer3")
    expect(page.get_by_test_id("transfer")).to_have_count(0)  # a delegate fills in, nothing more
    fill_form(page, {"assessment": "accept"})
    page.get_by_test_id("submit").click()
    page.wait_for_url(delegate.base + "/")
    assert queries.get_task(ctx, assessment)["status"] == "open"

    page = owner.go(f"/tasks/{assessment}")
    page.wait_for_selector("body[data-form-ready=true]")
    expect(page.get_by_test_id("delegation-draft")).to_contain_text("engineer2 已代为填好")
    expect(page.get_by_test_id("delegation-draft")).to_contain_text("评估结果可以支持")
    expect(page.get_by_label("可以支持")).to_be_checked()  # the form holds the delegate's values
    submit_and_leave(page)
    assert queries.get_task(ctx, assessment)["status"] == "completed"
    page = owner.go(f"/cases/{case}")
    expect(page.get_by_test_id("timeline")).to_contain_text("填好了委派的「工程师评估能否支持」，交回 工程师3 确认")
    assert owner.errors == [] and delegate.errors == []


def test_urging_twice_is_refused_with_the_time_of_the_next_reminder(ctx, staff):
    case = cases.start_case(ctx, process_id="technical_support", actor="sales1", data=APPLICATION)
    confirm = task(ctx, case, "confirm_request")["id"]
    sales = staff("sales1")
    page = sales.go(f"/tasks/{confirm}")
    page.locator("[data-testid=urge] button").click()
    expect(_flash(page, "success")).to_contain_text("tech_director1、tech_director2")
    expect(page.get_by_test_id("urge")).to_contain_text("下次可催办：2026-09-30 12:00")
    page.locator("[data-testid=urge] button").click()
    expect(_flash(page, "error")).to_contain_text("2026-09-30 12:00 之后才能再催办")
    assert sales.errors == []


def test_copies_and_comments_with_mentions(ctx, staff):
    case, assessment = _case_for_engineer3(ctx)
    engineer = staff("engineer3")
    page = engineer.go(f"/tasks/{assessment}")
    _offer(page, "copy", "customer2")
    page.locator("[data-testid=copy] select[name=to]").select_option(["customer2"])
    page.locator("[data-testid=copy] button").click()
    expect(_flash(page, "error")).to_contain_text("customer2 是其他客户的联系人")
    page.locator("[data-testid=copy] select[name=to]").select_option(["finance1"])
    page.locator("[data-testid=copy] button").click()
    expect(_flash(page, "success")).to_contain_text("已抄送给 finance1")

    page.fill("[data-testid=comments] textarea", "@engineer4 请帮忙看看")  # engineer4 may not read the case
    page.locator("[data-testid=comments] button").click()
    expect(_flash(page, "error")).to_contain_text("engineer4 不能查看案例 #")
    page.fill("[data-testid=comments] textarea", "@财务1 请留意工时。\n第二行")
    page.locator("[data-testid=comments] button").click()
    expect(_flash(page, "success")).to_contain_text("意见已发表")
    expect(page.get_by_test_id("comment")).to_contain_text("请留意工时")

    reader = staff("finance1")
    page = reader.go(f"/cases/{case}")
    expect(page.get_by_test_id("comment")).to_contain_text("工程师3")
    expect(page.get_by_test_id("timeline")).to_contain_text("把案例抄送给 财务1")
    expect(page.get_by_test_id("withdraw")).to_have_count(0)
    outsider = staff("service_desk1")
    response = outsider.page.goto(outsider.base + f"/cases/{case}")
    assert response is not None and response.status == 403
    assert engineer.errors == [] and reader.errors == []


def test_the_starter_withdraws_a_case_until_someone_has_acted(ctx, staff):
    acted, _ = _case_for_engineer3(ctx)
    fresh = cases.start_case(ctx, process_id="technical_support", actor="sales1", data=APPLICATION)
    sales = staff("sales1")
    page = sales.go(f"/cases/{acted}")
    expect(page.get_by_test_id("withdraw-refusal")).to_contain_text("tech_director1")
    page.locator("[data-testid=withdraw] input[name=reason]").fill("不需要了")
    page.locator("[data-testid=withdraw] button").click()
    expect(_flash(page, "error")).to_contain_text("tech_director1 已办理了任务")
    page = sales.go(f"/cases/{fresh}")
    page.locator("[data-testid=withdraw] button").click()
    expect(_flash(page, "error")).to_contain_text("请填写撤回原因")
    page.locator("[data-testid=withdraw] input[name=reason]").fill("客户取消了需求")
    page.locator("[data-testid=withdraw] button").click()
    expect(_flash(page, "success")).to_contain_text("案例已撤回")
    expect(page.get_by_test_id("timeline")).to_contain_text("撤回了案例：客户取消了需求")
    expect(page.get_by_test_id("withdraw")).to_have_count(0)
    assert queries.show_case(ctx, fresh)["status"] == "cancelled"
    assert sales.errors == []


def test_the_task_actions_fit_a_phone(ctx, staff):
    case, assessment = _case_for_engineer3(ctx)
    case_comments.add_comment(ctx, actor="tech_director1", text="@工程师3 客户周五前需要结论", task_id=assessment)
    engineer = staff("engineer3")
    engineer.page.set_viewport_size({"width": 390, "height": 844})
    page = engineer.go(f"/tasks/{assessment}")
    page.wait_for_selector("body[data-form-ready=true]")
    expect(page.get_by_test_id("task-actions")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the task page scrolls sideways at phone width ({width}px): {page.evaluate(WIDEST)}"
    engineer.shot("40-task-actions-phone")
    page = engineer.go(f"/cases/{case}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the case page scrolls sideways at phone width ({width}px): {page.evaluate(WIDEST)}"
    engineer.shot("41-case-comments-phone")
    assert engineer.errors == []
