"""form-js form definitions: loading, the fields they declare, and server-side validation.

Why: the browser's form-js validation is a convenience that anyone can bypass, so the
server checks every submission against the same form file. The form is turned into a
JSON Schema (validated with `jsonschema`) and the errors are turned back into messages
(`Message` codes, rendered in the reader's language at the edge) keyed by field, in the
order of the form, that a member of staff can act on. Like form-js, value constraints
apply only to non-empty values, and `required` treats null, "", blanks, [] and an
unticked checkbox as missing. A required field hidden by its `conditional.hide` (the FEEL
subset of `form_conditions`, evaluated on the submission merged over the case data) may
stay empty; one shown by it may not. A read-only field is never taken from a submission.
A key the form does not declare is an error, not silently dropped: the sender would
otherwise believe it was recorded. Single-line values refuse control characters (a CR/LF
in a name ends up in a mail header); a textarea takes line breaks and tabs only. A
filepicker holds an upload reference (a list of them with `multiple`); whether the file
exists is checked by the caller, which has the document store.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from . import documents
from .form_conditions import ConditionError, compile_condition, is_hidden
from .messages import Message
from .roles import ROLES

LAYOUT_TYPES = frozenset({"text", "html", "spacer", "separator", "image", "button", "iframe",
                          "table", "documentPreview"})
CONTAINER_TYPES = frozenset({"group", "dynamiclist"})
INPUT_TYPES = frozenset({"textfield", "textarea", "number", "checkbox", "checklist", "radio",
                         "select", "taglist", "datetime", "filepicker", "expression"})
OPTION_TYPES = frozenset({"select", "radio", "checklist", "taglist"})
_DATE = r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
_TIME = r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?"
_PATTERNS: dict[str, tuple[str, str]] = {  # pattern, message code
    "date": (f"^{_DATE}$", "forms.date"),
    "time": (f"^{_TIME}$", "forms.time"),
    "datetime": (f"^{_DATE}T{_TIME}$", "forms.datetime"),
    "email": (r"^[^\s@]+@[^\s@]+\.[^\s@]+$", "forms.email"),
    "phone": (r"^\+?[0-9][0-9 ()-]{5,}$", "forms.phone"),
}
_PATTERN_CODES = {pattern: code for pattern, code in _PATTERNS.values()}
_EMPTY = {"anyOf": [{"enum": [None, "", []]}, {"type": "string", "pattern": r"^\s*$"}]}
_LIMIT_CODES = {"minLength": "forms.min_length", "maxLength": "forms.max_length", "minimum": "forms.minimum",
                "maximum": "forms.maximum"}
MULTI_LINE_TYPES = frozenset({"textarea"})
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 and C1 controls except \t \n \r
_CONTROL_RULES = {  # a string with any of these characters is refused
    "single": {"not": {"type": "string", "pattern": f"[\t\n\r{_CONTROL}\u2028\u2029]"}},
    "multi": {"not": {"type": "string", "pattern": f"[{_CONTROL}]"}},
}


# a `select` whose options are the active people holding a role, filled in from the directory each
# time the form is shown and checked on the server: `"properties": {"userPicker": "engineer"}`
USER_PICKER = "userPicker"


class FormError(ValueError):
    """A form file is unusable; the message names the file and the component."""

    def __init__(self, source: str, problem: str, component: str | None = None) -> None:
        where = f"{source}: component {component}: " if component else f"{source}: "
        super().__init__(where + problem)
        self.source, self.component, self.problem = source, component, problem


@dataclass(frozen=True)
class FormField:
    """One input of a form; `key` is a path such as `contact.phone` or `items[].name`."""

    key: str
    type: str
    label: str
    required: bool
    options: list[Any] | None


def _name(component: Mapping[str, Any], index: int) -> str:
    ident = component.get("key") or component.get("path") or component.get("id") or f"#{index}"
    return f"'{ident}' ({component.get('type', '?')})"


def keyed_components(components: list[Any], prefix: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """(full key, component) for every input and every container with a path, in order.

    Unknown component types that carry a key count as inputs (custom form-js fields).
    """
    for component in components:
        kind, path = component.get("type"), component.get("path")
        if kind in CONTAINER_TYPES:
            if path:
                yield prefix + str(path), component
            inner = f"{prefix}{path}[]." if kind == "dynamiclist" else (
                f"{prefix}{path}." if path else prefix)
            yield from keyed_components(component.get("components", []), inner)
        elif kind not in LAYOUT_TYPES and "key" in component:
            yield prefix + str(component["key"]), component


def _check_components(components: Any, source: str) -> None:
    if not isinstance(components, list):
        raise FormError(source, "'components' must be a list")
    for index, component in enumerate(components):
        if not isinstance(component, dict) or not isinstance(component.get("type"), str):
            raise FormError(source, "every component needs a 'type'", f"#{index}")
        name, kind = _name(component, index), component["type"]
        ident = component.get("path" if kind in CONTAINER_TYPES else "key")
        needed = kind in INPUT_TYPES or kind == "dynamiclist"
        if (needed or (ident is not None and kind not in LAYOUT_TYPES)) and not (
                isinstance(ident, str) and ident.isidentifier() and not ident.startswith("_")):
            what = "path" if kind in CONTAINER_TYPES else "key"
            raise FormError(source, f"needs a {what} made of letters, digits and '_' (not "
                            "starting with '_'), as it becomes a case variable", name)
        pattern = (component.get("validate") or {}).get("pattern")
        try:
            if isinstance(pattern, str) and pattern:
                re.compile(pattern)
        except re.error as exc:
            raise FormError(source, f"invalid pattern {pattern!r}: {exc}", name) from None
        picker = user_picker_role(component)
        if picker is not None and (kind != "select" or picker not in ROLES):
            problem = (f"a user picker must be a 'select', not '{kind}'" if kind != "select" else
                       f"the user picker names the role '{picker}', which is not a known role")
            raise FormError(source, f"{problem} (properties.{USER_PICKER}: one of {', '.join(sorted(ROLES))})", name)
        if kind in OPTION_TYPES and picker is None and not ("valuesKey" in component or "valuesExpression" in
                                                            component or _options(component) is not None):
            raise FormError(source, "needs 'values' as a list of {label, value}", name)
        hide = (component.get("conditional") or {}).get("hide") if isinstance(component.get("conditional"), dict) \
            else component.get("conditional")
        if hide not in (None, ""):
            try:
                compile_condition(hide)
            except ConditionError as exc:
                raise FormError(source, f"conditional.hide {hide!r} is outside the FEEL subset the server "
                                f"evaluates: {exc}", name) from None
        if kind in CONTAINER_TYPES:
            _check_components(component.get("components", []), source)


def user_picker_role(component: Mapping[str, Any]) -> str | None:
    """The role a user-picker select offers people of (`properties.userPicker`), or None."""
    properties = component.get("properties")
    role = properties.get(USER_PICKER) if isinstance(properties, dict) else None
    return str(role) if role not in (None, "") else None


def user_pickers(form: Mapping[str, Any] | None) -> dict[str, str]:
    """Field key -> role for every user picker of the form."""
    return {key: role for key, c in keyed_components((form or {}).get("components", []))
            if (role := user_picker_role(c)) is not None}


def _options(component: Mapping[str, Any]) -> list[Any] | None:
    values = component.get("values")
    if not isinstance(values, list) or not all(isinstance(v, dict) and "value" in v
                                               for v in values):
        return None
    return [v["value"] for v in values]


def load_form(text: str, source: str) -> dict[str, Any]:
    """Parse and check a form-js file; raise FormError naming `source` on any problem."""
    try:
        form = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormError(source, f"line {exc.lineno}, column {exc.colno}: invalid JSON: {exc.msg}"
                        ) from None
    if not isinstance(form, dict) or "components" not in form:
        raise FormError(source, "not a form-js form (no 'components' list)")
    _check_components(form["components"], source)
    seen: set[str] = set()
    for key, component in keyed_components(form["components"]):
        if key in seen:
            raise FormError(source, f"key '{key}' is used twice", _name(component, 0))
        seen.add(key)
    return form


def _hide(component: Mapping[str, Any]) -> str | None:
    hide = (component.get("conditional") or {}).get("hide")
    return str(hide) if hide not in (None, "") else None


def is_read_only(component: Mapping[str, Any]) -> bool:
    """`"readonly": true`: the field shows the case variable; a submission never sets it."""
    return component.get("readonly") is True


def _required(component: Mapping[str, Any], context: Mapping[str, Any] | None = None) -> bool:
    """Required as enforced here: a disabled or read-only field may stay empty, and so may a field hidden
    by its condition. Without data (`context` None) a field with a condition counts as not required."""
    if not (component.get("validate") or {}).get("required") or component.get("disabled") or is_read_only(component):
        return False
    hide = _hide(component)
    if hide is None:
        return True
    return context is not None and not is_hidden(hide, context)


def form_fields(form: Mapping[str, Any]) -> list[FormField]:
    """The form's inputs, nested ones with path keys."""
    return [FormField(key, str(c["type"]), str(c.get("label") or key), _required(c),
                      _options(c) if c["type"] in OPTION_TYPES else None)
            for key, c in keyed_components(form.get("components", [])) if c["type"] not in CONTAINER_TYPES]


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _value_schema(component: Mapping[str, Any]) -> dict[str, Any]:
    """What a non-empty value of this component must look like, control characters included."""
    kind = component["type"]
    schema = _typed_value_schema(component)
    if kind not in INPUT_TYPES or kind in ("checkbox", "expression"):
        return schema  # custom and computed values are not typed text
    rule = _CONTROL_RULES["multi" if kind in MULTI_LINE_TYPES else "single"]
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
        extra = [_PATTERNS[t][0] for t in [rules.get("validationType")] if t in ("email", "phone")]
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
    options = _options(component) if kind in OPTION_TYPES else None
    if kind in ("select", "radio"):
        return {"enum": options} if options is not None else {}
    if kind in ("checklist", "taglist"):
        return {"type": "array", "items": {"enum": options} if options is not None else {}}
    if kind == "datetime":
        subtype = component.get("subtype")
        pattern = _PATTERNS[subtype][0] if subtype in ("date", "time", "datetime") else "|".join(
            _PATTERNS[s][0] for s in ("date", "time", "datetime"))
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
            hide = _hide(component)
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
            if not hidden and _required(component, context):
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


