"""The permission policy of `domain.access`, applied to rows: one case, one task, and its SQL form
for lists (inbox, case search), so what a list shows is exactly what the case page allows."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import and_, exists, false, or_, select, true
from sqlalchemy.orm import Session, aliased, object_session

from service.domain.access import CaseFacts, TaskFacts, Viewer, may_see_case, refusal_to_work
from service.domain.task_actions import task_label
from service.persistence.models import CaseCopy, HumanTask, ProcessInstance, User

from .errors import Forbidden
from .users import find_user


def subordinates_of(session: Session, username: str) -> frozenset[str]:
    """Everyone below `username` in the lines of superiors (a cycle in the data ends the walk)."""
    reports: dict[str, list[str]] = {}
    for name, superior in session.execute(select(User.username, User.superior).where(
            User.superior.is_not(None), User.active.is_(True))):
        reports.setdefault(superior or "", []).append(name)
    found: set[str] = set()
    todo = list(reports.get(username, []))
    while todo:
        name = todo.pop()
        if name not in found and name != username:
            found.add(name)
            todo.extend(reports.get(name, []))
    return frozenset(found)


def viewer_for(user: User) -> Viewer:
    session = object_session(user)
    below = subordinates_of(session, user.username) if session is not None else frozenset()
    return Viewer(user.username, frozenset(user.role_ids), user.company, below)


def load_viewer(session: Session, username: str) -> Viewer:
    return viewer_for(find_user(session, username))


def _related_ids(instance: ProcessInstance) -> list[int]:
    """A linked case (deviation, conflict) is seen by whoever is involved in its request."""
    return [instance.id] + ([instance.parent_id] if instance.parent_id else [])


def case_facts(session: Session, instance: ProcessInstance) -> CaseFacts:
    rows = session.execute(select(HumanTask.role, HumanTask.status, HumanTask.assignee, HumanTask.completed_by)
                           .where(HumanTask.instance_id.in_(_related_ids(instance)))).all()
    copied = session.execute(select(CaseCopy.username).where(CaseCopy.instance_id.in_(_related_ids(instance))))
    request_starter = session.scalar(select(ProcessInstance.started_by).where(
        ProcessInstance.id == instance.parent_id)) if instance.parent_id else None
    return CaseFacts(started_by=instance.started_by, customer=instance.customer,
                     tasks=tuple(TaskFacts(r.role, r.status, r.assignee, r.completed_by) for r in rows),
                     copied_to=frozenset(copied.scalars()), request_started_by=request_starter,
                     process_id=instance.process_id)


def task_facts(task: HumanTask) -> TaskFacts:
    return TaskFacts(task.role, task.status, task.assignee, task.completed_by)


def check_may_see(session: Session, viewer: Viewer, instance: ProcessInstance) -> None:
    if not may_see_case(viewer, case_facts(session, instance)):
        raise Forbidden("case.not_visible", case=instance.id, user=viewer.username)


def _working_facts(instance: ProcessInstance) -> CaseFacts:
    """What `refusal_to_work` reads of a case — its customer — without reading who else is involved,
    which decides seeing a case, not working on one of its tasks."""
    return CaseFacts(started_by=instance.started_by, customer=instance.customer, tasks=(), copied_to=frozenset(),
                     request_started_by=None)


def done_apart_by(session: Session, instance: ProcessInstance, task: HumanTask) -> frozenset[str]:
    """Who completed the steps the diagram says this task must be done apart from (`differentFrom`)."""
    meta = (instance.definition.meta or {}).get("tasks", {}).get(task.element_id) or {}
    elements = [e.strip() for e in str(meta.get("different_from") or "").split(",") if e.strip()]
    if not elements:
        return frozenset()
    return frozenset(str(name) for name in session.execute(select(HumanTask.completed_by).where(
        HumanTask.instance_id == instance.id, HumanTask.element_id.in_(elements),
        HumanTask.completed_by.is_not(None))).scalars())


def check_may_work(session: Session, viewer: Viewer, instance: ProcessInstance, task: HumanTask) -> None:
    facts = replace(task_facts(task), excluded=done_apart_by(session, instance, task))
    reason = refusal_to_work(viewer, _working_facts(instance), facts, task_label(task.id, task.name))
    if reason:
        raise Forbidden(reason)


def _related_to(case: Any) -> list[Any]:
    """SQL: the case's id and its request's (a linked case's parent), as `_related_ids` reads them.

    One `IN (id, parent_id)` lookup per policy condition, not an OR of two: PostgreSQL plans an
    `EXISTS` correlated by one equality as a hashed subplan that reads every task (or case) to build
    its set, while this form stays a probe of the index on the case's rows for each case the list
    reads — the cost follows the page, not the size of the company's history."""
    return [case.id, case.parent_id]


def _task_involves(viewer: Viewer, related: list[Any]) -> Any:
    """SQL: some task of the case (or of its request) that the viewer holds, held or supervises."""
    supervised, below = sorted(viewer.supervised_roles), sorted(viewer.subordinates)
    return exists().where(HumanTask.instance_id.in_(related), or_(
        HumanTask.assignee == viewer.username, HumanTask.completed_by == viewer.username,
        and_(HumanTask.status == "open", HumanTask.assignee.is_(None), HumanTask.role.in_(sorted(viewer.roles))),
        HumanTask.role.in_(supervised) if supervised else false(),
        or_(HumanTask.assignee.in_(below), HumanTask.completed_by.in_(below)) if below else false()))


def _started_by_any(viewer: Viewer, related: list[Any]) -> Any:
    """SQL: the case or its request was started by the viewer or someone below them."""
    request = aliased(ProcessInstance)
    starters = [viewer.username, *sorted(viewer.subordinates)]
    return exists().where(request.id.in_(related), request.started_by.in_(starters))


def visible_cases(viewer: Viewer) -> Any:
    """The SQL form of `may_see_case` over ProcessInstance rows."""
    if viewer.reads_all:
        return true()
    related = _related_to(ProcessInstance)
    involved = or_(ProcessInstance.started_by.in_([viewer.username, *sorted(viewer.subordinates)]),
                   _task_involves(viewer, related),
                   exists().where(CaseCopy.instance_id.in_(related), CaseCopy.username == viewer.username),
                   and_(ProcessInstance.parent_id.is_not(None), _started_by_any(viewer, related)))
    if viewer.is_customer:
        if not viewer.company:
            return false()
        return and_(ProcessInstance.customer == viewer.company, involved)
    if viewer.desk_processes:  # a desk sees every case of the processes it runs
        return or_(ProcessInstance.process_id.in_(sorted(viewer.desk_processes)), involved)
    return involved


def workable_tasks(viewer: Viewer) -> Any:
    """SQL: open task rows this viewer may work on (joined with their case)."""
    unassigned = and_(HumanTask.assignee.is_(None), HumanTask.role.in_(sorted(viewer.roles)))
    if viewer.is_customer:
        unassigned = and_(unassigned, ProcessInstance.customer == (viewer.company or "\x00"))
    return and_(HumanTask.status == "open", or_(HumanTask.assignee == viewer.username, unassigned))
