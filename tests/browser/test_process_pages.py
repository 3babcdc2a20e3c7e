"""The processes pages in Chromium: a process owner opens the list, a process's versions and the editor;
the modeler shows the diagram, 校验 finds no problem, a saved draft shows as a badge; forms get a Chinese
palette and a user picker; hostile .bpmn files are refused through the page and nothing is deployed;
an auditor only reads. Phone-width screenshots of the list and the detail page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from service.operations import process_drafts, queries
from tests.browser.test_phone import PHONE, assert_no_sideways_scroll
from tests.processes import walk

EDIT = "/processes/technical_support/edit"


def _open_editor(staff, who: str = "process_owner1"):  # type: ignore[no-untyped-def]
    owner = staff(who)
    owner.go(EDIT)
    owner.page.wait_for_selector("body[data-editor-ready=true]")
    return owner


def _script_errors(person) -> list[str]:  # type: ignore[no-untyped-def]
    """Errors of the page's scripts (the bundled Inferno's note about its development build is none)."""
    return [e for e in person.errors if "development build of Inferno" not in e]


def _versions(ctx, process_id: str = "technical_support") -> list[int]:  # type: ignore[no-untyped-def]
    return [d["version"] for d in queries.definitions(ctx) if d["process_id"] == process_id]


def test_a_process_owner_checks_the_diagram_in_the_editor_and_saves_a_draft(ctx, staff):
    owner = staff("process_owner1")
    page = owner.page
    owner.go("/processes")
    row = page.locator("[data-testid=process-row][data-process-id=technical_support]")
    expect(row).to_contain_text("技术支持")
    expect(row.get_by_test_id("draft-badge")).to_have_count(0)
    owner.shot("processes-01-list")
    row.get_by_test_id("open-process").click()
    page.wait_for_url("**/processes/technical_support")
    expect(page.get_by_test_id("versions")).to_contain_text("v1")
    page.wait_for_selector("#diagram[data-ready=true]")
    owner.shot("processes-02-detail")

    page.get_by_test_id("edit-process").click()
    page.wait_for_selector("body[data-editor-ready=true]")
    expect(page.locator("#modeler .djs-element[data-element-id=start]").first).to_be_visible()
    expect(page.get_by_test_id("draft-state")).to_contain_text("v1")
    page.get_by_test_id("validate").click()
    expect(page.get_by_test_id("problems-title")).to_have_text("校验通过，没有发现问题")
    expect(page.get_by_test_id("problem")).to_have_count(0)
    owner.shot("processes-03-editor-checked")

    page.get_by_test_id("save-draft").click()
    expect(page.get_by_test_id("editor-status")).to_have_text("草稿已保存")
    expect(page.get_by_test_id("draft-state")).to_contain_text("process_owner1")
    owner.go("/processes")
    expect(page.locator("[data-process-id=technical_support] [data-testid=draft-badge]")).to_be_visible()
    assert not _script_errors(owner), owner.errors


def test_a_problem_in_the_list_selects_its_element_and_discarding_brings_back_the_deployed_version(ctx, staff):
    owner = _open_editor(staff)
    page = owner.page
    # a condition that reaches for the operating system: the server names the flow it is on
    bpmn = Path("processes/technical_support.bpmn").read_text(encoding="utf-8")
    broken = bpmn.replace(">emergency == True<", ">__import__('os').system('id')<", 1)
    page.get_by_test_id("import-bpmn").set_input_files(files=[{
        "name": "technical_support.bpmn", "mimeType": "application/xml", "buffer": broken.encode()}])
    first = page.get_by_test_id("problem").first
    expect(first).to_be_visible()
    element = first.get_attribute("data-element-id")
    assert element, page.get_by_test_id("problem-list").inner_text()
    first.locator("button").click()
    expect(page.locator(f"#modeler .djs-element.selected[data-element-id={element}]")).to_have_count(1)
    owner.shot("processes-05-problem-selected")
    page.get_by_test_id("deploy").click()  # refused with the same problems, nothing deployed
    expect(page.get_by_test_id("editor-status")).to_contain_text("未能发布")
    expect(page.locator(f"[data-testid=problem][data-element-id={element}]")).to_be_visible()
    assert _versions(ctx) == [1]
    page.get_by_test_id("discard-draft").click()
    page.get_by_test_id("discard-confirm").click()
    expect(page.get_by_test_id("editor-status")).to_contain_text("草稿已放弃")
    expect(page.get_by_test_id("draft-state")).to_contain_text("没有草稿")
    assert _versions(ctx) == [1]


HOSTILE = {
    "xxe.bpmn": b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                b'<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">&x;</definitions>',
    "laughs.bpmn": b'<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
                   b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;">]>\n<definitions>&c;</definitions>',
    "not-xml.bpmn": b"this is not a diagram at all {",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_file_is_refused_through_the_page_and_nothing_is_deployed(ctx, staff, name):
    owner = _open_editor(staff)
    page = owner.page
    page.get_by_test_id("import-bpmn").set_input_files(files=[{
        "name": name, "mimeType": "application/xml", "buffer": HOSTILE[name]}])
    expect(page.get_by_test_id("editor-status")).to_have_class("status-error")
    expect(page.get_by_test_id("problem").first).to_be_visible()
    text = page.get_by_test_id("problem-list").inner_text()
    assert name in page.get_by_test_id("problems-title").inner_text() or name in text
    draft = page.evaluate("""async () => (await (await fetch('/api/v1/process-drafts/technical_support',
        {credentials: 'same-origin'})).json())""")
    assert not draft["is_draft"] and "ENTITY" not in draft["files"]["technical_support.bpmn"]
    assert _versions(ctx) == [1]


def test_a_gbk_file_is_read_in_its_own_encoding(ctx, staff):
    owner = _open_editor(staff)
    page = owner.page
    source = Path("processes/technical_support.bpmn").read_text(encoding="utf-8")
    gbk = source.replace('encoding="UTF-8"', 'encoding="GBK"', 1).encode("gbk")
    page.get_by_test_id("import-bpmn").set_input_files(files=[{
        "name": "technical_support.bpmn", "mimeType": "application/xml", "buffer": gbk}])
    expect(page.get_by_test_id("editor-status")).to_have_text("已导入「technical_support.bpmn」，校验通过")
    expect(page.locator("#modeler")).to_contain_text("销售")
    saved = page.evaluate("""async () => (await (await fetch('/api/v1/process-drafts/technical_support',
        {credentials: 'same-origin'})).json()).files['technical_support.bpmn']""")
    assert 'encoding="UTF-8"' in saved[:100] and "销售" in saved


def test_forms_have_a_chinese_palette_a_user_picker_and_a_preview(ctx, staff):
    owner = _open_editor(staff)
    page = owner.page
    page.get_by_test_id("tab-forms").click()
    forms = page.get_by_test_id("form-item")
    expect(forms.first).to_be_visible()
    page.locator("[data-testid=form-item][data-form-key=application] button").click()
    palette = page.locator("#form-editor .fjs-palette")
    expect(palette).to_contain_text("文本框")
    expect(palette).to_contain_text("文件上传")
    expect(palette.locator(".fjs-palette-group-title").first).to_have_text("输入")
    expect(page.get_by_test_id("draft-state")).not_to_contain_text("有未保存的修改")  # opening is no change
    page.get_by_test_id("picker-role").select_option("engineer")
    page.get_by_test_id("insert-user-picker").click()
    expect(page.get_by_test_id("draft-state")).to_contain_text("有未保存的修改")
    owner.shot("processes-04-form-editor")
    asked: list[str] = []

    def stay(dialog) -> None:  # type: ignore[no-untyped-def]
        asked.append(dialog.type)
        dialog.dismiss()

    page.once("dialog", stay)
    page.locator(".crumbs a").first.click()  # leaving with unsaved changes: the browser asks first
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"] and page.url.endswith(EDIT)
    page.get_by_test_id("form-tab-preview").click()
    page.get_by_test_id("preview-data").fill(json.dumps({"customer": "欧莱雅"}))
    page.get_by_test_id("preview-refresh").click()
    expect(page.locator("#form-preview .fjs-form")).to_be_visible()
    page.get_by_test_id("save-draft").click()
    expect(page.get_by_test_id("editor-status")).to_have_text("草稿已保存")
    saved = page.evaluate("""async () => (await (await fetch('/api/v1/process-drafts/technical_support',
        {credentials: 'same-origin'})).json()).forms['application']""")
    pickers = [c for c in json.loads(saved)["components"] if (c.get("properties") or {}).get("userPicker")]
    assert pickers and pickers[-1]["type"] == "select" and pickers[-1]["properties"]["userPicker"] == "engineer"
    # the form editor's expression fields (CodeMirror) add their theme as a <style> element, which the page
    # policy blocks: they work, unthemed. Nothing else may fail.
    assert not [e for e in _script_errors(owner) if "Applying inline style violates" not in e], owner.errors


def test_an_auditor_reads_the_processes_but_has_no_editor(ctx, staff):
    auditor = staff("auditor1")
    page = auditor.page
    auditor.go("/processes")
    expect(page.get_by_test_id("process-row")).to_have_count(len(list(Path("processes").glob("*.bpmn"))))
    expect(page.get_by_test_id("edit-process")).to_have_count(0)
    response = page.goto(auditor.base + EDIT)
    assert response is not None and response.status == 403


def test_the_list_and_a_process_at_phone_width(ctx, staff):
    owner = staff("process_owner1")
    page = owner.page
    page.set_viewport_size(PHONE)
    owner.go("/processes")
    expect(page.get_by_test_id("process-row").first).to_be_visible()
    assert_no_sideways_scroll(page, "the processes list")
    owner.shot("phone-processes")
    owner.go("/processes/technical_support")
    page.wait_for_selector("#diagram[data-ready=true]")
    assert_no_sideways_scroll(page, "a process's versions")
    owner.shot("phone-process-detail")
    owner.go(EDIT)
    page.wait_for_selector("body[data-editor-ready=true]")
    assert_no_sideways_scroll(page, "the editor")
    owner.shot("phone-process-editor")


def _second_version(ctx) -> None:  # type: ignore[no-untyped-def]
    """Version 2 of 技术支持: one task renamed, deployed by the process owner."""
    draft = process_drafts.get_draft(ctx, "technical_support", actor="process_owner1")
    files = dict(draft["files"])
    files["technical_support.bpmn"] = files["technical_support.bpmn"].replace(
        'name="工程师评估能否支持"', 'name="工程师初步评估"', 1)
    assert files["technical_support.bpmn"] != draft["files"]["technical_support.bpmn"]
    process_drafts.save_draft(ctx, "technical_support", actor="process_owner1", files=files, forms=draft["forms"],
                              translations=draft["translations"], base_version=1)
    process_drafts.deploy_draft(ctx, "technical_support", actor="process_owner1")


def test_the_diff_colours_the_newer_diagram_and_running_cases_move_to_it(ctx, staff):
    case = walk.start(ctx)
    _second_version(ctx)
    owner = staff("process_owner1")
    page = owner.page
    owner.go("/processes/technical_support")
    expect(page.get_by_test_id("version-row")).to_have_count(2)
    page.get_by_test_id("compare").click()
    page.wait_for_url("**/diff?from=1&to=2")
    page.wait_for_selector("body[data-diff-ready=true]")
    changed = page.locator("[data-testid=diff-item][data-kind=changed][data-element-id]")
    expect(changed.first).to_be_visible()
    element = changed.first.get_attribute("data-element-id")
    page.wait_for_selector("#diagram-to[data-ready=true]")
    expect(page.locator(f"#diagram-to .djs-element.gc-changed[data-element-id={element}]")).to_have_count(1)
    owner.shot("processes-06-diff")

    owner.go("/processes/technical_support/migration?to=2")
    page.wait_for_selector("body[data-migration-ready=true]")
    row = page.locator(f"[data-testid=migration-row][data-instance-id='{case}']")
    expect(row).to_have_attribute("data-can-migrate", "true")
    row.get_by_test_id("migration-check").check()
    owner.shot("processes-07-migration")
    page.get_by_test_id("migrate-selected").click()
    expect(page.locator(f"[data-testid=migrated][data-instance-id='{case}']")).to_be_visible()
    assert queries.show_case(ctx, case)["version"] == 2
    page.locator(f"[data-testid=migrated][data-instance-id='{case}'] a").click()
    page.wait_for_url(f"**/cases/{case}")


def test_a_process_owner_creates_a_process_from_the_template(ctx, staff):
    owner = staff("process_owner1")
    page = owner.page
    owner.go("/processes")
    page.get_by_test_id("new-process").click()
    page.get_by_test_id("new-process-id").fill("equipment_loan")
    page.get_by_test_id("new-process-name").fill("设备借用")
    page.get_by_test_id("create-process").click()
    page.wait_for_url("**/processes/equipment_loan/edit")
    page.wait_for_selector("body[data-editor-ready=true]")
    expect(page.locator("#modeler .djs-element[data-element-id]").first).to_be_visible()
    page.get_by_test_id("validate").click()
    expect(page.get_by_test_id("editor-status")).to_have_class("status-ok")
    owner.go("/processes")
    expect(page.locator("[data-process-id=equipment_loan] [data-testid=draft-badge]")).to_be_visible()
    owner.go("/processes/equipment_loan/edit")
    page.wait_for_selector("body[data-editor-ready=true]")
    page.get_by_test_id("deploy").click()
    expect(page.get_by_test_id("editor-status")).to_contain_text("已发布为版本 v1")
    page.get_by_test_id("deployed-link").click()
    page.wait_for_url("**/processes/equipment_loan")
    expect(page.get_by_test_id("version-row")).to_have_count(1)
    expect(page.get_by_test_id("draft-badge")).to_have_count(0)
    owner.go("/processes/new")
    page.get_by_test_id("new-process-id").fill("technical_support")
    page.get_by_test_id("new-process-name").fill("重复")
    page.get_by_test_id("create-process").click()
    expect(page.get_by_test_id("new-process-error")).to_be_visible()


def test_deploying_after_someone_else_deployed_says_so_and_deploys_nothing(ctx, staff):
    owner = _open_editor(staff)
    page = owner.page
    _second_version(ctx)  # deployed while the page still holds version 1
    page.get_by_test_id("deploy").click()
    expect(page.get_by_test_id("editor-status")).to_contain_text("其他人已发布了新版本")
    assert _versions(ctx) == [1, 2]


def test_the_decision_tables_of_the_draft_are_listed_and_open(ctx, staff):
    owner = _open_editor(staff)
    page = owner.page
    page.get_by_test_id("tab-tables").click()
    tables = page.get_by_test_id("table-item")
    expect(tables).to_have_count(len(list(Path("processes").glob("technical_support*.dmn"))))  # the family's tables
    page.locator("[data-testid=table-item][data-file='technical_support_deadlines.dmn'] button").click()
    shown = page.locator("#decision-editor:not([hidden]), #decision-xml:not([hidden])")
    expect(shown).to_be_visible()
    if page.locator("#decision-xml:not([hidden])").count():  # no decision editor shipped: the XML, read only
        expect(shown).to_contain_text('<decision id="support_deadlines"')
