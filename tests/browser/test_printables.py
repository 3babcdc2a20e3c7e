"""The customer prints the technical support service sheet from the sign-off task: a PDF with the case's
data and the Chinese font inside; the other customer company gets nothing."""

from __future__ import annotations

import io
from pathlib import Path

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.integration.test_printables import embedded_fonts
from tests.processes import walk
from tests.support.printables import deploy_with_printables


def test_the_customer_downloads_the_service_sheet_of_the_sign_off_task(ctx, staff, tmp_path: Path):
    deploy_with_printables(ctx)
    case_id = walk.start(ctx)
    walk.advance_to(ctx, case_id, "customer_signoff")
    task_id = walk.task(ctx, case_id, "customer_signoff")["id"]

    customer = staff("customer1")
    page = customer.go("/")
    page.locator(f"tr[data-task-id='{task_id}'] a.task-name").click()
    page.wait_for_url(f"**/tasks/{task_id}")
    box = page.get_by_test_id("printables")
    expect(box).to_contain_text("打印并签字后上传")
    link = box.get_by_test_id("printable-service_sheet")
    expect(link).to_contain_text("技术支持服务单")
    customer.shot("printables-sign-off-task")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == f"技术支持服务单-{case_id}.pdf"
    data = Path(download.path()).read_bytes()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "欧莱雅" in text and "CITRIX安装" in text and "顾客签字" in text and "工程师签字" in text
    assert any("WenQuanYiMicroHei" in name for name in embedded_fonts(data)), "the Chinese font is embedded"
    assert customer.errors == []

    other = staff("customer2")
    answer = other.page.request.get(customer.base + f"/cases/{case_id}/printables/service_sheet.pdf")
    assert answer.status in (403, 404)
    assert b"%PDF" not in answer.body()
    other.go(f"/tasks/{task_id}")
    expect(other.page.get_by_test_id("printables")).to_have_count(0)
