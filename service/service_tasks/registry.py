"""The named operations a diagram's service tasks may call — nothing else runs.

One module per operation registers itself with `@operation`; the deploy
check reads the signatures so a diagram naming an unknown operation or
leaving out a parameter is refused before it can run.
"""

from __future__ import annotations

import importlib
import pkgutil
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from service.engine.definitions import OperationSignature

from .context import Handler, ServiceContext


@dataclass(frozen=True)
class Operation:
    name: str
    handler: Handler
    required: frozenset[str]
    optional: frozenset[str]
    description: str
    checks: Mapping[str, Callable[[Any], str | None]]

    @property
    def signature(self) -> OperationSignature:
        return OperationSignature(self.required, self.optional, self.checks)


_OPERATIONS: dict[str, Operation] = {}
_LOADED = threading.Lock()
_loaded = False


def operation(name: str, *, required: tuple[str, ...] = (), optional: tuple[str, ...] = (),
              checks: Mapping[str, Callable[[Any], str | None]] | None = None) -> Callable[[Handler], Handler]:
    """`checks` validate parameters written as literals when a diagram is deployed."""
    def register(handler: Handler) -> Handler:
        _OPERATIONS[name] = Operation(name, handler, frozenset(required), frozenset(optional),
                                      (handler.__doc__ or "").strip().splitlines()[0] if handler.__doc__ else "",
                                      dict(checks or {}))
        return handler
    return register


def _load_all() -> None:
    package = importlib.import_module(__package__)
    for module in pkgutil.iter_modules(package.__path__):
        if module.name not in {"registry", "context"}:
            importlib.import_module(f"{__package__}.{module.name}")


def operations() -> Mapping[str, Operation]:
    """Every registered operation; the modules are imported once, under a lock, because the first
    requests of a fresh server thread pool arrive together and must not see a half-filled registry."""
    global _loaded
    if not _loaded:
        with _LOADED:
            if not _loaded:
                _load_all()
                _loaded = True
    return dict(_OPERATIONS)


def signatures() -> dict[str, OperationSignature]:
    return {name: op.signature for name, op in operations().items()}


class UnknownOperation(LookupError):
    pass


def call(name: str, context: ServiceContext, params: Mapping[str, Any]) -> Any:
    op = operations().get(name)
    if op is None:
        raise UnknownOperation(f"unknown service operation '{name}'")
    missing = op.required - set(params)
    if missing:
        raise TypeError(f"operation '{name}' needs parameter(s): {', '.join(sorted(missing))}")
    return op.handler(context, params)
