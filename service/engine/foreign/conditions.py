"""Gateway conditions and other expressions written in JUEL (`${amount > 1000}`, Camunda 7 / Flowable) or
FEEL (`= amount > 1000`, Camunda 8): translated to the Python this engine evaluates when certain (see
`juel`, `feel`), reported with what to write otherwise."""

from __future__ import annotations

from lxml import etree

from . import BPMN, Finding, Fix, feel, finding, juel

_EXPRESSION_TAGS = ("conditionExpression", "completionCondition", "loopCondition", "loopCardinality",
                    "condition")


def findings(tree: etree._ElementTree) -> list[Finding]:
    found: list[Finding] = []
    for tag in _EXPRESSION_TAGS:
        for node in tree.iter(f"{{{BPMN}}}{tag}"):
            found.extend(_expression(node, tag))
    return found


def _expression(node: etree._Element, tag: str) -> list[Finding]:
    text = node.text or ""
    if juel.is_juel(text):
        python, language = juel.to_python(text), "juel"
    elif feel.is_feel(text):
        python, language = feel.to_python(text), "feel"
    else:
        return []
    if python is None:
        return [finding(node, f"foreign.{language}_untranslatable", what=tag, expression=text.strip())]

    def apply() -> None:
        node.text = python

    return [finding(node, f"foreign.{language}_condition", Fix(text.strip(), python, apply), what=tag)]
