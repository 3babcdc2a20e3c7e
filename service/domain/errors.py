"""Input a person gave that a rule refuses; carries the form field so the message lands next to it.

The message is a code with parameters (`service.domain.messages`), rendered in the reader's language at
the edge; `str(exc)` is the Chinese sentence.
"""

from __future__ import annotations

from typing import Any

from .messages import Message


class InputRejected(ValueError):
    def __init__(self, said: str | Message, field: str = "", /, **params: Any):
        self.message = said if isinstance(said, Message) else Message(said, params)
        super().__init__(self.message.code)
        self.field = field

    def __str__(self) -> str:
        return str(self.message)
