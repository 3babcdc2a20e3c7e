"""Condition variables nothing sets: a gateway reading a name no form, task, decision or message of the
bundle ever sets raises a NameError in a running case, usually a typo of a form field's key.

What counts as set is looked up across the whole bundle, not path by path: a variable set on some
path before the condition is often right (the other paths never reach it), and a check that refused
those would refuse good diagrams. A call activity's variables come back to its caller, and the
called processes' diagrams and forms are part of the bundle (the engine refuses a call of a process
the bundle lacks), so what they set counts too. Should the lint meet a call of a process it does not
hold, nothing can be known about what that sets: unknown names are then only warned about.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from typing import Any

from lxml import etree

from service.domain.forms import form_fields
from service.domain.messages import Message

from .. import safe_eval
from ..definitions import BPMN, SPIFF
from ..problems import Problem, words_of
from .diagram import Diagram, local, spiff_texts

# set by the server when a case starts (service/operations/cases.py)
SERVER_VARIABLES = frozenset({"received_at", "started_by", "business_key"})
# the functions a diagram's expressions have: Python's other built-ins (`input`, `open`, …) are not
# there, so a condition reading `input` reads a case variable of that name like any other
_ALWAYS = frozenset(safe_eval.SAFE_FUNCTIONS)


def _tree(source: str, mode: str) -> ast.AST | None:
    try:
        return ast.parse(source.strip() if mode == "eval" else source, mode=mode)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None  # refused with its reason by the expression check


def names_read(source: str) -> set[str]:
    """The variables an expression reads: names it loads, less those it binds itself (comprehension
    targets, `:=`) and the built-in functions."""
    tree = _tree(source, "eval")
    if tree is None:
        return set()
    loaded: set[str] = set()
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return loaded - bound - _ALWAYS


def names_assigned(script: str) -> set[str]:
    """The variables a script sets (every name it assigns to)."""
    tree = _tree(script, "exec")
    if tree is None:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}


def _head(key: str) -> str:
    """`contact.phone` and `items[].name` are held by the case variables `contact` and `items`."""
    return key.split(".", 1)[0].split("[", 1)[0]


def form_variables(forms: Mapping[str, Any]) -> set[str]:
    return {_head(f.key) for form in forms.values() if isinstance(form, Mapping) for f in form_fields(form)}


def decision_outputs(trees: Iterable[etree._ElementTree]) -> dict[str, set[str]]:
    """Decision id → the variables its table's outputs set."""
    found: dict[str, set[str]] = {}
    for tree in trees:
        for decision in tree.getroot():
            if isinstance(decision.tag, str) and etree.QName(decision).localname == "decision":
                found[decision.get("id", "")] = {
                    _head(out.get("name") or "") for out in decision.iter()
                    if isinstance(out.tag, str) and etree.QName(out).localname == "output" and out.get("name")}
    return found


def diagram_variables(diagram: Diagram, decisions: Mapping[str, set[str]]) -> set[str]:
    """What the tasks, events and data of one diagram set."""
    root = diagram.tree.getroot()
    found: set[str] = set()
    for node in root.iter(f"{{{BPMN}}}script", f"{{{SPIFF}}}preScript", f"{{{SPIFF}}}postScript"):
        found |= names_assigned(node.text or "")
    for node in root.iter(f"{{{SPIFF}}}serviceTaskOperator"):
        found.add(node.get("resultVariable") or "")
    for called in spiff_texts(diagram.tree, "calledDecisionId"):
        found |= decisions.get(called, set())
    for node in root.iter(f"{{{BPMN}}}inputDataItem", f"{{{BPMN}}}outputDataItem", f"{{{BPMN}}}dataObject",
                          f"{{{BPMN}}}dataInput", f"{{{BPMN}}}dataOutput"):
        found |= {node.get("name") or "", node.get("id") or ""}
    for node in root.iter(f"{{{BPMN}}}loopDataOutputRef"):
        found.add((node.text or "").strip())
    found.update(spiff_texts(diagram.tree, "messageVariable", "variableName"))
    found.discard("")
    return found


# a case stops when it reaches a multi-instance activity whose collection or count nothing set
_MULTI_INSTANCE_CODES = {"loopDataInputRef": "lint.collection_unknown", "loopCardinality": "lint.cardinality_unknown"}


def condition_report(diagram: Diagram, known: set[str], certain: bool) -> tuple[list[Problem], list[Problem]]:
    """Conditions reading names nothing sets: refused, or only warned about when `certain` is False
    (a called process the bundle does not hold might set them)."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for element, source, written_in in diagram.conditions:
        unknown = sorted(names_read(source) - known)
        if not unknown:
            continue
        listed = ", ".join(f"'{n}'" for n in unknown)
        code = ("lint.condition_unknown" if local(element) == "sequenceFlow" else
                _MULTI_INSTANCE_CODES.get(written_in, "lint.loop_condition_unknown"))
        said = Message(code, {"names": listed})
        if not certain:
            said = Message("lint.unless_called_sets", {"said": words_of(code, names=listed)})
        (problems if certain else warnings).append(
            Problem.said(diagram.filename, element.sourceline, element.get("id", ""), said))
    return problems, warnings
