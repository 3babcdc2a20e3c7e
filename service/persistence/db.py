"""Database engine and transactions, the same code path for SQLite and PostgreSQL.

SQLite runs in WAL mode. Write transactions start with BEGIN IMMEDIATE, so two
writers queue on the write lock instead of failing halfway with "database is
locked" after one of them has already read stale rows; reads start a deferred
transaction and never take the write lock, so a slow writer does not delay them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

WRITE_OPTION = "guicheng_write"  # execution option marking the connections of write transactions
TRANSIENT_PG_CODES = {"40001", "40P01", "55P03"}  # serialization failure, deadlock, lock not available


def is_transient(exc: BaseException) -> bool:
    """A database error that a retry of the whole unit of work can cure."""
    if not isinstance(exc, OperationalError | DBAPIError):
        return False
    if getattr(exc, "connection_invalidated", False):  # the server dropped a pooled connection: a new one will do
        return True
    code = getattr(getattr(exc, "orig", None), "sqlstate", None)
    return code in TRANSIENT_PG_CODES or "database is locked" in str(exc)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        _configure_sqlite(engine)
        return engine
    # no ping before every checkout (a round trip per session, several per step): a connection the
    # server dropped fails once, is discarded with its pool, and the step is retried (`is_transient`)
    return create_engine(url, pool_recycle=1800, pool_size=5, max_overflow=5)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # type: ignore[no-untyped-def]
        writing = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN DEFERRED")


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


class Database:
    """The engine plus a session factory; `transaction()` is one unit of work."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        # no autoflush: a step's writes go out together at commit (fewer round trips); code that needs
        # an id or a constraint checked early flushes explicitly
        # what this process may keep between sessions while it is unchanged (see read_cache)
        self.shared: dict[object, tuple[object, object]] = {}
        self.sessions = sessionmaker(self.engine, expire_on_commit=False, autoflush=False,
                                     info={"shared": self.shared})
        self.write_sessions = sessionmaker(self.engine.execution_options(**{WRITE_OPTION: True}),
                                           expire_on_commit=False, autoflush=False, info={"shared": self.shared})

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write transaction (on SQLite it holds the write lock from its first statement)."""
        with self.write_sessions() as session:
            with session.begin():
                yield session

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        with self.sessions() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
