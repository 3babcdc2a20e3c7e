"""Uploaded BPMN/DMN parsing: hostile XML is refused with the file name and line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from lxml import etree

from service.engine.xml_safety import MAX_XML_BYTES, XmlRejected, as_utf8, hardened_parser, parse_xml

GOOD_BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
                  id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">
  <!-- 技术支持流程 -->
  <bpmn:process id="technical_support" isExecutable="true">
    <bpmn:startEvent id="start" name="收到申请" />
    <bpmn:userTask id="confirm_request"
                   name="&#25216;&#26415;&#24635;&#30417;&#30830;&#35748; &amp; OK">
      <bpmn:extensionElements>
        <spiffworkflow:properties>
          <spiffworkflow:property name="formKey" value="confirm_request" />
        </spiffworkflow:properties>
      </bpmn:extensionElements>
    </bpmn:userTask>
  </bpmn:process>
</bpmn:definitions>
""".encode()

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE definitions [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<definitions><process id="p"><documentation>&xxe;</documentation></process></definitions>
"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>
"""


def test_good_bpmn_parses() -> None:
    tree = parse_xml(GOOD_BPMN, "technical_support.bpmn")
    ns = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"}
    task = tree.find(".//bpmn:userTask", ns)
    assert task is not None
    assert task.get("name") == "技术总监确认 & OK"
    assert tree.find(".//bpmn:startEvent", ns).get("name") == "收到申请"  # type: ignore[union-attr]
    assert isinstance(tree, etree._ElementTree)


def test_xxe_is_refused_and_file_content_never_appears(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    document = XXE.replace(b"file:///etc/passwd", secret.as_uri().encode())
    with pytest.raises(XmlRejected) as caught:
        parse_xml(document, "evil.bpmn")
    error = caught.value
    assert error.message == "DOCTYPE and entity declarations are not allowed"
    assert (error.filename, error.line) == ("evil.bpmn", 2)
    assert str(error) == "evil.bpmn:2: DOCTYPE and entity declarations are not allowed"
    assert "TOP-SECRET" not in str(error)


def test_hardened_parser_never_resolves_external_entities(tmp_path: Path) -> None:
    # Even code that uses the parser object directly gets no file content.
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    document = XXE.replace(b"file:///etc/passwd", secret.as_uri().encode())
    root = etree.fromstring(document, hardened_parser())
    assert b"TOP-SECRET" not in etree.tostring(root)


def test_billion_laughs_is_refused_quickly() -> None:
    started = time.monotonic()
    with pytest.raises(XmlRejected, match="DOCTYPE"):
        parse_xml(BILLION_LAUGHS, "lol.dmn")
    assert time.monotonic() - started < 5  # loose: refused before any expansion


def test_doctype_in_utf16_is_refused() -> None:
    document = XXE.decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
    with pytest.raises(XmlRejected, match="DOCTYPE") as caught:
        parse_xml(document.encode("utf-16"), "evil16.bpmn")
    assert caught.value.line == 2


def test_oversized_document_is_refused_without_parsing() -> None:
    big = b"<definitions>" + b"x" * (50 * 1024 * 1024) + b"</definitions>"
    with pytest.raises(XmlRejected) as caught:
        parse_xml(big, "big.bpmn")
    message = caught.value.message
    assert f"{MAX_XML_BYTES:,}" in message
    assert f"{len(big):,}" in message


def test_custom_size_limit() -> None:
    with pytest.raises(XmlRejected, match="limit of 100 bytes"):
        parse_xml(GOOD_BPMN, "technical_support.bpmn", max_bytes=100)


@pytest.mark.parametrize(
    ("document", "line"),
    [
        (b"<definitions>\n  <process>\n  </task>\n</definitions>", 3),
        (b"<definitions>\n<process id='p'>\n", 3),
        (b"<a>\n\n\n<b attr=\"unclosed></b></a>", 4),
        (b"", 1),
    ],
)
def test_malformed_xml_reports_line(document: bytes, line: int) -> None:
    with pytest.raises(XmlRejected) as caught:
        parse_xml(document, "broken.bpmn")
    assert caught.value.line == line
    assert caught.value.message.startswith("malformed XML")
    assert str(caught.value).startswith(f"broken.bpmn:{line}: malformed XML")


def test_undefined_entity_is_malformed() -> None:
    with pytest.raises(XmlRejected, match="xxe"):
        parse_xml(b"<definitions>&xxe;</definitions>", "x.bpmn")


# -- encodings: whatever libxml2 reads, stored as UTF-8 ------------------------------------

NAMED = '<?xml version="1.0" encoding="{}"?>\n<definitions name="技术支持申请"><!-- 规程 --></definitions>\n'


@pytest.mark.parametrize(("declared", "codec"), [("GBK", "gbk"), ("GB18030", "gb18030"), ("UTF-16", "utf-16"),
                                                 ("UTF-16LE", "utf-16-le")])
def test_declared_encodings_become_utf8(declared: str, codec: str) -> None:
    data = ("\ufeff" if codec == "utf-16-le" else "") + NAMED.format(declared)
    converted = as_utf8(data.encode(codec), "gbk.bpmn")
    assert converted.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<definitions')
    assert parse_xml(converted, "gbk.bpmn").getroot().get("name") == "技术支持申请"
    assert "<!-- 规程 -->" in converted.decode("utf-8")


def test_latin1_becomes_utf8() -> None:
    data = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<definitions name="Prozeß Ça"/>'.encode("latin-1")
    assert as_utf8(data, "l1.bpmn").decode("utf-8").endswith('<definitions name="Prozeß Ça"/>')


def test_a_byte_order_mark_without_declaration_is_read() -> None:
    converted = as_utf8("\ufeff<definitions name=\"中文\"/>".encode("utf-16-le"), "bom.bpmn")
    assert converted == '<definitions name="中文"/>'.encode()


def test_utf8_comes_back_unchanged_less_its_mark() -> None:
    assert as_utf8(GOOD_BPMN, "x.bpmn") is GOOD_BPMN
    assert as_utf8(b"\xef\xbb\xbf<definitions/>", "x.bpmn") == b"<definitions/>"


@pytest.mark.parametrize("data", [
    '<?xml version="1.0" encoding="UTF-8"?><definitions name="é"/>'.encode("latin-1"),
    b'<?xml version="1.0" encoding="GBK"?><definitions name="\xff\xff"/>',
    b'<?xml version="1.0" encoding="NO-SUCH-CODEC"?><definitions/>',
])
def test_undecodable_text_is_refused_with_file_and_line(data: bytes) -> None:
    with pytest.raises(XmlRejected) as caught:
        as_utf8(data, "bad.bpmn")
    assert str(caught.value).startswith("bad.bpmn:1: ")


def test_growing_past_the_limit_in_utf8_is_refused() -> None:
    data = NAMED.format("GBK").replace("<!-- 规程 -->", "<!--" + "中" * 200 + "-->").encode("gbk")
    with pytest.raises(XmlRejected, match="in UTF-8, larger than the limit"):
        as_utf8(data, "big.bpmn", max_bytes=len(data) + 10)
