"""A process id that cannot name a new process here (`Process_0x8f7k2`, bpmn.io's and Camunda's default)
→ the same id in the form new processes take (`process_0x8f7k2`), with every reference to it inside the
file (a pool's `processRef`, the diagram's `bpmnElement`, a call activity's `calledElement`).

Nothing a case does depends on the id: it names the process in URLs, lists and the stored file. The
caller says which ids are acceptable and which are taken (processes that exist already keep theirs).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from lxml import etree

from . import BPMN, Finding, Fix, finding, keyed

CODE = "diagram_import.process_id_renamed"
_REFERENCES = ("processRef", "bpmnElement", "calledElement")


def proposed(old: str, taken: Collection[str], max_length: int = 64) -> str:
    """Lower case, other characters as `_`, starting with a letter, 3 to `max_length` long, not taken."""
    base = re.sub(r"[^a-z0-9_]+", "_", old.lower()).strip("_") or "process"
    if not base[0].isalpha():
        base = f"process_{base}"
    base = base.ljust(3, "_")[:max_length]
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base[:max_length - len(str(n)) - 1]}_{n}"
    return candidate


def findings(tree: etree._ElementTree, acceptable: Callable[[str], bool], keep: Collection[str],
             taken: Collection[str]) -> list[Finding]:
    """A fix for each process whose id is not `acceptable` and is not one of `keep`; the new ids avoid
    `taken` and every id of the file."""
    used = set(taken) | {n.get("id") for n in tree.iter() if isinstance(n.tag, str) and n.get("id")}
    found: list[Finding] = []
    for node in tree.getroot().findall(f"{{{BPMN}}}process"):
        old = node.get("id") or ""
        if not old or acceptable(old) or old in keep:
            continue
        new = proposed(old, used)
        used.add(new)

        def apply(node: etree._Element = node, old: str = old, new: str = new) -> None:
            for other in node.getroottree().iter():
                if isinstance(other.tag, str):
                    for name in _REFERENCES:
                        if other.get(name) == old:
                            other.set(name, new)
            node.set("id", new)

        found.append(finding(node, CODE, Fix(f'id="{old}"', f'id="{new}"', apply), old=old, new=new))
    return keyed(found)
