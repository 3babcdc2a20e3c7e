"""Camunda 8 (Zeebe) extensions: where a call activity's target, a decision, a task's people and its form are
written there, and what only Zeebe's workers run (`zeebe:taskDefinition`)."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from . import ZEEBE, Finding, Fix, finding
from .forms import form_key
from .lanes import lane_of, lanes_by_node, put_in_lane
from .spiff import extension_text, property_of, set_extension_text, set_property


def findings(tree: etree._ElementTree, resolve_role: Callable[[str | None], str | None]) -> list[Finding]:
    found: list[Finding] = []
    for node in tree.iter(f"{{{ZEEBE}}}calledElement"):
        activity = node.getparent().getparent()
        target = (node.get("processId") or "").strip()
        if target and not target.startswith("=") and activity.get("calledElement") != target:
            found.append(finding(activity, "foreign.zeebe_called_element", Fix(
                f'zeebe:calledElement processId="{target}"', f'calledElement="{target}"',
                _setter(activity, "calledElement", target))))
    for node in tree.iter(f"{{{ZEEBE}}}calledDecision"):
        task = node.getparent().getparent()
        decision = (node.get("decisionId") or "").strip()
        if decision and not decision.startswith("=") and extension_text(task, "calledDecisionId") is None:
            found.append(finding(task, "foreign.decision_ref", Fix(
                f'zeebe:calledDecision decisionId="{decision}"', f"spiffworkflow:calledDecisionId {decision}",
                _decision(task, decision)), attribute="zeebe:calledDecision"))
    for node in tree.iter(f"{{{ZEEBE}}}taskDefinition"):
        found.append(finding(node, "foreign.engine_call", attribute="zeebe:taskDefinition type",
                             value=node.get("type") or ""))
    lanes = lanes_by_node(tree)
    for node in tree.iter(f"{{{ZEEBE}}}assignmentDefinition"):
        task = node.getparent().getparent()
        groups = (node.get("candidateGroups") or "").strip()
        if groups and lane_of(task, lanes) is None:
            found.append(_group(task, groups, resolve_role))
    for node in tree.iter(f"{{{ZEEBE}}}formDefinition"):
        task = node.getparent().getparent()
        reference = node.get("formKey") or node.get("formId") or ""
        key = form_key(reference) if reference and not reference.startswith("=") else None
        if key and property_of(task, "formKey") is None:
            found.append(finding(task, "foreign.form_key", Fix(f'zeebe:formDefinition "{reference}"',
                                                               f"formKey {key}", _property(task, key)),
                                 attribute="zeebe:formDefinition", form_file=f"forms/<process_id>/{key}.form"))
    return found


def _group(task: etree._Element, groups: str, resolve_role: Callable[[str | None], str | None]) -> Finding:
    roles = {resolve_role(g.strip()) for g in groups.split(",") if g.strip()}
    if len(roles) != 1 or None in roles:
        return finding(task, "foreign.candidate_group_not_role", attribute="zeebe:candidateGroups", value=groups,
                       groups=groups)
    role = str(roles.pop())

    def apply() -> None:
        put_in_lane(task, role)

    return finding(task, "foreign.candidate_group", Fix(f'zeebe:candidateGroups="{groups}"', f"lane {role}", apply),
                   attribute="zeebe:candidateGroups", role=role)


def _setter(node: etree._Element, name: str, value: str) -> Callable[[], None]:
    def apply() -> None:
        node.set(name, value)
    return apply


def _decision(node: etree._Element, decision: str) -> Callable[[], None]:
    def apply() -> None:
        set_extension_text(node, "calledDecisionId", decision)
    return apply


def _property(node: etree._Element, key: str) -> Callable[[], None]:
    def apply() -> None:
        set_property(node, "formKey", key)
    return apply
