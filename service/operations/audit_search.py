"""The auditors' search over every case's history: events joined to their cases, filtered, sorted, paged.

For auditors and administrators only (`access.may_audit`): the search crosses every case, and a row
shows what an event recorded, fields a case's own readers may not be shown included. The filters
are those of the case search (process, customer, business key, days) plus who did it, which kind of
event and which field it recorded a value of (see domain.audit_search_terms for the list). A page
costs two queries: the count and the page's rows with their cases and people joined.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, cast, exists, false, func, literal_column, or_, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session, aliased

from service.domain.access import may_audit
from service.domain.audit_search_terms import (
    CHANGE_KINDS,
    DATA_KINDS,
    AuditQuery,
    QueryRejected,
    read_query,
    recorded_fields,
)
from service.domain.case_search_terms import LIKE_ESCAPE, WILDCARD, like_pattern
from service.domain.messages import Message
from service.persistence.models import Event, ProcessDefinition, ProcessInstance, User

from .access import load_viewer
from .case_search import EXPORT_MAX, _day_start, _iso, _matches
from .context import AppContext
from .errors import Forbidden, ValidationFailed

__all__ = ["EXPORT_MAX", "parse_query", "search", "check_may_audit", "ensure_may_audit", "filter_choices"]

_Case, _ACTOR = ProcessInstance, aliased(User)


def parse_query(args: Mapping[str, str]) -> AuditQuery:
    """The checked query of query-string style arguments, or ValidationFailed naming each bad one."""
    try:
        return read_query(args)
    except QueryRejected as exc:
        raise ValidationFailed("audit_search.refused", exc.errors, fields=", ".join(exc.errors)) from exc


def check_may_audit(session: Session, actor: str) -> None:
    if not may_audit(load_viewer(session, actor).roles):
        raise Forbidden("audit_search.forbidden", user=actor)


def ensure_may_audit(ctx: AppContext, actor: str) -> None:
    """Forbidden unless `actor` may search every history: asked before the query is even read, so a
    refused reader learns nothing from the answers to bad input."""
    with ctx.db.reading() as session:
        check_may_audit(session, actor)


def _actor_condition(typed: str, dialect: str) -> ColumnElement[bool]:
    """The user name exactly, or the display name (`*` wildcards, else found anywhere); with a
    wildcard the user name matches the pattern too (`engineer*`)."""
    named = select(User.username).where(_matches(User.display_name, typed, dialect))
    found = or_(Event.actor == typed, Event.actor.in_(named))
    if WILDCARD in typed:
        found = found | Event.actor.like(like_pattern(typed), escape=LIKE_ESCAPE)
    return found


def _field_condition(field: str, dialect: str) -> ColumnElement[bool]:
    """Events that record a value of `field`: a key of `data`, or a `changes[*].variable`.

    `field` is checked to be a plain key (letters, digits, _), so it may stand in a JSON path."""
    if dialect == "postgresql":
        payload = cast(Event.payload, JSONB)
        in_data = payload["data"].has_key(field)
        in_changes = payload["changes"].contains([{"variable": field}])
    else:
        in_data = func.json_type(Event.payload, f"$.data.{field}").is_not(None)
        changes = func.json_each(Event.payload, "$.changes").table_valued("value").alias("change")
        in_changes = exists(select(literal_column("1")).select_from(changes).where(
            func.json_extract(changes.c.value, "$.variable") == field))
    return (Event.type.in_(DATA_KINDS) & in_data) | (Event.type.in_(CHANGE_KINDS) & in_changes)


def _conditions(ctx: AppContext, dialect: str, query: AuditQuery) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [] if query.system else [Event.instance_id.is_not(None)]
    if query.actor:
        conds.append(_actor_condition(query.actor, dialect))
    if query.kind:
        conds.append(Event.type == query.kind)
    if query.field:
        conds.append(_field_condition(query.field, dialect))
    if query.process:
        conds.append(_Case.process_id == query.process)
    if query.customer:
        conds.append(_matches(_Case.customer, query.customer, dialect))
    if query.key:
        conds.append(_matches(_Case.business_key, query.key, dialect))
    if query.case_id is not None:
        conds.append(Event.instance_id == query.case_id)
    if query.occurred_from:
        conds.append(Event.occurred_at >= _day_start(ctx, query.occurred_from))
    if query.occurred_to:
        conds.append(Event.occurred_at < _day_start(ctx, query.occurred_to + timedelta(days=1)))
    return conds or [~false()]


def _order(query: AuditQuery) -> list[Any]:
    column = {"at": Event.occurred_at, "case": Event.instance_id, "type": Event.type, "actor": Event.actor,
              "process": ProcessDefinition.name}[query.sort]
    ascending = query.order == "asc"
    ordered = (column.asc() if ascending else column.desc()).nulls_last()
    then = [Event.seq.asc() if ascending else Event.seq.desc()] if query.sort == "case" else []
    return [ordered, *then, Event.id.asc() if ascending else Event.id.desc()]


def _joined(statement: Any) -> Any:
    return (statement.select_from(Event)
            .outerjoin(_Case, _Case.id == Event.instance_id)
            .outerjoin(ProcessDefinition, ProcessDefinition.id == _Case.definition_id))


def _check_process(session: Session, query: AuditQuery) -> None:
    """A process that was never deployed is a typing mistake worth saying, not an empty list."""
    if query.process and session.execute(select(ProcessDefinition.id).where(
            ProcessDefinition.process_id == query.process).limit(1)).first() is None:
        errors = {"process": Message("process.not_deployed", {"process": query.process})}
        raise ValidationFailed("audit_search.refused", errors, fields="process")


def _row(ctx: AppContext, r: Any) -> dict[str, Any]:
    payload = r.payload if isinstance(r.payload, dict) else {}
    return {"event_id": r.id, "seq": r.seq, "chain": r.chain, "case_id": r.instance_id, "type": r.type,
            "at": _iso(ctx, r.occurred_at), "actor": r.actor, "actor_name": r.display_name or r.actor,
            "process_id": r.process_id, "process_name": r.process_name, "version": r.version,
            "business_key": r.business_key, "customer": r.customer,
            "task_name": payload.get("name") if isinstance(payload.get("name"), str) else None,
            "element_id": payload.get("element_id") if isinstance(payload.get("element_id"), str) else None,
            "fields": recorded_fields(r.type, payload), "payload": payload, "hash": r.hash}


def search(ctx: AppContext, actor: str, query: AuditQuery, *, export: bool = False) -> dict[str, Any]:
    """One page of the events the query finds; with `export` the whole result from the first row
    instead, at most EXPORT_MAX rows (`capped`). Forbidden unless `actor` may audit."""
    with ctx.db.reading() as session:
        check_may_audit(session, actor)
        _check_process(session, query)
        conds = _conditions(ctx, session.get_bind().dialect.name, query)
        total = int(session.execute(_joined(select(func.count())).where(*conds)).scalar() or 0)
        limit, offset = (EXPORT_MAX, 0) if export else (query.per_page, (query.page - 1) * query.per_page)
        rows = session.execute(_joined(select(
            Event.id, Event.seq, Event.chain, Event.instance_id, Event.type, Event.occurred_at, Event.actor,
            Event.payload, Event.hash, _ACTOR.display_name, _Case.process_id, ProcessDefinition.name.label(
                "process_name"), ProcessDefinition.version, _Case.business_key, _Case.customer))
            .outerjoin(_ACTOR, _ACTOR.username == Event.actor)
            .where(*conds).order_by(*_order(query)).limit(limit).offset(offset))
        return {"rows": [_row(ctx, r) for r in rows], "total": total, "page": 1 if export else query.page,
                "per_page": limit, "pages": max(1, math.ceil(total / limit)), "sort": query.sort,
                "order": query.order, "capped": export and total > EXPORT_MAX}


def nothing_found() -> dict[str, Any]:
    """An empty result of the shape `search` returns, for a page whose search was refused."""
    return {"rows": [], "total": 0, "page": 1, "per_page": AuditQuery.per_page, "pages": 1,
            "sort": AuditQuery.sort, "order": AuditQuery.order, "capped": False}


def filter_choices(ctx: AppContext, actor: str) -> dict[str, Any]:
    """What the filter form offers: the deployed processes (latest name), the people, the customers."""
    with ctx.db.reading() as session:
        check_may_audit(session, actor)
        names = {pid: name for pid, name in session.execute(
            select(ProcessDefinition.process_id, ProcessDefinition.name).order_by(ProcessDefinition.version))}
        people = [(u, n) for u, n in session.execute(
            select(User.username, User.display_name).order_by(User.username))]
        customers = sorted(c for (c,) in session.execute(
            select(_Case.customer).where(_Case.customer.is_not(None)).distinct()) if c)
        return {"processes": sorted(names.items()), "people": people, "customers": customers}
