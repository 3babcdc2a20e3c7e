"""Plain `bpmn:task`s (bpmn.io's and Signavio's default shape): in a lane it is work a person does by
hand, so it becomes a manual task of that lane; outside any lane nobody could do it."""

from __future__ import annotations

from lxml import etree

from . import BPMN, Finding, Fix, finding
from .lanes import lane_of, lanes_by_node


def findings(tree: etree._ElementTree) -> list[Finding]:
    lanes = lanes_by_node(tree)
    found: list[Finding] = []
    for node in list(tree.iter(f"{{{BPMN}}}task")):
        lane = lane_of(node, lanes)
        if lane is None:
            found.append(finding(node, "foreign.untyped_task_no_lane"))
            continue

        def apply(node: etree._Element = node) -> None:
            node.tag = f"{{{BPMN}}}manualTask"

        found.append(finding(node, "foreign.untyped_task", Fix("bpmn:task", "bpmn:manualTask", apply),
                             lane=lane.get("name") or lane.get("id") or ""))
    return found
