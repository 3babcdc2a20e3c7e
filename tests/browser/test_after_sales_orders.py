"""The service desk opens a dispatch order in the browser: finds the contract by `2by*5084*`, picks the
product, the region from the tree, the task type and 是否三包, and lands on the new case; the dashboard then
counts it — in Chinese, in English and at phone width (screenshots under test-artifacts/screenshots/)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from service.operations import after_sales_master
from tests.browser.test_phone import PHONE, assert_no_sideways_scroll

DEMO_CONTRACT = "HT-2026-001"
DEMO_SERIAL = "2BY.5084.1044.1"


def _region(ctx, path: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    parent = None
    for depth, name in enumerate(path.split("/")):
        wanted = "/".join(path.split("/")[:depth + 1])
        found = next((r for r in after_sales_master.region_list(ctx) if r["path"] == wanted), None)
        if found is None:
            found = after_sales_master.create_region(ctx, name=name, parent_id=parent, actor="service_desk1")
        parent = found["id"]
    return next(r for r in after_sales_master.region_list(ctx) if r["path"] == path)


def demo_contract(ctx) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The demo's 欧莱雅 contract (the demo seed's, else made here the same way) and its region."""
    _region(ctx, "华东区/上海")
    _region(ctx, "华北区/北京")
    found = after_sales_master.contract_by_no(ctx, DEMO_CONTRACT)
    if found is None:
        found = after_sales_master.create_contract(ctx, {
            "contract_no": DEMO_CONTRACT, "project": "上海工厂灌装线", "customer": "欧莱雅",
            "address": "上海市浦东新区金桥路 88 号", "contact": "王经理", "products": [
                {"serial_no": DEMO_SERIAL, "model": "BY-5084", "name": "灌装控制柜", "kind": "whole_unit",
                 "first_use_on": "2026-03-01", "ex_factory_on": "2026-01-15"}]}, actor="service_desk1")
    return found


def test_the_desk_finds_a_contract_by_wildcard_and_opens_an_order_that_the_dashboard_counts(ctx, staff):
    demo_contract(ctx)
    desk = staff("service_desk2")
    page = desk.go("/")
    page.get_by_test_id("nav-as-new-order").click()
    page.get_by_test_id("contract-search").fill("2by*5084*")
    page.get_by_test_id("contract-search-button").click()
    expect(page.get_by_test_id("contracts")).to_contain_text(DEMO_CONTRACT)
    page.get_by_test_id(f"pick-{DEMO_CONTRACT}").click()
    form = page.get_by_test_id("order-form")
    expect(form).to_contain_text(DEMO_SERIAL)
    form.get_by_test_id(f"serial-{DEMO_SERIAL}").check()
    form.get_by_test_id("region-华东区/上海").check()
    expect(form.get_by_test_id("region-tree")).to_contain_text("华东区/上海")  # the chosen node shows its path
    form.get_by_test_id("task-type").select_option("repair")
    form.get_by_test_id("fault-hardware").check()
    form.get_by_test_id("description").fill("灌装控制柜无法启动，报警灯常亮")
    form.get_by_test_id("create-order").click()  # 是否三包 not chosen: refused, naming the field
    expect(page.get_by_test_id("order-errors")).to_contain_text("是否三包")
    expect(page.get_by_test_id("error-warranty_claimed")).to_be_visible()
    desk.shot("as-order-new-refused")
    form = page.get_by_test_id("order-form")
    expect(form.get_by_test_id("description")).to_have_value("灌装控制柜无法启动，报警灯常亮")
    form.get_by_test_id("warranty-yes").check()
    desk.shot("as-order-new")
    form.get_by_test_id("create-order").click()
    page.wait_for_url("**/cases/*")
    expect(page.locator(".flash.success")).to_contain_text("已创建派工单")
    case_id = int(page.url.rsplit("/", 1)[1].split("?")[0])
    expect(page.get_by_test_id("case-data")).to_contain_text(DEMO_SERIAL)
    desk.shot("as-order-case")

    page.get_by_test_id("nav-as-dashboard").click()
    expect(page.get_by_test_id("tile-open")).to_contain_text("未完成派工单")
    region = page.get_by_test_id("by-region-华东区/上海")
    expect(region).to_have_text("1")
    expect(page.get_by_test_id("by-type-repair")).to_have_text("1")
    desk.shot("as-dashboard")
    region.click()
    expect(page.get_by_test_id(f"order-{case_id}")).to_contain_text("欧莱雅")
    desk.shot("as-dashboard-orders")

    desk.go("/after-sales/dashboard?lang=en")
    expect(page.get_by_test_id("tile-open")).to_contain_text("Open orders")
    expect(page.get_by_test_id("by-type")).to_contain_text("Repair")
    desk.shot("as-dashboard-en")
    desk.go("/after-sales/orders/new?q=2by*5084*")
    expect(page.get_by_test_id("contracts")).to_contain_text(DEMO_CONTRACT)
    desk.shot("as-order-new-en")

    desk.go("/after-sales/dashboard?lang=zh")
    page.set_viewport_size(PHONE)
    assert_no_sideways_scroll(page, "the dashboard")
    desk.shot("as-dashboard-phone")
    page.get_by_test_id("tile-open").click()
    assert_no_sideways_scroll(page, "the dashboard's orders")
    desk.go("/after-sales/orders/new?q=2by*5084*")
    page.get_by_test_id(f"pick-{DEMO_CONTRACT}").click()
    expect(page.get_by_test_id("order-form")).to_be_visible()
    assert_no_sideways_scroll(page, "the new order page")
    desk.shot("as-order-new-phone")
    assert desk.errors == []


def test_engineers_see_neither_the_new_order_page_nor_the_dashboard(ctx, staff):
    engineer = staff("engineer1")
    page = engineer.go("/")
    expect(page.get_by_test_id("nav-as-new-order")).to_have_count(0)
    expect(page.get_by_test_id("nav-as-dashboard")).to_have_count(0)
    assert engineer.page.request.get(engineer.base + "/after-sales/orders/new").status == 403
    assert engineer.page.request.get(engineer.base + "/after-sales/dashboard").status == 403
