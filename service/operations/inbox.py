"""Read models for the staff pages: inbox (filters, sort, paging), completed work, start
forms, a case's diagram state, the mailbox, the users. The one write, editing a user
without touching the password, sits at the end with its audit event."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import Session, defer, joinedload

from service.adapters.archive_store import DocumentStore, StoredFile
from service.domain import documents, task_cursor
from service.domain.access import refusal_to_work
from service.domain.due import due_standing
from service.domain.working_calendar import WorkingCalendar
from service.engine.xml_safety import parse_xml
from service.persistence.models import Event, HumanTask, OutboxMail, ProcessDefinition, ProcessInstance, User

from . import open_task_list, queries
from .access import case_facts, load_viewer, task_facts, viewer_for
from .calendar import load_calendar
from .context import AppContext
from .diagram_path import diagram_path
from .errors import Forbidden, NotFound
from .user_pickers import with_candidates
from .users import find_user

PER_PAGE = 25
MAIL_READERS = {"admin", "auditor"}
SORTS = ("due", "created", "name")  # open_task_list orders them; soonest deadline first by default


@dataclass(frozen=True)
class InboxFilter:
    process: str = ""
    role: str = ""
    overdue: bool = False
    q: str = ""
    sort: str = "due"
    after: str = ""  # the cursor of the page before (open_task_list); "" = the first page


def _page(total: int, page: int, per_page: int) -> dict[str, int]:
    pages = max(1, math.ceil(total / per_page)) if per_page else 1
    return {"total": total, "page": min(max(page, 1), pages), "pages": pages}


def whoami(ctx: AppContext, username: str) -> dict[str, Any] | None:
    """The signed-in person, or None when the account is gone or switched off."""
    found = [u for u in user_list(ctx, username) if u["active"]]
    return found[0] if found else None


def due_state(ctx: AppContext, cal: WorkingCalendar, due_at: datetime | None) -> dict[str, Any] | None:
    """Where a deadline stands in working hours (service.domain.due): to go, due today, or overdue."""
    standing = due_standing(cal, due_at, ctx.now())
    return standing.as_dict() if standing else None


def _tasks():  # type: ignore[no-untyped-def]
    """Task rows with their case and process, without the large serialized columns."""
    return select(HumanTask).options(
        joinedload(HumanTask.instance).options(defer(ProcessInstance.state_json)).joinedload(
            ProcessInstance.definition).options(defer(ProcessDefinition.spec_json), defer(ProcessDefinition.files)))


def _rows(ctx: AppContext, session: Session, tasks: Iterable[HumanTask]) -> list[dict[str, Any]]:
    cal = load_calendar(session, ctx)
    out = []
    for task in tasks:
        row = queries.task_dict(ctx, task)
        row.pop("form", None)
        row.update(process_name=task.instance.definition.name, due=due_state(ctx, cal, task.due_at))
        out.append(row)
    return out


def _task_filter(ctx: AppContext, flt: InboxFilter) -> open_task_list.TaskFilter:
    return open_task_list.TaskFilter(process=flt.process, role=flt.role, q=flt.q,
                                     overdue_before=ctx.now() if flt.overdue else None)


def inbox(ctx: AppContext, actor: str, flt: InboxFilter, *, per_page: int | None = PER_PAGE) -> dict[str, Any]:
    """The actor's open tasks (their roles, unclaimed, or claimed by them), filtered, sorted, one page
    after `flt.after` (`next`: the cursor of the following page); `per_page` None: all of them.
    `total` stops at open_task_list.COUNT_CAP (`more`: there are more)."""
    sort = flt.sort if flt.sort in SORTS else "due"
    with ctx.db.reading() as session:
        user = find_user(session, actor)
        viewer, wanted = viewer_for(user), _task_filter(ctx, flt)
        ids, following = open_task_list.page(session, viewer, wanted, sort,
                                             open_task_list.read_cursor(flt.after, sort), per_page)
        total, more = open_task_list.count(session, viewer, wanted)
        return {"rows": _rows(ctx, session, open_task_list.task_rows(session, ids)), "total": total, "more": more,
                "next": task_cursor.encode(following) if following else None, "first": not flt.after,
                "roles": sorted(user.role_ids), "processes": _process_names(session)}


def open_count(ctx: AppContext, actor: str) -> int:
    """How many open tasks the actor may work on (at most open_task_list.COUNT_CAP: a badge, not a report)."""
    with ctx.db.reading() as session:
        return open_task_list.count(session, load_viewer(session, actor), open_task_list.TaskFilter())[0]


def _process_names(session: Session) -> list[tuple[str, str]]:
    latest = {pid: name for pid, name in session.execute(select(
        ProcessDefinition.process_id, ProcessDefinition.name).order_by(ProcessDefinition.version))}
    return sorted(latest.items())


def completed_by(ctx: AppContext, actor: str, page: int = 1) -> dict[str, Any]:
    with ctx.db.reading() as session:
        cond = HumanTask.completed_by == actor
        paging = _page(int(session.execute(select(func.count(HumanTask.id)).where(cond)).scalar() or 0), page, PER_PAGE)
        query = (_tasks().where(cond).order_by(HumanTask.completed_at.desc(), HumanTask.id.desc())
                 .limit(PER_PAGE).offset((paging["page"] - 1) * PER_PAGE))
        return {"rows": _rows(ctx, session, session.execute(query).unique().scalars()), **paging}


def startable(ctx: AppContext, actor: str) -> list[dict[str, Any]]:
    """The processes the actor may start, latest version, each with its start form."""
    with ctx.db.reading() as session:
        roles = find_user(session, actor).role_ids
        latest = {d.process_id: d for d in session.execute(select(ProcessDefinition).options(
            defer(ProcessDefinition.spec_json), defer(ProcessDefinition.files)).order_by(ProcessDefinition.version))
            .scalars()}
        return [{"process_id": d.process_id, "version": d.version, "name": d.name,
                 "start_roles": sorted(d.meta.get("start_roles") or []),
                 "form": with_candidates(session, d.forms.get(d.meta.get("start_form") or ""))}
                for _, d in sorted(latest.items())
                if not d.meta.get("start_roles") or set(d.meta["start_roles"]) & roles]


def start_form(ctx: AppContext, process_id: str) -> dict[str, Any]:
    """The latest version of a process with its start form and start roles (`guicheng start-form`, the API)."""
    with ctx.db.reading() as session:
        d = session.execute(select(ProcessDefinition).where(ProcessDefinition.process_id == process_id)
                            .order_by(ProcessDefinition.version.desc()).limit(1)).scalar_one_or_none()
        if d is None:
            raise NotFound("process.not_deployed", process=process_id)
        return {"process_id": d.process_id, "version": d.version, "name": d.name,
                "start_roles": sorted(d.meta.get("start_roles") or []),
                "start_form": with_candidates(session, d.forms.get(d.meta.get("start_form") or ""))}


def _definition(session: Session, process_id: str, version: int) -> ProcessDefinition:
    found = session.execute(select(ProcessDefinition).where(ProcessDefinition.process_id == process_id,
                                                            ProcessDefinition.version == version)).scalar_one_or_none()
    if found is None:
        raise NotFound("process.version_missing", process=process_id, version=version)
    return found


def definition_info(ctx: AppContext, process_id: str, version: int) -> dict[str, Any]:
    """The forms of a version, and which task each deadline variable (`dueAt`) belongs to."""
    with ctx.db.reading() as session:
        d = _definition(session, process_id, version)
        tasks = (d.meta or {}).get("tasks", {})
        due_of = {t["due"]: t.get("name") or e for e, t in tasks.items() if t.get("due")}
        return {"forms": dict(d.forms), "due_of": due_of}


def diagram_xml(ctx: AppContext, process_id: str, version: int) -> str:
    """The main diagram of a version (`<process_id>.bpmn`), as deployed."""
    with ctx.db.reading() as session:
        xml = _definition(session, process_id, version).files.get(f"{process_id}.bpmn")
    if xml is None:
        raise NotFound("process.no_diagram", process=process_id, version=version)
    return str(xml)


@lru_cache(maxsize=64)
def _names_in(xml: str) -> dict[str, str]:
    tree = parse_xml(xml.encode("utf-8"), "diagram.bpmn")
    return {el.get("id"): el.get("name") for el in tree.iter() if el.get("id") and el.get("name")}


def element_names(ctx: AppContext, process_id: str, version: int) -> dict[str, str]:
    return _names_in(diagram_xml(ctx, process_id, version))


diagram_state = diagram_path  # the case's path through its diagram (kept under its old name for the pages)


def with_due(ctx: AppContext, tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Task dicts (as `queries.task_dict`) with where their deadline stands, worded like the inbox's."""
    with ctx.db.reading() as session:
        cal = load_calendar(session, ctx)
    return [{**task, "due": due_state(ctx, cal, datetime.fromisoformat(task["due_at"]) if task.get("due_at") else None)}
            for task in tasks]


