"""Finding a case again in Chromium: an auditor lands on 全部案例, searches with a wildcard, sorts by a
column header, pages, downloads the result as .xlsx, reads it all in English; a salesperson has no
全部案例 tab and sees a card per case at phone width."""

from __future__ import annotations

import re

import openpyxl
from playwright.sync_api import expect

from service.operations import cases
from tests.processes.walk import APPLICATION

CUSTOMERS = (("欧莱雅", "CITRIX安装", "sales1"), ("华为", "网络改造", "sales3"), ("欧莱雅", "云桌面", "sales1"),
             ("华为", "云桌面", "sales4"), ("欧莱雅", "邮件系统升级", "sales2"), ("华为", "存储扩容", "sales3"))


def _cases(ctx) -> list[int]:  # type: ignore[no-untyped-def]
    return [cases.start_case(ctx, process_id="technical_support", actor=actor,
                             data={**APPLICATION, "customer": customer, "project": project})
            for customer, project, actor in CUSTOMERS]


def _shown(page) -> list[int]:  # type: ignore[no-untyped-def]
    return [int(i) for i in page.locator("[data-testid=cases] tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.caseId)")]


def test_an_auditor_searches_sorts_pages_and_exports(ctx, staff, tmp_path):
    ids = _cases(ctx)
    auditor = staff("auditor1")  # no task of their own: signing in leads to all cases
    page = auditor.page
    expect(page).to_have_url(re.compile(r"/cases\?tab=all$"))
    tabs = page.get_by_test_id("case-tabs")
    expect(tabs.locator("a")).to_have_text(["待办", "已办", "我发起的", "抄送我的", "全部案例"])
    expect(tabs.locator("a.active")).to_have_text("全部案例")
    expect(page.get_by_test_id("case-count")).to_have_text("共 6 条，第 1/1 页")
    assert _shown(page) == sorted(ids, reverse=True)  # newest first
    auditor.shot("cases-01-all")

    page.get_by_placeholder("可用 * 通配").fill("欧*")
    page.get_by_role("button", name="搜索").click()
    expect(page.get_by_test_id("case-count")).to_have_text("共 3 条，第 1/1 页")
    expect(page.locator("[data-testid=cases] tbody")).not_to_contain_text("华为")
    assert _shown(page) == [ids[4], ids[2], ids[0]]
    auditor.shot("cases-02-wildcard")

    page.locator("th[data-column=id] a").click()  # 编号: newest first, then a second click turns it round
    expect(page.locator("th[data-column=id]")).to_have_attribute("aria-sort", "descending")
    page.locator("th[data-column=id] a").click()
    expect(page.locator("th[data-column=id]")).to_have_attribute("aria-sort", "ascending")
    assert _shown(page) == [ids[0], ids[2], ids[4]]
    expect(page.get_by_placeholder("可用 * 通配")).to_have_value("欧*")  # sorting keeps the search

    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    assert download.value.suggested_filename.startswith("案例列表-") and download.value.suggested_filename.endswith(
        ".xlsx")
    saved = tmp_path / "export.xlsx"
    download.value.save_as(saved)
    sheet = openpyxl.load_workbook(saved).active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == [ids[0], ids[2], ids[4]]

    page = auditor.go("/cases?tab=all&per_page=2")
    expect(page.get_by_test_id("pager")).to_contain_text("共 6 条，第 1/3 页")
    page.get_by_role("link", name="下一页").click()
    expect(page.get_by_test_id("case-count")).to_have_text("共 6 条，第 2/3 页")
    assert _shown(page) == [ids[3], ids[2]]
    page.locator("[data-testid=cases] tbody tr").first.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(f"/cases/{ids[3]}$"))

    auditor.go("/lang/en")
    page = auditor.go("/cases?tab=all")
    expect(page.locator("h1")).to_have_text("Cases")
    expect(page.get_by_test_id("case-tabs").locator("a.active")).to_have_text("All cases")
    expect(page.get_by_test_id("case-count")).to_have_text("6 cases, page 1 of 1")
    expect(page.get_by_test_id("export-xlsx")).to_have_text("Export .xlsx")
    expect(page.locator("th[data-column=business_key]")).to_have_text("Case")
    auditor.shot("cases-03-english")
    assert auditor.errors == []


def test_a_salesperson_at_phone_width_gets_cards_and_no_all_cases_tab(ctx, staff):
    ids = _cases(ctx)
    sales = staff("sales1")
    sales.page.set_viewport_size({"width": 390, "height": 844})
    page = sales.go("/")
    page.locator("label[for=nav-toggle]").click()  # at phone width the menu is folded
    page.get_by_test_id("nav-cases").click()
    page.get_by_test_id("case-tabs").get_by_role("link", name="我发起的").click()
    expect(page.get_by_test_id("case-tabs").locator("a")).to_have_text(["待办", "已办", "我发起的", "抄送我的"])
    expect(page.get_by_test_id("case-count")).to_have_text("共 2 条，第 1/1 页")
    assert _shown(page) == [ids[2], ids[0]]
    first = page.locator("[data-testid=cases] tbody tr").first
    assert first.evaluate("r => getComputedStyle(r).display") == "block"  # a card, not a table row
    expect(page.locator("[data-testid=cases] thead")).to_be_hidden()
    expect(first).to_contain_text("销售1")
    labels = first.locator("td").evaluate_all("cells => cells.map(c => getComputedStyle(c, '::before').content)")
    assert '"发起人："' in labels  # each line of the card says what it is
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 392, f"the case list scrolls sideways at phone width ({width}px)"
    sales.shot("cases-04-phone")
    response = page.goto(sales.base + "/cases?tab=all")
    assert response is not None and response.status == 403
    assert sales.errors == []
