"""Diagram rules beyond what the engine parses: reachability, start and end events, loops that never
wait, gateway flows, timers, condition variables — the checks `guicheng validate`, the upload API and
the editor's 校验 all run (through the deploy check), so they agree.

Each rule reads the bundle's files once into a `Diagram` and walks it without recursion, so a
generated diagram of ten thousand elements is checked as quickly as a small one. What refuses a
deploy and what is only a warning is said in each rule's module.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from lxml import etree

from ..definitions import BPMN, ParsedBundle
from ..problems import Problem
from ..xml_safety import XmlRejected, parse_xml
from .diagram import Diagram, local, read_diagram
from .flows import flow_report
from .timers import timer_problems
from .variables import SERVER_VARIABLES, condition_report, decision_outputs, diagram_variables, form_variables

__all__ = ["bundle_problems", "bundle_report", "bundle_warnings"]


def bundle_problems(parsed: ParsedBundle, forms: dict[str, Any]) -> list[Problem]:
    """Problems that refuse a deploy, each with file, line and element id."""
    return bundle_report(parsed, forms)[0]


def bundle_warnings(parsed: ParsedBundle, forms: dict[str, Any]) -> list[Problem]:
    """What is worth fixing but deployable (messages start with `warning:`)."""
    return bundle_report(parsed, forms)[1]


def bundle_report(parsed: ParsedBundle, forms: dict[str, Any]) -> tuple[list[Problem], list[Problem]]:
    """(problems, warnings) of every diagram in the bundle: the main one and those it calls."""
    trees = _trees(parsed.files)
    diagrams = [read_diagram(name, tree) for name, tree in trees.items() if name.endswith(".bpmn")]
    processes = {pid for d in diagrams for pid, scope in d.scopes.items() if local(scope) == "process"}
    calls = _calls(diagrams)
    waiting = _waiting_processes(diagrams, calls, processes)
    decisions = decision_outputs(tree for name, tree in trees.items() if name.endswith(".dmn"))
    known = set(SERVER_VARIABLES) | form_variables(forms)
    for diagram in diagrams:
        known |= diagram_variables(diagram, decisions)
    certain = all(called in processes for _caller, called in calls)
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for diagram in diagrams:
        ignored = _not_run(diagram)
        refused, warned = flow_report(diagram, waiting, processes)
        timers = timer_problems(diagram, known)
        conditions, unsure = condition_report(diagram, known, certain)
        problems += [p for p in refused + timers + conditions if p.element_id not in ignored]
        warnings += [w for w in warned + unsure if w.element_id not in ignored]
    return problems, warnings


def _not_run(diagram: Diagram) -> set[str]:
    """The ids inside processes that are not executable (another party's pool, documentation): the
    engine never runs them, so nothing in them refuses a deploy."""
    ignored: set[str] = set()
    for process in diagram.tree.getroot().iter(f"{{{BPMN}}}process"):
        if process.get("isExecutable", "true") != "true":
            ignored |= {n.get("id") for n in process.iter() if isinstance(n.tag, str) and n.get("id")}
    return ignored


def _trees(files: dict[str, bytes]) -> dict[str, etree._ElementTree]:
    trees = {}
    for name, data in files.items():
        if name.endswith((".bpmn", ".dmn")):
            try:
                trees[name] = parse_xml(data, name)
            except XmlRejected:
                continue  # reported with its line by the parse before
    return trees


def _calls(diagrams: Iterable[Diagram]) -> list[tuple[str, str]]:
    """(calling process, called process) for every call activity."""
    return [(d.process_of.get(d.scope_of[n], ""), d.nodes[n].get("calledElement") or "")
            for d in diagrams for n, kind in d.kind.items() if kind == "callActivity"]


def _waiting_processes(diagrams: Iterable[Diagram], calls: list[tuple[str, str]], known: set[str]) -> set[str]:
    """Processes in which a case waits somewhere: a waiting step of their own, or a call of one that
    waits or that the bundle does not hold (it may well wait)."""
    waiting = {d.process_of.get(d.scope_of[n], "") for d in diagrams for n in d.nodes if d.waits_itself(n)}
    callers: dict[str, set[str]] = defaultdict(set)
    for caller, called in calls:
        callers[called].add(caller)
        if called not in known:
            waiting.add(caller)
    pending = list(waiting)
    while pending:
        for caller in callers.get(pending.pop(), ()):
            if caller not in waiting:
                waiting.add(caller)
                pending.append(caller)
    return waiting
