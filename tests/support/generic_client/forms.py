"""Filling a form-js form the way a careful person would: a valid value of each field's kind.

Why apart: the generic client must get past any diagram's forms without knowing them, and a
foreign diagram's forms are as unknown as its elements.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from service.adapters.archive_store import DocumentStore
from service.domain import documents
from service.domain.form_submission import validate_submission
from service.domain.forms import OPTION_TYPES, is_read_only, is_required, keyed_components, options_of
from service.operations.context import AppContext
from service.operations.errors import ValidationFailed

MAX_RESUBMISSIONS = 6
SAMPLE_TEXT = "coverage"
T = TypeVar("T")


def submit(ctx: AppContext, form: dict[str, Any] | None, case_data: dict[str, Any],
           send: Callable[[dict[str, Any]], T]) -> T:
    """Send a filled form; when the product refuses fields (a rule the form cannot say, such as "the
    contact must belong to the customer"), try each field's next option, then leave an optional one
    out, and send again — a few times at most."""
    data = fill_form(ctx, form, case_data)
    fields = dict(keyed_components((form or {}).get("components", [])))
    tried: dict[str, int] = {}
    for _ in range(MAX_RESUBMISSIONS):
        try:
            return send(data)
        except ValidationFailed as exc:
            if not _vary(data, fields, tried, list(exc.errors)):
                raise
    return send(data)


def _vary(data: dict[str, Any], fields: dict[str, Any], tried: dict[str, int], refused: list[str]) -> bool:
    changed = False
    for key in refused:
        component = fields.get(key)
        if component is None:
            continue
        options = options_of(component) or []
        tried[key] = tried.get(key, 0) + 1
        if component.get("type") in ("select", "radio") and tried[key] < len(options):
            data[key] = options[tried[key]]
            changed = True
        elif key in data and not is_required(component):
            data.pop(key)
            changed = True
    return changed


def fill_form(ctx: AppContext, form: dict[str, Any] | None, case_data: dict[str, Any]) -> dict[str, Any]:
    """Valid values for a form-js form: every input gets a value of its kind (an option offered, a
    number within its bounds, today's date, an uploaded document); a value the form still refuses is
    dropped unless the field is required. Nested (group, list) fields are left out."""
    if not form:
        return {}
    data: dict[str, Any] = {}
    for key, component in keyed_components(form.get("components", [])):
        if "." in key or "[" in key or is_read_only(component) or component.get("disabled"):
            continue
        value = _sample_value(ctx, component)
        if value is not None:
            data[key] = value
    errors = validate_submission(form, data, {**case_data, **data})
    for key in list(errors):
        data.pop(key, None)
    return data


def _sample_value(ctx: AppContext, component: dict[str, Any]) -> Any:
    kind, rules = component.get("type"), component.get("validate") or {}
    if kind in OPTION_TYPES:
        options = options_of(component) or []
        if kind in ("checklist", "taglist"):
            return options[:1]
        return options[0] if options else None
    if kind == "number":
        low = rules.get("min")
        value = low if isinstance(low, (int, float)) else 1
        return str(value) if component.get("serializeToString") else value
    if kind == "checkbox":
        return True
    if kind == "datetime":
        today = ctx.now().astimezone(ctx.tz).date()
        subtype = component.get("subtype")
        return {"time": "10:00", "datetime": f"{today.isoformat()}T10:00"}.get(str(subtype), today.isoformat())
    if kind == documents.DOCUMENT_TYPE:
        stored = DocumentStore(ctx.settings.home).store_upload(b"coverage document\n", "coverage.txt")
        return [stored.reference] if component.get("multiple") is True else stored.reference
    if kind in ("textfield", "textarea"):
        length = rules.get("minLength")
        text = SAMPLE_TEXT if not isinstance(length, int) else SAMPLE_TEXT.ljust(length, "x")
        return text[: rules["maxLength"]] if isinstance(rules.get("maxLength"), int) else text
    return None
