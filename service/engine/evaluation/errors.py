"""What the evaluator raises: a refusal (the code may not run) or an exhausted budget."""

from __future__ import annotations

from ..errors import EngineError


class UnsafeExpression(ValueError):
    """A diagram expression or script was refused; says what and where."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None,
                 source: str = "") -> None:
        super().__init__(message)
        self.message, self.line, self.column, self.source = message, line, column, source

    def __str__(self) -> str:
        where = "" if self.line is None else f"line {self.line}, column {self.column}: "
        return where + self.message


class UnsafeSyntax(UnsafeExpression, SyntaxError):
    """A syntax error; also a SyntaxError so the DMN engine can retry a cell as `v <cell>`."""


class BudgetExceeded(EngineError):
    """One engine run spent its evaluation budget; names the element and the limit."""

    def __init__(self, message: str, *, element_id: str | None, limit: str) -> None:
        super().__init__(message)
        self.element_id, self.limit = element_id, limit


class EvaluationRefused(EngineError):
    """A guard refused an operation while a case ran (e.g. a result too long); names the element."""

    def __init__(self, message: str, *, element_id: str | None) -> None:
        super().__init__(message)
        self.element_id = element_id
