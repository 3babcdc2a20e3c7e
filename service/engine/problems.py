"""A deploy problem, said the way an editor can jump to it: file:line: element: message.

A problem a check of this product finds carries a message code and its parameters, so the editor page,
the API and the command line say it in their reader's language; `message` is its English sentence (what
logs, tests and older callers read). Problems the engine's own parser reports have no code: their
`message` is all there is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from service.domain.messages import Message, Words, render

Params = tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    element_id: str
    message: str = ""
    code: str = ""
    params: Params = ()  # (name, value) pairs, values plain or `Words`: a problem stays hashable

    def __post_init__(self) -> None:
        if self.code and not self.message:
            object.__setattr__(self, "message", render(self.code, "en", **dict(self.params)))

    @classmethod
    def said(cls, file: str, line: int | None, element_id: str, said: Message) -> Problem:
        """The problem a check says as a message (its code and parameters)."""
        return cls(file, line, element_id, code=said.code, params=tuple(sorted(said.params.items())))

    def render(self, lang: str) -> str:
        """The sentence in `lang`; a problem without a code in its own words."""
        return render(self.code, lang, **dict(self.params)) if self.code else self.message

    def line_text(self, lang: str) -> str:
        """`file:line: element: message`, the message in `lang`."""
        return f"{self.file}:{self.line or 0}: {self.element_id or '-'}: {self.render(lang)}"

    def __str__(self) -> str:
        return f"{self.file}:{self.line or 0}: {self.element_id or '-'}: {self.message}"


def words_of(code: str, **params: Any) -> Words:
    """A phrase of the catalogue in both languages, to be a parameter of another problem's sentence."""
    return Words(render(code, "zh", **params), render(code, "en", **params))


class DefinitionInvalid(ValueError):
    """Raised with every problem found, so one run of validate lists them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
