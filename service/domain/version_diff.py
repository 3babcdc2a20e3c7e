"""What changed between two versions of a process, as a process owner reviews a change.

Why by BPMN id: the engine matches a running case's steps to another version by element id, so the
diff shows the change exactly as a migration sees it. Layout (the diagram interchange part) is not
behaviour: a shape that only moved is no change, it is listed apart under `moved`. The versions are
given as stored — files {name: text} (diagrams, decision tables, translations) and forms
{formKey: form dict} — and the result is plain JSON. The diff of a version with itself is empty.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from .forms import CONTAINER_TYPES
from .forms import keyed_components as form_components  # inputs with their full keys, as validation sees them

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
TRANSLATION_SUFFIX = ".en.json"

# the elements of a diagram that do something; lanes are the `lane` property of what they hold
FLOW_ELEMENTS = frozenset({
    "task", "userTask", "manualTask", "serviceTask", "scriptTask", "businessRuleTask", "sendTask", "receiveTask",
    "callActivity", "subProcess", "transaction", "startEvent", "endEvent", "intermediateCatchEvent",
    "intermediateThrowEvent", "boundaryEvent", "exclusiveGateway", "parallelGateway", "inclusiveGateway",
    "eventBasedGateway", "complexGateway", "sequenceFlow"})
EVENT_DEFINITIONS = ("timerEventDefinition", "messageEventDefinition", "signalEventDefinition",
                     "errorEventDefinition", "escalationEventDefinition", "terminateEventDefinition",
                     "conditionalEventDefinition", "cancelEventDefinition", "compensateEventDefinition")
TIMER_KINDS = ("timeDate", "timeDuration", "timeCycle")
FIELD_ATTRIBUTES = ("label", "type", "required", "validate", "values", "conditional", "defaultValue", "readonly",
                    "disabled")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True)


@dataclass(frozen=True)
class Element:
    process: str
    id: str
    name: str
    type: str
    file: str
    properties: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "type": self.type, "process": self.process}


def _local(node: Any) -> str | None:
    return etree.QName(node).localname if isinstance(node.tag, str) else None


def _text(node: etree._Element | None) -> str | None:
    return (node.text or "").strip() if node is not None else None


def _tree(text: str) -> etree._Element | None:
    """A stored file (checked when it was deployed); one that cannot be read has no elements."""
    try:
        return etree.fromstring(text.encode("utf-8"), _PARSER)
    except etree.XMLSyntaxError:
        return None


def _lanes(root: etree._Element) -> dict[str, str]:
    return {(ref.text or "").strip(): lane.get("name") or lane.get("id") or ""
            for lane in root.iter(f"{{{BPMN}}}lane") for ref in lane.findall(f"{{{BPMN}}}flowNodeRef")}


def _lane_of(node: etree._Element, lanes: Mapping[str, str]) -> str | None:
    """A node inside a subprocess is in the lane of its subprocess unless a lane lists it."""
    current: etree._Element | None = node
    while current is not None:
        if current.get("id") in lanes:
            return lanes[current.get("id") or ""]
        current = current.getparent()
    return None


def _extension(node: etree._Element) -> dict[str, Any]:
    """The custom properties the editor writes: spiffworkflow properties, operation, decision, scripts."""
    found: dict[str, Any] = {}
    holder = node.find(f"{{{BPMN}}}extensionElements")
    if holder is None:
        return found
    for prop in holder.iterfind(f"{{{SPIFF}}}properties/{{{SPIFF}}}property"):
        found[prop.get("name") or ""] = prop.get("value")
    operator = holder.find(f"{{{SPIFF}}}serviceTaskOperator")
    if operator is not None:
        found["operation"] = operator.get("id")
        found["parameters"] = sorted((p.get("id") or "", p.get("type") or "", p.get("value") or "")
                                     for p in operator.iter(f"{{{SPIFF}}}parameter"))
        found["resultVariable"] = operator.get("resultVariable")
    for tag in ("calledDecisionId", "preScript", "postScript"):
        value = _text(holder.find(f"{{{SPIFF}}}{tag}"))
        if value is not None:
            found[tag] = value
    return found


# written or left out, the same to the engine: modelers drop an attribute that holds the schema's default
SCHEMA_DEFAULTS = frozenset({("cancelActivity", "true")})


def _properties(node: etree._Element, kind: str, lanes: Mapping[str, str],
                flows: Mapping[str, tuple[list[str], list[str]]]) -> dict[str, Any]:
    props: dict[str, Any] = {"name": node.get("name") or "", "type": kind,
                             "documentation": [_text(d) for d in node.findall(f"{{{BPMN}}}documentation")]}
    if kind == "sequenceFlow":
        props["flows"] = [node.get("sourceRef"), node.get("targetRef")]
        props["condition"] = _text(node.find(f"{{{BPMN}}}conditionExpression"))
    else:
        props["lane"] = _lane_of(node, lanes)
        props["flows"] = list(flows.get(node.get("id") or "", ([], [])))
    for attribute in ("calledElement", "attachedToRef", "cancelActivity", "default"):
        value = node.get(attribute)
        if value is not None and (attribute, value) not in SCHEMA_DEFAULTS:
            props[attribute] = value
    events = [_local(d) for d in node if _local(d) in EVENT_DEFINITIONS]
    if events:
        props["event"] = events
    for tag in TIMER_KINDS:
        for timer in node.iterfind(f"{{{BPMN}}}timerEventDefinition/{{{BPMN}}}{tag}"):
            props["timer"] = [tag, _text(timer)]
    script = node.find(f"{{{BPMN}}}script")
    if script is not None:
        props["script"] = _text(script)
    loop = node.find(f"{{{BPMN}}}multiInstanceLoopCharacteristics")
    if loop is not None:
        props["loop"] = etree.tostring(loop, encoding="unicode", with_tail=False)
    props.update(_extension(node))
    return props


def _processes(root: etree._Element) -> Iterator[etree._Element]:
    yield from root.iter(f"{{{BPMN}}}process")


def _owning_process(node: etree._Element) -> str:
    current = node.getparent()
    while current is not None and _local(current) != "process":
        current = current.getparent()
    return current.get("id") or "" if current is not None else ""


def diagram_elements(files: Mapping[str, str]) -> dict[tuple[str, str], Element]:
    """(process id, element id) → element, over every diagram of a version (called processes too)."""
    found: dict[tuple[str, str], Element] = {}
    for name, text in sorted(files.items()):
        root = _tree(text) if name.endswith(".bpmn") else None
        if root is None:
            continue
        lanes = _lanes(root)
        for process in _processes(root):
            flows: dict[str, tuple[list[str], list[str]]] = {}
            for flow in process.iter(f"{{{BPMN}}}sequenceFlow"):
                flows.setdefault(flow.get("sourceRef") or "", ([], []))[1].append(flow.get("id") or "")
                flows.setdefault(flow.get("targetRef") or "", ([], []))[0].append(flow.get("id") or "")
            flows = {k: (sorted(i), sorted(o)) for k, (i, o) in flows.items()}
            for node in process.iter():
                kind = _local(node)
                if kind not in FLOW_ELEMENTS or not node.get("id"):
                    continue
                assert kind is not None
                key = (_owning_process(node), node.get("id") or "")
                found[key] = Element(key[0], key[1], node.get("name") or "", kind, name,
                                     _properties(node, kind, lanes, flows))
    return found


def _layout(files: Mapping[str, str]) -> dict[tuple[str, str], Any]:
    """(file, element id) → where the diagram draws it (bounds of a shape, waypoints of an edge)."""
    found: dict[tuple[str, str], Any] = {}
    for name, text in files.items():
        root = _tree(text) if name.endswith(".bpmn") else None
        if root is None:
            continue
        for shape in root.iter(f"{{{BPMNDI}}}BPMNShape", f"{{{BPMNDI}}}BPMNEdge"):
            found[(name, shape.get("bpmnElement") or "")] = [
                sorted(point.attrib.items()) for point in shape.iter() if _local(point) in ("Bounds", "waypoint")]
    return found


def _element_changes(old: Mapping[tuple[str, str], Element], new: Mapping[tuple[str, str], Element],
                     old_files: Mapping[str, str], new_files: Mapping[str, str]) -> dict[str, Any]:
    old_layout, new_layout = _layout(old_files), _layout(new_files)
    changed, moved = [], []
    for key in sorted(set(old) & set(new)):
        before, after = old[key], new[key]
        differ = [p for p in sorted(set(before.properties) | set(after.properties))
                  if before.properties.get(p) != after.properties.get(p)]
        if differ:
            changed.append({**after.summary(), "properties": differ})
        if old_layout.get((before.file, before.id)) != new_layout.get((after.file, after.id)):
            moved.append(after.summary())
    return {"added": [new[k].summary() for k in sorted(set(new) - set(old))],
            "removed": [old[k].summary() for k in sorted(set(old) - set(new))],
            "changed": changed, "moved": moved}


# -- forms -------------------------------------------------------------------------------------------

def form_inputs(form: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Full key → the attributes of an input that matter to whoever fills the form."""
    if not isinstance(form, Mapping) or not isinstance(form.get("components"), list):
        return {}
    found: dict[str, dict[str, Any]] = {}
    for key, component in form_components(form["components"]):
        if component.get("type") in CONTAINER_TYPES:
            continue
        conditional = component.get("conditional")
        found[key] = {
            "label": component.get("label"), "type": component.get("type"),
            "required": bool((component.get("validate") or {}).get("required")),
            "validate": {k: v for k, v in (component.get("validate") or {}).items() if k != "required"},
            "values": component.get("values") or component.get("valuesKey") or component.get("valuesExpression"),
            "conditional": conditional.get("hide") if isinstance(conditional, dict) else conditional,
            "defaultValue": component.get("defaultValue"), "readonly": bool(component.get("readonly")),
            "disabled": bool(component.get("disabled"))}
    return found


