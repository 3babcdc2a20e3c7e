"""An incident as an administrator meets it in Chromium: on the case page, in the incident list, retried
and then cancelled with a reason — in Chinese, in English and at phone width."""

from __future__ import annotations

from playwright.sync_api import expect

from service.operations import background, cases, deploy, queries
from tests.engine.diagrams import flow, process, script_task

WIDEST = """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)
  .slice(0, 8).map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""
BOMB = "a = 'x' * 10000 * 100\nn = len([a.count(x) for x in a])"


def _incident_case(ctx, clock) -> int:  # type: ignore[no-untyped-def]
    body = ('<bpmn:startEvent id="start"/><bpmn:intermediateCatchEvent id="wait" name="夜间等待">'
            '<bpmn:timerEventDefinition><bpmn:timeDuration>"PT1H"</bpmn:timeDuration></bpmn:timerEventDefinition>'
            '</bpmn:intermediateCatchEvent>'
            + script_task("bomb", BOMB).replace('id="bomb"', 'id="bomb" name="统计字符"')
            + '<bpmn:endEvent id="end"/>' + flow("f1", "start", "wait") + flow("f2", "wait", "bomb")
            + flow("f3", "bomb", "end"))
    diagram = process(body, process_id="night_job")
    deploy.deploy_bundle(ctx, deploy.Bundle("night_job", {"night_job.bpmn": diagram}, {}, {}), actor="process_owner1")
    case_id = cases.start_case(ctx, process_id="night_job", actor="process_owner1", data={})
    clock.advance(hours=2)
    assert background.run_once(ctx).incidents == 1
    return case_id


def test_an_administrator_sees_retries_and_cancels_an_incident(ctx, clock, staff):
    case_id = _incident_case(ctx, clock)
    admin = staff("admin1")
    page = admin.go(f"/cases/{case_id}")
    card = page.locator("[data-testid=case-incidents]")
    expect(card).to_contain_text("统计字符")
    expect(card).to_contain_text("operations")  # which limit stopped the script
    admin.shot("30-case-incident")
    page.get_by_role("button", name="立即重试").click()
    expect(page.locator(".flash").first).to_contain_text("已重试")
    expect(page.locator("[data-testid=case-incidents]")).to_contain_text("2")
    page.fill("[data-testid=case-incidents] input[name=reason]", "脚本有误，已改流程")
    page.get_by_role("button", name="取消案例").click()
    expect(page.locator(".flash.success")).to_contain_text("案例已取消")
    expect(page.locator("[data-testid=case-incidents]")).to_have_count(0)
    assert queries.show_case(ctx, case_id)["status"] == "cancelled"
    expect(page.locator("body")).to_contain_text("取消了案例：脚本有误，已改流程")
    admin.shot("31-case-cancelled")
    assert admin.errors == []


def test_the_incident_list_in_english_and_at_phone_width(ctx, clock, staff):
    case_id = _incident_case(ctx, clock)
    owner = staff("process_owner1")
    owner.go("/lang/en")
    page = owner.go("/")
    page.get_by_role("link", name="Incidents").click()  # the menu leads process owners there
    expect(page.locator("h1")).to_have_text("Open incidents")
    expect(page.locator("[data-testid=incidents]")).to_contain_text(f"#{case_id}")
    owner.page.set_viewport_size({"width": 390, "height": 844})
    page = owner.go(f"/cases/{case_id}")
    expect(page.locator("[data-testid=case-incidents]")).to_contain_text("Retry now")
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(WIDEST)
    assert width <= 400, f"the case page scrolls sideways at phone width ({width}px): {wide}"
    owner.shot("32-case-incident-phone-en")
    engineer = staff("engineer1")
    expect(engineer.go("/").get_by_role("link", name="故障")).to_have_count(0)
    response = engineer.page.goto(engineer.base + "/admin/incidents")
    assert response is not None and response.status == 403
