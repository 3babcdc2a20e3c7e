"""What only the engine a diagram came from can run: Java delegates and expressions on service
tasks, external-task topics, Groovy/JavaScript scripts, listeners. Nothing here is translated —
there is no certain equivalent — but each is said at its element, with what to do instead."""

from __future__ import annotations

from lxml import etree

from . import BPMN, DIALECTS, Finding, dialect_attribute, finding

_CALLS = ("class", "delegateExpression", "expression", "topic", "type")
_SERVICE_LIKE = ("serviceTask", "sendTask")
_PYTHON = {"", "python", "text/x-python"}


def findings(tree: etree._ElementTree) -> list[Finding]:
    found: list[Finding] = []
    for tag in _SERVICE_LIKE:
        for node in tree.iter(f"{{{BPMN}}}{tag}"):
            for name in _CALLS:
                call = dialect_attribute(node, name)
                if call is not None:
                    found.append(finding(node, "foreign.engine_call", attribute=call[0], value=call[1]))
                    break
    for node in tree.iter(f"{{{BPMN}}}scriptTask"):
        language = (node.get("scriptFormat") or "").strip().lower()
        if language not in _PYTHON:
            found.append(finding(node, "foreign.script_language", language=node.get("scriptFormat")))
    for namespace, prefix in DIALECTS.items():
        for kind in ("executionListener", "taskListener"):
            for node in tree.iter(f"{{{namespace}}}{kind}"):
                found.append(finding(node, "foreign.listener_ignored", blocking=False, kind=f"{prefix}:{kind}"))
        for node in tree.iter(f"{{{namespace}}}inputOutput"):
            found.append(finding(node, "foreign.input_output_ignored", blocking=False, kind=f"{prefix}:inputOutput"))
    return found
