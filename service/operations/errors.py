"""Errors the use cases raise; the CLI and the API translate them (exit codes, 4xx).

Why codes: a use case does not know who reads its error. It names the sentence by a code of
`service.domain.messages` with its parameters (`NotFound("task.missing", task=7)`); the edge renders it
in its reader's language. `str(exc)` is the Chinese sentence (logs, the command line's default).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.domain.messages import DEFAULT_LANGUAGE, Message


def as_message(said: str | Message, **params: Any) -> Message:
    """A code with its parameters, or a message already built (then without further parameters)."""
    if isinstance(said, Message):
        if params:
            raise TypeError("a Message already carries its parameters")
        return said
    return Message(said, params)


class OperationError(Exception):
    status = 400

    def __init__(self, said: str | Message, /, **params: Any):
        self.message = as_message(said, **params)
        super().__init__(self.message.code)

    @property
    def code(self) -> str:
        return self.message.code

    def render(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return self.message.render(lang)

    def __str__(self) -> str:
        return self.render(DEFAULT_LANGUAGE)


class NotFound(OperationError):
    status = 404


class Forbidden(OperationError):
    status = 403


class Conflict(OperationError):
    status = 409


class ValidationFailed(OperationError):
    """Per-field messages: {field key: message}; a message is a `Message` or text already in words."""

    status = 400

    def __init__(self, said: str | Message, errors: Mapping[str, str | Message], /, **params: Any):
        super().__init__(said, **params)
        self.errors = dict(errors)

    def field_errors(self, lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
        return {key: render_text(value, lang) for key, value in self.errors.items()}

    def __str__(self) -> str:
        lines = [self.render()] + [f"  {key}: {msg}" for key, msg in self.field_errors().items()]
        return "\n".join(lines)


def render_text(value: str | Message, lang: str = DEFAULT_LANGUAGE) -> str:
    return value.render(lang) if isinstance(value, Message) else str(value)
