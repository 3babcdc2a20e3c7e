"""One diagram file read once into what the rules look at: flow nodes, their flows, scopes.

Why a model of its own: every rule (reachability, loops, gateways, variables) walks the same
sequence-flow graph, and a diagram may be large, so the file is read in one pass and the rules
only look things up.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from lxml import etree

from ..definitions import BPMN, SPIFF

ACTIVITIES = frozenset({"task", "userTask", "manualTask", "serviceTask", "scriptTask", "businessRuleTask",
                        "sendTask", "receiveTask", "callActivity", "subProcess", "transaction",
                        "adHocSubProcess"})
EVENTS = frozenset({"startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent",
                    "boundaryEvent"})
GATEWAYS = frozenset({"exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway",
                      "complexGateway"})
FLOW_NODES = ACTIVITIES | EVENTS | GATEWAYS
SCOPES = frozenset({"process", "subProcess", "transaction", "adHocSubProcess"})
# the engine stops here until a person acts (a bpmn:task is a manual task to the engine) or an event comes
WAITING = frozenset({"task", "userTask", "manualTask", "receiveTask", "eventBasedGateway"})
WAITING_EVENTS = frozenset({"timerEventDefinition", "messageEventDefinition", "signalEventDefinition",
                            "conditionalEventDefinition"})

_PREFIX = f"{{{BPMN}}}"


def local(node: etree._Element) -> str | None:
    """The BPMN local name of an element; None for comments and other namespaces."""
    tag = node.tag
    return tag[len(_PREFIX):] if isinstance(tag, str) and tag.startswith(_PREFIX) else None


def definitions_of(node: etree._Element) -> set[str]:
    """The kinds of event definition an event carries (timerEventDefinition, ...)."""
    return {name for child in node if (name := local(child)) and name.endswith("EventDefinition")}


@dataclass
class Diagram:
    filename: str
    tree: etree._ElementTree
    nodes: dict[str, etree._Element] = field(default_factory=dict)  # flow nodes by id, in document order
    kind: dict[str, str] = field(default_factory=dict)
    scope_of: dict[str, str] = field(default_factory=dict)  # node id → id of its process or sub-process
    scopes: dict[str, etree._Element] = field(default_factory=dict)
    process_of: dict[str, str] = field(default_factory=dict)  # scope id → id of the process it lies in
    flows: list[etree._Element] = field(default_factory=list)  # sequence flows between known nodes
    outgoing: dict[str, list[etree._Element]] = field(default_factory=lambda: defaultdict(list))
    incoming: dict[str, list[etree._Element]] = field(default_factory=lambda: defaultdict(list))
    successors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    boundaries: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # host → events
    links: set[str] = field(default_factory=set)  # link events: joined by name, not by flows
    # (element, expression, where it is written: conditionExpression, loopCondition, loopDataInputRef, ...)
    conditions: list[tuple[etree._Element, str, str]] = field(default_factory=list)

    def line(self, node_id: str) -> int | None:
        node = self.nodes.get(node_id) if node_id in self.nodes else self.scopes.get(node_id)
        return node.sourceline if node is not None else None

    def is_event_subprocess(self, node_id: str) -> bool:
        return self.kind.get(node_id) == "subProcess" and self.nodes[node_id].get("triggeredByEvent") == "true"

    def is_compensation(self, node_id: str) -> bool:
        """Compensation handlers and their boundary events are joined by associations, not flows."""
        node = self.nodes[node_id]
        return node.get("isForCompensation") == "true" or "compensateEventDefinition" in definitions_of(node)

    def waits_itself(self, node_id: str) -> bool:
        kind = self.kind[node_id]
        if kind in WAITING:
            return True
        if kind in ("intermediateCatchEvent", "boundaryEvent"):
            return bool(definitions_of(self.nodes[node_id]) & WAITING_EVENTS)
        return False


def read_diagram(filename: str, tree: etree._ElementTree) -> Diagram:
    diagram = Diagram(filename, tree)
    pending_flows: list[etree._Element] = []
    link_throws: dict[tuple[str, str], list[str]] = defaultdict(list)
    link_catches: dict[tuple[str, str], list[str]] = defaultdict(list)
    for node in tree.getroot().iter():
        name = local(node)
        if name is None:
            continue
        node_id = node.get("id")
        if name in SCOPES and node_id:
            diagram.scopes[node_id] = node
            parent_id = node.getparent().get("id", "") if node.getparent() is not None else ""
            diagram.process_of[node_id] = node_id if name == "process" else diagram.process_of.get(parent_id, "")
        if name in FLOW_NODES and node_id:
            parent = node.getparent()
            diagram.nodes[node_id] = node
            diagram.kind[node_id] = name
            diagram.scope_of[node_id] = parent.get("id", "") if parent is not None else ""
            if name == "boundaryEvent" and node.get("attachedToRef"):
                diagram.boundaries[node.get("attachedToRef")].append(node_id)
        elif name == "sequenceFlow":
            pending_flows.append(node)
        elif name == "linkEventDefinition":
            event = node.getparent()
            key = (str(event.getparent().get("id")), node.get("name") or event.get("name") or "")
            (link_throws if local(event) == "intermediateThrowEvent" else link_catches)[key].append(event.get("id"))
        elif name == "conditionExpression" and local(node.getparent()) == "sequenceFlow":
            diagram.conditions.append((node.getparent(), node.text or "", name))
        elif name in ("loopCondition", "completionCondition", "loopCardinality", "loopDataInputRef"):
            diagram.conditions.append((node.getparent().getparent(), node.text or "", name))
    for flow in pending_flows:
        source, target = flow.get("sourceRef"), flow.get("targetRef")
        if source in diagram.nodes and target in diagram.nodes:
            diagram.flows.append(flow)
            diagram.outgoing[source].append(flow)
            diagram.incoming[target].append(flow)
            diagram.successors[source].append(target)
    for key, throws in link_throws.items():
        for throw in throws:
            diagram.successors[throw].extend(link_catches.get(key, []))
        diagram.links.update(throws)
    for catches in link_catches.values():
        diagram.links.update(catches)
    return diagram


def spiff_texts(tree: etree._ElementTree, *tags: str) -> list[str]:
    """The text of every spiffworkflow:<tag> element of a diagram."""
    return [(n.text or "").strip() for n in tree.getroot().iter(*(f"{{{SPIFF}}}{t}" for t in tags))]
