"""审计校验 as auditors and administrators meet it in Chromium: an intact history, then a tampered one
with the first broken link leading to its case — in Chinese and English, on a desktop and a phone;
everyone else is refused."""

from __future__ import annotations

import json

from playwright.sync_api import expect
from sqlalchemy import text

from tests.processes.walk import advance_to, start

WIDEST = """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)
  .slice(0, 8).map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


def _fits_the_phone(page) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the page scrolls sideways at phone width ({width}px): {page.evaluate(WIDEST)}"


def _edit_an_event(ctx, case: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with ctx.db.engine.begin() as conn:
        event_id, seq, payload = conn.execute(text(
            "SELECT id, seq, payload FROM audit_events WHERE chain = :c AND type = 'task_completed' ORDER BY seq"),
            {"c": f"case:{case}"}).first()
        payload = payload if isinstance(payload, dict) else json.loads(payload)
        conn.execute(text("UPDATE audit_events SET payload = :p WHERE id = :id"),
                     {"p": json.dumps({**payload, "actor_note": "伪造"}, ensure_ascii=False), "id": event_id})
    return event_id, seq


def test_an_auditor_sees_an_intact_history_then_the_first_broken_link(ctx, staff):
    case = start(ctx)
    advance_to(ctx, case, "work")
    auditor = staff("auditor1")
    auditor.page.set_viewport_size({"width": 1366, "height": 900})
    page = auditor.go("/audit/verify")
    expect(page.locator("h1")).to_have_text("审计校验")
    expect(page.locator("[data-testid=verify-verdict]")).to_contain_text("记录完好")
    expect(page.locator("[data-testid=count-cases]")).to_have_text("1")
    expect(page.locator("[data-testid=count-documents]")).not_to_have_text("0")
    expect(page.locator("[data-testid=checkpoint-form]")).to_have_count(0)  # administrators only
    auditor.shot("80-audit-verify-intact-zh")
    page = auditor.go("/audit/verify?lang=en")
    expect(page.locator("h1")).to_have_text("Audit verification")
    expect(page.locator("[data-testid=verify-verdict]")).to_contain_text("Intact")
    auditor.shot("81-audit-verify-intact-en")
    auditor.page.set_viewport_size({"width": 390, "height": 844})
    page = auditor.go("/audit/verify?lang=zh")
    _fits_the_phone(page)
    auditor.shot("82-audit-verify-intact-phone-zh")

    event_id, seq = _edit_an_event(ctx, case)
    auditor.page.set_viewport_size({"width": 1366, "height": 900})
    page = auditor.go("/audit/verify")
    expect(page.locator("[data-testid=verify-verdict]")).to_contain_text("发现 1 处问题")
    first = page.locator("[data-testid=first-bad]")
    expect(first).to_have_attribute("data-kind", "altered")
    expect(first).to_contain_text(f"case:{case} event {seq} (id {event_id})")
    expect(first).to_contain_text("已被修改")
    auditor.shot("83-audit-verify-broken-zh")
    page = auditor.go("/audit/verify?lang=en")
    expect(page.locator("[data-testid=first-bad]")).to_contain_text("does not match its hash")
    auditor.shot("84-audit-verify-broken-en")
    auditor.page.set_viewport_size({"width": 390, "height": 844})
    page = auditor.go("/audit/verify")
    _fits_the_phone(page)
    auditor.shot("85-audit-verify-broken-phone-en")
    page = auditor.go("/audit/verify?lang=zh")
    auditor.shot("86-audit-verify-broken-phone-zh")
    events_link = page.locator("[data-testid=first-bad-events]").get_attribute("href") or ""
    assert f"case={case}" in events_link and auditor.page.request.get(auditor.base + events_link).status == 200
    page.locator("[data-testid=first-bad-case]").click()
    page.wait_for_url(f"**/cases/{case}")
    expect(page.locator("h1")).to_contain_text(str(case))
    assert auditor.errors == []


def test_an_administrator_writes_a_checkpoint_and_others_are_refused(ctx, staff):
    start(ctx)
    admin = staff("admin1")
    page = admin.go("/audit/verify")
    expect(page.locator("[data-testid=count-checkpoints]")).to_have_text("0")
    page.locator("[data-testid=write-checkpoint]").click()
    expect(page.locator(".flash.success").first).to_contain_text("已写入检查点")
    expect(page.locator("[data-testid=count-checkpoints]")).to_have_text("1")
    page.locator("[data-testid=write-checkpoint]").click()
    expect(page.locator(".flash.info").first).to_contain_text("没有变化")
    api = admin.page.request.get(admin.base + "/api/v1/audit/verify")
    assert api.status == 200 and api.json()["ok"] is True and api.json()["checkpoints"] == 1
    for who in ("sales1", "customer1", "process_owner1"):
        person = staff(who)
        response = person.page.goto(person.base + "/audit/verify")
        assert response is not None and response.status == 403, who
        assert person.page.request.get(person.base + "/api/v1/audit/verify").status == 403, who
        refused = person.page.request.post(person.base + "/audit/verify/checkpoint",
                                           form={"csrf_token": person.page.locator("meta[name=csrf-token]")
                                                 .get_attribute("content") or ""})
        assert refused.status == 403, who
    auditor = staff("auditor1")
    token = auditor.go("/audit/verify").locator("meta[name=csrf-token]").get_attribute("content") or ""
    refused = auditor.page.request.post(auditor.base + "/audit/verify/checkpoint", form={"csrf_token": token})
    assert refused.status == 403
