"""form-js form definitions: loading and checking a form file, and the fields it declares.

Why: a form is one file the browser shows and the server checks submissions against
(`form_schema` turns it into a JSON Schema, `form_submission` checks a submission with it).
This module is what both read: which components are inputs, their keys (nested ones as
`contact.phone`, `items[].name`), which are required, read-only or hidden by a
`conditional.hide` (the FEEL subset of `form_conditions`), their options, user pickers and
filepickers. A filepicker holds an upload reference (a list of them with `multiple`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from . import documents
from .form_conditions import ConditionError, compile_condition, is_hidden
from .roles import ROLES

LAYOUT_TYPES = frozenset({"text", "html", "spacer", "separator", "image", "button", "iframe",
                          "table", "documentPreview"})
CONTAINER_TYPES = frozenset({"group", "dynamiclist"})
INPUT_TYPES = frozenset({"textfield", "textarea", "number", "checkbox", "checklist", "radio",
                         "select", "taglist", "datetime", "filepicker", "expression"})
OPTION_TYPES = frozenset({"select", "radio", "checklist", "taglist"})
MULTI_LINE_TYPES = frozenset({"textarea"})


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
                                                            component or options_of(component) is not None):
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


def options_of(component: Mapping[str, Any]) -> list[Any] | None:
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


def hide_condition(component: Mapping[str, Any]) -> str | None:
    hide = (component.get("conditional") or {}).get("hide")
    return str(hide) if hide not in (None, "") else None


def is_read_only(component: Mapping[str, Any]) -> bool:
    """`"readonly": true`: the field shows the case variable; a submission never sets it."""
    return component.get("readonly") is True


def is_required(component: Mapping[str, Any], context: Mapping[str, Any] | None = None) -> bool:
    """Required as enforced here: a disabled or read-only field may stay empty, and so may a field hidden
    by its condition. Without data (`context` None) a field with a condition counts as not required."""
    if not (component.get("validate") or {}).get("required") or component.get("disabled") or is_read_only(component):
        return False
    hide = hide_condition(component)
    if hide is None:
        return True
    return context is not None and not is_hidden(hide, context)


def form_fields(form: Mapping[str, Any]) -> list[FormField]:
    """The form's inputs, nested ones with path keys."""
    return [FormField(key, str(c["type"]), str(c.get("label") or key), is_required(c),
                      options_of(c) if c["type"] in OPTION_TYPES else None)
            for key, c in keyed_components(form.get("components", [])) if c["type"] not in CONTAINER_TYPES]


def form_values(form: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """The case variables a valid submission sets: every top-level input of the form (a dynamic list or a
    group with a path is one variable), a field left out as the form would send it (unticked, empty, an
    empty list: diagrams may test it), read-only fields never."""
    fields = {key: c for key, c in keyed_components(form.get("components", []))
              if "[" not in key and "." not in key and not is_read_only(c)}  # a list or group with a path too
    values: dict[str, Any] = {key: (False if c["type"] == "checkbox" else [] if c["type"] == "dynamiclist" else None)
                              for key, c in fields.items()}
    values.update({k: v for k, v in data.items() if k in fields})
    return values


def document_fields(form: Mapping[str, Any] | None) -> dict[str, str]:
    """Key → label of the form's filepicker fields (top-level and nested keys alike)."""
    return {key: str(c.get("label") or key) for key, c in keyed_components((form or {}).get("components", []))
            if c.get("type") == documents.DOCUMENT_TYPE}
