"""`camunda:decisionRef` on a business rule task → `spiffworkflow:calledDecisionId`, the reference
this engine reads (without it the task would silently decide nothing)."""

from __future__ import annotations

from lxml import etree

from . import BPMN, Finding, Fix, dialect_attribute, finding, juel
from .spiff import extension_text, set_extension_text


def findings(tree: etree._ElementTree) -> list[Finding]:
    found: list[Finding] = []
    for node in tree.iter(f"{{{BPMN}}}businessRuleTask"):
        ref = dialect_attribute(node, "decisionRef")
        if ref is None or extension_text(node, "calledDecisionId"):
            continue
        attribute, value = ref
        if juel.is_juel(value) or not value.strip():
            found.append(finding(node, "foreign.decision_ref_dynamic", attribute=attribute, value=value))
            continue
        decision = value.strip()

        def apply(node: etree._Element = node, decision: str = decision) -> None:
            set_extension_text(node, "calledDecisionId", decision)

        found.append(finding(node, "foreign.decision_ref", Fix(f'{attribute}="{value}"',
                                                               f"spiffworkflow:calledDecisionId {decision}", apply),
                             attribute=attribute))
    return found
