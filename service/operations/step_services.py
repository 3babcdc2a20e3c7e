"""The services of one engine step: the handler the diagram's service tasks call, and what they see.

Why apart from the case store: the handler belongs to the engine run, not to reading or writing the
case. It reads its context (calendar, mail thread, people) only when a service task actually runs,
records every call for the audit log, and gives the diagram exactly what the log records — so a
replay that takes the results from the log gives the diagram the same.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from service.adapters.archive_store import DocumentStore
from service.adapters.mailer import Address
from service.domain.organisation import Organisation
from service.engine import determinism
from service.persistence.audit import Marker, assume_marker
from service.persistence.models import OutboxMail, ProcessInstance
from service.persistence.read_cache import while_unchanged
from service.service_tasks import registry
from service.service_tasks.context import ServiceContext, ThreadMail

from .calendar import load_calendar
from .context import AppContext
from .contract_numbers import reserve_contract_no
from .directory import load_organisation
from .users import people_with_role


@dataclass
class ServiceCall:
    element_id: str
    operation: str
    params: dict[str, Any]
    result: Any


@dataclass
class StepServices:
    """The service handler for one engine run; remembers each call for the audit log.

    The context (calendar, mail thread, people) is read only when a service task actually runs, in a
    read-only session of its own: most steps call none and should not pay for those queries.
    """

    build: Callable[[Session], ServiceContext]
    open_session: Callable[[], Session]
    now: datetime
    seed: str = field(default_factory=determinism.new_seed)  # logged with the step: replay makes the same tasks
    calls: list[ServiceCall] = field(default_factory=list)
    _context: ServiceContext | None = None
    _session: Session | None = None

    @property
    def context(self) -> ServiceContext:
        if self._context is None:
            self._session = self.open_session()
            self._context = self.build(self._session)
        return self._context

    @property
    def used(self) -> bool:
        return self._context is not None

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    def seeded(self) -> contextlib.AbstractContextManager[None]:
        """Around the step's engine calls: task ids from the seed, stamps at the step's time."""
        return determinism.seeded_step(self.seed, self.now)

    def __call__(self, operation: str, params: dict[str, Any], data: Any, task: Any) -> Any:
        self.context.data = dict(data)
        result = as_logged(registry.call(operation, self.context, params))
        self.calls.append(ServiceCall(task.task_spec.bpmn_id, operation, as_logged(params), result))
        return result  # the diagram gets exactly what the log records, so a replay gives it the same


def as_logged(value: Any) -> Any:
    """A value as the audit log stores it (JSON): what the engine is given too, so replay matches."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


@dataclass(frozen=True)
class CaseIdentity:
    """What services need to know of the case they run for."""

    id: int
    process_id: str
    business_key: str
    parent_id: int | None
    started_by: str | None = None  # the case's own starter when known (a linked case's request's is read)


def step_services(ctx: AppContext, case: CaseIdentity, now: datetime,
                  reference: Marker | None = None) -> StepServices:
    """`reference`: the system head the step's read saw, so its services read the same reference data."""
    return StepServices(lambda session: _service_context(ctx, session, case, now),
                        lambda: assume_marker(ctx.db.sessions(), reference), now)


# built once: composing a statement costs more than running it on a warm connection
_THREAD = select(OutboxMail.message_id, OutboxMail.subject).where(
    OutboxMail.instance_id.in_(select(ProcessInstance.id).where(ProcessInstance.parent_id == bindparam("root")))
    | (OutboxMail.instance_id == bindparam("root")), OutboxMail.thread_root.is_not(None)).order_by(OutboxMail.id)
_STARTED_BY = select(ProcessInstance.started_by).where(ProcessInstance.id == bindparam("root"))


def _service_context(ctx: AppContext, session: Session, case: CaseIdentity, now: datetime) -> ServiceContext:
    # linked cases (deviations, conflicts) write in the thread of the request they belong to
    root = case.parent_id or case.id
    settings = ctx.settings
    started_by = case.started_by if case.parent_id is None and case.started_by is not None \
        else session.execute(_STARTED_BY, {"root": root}).scalar()
    organisation: list[Organisation] = []

    def directory() -> Organisation:  # most service tasks mail nobody: read the people only when asked
        if not organisation:
            organisation.append(while_unchanged(session, "organisation", lambda: load_organisation(session)))
        return organisation[0]

    return ServiceContext(
        now=now, calendar=load_calendar(session, ctx), instance_id=case.id, process_id=case.process_id,
        business_key=case.business_key, people_with_role=lambda role: people_with_role(session, role),
        sender=Address("规程 Guicheng", settings.mail_sender), mail_domain=settings.mail_domain,
        read_thread=lambda: [ThreadMail(m.message_id, m.subject) for m in session.execute(_THREAD, {"root": root})],
        documents=DocumentStore(settings.home), started_by=started_by or "",
        case_link=f"{settings.base_url}/cases/{case.id}",
        directory=directory, fee_items=lambda: _fee_items(session),
        orders_of_serial=lambda serial: _orders_of_serial(session, serial, case.id),
        reserve_contract_no=lambda contract_type, year: reserve_contract_no(
            ctx.db, instance_id=case.id, contract_type=contract_type, year=year, now=now))


AFTER_SALES_PROCESS = "after_sales_service"


def _fee_items(session: Session) -> list[dict[str, Any]]:
    """The after-sales fee table (上门费, 工时费 …), read only when a fee step asks for it."""
    from service.persistence.after_sales_models import ServiceFeeItem  # master data of the after-sales desk

    rows = session.execute(select(ServiceFeeItem).order_by(ServiceFeeItem.position, ServiceFeeItem.code)).scalars()
    return [{"code": r.code, "name_zh": r.name_zh, "name_en": r.name_en, "task_type": r.task_type,
             "unit": r.unit, "amount_fen": r.amount_fen} for r in rows]


def _orders_of_serial(session: Session, serial: str, this_case: int) -> list[dict[str, Any]]:
    """The other dispatch orders of a serial number (its business key holds it), oldest first: id, status, data.

    Repairs are counted per serial number across orders (replacement rule: repaired twice and still failing)."""
    serial = serial.strip()
    if not serial:
        return []
    found = session.execute(
        select(ProcessInstance.id, ProcessInstance.status, ProcessInstance.data)
        .where(ProcessInstance.process_id == AFTER_SALES_PROCESS, ProcessInstance.id != this_case,
               ProcessInstance.business_key.contains(serial, autoescape=True))
        .order_by(ProcessInstance.id))
    return [{"id": i, "status": status, "data": dict(data or {})} for i, status, data in found
            if str((data or {}).get("serial_no") or "").strip().lower() == serial.lower()]
