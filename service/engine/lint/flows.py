"""Rules on the sequence-flow graph of one diagram (bpmnlint's recommended set, as this engine needs them).

Refused: a process or sub-process without start or end event; elements nothing connects to or that
lead nowhere (implicit start/end); elements no path from a start event reaches; loops that never
wait for a person or an event (the engine would spin until it gives up); gateway flows that have
no condition and are not the default (the engine raises when it reaches them).
Warned: gateways that decide nothing; tasks and events without a name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Set

from service.domain.messages import Message, Words

from ..definitions import BPMN
from ..problems import Problem, words_of
from . import graph
from .diagram import ACTIVITIES, EVENTS, GATEWAYS, Diagram

_SHOWN_IN_LOOP = 8  # ids named in an endless-loop message before "…"


def words(kind: str) -> str:
    """`userTask` → `user task`, as the message says what the element is."""
    return re.sub(r"(?<!^)([A-Z])", lambda m: " " + m.group(1).lower(), kind)


def kind_words(kind: str) -> Words:
    """What an element is, in both languages (the English as `words` says it)."""
    return words_of("bpmn." + words(kind).replace(" ", "_"))


def what(diagram: Diagram, node_id: str) -> Words:
    node = diagram.nodes.get(node_id)
    if node is None:
        node = diagram.scopes[node_id]
    name = (node.get("name") or "").strip()
    kind = kind_words(diagram.kind.get(node_id) or str(node.tag).rsplit("}", 1)[-1])
    return words_of("lint.named", kind=kind, name=name) if name else kind


class FlowRules:
    def __init__(self, diagram: Diagram, waiting_processes: Set[str], known_processes: Set[str]):
        self.diagram = diagram
        self.waiting_processes = waiting_processes
        self.known_processes = known_processes
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        # the engine's steps: sequence flows and links, and from an activity into its boundary events
        self.steps: dict[str, list[str]] = {n: list(diagram.successors.get(n, ())) for n in diagram.nodes}
        for host, events in diagram.boundaries.items():
            if host in self.steps:
                self.steps[host].extend(events)

    def problem(self, node_id: str, code: str, **params: object) -> None:
        self.problems.append(Problem.said(self.diagram.filename, self.diagram.line(node_id), node_id,
                                          Message(code, params)))

    def warning(self, node_id: str, code: str, **params: object) -> None:
        """Its sentence starts with `warning:` (提示：in Chinese)."""
        self.warnings.append(Problem.said(self.diagram.filename, self.diagram.line(node_id), node_id,
                                          Message(code, params)))

    def run(self) -> None:
        self.start_and_end_events()
        self.connections()
        self.endless_loops()
        self.gateway_flows()
        self.names()

    # -- start and end events -------------------------------------------------------------------------------

    def start_and_end_events(self) -> None:
        d = self.diagram
        starts: set[str] = set()
        ends: set[str] = set()
        populated: set[str] = set()
        for node_id, kind in d.kind.items():
            scope = d.scope_of[node_id]
            populated.add(scope)
            if kind == "startEvent":
                starts.add(scope)
            elif kind == "endEvent":
                ends.add(scope)
        for scope_id, scope in d.scopes.items():
            kind = str(scope.tag).rsplit("}", 1)[-1]
            if kind == "adHocSubProcess" or (kind == "process" and scope_id not in populated):
                continue  # ad-hoc steps need no flows; an empty pool is another party
            if scope_id not in starts:
                self.problem(scope_id, "lint.no_start" if kind == "process" else "lint.no_start_inside",
                             what=what(d, scope_id))
            if scope_id not in ends:
                self.problem(scope_id, "lint.no_end" if kind == "process" else "lint.no_end_inside",
                             what=what(d, scope_id))

    # -- implicit start and end, unreachable ------------------------------------------------------------------

    def _exempt(self, node_id: str) -> bool:
        """Started by something other than a sequence flow, and ending without one."""
        d = self.diagram
        return (d.is_event_subprocess(node_id) or d.is_compensation(node_id)
                or d.kind.get(d.scope_of[node_id]) == "adHocSubProcess")

    def connections(self) -> None:
        d = self.diagram
        roots = [n for n, kind in d.kind.items() if kind == "startEvent" or self._exempt(n)]
        reached = graph.reachable(roots, self.steps)
        for node_id, kind in d.kind.items():
            if self._exempt(node_id):
                continue
            no_in = not d.incoming.get(node_id) and kind not in ("startEvent", "boundaryEvent") \
                and node_id not in d.links
            no_out = not d.outgoing.get(node_id) and kind != "endEvent" and node_id not in d.links
            if no_in and no_out:
                self.problem(node_id, "lint.not_connected", what=what(d, node_id))
                continue
            if no_in:
                self.problem(node_id, "lint.no_incoming", what=what(d, node_id))
            elif node_id not in reached:
                self.problem(node_id, "lint.unreachable", what=what(d, node_id))
            if no_out:
                self.problem(node_id, "lint.no_outgoing", what=what(d, node_id))

    # -- loops that never wait ----------------------------------------------------------------------------------

    def _waiting(self) -> set[str]:
        """Nodes where the engine stops for a person or an event: waiting tasks and events, calls of
        processes that wait (or that this bundle does not hold), sub-processes holding either."""
        d = self.diagram
        waiting = {n for n in d.nodes if d.waits_itself(n) or self._call_waits(n)}
        for node_id in list(waiting):  # a sub-process waits when anything inside it does
            scope = d.scope_of[node_id]
            while scope in d.nodes and scope not in waiting:
                waiting.add(scope)
                scope = d.scope_of[scope]
        return waiting

    def _call_waits(self, node_id: str) -> bool:
        if self.diagram.kind[node_id] != "callActivity":
            return False
        called = self.diagram.nodes[node_id].get("calledElement") or ""
        return called in self.waiting_processes or called not in self.known_processes

    def endless_loops(self) -> None:
        d = self.diagram
        waiting = self._waiting()
        for component in graph.cycles(list(d.nodes), self.steps):
            if any(n in waiting for n in component):
                continue
            members = set(component)
            at = next((n for n in component if d.kind[n] in GATEWAYS), component[0])
            path = graph.cycle_through(at, members, self.steps)
            shown = path[:_SHOWN_IN_LOOP] + (["…"] if len(path) > _SHOWN_IN_LOOP else []) + [at]
            self.problem(at, "lint.endless_loop", path=" → ".join(shown))

    # -- gateways -------------------------------------------------------------------------------------------

    def gateway_flows(self) -> None:
        d = self.diagram
        for node_id, kind in d.kind.items():
            outgoing = d.outgoing.get(node_id, [])
            if kind in GATEWAYS and len(outgoing) == 1 and len(d.incoming.get(node_id, [])) == 1:
                self.warning(node_id, "lint.pointless_gateway", what=what(d, node_id))
            if kind not in ("exclusiveGateway", "inclusiveGateway") or len(outgoing) < 2:
                continue
            default = d.nodes[node_id].get("default")
            for flow in outgoing:
                if flow.get("id") != default and flow.find(f"{{{BPMN}}}conditionExpression") is None:
                    self.problems.append(Problem.said(d.filename, flow.sourceline, flow.get("id", ""), Message(
                        "lint.flow_without_condition", {"what": what(d, node_id)})))

    def names(self) -> None:
        d = self.diagram
        for node_id, kind in d.kind.items():
            if kind not in ACTIVITIES and kind not in EVENTS:
                continue
            inner_edge = kind in ("startEvent", "endEvent") and d.scope_of[node_id] in d.nodes
            if not inner_edge and not (d.nodes[node_id].get("name") or "").strip():
                self.warning(node_id, "lint.unnamed", kind=kind_words(kind))


def flow_report(diagram: Diagram, waiting_processes: Set[str], known_processes: Iterable[str]
                ) -> tuple[list[Problem], list[Problem]]:
    rules = FlowRules(diagram, waiting_processes, set(known_processes))
    rules.run()
    return rules.problems, rules.warnings
