"""Checking a submission against its form: {field key: message} in the order of the form.

Why messages: `jsonschema`'s errors are turned back into `Message` codes (rendered in the reader's
language at the edge) keyed by field, that a member of staff can act on. A read-only field is never
taken from a submission: it may come back as the case holds it, never changed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from . import documents
from .form_schema import CONTROL_RULES, LIMIT_CODES, PATTERN_CODES, json_schema
from .forms import is_read_only, keyed_components
from .messages import Message


def _control_message(error: ValidationError, label: Any) -> Message | None:
    """The control-character rule broken, with the first offending character and where it is."""
    if error.validator != "not" or not isinstance(error.instance, str):
        return None
    for kind, rule in CONTROL_RULES.items():
        if error.validator_value == rule["not"]:
            found = re.search(rule["not"]["pattern"], error.instance)
            if found is None:
                return None
            return Message(f"forms.control_{kind}", {"label": label, "place": found.start() + 1,
                                                     "char": f"U+{ord(found.group()):04X}"})
    return None


def _type_names(value: Any) -> Message:
    types = value if isinstance(value, list) else [value]
    return Message(f"forms.type.{types[0]}")


def _message(error: ValidationError, label: Any) -> Message:
    rule, value = error.validator, error.validator_value
    control = _control_message(error, label)
    if control:
        return control
    if rule in ("required", "not") or (rule == "type" and error.instance is None):
        return Message("forms.required", {"label": label})
    if rule == "pattern" and value == documents.REFERENCE.pattern:
        return Message("forms.document_reference", {"label": label})
    if rule == "type":
        return Message("forms.wrong_type", {"label": label, "expected": _type_names(value)})
    if rule == "pattern":
        if isinstance(error.schema, dict) and error.schema.get("patternErrorMessage"):
            return Message("forms.pattern_own", {"label": label, "text": str(error.schema["patternErrorMessage"])})
        return Message(PATTERN_CODES.get(value, "forms.pattern"), {"label": label, "pattern": value})
    if rule == "enum":
        options = value if isinstance(value, list) else [value]
        return Message("forms.not_an_option", {"label": label, "options": ", ".join(str(v) for v in options)})
    if rule in LIMIT_CODES:
        return Message(LIMIT_CODES[str(rule)], {"label": label, "limit": value})
    if rule == "anyOf" and isinstance(error.instance, (str, list)):  # a filepicker that may hold one or many
        return Message("forms.document_reference", {"label": label})
    return Message("forms.invalid", {"label": label})


def _unknown_keys(error: ValidationError) -> list[str]:
    declared = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    return [str(key) for key in error.instance if key not in declared]


def _key(parts: list[Any], generic: bool) -> str:
    text = ""
    for part in parts:
        text += ("[]" if generic else f"[{part}]") if isinstance(part, int) else f".{part}"
    return text.lstrip(".")


def _read_only_errors(form: Mapping[str, Any], data: Mapping[str, Any], case_data: Mapping[str, Any]
                      ) -> dict[str, Message]:
    """A read-only field may come back as the case holds it (form-js sends what it shows), never changed."""
    errors: dict[str, Message] = {}
    for key, component in keyed_components(form.get("components", [])):
        if is_read_only(component) and key in data and not _same_value(data[key], case_data.get(key)):
            errors[key] = Message("forms.read_only", {"label": str(component.get("label") or key)})
    return errors


def _same_value(sent: Any, held: Any) -> bool:
    def empty(value: Any) -> bool:
        return value in (None, "", []) or (isinstance(value, str) and not value.strip())
    return (empty(sent) and empty(held)) or sent == held


def _form_order(form: Mapping[str, Any], errors: dict[str, Message]) -> dict[str, Message]:
    """Errors in the order the form shows its fields (list items by index), unknown keys last."""
    order = {key: index for index, (key, _c) in enumerate(keyed_components(form.get("components", [])))}

    def place(key: str) -> tuple[int, list[int]]:
        generic = re.sub(r"\[\d+\]", "[]", key)
        if key == "":
            return -1, []
        return order.get(generic, len(order)), [int(n) for n in re.findall(r"\[(\d+)\]", key)]
    return dict(sorted(errors.items(), key=lambda item: place(item[0])))


def validate_submission(form: Mapping[str, Any], data: Mapping[str, Any],
                        case_data: Mapping[str, Any] | None = None) -> dict[str, Message]:
    """{field key: message} for every invalid field, in form order; empty when the data is valid.

    Nested keys look like `contact.phone` and `items[1].name`; "" is the submission itself. Conditions
    see the submission merged over `case_data` (the case's variables; none for a start form).
    """
    labels = {key: str(c.get("label") or key) for key, c in keyed_components(form.get("components", []))}
    held = dict(case_data or {})
    context = {**held, **data} if isinstance(data, Mapping) else held
    errors: dict[str, Message] = {}
    for error in Draft202012Validator(json_schema(form, context)).iter_errors(data):
        paths = [list(error.absolute_path)]
        if error.validator == "required" and isinstance(error.instance, dict):
            paths = [paths[0] + [k] for k in error.validator_value if k not in error.instance]
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            for extra in _unknown_keys(error):
                key = _key(paths[0] + [extra], False)
                errors.setdefault(key, Message("forms.unknown_field", {"label": key}))
            continue
        for path in paths:
            while path and _key(path, True) not in labels:
                path = path[:-1]  # an item of a checklist reports on the checklist
            key = _key(path, False)
            label = labels.get(_key(path, True)) or key or Message("forms.the_form")
            errors.setdefault(key, _message(error, label))
    if isinstance(data, Mapping):
        for key, message in _read_only_errors(form, data, held).items():
            errors.setdefault(key, message)
    return _form_order(form, errors)
