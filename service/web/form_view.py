"""What the pages need to know about a form-js form: field ids, labels, option labels, document fields."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

DOCUMENT_PREFIX = "doc_"


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
    """Text fields named `doc_*`: they hold an upload reference."""
    return [{"key": str(c["key"]), "id": str(c.get("id") or c["key"]), "label": str(c.get("label") or c["key"])}
            for c in _inputs((form or {}).get("components", []))
            if str(c["key"]).startswith(DOCUMENT_PREFIX) and c.get("type") == "textfield"]


def upload_only(form: dict[str, Any] | None) -> dict[str, Any] | None:
    """A copy of the form whose document fields only the upload control fills: typed text is no upload reference."""
    if not form:
        return form

    def mark(components: list[Any]) -> list[Any]:
        marked = []
        for c in components or []:
            if isinstance(c, dict):
                c = dict(c)
                if str(c.get("key") or "").startswith(DOCUMENT_PREFIX) and c.get("type") == "textfield":
                    c["readonly"] = True
                if c.get("components"):
                    c["components"] = mark(c["components"])
            marked.append(c)
        return marked

    return {**form, "components": mark(form.get("components", []))}


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


def upload_name(reference: Any) -> str:
    """`upload:<sha256>/<name>` → name."""
    text = str(reference or "")
    return text.split("/", 1)[1] if text.startswith("upload:") and "/" in text else text