def _control_message(error: ValidationError, label: Any) -> Message | None:
    """The control-character rule broken, with the first offending character and where it is."""
    if error.validator != "not" or not isinstance(error.instance, str):
        return None
    for kind, rule in _CONTROL_RULES.items():
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
        return Message(_PATTERN_CODES.get(value, "forms.pattern"), {"label": label, "pattern": value})
    if rule == "enum":
        options = value if isinstance(value, list) else [value]
        return Message("forms.not_an_option", {"label": label, "options": ", ".join(str(v) for v in options)})
    if rule in _LIMIT_CODES:
        return Message(_LIMIT_CODES[str(rule)], {"label": label, "limit": value})
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


def form_values(form: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """The case variables a valid submission sets: every top-level input of the form, a field left out as
    the form would send it (unticked, empty: diagrams may test it), read-only fields never."""
    fields = {key: c for key, c in keyed_components(form.get("components", []))
              if "[" not in key and "." not in key and c.get("type") not in CONTAINER_TYPES
              and not is_read_only(c)}
    values: dict[str, Any] = {key: (False if c["type"] == "checkbox" else None) for key, c in fields.items()}
    values.update({k: v for k, v in data.items() if k in fields})
    return values


def document_fields(form: Mapping[str, Any] | None) -> dict[str, str]:
    """Key → label of the form's filepicker fields (top-level and nested keys alike)."""
    return {key: str(c.get("label") or key) for key, c in keyed_components((form or {}).get("components", []))
            if c.get("type") == documents.DOCUMENT_TYPE}
