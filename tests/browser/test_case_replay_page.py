"""The step-through page in the browser: as auditor1, open a case, press 回放, step with the buttons and
the keys, jump to the end; the diagram marks what was done and what waits at each step, beside the actor,
the data changed and the documents then; ?step=N opens that moment; English by ?lang=en; a sales person
(who does not read all cases) is refused. Screenshots on a laptop (1366) and a phone (390), both languages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.integration.test_replay_frames import sent_back_signed_and_silent

SCREENS = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


def _drawn(page, step: int) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_selector(f"#replay-diagram[data-ready=true][data-step='{step}']")


def _marked(page, cls: str) -> set[str]:  # type: ignore[no-untyped-def]
    return set(page.eval_on_selector_all(f"#replay-diagram .djs-element.{cls}",
                                         "nodes => nodes.map(n => n.dataset.elementId)"))


def _step_of(page, kind: str, element: str | None = None) -> int:  # type: ignore[no-untyped-def]
    """The 1-based step of an event, from the page's own frames."""
    return int(page.evaluate("""([kind, element]) => {
        const frames = JSON.parse(document.getElementById('replay-config').textContent).frames;
        return frames.findIndex(f => f.type === kind && (element === null || f.element_id === element)) + 1;
    }""", [kind, element]))


def test_an_auditor_steps_through_a_case_on_its_diagram(ctx, clock, staff):
    case = sent_back_signed_and_silent(ctx, clock)
    auditor = staff("auditor1")
    auditor.page.set_viewport_size(SCREENS["laptop"])
    page = auditor.go(f"/cases/{case}")
    page.get_by_test_id("case-replay").click()
    page.wait_for_url(re.compile(rf"/cases/{case}/replay"))
    _drawn(page, 1)
    expect(page.get_by_test_id("replay-verdict")).to_contain_text("一致")
    expect(page.get_by_test_id("replay-label")).to_have_text("销售1 发起了案例")
    expect(page.get_by_test_id("replay-actor")).to_have_text("销售1")
    expect(page.get_by_test_id("replay-at")).to_have_text("2026-09-30 11:00")
    expect(page.locator('[data-testid=replay-changes] tr[data-field="customer"]')).to_contain_text("欧莱雅")
    assert _marked(page, "gc-active") >= {"confirm_request"}
    expect(page.get_by_test_id("replay-first")).to_be_disabled()

    page.get_by_test_id("replay-next").click()
    _drawn(page, 2)
    assert "step=2" in page.url
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    _drawn(page, 4)
    page.keyboard.press("ArrowLeft")
    _drawn(page, 3)
    expect(page.get_by_test_id("replay-position")).to_contain_text("第 3 /")

    # the second assessment after the 退回: done twice, the communication waits again
    second = page.evaluate("""() => {
        const frames = JSON.parse(document.getElementById('replay-config').textContent).frames;
        return frames.filter(f => f.type === 'task_completed' && f.element_id === 'engineer_assessment')[1].index + 1;
    }""")
    page.get_by_test_id("replay-scrubber").fill(str(second))
    _drawn(page, second)
    expect(page.locator('#replay-diagram .gc-passes[data-element="engineer_assessment"]')).to_have_text("×2")
    assert "communication" in _marked(page, "gc-active") and "engineer_assessment" in _marked(page, "gc-done")
    expect(page.get_by_test_id("replay-actor")).to_have_text("工程师1")
    expect(page.get_by_test_id("replay-role")).to_have_text("工程师")

    planning = _step_of(page, "task_completed", "planning_documents")
    page.goto(f"{auditor.base}/cases/{case}/replay?step={planning}")  # a link to that moment
    _drawn(page, planning)
    expect(page.get_by_test_id("replay-label")).to_have_text("工程师1 完成了「提交规划文档」")
    expect(page.locator('[data-testid=replay-changes] tr[data-field="doc_implementation_plan"]'))\
        .to_contain_text("实施规划.docx")
    document = page.locator('[data-testid=replay-documents] li[data-field="doc_implementation_plan"]')
    expect(document.locator("a")).to_have_text("实施规划.docx")
    expect(document.locator("a")).to_have_attribute("href", re.compile(rf"/cases/{case}/documents\?ref=upload"))
    expect(document.locator("code")).to_have_text(re.compile(r"^[0-9a-f]{12}$"))

    page.keyboard.press("End")
    last = int(page.get_by_test_id("replay-scrubber").get_attribute("max") or 0)
    _drawn(page, last)
    assert f"step={last}" in page.url
    assert _marked(page, "gc-cancelled") == {"sales_confirmation"}
    assert _marked(page, "gc-active") == {"final_confirmation"}
    silence = "flow_sales_silence_timer_to_record_silent_confirmation"
    expect(page.locator(f'#replay-diagram .gc-flow[data-element-id="{silence}"]')).to_have_count(1)
    expect(page.get_by_test_id("replay-next")).to_be_disabled()
    page.keyboard.press("Home")
    _drawn(page, 1)
    assert _marked(page, "gc-cancelled") == set() and page.locator("#replay-diagram .gc-passes").count() == 0
    assert auditor.errors == []


@pytest.mark.parametrize("screen", sorted(SCREENS))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_in_both_languages_on_a_laptop_and_a_phone(ctx, clock, staff, screen, lang):
    case = sent_back_signed_and_silent(ctx, clock)
    auditor = staff("auditor1")
    auditor.page.set_viewport_size(SCREENS[screen])
    page = auditor.go(f"/cases/{case}/replay?lang={lang}&step=17")
    _drawn(page, 17)
    if lang == "en":
        expect(page.get_by_test_id("replay-verdict")).to_contain_text("Consistent")
        expect(page.get_by_test_id("replay-position")).to_have_text(re.compile(r"^step 17 of \d+$"))
        expect(page.get_by_test_id("replay-diagram-title")).to_have_text("Diagram (version 1)")
        assert 'name="Engineer assesses the request"' in page.evaluate(
            "() => JSON.parse(document.getElementById('replay-config').textContent).versions[0].xml")
    else:
        expect(page.get_by_test_id("replay-diagram-title")).to_have_text("流程图（第 1 版）")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= SCREENS[screen]["width"]  # nothing sideways on a phone
    auditor.shot(f"case-replay-{screen}-{lang}")
    assert auditor.errors == []


def test_a_sales_person_is_refused_the_page(ctx, clock, staff):
    case = sent_back_signed_and_silent(ctx, clock)
    sales = staff("sales1")  # started the case and sees it, but not every field of every step
    response = sales.page.goto(f"{sales.base}/cases/{case}/replay")
    assert response is not None and response.status == 403
    expect(sales.page.locator("body")).to_contain_text("只有审计员、系统管理员和流程负责人")
    sales.go(f"/cases/{case}")
    expect(sales.page.get_by_test_id("case-replay")).to_have_count(0)
