"""组织架构 in Chromium: an administrator reads the tree, moves a person, is refused a cycle of superiors
and an import with a bad row (the row and column are named), at desktop and at phone width;
anyone else is refused the page."""

from __future__ import annotations

import io

import openpyxl
from playwright.sync_api import expect

from service.operations import org_import, org_views

WIDEST = """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)
  .slice(0, 8).map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


def _superior(ctx, username: str) -> str | None:
    return next(p for p in org_views.list_people(ctx) if p["username"] == username)["superior"]


def test_an_administrator_reads_and_changes_the_organisation(ctx, staff):
    admin = staff("admin1")
    page = admin.go("/admin/organisation")
    tree = page.locator("[data-testid=org-tree]")
    second = tree.locator('[data-path="华东区"] [data-path="华东区 › 销售二组"]')
    expect(second.locator(".org-node")).to_contain_text("负责人：销售组长2")
    expect(second.locator("[data-username=sales3]")).to_contain_text("上级：销售组长2")
    expect(tree.locator("[data-testid=org-customers]")).to_contain_text("华为")
    admin.shot("40-organisation")

    second.locator("[data-username=sales3] a").click()  # the form comes prefilled with sales3's place
    expect(page.locator("#place-user")).to_have_value("sales3")
    expect(page.locator("#place-superior")).to_have_value("sales_lead2")
    page.select_option("#place-superior", "sales_lead1")
    page.fill("#place-mobile", "+86 138 0013 8000")
    page.locator("[data-testid=org-place] button[type=submit]").click()
    expect(page.locator(".flash.success")).to_contain_text("sales3")
    assert _superior(ctx, "sales3") == "sales_lead1"

    page.locator('[data-username=sales_director2] a').first.click()
    page.select_option("#place-superior", "sales3")  # sales3 → sales_lead1 → sales_director1 → sales_director2
    page.locator("[data-testid=org-place] button[type=submit]").click()
    expect(page.locator("[data-testid=org-place] .err")).to_contain_text("上级关系成环")
    assert _superior(ctx, "sales_director2") is None
    assert admin.errors == []


def test_an_import_with_a_bad_row_shows_the_row_and_changes_nothing(ctx, staff, tmp_path):
    book = openpyxl.load_workbook(io.BytesIO(org_import.export_workbook(ctx)))
    people = book["人员"]
    row = next(i for i, r in enumerate(people.iter_rows(values_only=True), start=1) if r[0] == "engineer3")
    people.cell(row, 5).value = "技术部 › 三组"
    people.cell(row, 2).value = "改名的工程师"
    path = tmp_path / "组织架构.xlsx"
    book.save(path)
    before = org_views.list_people(ctx)

    admin = staff("admin1")
    page = admin.go("/admin/organisation")
    page.set_input_files("#import-file", str(path))
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.locator("[data-testid=import-refused]")).to_contain_text("没有任何改变")
    problems = page.locator("[data-testid=import-problems] tbody tr")
    expect(problems).to_have_count(1)
    expect(problems.first).to_contain_text("人员")
    expect(problems.first.locator("td").nth(1)).to_have_text(str(row))
    expect(problems.first).to_contain_text("部门路径")
    expect(problems.first).to_contain_text("未知部门「技术部 › 三组」")
    assert org_views.list_people(ctx) == before

    admin.page.set_viewport_size({"width": 390, "height": 844})
    expect(problems.first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the organisation page scrolls sideways at phone width ({width}px): {page.evaluate(WIDEST)}"
    admin.shot("41-organisation-import-refused-phone")
    page = admin.go("/admin/organisation")
    expect(page.locator('[data-path="华东区 › 销售一组"] .org-node')).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the tree scrolls sideways at phone width ({width}px): {page.evaluate(WIDEST)}"
    admin.shot("42-organisation-phone")
    assert admin.errors == []


def test_the_page_in_english_and_refused_to_anyone_but_administrators(staff):
    admin = staff("admin1")
    admin.go("/lang/en")
    page = admin.go("/admin/organisation")
    expect(page.locator("h1")).to_have_text("Organisation")
    expect(page.locator("[data-testid=org-tree]")).to_contain_text("Leader: ")
    director = staff("sales_director1")
    response = director.page.goto(director.base + "/admin/organisation")
    assert response is not None and response.status == 403
    expect(director.page.locator("body")).not_to_contain_text("销售组长2")
