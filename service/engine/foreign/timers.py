"""Timer definitions: here they are expressions, so an ISO-8601 literal must be quoted (`"PT5M"`);
a JUEL variable (`${delay}`) becomes the plain name."""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from . import BPMN, Finding, Fix, finding, juel

# durations (P…), repeating cycles (R…/…) and date-times, the forms the engine's timer parser reads
_ISO = re.compile(r"^(R\d*/)?(P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?"
                  r"|\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?)"
                  r"(/(P[\dYMWDTHS.]+|\d{4}-\d{2}-\d{2}\S*))?$")


def findings(tree: etree._ElementTree) -> list[Finding]:
    found: list[Finding] = []
    for tag in ("timeDuration", "timeDate", "timeCycle"):
        for node in tree.iter(f"{{{BPMN}}}{tag}"):
            result = _timer(node, tag)
            if result is not None:
                found.append(result)
    return found


def _timer(node: etree._Element, tag: str) -> Finding | None:
    text = (node.text or "").strip()
    if _ISO.match(text):
        quoted = f'"{text}"'
        return finding(node, "foreign.timer_unquoted", Fix(text, quoted, _setter(node, quoted)), tag=tag)
    if juel.is_juel(text):
        python = juel.to_python(text)
        if python is None:
            return finding(node, "foreign.juel_untranslatable", what=tag, expression=text)
        return finding(node, "foreign.juel_timer", Fix(text, python, _setter(node, python)), tag=tag)
    return None


def _setter(node: etree._Element, value: str) -> Callable[[], None]:
    def apply() -> None:
        node.text = value
    return apply
