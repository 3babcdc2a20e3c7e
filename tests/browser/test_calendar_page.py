"""The admin's calendar page in a browser: 2026 as a wall calendar with 国庆节 and the 调休 Saturday, a day
overridden by clicking it and found in the trail, the warning of a year without official data, English,
the phone width, and everyone else refused."""

from __future__ import annotations

from playwright.sync_api import expect

from service.operations import calendar

PHONE = {"width": 375, "height": 812}
WIDEST = """() => [...document.querySelectorAll('main *')]
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                 && !e.closest('.table-wrap'))
    .slice(0, 5).map(e => e.tagName + '.' + e.className)"""


def _day(page, iso: str):  # type: ignore[no-untyped-def]
    return page.locator(f"td[data-day='{iso}']")


def test_admin1_sees_2026_and_overrides_a_day_by_clicking_it(ctx, staff):
    admin = staff("admin1")
    page = admin.go("/admin/calendar?year=2026")
    expect(page.locator("h1")).to_have_text("工作日历 2026")
    expect(page.locator(".cal-month")).to_have_count(12)
    national_day = _day(page, "2026-10-01")
    expect(national_day).to_have_attribute("data-kind", "holiday")
    expect(national_day).to_contain_text("国庆节")
    expect(national_day).to_have_attribute("title", "2026-10-01 星期四 · 节假日 · 国庆节 · 官方数据")
    assert national_day.locator("a").evaluate("a => getComputedStyle(a).backgroundColor") != \
        _day(page, "2026-10-12").locator("a").evaluate("a => getComputedStyle(a).backgroundColor")
    adjusted = _day(page, "2026-10-10")  # the Saturday worked for the National Day week
    expect(adjusted).to_have_attribute("data-kind", "adjusted")
    expect(adjusted.get_by_test_id("mark-adjusted")).to_have_text("班")
    expect(_day(page, "2026-10-11")).to_have_attribute("data-kind", "weekend")
    expect(_day(page, "2026-09-30")).to_have_class("day workday today")  # the test clock's day
    first_monday = page.locator(".cal-month[data-month='6'] tbody tr").first.locator("td").first
    expect(first_monday).to_have_attribute("data-day", "2026-06-01")  # June 2026 starts on a Monday
    expect(page.get_by_test_id("calendar-warning")).to_contain_text("2027 年没有官方工作日历数据")
    expect(page.get_by_test_id("calendar-trail")).to_contain_text("这一年还没有管理员修改过")
    admin.shot("calendar-01-2026")

    _day(page, "2026-10-09").locator("a").click()
    expect(page.locator("#cal-day")).to_have_value("2026-10-09")
    expect(page.get_by_test_id("calendar-now")).to_have_text("目前：工作日")
    page.get_by_label("休息日", exact=True).check()
    page.fill("#cal-name", "公司年会")
    page.get_by_test_id("calendar-save").click()
    expect(page.locator(".flash.success")).to_have_text("已将 2026-10-09 设为休息日")
    changed = _day(page, "2026-10-09")
    expect(changed).to_have_attribute("data-kind", "holiday")
    expect(changed).to_have_attribute("data-override", "admin1")
    expect(changed.get_by_test_id("mark-override")).to_have_text("改")
    expect(changed).to_have_attribute(
        "title", "2026-10-09 星期五 · 节假日 · 公司年会 · 管理员设定 · admin1 于 2026-09-30 11:00 设定")
    row = page.get_by_test_id("calendar-trail").locator("tr[data-day='2026-10-09']")
    expect(row).to_contain_text("工作日 (官方数据) → 休息日 · 公司年会")
    expect(row).to_contain_text("admin1")
    expect(row).to_contain_text("2026-09-30 11:00")
    assert [c["name"] for c in calendar.override_trail(ctx, 2026)] == ["公司年会"]
    admin.shot("calendar-02-overridden")
    assert admin.errors == []


