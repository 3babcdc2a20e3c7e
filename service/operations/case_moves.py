"""退回 and 加签: the two 审批 actions that move a case other than by completing its task.

退回 is an engine move (runner.send_back) run as one case step like a completion. 加签 never touches
the engine: the extra signer's step is a task row of kind "signer" tied to the diagram task, which
waits (status "waiting") while the signer has it; "after" signers wait as "pending" rows until the
holder has filled the form. Both record what happened on the case's audit chain.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import Session, aliased

from service.domain import case_moves as rules
from service.domain.access import CUSTOMER_ROLE
from service.domain.form_submission import validate_submission
from service.domain.messages import Message
from service.domain.task_actions import status_words, task_label
from service.engine import runner
from service.persistence.audit import append_event, marker_columns, note_marker
from service.persistence.models import HumanTask, ProcessInstance, User

from .access import check_may_work, viewer_for
from .case_store import CaseChanged, load_workflow, lock_instance, lock_snapshot, snapshot_of, write_outcome
from .cases import check_no_incident, checked_form_data, complete_engine_task, lock_task
from .context import AppContext
from .errors import Conflict, Forbidden, NotFound, ValidationFailed
from .notify import notify_assignee, queue_notice, task_notice
from .unit_of_work import compute_step, run_step
from .users import find_user

SIGNER = "signer"


def completion_route(task: HumanTask, actor: str, signer_pending: bool) -> str:
    """How a submitted form is taken: "signer", "delegated", "held" (a signer comes after) or "engine".
    `signer_pending`: whether a signer after it waits, read with the task (`with_pending_signer`)."""
    if task.kind == SIGNER:
        return "signer"
    if task.delegated_by and task.assignee == actor:
        return "delegated"
    if task.status == "open" and signer_pending:
        return "held"
    return "engine"


def _with_pending_signer() -> Any:
    signer = aliased(HumanTask)
    waits = exists().where(signer.parent_task_id == HumanTask.id, signer.kind == SIGNER, signer.status == "pending")
    return select(HumanTask, waits, *marker_columns()).where(HumanTask.id == bindparam("task_id"))


WITH_PENDING_SIGNER = _with_pending_signer()  # built once: composing it costs more than running it


def with_pending_signer(session: Session, task_id: int) -> tuple[HumanTask, bool] | None:
    """A task row and whether a signer after it waits ("pending"), in one statement, which also reads
    the version of the reference data that the step will go by (`audit.marker_columns`)."""
    found = session.execute(WITH_PENDING_SIGNER, {"task_id": task_id}).unique().first()
    if found is None:
        return None
    note_marker(session, found[2], found[3])
    return found[0], bool(found[1])


def _signer_of(session: Session, task: HumanTask, status: str) -> HumanTask | None:
    return session.execute(select(HumanTask).where(HumanTask.parent_task_id == task.id, HumanTask.kind == SIGNER,
                                                   HumanTask.status == status)).scalars().first()


def _workable(session: Session, task_id: int, actor: str, *, status: str = "open") -> tuple[User, HumanTask]:
    user = find_user(session, actor)
    task = session.get(HumanTask, task_id, populate_existing=True)
    if task is None:
        raise NotFound("task.missing", task=task_id)
    if task.status != status:
        raise Conflict("task.status_not", task=task_label(task_id, task.name), status=status_words(task.status),
                       expected=status_words(status))
    if task.instance.status != "running":
        raise Conflict("case.not_running", case=task.instance_id, status=status_words(task.instance.status))
    check_may_work(session, viewer_for(user), task.instance, task)
    return user, task


# --- 加签 -----------------------------------------------------------------------------------------

def add_signer(ctx: AppContext, *, task_id: int, actor: str, to: str, position: str, text: str = "") -> dict[str, Any]:
    problems = {k: v for k, v in {"position": rules.position_problem(position),
                                  "text": rules.reason_problem(text, required=False)}.items() if v}
    if problems:
        raise ValidationFailed("signer.refused", problems, task=task_id)
    now = ctx.now()
    with ctx.db.transaction() as session:
        found = session.get(HumanTask, task_id)
        if found is None:
            raise NotFound("task.missing", task=task_id)
        lock_instance(session, found.instance_id)  # every case step locks the case row first
        user, task = _workable(session, task_id, actor)
        lock_task(session, task_id)
        if task.kind == SIGNER:
            raise Conflict("signer.on_signer_step", task=task_label(task_id, task.name))
        signer = session.execute(select(User).where(User.username == str(to))).scalar_one_or_none()
        staff = signer is not None and signer.active and CUSTOMER_ROLE not in signer.role_ids
        has_open = any(_signer_of(session, task, s) is not None for s in ("open", "pending"))
        refusal = rules.signer_refusal(holder=actor, signer=str(to), signer_is_active_staff=staff,
                                       has_open_signer=has_open, holder_is_customer=CUSTOMER_ROLE in user.role_ids)
        if refusal:
            raise ValidationFailed(refusal, {"to": refusal})
        row = HumanTask(instance_id=task.instance_id, engine_task_id=task.engine_task_id, element_id=task.element_id,
                        name=f"加签：{task.name}", role=task.role, assignee=str(to), form_key=None, due_at=task.due_at,
                        status="open" if position == "before" else "pending", created_at=now, kind=SIGNER,
                        parent_task_id=task.id, signer_position=position, note=text or None)
        session.add(row)
        task.assignee = task.assignee or actor  # the task comes back to whoever asked for the signature
        if position == "before":
            task.status = "waiting"
        session.flush()
        append_event(session, type="signer_added", actor=actor, at=now, case=task.instance, payload={
            "task_id": task.id, "name": task.name, "signer_task_id": row.id, "to": row.assignee,
            "position": position, "text": text})
        if position == "before":
            notify_assignee(ctx, session, row, now)
        return {"task_id": task.id, "signer_task_id": row.id, "position": position, "status": task.status}


def signer_candidates(ctx: AppContext, actor: str) -> list[dict[str, str]]:
    """Who may be added as a signer: active staff other than the actor (customers sign their own tasks)."""
    with ctx.db.reading() as session:
        asking = session.execute(select(User).where(User.username == actor)).scalar_one_or_none()
        if asking is None or CUSTOMER_ROLE in asking.role_ids:
            return []  # a customer's contact adds no signers (domain.case_moves.signer_refusal)
        people = session.execute(select(User).where(User.active.is_(True), User.username != actor)
                                 .order_by(User.username)).scalars()
        return [{"value": u.username, "label": f"{u.display_name} ({u.username})"} for u in people
                if CUSTOMER_ROLE not in u.role_ids]


def hold_for_signer(ctx: AppContext, *, task_id: int, actor: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The holder filled a task that has a signer after them: the form waits for the signer's yes."""
    now = ctx.now()
    with ctx.db.reading() as session:
        _user, task = _workable(session, task_id, actor)
        values = checked_form_data(ctx, session, ctx.cached_forms(task.instance.definition).get(task.form_key or ""),
                                   data, task.name, task.instance.customer, task.instance.data)
    with ctx.db.transaction() as session:
        instance = lock_instance(session, task.instance_id)
        task = lock_task(session, task_id)
        signer = _signer_of(session, task, "pending")
        if task.status != "open" or signer is None:
            raise Conflict("task.changed_meanwhile", task=task_id)
        task.status, task.draft, task.assignee = "waiting", values, task.assignee or actor
        signer.status = "open"
        append_event(session, type="task_held_for_signer", actor=actor, at=now, case=instance, payload={
            "task_id": task.id, "name": task.name, "to": signer.assignee, "data": values})
        notify_assignee(ctx, session, signer, now)
        return {"task_id": task.id, "instance_id": instance.id, "status": instance.status,
                "waiting_for": signer.assignee}


