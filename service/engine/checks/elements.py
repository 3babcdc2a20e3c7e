"""Elements a diagram from another modeler often holds that this engine would accept and then fail on,
or stop at for ever, in a running case: each refused at deploy, once, at its own line, with the fix.

- a `bpmn:task` without a type: the engine makes it a manual step for nobody;
- loops and multi-instance activities without what they loop over;
- call activities whose process none of the files holds, or that is not executable;
- business rule tasks naming their decision the Camunda way (`camunda:decisionRef`, ignored here)
  or not at all, or naming a decision no table holds;
- data stores (a database outside the process), which the engine refuses without a line;
- a link throw whose catch of the same name is not beside it (the path would just end there), or a
  link name caught twice (which one goes on?);
- one id used by two elements, which the schema reports as a type error of `xs:ID`;
- the constructs the engine has no implementation of (a complex gateway, a compensation boundary
  event), which it refuses in words of its own, without a line.

The expressions these elements hold (loop, completion and event conditions, cardinality) are
returned to the caller, which checks every expression the same way.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Set
from dataclasses import dataclass

from lxml import etree

from service.domain.messages import Message

from ..problems import Problem

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
_B = f"{{{BPMN}}}"
CALLED_DECISION = "spiffworkflow:calledDecisionId"


@dataclass(frozen=True)
class Expression:
    """An expression an element holds: where, what it is (a catalogue code) and its text."""

    node: etree._Element
    what: str
    source: str | None


@dataclass(frozen=True)
class BundleIndex:
    processes: Mapping[str, bool]  # every process of the bundle's diagrams → executable
    decisions: Set[str]  # every decision of its tables


# the namespaces whose `id` attributes the schema types as xs:ID (extensions have ids of their own kind)
_ID_NAMESPACES = (BPMN, "http://www.omg.org/spec/BPMN/20100524/DI", "http://www.omg.org/spec/DD/20100524/DI")


def duplicate_ids(filename: str, tree: etree._ElementTree) -> list[Problem]:
    """Each id given to more than one BPMN element, with the lines of the first two."""
    first: dict[str, etree._Element] = {}
    problems: list[Problem] = []
    reported: set[str] = set()
    for node in tree.getroot().iter():
        element_id = node.get("id") if isinstance(node.tag, str) and node.tag[1:].startswith(_ID_NAMESPACES) else None
        if not element_id:
            continue
        if element_id in first and element_id not in reported:
            reported.add(element_id)
            problems.append(Problem.said(filename, node.sourceline, element_id, Message("elements.id_twice", {
                "id": element_id, "first": first[element_id].sourceline, "second": node.sourceline})))
        first.setdefault(element_id, node)
    return problems


def unsupported(filename: str, tree: etree._ElementTree) -> list[Problem]:
    """What the engine cannot run at all, said with what to use instead."""
    root = tree.getroot()
    found = [Problem.said(filename, node.sourceline, node.get("id", ""), Message("elements.complex_gateway"))
             for node in root.iter(f"{_B}complexGateway")]
    found += [Problem.said(filename, node.sourceline, node.get("id", ""), Message("elements.compensation_boundary"))
              for node in root.iter(f"{_B}boundaryEvent") if node.find(f"{_B}compensateEventDefinition") is not None]
    return found + list(_starts_that_never_start(filename, root))


# what starts a case here: a person or a system (none start), a message; these would wait for ever
_WAITING_STARTS = {"timerEventDefinition": "elements.timer_start", "signalEventDefinition": "elements.signal_start"}


def _starts_that_never_start(filename: str, root: etree._Element) -> Iterator[Problem]:
    """Start events of a process or an ordinary subprocess (not an event subprocess) that nothing here
    would ever trigger, or that BPMN allows only in an event subprocess."""
    for node in root.iter(f"{_B}startEvent"):
        holder = node.getparent()
        if holder is None or holder.get("triggeredByEvent") == "true":
            continue
        for definition in node:
            kind = etree.QName(definition).localname if isinstance(definition.tag, str) else ""
            if kind in _WAITING_STARTS:
                yield _said(filename, node, _WAITING_STARTS[kind])
            elif kind in ("errorEventDefinition", "escalationEventDefinition", "compensateEventDefinition"):
                yield _said(filename, node, "elements.start_only_in_event_subprocess",
                            kind=kind.removesuffix("EventDefinition"))


def data_stores(filename: str, tree: etree._ElementTree) -> list[Problem]:
    return [Problem.said(filename, node.sourceline, node.get("id", ""), Message("elements.data_store", {
                "name": node.get("name") or node.get("id") or "?"}))
            for node in tree.getroot().iter(f"{_B}dataStore")]


def element_problems(filename: str, process: etree._Element, index: BundleIndex) -> Iterator[Problem]:
    for node in process.iter(f"{_B}task"):
        yield _said(filename, node, "elements.untyped_task")
    for node in process.iter(f"{_B}callActivity"):
        yield from _call(filename, node, index)
    for node in process.iter(f"{_B}businessRuleTask"):
        yield from _business_rule(filename, node, index)
    for loop in process.iter(f"{_B}standardLoopCharacteristics"):
        yield from _standard_loop(filename, loop)
    for loop in process.iter(f"{_B}multiInstanceLoopCharacteristics"):
        yield from _multi_instance(filename, loop)
    for container in (process, *process.iter(f"{_B}subProcess", f"{_B}transaction", f"{_B}adHocSubProcess")):
        yield from _links(filename, container)


def expressions(process: etree._Element) -> Iterator[Expression]:
    """Loop, completion and event conditions and cardinalities: evaluated by the engine at run time."""
    for tag, what in (("loopCondition", "diagram.what_loop_condition"),
                      ("completionCondition", "diagram.what_completion_condition"),
                      ("loopCardinality", "diagram.what_cardinality")):
        for node in process.iter(f"{_B}{tag}"):
            yield Expression(node.getparent().getparent(), what, node.text)
    for definition in process.iter(f"{_B}conditionalEventDefinition"):
        condition = definition.find(f"{_B}condition")
        yield Expression(definition.getparent(), "diagram.what_event_condition",
                         condition.text if condition is not None else None)


def _said(filename: str, node: etree._Element, code: str, **params: object) -> Problem:
    return Problem.said(filename, node.sourceline, node.get("id", ""), Message(code, params))


def _call(filename: str, node: etree._Element, index: BundleIndex) -> Iterator[Problem]:
    called = (node.get("calledElement") or "").strip()
    if not called:
        yield _said(filename, node, "elements.call_names_nothing")
    elif called not in index.processes:
        yield _said(filename, node, "elements.call_target_missing", process=called)
    elif not index.processes[called]:
        yield _said(filename, node, "elements.call_target_not_executable", process=called)


def _business_rule(filename: str, node: etree._Element, index: BundleIndex) -> Iterator[Problem]:
    called = [(n.text or "").strip() for n in node.iter(f"{{{SPIFF}}}calledDecisionId")]
    camunda = node.get(f"{{{CAMUNDA}}}decisionRef")
    if not any(called):
        if camunda:
            yield _said(filename, node, "elements.camunda_decision_ref", decision=camunda,
                        camunda="camunda:decisionRef", spiff=CALLED_DECISION)
        else:
            yield _said(filename, node, "elements.no_decision", spiff=CALLED_DECISION)
        return
    known = ", ".join(sorted(index.decisions)) or "-"
    for decision in called:
        if decision and decision not in index.decisions:
            yield _said(filename, node, "elements.decision_missing", decision=decision, known=known)


def _link_events(container: etree._Element, tag: str) -> dict[str, list[etree._Element]]:
    found: dict[str, list[etree._Element]] = {}
    for node in container.iterchildren(f"{_B}{tag}"):
        definition = node.find(f"{_B}linkEventDefinition")
        if definition is not None:
            found.setdefault(definition.get("name") or definition.get("id") or "", []).append(node)
    return found


def _links(filename: str, container: etree._Element) -> Iterator[Problem]:
    """Link events pair by name within one process level: the engine follows a throw to its one catch."""
    catches = _link_events(container, "intermediateCatchEvent")
    for name, throws in _link_events(container, "intermediateThrowEvent").items():
        if name not in catches:
            for throw in throws:
                yield _said(filename, throw, "elements.link_without_catch", link=name)
    for name, nodes in catches.items():
        for twin in nodes[1:]:
            yield _said(filename, twin, "elements.link_caught_twice", link=name, first=nodes[0].get("id", ""))


def _standard_loop(filename: str, loop: etree._Element) -> Iterator[Problem]:
    # a loopMaximum that is no whole number is refused by the schema (xs:integer) before this
    if loop.get("loopMaximum") is None and loop.find(f"{_B}loopCondition") is None:
        yield _said(filename, loop.getparent(), "elements.loop_without_end")


def _multi_instance(filename: str, loop: etree._Element) -> Iterator[Problem]:
    host = loop.getparent()
    cardinality = loop.find(f"{_B}loopCardinality")
    collection = loop.find(f"{_B}loopDataInputRef")
    camunda_collection = loop.get(f"{{{CAMUNDA}}}collection")
    if cardinality is None and collection is None:
        if camunda_collection:
            yield _said(filename, host, "elements.camunda_collection", collection=camunda_collection,
                        camunda="camunda:collection")
        else:
            yield _said(filename, host, "elements.multi_instance_over_nothing")
    elif cardinality is not None and collection is not None:
        yield _said(filename, host, "elements.multi_instance_both")
    elif collection is not None and not (collection.text or "").strip().isidentifier():
        yield _said(filename, host, "elements.multi_instance_collection", text=(collection.text or "").strip()[:80])
