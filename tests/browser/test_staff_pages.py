"""A technical-support request carried through the staff pages in Chromium, screenshots included.

Sales applies on the start page (first with a customer name the mail subject
cannot carry, which the server refuses next to the field), the technical
director confirms from the inbox, the engineer does the next task (first
submitting it empty), and the case page, the mailbox and the English switch
show what happened.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from service.operations import cases, queries
from tests.browser.forms import fill_form, submit_and_leave

APPLICATION = {"customer": "欧莱雅", "project": "CITRIX安装", "sales_name": "ZGH", "support_kind": "non_project",
               "request_origin": "customer", "preparation_required": ["none"]}
SUBJECT = "技术支持申请--欧莱雅--CITRIX安装--ZGH--0930"
DUE = re.compile(r"今天到期|还剩 [\d.]+ 个工作(日|小时)|即将到期|已逾期")


def _ready(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_selector("body[data-form-ready=true]")
    page.wait_for_selector("#diagram[data-ready=true]")


def _field_error(page, label: str):  # type: ignore[no-untyped-def]
    field = page.locator("#form .fjs-form-field").filter(has=page.locator("label", has_text=label)).first
    return field.locator(".fjs-form-field-error")


def _apply(staff) -> int:  # type: ignore[no-untyped-def]
    sales = staff("sales1")
    page = sales.go("/start")
    expect(page.locator("[data-process=technical_support]")).to_be_visible()
    sales.shot("01-start-list")
    page.locator("[data-process=technical_support] a").click()
    _ready(page)
    fill_form(page, {**APPLICATION, "customer": "欧莱雅-中国"})  # "-" separates the parts of the mail subject
    page.get_by_test_id("submit").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("客户名称")
    expect(_field_error(page, "客户名称")).to_be_visible()
    sales.shot("02-start-form-refused")
    fill_form(page, APPLICATION)
    page.get_by_test_id("submit").click()
    page.wait_for_url(re.compile(r"/cases/\d+$"))
    expect(page.locator(".flash.success")).to_contain_text("已发起案例")
    expect(page.locator("h1")).to_contain_text("欧莱雅 / CITRIX安装")
    page.wait_for_selector("#diagram[data-ready=true]")
    sales.shot("03-case-after-application")
    assert not sales.errors, sales.errors
    return int(page.url.rsplit("/", 1)[1])


def _confirm(staff, case_id: int) -> None:  # type: ignore[no-untyped-def]
    director = staff("tech_director1")
    page = director.go("/")
    row = page.locator("[data-testid=inbox] tbody tr", has_text="欧莱雅 / CITRIX安装")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("技术总监确认申请")
    expect(row.get_by_test_id("due")).to_have_text(DUE)
    director.shot("04-inbox-tech-director")
    row.get_by_role("link", name="办理").click()
    _ready(page)
    expect(page.locator('#diagram .djs-element.gc-current[data-element-id="confirm_request"]')).to_have_count(1)
    expect(page.locator("#diagram .djs-element.gc-done").first).to_be_attached()
    expect(page.locator("#diagram .bjs-powered-by")).to_be_visible()  # the bpmn.io watermark stays
    director.shot("05-task-confirm-request")
    fill_form(page, {"accepted": "yes", "engineer": "engineer1", "comment": "同意，请张工支持"})
    page.get_by_test_id("submit").click()
    page.wait_for_url(director.base + "/")
    expect(page.locator(".flash.success")).to_contain_text("技术总监确认申请")
    page = director.go("/done")
    page.get_by_role("link", name="技术总监确认申请").click()  # a completed task reads, it does not submit
    page.wait_for_selector("body[data-form-ready=true]")
    expect(page.locator(".flash.info")).to_contain_text("此任务已完成")
    expect(page.get_by_test_id("submit")).to_have_count(0)
    accepted = page.get_by_label("受理", exact=True)
    expect(accepted).to_be_checked()
    expect(accepted).to_have_attribute("readonly", "")
    director.shot("06a-completed-task-read-only")
    assert not director.errors, director.errors


def _engineer_step(staff, case_id: int) -> str:  # type: ignore[no-untyped-def]
    engineer = staff("engineer1")
    page = engineer.go("/")
    row = page.locator("[data-testid=inbox] tbody tr", has_text="欧莱雅 / CITRIX安装")
    expect(row).to_have_count(1)
    engineer.shot("06-inbox-engineer")
    name = row.locator(".task-name").inner_text()
    row.get_by_role("link", name="办理").click()
    _ready(page)
    page.get_by_test_id("submit").click()  # nothing filled in: the server names each required field
    expect(page.get_by_test_id("error-summary")).to_contain_text("必填")
    errors = page.locator("#form .fjs-form-field-error", has_text="必填")
    expect(errors.first).to_be_visible()
    engineer.shot("07-task-engineer-refused")
    fill_form(page)
    engineer.shot("08-task-engineer-filled")
    submit_and_leave(page)
    expect(page.locator(".flash.success")).to_contain_text(name)
    engineer.shot("09-inbox-engineer-after")
    assert not engineer.errors, engineer.errors
    return name


def test_a_request_goes_from_application_through_the_engineer(staff, ctx):
    case_id = _apply(staff)
    _confirm(staff, case_id)
    engineer_task = _engineer_step(staff, case_id)

    completed = {e["payload"].get("name") for e in queries.history(ctx, case_id) if e["type"] == "task_completed"}
    assert {"技术总监确认申请", engineer_task} <= completed

    sales = staff("sales1")
    page = sales.go(f"/cases/{case_id}")
    page.wait_for_selector("#diagram[data-ready=true]")
    assert page.locator("#diagram .djs-element.gc-done").count() >= 4
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("销售1 发起了案例")
    expect(timeline).to_contain_text("技术总监1 完成了「技术总监确认申请」")
    expect(timeline).to_contain_text(f"工程师1 完成了「{engineer_task}」")
    expect(page.get_by_test_id("case-data")).to_contain_text("客户名称")
    expect(page.get_by_test_id("case-mail").first).to_contain_text(SUBJECT)
    sales.shot("10-case-page")
    assert not sales.errors, sales.errors


def test_the_mailbox_shows_the_application_mail_and_late_work_turns_red(staff, ctx, clock):
    cases.start_case(ctx, process_id="technical_support", actor="sales1",
                     data={**APPLICATION, "emergency": False, "notify_sales_on_leaving": False})
    director = staff("tech_director1")
    page = director.go("/mailbox")
    row = page.locator("[data-testid=mailbox] tbody tr", has_text=SUBJECT)
    expect(row).to_have_count(1)
    director.shot("11-mailbox")
    row.get_by_role("link", name=SUBJECT).click()
    expect(page.get_by_test_id("mail-subject")).to_have_text(SUBJECT)
    expect(page.get_by_test_id("mail-body")).not_to_be_empty()
    director.shot("12-mail")
    customer = staff("customer1")
    expect(customer.go("/mailbox").locator("[data-testid=mailbox]")).to_have_count(0)  # not addressed to them

    clock.advance(days=9)  # 2026-10-09: the confirmation was due on 09-30, National Day in between
    page = director.go("/")
    row = page.locator("[data-testid=inbox] tbody tr.overdue")
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("due")).to_have_text(re.compile(r"已逾期 \d+ 个工作日"))
    director.shot("04b-inbox-overdue")
    page = director.go("/lang/en")
    expect(row.get_by_test_id("due")).to_have_text(re.compile(r"Overdue by \d+ working days?( [\d.]+ hours?)?"))
    director.shot("04c-inbox-overdue-english")


def test_english_switch_and_back(staff):
    sales = staff("sales1")
    page = sales.go("/lang/en")
    expect(page.locator(".topbar nav")).to_contain_text("Inbox")
    expect(page.locator("h1")).to_have_text("My tasks")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page = sales.go("/start/technical_support")
    page.wait_for_selector("body[data-form-ready=true]")
    expect(page.get_by_test_id("submit")).to_have_text("Submit")
    expect(page.locator("#form")).not_to_contain_text("客户名称")  # the form's own translation
    sales.shot("13-start-form-english")
    page = sales.go("/lang/zh")
    expect(page.locator(".topbar nav")).to_contain_text("待办")
    page = sales.go("/cases?lang=en")  # any page takes ?lang=en, and keeps it
    expect(page.locator(".topbar nav")).to_contain_text("Inbox")
    page = sales.go("/")
    expect(page.locator("h1")).to_have_text("My tasks")


def test_admin_creates_a_user_who_can_sign_in(staff):
    admin = staff("admin1")
    page = admin.go("/admin/users")
    expect(page.get_by_test_id("users")).to_contain_text("tech_director1")
    admin.shot("14-admin-users")
    page.get_by_role("link", name="新建用户").click()
    page.fill("#username", "zhangsan")
    page.fill("#display_name", "张三")
    page.fill("#email", "zhangsan@example.com")
    page.locator("input[name=roles][value=engineer]").check()
    page.fill("#password", "s3cret-密码")
    admin.shot("15-admin-new-user")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".flash.success")).to_contain_text("zhangsan")
    newcomer = staff("zhangsan", sign_in=False)
    newcomer.sign_in("s3cret-密码")
    expect(newcomer.page.locator(".who")).to_contain_text("张三")
    expect(newcomer.page.locator(".who")).to_contain_text("工程师")


def test_a_document_is_uploaded_beside_the_form_and_downloaded_from_the_case(staff, ctx, tmp_path):
    proposal = {"customer": "欧莱雅", "project": "桌面虚拟化", "proposal_title": "桌面虚拟化方案", "proposal_size": "3"}
    case_id = cases.start_case(ctx, process_id="technical_support_proposal", actor="engineer1", data=proposal)
    for element, actor, data in (("agree_contents", "engineer1", {"proposal_contents": "封面、目录、方案"}),
                                 ("approve_contents", "sales1", {"contents_agreed": "yes"})):
        (task,) = [t for t in queries.open_tasks(ctx, instance_id=case_id) if t["element_id"] == element]
        cases.complete_task(ctx, task_id=task["id"], actor=actor, data=data)
    (task,) = queries.open_tasks(ctx, instance_id=case_id)
    document = tmp_path / "桌面虚拟化方案.docx"
    document.write_bytes("方案正文".encode())

    engineer = staff("engineer1")
    page = engineer.go(f"/tasks/{task['id']}")
    _ready(page)
    fill_form(page, {"proposal_notes": "第一版"}, uploads={"doc_proposal": document})
    expect(page.locator('.doc-field[data-key="doc_proposal"] .doc-status.ok')).to_contain_text("桌面虚拟化方案.docx")
    expect(page.locator('.doc-field[data-key="doc_proposal"]')).not_to_contain_text("upload:")
    engineer.shot("16-task-upload")
    submit_and_leave(page)

    page = engineer.go(f"/cases/{case_id}")
    link = page.get_by_test_id("documents").get_by_role("link", name="桌面虚拟化方案.docx")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "桌面虚拟化方案.docx"
    assert Path(download.value.path()).read_bytes() == "方案正文".encode()
    assert not engineer.errors, engineer.errors
