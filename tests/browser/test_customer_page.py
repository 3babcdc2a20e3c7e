"""One customer's page in Chromium: 欧莱雅's technical-support request and dispatch order, their open
tasks, one timeline across both processes and the documents — in Chinese, in English and at phone width
(screenshots under test-artifacts/screenshots/)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_phone import PHONE, assert_no_sideways_scroll
from tests.processes import as_walk
from tests.processes.walk import at
from tests.support.walk import start_case, walk_to_sales_confirmation


def test_an_auditor_reads_one_customer_across_the_procedures(ctx, clock, staff):
    support = start_case(ctx)
    walk_to_sales_confirmation(ctx, support)
    clock.set(at("2026-10-09T10:00"))
    order = as_walk.start(ctx)
    as_walk.advance_to(ctx, order, "arrive_on_site")
    start_case(ctx, customer="华为", project="网络改造")

    auditor = staff("auditor1")
    page = auditor.go("/")
    page.get_by_test_id("nav-customers").click()
    expect(page.get_by_test_id("customer-row")).to_have_count(2)
    expect(page.get_by_test_id("customer-row").first).to_contain_text("华为")  # hua before ou
    page.get_by_role("link", name="欧莱雅").click()
    expect(page.get_by_test_id("customer-case")).to_have_count(2)
    expect(page.locator("[data-testid=customer-case][data-process=after_sales_service]")).to_contain_text("售后")
    entries = page.get_by_test_id("timeline-entry")
    expect(entries.first).to_have_attribute("data-case", str(order))  # the newest first
    expect(page.locator(f"[data-testid=timeline-entry][data-case='{support}']").first).to_be_visible()
    expect(page.get_by_test_id("customer-tasks")).to_contain_text("#" + str(order))
    expect(page.get_by_test_id("customer-documents")).to_be_visible()
    auditor.shot("customer-page")
    page.goto(page.url + "?lang=en")
    expect(page.locator("h1")).to_contain_text("Customer: 欧莱雅")
    auditor.shot("customer-page-en")
    page.goto(page.url.replace("lang=en", "lang=zh"))
    page.set_viewport_size(PHONE)
    assert_no_sideways_scroll(page, "the customer page")
    auditor.shot("customer-page-phone")
    assert auditor.errors == []