def form_changes(key: str, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Fields added, removed and changed (with the attributes that differ); None when the same."""
    before, after = form_inputs(old), form_inputs(new)
    changed = [{"key": k, "attributes": [a for a in FIELD_ATTRIBUTES if before[k].get(a) != after[k].get(a)]}
               for k in before if k in after and before[k] != after[k]]
    added, removed = [k for k in after if k not in before], [k for k in before if k not in after]
    if not (changed or added or removed) and old == new:
        return None
    return {"key": key, "fields_added": added, "fields_removed": removed, "fields_changed": changed}


def incompatible_fields(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> list[str]:
    """Fields a task's form now demands that its holder was never asked for: required (always, not
    hidden by a condition, not read-only) with no default value, and new or not required before.
    Labels, options and optional fields may change under a waiting task; these may not."""
    before, after = form_inputs(old), form_inputs(new)
    return [key for key, attrs in after.items()
            if attrs["required"] and not attrs["readonly"] and not attrs["disabled"]
            and attrs["conditional"] in (None, "") and attrs["defaultValue"] in (None, "", [])
            and not (key in before and before[key]["required"])]


def _form_diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    changed = [found for key in sorted(set(old) & set(new)) if (found := form_changes(key, old[key], new[key]))]
    return {"added": sorted(set(new) - set(old)), "removed": sorted(set(old) - set(new)), "changed": changed}


# -- decision tables -----------------------------------------------------------------------------------

def _decisions(text: str) -> dict[str, dict[str, Any]]:
    """Decision id → its name, table columns and rules by id (input and output entries, description)."""
    root = _tree(text)
    found: dict[str, dict[str, Any]] = {}
    for decision in root if root is not None else []:
        if _local(decision) != "decision":
            continue
        table = next((c for c in decision if _local(c) == "decisionTable"), None)
        columns: list[Any] = []
        rules: dict[str, Any] = {}
        for part in table if table is not None else []:
            kind = _local(part)
            if kind in ("input", "output"):
                columns.append([kind, part.get("label"), part.get("name"),
                                "".join(t.strip() for t in part.itertext())])
            elif kind == "rule":
                rules[part.get("id") or f"#{len(rules)}"] = [[_local(e), "".join(e.itertext()).strip()]
                                                             for e in part if _local(e)]
        found[decision.get("id") or ""] = {
            "name": decision.get("name") or "", "columns": columns, "rules": rules,
            "hitPolicy": table.get("hitPolicy") if table is not None else None}
    return found


def _decision_changes(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for decision_id in sorted(set(old) | set(new)):
        before, after = old.get(decision_id), new.get(decision_id)
        if before == after:
            continue
        if before is None or after is None:
            status = "added" if before is None else "removed"
            found.append({"id": decision_id, "name": (after or before or {}).get("name", ""), "status": status,
                          "rules_added": [], "rules_removed": [], "rules_changed": [], "table_changed": False})
            continue
        old_rules, new_rules = before["rules"], after["rules"]
        found.append({"id": decision_id, "name": after["name"], "status": "changed",
                      "rules_added": [r for r in new_rules if r not in old_rules],
                      "rules_removed": [r for r in old_rules if r not in new_rules],
                      "rules_changed": [r for r in old_rules if r in new_rules and old_rules[r] != new_rules[r]],
                      "table_changed": any(before[k] != after[k] for k in ("name", "columns", "hitPolicy"))})
    return found


def _table_diff(old_files: Mapping[str, str], new_files: Mapping[str, str]) -> dict[str, Any]:
    old = {n for n in old_files if n.endswith(".dmn")}
    new = {n for n in new_files if n.endswith(".dmn")}
    changed = []
    for name in sorted(old & new):
        if old_files[name] != new_files[name]:
            decisions = _decision_changes(_decisions(old_files[name]), _decisions(new_files[name]))
            if decisions:
                changed.append({"file": name, "decisions": decisions})
    return {"added": sorted(new - old), "removed": sorted(old - new), "changed": changed}


def _translation_diff(old_files: Mapping[str, str], new_files: Mapping[str, str]) -> dict[str, Any]:
    old = {n for n in old_files if n.endswith(TRANSLATION_SUFFIX)}
    new = {n for n in new_files if n.endswith(TRANSLATION_SUFFIX)}
    return {"added": sorted(new - old), "removed": sorted(old - new),
            "changed": sorted(n for n in old & new if old_files[n] != new_files[n])}


def diff_versions(old_files: Mapping[str, str], old_forms: Mapping[str, Any],
                  new_files: Mapping[str, str], new_forms: Mapping[str, Any]) -> dict[str, Any]:
    """Elements, forms, decision tables and translations: what was added, removed and changed."""
    return {"elements": _element_changes(diagram_elements(old_files), diagram_elements(new_files),
                                         old_files, new_files),
            "forms": _form_diff(old_forms, new_forms), "tables": _table_diff(old_files, new_files),
            "translations": _translation_diff(old_files, new_files)}


def is_empty(diff: Mapping[str, Any]) -> bool:
    """No change at all (moves of shapes aside)."""
    return not any(values for part, found in diff.items() if isinstance(found, Mapping)
                   for name, values in found.items() if name != "moved")
