"""One non-project technical-support request carried from the application to the end through the pages alone.

Sales applies on the start page; the technical director, the engineer, the
customer and sales each open their next task from the inbox and complete it
on the task page (documents uploaded with the page's upload control, the
customer's first submission refused for the missing signed service sheet),
until the case is completed. The auditor then reads the whole case: status,
timeline, mail thread, documents and the diagram.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.browser.forms import fill_form, submit_and_leave

CASE = "欧莱雅 / VDI扩容"
SUBJECT = "技术支持申请--欧莱雅--VDI扩容--ZGH--0930"
APPLICATION = {"customer": "欧莱雅", "project": "VDI扩容", "sales_name": "ZGH", "support_kind": "non_project",
               "request_origin": "customer", "preparation_required": ["ppt"],  # no proposal: nothing is called
               "notify_sales_on_leaving": True, "estimated_person_days": 2}
DOCUMENTS = {"doc_implementation_plan": ("实施规划.docx", "实施规划：安装、迁移、测试"),
             "doc_service_sheet": ("技术支持服务单.pdf", "%PDF-1.4\n% 已签字\n%%EOF\n"),
             "doc_weekly_report": ("技术周报.xlsx", "周报：欧莱雅 VDI扩容 2.5 人天")}

# element id, who does it, the values that steer the path (other required fields get plausible values)
STEPS: list[tuple[str, str, dict[str, Any]]] = [
    ("confirm_request", "tech_director1", {"accepted": "yes", "engineer": "engineer1", "comment": "同意"}),
    ("engineer_assessment", "engineer1", {"assessment": "accept"}),
    ("communication", "engineer1", {"customer_situation": "现有 XenDesktop 7.15，200 个桌面",
                                    "customer_preparation": "准备两台服务器和管理员账号", "clear": "yes"}),
    ("planning_documents", "engineer1", {"estimated_person_days": 2}),
    ("work", "engineer1", {"work_summary": "扩容交付组并测试登录", "person_days_spent": 2, "work_location": "onsite",
                           "time_kind": "normal", "difficulty": 2}),
    ("leave_site", "engineer1", {"completion_state": "已完成扩容，客户测试通过", "leave_channel": "phone"}),
    ("customer_signoff", "customer1", {"signer": "王经理"}),
    ("completion_report", "engineer1", {"completion_summary": "已完成，客户已在服务单上签字"}),
    ("sales_confirmation", "sales1", {"sales_confirmed": "yes"}),
    ("final_confirmation", "tech_director1", {"completion_confirmed": True}),
    ("review_workload", "tech_director1", {}),
    ("weekly_report", "tech_director1", {"weekly_report_person_days": 2.5}),
]
PEOPLE = {"sales1": "销售1", "tech_director1": "技术总监1", "engineer1": "工程师1", "customer1": "顾客1"}
UPLOADS = {"planning_documents": "doc_implementation_plan", "weekly_report": "doc_weekly_report"}
REFUSED_FIRST = "customer_signoff"  # submitted without the signed service sheet, then corrected


def _ready(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_selector("body[data-form-ready=true]")
    page.wait_for_selector("#diagram[data-ready=true]")


def _field(page, label: str):  # type: ignore[no-untyped-def]
    return page.locator("#form .fjs-form-field").filter(has=page.locator("label", has_text=label)).first


def _documents(folder: Path) -> dict[str, Path]:
    files = {}
    for key, (name, content) in DOCUMENTS.items():
        files[key] = folder / name
        files[key].write_bytes(content.encode("utf-8"))
    return files


def _apply(sales) -> int:  # type: ignore[no-untyped-def]
    page = sales.go("/start")
    page.locator("[data-process=technical_support] a").click()
    _ready(page)
    fill_form(page, APPLICATION)
    expect(page.get_by_label("离场时通知销售")).to_be_checked()
    expect(page.get_by_label("紧急支持，申请后补")).not_to_be_checked()
    expect(page.locator("#form")).not_to_contain_text("方案规模")  # shown only when a proposal is needed
    sales.shot("17-full-case-application")
    page.get_by_test_id("submit").click()
    page.wait_for_url(re.compile(r"/cases/\d+$"))
    expect(page.locator(".flash.success")).to_contain_text("已发起案例")
    return int(page.url.rsplit("/", 1)[1])


def _open_from_inbox(person, case_id: int, element: str, shown: set[str]):  # type: ignore[no-untyped-def]
    page = person.go("/")
    row = page.locator("[data-testid=inbox] tbody tr", has_text=CASE)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(f"#{case_id}")
    if person.username not in shown:  # each role's inbox once
        shown.add(person.username)
        person.shot(f"18-full-case-inbox-{person.username}")
    row.get_by_role("link", name="办理").click()
    _ready(page)
    expect(page.locator(f'#diagram .djs-element.gc-current[data-element-id="{element}"]')).to_have_count(1)
    return page


def _refuse_then_correct(person, page, values: dict[str, Any],  # type: ignore[no-untyped-def]
                         document: Path) -> None:
    sheet = page.locator('#form .doc-field[data-key="doc_service_sheet"]')
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("error-summary")).to_contain_text("签字的技术支持服务单")
    error = _field(page, "签字的技术支持服务单").locator(".fjs-form-field-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("必填")
    expect(page.locator("#form .fjs-form-field-error")).to_have_count(1)  # the signer was given
    person.shot("19-full-case-signoff-refused")
    fill_form(page, values, uploads={"doc_service_sheet": document})
    expect(error).to_have_count(0)
    expect(sheet.locator(".doc-status.ok")).to_contain_text("技术支持服务单.pdf")  # the file's name, not its hash
    expect(sheet).not_to_contain_text("upload:")


def _complete(person, page, element: str, values: dict[str, Any],  # type: ignore[no-untyped-def]
              files: dict[str, Path]) -> str:
    name = page.locator("h1").inner_text().strip()
    upload = UPLOADS.get(element)
    fill_form(page, values, uploads={upload: files[upload]} if upload else None)
    if element == REFUSED_FIRST:
        _refuse_then_correct(person, page, values, files["doc_service_sheet"])
    submit_and_leave(page)
    expect(page.locator(".flash.success")).to_contain_text(name)
    return name


def test_a_request_is_carried_from_application_to_completion_through_the_pages(staff, tmp_path):
    files = _documents(tmp_path)
    people = {"sales1": staff("sales1")}
    case_id = _apply(people["sales1"])

    done: list[str] = []  # "工程师1 完成了「具体技术支持」", in order
    shown: set[str] = set()
    for element, username, values in STEPS:
        if username not in people:
            people[username] = staff(username)
        page = _open_from_inbox(people[username], case_id, element, shown)
        name = _complete(people[username], page, element, values, files)
        done.append(f"{PEOPLE[username]} 完成了「{name}」")
    for person in people.values():
        expect(person.go("/").locator("[data-testid=inbox] tbody tr", has_text=CASE)).to_have_count(0)
        assert not person.errors, (person.username, person.errors)

    auditor = staff("auditor1")
    page = auditor.go(f"/cases/{case_id}")
    page.wait_for_selector("#diagram[data-ready=true]")
    expect(page.locator("h1 .pill.completed")).to_have_text("已完成")
    expect(page.locator(".page-head .meta")).to_contain_text("完成于")
    expect(page.get_by_test_id("case-open-tasks")).to_have_count(0)
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("销售1 发起了案例")
    for line in done:
        expect(timeline).to_contain_text(line)
    told = timeline.inner_text()
    assert [told.index(line) for line in done] == sorted(told.index(line) for line in done)
    expect(timeline).to_contain_text("案例结束")
    expect(timeline).to_contain_text("签字的技术支持服务单：技术支持服务单.pdf")
    expect(timeline).not_to_contain_text("upload:")  # documents by name, not by reference
    mails = page.get_by_test_id("case-mail").locator(".subject")
    expect(mails.filter(has_text=re.compile(f"^{re.escape(SUBJECT)}$"))).to_have_count(1)
    expect(mails.filter(has_text=f"回复: {SUBJECT}")).to_have_count(2)  # the acceptance and the completion
    documents = page.get_by_test_id("documents")
    for name, _ in DOCUMENTS.values():
        expect(documents.get_by_role("link", name=name)).to_be_visible()
    for element, _, _ in STEPS:
        expect(page.locator(f'#diagram .djs-element.gc-done[data-element-id="{element}"]')).to_have_count(1)
    expect(page.locator("#diagram .djs-element.gc-active")).to_have_count(0)
    auditor.shot("20-case-completed")
    assert not auditor.errors, auditor.errors
