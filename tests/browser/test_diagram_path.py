"""The diagram shows the case's path in the browser: the flows taken in colour, "×2" on what was done
twice, the task a timer cancelled grey and struck through, and the view opened on the task at hand —
on a laptop (1366×768) and on a phone (390 px wide)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.integration.test_diagram_path import through_the_documents_loop
from tests.processes.walk import advance_to, run_worker_at, start, task

GREEN = "rgb(46, 157, 87)"
GREY = "rgb(154, 164, 178)"
SCREENS = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


def _drawn(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_selector("#diagram[data-ready=true]")


def _inside_the_canvas(page, element_id: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    shape = page.locator(f'#diagram .djs-element[data-element-id="{element_id}"] .djs-visual').bounding_box()
    canvas = page.locator("#diagram").bounding_box()
    assert shape and canvas
    assert canvas["x"] <= shape["x"] and shape["x"] + shape["width"] <= canvas["x"] + canvas["width"], (shape, canvas)
    assert canvas["y"] <= shape["y"] and shape["y"] + shape["height"] <= canvas["y"] + canvas["height"], (shape, canvas)
    return shape


def _stroke(page, selector: str) -> str:  # type: ignore[no-untyped-def]
    return page.locator(selector).first.evaluate("node => getComputedStyle(node).stroke")


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_the_task_page_opens_on_the_task_with_the_path_painted(ctx, staff, screen):
    case = through_the_documents_loop(ctx)
    engineer = staff("engineer1")
    engineer.page.set_viewport_size(SCREENS[screen])
    page = engineer.go(f"/tasks/{task(ctx, case, 'work')['id']}")
    _drawn(page)
    shape = _inside_the_canvas(page, "work")
    assert shape["width"] >= 70  # readable: a task box at about its drawn size, not a speck of the whole diagram
    expect(page.locator('#diagram .djs-element.gc-current[data-element-id="work"]')).to_have_count(1)
    loop_back = '#diagram .djs-connection.gc-flow[data-element-id="flow_waiver_gateway_to_planning_join"]'
    expect(page.locator(loop_back)).to_have_count(1)
    assert _stroke(page, f"{loop_back} .djs-visual > path") == GREEN
    expect(page.locator('#diagram .gc-passes[data-element="planning_documents"]')).to_have_text("×2")
    expect(page.locator("#diagram .djs-connection.gc-flow[data-element-id=flow_clarity_gateway_to_organise_meeting]"))\
        .to_have_count(0)  # communication was clear: the meeting branch is not coloured
    expect(page.get_by_test_id("diagram-focus")).to_have_count(1)
    engineer.shot(f"diagram-path-task-{screen}")
    page.get_by_test_id("diagram-fit").click()
    _inside_the_canvas(page, "start")  # 全图: the whole diagram, from its start
    assert engineer.errors == []


def test_the_case_page_marks_the_task_a_timer_cancelled(ctx, clock, staff):
    case = start(ctx)
    advance_to(ctx, case, "sales_confirmation")
    silence_ends = datetime.fromisoformat(task(ctx, case, "sales_confirmation")["due_at"]) + timedelta(seconds=1)
    run_worker_at(ctx, clock, silence_ends.isoformat())  # silence counts as confirmation
    director = staff("tech_director1")
    director.page.set_viewport_size(SCREENS["laptop"])
    page = director.go(f"/cases/{case}")
    _drawn(page)
    cancelled = '#diagram .djs-element.gc-cancelled[data-element-id="sales_confirmation"]'
    expect(page.locator(cancelled)).to_have_count(1)
    assert _stroke(page, f"{cancelled} .djs-visual > :first-child") == GREY
    decoration = page.locator(f"{cancelled} .djs-visual text").first.evaluate(
        "node => getComputedStyle(node).textDecorationLine")
    assert decoration == "line-through"
    expect(page.locator('#diagram .gc-flow[data-element-id="flow_sales_silence_timer_to_record_silent_confirmation"]'))\
        .to_have_count(1)
    _inside_the_canvas(page, "final_confirmation")  # where the case stands now
    legend = page.get_by_test_id("diagram-legend")
    expect(legend).to_contain_text("已取消")
    expect(legend).to_contain_text("已走过的连线")
    director.shot("diagram-path-case-cancelled")
    assert director.errors == []


def test_the_start_page_has_no_position(staff):
    sales = staff("sales1")
    sales.page.set_viewport_size(SCREENS["phone"])
    page = sales.go("/start/technical_support")
    _drawn(page)
    expect(page.get_by_test_id("diagram-focus")).to_have_count(0)
    expect(page.get_by_test_id("diagram-fit")).to_have_count(1)
    expect(page.get_by_test_id("diagram-legend")).to_have_count(0)
    expect(page.locator("#diagram .gc-current, #diagram .gc-active, #diagram .gc-flow")).to_have_count(0)
    _inside_the_canvas(page, "start")
    sales.shot("diagram-path-start-phone")
    assert sales.errors == []
