"""Which lane an element is in, and putting an element into the lane of a role."""

from __future__ import annotations

from lxml import etree

from . import BPMN

_BEFORE_LANES = frozenset(f"{{{BPMN}}}{tag}" for tag in (
    "documentation", "extensionElements", "supportedInterfaceRef", "ioSpecification", "ioBinding", "auditing",
    "monitoring", "property"))


def lanes_by_node(tree: etree._ElementTree) -> dict[str, etree._Element]:
    found: dict[str, etree._Element] = {}
    for lane in tree.iter(f"{{{BPMN}}}lane"):
        for ref in lane.findall(f"{{{BPMN}}}flowNodeRef"):
            found[(ref.text or "").strip()] = lane
    return found


def lane_of(node: etree._Element, lanes: dict[str, etree._Element]) -> etree._Element | None:
    """A node inside a subprocess is in the lane of the subprocess unless a lane lists it."""
    current: etree._Element | None = node
    while current is not None:
        if current.get("id") in lanes:
            return lanes[current.get("id")]
        current = current.getparent()
    return None


def process_of(node: etree._Element) -> etree._Element | None:
    current: etree._Element | None = node
    while current is not None and current.tag != f"{{{BPMN}}}process":
        current = current.getparent()
    return current


def put_in_lane(node: etree._Element, lane_name: str) -> None:
    """Lists `node` in the lane called `lane_name` of its process, making the lane (set) if needed."""
    process = process_of(node)
    if process is None:
        return
    lane_set = process.find(f"{{{BPMN}}}laneSet")
    if lane_set is None:
        lane_set = etree.Element(f"{{{BPMN}}}laneSet", id=_free_id(process, "LaneSet_imported"))
        lane_set.tail = process.text
        # after what the schema puts before lane sets, before the flow elements
        at = 0
        while at < len(process) and (not isinstance(process[at].tag, str) or process[at].tag in _BEFORE_LANES):
            at += 1
        process.insert(at, lane_set)
    lane = next((ln for ln in lane_set.iter(f"{{{BPMN}}}lane") if ln.get("name") == lane_name), None)
    if lane is None:
        lane = etree.SubElement(lane_set, f"{{{BPMN}}}lane", id=_free_id(process, f"Lane_{lane_name}"),
                                name=lane_name)
    ref = etree.SubElement(lane, f"{{{BPMN}}}flowNodeRef")
    ref.text = node.get("id")


def _free_id(process: etree._Element, wanted: str) -> str:
    root = process.getroottree()
    candidate, n = wanted, 1
    while root.xpath("//*[@id=$id]", id=candidate):
        n += 1
        candidate = f"{wanted}_{n}"
    return candidate
