"""The one place that knows the document convention.

A document is a file uploaded once and referred to as `upload:<sha256>/<file name>`. A form
asks for one with form-js's own `filepicker` component; the case variable then holds the
reference (or, for `"multiple": true`, a list of references). Whatever reads case data
(archiving, the case page, document downloads, the planning check) asks this module which
values are documents instead of guessing from variable names; the form's own filepicker
fields are `forms.document_fields`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, Protocol

from .messages import Message

DOCUMENT_TYPE = "filepicker"
REFERENCE = re.compile(r"^upload:(?P<sha>[0-9a-f]{64})/(?P<name>[^/\\\x00-\x1f\x7f]+)$")


def is_reference(value: Any) -> bool:
    return isinstance(value, str) and REFERENCE.fullmatch(value) is not None


def references(value: Any) -> list[str]:
    """The references a variable holds: one, a list of them, or none."""
    if is_reference(value):
        return [value]
    if isinstance(value, (list, tuple)):
        return [v for v in value if is_reference(v)]
    return []


def document_variables(data: Mapping[str, Any]) -> Iterator[tuple[str, list[str]]]:
    """(variable, references) for every case variable that holds documents, by name."""
    for key in sorted(data):
        found = references(data[key])
        if found:
            yield key, found


def references_within(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """(variable, reference) for every upload reference anywhere in a nested value — an event's payload,
    a service result: what the history says a case held, for its verification and its evidence."""
    if is_reference(value):
        yield key, value
    elif isinstance(value, dict):
        for name, inner in value.items():
            yield from references_within(inner, str(name) if isinstance(inner, (str, list)) else key)
    elif isinstance(value, list):
        for inner in value:
            yield from references_within(inner, key)


def file_name(reference: Any) -> str:
    """`upload:<sha256>/<name>` → name; anything else as it is."""
    match = REFERENCE.fullmatch(str(reference or ""))
    return match["name"] if match else str(reference or "")


class UploadChecker(Protocol):
    """What the document store answers about a reference: None when the file is there, else
    "missing" or "damaged"."""

    def problem(self, reference: str) -> str | None: ...


def missing_uploads(store: UploadChecker, fields: Mapping[str, str], data: Mapping[str, Any]) -> dict[str, Message]:
    """A field error for each document field (key → label) naming a file that was never uploaded or
    no longer matches its checksum: a later step could not archive it."""
    errors: dict[str, Message] = {}
    for key, label in fields.items():
        for reference in references(data.get(key)):
            problem = store.problem(reference)
            if problem is not None:
                errors[key] = Message(f"forms.document_{problem}", {"label": label, "name": file_name(reference)})
                break
    return errors
