"""`camunda:formKey` / `flowable:formKey` → the spiffworkflow `formKey` property that names the
form-js file of the task (`forms/<process_id>/<formKey>.form`).

The key keeps the last part of the other tool's reference (`embedded:app:forms/approve.html` →
`approve`): the deploy check then names the exact form file still to be drawn. Generated forms
(`camunda:formData`, `activiti:formProperty`) are not read here; they are said, not converted.
"""

from __future__ import annotations

import re

from lxml import etree

from . import BPMN, DIALECTS, Finding, Fix, dialect_attribute, finding, juel
from .spiff import property_of, set_property

_KEY_CHARS = re.compile(r"[^A-Za-z0-9_-]+")


def form_key(reference: str) -> str | None:
    """The form file's stem for another tool's form reference, or None when there is none."""
    last = re.split(r"[:/\\]", reference.strip())[-1]
    stem = last.rsplit(".", 1)[0] if "." in last else last
    key = _KEY_CHARS.sub("_", stem).strip("_")
    return key or None


def findings(tree: etree._ElementTree) -> list[Finding]:
    found: list[Finding] = []
    for node in tree.iter(f"{{{BPMN}}}userTask", f"{{{BPMN}}}startEvent"):
        found.extend(_generated_form(node))
        reference = dialect_attribute(node, "formKey")
        if reference is None or property_of(node, "formKey"):
            continue
        attribute, value = reference
        key = None if juel.is_juel(value) else form_key(value)
        if key is None:
            found.append(finding(node, "foreign.form_key_dynamic", attribute=attribute, value=value))
            continue

        def apply(node: etree._Element = node, key: str = key) -> None:
            set_property(node, "formKey", key)

        found.append(finding(node, "foreign.form_key", Fix(f'{attribute}="{value}"', f"formKey {key}", apply),
                             attribute=attribute, form_file=f"forms/<process_id>/{key}.form"))
    return found


def _generated_form(node: etree._Element) -> list[Finding]:
    fields = [child for namespace in DIALECTS for child in node.iter(f"{{{namespace}}}formField",
                                                                      f"{{{namespace}}}formProperty")]
    if not fields:
        return []
    names = ", ".join(f.get("id") or "?" for f in fields[:8])
    return [finding(node, "foreign.generated_form", blocking=False, fields=names)]
