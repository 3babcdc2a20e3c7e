"""form-js form definitions: loading, the fields they declare, and server-side validation.

Why: the browser's form-js validation is a convenience that anyone can bypass, so the
server checks every submission against the same form file. The form is turned into a
JSON Schema (validated with `jsonschema`) and the errors are turned back into messages
keyed by field, Chinese first, that a member of staff can act on. Like form-js, value
constraints apply only to non-empty values, and `required` treats null, "", blanks, []
and an unticked checkbox as missing. A key the form does not declare is an error, not
silently dropped: the sender would otherwise believe it was recorded. Single-line values
refuse control characters (a CR/LF in a name ends up in a mail header); a textarea takes
line breaks and tabs only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from .roles import ROLES

LAYOUT_TYPES = frozenset({"text", "html", "spacer", "separator", "image", "button", "iframe",
                          "table", "documentPreview"})
CONTAINER_TYPES = frozenset({"group", "dynamiclist"})
INPUT_TYPES = frozenset({"textfield", "textarea", "number", "checkbox", "checklist", "radio",
                         "select", "taglist", "datetime", "filepicker", "expression"})
OPTION_TYPES = frozenset({"select", "radio", "checklist", "taglist"})
_DATE = r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
_TIME = r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?"
_PATTERNS: dict[str, tuple[str, str]] = {  # pattern, message
    "date": (f"^{_DATE}$", "日期格式应为 YYYY-MM-DD (date must look like 2026-10-08)"),
    "time": (f"^{_TIME}$", "时间格式应为 HH:MM (time must look like 14:30)"),
    "datetime": (f"^{_DATE}T{_TIME}$",
                 "日期时间格式不正确 (date and time must look like 2026-10-08T14:30)"),
    "email": (r"^[^\s@]+@[^\s@]+\.[^\s@]+$", "邮箱格式不正确 (not an e-mail address)"),
    "phone": (r"^\+?[0-9][0-9 ()-]{5,}$", "电话号码格式不正确 (not a phone number)"),
}
_MESSAGES = {key: message for key, (_pattern, message) in _PATTERNS.items()}
_EMPTY = {"anyOf": [{"enum": [None, "", []]}, {"type": "string", "pattern": r"^\s*$"}]}
_TYPE_NAMES = {"string": "文本 (text)", "number": "数字 (a number)", "integer": "整数 (a whole "
               "number)", "boolean": "是/否 (true or false)", "array": "列表 (a list)",
               "object": "对象 (an object)", "null": "空 (empty)"}
REQUIRED_MESSAGE = "必填 (required)"
UNKNOWN_MESSAGE = "未知字段，表单中没有这一项 (unknown field: this form has no input of that name)"
MULTI_LINE_TYPES = frozenset({"textarea"})
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 and C1 controls except \t \n \r
_CONTROL_RULES = {  # a string with any of these characters is refused
    "single": {"not": {"type": "string", "pattern": f"[\t\n\r{_CONTROL}\u2028\u2029]"}},
    "multi": {"not": {"type": "string", "pattern": f"[{_CONTROL}]"}},
}
_CONTROL_MESSAGES = {  # Chinese, English
    "single": ("单行字段不能包含换行或控制字符", "a single-line field takes no line breaks or control characters"),
    "multi": ("不能包含除换行和制表符以外的控制字符", "no control characters other than line breaks and tabs"),
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


def _walk(components: list[Any], prefix: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
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
            yield from _walk(component.get("components", []), inner)
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
        if kind in CONTAINER_TYPES:
            _check_components(component.get("components", []), source)


def user_picker_role(component: Mapping[str, Any]) -> str | None:
    """The role a user-picker select offers people of (`properties.userPicker`), or None."""
    properties = component.get("properties")
    role = properties.get(USER_PICKER) if isinstance(properties, dict) else None
    return str(role) if role not in (None, "") else None


def user_pickers(form: Mapping[str, Any] | None) -> dict[str, str]:
    """Field key -> role for every user picker of the form."""
    return {key: role for key, c in _walk((form or {}).get("components", []))
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
    for key, component in _walk(form["components"]):
        if key in seen:
            raise FormError(source, f"key '{key}' is used twice", _name(component, 0))
        seen.add(key)
    return form


def _required(component: Mapping[str, Any]) -> bool:
    """Required as enforced here: a field hidden by a condition or disabled may stay empty."""
    hidden = bool((component.get("conditional") or {}).get("hide"))
    return bool((component.get("validate") or {}).get("required")) and not (
        hidden or component.get("disabled"))


def form_fields(form: Mapping[str, Any]) -> list[FormField]:
    """The form's inputs, nested ones with path keys."""
    return [FormField(key, str(c["type"]), str(c.get("label") or key), _required(c),
                      _options(c) if c["type"] in OPTION_TYPES else None)
            for key, c in _walk(form.get("components", [])) if c["type"] not in CONTAINER_TYPES]


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _value_schema(component: Mapping[str, Any]) -> dict[str, Any]:
    """What a non-empty value of this component must look like, control characters included."""
    kind = component["type"]
    schema = _typed_value_schema(component)
    if kind not in INPUT_TYPES or kind in ("checkbox", "expression"):
        return schema  # custom and computed values are not typed text
    rule = _CONTROL_RULES["multi" if kind in MULTI_LINE_TYPES else "single"]
    if kind in ("checklist", "taglist", "filepicker"):  # a list of strings (a filepicker: or one string)
        items = schema["items"]
        schema = schema if "enum" in items else {**schema, "items": {**items, **rule}}
        return {**schema, **rule} if kind == "filepicker" else schema
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
    if kind == "filepicker":
        return {"type": ["string", "array"], "items": {"type": "string"}}
    return {}  # custom keyed components and computed `expression` fields: any value


