"""Fixes the owner asks for by name, because only the owner knows the answer: which role does the tasks
that name nobody (`--role`), and whether the tasks without a form get one drawn from what the diagram
says (`--forms`: the other tool's form fields, or a form that only shows the task's name).

Run on the tree after the certain fixes, so a task a candidate group already placed keeps its lane.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lxml import etree

from . import BPMN, DIALECTS, Finding, Fix, finding, keyed
from .lanes import lane_of, lanes_by_node, process_of, put_in_lane
from .spiff import property_of, set_property

HUMAN = ("userTask", "manualTask")
_TYPES = {"string": "textfield", "long": "number", "integer": "number", "double": "number", "boolean": "checkbox",
          "date": "datetime", "enum": "select"}


def lane_findings(tree: etree._ElementTree, role: str) -> list[Finding]:
    """Every human or untyped task in no lane goes into the lane of `role`."""
    lanes = lanes_by_node(tree)
    found: list[Finding] = []
    for node in list(tree.iter(*(f"{{{BPMN}}}{tag}" for tag in (*HUMAN, "task")))):
        if lane_of(node, lanes) is not None or process_of(node) is None:
            continue
        untyped = node.tag == f"{{{BPMN}}}task"

        def apply(node: etree._Element = node, untyped: bool = untyped) -> None:
            if untyped:
                node.tag = f"{{{BPMN}}}manualTask"
            put_in_lane(node, role)

        before = "bpmn:task" if untyped else "—"
        after = f"bpmn:manualTask, lane {role}" if untyped else f"lane {role}"
        found.append(finding(node, "foreign.given_role", Fix(before, after, apply), role=role))
    return keyed(found)


def form_findings(tree: etree._ElementTree, forms: dict[tuple[str, str], dict[str, Any]],
                  has_form: Callable[[str, str], bool]) -> list[Finding]:
    """Every human task without a form, or whose form file is missing, gets one (and so does a start event
    whose form is missing or that lists fields); `forms` collects
    (process id, key) → the form-js form; `has_form(process id, key)` says whether the file exists."""
    found: list[Finding] = []
    for node in tree.iter(*(f"{{{BPMN}}}{tag}" for tag in (*HUMAN, "startEvent"))):
        process = process_of(node)
        if process is None or not node.get("id"):
            continue
        pid, named = process.get("id", ""), property_of(node, "formKey")
        if named and has_form(pid, named):
            continue
        if node.tag == f"{{{BPMN}}}startEvent" and not (named or fields_of(node)) or (
                node.tag == f"{{{BPMN}}}startEvent" and node.getparent() is not process):
            continue  # a start that asks nothing needs no form; an event subprocess's start shows none
        key = named or re.sub(r"[^A-Za-z0-9_-]+", "_", node.get("id", "")).strip("_") or "task"
        components = fields_of(node)
        form = {"type": "default", "id": key, "components": components or [
            {"type": "text", "id": f"Text_{key}", "text": node.get("name") or node.get("id")}]}

        def apply(node: etree._Element = node, key: str = key, pid: str = pid, form: dict[str, Any] = form,
                  named: bool = bool(named)) -> None:
            if not named:
                set_property(node, "formKey", key)
            forms[(pid, key)] = form

        kind = "foreign.form_from_fields" if components else "foreign.form_to_confirm"
        found.append(finding(node, kind, Fix(f"formKey {named}" if named else "—", f"forms/{pid}/{key}.form", apply),
                             form_file=f"forms/{pid}/{key}.form", count=len(components)))
    return keyed(found)


def fields_of(node: etree._Element) -> list[dict[str, Any]]:
    """Camunda's `formField`s and Flowable's/Activiti's `formProperty`s as form-js components."""
    components: list[dict[str, Any]] = []
    for namespace in DIALECTS:
        for field in node.iter(f"{{{namespace}}}formField", f"{{{namespace}}}formProperty"):
            key = (field.get("id") or "").strip()
            if not key.isidentifier() or key.startswith("_") or any(c.get("key") == key for c in components):
                continue
            kind = _TYPES.get((field.get("type") or "string").strip().lower(), "textfield")
            component: dict[str, Any] = {"type": kind, "id": f"Field_{key}", "key": key,
                                         "label": field.get("label") or field.get("name") or key}
            values = [{"label": v.get("name") or v.get("id"), "value": v.get("id")}
                      for v in field.iter(f"{{{namespace}}}value") if v.get("id")]
            if kind == "select":
                if not values:
                    component["type"] = "textfield"
                else:
                    component["values"] = values
            required = field.get("required") == "true" or any(
                c.get("name") == "required" for c in field.iter(f"{{{namespace}}}constraint"))
            if required and kind != "checkbox":
                component["validate"] = {"required": True}
            components.append(component)
    return components
