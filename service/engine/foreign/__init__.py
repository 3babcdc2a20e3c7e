"""Diagrams drawn in other modelers (Camunda 7 and 8, Flowable/Activiti, Signavio, bpmn.io): what they must change.

Each module here is one dialect's or one fix's knowledge, a pure function over an lxml tree that
returns `Finding`s. A finding names the element and the line of the file as it was read; when the
change is certain (a translation that means exactly the same here), it carries a `Fix` that edits
the tree in place, and nothing else. Uncertain cases are reported and left to the process owner:
a wrong "fix" that deploys is worse than a refusal that says what to do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
FLOWABLE = "http://flowable.org/bpmn"
ACTIVITI = "http://activiti.org/bpmn"
ZEEBE = "http://camunda.org/schema/zeebe/1.0"
# the engines whose attributes name the same things (assignee, candidateGroups, formKey…)
DIALECTS = {CAMUNDA: "camunda", FLOWABLE: "flowable", ACTIVITI: "activiti"}


@dataclass
class Fix:
    """A change that means the same here as the original meant there; `apply` edits the tree."""

    before: str
    after: str
    apply: Callable[[], None]


@dataclass
class Finding:
    line: int | None
    element_id: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    fix: Fix | None = None
    blocking: bool = True  # False: only said (an extension this engine ignores); the deploy check decides
    key: str = ""  # stable within one reading of a file (`keyed`): the owner's choice names the fix by it


def element_of(node: etree._Element) -> etree._Element:
    """The BPMN element a node belongs to (walks up from an extension, an expression or an event
    definition: a timer is said at its event, as the diagram shows it)."""
    current: etree._Element | None = node
    while current is not None:
        if (isinstance(current.tag, str) and current.get("id") and etree.QName(current).namespace == BPMN
                and not etree.QName(current).localname.endswith("EventDefinition")):
            return current
        current = current.getparent()
    return node


def finding(node: etree._Element, code: str, fix: Fix | None = None, *, blocking: bool = True,
            **params: Any) -> Finding:
    owner = element_of(node)
    return Finding(node.sourceline, owner.get("id", ""), code, params, fix, blocking)


def dialect_attribute(node: etree._Element, name: str) -> tuple[str, str] | None:
    """(qualified name as written, value) of `camunda:name` / `flowable:name` / `activiti:name`."""
    for namespace, prefix in DIALECTS.items():
        value = node.get(f"{{{namespace}}}{name}")
        if value is not None:
            return f"{prefix}:{name}", value
    return None


def keyed(found: list[Finding]) -> list[Finding]:
    """Give each finding its key, `<element id>/<code>` (a second one of an element and code gets `/2`…):
    the same file read again gives the same keys, so a fix the owner ticked on the report is the one
    applied, whatever was ticked beside it."""
    seen: dict[str, int] = {}
    for item in found:
        base = f"{item.element_id or '-'}/{item.code.rsplit('.', 1)[-1]}"
        seen[base] = seen.get(base, 0) + 1
        item.key = base if seen[base] == 1 else f"{base}/{seen[base]}"
    return found


def examine(tree: etree._ElementTree, resolve_role: Callable[[str | None], str | None]) -> list[Finding]:
    """Every finding of every dialect module, in document order; `resolve_role` says which lane names
    (and so which candidate groups) are roles of this organisation."""
    from . import conditions, decisions, executable, forms, java, people, timers, untyped, zeebe

    found: list[Finding] = []
    for module in (executable, conditions, timers, decisions, forms, untyped, java):
        found.extend(module.findings(tree))
    found.extend(people.findings(tree, resolve_role))
    found.extend(zeebe.findings(tree, resolve_role))
    return keyed(sorted(found, key=lambda f: (f.line or 0, f.element_id, f.code)))