def sign(ctx: AppContext, *, task_id: int, actor: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The added signer's answer: agree (the task goes on) or disagree (back to its holder)."""
    with ctx.db.reading() as session:
        _user, signer = _workable(session, task_id, actor)
        parent_id = signer.parent_task_id
    errors = validate_submission(rules.SIGNER_FORM, data)
    decision, comment = data.get("decision"), str(data.get("comment") or "")
    if not errors and decision == rules.DISAGREE and not comment.strip():
        errors = {"comment": Message("signer.disagree_reason")}
    if errors:
        raise ValidationFailed("signer.decision_refused", errors, task=task_id)
    payload = {"task_id": parent_id, "signer_task_id": task_id, "decision": decision, "text": comment}

    def record(session: Session, instance: ProcessInstance, parent: HumanTask) -> None:
        # the case row is locked already; re-reading with populate_existing here would reset its
        # unflushed chain head, so the row is read plainly
        row = session.get(HumanTask, task_id)
        if row is None or row.status != "open":
            raise CaseChanged(f"signer task {task_id} changed")
        row.status, row.completed_by, row.completed_at, row.draft = "completed", actor, ctx.now(), dict(data)
        append_event(session, type="signer_signed", actor=actor, at=ctx.now(), case=instance,
                     payload={**payload, "name": parent.name, "position": row.signer_position})

    with ctx.db.reading() as session:
        parent = session.get(HumanTask, parent_id) if parent_id else None
        if parent is None or parent_id is None:
            raise NotFound("signer.parent_gone", task=task_id)
        after, holder, draft = parent.status == "waiting" and parent.draft is not None \
            and _is_after(session, task_id), parent.assignee, parent.draft
    if decision == rules.AGREE and after:
        return complete_engine_task(ctx, task_id=parent_id, actor=holder or actor, data=draft or {},
                                    status="waiting", also=record)
    return _reopen(ctx, parent_id, record, None if decision == rules.AGREE else rules.disagreement_note(
        actor, comment))


def _is_after(session: Session, signer_task_id: int) -> bool:
    row = session.get(HumanTask, signer_task_id)
    return row is not None and row.signer_position == "after"


def _reopen(ctx: AppContext, parent_id: int, record: Any, note: str | None) -> dict[str, Any]:
    now = ctx.now()
    with ctx.db.transaction() as session:
        parent = session.get(HumanTask, parent_id, populate_existing=True)
        assert parent is not None
        instance = lock_instance(session, parent.instance_id)
        parent = lock_task(session, parent_id)
        if parent.status != "waiting":
            raise Conflict("signer.parent_not_waiting", task=task_label(parent_id, parent.name),
                           status=status_words(parent.status))
        record(session, instance, parent)
        parent.status = "open"
        if note:
            parent.note = note
        subject = "【加签】加签人不同意" if note else "【加签】加签人已同意"
        queue_notice(ctx, session, instance=instance, usernames=[parent.assignee or ""],
                     notice=task_notice(ctx, parent, subject, note or "加签人已同意，请继续办理 (the signer agreed)。"),
                     now=now)
        return {"task_id": parent.id, "instance_id": instance.id, "status": instance.status}


# --- 退回 -----------------------------------------------------------------------------------------

def send_back(ctx: AppContext, *, task_id: int, actor: str, to_task: Any, reason: Any) -> dict[str, Any]:
    problem = rules.reason_problem(reason)
    if problem:
        raise ValidationFailed("send_back.reason", {"reason": problem}, task=task_id)
    return run_step(lambda: _send_back_once(ctx, task_id, actor, to_task, str(reason)),
                    what=f"sending task {task_id} back")


def _target(session: Session, task: HumanTask, to_task: Any) -> HumanTask:
    target = session.get(HumanTask, to_task) if isinstance(to_task, int) and not isinstance(to_task, bool) else None
    if target is None or target.instance_id != task.instance_id or target.kind != "engine":
        raise ValidationFailed("send_back.no_target", {"to_task": Message("send_back.not_of_case", {
            "target": str(to_task)[:40], "case": task.instance_id})})
    if target.status != "completed":
        raise ValidationFailed("send_back.not_done", {"to_task": Message("send_back.target_open", {
            "target": task_label(target.id, target.name), "status": status_words(target.status)})})
    return target


def send_back_targets(ctx: AppContext, task_id: int, actor: str) -> list[dict[str, Any]]:
    """The steps already done on the way to this task, newest first, for the 退回 picker."""
    with ctx.db.reading() as session:
        try:
            _user, task = _workable(session, task_id, actor)
        except (Forbidden, Conflict):
            return []
        if task.kind == SIGNER:
            return []
        earlier = runner.earlier_user_tasks(load_workflow(ctx, snapshot_of(task.instance)), task.engine_task_id)
        rows = {r.engine_task_id: r for r in session.execute(select(HumanTask).where(
            HumanTask.instance_id == task.instance_id, HumanTask.kind == "engine",
            HumanTask.status == "completed", HumanTask.engine_task_id.in_(earlier))).scalars()}
        names = {name: shown for name, shown in session.execute(select(User.username, User.display_name).where(
            User.username.in_(sorted({r.completed_by or "" for r in rows.values()}))))}
        return [{"id": row.id, "name": row.name, "element_id": row.element_id, "completed_by": row.completed_by,
                 "completed_by_name": names.get(row.completed_by or "", row.completed_by),
                 "completed_at": row.completed_at.astimezone(ctx.tz).isoformat() if row.completed_at else None}
                for engine_id in earlier if (row := rows.get(engine_id)) is not None]


def _send_back_once(ctx: AppContext, task_id: int, actor: str, to_task: Any, reason: str) -> dict[str, Any]:
    now = ctx.now()
    with ctx.db.reading() as session:
        _user, task = _workable(session, task_id, actor)
        if task.kind == SIGNER:
            raise Forbidden("send_back.signer", task=task_label(task_id, task.name))
        check_no_incident(session, task.instance_id)
        target = _target(session, task, to_task)
        snapshot = snapshot_of(task.instance)
        engine_id, target_engine_id = task.engine_task_id, target.engine_task_id
        redo_by: str | None = target.completed_by
        target_info = {"to_task_id": target.id, "to_element_id": target.element_id, "to_name": target.name,
                       "to": target.completed_by}
    removed: list[str] = []

    def drive(workflow: Any, services: Any) -> None:
        removed.extend(runner.send_back(workflow, engine_id, target_engine_id, now=now, service_handler=services,
                                        limits=ctx.evaluation_limits))
    try:
        outcome = compute_step(ctx, snapshot, now, drive)
    except runner.CannotSendBack as exc:
        raise ValidationFailed("send_back.refused", {"to_task": Message("send_back.off_path", {
            "target": task_label(target.id, target.name)})}) from exc
    # the redone step goes back to the person who did it (if they still may), not to the whole role
    outcome.ready = [replace(r, assignee=redo_by) if r.task_id == target_engine_id else r
                     for r in outcome.ready]
    with ctx.db.transaction() as session:
        instance = lock_snapshot(session, snapshot.id, snapshot.revision)
        task = lock_task(session, task_id)
        if task.status != "open":
            raise CaseChanged(f"task {task_id} changed")
        append_event(session, type="task_sent_back", actor=actor, at=now, case=instance, payload={
            "task_id": task.id, "name": task.name, **target_info, "reason": reason, "removed": removed,
            "engine_task_id": engine_id, "to_engine_task_id": target_engine_id, **outcome.replay_record()})
        write_outcome(session, instance, outcome, actor=actor, now=now, ctx=ctx)
        for row in session.execute(select(HumanTask).where(HumanTask.instance_id == instance.id,
                                                           HumanTask.engine_task_id == target_engine_id,
                                                           HumanTask.status == "open")).scalars():
            row.note = f"退回原因 (sent back)：{reason}"
        return {"task_id": task.id, "instance_id": instance.id, "status": instance.status,
                "to_task": target_info["to_task_id"]}
