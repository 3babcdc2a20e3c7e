"""URL converters for the whole application (pages and API).

`<int:…>` in any route means a database id: a whole number that fits the id
columns, which are INTEGER (32 bits) on PostgreSQL. Anything larger (or
negative) matches no route and is a plain 404, instead of "integer out of
range" from deep inside the database. Raise `DATABASE_ID_MAX`
(domain/input_limits.py) with the columns if ids ever become BIGINT.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

from service.domain.input_limits import DATABASE_ID_MAX


class DatabaseIdConverter(IntegerConverter):
    def __init__(self, map, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("max", DATABASE_ID_MAX)
        super().__init__(map, *args, **kwargs)


def install(app: Flask) -> None:
    """Before any blueprint adds its routes: rules pick their converter when they are added."""
    app.url_map.converters["int"] = DatabaseIdConverter
