"""A contract from the salesperson's draft to the filed contract through the pages alone: sales1 fills
the draft with its documents and one product row; sales_lead1, tech_director1 and finance1 approve from
their inboxes (sales_lead2 has nothing); the approved contract carries XS-2026-0001; sales1 signs,
management1 seals and files it; the number stands in the register and the contract among the
after-sales master data. The draft in English and an approval at phone width are looked at too
(screenshots under test-artifacts/screenshots/)."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.forms import fill_form, submit_and_leave
from tests.browser.test_after_sales_journey import _add_row, _do, _open_task, _ready
from tests.browser.test_phone import PHONE, assert_no_sideways_scroll

APPROVE = {"approval_decision": "approve", "approval_opinion": "同意"}


def _file(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _submit_draft(sales, folder: Path) -> int:  # type: ignore[no-untyped-def]
    page = sales.go("/start")
    page.locator("[data-process=contract_approval] a").click()
    _ready(page)
    fill_form(page, {"customer": "欧莱雅", "project": "总部投影系统", "contract_type": "sales_consulting",
                     "importance": "normal", "amount": 150000, "customer_record": "总部信息部资料已收集清理",
                     "follow_up": "拜访三次", "address": "上海市徐汇区"},
              uploads={"doc_improvement_proposal": _file(folder, "企业管理改造项目建议书.docx", "建议书"),
                       "doc_contract_draft": _file(folder, "合同草稿.docx", "草稿")})
    _add_row(page, "合同产品（签订后作为售后服务的合同资料）", {"产品序列号": "XS-PJ-0001", "型号": "PJ-5084"})
    sales.shot("ca-01-draft")
    page.get_by_test_id("submit").click()
    page.wait_for_url(re.compile(r"/cases/\d+$"))
    expect(page.locator(".flash.success")).to_be_visible()
    return int(page.url.rsplit("/", 1)[1])


def test_a_contract_from_the_draft_through_approval_to_the_filed_contract(staff, tmp_path):  # type: ignore[no-untyped-def]
    sales = staff("sales1")
    case_id = _submit_draft(sales, tmp_path)
    other_lead = staff("sales_lead2").go("/")
    expect(other_lead.locator("[data-testid=inbox] tbody tr", has_text=f"#{case_id}")).to_have_count(0)
    lead = staff("sales_lead1")
    page = _open_task(lead, case_id, "approve_sales_lead")
    chain = page.locator('#form [id$="-Field_chain_rule"]')
    expect(chain).to_have_value("销售和咨询服务合同·一般：销售组长、技术总监、财务")
    lead.shot("ca-02-approve-lead")
    fill_form(page, APPROVE)
    submit_and_leave(page)
    _do(staff("tech_director1"), case_id, "approve_tech_director", APPROVE)
    _do(staff("finance1"), case_id, "approve_finance", APPROVE)
    page = _open_task(sales, case_id, "sign_contract")
    expect(page.locator('#form [id$="-Field_contract_no"]')).to_have_value("XS-2026-0001")
    fill_form(page, {"customer_signatory": "王经理", "signed_on": "2026-10-09"},
              uploads={"doc_signed_contract": _file(tmp_path, "签字合同.pdf", "签字")})
    submit_and_leave(page)
    management = staff("management1")
    page = _open_task(management, case_id, "seal_contract")
    fill_form(page, {"seal_kind": "contract_seal", "sealed_copies": 2},
              uploads={"doc_sealed_contract": _file(tmp_path, "盖章合同.pdf", "盖章")})
    submit_and_leave(page)
    _do(management, case_id, "archive_contract", {"archive_no": "DA-2026-001"})
    page = management.go(f"/cases/{case_id}")
    expect(page.locator("h1")).to_contain_text("XS-2026-0001")
    expect(page.locator("body")).to_contain_text("已归档")
    management.shot("ca-03-filed-case")
    page = management.go("/contracts/numbering")
    expect(page.locator("[data-number='XS-2026-0001'] a")).to_have_text(f"#{case_id}")
    expect(page.get_by_test_id("next-sales_consulting")).to_have_text("XS-2026-0002")
    management.shot("ca-04-numbering")
    page = management.go("/after-sales/contracts")
    expect(page.locator("body")).to_contain_text("XS-2026-0001")
    for person in (sales, lead, management):
        assert not person.errors, person.errors


def test_the_draft_in_english_and_an_approval_at_phone_width(staff, tmp_path):  # type: ignore[no-untyped-def]
    sales = staff("sales1")
    page = sales.go("/start/contract_approval?lang=en")
    _ready(page)
    form = page.locator("#form")
    expect(form).to_contain_text("Contract type")
    expect(form).to_contain_text("Customer record (collected, cleaned, processed)")
    expect(form).not_to_contain_text("合同类型")
    sales.shot("ca-05-draft-english")
    sales.go("/lang/zh")
    case_id = _submit_draft(sales, tmp_path)
    lead = staff("sales_lead1")
    lead.page.set_viewport_size(PHONE)
    page = _open_task(lead, case_id, "approve_sales_lead")
    assert_no_sideways_scroll(page, "the approval at phone width")
    lead.shot("ca-06-approve-phone")
