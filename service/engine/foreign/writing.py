"""Writing a fixed diagram back: only the fixed elements differ from the file as it was read.

The XML declaration, the comments before the root and the byte-order mark are kept byte for byte;
the spiffworkflow namespace, when a fix added its first element, is declared once on the root
instead of on every new element.
"""

from __future__ import annotations

import re

from lxml import etree

from . import SPIFF

PROLOGUE = re.compile(rb"^(\xef\xbb\xbf)?(\s*(<\?.*?\?>|<!--.*?-->))*\s*", re.DOTALL)


def serialise(tree: etree._ElementTree, original: bytes) -> bytes:
    """The fixed tree, with the original's XML declaration and comments before the root kept as they were."""
    root = tree.getroot()
    if SPIFF not in root.nsmap.values() and any(
            isinstance(n.tag, str) and etree.QName(n).namespace == SPIFF for n in root.iter()):
        prefixes = {p for n in root.iter() if isinstance(n.tag, str) for p in n.nsmap if p}
        etree.cleanup_namespaces(root, top_nsmap={"spiffworkflow": SPIFF}, keep_ns_prefixes=sorted(prefixes))
    encoding = tree.docinfo.encoding or "UTF-8"
    prologue = PROLOGUE.match(original)
    if encoding.upper() not in ("UTF-8", "ASCII", "US-ASCII") or prologue is None:
        return etree.tostring(tree, xml_declaration=True, encoding=encoding)
    body = etree.tostring(root, encoding=encoding, xml_declaration=False)
    return prologue.group(0) + body + (b"\n" if original.endswith(b"\n") else b"")
