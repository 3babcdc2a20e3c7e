"""One customer through all five procedures, and their page: sales1 opens a pre-sales pursuit for 欧莱雅 in
the browser; the won pursuit hands over its contract, which sales_lead1 approves from his inbox; the
signed contract opens the implementation project, where 欧莱雅's contact submits a change request in the
browser; then a technical-support request and an after-sales order. The customer page shows the five
cases in the order they started, to an auditor in Chinese, in English and at phone width; sales1 sees
his own four; 欧莱雅's contact sees neither the pursuit nor the contract; 华为's contact sees none of it.

The steps between (assessment, bid, the other approvals, the project's research and training) go through
the use cases, as the process walks do: each is a real save and reload; the browser takes the hand-offs."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from service.operations import background, case_starts
from tests.browser.forms import fill_form, submit_and_leave
from tests.browser.test_after_sales_journey import _do, _open_task, _ready
from tests.browser.test_phone import PHONE, assert_no_sideways_scroll
from tests.processes import as_walk, ca_walk, im_walk, ps_walk
from tests.processes.walk import at
from tests.support.walk import start_case

ORDER = ["presales_support", "contract_approval", "implementation_project", "technical_support",
         "after_sales_service"]


def _opened_by(ctx, case: int) -> int:  # type: ignore[no-untyped-def]
    assert background.run_once(ctx).cases_opened == 1
    [asked] = case_starts.case_starts_of(ctx, case)
    return int(asked["case_id"])


def _pursuit_in_the_browser(staff) -> int:  # type: ignore[no-untyped-def]
    sales = staff("sales1")
    page = sales.go("/start")
    page.locator("[data-process=presales_support] a").click()
    _ready(page)
    fill_form(page, ps_walk.REQUEST)
    page.get_by_test_id("submit").click()
    page.wait_for_url(re.compile(r"/cases/\d+$"))
    expect(page.locator(".flash.success")).to_be_visible()
    assert not sales.errors, sales.errors
    return int(page.url.rsplit("/", 1)[1])


def _change_request_in_the_browser(staff, project: int, folder: Path) -> None:  # type: ignore[no-untyped-def]
    contact = staff("customer1")
    page = _open_task(contact, project, "submit_change")
    request = folder / "变更申请.docx"
    request.write_text("订单超过10万需总监审批", encoding="utf-8")
    fill_form(page, {"change_title": "订单增加审批级别", "change_description": "订单超过10万需总监审批",
                     "consolidated_by": "信息部李经理", "consolidated": True, "internal_agreement": True,
                     "more_changes": "no"}, uploads={"doc_change_request": request})
    contact.shot("journey-change-request")
    submit_and_leave(page)
    expect(page.locator(".flash.success")).to_be_visible()
    assert not contact.errors, contact.errors


def test_one_customer_from_pre_sales_to_after_sales_on_the_customer_page(ctx, clock, staff, tmp_path):  # type: ignore[no-untyped-def]
    pursuit = _pursuit_in_the_browser(staff)
    ps_walk.walk_to_end(ctx, pursuit)
    clock.set(at("2026-10-12T09:00"))
    contract = _opened_by(ctx, pursuit)
    _do(staff("sales_lead1"), contract, "approve_sales_lead", {"approval_decision": "approve",
                                                                "approval_opinion": "同意"})
    ca_walk.walk_to_end(ctx, contract)
    clock.set(at("2026-10-13T09:00"))
    project = _opened_by(ctx, contract)
    im_walk.advance_to(ctx, project, "submit_change", overrides={"confirm_memo": {"changes_to_submit": "yes"}})
    _change_request_in_the_browser(staff, project, tmp_path)
    assert "review_change" in im_walk.open_elements(ctx, project)
    clock.set(at("2026-11-02T10:00"))
    support = start_case(ctx)  # 欧莱雅 / CITRIX安装, by sales1
    clock.set(at("2026-11-03T10:00"))
    order = as_walk.start(ctx)  # 欧莱雅's dispatch order, by the desk
    start_case(ctx, customer="华为", project="网络改造")
    cases = [pursuit, contract, project, support, order]

    auditor = staff("auditor1")
    page = auditor.go("/customers/欧莱雅")
    shown = page.get_by_test_id("customer-case")
    expect(shown).to_have_count(5)
    assert [int(c) for c in shown.evaluate_all("rows => rows.map(r => r.dataset.case)")] == cases
    assert shown.evaluate_all("rows => rows.map(r => r.dataset.process)") == ORDER
    expect(page.locator("[data-testid=customer-case][data-process=contract_approval]")).to_contain_text(
        "XS-2026-0001")
    auditor.shot("journey-customer-page")
    page.goto(page.url + "?lang=en")
    expect(page.locator("[data-testid=customer-case][data-process=presales_support]")).to_contain_text("Pre-sales")
    auditor.shot("journey-customer-page-en")
    page.goto(page.url.replace("lang=en", "lang=zh"))
    page.set_viewport_size(PHONE)
    assert_no_sideways_scroll(page, "the customer page across five procedures")
    auditor.shot("journey-customer-page-phone")

    sales_page = staff("sales1").go("/customers/欧莱雅")  # his pursuit, contract, project and request
    expect(sales_page.get_by_test_id("customer-case")).to_have_count(4)
    contact_page = staff("customer1").go("/customers/欧莱雅")
    for internal in ("presales_support", "contract_approval"):
        expect(contact_page.locator(f"[data-testid=customer-case][data-process={internal}]")).to_have_count(0)
    expect(contact_page.locator(f"[data-testid=customer-case][data-case='{project}']")).to_have_count(1)
    other = staff("customer2").go("/customers/欧莱雅")
    expect(other.locator("[data-testid=customer-case]")).to_have_count(0)
    assert auditor.errors == []
