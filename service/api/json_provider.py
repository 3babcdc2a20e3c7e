"""JSON in and out of the application, for the API and the pages alike.

In: every document goes through the input limits (no NaN, no lone surrogates,
no control characters, bounded depth, strings, lists and members). Out:
non-finite numbers become null, because NaN is no JSON and browsers refuse it.
"""

from __future__ import annotations

import math
from typing import Any

from flask.json.provider import DefaultJSONProvider

from service.api.language import language
from service.domain.input_limits import parse_json
from service.domain.messages import Message


def finite(value: Any) -> Any:
    """The value with every NaN or infinity replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value


def _rendered(value: Any) -> Any:
    """A message in an answer (a refusal, a field error) as a sentence in the caller's language."""
    if isinstance(value, Message):
        return value.render(language())
    return DefaultJSONProvider.default(value)


class GuardedJSONProvider(DefaultJSONProvider):
    default = staticmethod(_rendered)

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        kwargs.setdefault("allow_nan", False)
        try:
            return super().dumps(obj, **kwargs)
        except ValueError:  # only a non-finite float makes json refuse with allow_nan=False
            return super().dumps(finite(obj), **kwargs)

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return parse_json(s)
