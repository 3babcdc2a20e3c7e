"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL.

Why: `guicheng init` creates and upgrades databases only through the migrations, while the code
reads and writes through the models. A column added to a model without a migration works in a
test database built from the models and fails on the first real installation; this check catches
that drift on both databases, on an empty database of its own.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, inspect, text

from service.persistence.migrate import alembic_config, upgrade
from service.persistence.models import Base
from tests.support.requirements import postgres_url

POSTGRES_URL = os.environ.get("GUICHENG_TEST_POSTGRES_URL")


def _server_url(database: str) -> str:
    assert POSTGRES_URL
    return POSTGRES_URL.rsplit("/", 1)[0] + f"/{database}"


@pytest.fixture(params=["sqlite", "postgres"])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database with no tables at all (not the prepared template the other tests copy)."""
    if request.param == "sqlite":
        engine = create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
        yield engine
        engine.dispose()
        return
    postgres_url()
    name = f"guicheng_migrations_{uuid.uuid4().hex[:10]}"
    admin = create_engine(_server_url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
    engine = create_engine(_server_url(name))
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _describe(difference: Any) -> str:
    """One line per difference; alembic groups the column changes of one table in a list."""
    if isinstance(difference, list):
        return "\n".join(_describe(item) for item in difference)
    kind = difference[0]
    if kind.startswith("modify_"):  # (kind, schema, table, column, existing, old, new)
        return f"  {kind}: {difference[2]}.{difference[3]}: {difference[5]!r} -> {difference[6]!r}"
    if kind in ("add_column", "remove_column"):  # (kind, schema, table, column)
        return f"  {kind}: {difference[2]}.{difference[3].name}"
    return f"  {kind}: {_name(difference[1])}"  # a table, an index or a constraint


def _name(item: Any) -> str:
    table = getattr(getattr(item, "table", None), "name", None)
    name = getattr(item, "name", None)
    if table is None:
        return str(name or item)
    columns = ", ".join(str(c.name) for c in getattr(item, "columns", []))
    return f"{table}.{name or '(unnamed)'} ({columns})"


def schema_drift(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "compare_server_default": False})
        return [_describe(difference) for difference in compare_metadata(context, Base.metadata)]


def assert_matches_models(engine: Engine) -> None:
    drift = schema_drift(engine)
    assert not drift, (f"{engine.dialect.name}: the migrations in service/persistence/migrations "
                       "do not build the schema of service/persistence/models.py; differences "
                       "(what a new migration would have to do):\n" + "\n".join(drift))


def test_migration_scripts_form_one_line() -> None:
    """Two migrations written in parallel on the same parent leave two heads; `init` would refuse."""
    heads = ScriptDirectory.from_config(alembic_config(create_engine("sqlite://"))).get_heads()
    assert len(heads) == 1, f"service/persistence/migrations/versions has several heads {heads}: " \
                            "give the later one the other as down_revision"


def test_migrations_build_the_models_schema(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    assert_matches_models(empty_engine)


def test_downgrade_to_base_and_upgrade_again(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'round-trip.db'}")
    upgrade(engine)
    command.downgrade(alembic_config(engine), "base")
    left = set(inspect(engine).get_table_names()) - {"alembic_version"}
    assert not left, f"downgrade to base left tables behind: {sorted(left)}"
    upgrade(engine)
    assert_matches_models(engine)
    engine.dispose()
