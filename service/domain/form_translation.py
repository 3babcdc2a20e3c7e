"""The English of forms and diagrams: what a form shows, its translation file, and the translated form.

Forms and diagrams are written in Chinese; beside each lies a translation file (`<formKey>.en.json`,
a flat map Chinese → English, and `<process_id>.en.json`, the process name and element names by id).
These functions read and check those files and apply them, without I/O, so deploy, validate, the
completeness test and the pages share one idea of "every string a form shows".
A string without a translation stays as written: a half-translated form is still usable.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

# what form-js shows of a component (form-js names); nested `components` are walked too
SHOWN_KEYS = ("label", "dateLabel", "timeLabel", "description", "text", "placeholder")
SHOWN_NESTED = {"validate": ("patternErrorMessage",), "appearance": ("prefixAdorner", "suffixAdorner")}
LISTED = ("values", "columns")  # options of radio/select/checklist/taglist, columns of a table: each has a label

def diagram_words_name(process_id: str) -> str:
    """Where a diagram's translation is stored with its version (the file's own name)."""
    return f"{process_id}.en.json"


def form_words_name(form_key: str) -> str:
    """Where a form's translation is stored with its version (apart from the diagrams' files)."""
    return f"forms/{form_key}.en.json"


_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def has_cjk(text: str) -> bool:
    """Chinese characters or full-width punctuation: what an English reader must not be left with."""
    return bool(_CJK.search(text))


@dataclass(frozen=True)
class Shown:
    """One string a form shows, and the component it belongs to (for `file:line: element: message`)."""

    text: str
    component_id: str


def shown_strings(form: Mapping[str, Any] | None) -> list[Shown]:
    """Every string the form shows, nested groups and lists included, in the form's order."""
    return list(_walk(form or {}))


def _walk(component: Mapping[str, Any]) -> Iterator[Shown]:
    cid = str(component.get("id") or component.get("key") or "")
    for key in SHOWN_KEYS:
        if isinstance(component.get(key), str) and component[key].strip():
            yield Shown(component[key], cid)
    for holder, keys in SHOWN_NESTED.items():
        nested = component.get(holder)
        if isinstance(nested, Mapping):
            for key in keys:
                if isinstance(nested.get(key), str) and nested[key].strip():
                    yield Shown(nested[key], cid)
    for listed in LISTED:
        for item in component.get(listed) or []:
            if isinstance(item, Mapping) and isinstance(item.get("label"), str) and item["label"].strip():
                yield Shown(item["label"], cid)
    for child in component.get("components") or []:
        if isinstance(child, Mapping):
            yield from _walk(child)


def translate_form(form: Mapping[str, Any] | None, words: Mapping[str, str]) -> dict[str, Any] | None:
    """A copy of `form` with every shown string that `words` knows replaced; the rest as written."""
    if form is None:
        return None
    out = copy.deepcopy(dict(form))
    _translate(out, words)
    return out


def _translate(component: dict[str, Any], words: Mapping[str, str]) -> None:
    for key in SHOWN_KEYS:
        _replace(component, key, words)
    for holder, keys in SHOWN_NESTED.items():
        nested = component.get(holder)
        if isinstance(nested, dict):
            for key in keys:
                _replace(nested, key, words)
    for listed in LISTED:
        for item in component.get(listed) or []:
            if isinstance(item, dict):
                _replace(item, "label", words)
    for child in component.get("components") or []:
        if isinstance(child, dict):
            _translate(child, words)


def _replace(holder: dict[str, Any], key: str, words: Mapping[str, str]) -> None:
    value = holder.get(key)
    if isinstance(value, str):
        holder[key] = words.get(value) or words.get(value.strip()) or value


class TranslationInvalid(ValueError):
    """A translation file that cannot be used; `line` and `key` say where."""

    def __init__(self, message: str, line: int | None = None, key: str = ""):
        super().__init__(message)
        self.line = line
        self.key = key


def line_of_key(text: str, key: str) -> int | None:
    """The line of `"key":` in a JSON text (first occurrence), for messages an editor can jump to."""
    for quoted in (json.dumps(key, ensure_ascii=False), json.dumps(key)):
        found = re.search(re.escape(quoted) + r"\s*:", text)
        if found:
            return text.count("\n", 0, found.start()) + 1
    return None


def _load_object(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TranslationInvalid(f"not valid JSON: {exc.msg}", exc.lineno) from exc
    if not isinstance(data, dict):
        raise TranslationInvalid("must be a JSON object", 1)
    return data


def _string_map(data: Mapping[str, Any], text: str, what: str) -> dict[str, str]:
    for key, value in data.items():
        if not isinstance(value, str):
            raise TranslationInvalid(f"{what} '{key}' must map to a string, not {type(value).__name__}",
                                     line_of_key(text, key), key)
        if not value.strip():
            raise TranslationInvalid(f"{what} '{key}' has an empty translation", line_of_key(text, key), key)
    return dict(data)


def read_form_words(text: str) -> dict[str, str]:
    """A form's translation file: one flat object, Chinese string → English string."""
    return _string_map(_load_object(text), text, "string")


@dataclass(frozen=True)
class DiagramWords:
    """A diagram's translation file: the English process name and element names by element id."""

    name: str | None = None
    elements: dict[str, str] = field(default_factory=dict)


def read_diagram_words(text: str) -> DiagramWords:
    data = _load_object(text)
    unknown = sorted(set(data) - {"name", "elements"})
    if unknown:
        raise TranslationInvalid(f"unknown key '{unknown[0]}' (expected \"name\" and \"elements\")",
                                 line_of_key(text, unknown[0]), unknown[0])
    name = data.get("name")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise TranslationInvalid("\"name\" must be the English process name (a string)", line_of_key(text, "name"))
    elements = data.get("elements", {})
    if not isinstance(elements, dict):
        raise TranslationInvalid("\"elements\" must be an object: element id → English name",
                                 line_of_key(text, "elements"))
    return DiagramWords(name, _string_map(elements, text, "element"))


def missing_words(form: Mapping[str, Any] | None, words: Mapping[str, str]) -> list[Shown]:
    """The Chinese strings the form shows that `words` does not translate (each once)."""
    seen: set[str] = set()
    missing = []
    for shown in shown_strings(form):
        if has_cjk(shown.text) and shown.text not in words and shown.text not in seen:
            seen.add(shown.text)
            missing.append(shown)
    return missing
