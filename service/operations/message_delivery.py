"""Deliver a named BPMN message to the running cases waiting for it, or start a case with it.

A message reaching a case is a case step like a timer firing: read a snapshot, run the engine with no
lock held, then one transaction that locks the case at that revision and writes the state, its rows
and a `message_received` event carrying the replay record. Each case is its own step, so one case's
failure or conflict never undoes another's delivery.

Who may send — the question is "who else could reach this case, and what if they try?":

- an administrator (the role an integration's token is issued to) reaches every running case;
- anyone else reaches only the cases they are involved in by the one access policy (started, hold or
  held a task, copied, supervise); the read-all roles (auditor, process owner) do not count as
  involvement here: reading every case is not acting on it. A customer contact reaches only their
  own company's cases — a message correlated to another customer's case finds nothing, and the
  answer (404) is the same as when no case waits at all, so it tells nothing about other cases;
- a message start event starts a case for the process's start roles (or an administrator).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain.access import READ_ALL_ROLES, Viewer
from service.domain.input_limits import InputRejected, check_value, text_problem
from service.domain.messages import Message
from service.engine import message_events
from service.persistence.models import ProcessDefinition, ProcessInstance

from .access import load_viewer, visible_cases
from .case_store import (
    CaseSnapshot,
    load_specs,
    lock_snapshot,
    read_snapshot,
    snapshot_of,
    write_outcome,
)
from .context import AppContext
from .errors import Conflict, NotFound, OperationError, ValidationFailed
from .unit_of_work import CaseFailed, compute_step, run_step

ADMIN_ROLE = "admin"
BUSINESS_KEY = "business_key"
MAX_PAYLOAD_BYTES = 64 * 1024
NAME_MAX = 256
# facts of the case that live in columns and decide who sees it: no message may rewrite them
RESERVED = frozenset({"started_by", "business_key", "received_at", "parent_case"})
MOVES_THE_CASE = frozenset({"customer"})  # may be set when a message starts a case, never changed after


@dataclass(frozen=True)
class MessageRequest:
    name: str
    correlation: dict[str, Any]
    data: dict[str, Any]

    @property
    def filters(self) -> dict[str, Any]:
        """The correlation values compared with a case's variables and properties (not the business key)."""
        return {k: v for k, v in self.correlation.items() if k != BUSINESS_KEY}

    @property
    def payload(self) -> dict[str, Any]:
        return message_payload(self.correlation, self.data)


def message_payload(correlation: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """What the engine receives: the correlation values (its properties read them) and the data."""
    return {**{k: v for k, v in correlation.items() if k != BUSINESS_KEY}, **data}


def checked_request(name: Any, correlation: Any, data: Any) -> MessageRequest:
    """The request, or ValidationFailed naming each wrong field (`name`, `correlation.x`, `data.y`)."""
    errors: dict[str, Message] = {}
    if name is None or (isinstance(name, str) and not name.strip()):
        errors["name"] = Message("bpmn_message.name_missing")
    elif not isinstance(name, str):
        errors["name"] = Message("bpmn_message.not_text")
    elif (problem := text_problem(name, max_length=NAME_MAX, single_line=True)) is not None:
        errors["name"] = problem
    correlation = {} if correlation is None else correlation
    data = {} if data is None else data
    for field_name, value in (("correlation", correlation), ("data", data)):
        if not isinstance(value, dict):
            errors[field_name] = Message("bpmn_message.not_object")
            continue
        try:
            check_value(value)
        except InputRejected as exc:
            errors.update({f"{field_name}.{path}" if path else field_name: m for path, m in exc.errors.items()})
    if isinstance(correlation, dict):
        for key, value in correlation.items():
            if isinstance(value, dict | list) or value is None:
                errors.setdefault(f"correlation.{key}", Message("bpmn_message.value_not_scalar"))
    if isinstance(data, dict):
        for key in sorted(set(data) & RESERVED):
            errors[f"data.{key}"] = Message("bpmn_message.reserved", {"name": key})
    if not errors:
        size = len(json.dumps([correlation, data], ensure_ascii=False).encode())
        if size > MAX_PAYLOAD_BYTES:
            errors["data"] = Message("bpmn_message.too_large", {"size": size, "max": MAX_PAYLOAD_BYTES})
    if errors:
        raise ValidationFailed("bpmn_message.refused", errors)
    return MessageRequest(str(name).strip(), dict(correlation), dict(data))


@dataclass
class Delivery:
    """What a message did: the cases it reached, the cases it started, those that could not take it."""

    name: str
    reached: list[int] = field(default_factory=list)
    started: list[int] = field(default_factory=list)
    failed: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"message": self.name, "cases": self.reached, "started": self.started, "failed": self.failed}


class _NotForThisCase(Exception):
    """The case does not wait for the message, or its correlation differs: nothing to do there."""


def acting_viewer(session: Session, actor: str) -> Viewer:
    """The sender as the access policy sees them, without the read-all roles (reading is not acting)."""
    viewer = load_viewer(session, actor)
    if ADMIN_ROLE in viewer.roles:
        return viewer
    return Viewer(viewer.username, viewer.roles - READ_ALL_ROLES, viewer.company, viewer.subordinates)


