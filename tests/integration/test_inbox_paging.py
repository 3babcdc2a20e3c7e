"""Paging through open tasks: `GET /api/v1/tasks` page after page (cursor in `after`, next page in the
`Link` header) and the inbox page, with the demo organisation's several people per role.

Why: a list of a hundred thousand tasks is read a page at a time; a person walking the pages must
see every task of theirs exactly once even while others finish and open tasks, and a cursor handed
over to somebody else must not show them anything that is not theirs.
"""

from __future__ import annotations

import re
from datetime import timedelta
from itertools import count
from typing import Any

import pytest
from sqlalchemy import insert, select, update

from service.operations import queries, users
from service.persistence.models import HumanTask, ProcessDefinition, ProcessInstance
from tests.integration.test_web_pages import sign_in

_ids = count(1)


def _task(ctx, *, role: str, assignee: str | None = None, due_hours: float | None = None,
          customer: str = "欧莱雅") -> int:
    """A running technical-support case with one open step, written as the engine leaves it."""
    now = ctx.now()
    with ctx.db.transaction() as session:
        definition = session.execute(select(ProcessDefinition.id).where(
            ProcessDefinition.process_id == "technical_support")).scalar_one()
        n = next(_ids)
        case_id = session.execute(insert(ProcessInstance).returning(ProcessInstance.id), [{
            "definition_id": definition, "process_id": "technical_support", "business_key": f"{customer} / 项目{n}",
            "status": "running", "revision": 1, "state_json": "{}", "started_by": "sales1",
            "data": {"customer": customer}, "customer": customer, "started_at": now, "updated_at": now,
            "chain_seq": 0, "chain_hash": "0" * 64}]).scalar_one()
        return session.execute(insert(HumanTask).returning(HumanTask.id), [{
            "instance_id": case_id, "engine_task_id": f"t{n}", "element_id": "confirm_request",
            "name": "技术总监确认申请", "role": role, "assignee": assignee, "form_key": "confirm_request",
            "status": "open", "created_at": now, "kind": "engine",
            "due_at": None if due_hours is None else now + timedelta(hours=due_hours)}]).scalar_one()