def task_page(ctx: AppContext, task_id: int, actor: str) -> dict[str, Any]:
    task = queries.get_task(ctx, task_id, actor=actor)
    with ctx.db.reading() as session:
        row = session.get(HumanTask, task_id)
        assert row is not None
        refusal = refusal_to_work(viewer_for(find_user(session, actor)), case_facts(session, row.instance),
                                  task_facts(row), task["name"])
        holder = session.execute(select(User.display_name).where(User.username == (row.assignee or ""))).scalar()
        task.update(assignee_name=holder or row.assignee, process_name=row.instance.definition.name,
                    due=due_state(ctx, load_calendar(session, ctx), row.due_at),
                    may_work=task["status"] == "open" and refusal is None)
    task["diagram"] = diagram_state(ctx, task["instance_id"])
    return task


def linked_cases(ctx: AppContext, instance_id: int) -> list[dict[str, Any]]:
    with ctx.db.reading() as session:
        rows = session.execute(select(ProcessInstance).where(ProcessInstance.parent_id == instance_id)
                               .order_by(ProcessInstance.id)).unique().scalars()
        return [{"id": c.id, "name": c.definition.name, "status": c.status, "business_key": c.business_key,
                 "started_at": queries._iso(ctx, c.started_at), "started_by": c.started_by} for c in rows]


