"""Every page as the right demo person, in Chinese and English, on a desktop and a phone: a screenshot
of each under test-artifacts/screenshots/, no script error, no English UI word in the Chinese pages
and no Chinese outside what people typed (names, customers, projects, mails) in the English ones."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from service.persistence.models import Department, OutboxMail, ProcessInstance, User
from tests.processes import walk

VIEWPORTS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
ENGLISH_IN_CHINESE = ("silent", "Select", "Browse", "No files selected", "no such", "is not visible")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+")
LANGUAGE_NAMES = ("中文",)  # the switch names each language in its own words


def _pages(case_id: int, task_id: int) -> list[tuple[str, str | None, str]]:
    """(name, who, path); who None: not signed in."""
    return [("sign-in", None, "/login"), ("inbox", "engineer1", "/"), ("start-list", "sales1", "/start"),
            ("start-form", "sales1", "/start/technical_support"), ("task", "engineer1", f"/tasks/{task_id}"),
            ("case", "engineer1", f"/cases/{case_id}"), ("cases", "auditor1", "/cases"),
            ("mailbox", "tech_director1", "/mailbox"), ("organisation", "admin1", "/admin/organisation"),
            ("admin-users", "admin1", "/admin/users"), ("tokens", "engineer1", "/tokens"),
            ("incidents", "admin1", "/admin/incidents"), ("error", "engineer1", "/cases/999999")]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def user_data(ctx) -> list[str]:  # type: ignore[no-untyped-def]
    """What people typed or the procedure wrote as data: it keeps its language in either UI."""
    with ctx.db.reading() as session:
        found = [*session.execute(select(User.display_name)).scalars(),
                 *(c for c in session.execute(select(User.company)).scalars() if c),
                 *session.execute(select(Department.name)).scalars()]
        for instance in session.execute(select(ProcessInstance)).unique().scalars():
            found += [instance.business_key, instance.customer or "", *_strings(instance.data)]
        for mail in session.execute(select(OutboxMail)).scalars():
            found += [mail.subject, mail.body, *(a.get("name", "") for a in [*mail.to, *mail.cc])]
    return sorted({s for s in found if s and CJK.search(s)}, key=len, reverse=True)


def _ready(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_load_state("networkidle")
    if page.locator("#form").count():
        page.wait_for_selector("body[data-form-ready=true]")
    if page.locator("#diagram").count():
        page.wait_for_selector("#diagram[data-ready]")


def _visible_text(page) -> str:  # type: ignore[no-untyped-def]
    """What a reader sees: the text of the page and the labels of its controls (not hidden parts)."""
    return str(page.evaluate("""() => {
        const parts = [document.title, document.body.innerText];
        for (const el of document.querySelectorAll('input[placeholder], [aria-label], [title]')) {
          if (el.offsetParent !== null) parts.push(el.getAttribute('placeholder') || '',
                                                   el.getAttribute('aria-label') || '', el.getAttribute('title') || '');
        }
        return parts.join('\\n');
    }"""))


def foreign_words(text: str, lang: str, data: list[str]) -> list[str]:
    """Words of the other language, each with a little of the text around it (to find where it is)."""
    words = ENGLISH_IN_CHINESE if lang == "zh" else ()
    if lang == "en":
        for typed in [*data, *LANGUAGE_NAMES]:
            text = text.replace(typed, " ")
        words = tuple(sorted(set(CJK.findall(text))))
    found = []
    for word in words:
        at = text.find(word)
        if at >= 0:
            found.append(f"{word!r} in …{text[max(0, at - 30):at + len(word) + 30]!r}…")
    return found


@pytest.fixture
def scenery(ctx) -> tuple[int, int]:
    """A case at the engineer's step (its application mail sent), and a second one further on."""
    case_id = walk.start(ctx)
    walk.advance_to(ctx, case_id, "communication")
    later = walk.start(ctx, project="桌面虚拟化扩容")
    walk.advance_to(ctx, later, "customer_signoff")
    return case_id, walk.task(ctx, case_id, "communication")["id"]


def test_every_page_in_both_languages_on_a_desktop_and_a_phone(ctx, staff, scenery):
    case_id, task_id = scenery
    data = user_data(ctx)
    people: dict[str | None, Any] = {}
    problems: list[str] = []
    for lang in ("zh", "en"):
        for screen, size in VIEWPORTS.items():
            for name, who, path in _pages(case_id, task_id):
                if who not in people:
                    people[who] = staff(who) if who else staff("anonymous", sign_in=False)
                person = people[who]
                person.page.set_viewport_size(size)
                person.go(f"/lang/{lang}")
                person.errors.clear()
                person.go(path)
                _ready(person.page)
                person.shot(f"pages-{name}-{lang}-{screen}")
                label = f"{name} ({lang}, {screen})"
                problems += [f"{label}: script error {e}" for e in person.errors]
                problems += [f"{label}: {word}" for word in foreign_words(_visible_text(person.page), lang, data)]
    assert not problems, "\n".join(problems)
