"""Read models: inbox, one task, one case, its history — shaped as the API returns them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain import task_cursor
from service.domain.case_moves import SIGNER_FORM
from service.domain.case_view import FULL_VIEW, CaseView, ProcessForms, case_view
from service.domain.task_cursor import LIMIT_DEFAULT
from service.persistence.models import Event, HumanTask, Incident, OutboxMail, ProcessDefinition, ProcessInstance

from . import open_task_list
from .access import check_may_see, load_viewer, workable_tasks
from .context import AppContext
from .errors import NotFound
from .incidents import incident_dict
from .user_pickers import with_candidates


def _iso(ctx: AppContext, value: datetime | None) -> str | None:
    return value.astimezone(ctx.tz).isoformat() if value else None


def task_dict(ctx: AppContext, task: HumanTask, *, with_data: bool = False) -> dict[str, Any]:
    instance = task.instance
    out = {
        "id": task.id, "name": task.name, "element_id": task.element_id, "process_id": instance.process_id,
        "version": instance.definition.version, "instance_id": instance.id, "business_key": instance.business_key,
        "role": task.role, "assignee": task.assignee, "status": task.status, "due_at": _iso(ctx, task.due_at),
        "created_at": _iso(ctx, task.created_at), "completed_at": _iso(ctx, task.completed_at),
        "completed_by": task.completed_by, "form_key": task.form_key, "process_name": instance.definition.name,
        "form": SIGNER_FORM if task.kind == "signer" else ctx.cached_forms(instance.definition).get(
            task.form_key or ""),
        "kind": task.kind, "parent_task_id": task.parent_task_id, "signer_position": task.signer_position,
        "delegated_by": task.delegated_by, "note": task.note,
    }
    if with_data:  # a form filled earlier (by a delegate, or before a 加签) is shown as filled
        out["data"] = {} if task.kind == "signer" else {**instance.data, **(task.draft or {})}
    return out


def open_tasks(ctx: AppContext, *, actor: str | None = None, instance_id: int | None = None) -> list[dict[str, Any]]:
    """Every open task (of a case, or that `actor` may work on), soonest deadline first, forms included:
    the command line and the case steps; the API pages through `open_task_page`."""
    with ctx.db.reading() as session:
        query = select(HumanTask).join(HumanTask.instance).where(HumanTask.status == "open")
        if actor is not None:
            query = query.where(workable_tasks(load_viewer(session, actor)))
        if instance_id is not None:
            query = query.where(HumanTask.instance_id == instance_id)
        rows = session.execute(query.order_by(HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.id)).scalars()
        return with_forms(session, [task_dict(ctx, t) for t in rows.unique()])


def with_forms(session: Session, tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each task's form with its pickers' options, filled once per form, not once per task: a list of
    fifty tasks of one step reads the directory once."""
    filled: dict[int, dict[str, Any] | None] = {}
    for task in tasks:
        form = task["form"]
        if form is not None and id(form) not in filled:
            filled[id(form)] = with_candidates(session, form)
        task["form"] = filled[id(form)] if form is not None else None
    return tasks


def open_task_page(ctx: AppContext, actor: str, *, after: str = "", limit: int | None = LIMIT_DEFAULT,
                   forms: bool = True) -> tuple[list[dict[str, Any]], str | None]:
    """One page of the actor's open tasks, soonest deadline first (as `open_tasks`), and the cursor of
    the next page (None: none follows). A cursor or limit that is wrong is a ValidationFailed naming it."""
    with ctx.db.reading() as session:
        viewer = load_viewer(session, actor)
        ids, following = open_task_list.page(session, viewer, open_task_list.TaskFilter(), "due",
                                             open_task_list.read_cursor(after, "due"), limit)
        found = [task_dict(ctx, t) for t in open_task_list.task_rows(session, ids)]
        if forms:
            with_forms(session, found)
        else:
            for task in found:
                task["form"] = None
        return found, task_cursor.encode(following) if following else None


def process_forms(ctx: AppContext, definition: ProcessDefinition) -> ProcessForms:
    """The forms of a deployed version, each user task's with the role of its lane."""
    forms, meta = ctx.cached_forms(definition), definition.meta or {}
    return ProcessForms(forms.get(meta.get("start_form") or ""), {
        element: (info.get("role"), forms.get(info.get("form") or ""))
        for element, info in (meta.get("tasks") or {}).items()})


