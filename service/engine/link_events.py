"""Link events: a link throw goes on at the link catch of the same name, in the same process level.

SpiffWorkflow 3.2 reads a link throw as a none event without outgoing flow (the path ends there) and
never parses the link catch, which no sequence flow reaches. The throw event parser here connects
the throw to its catch when the diagram is parsed, so the engine simply follows the link as if it
were a sequence flow; the connection is part of the spec that is stored with the version.
"""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.spiff.parser.event_parsers import SpiffIntermediateThrowEventParser

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def link_name(node: Any) -> str | None:
    """The name of the link event definition on a throw or catch node, if it has one."""
    definition = node.find(f"{{{BPMN}}}linkEventDefinition")
    return None if definition is None else (definition.get("name") or definition.get("id"))


def link_catch(throw: Any) -> Any:
    """The link catch event of the same name beside `throw` (same process or subprocess), or None."""
    name = link_name(throw)
    if name is None or throw.getparent() is None:
        return None
    for node in throw.getparent().iterchildren(f"{{{BPMN}}}intermediateCatchEvent"):
        if link_name(node) == name:
            return node
    return None


class LinkThrowEventParser(SpiffIntermediateThrowEventParser):
    """An intermediate throw event; a link throw is connected on to its catch."""

    def parse_node(self) -> Any:
        result = super().parse_node()
        catch = link_catch(self.node)
        if catch is not None and not self.task.outputs:
            self.task.connect(self.process_parser.parse_node(catch))
        return result
