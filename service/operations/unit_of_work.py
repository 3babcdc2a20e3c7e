"""One unit of work per case step — start, complete, claim/release, timers, incidents, admin actions.

Every step follows the same order: read a snapshot (no lock), run the engine (no transaction), then one
write transaction that locks the case row first and its rows after, checks the snapshot is still
current, writes, appends the step's events last, and commits. A case that moved on meanwhile, a
deadlock or a serialisation failure makes the whole step start again; after a few tries the caller
gets a clear 409 instead of a 500.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from SpiffWorkflow.bpmn import BpmnWorkflow
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError

from service.domain.errors import InputRejected
from service.engine.runner import EngineError
from service.engine.scripting import ServiceCallFailed
from service.persistence.db import is_transient

from .case_store import CaseChanged, CaseSnapshot, StepOutcome, outcome_of, step_start
from .context import AppContext
from .errors import Conflict, OperationError, ValidationFailed
from .step_services import CaseIdentity, StepServices, step_services

T = TypeVar("T")
MAX_ATTEMPTS = 5


class CaseFailed(OperationError):
    """The engine could not go on (a service failed, a script over its budget, a loop); nothing changed."""

    status = 422

    def __init__(self, cause: str, element_id: str | None = None):
        super().__init__("case.step_failed", cause=cause, element=element_id or "—")
        self.cause, self.element_id = cause, element_id  # the engine's own words, for the incident


def run_step(attempt: Callable[[], T], *, what: str) -> T:
    """Run `attempt` (read, compute, write) until it commits on a current snapshot."""
    for n in range(MAX_ATTEMPTS):
        try:
            return attempt()
        except (CaseChanged, StaleDataError):
            pass
        except DBAPIError as exc:
            if not is_transient(exc):
                raise
        time.sleep(random.uniform(0, 0.02 * (2 ** n)))  # let the other writer finish
    raise Conflict("case.kept_changing", step=what)


def _element_of(exc: BaseException) -> str | None:
    element = getattr(exc, "element_id", None)
    if element:
        return str(element)
    message = str(exc)
    return message.split(":", 1)[0] if ":" in message and " " not in message.split(":", 1)[0] else None


def compute_step(ctx: AppContext, snapshot: CaseSnapshot, now: datetime,
                 drive: Callable[[BpmnWorkflow, StepServices], object]) -> StepOutcome:
    """The middle phase: the engine runs on the snapshot with services, no transaction open."""
    start = step_start(ctx, snapshot)
    services = step_services(ctx, CaseIdentity(snapshot.id, snapshot.process_id, snapshot.business_key,
                                               snapshot.parent_id, snapshot.started_by), now,
                            snapshot.reference)
    try:
        with services.seeded():
            engine_guard(lambda: drive(start.workflow, services))
        return outcome_of(ctx, snapshot.definition, start.workflow, services, before=start.before)
    finally:
        services.close()


def engine_guard(action: Callable[[], T]) -> T:
    """Engine and service failures become CaseFailed (or a field error for a person's bad input)."""
    try:
        return action()
    except ServiceCallFailed as exc:
        if isinstance(exc.cause, InputRejected):  # e.g. a subject off the format: the person's input, not a fault
            raise ValidationFailed("step.input_refused", {exc.cause.field or exc.element_id: exc.cause.message},
                                   step=exc.element_id) from exc
        raise CaseFailed(str(exc), exc.element_id) from exc
    except EngineError as exc:
        raise CaseFailed(str(exc), _element_of(exc)) from exc
    except (MemoryError, RecursionError) as exc:
        raise CaseFailed(f"the step ran out of {'memory' if isinstance(exc, MemoryError) else 'stack'}") from exc
    except Exception as exc:
        if exc.__class__.__module__.startswith("SpiffWorkflow"):
            raise CaseFailed(f"{exc.__class__.__name__}: {exc}", _element_of(exc)) from exc
        raise
