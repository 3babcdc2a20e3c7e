"""The pages work under their Content-Security-Policy: Chromium reports no violation on the
sign-in page, the inbox, a task page (form and diagram), a start form and a case page, and the
diagram the viewer fetches is still drawn although it is served as a sandboxed download."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.support.walk import start_case

WATCH = """document.addEventListener('securitypolicyviolation', (e) => {
  (window.__violations = window.__violations || []).push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});"""


def _watched(person):  # type: ignore[no-untyped-def]
    person.context.add_init_script(WATCH)
    person.page.on("console", lambda m: person.errors.append(m.text) if "Content Security Policy" in m.text else None)
    return person


def _violations(person) -> list[str]:  # type: ignore[no-untyped-def]
    return person.page.evaluate("window.__violations || []")


def test_no_page_breaks_its_content_security_policy(ctx, staff):
    case_id = start_case(ctx)
    director = _watched(staff("tech_director1", sign_in=False))
    page = director.go("/login")
    assert _violations(director) == []
    director.sign_in()
    expect(page.locator("[data-testid=inbox] tbody tr")).to_have_count(1)
    assert _violations(director) == []
    page.locator("[data-testid=inbox] tbody tr a").first.click()
    page.wait_for_selector("body[data-form-ready=true]")
    page.wait_for_selector("#diagram[data-ready=true]")
    expect(page.locator("#diagram svg .djs-element").first).to_be_attached()
    expect(page.locator("#diagram .gc-current")).not_to_have_count(0)  # this task is marked in the drawn diagram
    assert _violations(director) == []
    page = director.go(f"/cases/{case_id}")
    page.wait_for_selector("#diagram[data-ready=true]")
    expect(page.locator("#diagram .bjs-powered-by")).to_be_visible()  # the bpmn.io watermark stays
    assert _violations(director) == []
    director.go("/tokens")
    assert _violations(director) == []
    sales = _watched(staff("sales1"))
    page = sales.go("/start/technical_support")
    page.wait_for_selector("body[data-form-ready=true]")
    page.wait_for_selector("#diagram[data-ready=true]")
    assert _violations(sales) == []
    assert not director.errors and not sales.errors, director.errors + sales.errors
