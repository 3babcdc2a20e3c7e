"""The elements of a diagram that carry a name a reader sees: what a translation file must name, and what
the what-if report calls each element. Apart from `definitions`, which checks a bundle before deploy."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

# lanes are roles (named by service/domain/roles.py); a pool and its process take the file's "name"
NAMED_BY_OTHERS = frozenset({"lane", "process", "participant", "collaboration", "definitions"})


@dataclass(frozen=True)
class NamedElement:
    kind: str
    name: str
    line: int | None


def named_elements(tree: etree._ElementTree) -> dict[str, NamedElement]:
    """The elements of a diagram whose names a reader sees and its translation file must name."""
    found: dict[str, NamedElement] = {}
    for node in tree.iter():
        kind = etree.QName(node).localname if isinstance(node.tag, str) else None  # comments have no tag name
        if kind and kind not in NAMED_BY_OTHERS and node.get("id") and (node.get("name") or "").strip():
            found[node.get("id")] = NamedElement(kind, node.get("name"), node.sourceline)
    return found