def _object_schema(components: list[Any]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for component in components:
        kind, label = component.get("type"), component.get("label")
        if kind in CONTAINER_TYPES:
            inner = _object_schema(component.get("components", []))
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
            if _required(component):
                required.append(key)
                schema["not"] = empty
            properties[key] = {**schema, "if": {"not": empty}, "then": _value_schema(component)}
    return {"type": "object", "properties": properties, "required": required,
            "additionalProperties": False}


def json_schema(form: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON Schema (2020-12) for a submission: the form's inputs and nothing else."""
    schema = _object_schema(form.get("components", []))
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": str(form.get("id") or "form"), **schema}


def _control_message(error: ValidationError) -> str | None:
    """The control-character rule broken, with the first offending character and where it is."""
    if error.validator != "not" or not isinstance(error.instance, str):
        return None
    for kind, rule in _CONTROL_RULES.items():
        if error.validator_value == rule["not"]:
            found = re.search(rule["not"]["pattern"], error.instance)
            if found is None:
                return None
            zh, en = _CONTROL_MESSAGES[kind]
            place, code = found.start() + 1, f"U+{ord(found.group()):04X}"
            return f"{zh}：第 {place} 个字符是 {code} ({en}; character {place} is {code})"
    return None


def _message(error: ValidationError) -> str:
    rule, value = error.validator, error.validator_value
    control = _control_message(error)
    if control:
        return control
    if rule in ("required", "not") or (rule == "type" and error.instance is None):
        return REQUIRED_MESSAGE
    if rule == "type":
        types = value if isinstance(value, list) else [value]
        return "应为" + " / ".join(_TYPE_NAMES.get(str(t), str(t)) for t in types)
    if rule == "pattern":
        if isinstance(error.schema, dict) and error.schema.get("patternErrorMessage"):
            return str(error.schema["patternErrorMessage"])
        known = [m for key, m in _MESSAGES.items() if _PATTERNS[key][0] == value]
        return known[0] if known else f"格式不正确 (must match {value})"
    if rule == "enum":
        options = value if isinstance(value, list) else [value]
        return f"不是可选的值 (must be one of: {', '.join(str(v) for v in options)})"
    texts = {"minLength": f"至少 {value} 个字符 (at least {value} characters)",
             "maxLength": f"最多 {value} 个字符 (at most {value} characters)",
             "minimum": f"不能小于 {value} (must be at least {value})",
             "maximum": f"不能大于 {value} (must be at most {value})"}
    return texts.get(str(rule), f"无效 (invalid: {error.message})")


def _unknown_keys(error: ValidationError) -> list[str]:
    declared = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    return [str(key) for key in error.instance if key not in declared]


def _key(parts: list[Any], generic: bool) -> str:
    text = ""
    for part in parts:
        text += ("[]" if generic else f"[{part}]") if isinstance(part, int) else f".{part}"
    return text.lstrip(".")


def validate_submission(form: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, str]:
    """{field key: "label: message"} for every invalid field; empty when the data is valid.

    Nested keys look like `contact.phone` and `items[1].name`; "" is the submission itself.
    """
    labels = {key: str(c.get("label") or key) for key, c in _walk(form.get("components", []))}
    errors: dict[str, str] = {}
    for error in Draft202012Validator(json_schema(form)).iter_errors(data):
        paths = [list(error.absolute_path)]
        if error.validator == "required" and isinstance(error.instance, dict):
            paths = [paths[0] + [k] for k in error.validator_value if k not in error.instance]
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            for extra in _unknown_keys(error):
                key = _key(paths[0] + [extra], False)
                errors.setdefault(key, f"{key}: {UNKNOWN_MESSAGE}")
            continue
        for path in paths:
            while path and _key(path, True) not in labels:
                path = path[:-1]  # an item of a checklist reports on the checklist
            key = _key(path, False)
            errors.setdefault(key, f"{labels.get(_key(path, True), key or '表单')}: "
                                   f"{_message(error)}")
    return errors
