"""售后主数据 in Chromium: the service desk imports a contracts workbook (a bad one first: its row and
column are named and nothing changes), finds a contract by a wildcard, and edits the sales-region tree
(create, move, rename, a refused delete, a delete), in Chinese, in English and at phone width."""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook
from playwright.sync_api import expect

from service.operations import after_sales_master as master

WIDEST = """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)
  .slice(0, 8).map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""
HEADER = ["合同编号", "项目", "客户", "地址", "序列号", "型号", "产品名称", "类别", "首次使用日期", "出厂日期"]
ROWS = [["HT-2026-201", "成都研发中心", "华为", "四川省成都市高新区天府大道 1 号", "7EF.3000.0301.5", "HJ-7300",
         "试验箱", "整机", date(2026, 5, 1), date(2026, 3, 20)],
        ["HT-2026-201", "成都研发中心", "华为", "四川省成都市高新区天府大道 1 号", "7EF.3000.0301.5-S", "HJ-7300-S",
         "传感器", "配件", date(2026, 5, 1), date(2026, 3, 20)]]


def _save(path, rows):  # type: ignore[no-untyped-def]
    book = Workbook()
    sheet = book.active
    sheet.title = "合同"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _fits_phone(person) -> None:  # type: ignore[no-untyped-def]
    width = person.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the page scrolls sideways at phone width ({width}px): {person.page.evaluate(WIDEST)}"


def test_the_desk_imports_contracts_and_edits_the_region_tree(ctx, staff, tmp_path):
    desk = staff("service_desk2")
    page = desk.go("/")
    page.locator("[data-testid=nav-master-data]").first.click()
    expect(page.locator("h1")).to_have_text("销售合同")
    expect(page.locator("[data-testid=contract-count]")).to_have_text("共 4 个合同")

    bad = [list(ROWS[0]), list(ROWS[1])]
    bad[1][7] = "半成品"
    page.set_input_files("#contracts-file", str(_save(tmp_path / "错误.xlsx", bad)))
    page.locator("[data-testid=contracts-import-submit]").click()
    expect(page.locator("[data-testid=import-refused]")).to_contain_text("未导入")
    problem = page.locator("[data-testid=import-problems] tbody tr")
    expect(problem).to_have_count(1)
    expect(problem.first.locator("td").nth(1)).to_have_text("3")
    expect(problem.first.locator("td").nth(2)).to_have_text("类别")
    assert master.contract_by_no(ctx, "HT-2026-201") is None
    desk.shot("as-master-10-import-refused")

    page.set_input_files("#contracts-file", str(_save(tmp_path / "合同.xlsx", ROWS)))
    page.locator("[data-testid=contracts-import-submit]").click()
    expect(page.locator("[data-testid=import-report]")).to_contain_text("新建 1 个合同")
    page.fill("[data-testid=contract-search]", "7ef*3000*5")
    page.get_by_role("button", name="搜索").click()
    rows = page.locator("[data-testid=contracts] tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("成都研发中心")
    desk.shot("as-master-11-contracts-found")
    rows.first.locator("a").click()
    expect(page.locator("input[name=products-1-serial_no]")).to_have_value("7EF.3000.0301.5-S")
    page.fill("#c-contact", "周工 028-8000 0000")
    page.locator("[data-testid=contract-save]").click()
    expect(page.locator(".flash.success")).to_contain_text("HT-2026-201")
    assert master.contract_by_no(ctx, "HT-2026-201")["contact"] == "周工 028-8000 0000"
    desk.shot("as-master-12-contract")

    page = desk.go("/after-sales/regions")
    tree = page.locator("[data-testid=region-tree]")
    expect(tree.locator('[data-region="华东区/杭州"]')).to_be_visible()
    page.fill("#create-name", "西南区")
    page.locator("[data-testid=region-create] button").click()
    expect(page.locator(".flash.success")).to_contain_text("西南区")
    page.fill("#create-name", "成都")
    page.select_option("#create-parent", label="西南区")
    page.locator("[data-testid=region-create] button").click()
    expect(tree.locator('[data-region="西南区/成都"]')).to_be_visible()
    page.select_option("#move-region", label="华东区/杭州")
    page.select_option("#move-parent", label="西南区")
    page.locator("[data-testid=region-move] button").click()
    expect(tree.locator('[data-region="西南区/杭州"]')).to_be_visible()
    page.select_option("#rename-region", label="西南区/杭州")
    page.fill("#rename-name", "重庆")
    page.locator("[data-testid=region-rename] button").click()
    expect(tree.locator('[data-region="西南区/重庆"]')).to_be_visible()
    page.select_option("#delete-region", label="西南区")
    page.locator("[data-testid=region-delete] button").click()
    expect(page.locator("[data-testid=err-delete-region_id]")).to_contain_text("下还有 2 个下级区域")
    desk.shot("as-master-20-regions-refused")
    page.select_option("#delete-region", label="西南区/重庆")
    page.locator("[data-testid=region-delete] button").click()
    expect(page.locator(".flash.success")).to_contain_text("西南区/重庆")
    expect(tree.locator('[data-region="西南区/重庆"]')).to_have_count(0)
    assert [r["path"] for r in master.region_list(ctx) if r["path"].startswith("西南区")] == ["西南区", "西南区/成都"]
    desk.shot("as-master-21-regions")

    page = desk.go("/after-sales/regions?lang=en")
    expect(page.locator("h1")).to_have_text("Sales regions")
    expect(page.locator("[data-testid=region-move] h2")).to_have_text("Move")
    desk.shot("as-master-22-regions-en")
    page = desk.go("/after-sales/contracts?q=ht-2026-00*")
    expect(page.locator("[data-testid=contract-count]")).to_have_text("4 contracts")
    desk.shot("as-master-13-contracts-en")

    desk.page.set_viewport_size({"width": 390, "height": 844})
    page = desk.go("/after-sales/contracts?lang=zh")
    expect(page.locator("[data-testid=contracts]")).to_be_visible()
    _fits_phone(desk)
    desk.shot("as-master-14-contracts-phone")
    page = desk.go("/after-sales/regions")
    expect(page.locator("[data-testid=region-tree]")).to_be_visible()
    _fits_phone(desk)
    desk.shot("as-master-23-regions-phone")
    for path, name in (("/after-sales/task-types", "30-task-types"), ("/after-sales/parts", "31-parts"),
                       ("/after-sales/fee-items", "32-fee-items")):
        desk.go(path)
        _fits_phone(desk)
        desk.shot(f"as-master-{name}-phone")
    page = desk.go(f"/after-sales/contracts/{master.contract_by_no(ctx, 'HT-2026-201')['id']}")
    _fits_phone(desk)
    desk.shot("as-master-15-contract-phone")
    assert desk.errors == []


def test_the_process_owner_keeps_the_task_types_and_a_customer_sees_nothing(ctx, staff):
    owner = staff("process_owner1")
    page = owner.go("/after-sales/task-types")
    page.fill("#tt-code", "inspection")
    page.fill("#tt-zh", "巡检")
    page.fill("#tt-en", "Inspection")
    page.locator("[data-testid=task-type-add] button").click()
    row = page.locator('[data-testid=task-types] tr[data-code="inspection"]')
    expect(row).to_be_visible()
    row.get_by_role("button", name="上移 巡检").click()
    expect(page.locator("[data-testid=task-types] tbody tr").nth(4)).to_have_attribute("data-code", "inspection")
    page.locator('[data-testid=task-types] tr[data-code="return_visit"]').get_by_role("button", name="停用").click()
    expect(page.locator('[data-testid=task-types] tr[data-code="return_visit"]')).to_contain_text("已停用")
    assert [t["code"] for t in master.task_types(ctx)] == ["installation", "repair", "maintenance", "inspection",
                                                          "parts_sale"]
    owner.shot("as-master-33-task-types")
    owner.page.set_viewport_size({"width": 390, "height": 844})
    owner.go("/after-sales/task-types?lang=en")
    _fits_phone(owner)
    owner.shot("as-master-34-task-types-en-phone")
    assert owner.errors == []

    customer = staff("customer1")
    page = customer.go("/after-sales/contracts")
    expect(page.locator("main")).to_contain_text("customer1")
    expect(page.locator("[data-testid=nav-master-data]")).to_have_count(0)
