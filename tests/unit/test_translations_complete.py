"""Every diagram under processes/ and every form under forms/ has its complete English: whoever adds a
task, a field or an option finds here what still needs a translation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from service.config import PROJECT_ROOT
from service.domain.form_translation import has_cjk, missing_words, read_diagram_words, read_form_words
from service.engine.element_names import named_elements

DIAGRAMS = sorted((PROJECT_ROOT / "processes").glob("*.bpmn"))
FORMS = sorted((PROJECT_ROOT / "forms").glob("*/*.form"))


def _beside(path: Path) -> Path:
    return path.with_name(f"{path.stem}.en.json")


@pytest.mark.parametrize("diagram", DIAGRAMS, ids=lambda p: p.name)
def test_every_named_element_has_an_english_name(diagram: Path):
    words_file = _beside(diagram)
    assert words_file.is_file(), f"{words_file.name} is missing"
    words = read_diagram_words(words_file.read_text(encoding="utf-8"))
    named = named_elements(etree.parse(str(diagram)))
    assert words.name and not has_cjk(words.name), f"{words_file.name}: no English process name"
    missing = {i: e.name for i, e in named.items() if i not in words.elements}
    assert not missing, f"{words_file.name} lacks: {json.dumps(missing, ensure_ascii=False)}"
    ids = {n.get("id") for n in etree.parse(str(diagram)).iter() if isinstance(n.tag, str) and n.get("id")}
    assert not set(words.elements) - ids, f"{words_file.name} names elements {diagram.name} no longer has"
    assert not [t for t in words.elements.values() if has_cjk(t)], f"{words_file.name}: Chinese left in English"


@pytest.mark.parametrize("form_file", FORMS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_string_a_form_shows_has_its_english(form_file: Path):
    words_file = _beside(form_file)
    assert words_file.is_file(), f"{words_file.parent.name}/{words_file.name} is missing"
    words = read_form_words(words_file.read_text(encoding="utf-8"))
    form = json.loads(form_file.read_text(encoding="utf-8"))
    missing = [m.text for m in missing_words(form, words)]
    assert not missing, f"{words_file.name} lacks: {json.dumps(missing, ensure_ascii=False)}"
    assert not [t for t in words.values() if has_cjk(t)], f"{words_file.name}: Chinese left in English"


def test_there_are_diagrams_and_forms_to_check():
    assert len(DIAGRAMS) >= 4 and len(FORMS) >= 20
