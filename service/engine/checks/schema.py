"""The BPMN schema's complaints, said in words a process owner reads, with the element they are about.

The engine validates every file against the BPMN 2.0 XSD and passes on libxml2's sentence
("Element '{http://www.omg.org/spec/BPMN/20100524/MODEL}process', attribute 'id': 'a b' is not a
valid value of the atomic type 'xs:ID'."). The common shapes of that sentence are turned into a
message of the catalogue naming the element, the attribute and the fix; anything else keeps the
schema's words with the namespaces taken out.
"""

from __future__ import annotations

import re

from lxml import etree

from service.domain.messages import Message

from ..problems import Problem

_NS = re.compile(r"\{[^}]*\}")
_ELEMENT = r"Element '(?P<tag>[^']+)'"
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(_ELEMENT + r", attribute '(?P<attribute>[^']+)': '(?P<value>[^']*)' is not a valid value of the "
                r"atomic type 'xs:(?:ID|NCName)'"), "schema.not_an_id"),
    (re.compile(_ELEMENT + r", attribute '(?P<attribute>[^']+)': '(?P<value>[^']*)' is not a valid value of the "
                r"atomic type 'xs:(?:QName|IDREF)'"), "schema.not_a_reference"),
    (re.compile(_ELEMENT + r", attribute '(?P<attribute>[^']+)': '(?P<value>[^']*)' is not a valid value of the "
                r"atomic type 'xs:boolean'"), "schema.not_a_boolean"),
    (re.compile(_ELEMENT + r", attribute '(?P<attribute>[^']+)': '(?P<value>[^']*)' is not a valid value of the "
                r"atomic type 'xs:(?:integer|int|nonNegativeInteger|positiveInteger)'"), "schema.not_a_number"),
    (re.compile(_ELEMENT + r": '(?P<value>[^']*)' is not a valid value of the atomic type 'xs:IDREF'"),
     "schema.names_nothing"),
    (re.compile(_ELEMENT + r", attribute '(?P<attribute>[^']+)': The QName value '(?P<value>(?P<prefix>[^':]+):[^']*)' "
                r"has no corresponding namespace declaration in scope"), "schema.prefix_undeclared"),
    (re.compile(_ELEMENT + r": No matching global element declaration available, but demanded by the strict wildcard"),
     "schema.unknown_extension"),
    (re.compile(_ELEMENT + r", attribute '(?P<attribute>[^']+)': \[facet 'enumeration'\] The value '(?P<value>[^']*)'"
                r" is not an element of the set \{(?P<allowed>[^}]*)\}"), "schema.not_one_of"),
    (re.compile(_ELEMENT + r", attribute '(?P<attribute>[^']+)': The attribute '[^']+' is not allowed"),
     "schema.attribute_not_allowed"),
    (re.compile(_ELEMENT + r": The attribute '(?P<attribute>[^']+)' is required but missing"),
     "schema.attribute_missing"),
    (re.compile(_ELEMENT + r": Missing child element\(s\)\. Expected is (?:one of )?\( (?P<allowed>[^)]*) \)"),
     "schema.child_missing"),
    (re.compile(_ELEMENT + r": This element is not expected\. Expected is (?:one of )?\( (?P<allowed>[^)]*) \)"),
     "schema.not_expected_here"),
    (re.compile(_ELEMENT + r": This element is not expected\."), "schema.not_expected"),
    (re.compile(_ELEMENT + r": No matching global declaration available for the validation root"),
     "schema.not_bpmn"),
]


_FIXED = {"schema.not_a_boolean": {"choices": "true / false"},
          "schema.not_bpmn": {"root": "definitions", "namespace": "http://www.omg.org/spec/BPMN/20100524/MODEL"}}
_ALWAYS_OPTIONAL = frozenset({"documentation", "extensionElements"})  # listed by the schema, never what is missing


def _plain(text: str) -> str:
    return _NS.sub("", text).replace("##other", "").strip().rstrip(".")


def schema_message(text: str) -> Message | None:
    """The catalogue's sentence for a schema complaint, or None when its shape is not known."""
    for pattern, code in _PATTERNS:
        found = pattern.search(text)
        if found:
            params = {k: _plain(v) for k, v in found.groupdict().items()}
            if "allowed" in params:
                allowed = [p.strip(" '") for p in params["allowed"].split(",") if p.strip()]
                wanted = [p for p in allowed if p not in _ALWAYS_OPTIONAL] or allowed
                params["allowed"] = ", ".join(wanted)
            params.update(_FIXED.get(code, {}))
            return Message(code, params)
    return None


def schema_problem(filename: str, line: int | None, text: str, tree: etree._ElementTree | None) -> Problem:
    """One schema complaint at its line, with the id of the element it is about when it has one."""
    said = schema_message(text)
    tag = _plain(re.search(_ELEMENT, text).group("tag")) if re.search(_ELEMENT, text) else ""  # type: ignore[union-attr]
    element_id = _element_at(tree, line, tag)
    if said is None:
        return Problem.said(filename, line, element_id, Message("schema.other", {"text": _plain(text)[:300]}))
    return Problem.said(filename, line, element_id, said)


def schema_problems(filename: str, errors: list[tuple[int | None, str]], tree: etree._ElementTree | None
                    ) -> list[Problem]:
    """Every complaint of one validation, but a reference to an id already said to be invalid only once:
    the id is the cause."""
    problems: list[Problem] = []
    invalid_ids: set[str] = set()
    for line, text in errors:
        problem = schema_problem(filename, line, text, tree)
        params = dict(problem.params)
        if problem.code == "schema.not_an_id":
            invalid_ids.add(str(params.get("value")))
        elif problem.code == "schema.not_a_reference" and str(params.get("value")) in invalid_ids:
            continue
        if problem not in problems:
            problems.append(problem)
    return problems


def _element_at(tree: etree._ElementTree | None, line: int | None, tag: str) -> str:
    if tree is None or not line:
        return ""
    for node in tree.getroot().iter():
        if isinstance(node.tag, str) and node.sourceline == line and etree.QName(node).localname == tag:
            while node is not None and not node.get("id"):  # loop characteristics, expressions: their element's
                node = node.getparent()
            return node.get("id", "") if node is not None else ""
    return ""
