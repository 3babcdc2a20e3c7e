"""Input a person gave that a rule refuses; carries the form field so the message lands next to it."""

from __future__ import annotations


class InputRejected(ValueError):
    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field
