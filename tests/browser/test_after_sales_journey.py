"""A dispatch order from the desk's search to the closed case through the pages alone: the desk finds the
contract by the seed's wildcard `2by*5084*4*1` and opens the order, reviews it and sends engineer1; the
engineer arrives, diagnoses, confirms the warranty and records the work with a part taken and one owed
(the form's repeating rows); the order is released, the desk delivers the owed part later, the customer
signs the service report, the desk's return visit closes it; the desk then finds it in the parts-owed
list by the same wildcard and exports the list as .xlsx and HTML, and reads both back. The lists are
looked at in English and at phone width too (screenshots under test-artifacts/screenshots/)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from lxml import html as lxml_html
from openpyxl import load_workbook
from playwright.sync_api import expect

from service.operations import queries
from tests.browser.forms import fill_form, submit_and_leave
from tests.browser.test_after_sales_orders import DEMO_CONTRACT, DEMO_SERIAL, demo_contract
from tests.browser.test_phone import PHONE, assert_no_sideways_scroll

WILDCARD = "2by*5084*4*1"
SATISFIED = {k: "satisfied" for k in ("visit_response", "visit_attitude", "visit_quality", "visit_conduct",
                                      "visit_fees", "visit_overall")}


def _ready(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_selector("body[data-form-ready=true]")


def _open_task(person, case_id: int, element: str):  # type: ignore[no-untyped-def]
    """The person's next task of the case, opened from their inbox."""
    page = person.go("/")
    row = page.locator("[data-testid=inbox] tbody tr", has_text=f"#{case_id}")
    expect(row).to_have_count(1)
    row.get_by_role("link", name="办理").click()
    _ready(page)
    expect(page.locator(f'#diagram .djs-element.gc-current[data-element-id="{element}"]')).to_have_count(1)
    return page


def _do(person, case_id: int, element: str, values: dict[str, Any], **kwargs: Any) -> None:  # type: ignore[no-untyped-def]
    page = _open_task(person, case_id, element)
    fill_form(page, values, **kwargs)
    try:
        submit_and_leave(page)
    except Exception:
        person.shot("failed-" + element)  # what the person saw when the page did not move on
        raise
    expect(page.locator(".flash.success")).to_be_visible()