def _view(ctx: AppContext, session: Session, instance: ProcessInstance, actor: str | None) -> CaseView:
    """Check that the actor may see the case, and say what of it (domain.case_view); no actor: everything."""
    if actor is None:
        return FULL_VIEW
    viewer = load_viewer(session, actor)
    check_may_see(session, viewer, instance)
    return case_view(viewer, process_forms(ctx, instance.definition))


def case_view_for(ctx: AppContext, instance_id: int, actor: str) -> CaseView:
    with ctx.db.reading() as session:
        return _view(ctx, session, _instance(session, instance_id), actor)


def get_task(ctx: AppContext, task_id: int, *, actor: str | None = None) -> dict[str, Any]:
    """One task: for whoever may see its case (the policy of domain.access), its data as they may see it."""
    with ctx.db.reading() as session:
        task = session.get(HumanTask, task_id)
        if task is None:
            raise NotFound("task.missing", task=task_id)
        view = _view(ctx, session, task.instance, actor)
        out = task_dict(ctx, task, with_data=True)
        out["data"] = view.task_data(out["data"], out["form"])
        out["form"] = with_candidates(session, out["form"])
        return out


def _instance(session: Session, instance_id: int) -> ProcessInstance:
    instance = session.get(ProcessInstance, instance_id)
    if instance is None or instance.status == "starting":
        raise NotFound("case.missing", case=instance_id)
    return instance


def visible_instance(session: Session, instance_id: int, actor: str | None) -> ProcessInstance:
    instance = _instance(session, instance_id)
    if actor is not None:
        check_may_see(session, load_viewer(session, actor), instance)
    return instance


def show_case(ctx: AppContext, instance_id: int, *, actor: str | None = None) -> dict[str, Any]:
    """One case as the actor may see it: variables, open tasks, incidents and mails cut by domain.case_view."""
    with ctx.db.reading() as session:
        instance = _instance(session, instance_id)
        view = _view(ctx, session, instance, actor)
        tasks = session.execute(select(HumanTask).where(HumanTask.instance_id == instance_id,
                                                        HumanTask.status == "open")).scalars()
        mails = session.execute(select(OutboxMail).where(OutboxMail.instance_id == instance_id)
                                .order_by(OutboxMail.id)).scalars()
        return {
            "id": instance.id, "process_id": instance.process_id, "version": instance.definition.version,
            "business_key": instance.business_key, "status": instance.status, "error": instance.error,
            "parent_id": instance.parent_id, "name": instance.definition.name,
            "started_by": instance.started_by, "started_at": _iso(ctx, instance.started_at),
            "completed_at": _iso(ctx, instance.completed_at), "data": view.variables(instance.data),
            "open_tasks": [task_dict(ctx, t) for t in tasks.unique() if view.shows_step(t.element_id)],
            "incidents": [incident_dict(ctx, i) for i in session.execute(
                select(Incident).where(Incident.instance_id == instance_id).order_by(Incident.id)).scalars()
                if view.shows_mails],
            "mails": [{"message_id": m.message_id, "subject": m.subject, "status": m.status, "kind": m.kind,
                       "to": [a["email"] for a in m.to], "cc": [a["email"] for a in m.cc],
                       "in_reply_to": m.in_reply_to} for m in mails if view.shows_mails],
        }


def history(ctx: AppContext, instance_id: int, *, actor: str | None = None) -> list[dict[str, Any]]:
    with ctx.db.reading() as session:
        view = _view(ctx, session, _instance(session, instance_id), actor)
        events = session.execute(select(Event).where(Event.instance_id == instance_id).order_by(Event.seq)).scalars()
        found = [{"seq": e.seq, "id": e.id, "type": e.type, "actor": e.actor, "at": _iso(ctx, e.occurred_at),
                  "payload": e.payload, "hash": e.hash} for e in events]
        return [view.event(e) for e in found if view.shows_event(e)]


def definitions(ctx: AppContext) -> list[dict[str, Any]]:
    with ctx.db.reading() as session:
        rows = session.execute(select(ProcessDefinition).order_by(ProcessDefinition.process_id,
                                                                  ProcessDefinition.version)).scalars()
        return [{"process_id": d.process_id, "version": d.version, "name": d.name, "content_hash": d.content_hash,
                 "deployed_at": _iso(ctx, d.deployed_at), "deployed_by": d.deployed_by} for d in rows]
