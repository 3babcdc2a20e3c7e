"""One customer across every procedure: their cases of technical support, after-sales (and, as they are
modelled, pre-sales, contracts and projects) on one page, with the open tasks, the deadlines, one
timeline and the documents.

Why it reads case by case through `queries`: what a reader may see of a case (its steps, variables,
mails) is decided once, by `domain.case_view`, for the case page; the customer page shows the same cut,
so a customer's contact sees here exactly what their case pages show, and never another company. Which
cases are listed at all is `access.visible_cases`, the rule of every list. A customer with more than
CASES_SHOWN cases shows the newest ones and says so.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import case, func, select

from service.domain.documents import references
from service.domain.input_limits import text_problem
from service.domain.list_cells import text_key
from service.persistence.models import HumanTask, ProcessInstance

from . import queries
from .access import load_viewer, visible_cases
from .context import AppContext
from .errors import NotFound, ValidationFailed
from .inbox import with_due

CASES_SHOWN = 100
EVENTS_SHOWN = 300
NAME_MAX = 200
# the steps people took and the case's own beginning and end: the timeline of a customer, not the engine's
TIMELINE_KINDS = frozenset({"case_started", "task_completed", "task_sent_back", "task_transferred", "task_delegated",
                            "signer_signed", "comment_added", "case_copied", "case_withdrawn", "case_cancelled",
                            "case_completed", "message_received", "mail_sent", "case_opened", "opened_by_case"})


def customer_list(ctx: AppContext, actor: str) -> list[dict[str, Any]]:
    """Every customer the actor sees a case of: cases, running cases, open tasks, the last start; by pinyin."""
    now = ctx.now()
    with ctx.db.reading() as session:
        seen = visible_cases(load_viewer(session, actor))
        rows = session.execute(
            select(ProcessInstance.customer, func.count(ProcessInstance.id),
                   func.sum(case((ProcessInstance.status == "running", 1), else_=0)),
                   func.max(ProcessInstance.started_at))
            .where(seen, ProcessInstance.customer.is_not(None), ProcessInstance.customer != "",
                   ProcessInstance.status != "starting")
            .group_by(ProcessInstance.customer)).all()
        # the visible cases as a derived table: the policy's own EXISTS over tasks stays apart from this join
        shown = select(ProcessInstance.id, ProcessInstance.customer).where(seen).subquery()

        def open_tasks(*conditions: Any) -> dict[str, int]:
            return {str(name): int(count) for name, count in session.execute(
                select(shown.c.customer, func.count(HumanTask.id))
                .join(HumanTask, HumanTask.instance_id == shown.c.id)
                .where(HumanTask.status == "open", *conditions).group_by(shown.c.customer))}

        tasks = open_tasks()
        overdue = open_tasks(HumanTask.due_at.is_not(None), HumanTask.due_at < now)
    found = [{"name": name, "cases": int(count), "running": int(running or 0), "open_tasks": int(tasks.get(name, 0)),
              "overdue": int(overdue.get(name, 0)), "last_started_at": _iso(ctx, last)}
             for name, count, running, last in rows]
    return sorted(found, key=lambda c: text_key(c["name"]))


def _iso(ctx: AppContext, value: datetime | None) -> str | None:
    if value is None:
        return None
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)  # SQLite gives the stored UTC back naive
    return aware.astimezone(ctx.tz).isoformat()


def _case_ids(ctx: AppContext, actor: str, name: str) -> tuple[list[int], int]:
    with ctx.db.reading() as session:
        query = (select(ProcessInstance.id)
                 .where(visible_cases(load_viewer(session, actor)), ProcessInstance.customer == name,
                        ProcessInstance.status != "starting"))
        total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        ids = list(session.execute(query.order_by(ProcessInstance.started_at.desc(), ProcessInstance.id.desc())
                                   .limit(CASES_SHOWN)).scalars())
    return sorted(ids), int(total)


def _documents(case: dict[str, Any], actor: str, ctx: AppContext) -> list[dict[str, Any]]:
    view = queries.case_view_for(ctx, case["id"], actor)
    return [{"case_id": case["id"], "variable": key, "ref": ref}
            for key, value in case["data"].items() if not view.is_internal(key) for ref in references(value)]


def customer_page(ctx: AppContext, actor: str, name: str) -> dict[str, Any]:
    """The customer's cases (oldest first), open tasks (by deadline), timeline (newest first) and documents.
    NotFound when the actor sees no case of this customer — the same answer whether the customer exists."""
    name = name.strip()
    problem = text_problem(name, max_length=NAME_MAX, single_line=True)
    if problem:
        raise ValidationFailed("customer.bad_name", {"customer": problem})
    ids, total = _case_ids(ctx, actor, name) if name else ([], 0)
    if not ids:
        raise NotFound("customer.not_found", customer=name)
    cases: list[dict[str, Any]] = []
    tasks: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    documents: list[dict[str, Any]] = []
    for case_id in ids:
        one = queries.show_case(ctx, case_id, actor=actor)
        cases.append(one)
        tasks.extend({**task, "case": one} for task in one["open_tasks"])
        events.extend({**event, "case": one} for event in queries.history(ctx, case_id, actor=actor)
                      if event["type"] in TIMELINE_KINDS)
        documents.extend(_documents(one, actor, ctx))
    cases.sort(key=lambda c: (c["started_at"] or "", c["id"]))
    tasks = with_due(ctx, tasks)
    tasks.sort(key=lambda t: (t.get("due_at") is None, t.get("due_at") or "", t["id"]))
    events.sort(key=lambda e: (e["at"] or "", e["case"]["id"], e["seq"]), reverse=True)
    return {"name": name, "cases": cases, "total": total, "open_tasks": tasks, "events": events[:EVENTS_SHOWN],
            "events_total": len(events), "documents": documents,
            "processes": sorted({c["process_id"] for c in cases})}
