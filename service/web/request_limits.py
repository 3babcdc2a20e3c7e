"""Query arguments and form fields of every request, inside the input limits.

A NUL byte in `?q=` or in a form post would otherwise reach the database,
which refuses it (PostgreSQL) deep inside a query. Files of a multipart post
are not text and are checked where they are stored.
"""

from __future__ import annotations

from itertools import chain

from flask import Flask, request

from service.domain.input_limits import field_problems
from service.operations.errors import ValidationFailed

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _check_text_fields() -> None:
    fields = chain(request.args.items(multi=True),
                   request.form.items(multi=True) if request.mimetype in FORM_TYPES else ())
    errors = field_problems(fields)
    if errors:
        raise ValidationFailed("request.refused", errors, fields=", ".join(errors))


def install(app: Flask) -> None:
    app.before_request(_check_text_fields)
