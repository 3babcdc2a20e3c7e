"""Tables. Inbox, timers and outbox are plain indexed rows, never deserialisations."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from .types import UtcDateTime


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class Department(Base):
    """A node of the organisation tree (华东区 › 销售一组); `leader` is the username of its head."""

    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("parent_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True, index=True)
    leader: Mapped[str | None] = mapped_column(String(64), nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128))
    email: Mapped[str] = mapped_column(String(256))
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # a customer contact's company: customers see only that company's cases
    company: Mapped[str | None] = mapped_column(String(128), nullable=True)
    mobile: Mapped[str | None] = mapped_column(String(32), nullable=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True, index=True)
    # the username of the direct superior (上级): relative recipients and supervision walk this line
    superior: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    created_at: Mapped[datetime]
    # sign-ins and API tokens carry the epoch they were issued in; a new password or a change of
    # `active` moves it on (auth_models.py), which ends every earlier sign-in and token at once
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    roles: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def role_ids(self) -> set[str]:
        return {r.role for r in self.roles}


class UserRole(Base):
    __tablename__ = "user_roles"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)


class ProcessDefinition(Base):
    """One deployed version: the files as deployed, the spec serialized once."""

    __tablename__ = "process_definitions"
    __table_args__ = (UniqueConstraint("process_id", "version"),)  # a version may repeat older content (0008)
    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(128), index=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(256))
    content_hash: Mapped[str] = mapped_column(String(64))
    # the heavy columns load only when used: inbox rows join the definition for its name and version
    files: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    forms: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON)
    spec_json: Mapped[str] = mapped_column(Text, deferred=True)
    deployed_at: Mapped[datetime]
    deployed_by: Mapped[str] = mapped_column(String(64))


class ProcessInstance(Base):
    __tablename__ = "process_instances"
    # the case search's text (0009): trigrams on PostgreSQL; NOCASE on SQLite, made by the migration
    __table_args__ = (Index("ix_process_instances_key_search", "business_key", postgresql_using="gin",
                            postgresql_ops={"business_key": "gin_trgm_ops"}),
                      Index("ix_process_instances_customer_search", "customer", postgresql_using="gin",
                            postgresql_ops={"customer": "gin_trgm_ops"}))
    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("process_definitions.id"), index=True)
    process_id: Mapped[str] = mapped_column(String(128), index=True)
    business_key: Mapped[str] = mapped_column(String(256), default="", index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("process_instances.id"), nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    state_json: Mapped[str] = mapped_column(Text, deferred=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    started_by: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(index=True)
    updated_at: Mapped[datetime] = mapped_column(index=True)
    completed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # the customer company named by the case, for the customers' access rule
    customer: Mapped[str | None] = mapped_column(String(128), nullable=True, index=True)
    # head of the case's own audit chain: the case row is locked by every step anyway
    chain_seq: Mapped[int] = mapped_column(Integer, default=0)
    chain_hash: Mapped[str] = mapped_column(String(64), default="0" * 64)
    definition: Mapped[ProcessDefinition] = relationship(lazy="joined")
    parent: Mapped[ProcessInstance | None] = relationship(remote_side="ProcessInstance.id", lazy="select")
    __mapper_args__ = {"version_id_col": revision}  # a stale writer gets StaleDataError, not a lost update


class HumanTask(Base):
    __tablename__ = "human_tasks"
    __table_args__ = (Index("ix_human_tasks_inbox", "status", "role"),
                      Index("ix_human_tasks_open_by_case", "instance_id", "status", "due_at"),
                      # the inbox's parts, in deadline order (0009): each role's unclaimed, a person's held
                      Index("ix_human_tasks_open_unclaimed", "role", "due_at", "id",
                            sqlite_where=text("status = 'open' AND assignee IS NULL"),
                            postgresql_where=text("status = 'open' AND assignee IS NULL")),
                      Index("ix_human_tasks_open_held", "assignee", "due_at", "id",
                            sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")))
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), index=True)
    engine_task_id: Mapped[str] = mapped_column(String(36), index=True)
    element_id: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(32))
    assignee: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    form_key: Mapped[str | None] = mapped_column(String(128), nullable=True)
    due_at: Mapped[datetime | None] = mapped_column(nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    completed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    completed_by: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    # "engine" for a diagram task; "signer" for a one-off 加签 step that belongs to `parent_task_id`
    kind: Mapped[str] = mapped_column(String(16), default="engine", server_default="engine")
    parent_task_id: Mapped[int | None] = mapped_column(ForeignKey("human_tasks.id"), nullable=True)
    signer_position: Mapped[str | None] = mapped_column(String(8), nullable=True)  # before, after
    # 委派: while set, `assignee` is the delegate; the filled form waits in `draft` for the delegator
    delegated_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    draft: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)  # e.g. why the case was sent back here
    last_urged_at: Mapped[datetime | None] = mapped_column(nullable=True)
    instance: Mapped[ProcessInstance] = relationship(lazy="joined")


class CaseComment(Base):
    """审批意见: a comment on a case or one of its tasks; @mentions are notified."""

    __tablename__ = "case_comments"
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("human_tasks.id"), nullable=True)
    author: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    mentions: Mapped[list[Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]


class CaseCopy(Base):
    """抄送: a person who reads the case without working on it."""

    __tablename__ = "case_copies"
    __table_args__ = (UniqueConstraint("instance_id", "username"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), index=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    copied_by: Mapped[str] = mapped_column(String(64))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("human_tasks.id"), nullable=True)
    created_at: Mapped[datetime]


class Event(Base):
    """Append-only audit log. Each case has its own hash chain (`chain` = "case:<id>"), so writers of
    different cases never wait for each other; events outside any case form the "system" chain."""

    __tablename__ = "audit_events"
    __table_args__ = (UniqueConstraint("chain", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    chain: Mapped[str] = mapped_column(String(32))
    seq: Mapped[int] = mapped_column(Integer)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instances.id"), nullable=True, index=True)
    type: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime]
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditChain(Base):
    """The head of a chain that belongs to no case (deployments, users, calendar)."""

    __tablename__ = "audit_chains"
    chain: Mapped[str] = mapped_column(String(32), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64))


class AuditCheckpoint(Base):
    """All chain heads hashed together at one moment, so deleting a whole case is detected.

    `heads` holds the chains that changed since the previous checkpoint ({chain: [seq, hash]}), or
    all of them when `full`; checkpoints chain to each other like events do.
    """

    __tablename__ = "audit_checkpoints"
    __table_args__ = (UniqueConstraint("prev_hash"),)  # the checkpoints form one line, never a fork
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime]
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    heads: Mapped[dict[str, Any]] = mapped_column(JSON)
    chain_count: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Incident(Base):
    """A step the worker could not complete (a failing service, a script over its budget).

    The case waits with the incident open; the worker retries with exponential backoff and an
    admin can retry at once or cancel the case.
    """

    __tablename__ = "incidents"
    __table_args__ = (Index("ix_incidents_retry", "status", "next_retry_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), index=True)
    timer_id: Mapped[int | None] = mapped_column(ForeignKey("timers.id"), nullable=True)
    element_id: Mapped[str] = mapped_column(String(128))
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))  # open, resolved, cancelled
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    next_retry_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None] = mapped_column(nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


class Timer(Base):
    __tablename__ = "timers"
    __table_args__ = (Index("ix_timers_due", "status", "due_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), index=True)
    engine_task_id: Mapped[str] = mapped_column(String(36))
    element_id: Mapped[str] = mapped_column(String(128))
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))
    fired_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # a worker that took the timer holds it until then; after a crash another worker takes it over
    claimed_until: Mapped[datetime | None] = mapped_column(nullable=True)


class OutboxMail(Base):
    __tablename__ = "mail_outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    # "procedure": a mail the procedure prescribes; "notice": the system telling a person of their work
    kind: Mapped[str] = mapped_column(String(16), default="procedure", server_default="procedure")
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instances.id"), nullable=True, index=True)
    message_id: Mapped[str] = mapped_column(String(256), unique=True)
    thread_root: Mapped[str | None] = mapped_column(String(256), nullable=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(256), nullable=True)
    references: Mapped[list[Any]] = mapped_column(JSON)
    subject: Mapped[str] = mapped_column(String(512))
    sender: Mapped[dict[str, Any]] = mapped_column(JSON)
    to: Mapped[list[Any]] = mapped_column(JSON)
    cc: Mapped[list[Any]] = mapped_column(JSON)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    next_attempt_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # claimed for sending until then: sent outside any transaction, the result recorded afterwards
    claimed_until: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)


class CalendarDayRow(Base):
    __tablename__ = "calendar_days"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(64), default="")
    source: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(64))


class ProcessDraft(Base):
    """A process owner's unfinished change to a process: saved, checked, not yet live.

    One draft per process: the diagram files, forms and translations as the editor last saved them,
    and the version they started from (None for a new process), so a deploy can say when someone
    else deployed in between."""

    __tablename__ = "process_drafts"
    process_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    base_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    files: Mapped[dict[str, Any]] = mapped_column(JSON)  # name → text (.bpmn, .dmn)
    forms: Mapped[dict[str, Any]] = mapped_column(JSON)  # formKey → form-js JSON text
    translations: Mapped[dict[str, Any]] = mapped_column(JSON)  # stored name → text
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(64))
