"""What makes a drawing a runnable model, where the fix changes no behaviour.

`isExecutable="false"`: bpmn.io, Signavio and most modelers draw processes as documentation by
default. Importing a diagram to run it says the owner means it to run, so when no process of the
file is marked, those that have a start event are; the deploy check then says what running them
needs. A `definitions` without the
`targetNamespace` the schema requires gets the one bpmn.io writes (it names nothing that runs)."""

from __future__ import annotations

from lxml import etree

from . import BPMN, Finding, Fix, finding

TARGET_NAMESPACE = "http://bpmn.io/schema/bpmn"


def findings(tree: etree._ElementTree) -> list[Finding]:
    found: list[Finding] = []
    root = tree.getroot()
    if root.tag == f"{{{BPMN}}}definitions" and root.get("targetNamespace") is None:
        def declare() -> None:
            root.set("targetNamespace", TARGET_NAMESPACE)

        found.append(finding(root, "foreign.no_target_namespace",
                             Fix("targetNamespace —", f'targetNamespace="{TARGET_NAMESPACE}"', declare)))
    found.extend(_flows_without_id(tree))
    processes = root.findall(f"{{{BPMN}}}process")
    if any((p.get("isExecutable") or "").strip().lower() == "true" for p in processes):
        return found  # the owner chose what runs; the other pools are partners, drawn for the record
    for node in processes:
        if node.find(f"{{{BPMN}}}startEvent") is None:
            continue  # a partner's pool or a fragment: nothing a case could start

        def apply(node: etree._Element = node) -> None:
            node.set("isExecutable", "true")

        before = f'isExecutable="{node.get("isExecutable")}"' if node.get("isExecutable") else "isExecutable —"
        found.append(finding(node, "foreign.not_executable", Fix(before, 'isExecutable="true"', apply)))
    return found


def _flows_without_id(tree: etree._ElementTree) -> list[Finding]:
    """A sequence flow without an id (hand-written XML) is no flow to the engine: two of them into one
    join look like one, and the join waits forever. Each gets an id of its own."""
    taken = {n.get("id") for n in tree.iter() if isinstance(n.tag, str) and n.get("id")}
    found: list[Finding] = []
    for node in tree.iter(f"{{{BPMN}}}sequenceFlow"):
        if node.get("id"):
            continue
        number = len(taken)
        while f"Flow_{number}" in taken:
            number += 1
        flow_id = f"Flow_{number}"
        taken.add(flow_id)

        def apply(node: etree._Element = node, flow_id: str = flow_id) -> None:
            node.set("id", flow_id)

        item = finding(node, "foreign.flow_without_id", Fix("id —", f'id="{flow_id}"', apply),
                       source=node.get("sourceRef") or "?", target=node.get("targetRef") or "?")
        item.element_id = flow_id
        found.append(item)
    return found
