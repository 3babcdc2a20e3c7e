"""Writing the spiffworkflow extensions a fix needs, next to whatever else the element carries.

New elements are appended (never replacing another tool's extensions), so a diagram keeps its
Camunda or Flowable details for the tool it came from.
"""

from __future__ import annotations

from lxml import etree

from . import BPMN, SPIFF

_NSMAP = {"spiffworkflow": SPIFF}


def extension_elements(node: etree._Element) -> etree._Element:
    found = node.find(f"{{{BPMN}}}extensionElements")
    if found is None:
        found = etree.Element(f"{{{BPMN}}}extensionElements")
        found.tail = node.text if node.text and not node.text.strip() else None
        # the schema's order: documentation first, then extensionElements, then the rest
        at = 0
        while at < len(node) and (not isinstance(node[at].tag, str)
                                  or node[at].tag == f"{{{BPMN}}}documentation"):
            at += 1
        node.insert(at, found)
    return found


def set_property(node: etree._Element, name: str, value: str) -> None:
    """`spiffworkflow:properties/property[name]` = value (created when absent)."""
    holder = extension_elements(node)
    properties = holder.find(f"{{{SPIFF}}}properties")
    if properties is None:
        properties = etree.SubElement(holder, f"{{{SPIFF}}}properties", nsmap=_NSMAP)
    for prop in properties.findall(f"{{{SPIFF}}}property"):
        if prop.get("name") == name:
            prop.set("value", value)
            return
    prop = etree.SubElement(properties, f"{{{SPIFF}}}property", nsmap=_NSMAP)
    prop.set("name", name)
    prop.set("value", value)


def property_of(node: etree._Element, name: str) -> str | None:
    for prop in node.iterfind(f"{{{BPMN}}}extensionElements/{{{SPIFF}}}properties/{{{SPIFF}}}property"):
        if prop.get("name") == name:
            return prop.get("value")
    return None


def set_extension_text(node: etree._Element, name: str, text: str) -> None:
    """`spiffworkflow:<name>` holding `text` (e.g. calledDecisionId)."""
    holder = extension_elements(node)
    found = holder.find(f"{{{SPIFF}}}{name}")
    if found is None:
        found = etree.SubElement(holder, f"{{{SPIFF}}}{name}", nsmap=_NSMAP)
    found.text = text


def extension_text(node: etree._Element, name: str) -> str | None:
    found = node.find(f"{{{BPMN}}}extensionElements/{{{SPIFF}}}{name}")
    return found.text if found is not None else None
