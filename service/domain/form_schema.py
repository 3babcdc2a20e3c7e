"""The JSON Schema (2020-12) of a form's submission, validated with `jsonschema`.

Why a schema: the browser's form-js validation is a convenience anyone can bypass, so the server
checks every submission against the same form file. Like form-js, value constraints apply only to
non-empty values, and `required` treats null, "", blanks, [] and an unticked checkbox as missing. A
required field hidden by its condition (evaluated on the submission merged over the case data) may
stay empty; one shown by it may not. A key the form does not declare is refused (additional
properties), not silently dropped. Single-line values refuse control characters (a CR/LF in a name
ends up in a mail header); a textarea takes line breaks and tabs only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import documents
from .form_conditions import is_hidden
from .forms import (
    CONTAINER_TYPES,
    INPUT_TYPES,
    LAYOUT_TYPES,
    MULTI_LINE_TYPES,
    OPTION_TYPES,
    hide_condition,
    is_required,
    options_of,
)

_DATE = r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
_TIME = r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?"
PATTERNS: dict[str, tuple[str, str]] = {  # pattern, message code
    "date": (f"^{_DATE}$", "forms.date"),
    "time": (f"^{_TIME}$", "forms.time"),
    "datetime": (f"^{_DATE}T{_TIME}$", "forms.datetime"),
    "email": (r"^[^\s@]+@[^\s@]+\.[^\s@]+$", "forms.email"),
    "phone": (r"^\+?[0-9][0-9 ()-]{5,}$", "forms.phone"),
}
PATTERN_CODES = {pattern: code for pattern, code in PATTERNS.values()}
_EMPTY = {"anyOf": [{"enum": [None, "", []]}, {"type": "string", "pattern": r"^\s*$"}]}
LIMIT_CODES = {"minLength": "forms.min_length", "maxLength": "forms.max_length", "minimum": "forms.minimum",
                "maximum": "forms.maximum"}
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 and C1 controls except \t \n \r
CONTROL_RULES = {  # a string with any of these characters is refused
    "single": {"not": {"type": "string", "pattern": f"[\t\n\r{_CONTROL}\u2028\u2029]"}},
    "multi": {"not": {"type": "string", "pattern": f"[{_CONTROL}]"}},
}


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _value_schema(component: Mapping[str, Any]) -> dict[str, Any]:
    """What a non-empty value of this component must look like, control characters included."""
    kind = component["type"]
    schema = _typed_value_schema(component)
    if kind not in INPUT_TYPES or kind in ("checkbox", "expression"):
        return schema  # custom and computed values are not typed text
    rule = CONTROL_RULES["multi" if kind in MULTI_LINE_TYPES else "single"]
    if kind == documents.DOCUMENT_TYPE:  # a reference, or a list of them; the control rule is told first
        if "items" in schema:
            return {**schema, "items": {**rule, **schema["items"]}}
        return {"anyOf": [{**rule, **s} for s in schema["anyOf"]]} if "anyOf" in schema else {**rule, **schema}
    if kind in ("checklist", "taglist"):  # a list of strings
        items = schema["items"]
        return schema if "enum" in items else {**schema, "items": {**items, **rule}}
    if "enum" in schema or schema.get("type") in ("number", "integer"):
        return schema  # exact options and numbers hold no stray characters
    return {**schema, **rule}


def _typed_value_schema(component: Mapping[str, Any]) -> dict[str, Any]:
    kind, rules = component["type"], component.get("validate") or {}
    if kind in ("textfield", "textarea"):
        schema: dict[str, Any] = {"type": "string"}
        for rule in ("minLength", "maxLength"):
            if isinstance(rules.get(rule), int) and not isinstance(rules[rule], bool):
                schema[rule] = rules[rule]
        extra = [PATTERNS[t][0] for t in [rules.get("validationType")] if t in ("email", "phone")]
        patterns = [p for p in [rules.get("pattern")] if isinstance(p, str) and p] + extra
        if patterns:
            schema["allOf"] = [{"pattern": p} for p in patterns]
            if isinstance(rules.get("patternErrorMessage"), str) and rules.get("pattern"):
                schema["allOf"][0]["patternErrorMessage"] = rules["patternErrorMessage"]  # the form's own words
        return schema
    if kind == "number":
        if component.get("serializeToString"):
            return {"type": ["number", "string"], "pattern": r"^-?\d+(\.\d+)?$"}
        schema = {"type": "integer" if component.get("decimalDigits") == 0 else "number"}
        schema.update({k: rules[r] for r, k in (("min", "minimum"), ("max", "maximum"))
                       if _number(rules.get(r))})
        return schema
    if kind == "checkbox":
        return {"type": "boolean"}
    options = options_of(component) if kind in OPTION_TYPES else None
    if kind in ("select", "radio"):
        return {"enum": options} if options is not None else {}
    if kind in ("checklist", "taglist"):
        return {"type": "array", "items": {"enum": options} if options is not None else {}}
    if kind == "datetime":
        subtype = component.get("subtype")
        pattern = PATTERNS[subtype][0] if subtype in ("date", "time", "datetime") else "|".join(
            PATTERNS[s][0] for s in ("date", "time", "datetime"))
        return {"type": "string", "pattern": pattern}
    if kind == documents.DOCUMENT_TYPE:
        reference = {"type": "string", "pattern": documents.REFERENCE.pattern}
        many = component.get("multiple")
        if many is True:
            return {"type": "array", "items": reference}
        return reference if many in (None, False, "") else {"anyOf": [reference, {"type": "array", "items": reference}]}
    return {}  # custom keyed components and computed `expression` fields: any value


def _object_schema(components: list[Any], context: Mapping[str, Any] | None = None,
                   hidden: bool = False) -> dict[str, Any]:
    """`context` is the data conditions are evaluated on (None: no condition is met); inside a hidden
    container nothing is required."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    for component in components:
        kind, label = component.get("type"), component.get("label")
        if kind in CONTAINER_TYPES:
            hide = hide_condition(component)
            inner_hidden = hidden or (hide is not None and (context is None or is_hidden(hide, context)))
            inner = _object_schema(component.get("components", []), context, inner_hidden)
            path = component.get("path")
            if kind == "dynamiclist":
                properties[path] = {"title": label or path, "type": "array", "items": inner}
            elif path:
                properties[path] = {"title": label or path, **inner}
            else:
                properties.update(inner["properties"])
                required.extend(inner["required"])
                continue
            if inner["required"] and kind == "group":  # an absent list is just empty
                required.append(path)
        elif kind not in LAYOUT_TYPES and "key" in component:
            key = component["key"]
            empty = _EMPTY if kind != "checkbox" else {"enum": [None, False]}
            schema: dict[str, Any] = {"title": label or key}
            if not hidden and is_required(component, context):
                required.append(key)
                schema["not"] = empty
            properties[key] = {**schema, "if": {"not": empty}, "then": _value_schema(component)}
    return {"type": "object", "properties": properties, "required": required,
            "additionalProperties": False}


def json_schema(form: Mapping[str, Any], context: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A JSON Schema (2020-12) for a submission: the form's inputs and nothing else. With `context` (the
    submission merged over the case data) the required fields are those its conditions show."""
    schema = _object_schema(form.get("components", []), context)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": str(form.get("id") or "form"), **schema}
