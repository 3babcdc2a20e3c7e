"""The customers a reader sees cases of, and one customer's page: every procedure's cases, the open tasks
with their deadlines, one timeline and the documents. What is shown is `operations.customer_view`'s; this
module only puts it into the reader's words (process, task and step names in their language)."""

from __future__ import annotations

from typing import Any

from flask import redirect, url_for

from service.domain.documents import file_name
from service.operations import customer_view, inbox
from service.operations.localise import localise_case, localise_task
from service.web import bp
from service.web.case_pages import _sentence, people_names
from service.web.common import context, me, page
from service.web.i18n import language


@bp.get("/customers")
def customer_list_page():  # type: ignore[no-untyped-def]
    """All customers, or — for a customer's contact, who sees one company — straight to their own page."""
    customers = customer_view.customer_list(context(), me()["username"])
    if "customer" in me()["roles"] and len(customers) == 1:
        return redirect(url_for("web.customer_page", name=customers[0]["name"]))
    return page("customers.html", customers=customers)


def _names(ctx: Any, case: dict[str, Any], cache: dict[tuple[str, int], dict[str, str]]) -> dict[str, str]:
    key = (case["process_id"], case["version"])
    if key not in cache:
        cache[key] = inbox.element_names(ctx, *key)
    return cache[key]


@bp.get("/customers/<path:name>")
def customer_page(name: str):  # type: ignore[no-untyped-def]
    ctx, lang = context(), language()
    found = customer_view.customer_page(ctx, me()["username"], name)
    people = people_names()
    cache: dict[tuple[str, int], dict[str, str]] = {}
    cases = {c["id"]: localise_case(ctx, c, lang) for c in found["cases"]}
    timeline = []
    for event in found["events"]:
        case = cases[event["case"]["id"]]
        sentence = _sentence(event, _names(ctx, case, cache), people, {}, {})
        timeline.append({**sentence, "case": case})
    tasks = [{**localise_task(ctx, t, lang), "case": cases[t["instance_id"]]} for t in found["open_tasks"]]
    documents = [{"name": file_name(d["ref"]), "case": cases[d["case_id"]],
                  "url": url_for("web.case_document", case_id=d["case_id"], ref=d["ref"])} for d in found["documents"]]
    return page("customer.html", customer=found, cases=list(cases.values()), timeline=timeline, tasks=tasks,
                documents=documents, people=people)