def test_a_refused_override_shows_the_error_at_the_field_and_changes_nothing(ctx, staff):
    admin = staff("admin1")
    page = admin.go("/admin/calendar?year=2026&day=2026-10-01")
    expect(page.locator("#cal-name")).to_have_value("国庆节")
    page.get_by_label("工作日", exact=True).check()
    page.fill("#cal-name", "节" * 65)
    page.get_by_test_id("calendar-save").click()
    expect(page.get_by_test_id("calendar-errors")).to_be_visible()
    expect(page.get_by_test_id("error-name")).to_have_text("长度 65 个字符，超过上限 64")
    expect(page.locator("#cal-name")).to_have_attribute("aria-invalid", "true")
    expect(_day(page, "2026-10-01")).to_have_attribute("data-kind", "holiday")
    assert calendar.override_trail(ctx, 2026) == []
    page.fill("#cal-day", "1999-10-01")
    page.fill("#cal-name", "")
    page.get_by_test_id("calendar-save").click()
    expect(page.get_by_test_id("error-day")).to_have_text("1999 年超出范围：只能是 2000 至 2100 年")
    assert calendar.override_trail(ctx, 1999) == []
    assert admin.errors == []


def test_a_year_without_official_data_warns_and_counts_monday_to_friday(staff):
    admin = staff("admin1")
    page = admin.go("/admin/calendar?year=2026")
    page.get_by_test_id("calendar-next").click()
    expect(page.locator("h1")).to_have_text("工作日历 2027")
    warnings = page.get_by_test_id("calendar-warning")
    expect(warnings).to_have_count(2)  # 2027 shown, 2028 next: neither published in the data
    expect(warnings.first).to_contain_text("2027 年没有官方工作日历数据，期限按周一至周五计算")
    expect(_day(page, "2027-10-01")).to_have_attribute("data-kind", "workday")  # no 国庆节 without the notice
    expect(_day(page, "2027-10-02")).to_have_attribute("data-kind", "weekend")
    page.get_by_test_id("calendar-this-year").click()
    expect(page.locator("h1")).to_have_text("工作日历 2026")
    admin.go("/admin/calendar?year=2031")
    expect(page.get_by_test_id("calendar-warning").first).to_contain_text("2031")
    admin.shot("calendar-03-year-without-data")


def test_the_calendar_in_english(staff):
    admin = staff("admin1")
    page = admin.go("/admin/calendar?year=2026&lang=en")
    expect(page.locator("h1")).to_have_text("Working-day calendar 2026")
    expect(page.locator(".cal-month[data-month='10'] h2")).to_have_text("October")
    expect(page.locator(".cal-month[data-month='10'] thead th")).to_have_text(
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])
    expect(_day(page, "2026-10-01")).to_contain_text("National Day")
    expect(_day(page, "2026-10-10").get_by_test_id("mark-adjusted")).to_have_text("Work")
    expect(page.get_by_test_id("calendar-warning")).to_contain_text(
        "no official calendar data for 2027: deadlines count Monday to Friday")
    expect(page.get_by_test_id("calendar-form")).to_contain_text("Change a day")
    expect(page.get_by_test_id("calendar-trail")).to_contain_text("No administrator has changed this year yet")


def test_at_phone_width_the_months_stack_and_nothing_scrolls_sideways(staff):
    admin = staff("admin1")
    page = admin.page
    page.set_viewport_size(PHONE)
    admin.go("/admin/calendar?year=2026&day=2026-10-01")
    months = page.locator(".cal-month")
    first, second = months.nth(0).bounding_box(), months.nth(1).bounding_box()
    assert first and second and second["y"] >= first["y"] + first["height"], "one month per row"
    assert first["x"] >= 0 and first["x"] + first["width"] <= PHONE["width"]
    cell = _day(page, "2026-10-01").bounding_box()
    assert cell and cell["width"] >= 36, f"a day is wide enough to read and tap ({cell})"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the calendar scrolls sideways ({width}px): {page.evaluate(WIDEST)}"
    admin.shot("calendar-04-phone")
    assert admin.errors == []


def test_everyone_but_an_admin_is_refused(staff):
    for username in ("sales1", "process_owner1", "auditor1"):
        person = staff(username)
        expect(person.page.get_by_test_id("nav-calendar")).to_have_count(0)
        response = person.page.goto(person.base + "/admin/calendar?year=2026")
        assert response is not None and response.status == 403, username
        expect(person.page.locator("body")).not_to_contain_text("国庆节")
