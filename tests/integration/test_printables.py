"""The printable service sheet and weekly report: offered by the tasks that declare them, filled with the
case's data, Chinese embedded, for whoever may see the case only; a missing font is a clear answer."""

from __future__ import annotations

import io
import re
from urllib.parse import quote

import pytest
from pypdf import PdfReader

import service.api.printables  # noqa: F401  (the API route, until the API package imports it itself)
from service.adapters import pdf_documents
from service.operations import cases, printables
from tests.integration.test_web_pages import sign_in
from tests.processes import walk
from tests.support.printables import deploy_with_printables


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def embedded_fonts(data: bytes) -> list[str]:
    """Names of the fonts whose program is inside the file (FontFile2: TrueType)."""
    found = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for part in [font, *(d.get_object() for d in font.get("/DescendantFonts", []))]:
                descriptor = part.get("/FontDescriptor")
                if descriptor is not None and "/FontFile2" in descriptor.get_object():
                    found.append(str(descriptor.get_object()["/FontName"]))
    return found


@pytest.fixture
def signoff_case(ctx) -> int:
    deploy_with_printables(ctx)
    case_id = walk.start(ctx)
    walk.advance_to(ctx, case_id, "customer_signoff")
    return case_id


def test_the_sign_off_task_offers_the_service_sheet_and_earlier_tasks_offer_nothing(ctx, signoff_case):
    task = walk.task(ctx, signoff_case, "customer_signoff")
    assert printables.offered_on(ctx, task["process_id"], task["version"], "customer_signoff") == ["service_sheet"]
    assert printables.offered_on(ctx, task["process_id"], task["version"], "weekly_report") == ["weekly_report"]
    assert printables.offered_on(ctx, task["process_id"], task["version"], "confirm_request") == []
    assert printables.offered_on(ctx, task["process_id"], task["version"], "weekly_report", actor="customer1") == []


def test_declared_keeps_known_names_once_in_order():
    assert printables.declared({"printables": " weekly_report, service_sheet,weekly_report, poster "}) == [
        "weekly_report", "service_sheet"]
    assert printables.declared({}) == []


def test_the_customer_downloads_the_filled_service_sheet_with_the_font_embedded(client, ctx, signoff_case):
    sign_in(client, "customer1")
    response = client.get(f"/cases/{signoff_case}/printables/service_sheet.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote(f'技术支持服务单-{signoff_case}.pdf', safe='')}" in disposition
    text = pdf_text(response.data)
    for expected in ("技术支持服务单", "欧莱雅", "CITRIX安装", "ZGH", "工程师1", "非项目支持", "安装并测试",
                     "已完成安装", "顾客签字", "工程师签字", "日期", f"#{signoff_case}", "2026-09-30"):
        assert expected in text, expected
    fonts = [name for name in embedded_fonts(response.data) if "WenQuanYiMicroHei" in name]
    assert fonts and all(re.match(r"/[A-Z]{6}\+", name) for name in fonts), "embedded as a subset"


def test_another_company_and_an_unrelated_engineer_may_not_print_it(client, ctx, signoff_case):
    sign_in(client, "customer2")
    assert client.get(f"/cases/{signoff_case}/printables/service_sheet.pdf").status_code in (403, 404)
    assert client.get(f"/api/v1/process-instances/{signoff_case}/printables/service_sheet.pdf").status_code in (
        403, 404)
    client.get("/logout")
    sign_in(client, "engineer2")
    assert client.get(f"/cases/{signoff_case}/printables/service_sheet.pdf").status_code in (403, 404)


def test_only_printables_the_cases_version_declares_and_only_of_existing_cases(client, ctx, signoff_case):
    deploy_with_printables(ctx, declared=False)
    undeclared = walk.start(ctx)
    walk.advance_to(ctx, undeclared, "customer_signoff")
    deploy_with_printables(ctx)  # a later version declares them again: the running case keeps its own
    sign_in(client, "engineer1")
    assert client.get(f"/cases/{signoff_case}/printables/service_sheet.pdf").status_code == 200
    assert client.get(f"/cases/{undeclared}/printables/service_sheet.pdf").status_code == 404
    task = walk.task(ctx, undeclared, "customer_signoff")
    assert printables.offered_on(ctx, task["process_id"], task["version"], "customer_signoff") == []
    assert client.get(f"/cases/{signoff_case}/printables/poster.pdf").status_code == 404
    assert client.get("/cases/99999/printables/service_sheet.pdf").status_code == 404


def test_the_api_gives_the_same_pdf_in_the_callers_language(client, ctx, signoff_case):
    sign_in(client, "engineer1")
    response = client.get(f"/api/v1/process-instances/{signoff_case}/printables/service_sheet.pdf?lang=en")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert f"filename*=UTF-8''service-sheet-{signoff_case}.pdf" in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    assert "Technical support service sheet" in text and "Customer's remarks" in text and "Date" in text
    assert "欧莱雅" in text and "CITRIX安装" in text  # what people typed is printed as typed


def test_the_weekly_report_lists_the_engineers_cases_of_the_week_with_person_days(client, ctx):
    deploy_with_printables(ctx)
    first = walk.start(ctx)
    second = cases.start_case(ctx, process_id="technical_support", actor="sales3",
                              data={**walk.APPLICATION, "customer": "华为", "project": "网络改造", "sales_name": "LXM"})
    walk.advance_to(ctx, first, "weekly_report")
    walk.advance_to(ctx, second, "leave_site")
    sign_in(client, "tech_director1")
    response = client.get(f"/cases/{first}/printables/weekly_report.pdf")
    assert response.status_code == 200
    assert f"filename*=UTF-8''{quote(f'技术周报-{first}.pdf', safe='')}" in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    for expected in ("技术周报", "工程师1", "2026-09-28", "2026-10-04", "CITRIX安装", "网络改造", "合计人天",
                     "工程师签字", "技术总监签字"):
        assert expected in text, expected
    client.get("/logout")
    sign_in(client, "customer1")  # person-days are internal: not for the customer, even of their own case
    assert client.get(f"/cases/{first}/printables/weekly_report.pdf").status_code == 403
    client.get("/logout")
    sign_in(client, "sales1")  # sales sees its own case, not the other one of the engineer's week
    text = pdf_text(client.get(f"/cases/{first}/printables/weekly_report.pdf").data)
    assert "CITRIX安装" in text and "网络改造" not in text


def test_without_the_font_the_download_says_what_to_install(client, ctx, signoff_case, monkeypatch, tmp_path):
    monkeypatch.setattr(pdf_documents, "CJK_FONT", tmp_path / "missing.ttc")
    sign_in(client, "customer1")
    page = client.get(f"/cases/{signoff_case}/printables/service_sheet.pdf")
    assert page.status_code == 503 and page.mimetype == "text/html"
    assert "fonts-wqy-microhei" in page.text and "缺少中文字体" in page.text
    api = client.get(f"/api/v1/process-instances/{signoff_case}/printables/service_sheet.pdf?lang=en")
    assert api.status_code == 503 and api.mimetype == "application/problem+json"
    assert api.json["package"] == "fonts-wqy-microhei" and "install" in api.json["detail"]
