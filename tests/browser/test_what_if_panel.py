"""The editor's 假设回放 / What-if panel: process_owner1 walks the finished cases on a draft whose
refusal condition raises, and reads the summary and one row per case — in Chinese, in English, and on
a phone."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from service.operations import process_drafts
from service.operations.context import AppContext
from tests.processes import walk

EDIT = "/processes/technical_support/edit"
# dmn-js's prebuilt bundle says so on the console of every page that loads it (its own build, not ours)
UPSTREAM_NOTICE = "development build of Inferno"


def _own_errors(errors: list[str]) -> list[str]:
    return [e for e in errors if UPSTREAM_NOTICE not in e]


def _finish_two_and_break_the_refusal(ctx: AppContext) -> dict[str, int]:
    refused = walk.start(ctx)
    walk.do(ctx, refused, "confirm_request", {"accepted": "no", "engineer": None, "comment": "不属于技术支持范围"})
    emergency = walk.start(ctx, emergency=True)
    walk.do(ctx, emergency, "confirm_emergency", {"emergency_accepted": "no", "channel": "phone", "engineer": None})
    draft = process_drafts.get_draft(ctx, "technical_support", actor="process_owner1")
    files = dict(draft["files"])
    files["technical_support.bpmn"] = files["technical_support.bpmn"].replace("accepted == 'no'", "int(accepted) == 0")
    process_drafts.save_draft(ctx, "technical_support", actor="process_owner1", files=files, forms=draft["forms"],
                              translations=draft["translations"])
    return {"refused": refused, "emergency": emergency}


def _run(page: Page) -> None:
    expect(page.locator("body[data-editor-ready=true]")).to_be_attached(timeout=30_000)
    page.get_by_test_id("what-if").click()
    expect(page.get_by_test_id("what-if-panel")).to_be_visible()
    page.get_by_test_id("what-if-cases").fill("5")
    page.get_by_test_id("what-if-run").click()
    expect(page.locator("#what-if-panel[data-state=done]")).to_be_attached(timeout=30_000)


def _row(page: Page, case: int):  # type: ignore[no-untyped-def]
    return page.locator(f"[data-testid=what-if-case][data-instance='{case}']")


def test_the_panel_shows_the_summary_and_each_case_in_chinese_and_english(ctx: AppContext, staff, tmp_path: Path):
    cases = _finish_two_and_break_the_refusal(ctx)
    owner = staff("process_owner1")
    page = owner.go(EDIT)
    _run(page)
    expect(page.get_by_test_id("what-if-summary")).to_have_text("相同 1 · 另一条路 0 · 出错 1 · 中止 0")
    expect(page.get_by_test_id("what-if-case")).to_have_count(2)
    failed = _row(page, cases["refused"])
    expect(failed.get_by_test_id("what-if-verdict")).to_have_text("出错")
    expect(failed.get_by_test_id("what-if-at")).to_contain_text("confirm_gateway")
    expect(failed.get_by_test_id("what-if-reason")).to_contain_text("草稿在")
    expect(failed.get_by_test_id("what-if-draft-path")).to_contain_text("技术总监确认申请")  # by name
    expect(failed.locator("[data-testid=what-if-draft-path] [data-element=confirm_request]")).to_have_count(1)
    same = _row(page, cases["emergency"])
    expect(same.get_by_test_id("what-if-verdict")).to_have_text("相同")
    page.screenshot(path=str(tmp_path / "what-if-zh.png"), full_page=True)

    page = owner.go(EDIT + "?lang=en")
    _run(page)
    expect(page.get_by_test_id("what-if-summary")).to_have_text("same 1 · other path 0 · failed 1 · stopped 0")
    expect(_row(page, cases["refused"]).get_by_test_id("what-if-reason")).to_contain_text("the draft fails at")
    page.screenshot(path=str(tmp_path / "what-if-en.png"), full_page=True)
    assert _own_errors(owner.errors) == []


def test_the_panel_is_usable_on_a_phone(ctx: AppContext, staff, tmp_path: Path):
    cases = _finish_two_and_break_the_refusal(ctx)
    owner = staff("process_owner1")
    owner.page.set_viewport_size({"width": 375, "height": 800})
    page = owner.go(EDIT)
    _run(page)
    row = _row(page, cases["refused"])
    expect(row.get_by_test_id("what-if-verdict")).to_have_text("出错")
    panel = page.get_by_test_id("what-if-panel").bounding_box()
    assert panel and panel["x"] >= 0 and panel["x"] + panel["width"] <= 375
    box = row.bounding_box()
    assert box and box["x"] + box["width"] <= 375
    row.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "what-if-phone.png"), full_page=False)
    assert _own_errors(owner.errors) == []


def test_people_who_may_not_change_processes_do_not_get_a_what_if(ctx: AppContext, staff):
    auditor = staff("auditor1")
    answer = auditor.page.evaluate("""async () => {
      const csrf = document.querySelector('meta[name="csrf-token"]').content;
      const r = await fetch('/api/v1/process-drafts/technical_support/what-if', {method: 'POST',
        headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrf}, body: '{}'});
      return r.status;
    }""")
    assert answer == 403
