"""What the pages need to know about a form-js form: field ids, labels, option labels.

Which values are documents is answered by `service.domain.documents`, not here."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def _inputs(components: list[Any]) -> Iterator[dict[str, Any]]:
    for component in components or []:
        if not isinstance(component, dict):
            continue
        if component.get("key") and component.get("type") not in ("group", "dynamiclist"):
            yield component
        if component.get("type") == "group":  # a group without a path keeps its keys flat
            if not component.get("path"):
                yield from _inputs(component.get("components", []))


def field_ids(form: dict[str, Any] | None) -> dict[str, str]:
    """Field key → form-js component id (errors are shown by component id)."""
    return {str(c["key"]): str(c.get("id") or c["key"]) for c in _inputs((form or {}).get("components", []))}


def document_fields(form: dict[str, Any] | None) -> list[dict[str, str]]:
    """No separate upload box any more: a filepicker field uploads by itself. Kept (empty) only until the
    task pages stop passing `docs` to their template."""
    return []


def upload_only(form: dict[str, Any] | None) -> dict[str, Any] | None:
    """The form as it is (a filepicker field takes no typed text). Kept only until the task pages stop
    calling it."""
    return form


def labels(forms: dict[str, Any]) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Across all forms of a process: key → label, and key → {value → option label}."""
    names: dict[str, str] = {}
    options: dict[str, dict[str, str]] = {}
    for form in forms.values():
        for c in _inputs((form or {}).get("components", [])):
            key = str(c["key"])
            names.setdefault(key, str(c.get("label") or key))
            for value in c.get("values") or []:
                if isinstance(value, dict) and "value" in value:
                    options.setdefault(key, {})[str(value["value"])] = str(value.get("label", value["value"]))
    return names, options
