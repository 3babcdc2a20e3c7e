"""Errors the use cases raise; the CLI and the API translate them (exit codes, 4xx)."""

from __future__ import annotations


class OperationError(Exception):
    status = 400


class NotFound(OperationError):
    status = 404


class Forbidden(OperationError):
    status = 403


class Conflict(OperationError):
    status = 409


class ValidationFailed(OperationError):
    """Per-field messages: {field key: message}."""

    status = 400

    def __init__(self, message: str, errors: dict[str, str]):
        super().__init__(message)
        self.errors = errors

    def __str__(self) -> str:
        lines = [self.args[0]] + [f"  {key}: {msg}" for key, msg in self.errors.items()]
        return "\n".join(lines)
