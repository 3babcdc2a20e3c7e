"""Messages for people as a code with parameters, rendered in a language only at the edge.

Why: an error raised deep in a use case does not know who reads it. The API, the pages and
the command line each know their reader's language and call `render`; nothing below them
builds "中文 (english)" strings. Each feature keeps its own catalogue module under
`message_texts/` (`ZH` and `EN` with the same codes), so two features never edit one table;
every module there is a catalogue, found without a list to keep up to date.
"""

from __future__ import annotations

import pkgutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from . import message_texts

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
CATALOGUES = tuple(sorted(module.name for module in pkgutil.iter_modules(message_texts.__path__)))


@dataclass(frozen=True)
class Message:
    """`code` names a sentence of the catalogue; `params` fill its `{placeholders}`."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return render(self.code, lang, **self.params)

    def __str__(self) -> str:
        return self.render(DEFAULT_LANGUAGE)

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "params": {k: _plain(v) for k, v in self.params.items()}}


@dataclass(frozen=True)
class Words:
    """A name already known in both languages (a role, a status), as a parameter of a message."""

    zh: str
    en: str

    def render(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return self.en if lang == "en" else self.zh

    def __str__(self) -> str:
        return self.zh


def _plain(value: Any) -> Any:
    if isinstance(value, Message):
        return value.as_json()
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)


def _load() -> dict[str, dict[str, str]]:
    texts: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    for name in CATALOGUES:
        module = import_module(f"{__package__}.message_texts.{name}")
        for lang, table in (("zh", module.ZH), ("en", module.EN)):
            clashes = set(table) & set(texts[lang])
            if clashes:
                raise RuntimeError(f"message codes defined twice ({name}): {sorted(clashes)}")
            texts[lang].update(table)
    return texts


_TEXTS = _load()


def known(code: str) -> bool:
    return code in _TEXTS[DEFAULT_LANGUAGE]


def render(code: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """The sentence in `lang` (Chinese when the language or the code is unknown there).
    Parameters that are messages themselves are rendered in the same language."""
    table = _TEXTS.get(lang) or _TEXTS[DEFAULT_LANGUAGE]
    template = table.get(code) or _TEXTS[DEFAULT_LANGUAGE].get(code)
    if template is None:
        return code
    values = {k: (v.render(lang) if isinstance(v, (Message, Words)) else v) for k, v in params.items()}
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template


def rendered(value: Any, lang: str = DEFAULT_LANGUAGE) -> Any:
    """A message, or a dict/list holding messages, as text in `lang`; anything else unchanged."""
    if isinstance(value, Message):
        return value.render(lang)
    if isinstance(value, dict):
        return {k: rendered(v, lang) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [rendered(v, lang) for v in value]
    return value