def _mail_dict(ctx: AppContext, m: OutboxMail) -> dict[str, Any]:
    return {"id": m.id, "instance_id": m.instance_id, "subject": m.subject, "sender": m.sender, "to": m.to,
            "cc": m.cc, "body": m.body, "status": m.status, "created_at": queries._iso(ctx, m.created_at),
            "sent_at": queries._iso(ctx, m.sent_at)}


def case_mails(ctx: AppContext, case_ids: list[int]) -> list[dict[str, Any]]:
    with ctx.db.reading() as session:
        rows = session.execute(select(OutboxMail).where(OutboxMail.instance_id.in_(case_ids))
                               .order_by(OutboxMail.id)).scalars()
        return [_mail_dict(ctx, m) for m in rows]


def _addressed_to(mail: OutboxMail, email: str) -> bool:
    return any(a.get("email") == email for a in [*mail.to, *mail.cc])


def mailbox(ctx: AppContext, actor: str, page: int = 1) -> dict[str, Any]:
    """Mails the system sent: every mail for admins and auditors, otherwise those to or cc the actor."""
    with ctx.db.reading() as session:
        user = find_user(session, actor)
        query = select(OutboxMail).order_by(OutboxMail.id.desc())
        if not user.role_ids & MAIL_READERS:
            needle = f'"{user.email}"'
            query = query.where(or_(cast(OutboxMail.to, String).contains(needle, autoescape=True),
                                    cast(OutboxMail.cc, String).contains(needle, autoescape=True)))
        rows = [m for m in session.execute(query).scalars()
                if user.role_ids & MAIL_READERS or _addressed_to(m, user.email)]
        paging = _page(len(rows), page, PER_PAGE)
        start = (paging["page"] - 1) * PER_PAGE
        return {"rows": [_mail_dict(ctx, m) for m in rows[start:start + PER_PAGE]], **paging}


def mail(ctx: AppContext, mail_id: int, actor: str) -> dict[str, Any]:
    with ctx.db.reading() as session:
        user, row = find_user(session, actor), session.get(OutboxMail, mail_id)
        if row is None:
            raise NotFound("mail.missing", mail=mail_id)
        if not (user.role_ids & MAIL_READERS or _addressed_to(row, user.email)):
            raise Forbidden("mail.not_addressed", mail=mail_id, user=actor)
        return _mail_dict(ctx, row)


def case_document(ctx: AppContext, instance_id: int, reference: str, actor: str) -> StoredFile:
    """A file named by a document variable of a case the actor may see."""
    case = queries.show_case(ctx, instance_id, actor=actor)
    known = {ref for _key, refs in documents.document_variables(case["data"]) for ref in refs}
    if reference not in known and not _in_history(ctx, instance_id, reference, actor):
        raise NotFound("case.no_document", case=instance_id, reference=reference[:200])
    return DocumentStore(ctx.settings.home).resolve(reference)


def _in_history(ctx: AppContext, instance_id: int, reference: str, actor: str) -> bool:
    """A document a later step replaced is still the case's for those who read every case (auditors
    stepping through it): any reference its history records."""
    with ctx.db.reading() as session:
        if not load_viewer(session, actor).reads_all:
            return False
        payloads = session.execute(select(Event.payload).where(Event.instance_id == instance_id)).scalars()
        return any(ref == reference for payload in payloads for _key, ref in documents.references_within(payload))


def user_list(ctx: AppContext, username: str | None = None) -> list[dict[str, Any]]:
    with ctx.db.reading() as session:
        query = select(User).order_by(User.username)
        rows = session.execute(query if username is None else query.where(User.username == username)).scalars()
        return [{"username": u.username, "display_name": u.display_name, "email": u.email,
                 "roles": sorted(u.role_ids), "active": u.active} for u in rows]


def user_detail(ctx: AppContext, username: str) -> dict[str, Any]:
    found = user_list(ctx, username)
    if not found:
        raise NotFound("user.missing", user=username)
    return found[0]
