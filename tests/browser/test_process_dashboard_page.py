"""The process owner's dashboard in Chromium: the diagram carries a badge with the number of cases waiting
at each element, the steps table their medians; in Chinese and in English (screenshots)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.processes import walk as paths
from tests.processes.walk import at
from tests.support.walk import start_case


def test_the_owner_sees_where_the_cases_wait_on_the_diagram(ctx, clock, staff):
    start_case(ctx)
    start_case(ctx, customer="华为", project="网络改造")
    further = start_case(ctx, project="VDI扩容")
    clock.set(at("2026-09-30T13:00"))
    paths.advance_to(ctx, further, "engineer_assessment")
    owner = staff("process_owner1")
    page = owner.go("/processes/technical_support")
    page.get_by_test_id("dashboard-link").click()
    page.wait_for_selector("#diagram[data-ready=true]")
    expect(page.locator(".gc-heat[data-element=confirm_request]")).to_have_text("2")
    expect(page.locator(".gc-heat[data-element=engineer_assessment]")).to_have_text("1")
    expect(page.locator(".gc-heat")).to_have_count(2)
    expect(page.locator("[data-testid=dashboard-step][data-element=confirm_request]")).to_contain_text("2.0 小时")
    owner.shot("process-dashboard")
    page.goto(page.url + "?lang=en")
    page.wait_for_selector("#diagram[data-ready=true]")
    expect(page.locator(".gc-heat[data-element=confirm_request]")).to_have_attribute("title", "2 cases wait here")
    owner.shot("process-dashboard-en")
    assert owner.errors == []
