"""The one way uploaded BPMN/DMN files are parsed.

Why: diagrams arrive from people's browsers and from files on disk, and an XML parser
with default settings will fetch external entities (XXE: `file:///etc/passwd` ending up
in a diagram's name), expand nested entities until memory runs out ("billion laughs"),
or chew on a file of any size. Diagrams never need a DOCTYPE, so any DOCTYPE or entity
declaration is refused before parsing; the parser itself resolves nothing, loads no DTD,
touches no network and keeps libxml2's size limits; and oversized input is refused
before a single byte is parsed. Every error carries the file name and line.

Diagrams may arrive in any encoding libxml2 understands (GBK, Latin-1, UTF-16, declared
or marked by a byte-order mark); `as_utf8` gives the one form that is stored and served.
"""

from __future__ import annotations

import codecs
import io
import re

from lxml import etree

MAX_XML_BYTES = 5 * 1024 * 1024

_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)\b", re.IGNORECASE)
_DECLARED_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?\bencoding\s*=\s*["'])[^"']*(["'])""")
_UNICODE_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
    (b"<\0\0\0", "utf-32-le"), (b"\0\0\0<", "utf-32-be"),
    (b"<\0", "utf-16-le"), (b"\0<", "utf-16-be"),
)


class XmlRejected(ValueError):
    """An uploaded XML file was refused; names the file and the line."""

    def __init__(self, filename: str, line: int, message: str) -> None:
        super().__init__(f"{filename}:{line}: {message}")
        self.filename, self.line, self.message = filename, line, message

    def __str__(self) -> str:
        return f"{self.filename}:{self.line}: {self.message}"


def hardened_parser() -> etree.XMLParser:
    """A fresh parser that resolves no entities, loads no DTD and uses no network.

    A new one per call: lxml parser objects must not be shared between threads.
    """
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_comments=False)


def _text_for_scan(data: bytes) -> str:
    """The document as text, decoded just well enough to find markup declarations.

    Latin-1 maps bytes one to one, so it finds `<!DOCTYPE` in every ASCII-compatible
    encoding; UTF-16/32 are recognised by their byte-order mark or first character.
    """
    for signature, codec in _UNICODE_SIGNATURES:
        if data.startswith(signature):
            return data.decode(codec, errors="replace")
    return data.decode("latin-1")


def _reject_declarations(data: bytes, filename: str) -> None:
    text = _text_for_scan(data)
    match = _DECLARATION.search(text)
    if match is not None:
        line = text.count("\n", 0, match.start()) + 1
        raise XmlRejected(filename, line, "DOCTYPE and entity declarations are not allowed")


def _syntax_error(exc: etree.XMLSyntaxError, filename: str) -> XmlRejected:
    line = exc.lineno or (exc.position[0] if exc.position else 0) or 1
    message = re.sub(r",? line \d+, column \d+$", "", str(exc.msg or exc)).strip()
    return XmlRejected(filename, line, f"malformed XML: {message}")


def parse_xml(data: bytes, filename: str,
              max_bytes: int = MAX_XML_BYTES) -> etree._ElementTree:
    """Parse an uploaded BPMN/DMN document, or raise XmlRejected saying why not."""
    if len(data) > max_bytes:
        raise XmlRejected(filename, 1, f"file is {len(data):,} bytes, larger than the limit "
                                       f"of {max_bytes:,} bytes")
    _reject_declarations(data, filename)
    try:
        tree = etree.parse(io.BytesIO(data), hardened_parser())
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, filename) from None
    # Belt and braces for encodings the scan above cannot read (EBCDIC and the like).
    if getattr(tree.docinfo, "doctype", "") or tree.docinfo.internalDTD is not None:
        raise XmlRejected(filename, 1, "DOCTYPE and entity declarations are not allowed")
    return tree


def as_utf8(data: bytes, filename: str, max_bytes: int = MAX_XML_BYTES) -> bytes:
    """The document as UTF-8, its declaration saying so; UTF-8 input comes back unchanged
    (less a byte-order mark). Raises XmlRejected like `parse_xml`, also when the converted
    text would pass the size limit."""
    tree = parse_xml(data, filename, max_bytes)
    marked = next((codec for mark, codec in _UNICODE_SIGNATURES[:4] if data.startswith(mark)), None)
    encoding = (marked or tree.docinfo.encoding or "UTF-8").upper().replace("_", "-")  # a BOM wins
    if encoding in ("UTF-8", "UTF8", "ASCII", "US-ASCII"):
        return data[len(codecs.BOM_UTF8):] if data.startswith(codecs.BOM_UTF8) else data
    try:
        text = data.decode(encoding).lstrip("\ufeff")
        converted = _DECLARED_ENCODING.sub(r"\g<1>UTF-8\g<2>", text, count=1).encode("utf-8")
    except (LookupError, UnicodeError):  # a name only libxml2 knows: let it write the text
        converted = etree.tostring(tree, encoding="UTF-8", xml_declaration=True)
    if len(converted) > max_bytes:
        raise XmlRejected(filename, 1, f"file is {len(converted):,} bytes in UTF-8, larger than the limit "
                                       f"of {max_bytes:,} bytes")
    return converted
