"""The one error a case step raises when the engine cannot go on.

Its own module so that the evaluator (which stops runaway diagram code) and the
runner (which stops runaway diagrams) raise the same family, and the operations
layer catches one class.
"""

from __future__ import annotations


class EngineError(RuntimeError):
    """A case cannot go on; the message names the element."""
