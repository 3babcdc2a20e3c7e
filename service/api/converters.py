"""URL converters for the whole application (pages and API).

`<int:…>` in any route means a database id: a whole number that fits a signed
64-bit column. Anything larger (or negative) matches no route and is a plain
404, instead of an overflow deep inside the database driver.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

from service.domain.input_limits import INT64_MAX


class DatabaseIdConverter(IntegerConverter):
    def __init__(self, map, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("max", INT64_MAX)
        super().__init__(map, *args, **kwargs)


def install(app: Flask) -> None:
    """Before any blueprint adds its routes: rules pick their converter when they are added."""
    app.url_map.converters["int"] = DatabaseIdConverter
