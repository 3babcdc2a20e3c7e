"""Importing a Camunda diagram in Chromium: the owner uploads it from the processes list, reads the report
with the diagram marked where the findings are, unticks one fix, applies the others and lands in the
editor with the draft. Screenshots at desktop and phone width (375 px)."""

from __future__ import annotations

from playwright.sync_api import expect

from service.persistence.models import ProcessDraft
from tests.browser.test_phone import assert_no_sideways_scroll
from tests.integration.test_process_import_page import CAMUNDA

PHONE = {"width": 375, "height": 812}


def _upload(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_test_id("import-file").set_input_files(
        {"name": "purchase.bpmn", "mimeType": "application/xml", "buffer": CAMUNDA.encode()})
    page.get_by_test_id("import-check").click()
    page.wait_for_url("**/processes/import/*")


def test_a_process_owner_uploads_reads_the_report_applies_two_fixes_and_opens_the_editor(ctx, staff):
    owner = staff("process_owner1")
    page = owner.page
    owner.go("/processes")
    page.get_by_test_id("import-process").click()
    page.wait_for_url("**/processes/import")
    expect(page.locator("h1")).to_have_text("导入流程图")
    owner.shot("process-import-01-upload")
    _upload(page)

    expect(page.get_by_test_id("import-summary")).to_contain_text("3 处可自动修正（已勾选 3 处）")
    expect(page.get_by_test_id("fix")).to_have_count(3)
    page.wait_for_selector("#diagram[data-ready=true]")
    expect(page.locator("#diagram .djs-element.gc-active[data-element-id=cool_down]")).to_have_count(1)
    # the flows whose conditions need a fix are drawn in the findings' colour, not the usual black
    large_flow = page.locator("#diagram .djs-connection.gc-active[data-element-id=large] .djs-visual > path")
    expect(large_flow).to_have_css("stroke", "rgb(224, 138, 0)")
    owner.shot("process-import-02-report")

    page.set_viewport_size(PHONE)
    page.reload()  # the viewer fits the diagram to the width it opens at
    page.wait_for_selector("#diagram[data-ready=true]")
    assert_no_sideways_scroll(page, "the import report")
    owner.shot("process-import-03-report-phone")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.reload()

    page.locator("[data-testid=finding][data-key='small/juel_condition'] [data-testid=fix]").uncheck()
    page.get_by_test_id("import-recheck").click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("已勾选 2 处")
    expect(page.get_by_test_id("still-refused")).to_be_visible()
    page.get_by_test_id("import-apply").click()
    page.wait_for_url("**/processes/purchase_check/edit")
    page.wait_for_selector("body[data-editor-ready=true]")
    expect(page.locator(".flash.success")).to_contain_text("purchase_check")
    expect(page.locator("#modeler .djs-element[data-element-id=cool_down]").first).to_be_visible()
    owner.shot("process-import-04-editor")
    with ctx.db.reading() as session:
        diagram = session.get(ProcessDraft, "purchase_check").files["purchase_check.bpmn"]
    assert '"PT5M"' in diagram and "${amount &lt;= 1000}" in diagram and "${amount &gt; 1000}" not in diagram
    assert [e for e in owner.errors if "development build of Inferno" not in e] == []


def test_the_upload_page_and_an_error_in_english_at_phone_width(ctx, staff):
    owner = staff("process_owner1")
    page = owner.page
    owner.go("/lang/en")
    owner.go("/processes/import")
    page.set_viewport_size(PHONE)
    page.get_by_test_id("import-file").set_input_files(
        {"name": "broken.bpmn", "mimeType": "application/xml", "buffer": b"<definitions><process>"})
    page.get_by_test_id("import-check").click()
    expect(page.get_by_test_id("import-error")).to_contain_text("'broken.bpmn' cannot be read at line 1")
    assert_no_sideways_scroll(page, "the import page")
    owner.shot("process-import-05-error-phone-en")
    owner.go("/processes")
    expect(page.get_by_test_id("import-process")).to_have_text("Import a diagram")
    assert_no_sideways_scroll(page, "the processes list")
    owner.shot("process-import-06-list-phone-en")
