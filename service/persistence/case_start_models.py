"""Cases a step asked to open (a visit plan's dispatch orders), waiting for the worker to open them.

Why a table: an operation never touches the database, and a case started inside another case's step
would hold both cases' locks and could not be retried on its own. So the step's write phase records
the request here, in the step's own transaction (the request exists exactly when the step does), and
the worker opens the case later as the requesting case's starter, then marks the row `done` with the
new case's id. `case_id` is unique: one request, one case. A start that fails marks the row `failed`
with the reason and an incident on the requesting case; the worker tries it again after a backoff.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base


class CaseStart(Base):
    __tablename__ = "case_starts"
    __table_args__ = (Index("ix_case_starts_due", "status", "next_try_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), index=True)  # who asked
    element_id: Mapped[str] = mapped_column(String(128))  # the service task that asked
    process_id: Mapped[str] = mapped_column(String(128))  # the process of the case to open
    business_key: Mapped[str] = mapped_column(String(256))
    actor: Mapped[str] = mapped_column(String(64))  # who opens it: the requesting case's starter
    data: Mapped[dict[str, Any]] = mapped_column(JSON)  # the new case's start variables
    status: Mapped[str] = mapped_column(String(16))  # pending, done, failed
    case_id: Mapped[int | None] = mapped_column(ForeignKey("process_instances.id"), nullable=True, unique=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), nullable=True)
    created_at: Mapped[datetime]
    opened_at: Mapped[datetime | None] = mapped_column(nullable=True)
    next_try_at: Mapped[datetime | None] = mapped_column(nullable=True)  # real clock; None: pending now / by hand
    # a worker that took the row holds it until then; after a crash another worker takes it over
    claimed_until: Mapped[datetime | None] = mapped_column(nullable=True)