def _mixed(ctx) -> dict[str, list[int]]:
    """Director steps with and without deadlines (some on the same minute), held and unclaimed."""
    made: dict[str, list[int]] = {"unclaimed": [], "director1": [], "director2": []}
    for n in range(9):
        made["unclaimed"].append(_task(ctx, role="tech_director", due_hours=None if n % 3 == 0 else n // 2))
    made["director1"] += [_task(ctx, role="tech_director", assignee="tech_director1", due_hours=1),
                          _task(ctx, role="tech_director", assignee="tech_director1")]
    made["director2"].append(_task(ctx, role="tech_director", assignee="tech_director2", due_hours=0))
    return made


def _bearer(ctx, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {users.issue_token(ctx, username)}"}


def _next(response) -> str | None:
    link = response.headers.get("Link")
    if not link:
        return None
    found = re.fullmatch(r'<http://localhost(/api/v1/tasks\?[^>]+)>; rel="next"', link)
    assert found, link
    return found.group(1)


def _walk(client, headers: dict[str, str], first: str) -> list[list[dict[str, Any]]]:
    pages, url = [], first
    while url:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.json
        pages.append(response.json)
        url = _next(response)
    return pages


def test_every_task_once_in_the_order_of_the_whole_list(ctx, client):
    made = _mixed(ctx)
    headers = _bearer(ctx, "tech_director1")
    pages = _walk(client, headers, "/api/v1/tasks?limit=4")
    assert [len(p) for p in pages] == [4, 4, 3]
    shown = [t["id"] for page in pages for t in page]
    assert shown == [t["id"] for t in queries.open_tasks(ctx, actor="tech_director1")]  # what the CLI lists
    assert set(shown) == set(made["unclaimed"] + made["director1"])  # not tech_director2's held step
    assert all(set(t) >= {"id", "name", "process_id", "instance_id", "role", "due_at", "form"} for t in pages[0])
    assert pages[0][0]["form"]["components"]
    no_deadline = [t for page in pages for t in page if t["due_at"] is None]
    assert no_deadline and shown[-len(no_deadline):] == [t["id"] for t in no_deadline]  # last, in their own order
    one = client.get("/api/v1/tasks", headers=headers)
    assert len(one.json) == 11 and "Link" not in one.headers  # the default page holds them all
    bare = client.get("/api/v1/tasks?form=none&limit=4", headers=headers)
    assert [t["form"] for t in bare.json] == [None] * 4 and "form=none" in bare.headers["Link"]


def test_tasks_opened_and_finished_between_pages_neither_repeat_nor_hide_the_rest(ctx, client):
    made = _mixed(ctx)
    headers = _bearer(ctx, "tech_director1")
    first = client.get("/api/v1/tasks?limit=4", headers=headers)
    seen = [t["id"] for t in first.json]
    rest = [t["id"] for t in queries.open_tasks(ctx, actor="tech_director1")][4:]
    finished = rest[1]
    with ctx.db.transaction() as session:
        session.execute(update(HumanTask).where(HumanTask.id == finished).values(status="completed"))
    earlier = _task(ctx, role="tech_director", due_hours=-5)  # sorts before the pages already read
    later = _task(ctx, role="tech_director")  # no deadline: among the last
    after = [t["id"] for page in _walk(client, headers, _next(first) or "") for t in page]
    assert not set(after) & set(seen)
    assert finished not in after and earlier not in after and later in after
    assert set(after) == set(rest) - {finished} | {later}
    assert made["director2"][0] not in after


@pytest.mark.parametrize(("query", "argument"), [
    ("after=not-a-cursor", "after"), ("after=WzEsImR1ZSIsMCxbIngiLDFdXQ", "after"), ("after=" + "A" * 1600, "after"),
    ("limit=0", "limit"), ("limit=201", "limit"), ("limit=ten", "limit"), ("form=some", "form")])
def test_a_bad_cursor_or_limit_is_a_400_naming_it(ctx, client, query, argument):
    _mixed(ctx)
    response = client.get(f"/api/v1/tasks?{query}", headers=_bearer(ctx, "tech_director1"))
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert list(response.json["errors"]) == [argument]


def test_the_largest_page_is_allowed(ctx, client):
    _mixed(ctx)
    response = client.get("/api/v1/tasks?limit=200", headers=_bearer(ctx, "tech_director1"))
    assert response.status_code == 200 and len(response.json) == 11


def test_another_salespersons_cursor_shows_only_their_own_tasks(ctx, client):
    mine = [_task(ctx, role="sales", assignee="sales1", due_hours=h) for h in range(5)]
    theirs = [_task(ctx, role="sales", assignee="sales2", due_hours=h + 0.5) for h in range(3)]
    first = client.get("/api/v1/tasks?limit=2", headers=_bearer(ctx, "sales1"))
    assert [t["id"] for t in first.json] == mine[:2]
    handed_over = _next(first)
    assert handed_over
    other = [t["id"] for page in _walk(client, _bearer(ctx, "sales2"), handed_over) for t in page]
    assert other == theirs[1:]  # sales2's own, after the position; none of sales1's
    for username in ("sales3", "engineer1", "customer1"):
        assert _walk(client, _bearer(ctx, username), handed_over) == [[]]


def test_customers_page_through_their_own_companys_steps_only(ctx, client):
    ours = [_task(ctx, role="customer", due_hours=h) for h in range(3)]
    _task(ctx, role="customer", customer="华为", due_hours=0.5)
    pages = _walk(client, _bearer(ctx, "customer1"), "/api/v1/tasks?limit=2")
    assert [t["id"] for page in pages for t in page] == ours


def test_the_inbox_pages_by_cursor_and_keeps_the_filters(ctx, client):
    made = _mixed(ctx)
    sign_in(client, "tech_director1")
    first = client.get("/?sort=created")
    assert "共 11 项" in first.text and 'rel="next"' not in first.text
    for n in range(20):
        _task(ctx, role="tech_director", due_hours=n)
    pages, url = [], "/?sort=created"
    while url:
        page = client.get(url)
        assert page.status_code == 200
        pages.append(re.findall(r'data-task-id="(\d+)"', page.text))
        found = re.search(r'href="([^"]+)" rel="next"', page.text)
        url = found.group(1).replace("&amp;", "&") if found else None
        assert url is None or "sort=created" in url
    shown = [int(i) for p in pages for i in p]
    assert [len(p) for p in pages] == [25, 6] and len(set(shown)) == 31 and shown == sorted(shown, reverse=True)
    assert made["director2"][0] not in shown
    refused = client.get("/?after=garbage")
    assert refused.status_code == 400 and "after" in refused.text