def _add_row(page, list_label: str, values: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """One more row of a repeating list (form-js dynamic list): its add button, then its fields by label."""
    group = page.locator("#form .fjs-form-field-dynamiclist, #form .fjs-form-field-group").filter(
        has=page.get_by_text(list_label, exact=True)).first
    add = group.locator(".fjs-repeat-render-add")
    expect(add).to_have_text(re.compile("添加一行"))  # form-js says "Add new": the page says it in Chinese
    rows = group.locator(".fjs-repeat-row-container")
    before = rows.count()
    add.click()
    expect(rows).to_have_count(before + 1)
    row = rows.last
    for label, value in values.items():
        said = row.locator("label", has_text=re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$")).first
        target = said.get_attribute("for") or ""
        display = page.locator(f'[id="{target}-display"]')
        if display.count():  # a select: its input is hidden, the display opens the choices
            display.click()
            page.locator("#form .fjs-dropdownlist-item", has_text=value).first.dispatch_event("mousedown")
        else:
            _type_into(page.locator(f'[id="{target}"]'), value, label)


def _type_into(box, value: str, label: str) -> None:  # type: ignore[no-untyped-def]
    """Type a value into a new row's field. form-js may re-render the row it has just added (its first
    validation) and drop what was typed in that instant, as it would drop a person's first keystrokes:
    type again, as they would, until the field holds it."""
    for attempt in range(3):
        box.click()
        box.fill(value)
        if box.get_attribute("type") != "number" and "日期" in label:
            box.press("Enter")
        box.blur()
        try:
            expect(box).to_have_value(value, timeout=3000)
            return
        except AssertionError:
            if attempt == 2:
                raise


def _open_order(desk) -> int:  # type: ignore[no-untyped-def]
    page = desk.go("/")
    page.get_by_test_id("nav-as-new-order").click()
    page.get_by_test_id("contract-search").fill(WILDCARD)
    page.get_by_test_id("contract-search-button").click()
    page.get_by_test_id(f"pick-{DEMO_CONTRACT}").click()
    form = page.get_by_test_id("order-form")
    form.get_by_test_id(f"serial-{DEMO_SERIAL}").check()
    form.get_by_test_id("region-华东区/上海").check()
    form.get_by_test_id("task-type").select_option("repair")
    form.get_by_test_id("fault-hardware").check()
    form.get_by_test_id("warranty-yes").check()
    form.get_by_test_id("description").fill("灌装控制柜无法启动，报警灯常亮")
    form.get_by_test_id("create-order").click()
    page.wait_for_url("**/cases/*")
    return int(page.url.rsplit("/", 1)[1].split("?")[0])


def _engineer_works_with_a_part_owed(engineer, case_id: int) -> None:  # type: ignore[no-untyped-def]
    _do(engineer, case_id, "arrive_on_site", {"arrival_note": "已到现场"})
    _do(engineer, case_id, "diagnose", {"fault_reason": "manufacturing_defect", "fault_code": "NO-POWER",
                                        "diagnosis": "控制柜电源模块损坏"})
    _do(engineer, case_id, "confirm_warranty", {"warranty_decision": "covered"})
    page = _open_task(engineer, case_id, "service_work")
    fill_form(page, {"service_content": "更换电源模块", "handling_report": "更换后开机正常", "repaired": True,
                     "labour_hours": 2})
    _add_row(page, "本次领用与退料", {"物料编号": "M-100", "名称": "电源模块", "数量": "1", "领用或退料": "领用"})
    _add_row(page, "欠件（放行后交付）", {"物料编号": "M-200", "名称": "触摸屏面板", "数量": "1"})
    engineer.shot("as-journey-service-work")
    submit_and_leave(page)
    expect(page.locator(".flash.success")).to_be_visible()


def _lists_find_and_export(desk, case_id: int, folder: Path) -> None:  # type: ignore[no-untyped-def]
    page = desk.go("/")
    page.get_by_test_id("nav-as-lists").click()
    page.locator("[data-testid=list-tabs] a[data-list=owed]").click()
    page.get_by_test_id("field").first.select_option("serial_no")
    page.get_by_test_id("value").first.fill(WILDCARD)
    page.get_by_test_id("search").click()
    rows = page.get_by_test_id("list-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("触摸屏面板")
    expect(rows.first).to_contain_text("已交付")
    expect(page.get_by_test_id("list-count")).to_contain_text("1")
    desk.shot("as-journey-owed-list")
    with page.expect_download() as xlsx_download:
        page.get_by_test_id("export-xlsx").click()
    xlsx = xlsx_download.value
    assert xlsx.suggested_filename.startswith("欠件放行跟踪-") and xlsx.suggested_filename.endswith(".xlsx")
    xlsx.save_as(folder / "owed.xlsx")
    sheet = load_workbook(io.BytesIO((folder / "owed.xlsx").read_bytes())).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert "派工单号" in cells[0] and "物料名称" in cells[0]
    assert any("触摸屏面板" in row and DEMO_SERIAL in row for row in cells)
    with page.expect_download() as html_download:
        page.get_by_test_id("export-html").click()
    html = html_download.value
    assert html.suggested_filename.endswith(".html")
    html.save_as(folder / "owed.html")
    tree = lxml_html.fromstring((folder / "owed.html").read_text(encoding="utf-8"))
    assert [" ".join(td.text_content().split()) for td in tree.xpath("//tbody/tr/td")].count("触摸屏面板") == 1
    row = page.get_by_test_id("list-row").first
    row.get_by_role("link").first.click()
    page.wait_for_url(f"**/cases/{case_id}")


def test_a_dispatch_order_from_the_wildcard_search_to_the_closed_case_and_back_through_the_lists(
        ctx, staff, tmp_path):
    demo_contract(ctx)
    desk, engineer, customer = staff("service_desk2"), staff("engineer1"), staff("customer1")
    case_id = _open_order(desk)
    _do(desk, case_id, "review_order", {"review_action": "confirm"})
    _do(desk, case_id, "dispatch", {"engineer": "engineer1"})
    _engineer_works_with_a_part_owed(engineer, case_id)
    data = queries.show_case(ctx, case_id)["data"]
    assert data["parts_owed"] == 1 and data["material_balance"][0]["balance"] == 1

    _do(desk, case_id, "deliver_owed_part", {"delivered_on": "2026-10-08", "delivery_note": "快递送达"})
    report = tmp_path / "服务报告.pdf"
    report.write_bytes("%PDF-1.4\n% 已签字\n%%EOF\n".encode())
    _do(customer, case_id, "customer_signoff", {"signed_by": "王经理"}, uploads={"doc_service_report": report})
    _do(desk, case_id, "return_visit", {"visit_channel": "phone", "visit_contact": "王经理", **SATISFIED})
    case = queries.show_case(ctx, case_id)
    assert case["status"] == "completed" and case["data"]["parts_owed"] == 0
    assert case["data"]["owed_parts"][0]["status"] == "delivered"

    _lists_find_and_export(desk, case_id, tmp_path)
    page = desk.go(f"/after-sales/lists/owed?field=serial_no&op=~&value={WILDCARD}&lang=en")
    expect(page.get_by_test_id("list-row")).to_contain_text("Delivered")
    expect(page.locator("h1")).to_have_text("Parts owed")
    desk.shot("as-journey-owed-list-en")
    page = desk.go("/after-sales/lists/requisitions?lang=zh&group=customer&group=material_name")
    expect(page.get_by_test_id("group-row")).to_have_count(2)
    page.set_viewport_size(PHONE)
    assert_no_sideways_scroll(page, "the requisitions list")
    desk.shot("as-journey-lists-phone")
    for person in (desk, engineer, customer):
        assert person.errors == [], person.username
