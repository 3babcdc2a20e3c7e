"""The pages at phone width (390 × 844): the inbox as cards whose actions are reachable, no sideways
scrolling of the page, the top bar's menu folded behind a toggle, the error summary below the sticky
top bar after a refused submission."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.processes import walk

PHONE = {"width": 390, "height": 844}


def _engineer_with_work(ctx) -> tuple[list[int], dict]:  # type: ignore[no-untyped-def]
    """Two cases at the engineer's steps, a third waiting for a technical director; the task to open."""
    first, second = walk.start(ctx), walk.start(ctx, project="桌面虚拟化扩容")
    walk.advance_to(ctx, first, "communication")
    walk.advance_to(ctx, second, "engineer_assessment")
    third = walk.start(ctx, project="邮件系统迁移")
    return [first, second, third], walk.task(ctx, first, "communication")


def page_width(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.evaluate("document.documentElement.scrollWidth"))


def assert_no_sideways_scroll(page, what: str) -> None:  # type: ignore[no-untyped-def]
    wide = page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                     && !e.closest('.table-wrap, .diagram, .tabs, pre'))
        .slice(0, 5).map(e => e.tagName + '.' + e.className)""")
    assert page_width(page) <= PHONE["width"], f"{what} scrolls sideways ({page_width(page)} px): {wide}"


def test_the_engineers_inbox_on_a_phone_is_cards_with_their_actions(ctx, staff):
    cases, task = _engineer_with_work(ctx)
    task_id = task["id"]
    engineer = staff("engineer1")
    page = engineer.page
    page.set_viewport_size(PHONE)
    engineer.go("/")
    card = page.locator(f"tr[data-task-id='{task_id}']")
    expect(card).to_be_visible()
    expect(page.locator("table.inbox-list thead")).to_be_hidden()
    open_button = card.get_by_role("link", name="办理", exact=True)
    release = card.get_by_role("button", name="取消认领", exact=True)  # the director assigned it to engineer1
    for control in (open_button, release):
        expect(control).to_be_visible()
        box = control.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], "inside the screen"
    assert_no_sideways_scroll(page, "the inbox")
    engineer.shot("phone-inbox")
    open_button.click()
    page.wait_for_url(f"**/tasks/{task_id}")
    expect(page.locator("h1")).to_contain_text(task["name"])
    page.wait_for_selector("body[data-form-ready=true]")
    assert_no_sideways_scroll(page, "the task page")
    engineer.shot("phone-task")
    for path, what in ((f"/cases/{cases[0]}", "the case page"), ("/cases", "the case list"),
                       ("/start", "the start list"), ("/mailbox", "the mailbox"), ("/done", "my completed tasks")):
        engineer.go(path)
        assert_no_sideways_scroll(page, what)
    assert engineer.errors == []


def test_a_director_claims_a_task_from_the_phone_inbox(ctx, staff):
    cases, _ = _engineer_with_work(ctx)
    director = staff("tech_director1")
    page = director.page
    page.set_viewport_size(PHONE)
    director.go("/")
    task_id = walk.task(ctx, cases[2], "confirm_request")["id"]
    card = page.locator(f"tr[data-task-id='{task_id}']")
    card.get_by_role("button", name="认领", exact=True).click()
    expect(page.locator(f"tr[data-task-id='{task_id}']").get_by_role("button", name="取消认领", exact=True)
           ).to_be_visible()
    assert_no_sideways_scroll(page, "the director's inbox")
    assert director.errors == []


def test_the_top_bar_menu_folds_behind_a_toggle_and_opens(ctx, staff):
    admin = staff("admin1")
    page = admin.page
    page.set_viewport_size(PHONE)
    admin.go("/admin/users")
    nav = page.locator(".topbar nav")
    expect(nav).to_be_hidden()
    toggle = page.locator("label.nav-toggle-label")
    expect(toggle).to_be_visible()
    expect(toggle).to_contain_text("菜单")
    bar = page.locator(".topbar").bounding_box()
    assert bar and bar["height"] <= 60, "closed, the bar is one line"
    toggle.click()
    expect(nav).to_be_visible()
    links = nav.locator("a")
    boxes = [links.nth(i).bounding_box() for i in range(links.count())]
    assert all(b and b["x"] >= 0 and b["x"] + b["width"] <= PHONE["width"] for b in boxes)
    for upper, lower in zip(boxes, boxes[1:], strict=False):
        assert upper and lower and upper["y"] + upper["height"] <= lower["y"] + 1, "no item overlaps another"
    expect(page.locator(".topbar .who").get_by_role("button", name="退出")).to_be_visible()
    assert_no_sideways_scroll(page, "the user list with the menu open")
    admin.shot("phone-menu-open")
    nav.get_by_role("link", name="案例").click()
    page.wait_for_url("**/cases")
    expect(page.locator(".topbar nav")).to_be_hidden()
    page.set_viewport_size({"width": 1366, "height": 768})
    expect(page.locator(".topbar nav")).to_be_visible()
    expect(page.locator("label.nav-toggle-label")).to_be_hidden()
    assert admin.errors == []


def test_the_sign_off_on_a_phone_shows_the_error_summary_below_the_top_bar(ctx, staff):
    case_id = walk.start(ctx)
    walk.advance_to(ctx, case_id, "customer_signoff")
    task_id = walk.task(ctx, case_id, "customer_signoff")["id"]
    customer = staff("customer1")
    page = customer.page
    page.set_viewport_size(PHONE)
    customer.go(f"/tasks/{task_id}")
    page.wait_for_selector("body[data-form-ready=true]")
    assert_no_sideways_scroll(page, "the sign-off task")
    file_field = page.locator("#form input[type=file]").first
    expect(file_field).to_be_attached()
    submit = page.get_by_test_id("submit")
    submit.scroll_into_view_if_needed()
    box = submit.bounding_box()
    assert box and box["x"] + box["width"] <= PHONE["width"]
    submit.click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_in_viewport()
    bar = page.locator(".topbar").bounding_box()
    top = summary.bounding_box()
    assert bar and top and top["y"] >= bar["y"] + bar["height"] - 1, "the summary is not under the top bar"
    customer.shot("phone-sign-off-refused")
