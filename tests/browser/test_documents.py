"""Documents in Chromium: the file is chosen and uploaded inside the form's own file field.

On a real task of a demo-organisation case (the tests' own small process, tests/fixtures/documents),
an engineer uploads a file into a filepicker field and sees its name and a remove button, removes it,
submits without the required document (a field error under the field and in the summary, in form
order), uploads it again and submits; the case page lists the file by name and it downloads, and a
reader of the finished task gets download links instead of the upload button.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from service.operations import cases, deploy, queries

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "documents"


def _case(ctx) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    bundle = deploy.bundle_from_path(FIXTURE / "processes" / "document_review.bpmn", FIXTURE / "forms")
    deploy.deploy_bundle(ctx, bundle, actor="process_owner1")
    case_id = cases.start_case(ctx, process_id="document_review", actor="sales1",
                               data={"customer": "华为", "project": "桌面云", "needs_plan": True})
    (task,) = queries.open_tasks(ctx, instance_id=case_id)
    return case_id, task["id"]


def _ready(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_selector("body[data-form-ready=true]")


def _field(page, key: str):  # type: ignore[no-untyped-def]
    return page.locator(f'#form .doc-field[data-key="{key}"]')


def test_a_document_is_uploaded_in_its_field_removed_required_and_downloaded(staff, ctx, tmp_path):
    case_id, task_id = _case(ctx)
    sheet = tmp_path / "技术支持服务单.pdf"
    sheet.write_bytes("%PDF-1.4 服务单".encode())
    plan = tmp_path / "实施规划.docx"
    plan.write_bytes("实施规划正文".encode())
    photos = [tmp_path / "现场1.jpg", tmp_path / "现场2.jpg"]
    for i, photo in enumerate(photos):
        photo.write_bytes(f"照片{i}".encode())

    engineer = staff("engineer2")
    page = engineer.go(f"/tasks/{task_id}")
    _ready(page)
    field = _field(page, "doc_service_sheet")
    expect(field.locator(".fjs-filepicker-button")).to_have_text("选择文件")  # form-js's "Browse", in Chinese
    expect(field.locator(".fjs-filepicker-container")).to_contain_text("未选择文件")
    expect(field.get_by_role("button", name=re.compile("^移除"))).to_be_hidden()

    page.get_by_test_id("upload-doc_service_sheet").set_input_files(str(sheet))
    expect(field.locator(".doc-status.ok")).to_have_text("已上传：技术支持服务单.pdf")
    expect(field.locator(".fjs-filepicker-container")).to_contain_text("技术支持服务单.pdf")
    expect(field.locator(".fjs-filepicker-container")).not_to_contain_text("upload:")  # the name, not the hash
    remove = field.get_by_role("button", name="移除文件：技术支持服务单.pdf")
    expect(remove).to_be_visible()
    engineer.shot("documents-01-uploaded")

    remove.click()
    expect(field.locator(".fjs-filepicker-container")).to_contain_text("未选择文件")
    expect(remove).to_be_hidden()

    page.get_by_test_id("upload-site_photos").set_input_files([str(p) for p in photos])
    photos_field = _field(page, "site_photos")
    expect(photos_field.locator(".doc-status.ok")).to_have_text("已上传：现场1.jpg、现场2.jpg")
    expect(photos_field.locator(".fjs-filepicker-container")).to_contain_text("已选择 2 个文件")

    page.get_by_test_id("submit").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("li")).to_have_text(["服务单: 必填", "实施规划: 必填"])  # the order of the form
    expect(field.locator(".fjs-form-field-error")).to_have_text("必填")
    engineer.shot("documents-02-required")
    assert queries.open_tasks(ctx, instance_id=case_id), "a refused submission changes nothing"

    page.get_by_test_id("upload-doc_service_sheet").set_input_files(str(sheet))
    expect(field.locator(".doc-status.ok")).to_have_text("已上传：技术支持服务单.pdf")
    expect(field.locator(".fjs-form-field-error")).to_have_count(0)
    page.get_by_test_id("upload-doc_implementation_plan").set_input_files(str(plan))
    expect(_field(page, "doc_implementation_plan").locator(".doc-status.ok")).to_contain_text("实施规划.docx")
    expect(summary).to_be_hidden()  # every marked field is corrected
    page.get_by_test_id("submit").click()
    page.wait_for_url(re.compile(r"/(inbox)?$"))

    page = engineer.go(f"/cases/{case_id}")
    documents = page.get_by_test_id("documents")
    for name in ("技术支持服务单.pdf", "实施规划.docx", "现场1.jpg", "现场2.jpg"):
        expect(documents.get_by_role("link", name=name)).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("upload:")
    engineer.shot("documents-03-case")
    with page.expect_download() as download:
        documents.get_by_role("link", name="技术支持服务单.pdf").click()
    assert download.value.suggested_filename == "技术支持服务单.pdf"
    assert Path(download.value.path()).read_bytes() == "%PDF-1.4 服务单".encode()
    assert not engineer.errors, engineer.errors

    reader = staff("sales1")  # the finished task, read only: links instead of an upload button
    page = reader.go(f"/tasks/{task_id}")
    _ready(page)
    field = _field(page, "doc_service_sheet")
    expect(field.locator(".fjs-filepicker-container")).to_contain_text("技术支持服务单.pdf")
    expect(field.locator(".fjs-filepicker-button")).to_be_hidden()
    expect(field.get_by_role("button", name=re.compile("^移除"))).to_be_hidden()
    expect(_field(page, "site_photos").get_by_role("link")).to_have_text(["下载：现场1.jpg", "下载：现场2.jpg"])
    reader.shot("documents-04-read-only")
    with page.expect_download() as download:
        field.get_by_role("link", name="下载：技术支持服务单.pdf").click()
    assert Path(download.value.path()).read_bytes() == "%PDF-1.4 服务单".encode()
    reader.go("/lang/en")
    page = reader.go(f"/tasks/{task_id}")
    _ready(page)
    expect(_field(page, "site_photos").get_by_role("link")).to_have_text(["Download: 现场1.jpg", "Download: 现场2.jpg"])
    expect(_field(page, "site_photos").locator(".fjs-filepicker-container")).to_contain_text("2 files chosen")
    reader.shot("documents-05-read-only-en")
    assert not reader.errors, reader.errors


CONDITIONS = [
    '=x = 1', '=x != 1', '=x > 1', '=x <= "b"', '=not(x)', '=x and y', '=x or y', '=not(x = 1) and y',
    '=list contains(x, 1)', '=not(list contains(x, 1))', '=not(list contains(x, 1)) or y', '=is defined(x)',
    '=not(is defined(x))', '=not(list contains(if x = null then [] else x, 1))', '=x', '=(not(x))', '=x.a = 1',
    '=x = "1"', '=x = true', '=y = false', '=not(y = true)', '=[x, y]', '=x != null', '=if x then y else false',
    '=x > true or y', '=x = [1, 2]', '=list contains(x, "b") and not(y = false)',
]
VALUES = [None, 1, "1", "b", True, False, [1], [], [1, 2], [None], 0, 2.5, "", {"a": 1}, [{"a": 1}], "(absent)"]


def test_the_server_hides_exactly_the_fields_form_js_hides(browser):  # type: ignore[no-untyped-def]
    """Every condition of the subset, on data of every kind, against form-js's own condition checker."""
    from service.config import PROJECT_ROOT
    from service.domain.form_conditions import is_hidden
    rows = [{**({} if x == "(absent)" else {"x": x}), **({} if y is None else {"y": y})}
            for x in VALUES for y in (None, True, False, 1)]
    page = browser.new_page()
    page.set_content('<div id="form"></div>')
    page.add_script_tag(path=str(PROJECT_ROOT / "service/web/static/vendor/form-js/form-viewer.min.js"))
    answers = page.evaluate("""async ([conditions, rows]) => {
        const form = new FormViewer.Form({ container: document.getElementById('form') });
        await form.importSchema({ type: 'default', components: [] }, {});
        const checker = form.get('conditionChecker');
        return conditions.map((hide) => rows.map((data) => checker._checkHideCondition({ hide }, data)));
    }""", [CONDITIONS, rows])
    page.close()
    differ = [(hide, data, browser_says) for hide, row in zip(CONDITIONS, answers, strict=True)
              for data, browser_says in zip(rows, row, strict=True) if is_hidden(hide, data) != browser_says]
    assert not differ, differ[:10]
