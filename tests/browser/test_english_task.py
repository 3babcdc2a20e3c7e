"""A task page in English, as an English-speaking engineer sees it in Chromium: the form's labels,
options and descriptions, the task and process names and the diagram's labels are English; the only
Chinese left is what people typed (customer and project, names of people and departments)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from service.operations import cases, inbox
from tests.processes.walk import APPLICATION, do, task

COMMENT = "同意，请尽快联系客户"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def _typed(ctx) -> set[str]:  # type: ignore[no-untyped-def]
    """What people typed or the organisation named: the only Chinese an English page may show."""
    people = {u["display_name"] for u in inbox.user_list(ctx)}
    typed = {v for v in APPLICATION.values() if isinstance(v, str)}
    return typed | people | {"欧莱雅 / CITRIX安装", "技术部", COMMENT}


def _chinese_left(text: str, allowed: set[str]) -> list[str]:
    for word in sorted(allowed, key=len, reverse=True):
        text = text.replace(word, "")
    return sorted({line.strip() for line in text.splitlines() if CJK.search(line)})


def test_an_engineer_reads_a_task_in_english(ctx, staff):
    case = cases.start_case(ctx, process_id="technical_support", actor="sales1", data=APPLICATION)
    do(ctx, case, "confirm_request", {"accepted": "yes", "engineer": "engineer1", "comment": COMMENT})
    assessment = task(ctx, case, "engineer_assessment")["id"]
    engineer = staff("engineer1")
    engineer.go("/lang/en")
    page = engineer.go(f"/tasks/{assessment}?lang=en")

    expect(page.locator("h1")).to_contain_text("Engineer assesses the request")
    expect(page.locator("body")).to_contain_text("Technical support")
    form = page.locator("#form")
    expect(form).to_contain_text("Assessment")
    for option in ("Can support", "Refuse", "Cannot judge", "Reason"):
        expect(form).to_contain_text(option)
    assert not CJK.search(form.inner_text()), form.inner_text()

    diagram = page.locator(".djs-container svg").first
    expect(diagram).to_contain_text("Engineer assesses the request")
    labels = page.locator(".djs-container text").all_text_contents()
    assert len([t for t in labels if t.strip()]) > 40, labels
    assert not [t for t in labels if CJK.search(t)], [t for t in labels if CJK.search(t)]

    engineer.shot("90-task-in-english")
    # the head (task, process, case), the case summary, earlier decisions, the form and the diagram
    shown = "\n".join(page.locator(".page-head, .grid-2").all_inner_texts())
    assert "Technical support" in shown and "Customer" in shown
    assert _chinese_left(shown, _typed(ctx)) == []
    assert engineer.errors == []


def test_the_inbox_and_the_start_form_in_english(ctx, staff):
    cases.start_case(ctx, process_id="technical_support", actor="sales1", data=APPLICATION)
    director = staff("tech_director1")
    director.go("/lang/en")
    page = director.go("/")
    expect(page.locator("main")).to_contain_text("Technical director confirms the application")
    director.shot("91-inbox-in-english")
    assert _chinese_left(page.locator("main").inner_text(), _typed(ctx)) == []

    sales = staff("sales2")
    sales.go("/lang/en")
    page = sales.go("/start/technical_support")
    form = page.locator("#form")
    for label in ("Customer", "Project", "Support type", "Non-project support", "Preparation required"):
        expect(form).to_contain_text(label)
    sales.shot("92-start-form-in-english")
    assert not CJK.search(form.inner_text()), form.inner_text()
    assert director.errors == [] and sales.errors == []
