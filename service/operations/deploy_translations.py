"""The translation files of a bundle (`<process_id>.en.json` beside a diagram, `<formKey>.en.json` beside a
form), checked at deploy: unreadable or misplaced files are refused, words the diagram or form no longer
shows are warnings with their file and line. Apart from `deploy` so the bundle's own checks stay short."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from service.domain import form_translation as words_rules
from service.domain.messages import Message
from service.engine.element_names import named_elements
from service.engine.problems import Problem
from service.engine.xml_safety import XmlRejected, parse_xml

if TYPE_CHECKING:
    from .deploy import Bundle


def translation_texts(bundle: Bundle) -> dict[str, bytes]:
    """The translations as stored with the version (checked UTF-8 text)."""
    return {name: data.removeprefix(b"\xef\xbb\xbf") for name, data in bundle.translations.items()}


def translation_problems(bundle: Bundle, files: dict[str, bytes], forms: dict[str, Any]
                          ) -> tuple[list[Problem], list[Problem]]:
    """Translation files that cannot be used (refused), and what has no English yet (warnings only:
    a process owner may deploy a Chinese-only diagram)."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for name in [n for n in files if n.endswith(".bpmn")]:
        stored = words_rules.diagram_words_name(Path(name).stem)
        source = bundle.translation_sources.get(stored, stored)
        text = _translation_text(bundle, stored, source, problems)
        found = _diagram_words_problems(name, files[name], source, text)
        problems.extend(found[0])
        warnings.extend(found[1])
    for key in sorted(forms):
        stored = words_rules.form_words_name(key)
        source = bundle.translation_sources.get(stored, stored)
        text = _translation_text(bundle, stored, source, problems)
        form_source = bundle.form_sources.get(key, f"{key}.form")
        if text is None:
            if any(words_rules.has_cjk(s.text) for s in words_rules.shown_strings(forms[key])):
                warnings.append(Problem.said(form_source, 1, key, Message("deploy.no_translation", {"source": source})))
            continue
        try:
            words = words_rules.read_form_words(text)
        except words_rules.TranslationInvalid as exc:
            problems.append(Problem(source, exc.line, exc.key, str(exc)))
            continue
        form_text = bundle.forms.get(key, "")
        warnings.extend(Problem.said(form_source, _line_of_text(form_text, shown.text), shown.component_id,
                                     Message("deploy.no_english_text", {"text": shown.text, "source": source}))
                        for shown in words_rules.missing_words(forms[key], words))
    belonging = {words_rules.diagram_words_name(Path(n).stem) for n in files if n.endswith(".bpmn")}
    belonging |= {words_rules.form_words_name(key) for key in forms}
    problems.extend(Problem.said(bundle.translation_sources.get(name, name), None, "", Message(
                        "deploy.translation_unused", {"diagram_file": "<process_id>.en.json",
                                                      "form_file": "<formKey>.en.json"}))
                    for name in sorted(set(bundle.translations) - belonging))
    return problems, warnings


def _translation_text(bundle: Bundle, stored: str, source: str, problems: list[Problem]) -> str | None:
    data = bundle.translations.get(stored)
    if data is None:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(Problem.said(source, None, "", Message("deploy.not_utf8", {"byte": exc.start})))
        return None


def _diagram_words_problems(bpmn_name: str, data: bytes, source: str, text: str | None
                            ) -> tuple[list[Problem], list[Problem]]:
    """One diagram's translation: element ids it names that the diagram lacks (refused); named
    elements it gives no English (warnings)."""
    try:
        tree = parse_xml(data, bpmn_name)
    except XmlRejected:
        return [], []  # reported with its line by parse_bundle
    if text is None:
        return [], [Problem.said(bpmn_name, 1, "", Message("deploy.no_translation", {"source": source}))]
    try:
        words = words_rules.read_diagram_words(text)
    except words_rules.TranslationInvalid as exc:
        return [Problem(source, exc.line, exc.key, str(exc))], []
    ids = {n.get("id") for n in tree.iter() if isinstance(n.tag, str) and n.get("id")}
    problems = [Problem.said(source, words_rules.line_of_key(text, key), key,
                             Message("deploy.translation_unknown_id", {"diagram": bpmn_name}))
                for key in words.elements if key not in ids]
    warnings = [Problem.said(bpmn_name, element.line, element_id,
                             Message("deploy.no_english_name", {"name": element.name, "source": source}))
                for element_id, element in named_elements(tree).items() if element_id not in words.elements]
    if not words.name:
        warnings.append(Problem.said(source, 1, "", Message("deploy.no_english_process_name")))
    return problems, warnings


def _line_of_text(text: str, shown: str) -> int | None:
    """The line of a string in a form file (as JSON writes it), for a warning an editor can jump to."""
    for quoted in (json.dumps(shown, ensure_ascii=False), json.dumps(shown)):
        at = text.find(quoted)
        if at >= 0:
            return text.count("\n", 0, at) + 1
    return None
