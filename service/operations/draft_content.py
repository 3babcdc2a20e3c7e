"""What a draft may hold: the files, forms and translations an editor writes, nothing else.

Why refuse at save: a stored draft is opened again in browsers and parsed by the checks, so it
must never hold what no editor writes and no parser should read (DOCTYPEs and entities, malformed
XML, a declared encoding the Unicode text does not have, oversized files, non-JSON forms). Each
refusal names the member (`files.<name>`, `forms.<key>`, `translations.<name>`) with file and line.
"""

from __future__ import annotations

import json
import re
from typing import Any

from service.domain.messages import Message
from service.engine.xml_safety import MAX_XML_BYTES, XmlRejected, parse_xml

from .errors import ValidationFailed
from .process_templates import DraftContent

FILE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,127}\.(bpmn|dmn)")
FORM_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,127}")
FILE_NAMES = "<process_id>.bpmn, <id>.dmn"
TRANSLATION_NAMES = "<process_id>.en.json, forms/<formKey>.en.json"
_DECLARED = re.compile(r"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")
_UTF8_NAMES = {"UTF-8", "UTF8"}


def checked_content(process_id: str, files: Any, forms: Any, translations: Any) -> DraftContent:
    """The content of a save, or ValidationFailed naming each refused member (`files.<name>`, ...)."""
    errors: dict[str, str | Message] = {}
    for member, value in (("files", files), ("forms", forms), ("translations", translations)):
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            errors[member] = Message("editor.member_not_texts")
    if errors:
        raise ValidationFailed("editor.draft_refused", errors)
    main = f"{process_id}.bpmn"
    if main not in files:
        errors["files"] = Message("editor.main_diagram_missing", {"name": main})
    for name, text in files.items():
        problem = _file_problem(name, text)
        if problem:
            errors[f"files.{name}"] = problem
    for key, text in forms.items():
        problem = (Message("editor.form_key", {"key": key[:80]}) if not FORM_KEY.fullmatch(key)
                   else _json_problem(f"{key}.form", text))
        if problem:
            errors[f"forms.{key}"] = problem
    for name, text in translations.items():
        problem = (_json_problem(name, text) if _translation_name(name)
                   else Message("editor.translation_name", {"name": name[:80], "pattern": TRANSLATION_NAMES}))
        if problem:
            errors[f"translations.{name}"] = problem
    if errors:
        raise ValidationFailed("editor.draft_refused", errors)
    return DraftContent(dict(files), dict(forms), dict(translations))


def _translation_name(name: str) -> bool:
    stem = name.removeprefix("forms/").removesuffix(".en.json")
    return name.endswith(".en.json") and bool(FORM_KEY.fullmatch(stem)) and (
        name.startswith("forms/") or "/" not in name)


def _too_big(name: str, text: str) -> Message | None:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_XML_BYTES:
        return Message("editor.file_too_large", {"file": name, "size": size, "max": MAX_XML_BYTES})
    return None


def _file_problem(name: str, text: str) -> Message | None:
    """A diagram or table the editor could have written: a plain name, safe and well-formed UTF-8 XML."""
    if not FILE_NAME.fullmatch(name):
        return Message("editor.file_name", {"name": name[:80], "pattern": FILE_NAMES})
    too_big = _too_big(name, text)
    if too_big:
        return too_big
    declared = _DECLARED.match(text)
    if declared and declared.group(1).upper() not in _UTF8_NAMES:
        return Message("editor.encoding_declared", {"file": name, "line": 1, "encoding": declared.group(1)[:40]})
    try:
        parse_xml(text.encode("utf-8"), name)
    except XmlRejected as exc:
        return Message("editor.xml_refused", {"file": name, "line": exc.line, "reason": exc.message})
    return None


def _json_problem(name: str, text: str) -> Message | None:
    too_big = _too_big(name, text)
    if too_big:
        return too_big
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return Message("editor.json_refused", {"file": name, "line": exc.lineno, "reason": exc.msg})
    if not isinstance(value, dict):
        return Message("editor.json_not_object", {"file": name})
    return None
