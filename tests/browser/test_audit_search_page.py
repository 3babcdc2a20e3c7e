"""审计检索 in Chromium: an auditor finds who changed the engineer of 华为's cases, narrows to one
engineer's events, sorts, downloads the .xlsx, reads the page in English and on a phone; a
salesperson who opens the page is refused."""

from __future__ import annotations

import openpyxl
from playwright.sync_api import expect

from service.operations import case_moves, cases
from tests.processes.walk import APPLICATION, do, task


def _histories(ctx) -> dict[str, int]:  # type: ignore[no-untyped-def]
    def start(actor: str, customer: str, project: str) -> int:
        return cases.start_case(ctx, process_id="technical_support", actor=actor,
                                data={**APPLICATION, "customer": customer, "project": project})

    a = start("sales1", "欧莱雅", "CITRIX安装")
    do(ctx, a, "confirm_request", {"accepted": "yes", "engineer": "engineer1"}, actor="tech_director1")
    b = start("sales3", "华为", "网络改造")
    do(ctx, b, "confirm_request", {"accepted": "yes", "engineer": "engineer2"}, actor="tech_director2")
    assessment = task(ctx, b, "engineer_assessment")
    target = next(t for t in case_moves.send_back_targets(ctx, assessment["id"], "engineer2")
                  if t["element_id"] == "confirm_request")
    case_moves.send_back(ctx, task_id=assessment["id"], actor="engineer2", to_task=target["id"], reason="需求不清楚")
    do(ctx, b, "confirm_request", {"accepted": "yes", "engineer": "engineer4"}, actor="tech_director2")
    c = start("sales2", "华为", "云桌面")
    do(ctx, c, "confirm_request", {"accepted": "yes", "engineer": "engineer2"}, actor="tech_director1")
    do(ctx, c, "engineer_assessment", {"assessment": "accept"}, actor="engineer2")
    return {"A": a, "B": b, "C": c}


def _rows(page):  # type: ignore[no-untyped-def]
    return page.locator("[data-testid=audit-events] tbody tr")


def test_an_auditor_searches_by_field_customer_and_actor_and_exports(ctx, staff, tmp_path):
    ids = _histories(ctx)
    auditor = staff("auditor1")
    auditor.page.set_viewport_size({"width": 1366, "height": 900})
    page = auditor.go("/audit")
    expect(page.get_by_role("heading", name="审计检索")).to_be_visible()
    auditor.shot("audit-01-all")

    page.locator("input[name=field]").fill("engineer")
    page.locator("input[name=customer]").fill("华为")
    page.get_by_role("button", name="检索").click()
    expect(page.get_by_test_id("event-count")).to_have_text("共 3 条事件，第 1/1 页")
    expect(_rows(page)).to_have_count(3)
    expect(page.locator("[data-testid=audit-events] tbody")).not_to_contain_text("欧莱雅")
    expect(page.locator(".event-field.searched").first).to_contain_text("工程师")
    expect(page.locator(f"tr[data-case-id='{ids['B']}'] .event-field.searched").first).to_contain_text("engineer4")
    auditor.shot("audit-02-field-customer")

    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    assert download.value.suggested_filename.startswith("审计记录-")
    saved = tmp_path / "audit.xlsx"
    download.value.save_as(saved)
    sheet = openpyxl.load_workbook(saved).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sorted(r[1] for r in rows) == sorted([ids["B"], ids["B"], ids["C"]]) and {r[4] for r in rows} == {"华为"}

    page = auditor.go("/audit?actor=engineer2")
    expect(_rows(page)).to_have_count(2)
    assert set(_rows(page).evaluate_all("rows => rows.map(r => r.dataset.actor)")) == {"engineer2"}
    expect(page.locator("[data-testid=audit-events]")).to_contain_text("退回")
    page.locator("th[data-column=type] a").click()
    expect(page.locator("th[data-column=type]")).to_have_attribute("aria-sort", "ascending")
    expect(page.locator("input[name=actor]")).to_have_value("engineer2")  # sorting keeps the search
    first = _rows(page).first
    expect(first.get_by_test_id("case-link")).to_have_attribute("href", f"/cases/{first.get_attribute('data-case-id')}")
    expect(first.get_by_test_id("replay-link")).to_have_attribute(
        "href", f"/cases/{first.get_attribute('data-case-id')}/replay")

    page = auditor.go("/audit?type=task_sent_back&lang=en")
    expect(page.get_by_role("heading", name="Audit search")).to_be_visible()
    expect(_rows(page)).to_have_count(1)
    expect(_rows(page).first).to_contain_text("Sent back")
    auditor.shot("audit-03-english")

    page.set_viewport_size({"width": 390, "height": 844})
    page = auditor.go("/audit?field=engineer&lang=en")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # cards, no sideways scrolling
    auditor.shot("audit-04-phone-english")
    page = auditor.go("/audit?field=engineer&lang=zh")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    auditor.shot("audit-05-phone")
    assert auditor.errors == []


def test_a_salesperson_is_refused(ctx, staff):
    sales = staff("sales1")
    page = sales.page
    response = page.goto(sales.base + "/audit")
    assert response is not None and response.status == 403
    expect(page.locator("body")).not_to_contain_text("审计检索")
