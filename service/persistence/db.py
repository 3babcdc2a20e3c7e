"""Database engine and transactions, the same code path for SQLite and PostgreSQL.

SQLite runs in WAL mode and every transaction starts with BEGIN IMMEDIATE,
so two writers queue on the write lock instead of failing halfway with
"database is locked" after one of them has already read stale rows.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


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
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


class Database:
    """The engine plus a session factory; `transaction()` is one unit of work."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        # no autoflush: a step's writes go out together at commit (fewer round trips); code that needs
        # an id or a constraint checked early flushes explicitly
        self.sessions = sessionmaker(self.engine, expire_on_commit=False, autoflush=False)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        with self.sessions() as session:
            try:
                with session.begin():
                    yield session
            finally:
                session.info.pop("audit_head", None)

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        with self.sessions() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