def _versions_waiting(ctx: AppContext, session: Session, name: str) -> dict[int, frozenset[str]]:
    """Definition id → the correlation property ids of the versions that can wait for `name`."""
    found: dict[int, frozenset[str]] = {}
    for definition in session.execute(select(ProcessDefinition)).scalars():
        spec, subs = load_specs(ctx, definition)
        if name in message_events.messages_caught(spec, subs):
            found[definition.id] = message_events.correlation_property_names(spec, subs, name)
    return found


def _candidates(ctx: AppContext, actor: str, request: MessageRequest, only_case: int | None) -> list[CaseSnapshot]:
    """The running cases the sender may act on, of versions that know the message, whose stored
    variables do not already rule the correlation out (the engine decides the rest)."""
    with ctx.db.reading() as session:
        viewer = acting_viewer(session, actor)
        versions = _versions_waiting(ctx, session, request.name)
        if not versions:
            return []
        query = (select(ProcessInstance).where(ProcessInstance.status == "running",
                                               ProcessInstance.definition_id.in_(sorted(versions)),
                                               visible_cases(viewer))
                 .order_by(ProcessInstance.id))  # the state is read only for the cases that pass
        if only_case is not None:
            query = query.where(ProcessInstance.id == only_case)
        if BUSINESS_KEY in request.correlation:
            query = query.where(ProcessInstance.business_key == str(request.correlation[BUSINESS_KEY]))
        found = []
        for instance in session.execute(query).unique().scalars():
            properties = versions[instance.definition_id]
            stored = instance.data or {}
            if all(key in properties or message_events.same_value(stored.get(key, message_events.MISSING), value)
                   for key, value in request.filters.items()):
                found.append(snapshot_of(instance))
        return found


def _deliver_to(ctx: AppContext, snapshot: CaseSnapshot, request: MessageRequest, actor: str) -> bool:
    """One case step; True when the case took the message."""
    if snapshot.status != "running":
        return False
    now = ctx.now()
    elements: list[str] = []

    def drive(workflow: Any, services: Any) -> None:
        waits = message_events.message_waits(workflow, request.name)
        if not waits or not message_events.correlates(workflow, waits, request.filters):
            raise _NotForThisCase
        before = message_events.case_variables(workflow)
        elements.extend(message_events.deliver(workflow, request.name, request.payload, now=now,
                                               service_handler=services, limits=ctx.evaluation_limits))
        if not elements:
            raise _NotForThisCase
        moved = sorted(k for k in MOVES_THE_CASE if k in request.data and request.data[k] != before.get(k))
        if moved:
            raise ValidationFailed("bpmn_message.refused", {f"data.{k}": Message("bpmn_message.reserved", {"name": k})
                                                            for k in moved})

    try:
        outcome = compute_step(ctx, snapshot, now, drive)
    except _NotForThisCase:
        return False
    ctx.hooks.fire_after_engine("message")
    with ctx.db.transaction() as session:
        instance = lock_snapshot(session, snapshot.id, snapshot.revision)
        event = ("message_received", {"name": request.name, "correlation": request.correlation, "data": request.data,
                                      "elements": elements, **outcome.replay_record()})
        write_outcome(session, instance, outcome, actor=actor, now=now, ctx=ctx, step_event=event)
        ctx.hooks.fire_before_commit("message")
    return True


def _attempt(ctx: AppContext, case_id: int, first: list[CaseSnapshot], request: MessageRequest, actor: str) -> bool:
    """One try of a case's step: on the snapshot read with the candidates, then (the case moved on
    meanwhile) on a fresh one."""
    if first:
        return _deliver_to(ctx, first.pop(), request, actor)
    with ctx.db.reading() as session:
        snapshot = read_snapshot(session, case_id)
    return _deliver_to(ctx, snapshot, request, actor)


def deliver_message(ctx: AppContext, *, actor: str, name: Any, correlation: Any = None, data: Any = None,
                    only_case: int | None = None) -> Delivery:
    """Deliver to every waiting case that matches and the sender may act on; else start a case at a
    message start event; else NotFound. Each case is its own unit of work (see the module's text).
    `only_case`: to that case alone (a mail reply names its case by its thread), never a new one."""
    request = checked_request(name, correlation, data)
    delivery = Delivery(request.name)
    errors: list[OperationError] = []
    for snapshot in _candidates(ctx, actor, request, only_case):
        try:
            reached = run_step(partial(_attempt, ctx, snapshot.id, [snapshot], request, actor),
                               what=f"message {request.name} to case {snapshot.id}")
        except (CaseFailed, Conflict) as exc:  # this case could not take it; the others still may
            errors.append(exc)
            delivery.failed.append({"case": snapshot.id, "error": exc.cause if isinstance(exc, CaseFailed)
                                    else exc.render("en"), "element": getattr(exc, "element_id", None)})
            continue
        if reached:
            delivery.reached.append(snapshot.id)
    if not delivery.reached and not delivery.failed and only_case is None:
        from .message_start import start_by_message  # builds on this module's request and sender rules

        delivery.started = start_by_message(ctx, actor, request)
    if not delivery.reached and not delivery.started:
        if errors:
            raise errors[0]
        shown = json.dumps(request.correlation, ensure_ascii=False) if request.correlation else ""
        raise NotFound("bpmn_message.none_waiting", name=request.name,
                       correlation=Message("bpmn_message.with_correlation", {"correlation": shown}) if shown else "")
    return delivery
