"""The engine's script engine: restricted evaluation and named service calls.

Every expression in a diagram (gateway conditions, timers, service task
parameters, DMN cells) and every script task goes through `safe_eval`, never
through Python's bare `eval`/`exec`. Service tasks are dispatched to a
handler supplied per run, so the engine never imports the operations.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from . import safe_eval
from .evaluation.budget import current_budget, describe, evaluation_site

ServiceHandler = Callable[[str, dict[str, Any], Mapping[str, Any], Any], Any]
"""(operation_name, params, task_data, spiff_task) -> JSON-able result."""


class ServiceCallFailed(RuntimeError):
    """A named operation raised; carries the element id for the error message."""

    def __init__(self, element_id: str, operation: str, cause: BaseException):
        super().__init__(f"{element_id}: operation '{operation}' failed: {cause}")
        self.element_id = element_id
        self.operation = operation
        self.cause = cause


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    def evaluate(self, expression, context, external_context=None):
        if expression is None:  # an absent condition (an ad-hoc subprocess without completionCondition)
            return None  # is no condition: falsy, so the engine waits for every path, as BPMN says
        names = dict(external_context or {})
        names.update(context)
        return safe_eval.evaluate(expression, names)

    def execute(self, script, context, external_context=None):
        names = dict(context)
        safe_eval.execute(script, names)
        for key in list(context):
            if key not in names:
                del context[key]
        context.update({k: v for k, v in names.items() if not callable(v)})
        return True

    def call_service(self, context, **kwargs):  # pragma: no cover - routed by the engine below
        raise NotImplementedError


def _kind(spec: Any, source: str, script: bool) -> str:
    """What a source is to the element evaluating it, as the author would say it."""
    if script:
        if source == getattr(spec, "prescript", None):
            return "preScript"
        return "postScript" if source == getattr(spec, "postscript", None) else "script"
    if hasattr(spec, "dmnEngine"):
        return "decision table cell"
    if hasattr(spec, "operation_params"):
        return "service parameter"
    if isinstance(getattr(spec, "event_definition", None), TimerEventDefinition):
        return "timer"
    if hasattr(spec, "cond_task_specs"):
        return "condition"
    return "multi-instance expression" if hasattr(spec, "cardinality") else "expression"


@contextlib.contextmanager
def _evaluating(task: Any, source: str, script: bool) -> Iterator[None]:
    """Name the element in budget errors, and remember a run-time refusal for the runner
    (the engine wraps what evaluation raises in its own exceptions, losing the element)."""
    spec = task.task_spec
    element = getattr(spec, "bpmn_id", None) or spec.name
    what = describe(_kind(spec, source, script), source)
    with evaluation_site(element, what):
        try:
            yield
        except Exception as exc:
            refusal = _refusal_in(exc)
            if refusal is not None:
                refused = safe_eval.EvaluationRefused(f"{element}: {what} refused: {refusal}", element_id=element)
                refused.__cause__ = refusal  # how the runner recognises it in what the engine raises
                current_budget().record(refused)
            raise


def _refusal_in(exc: BaseException | None) -> safe_eval.UnsafeExpression | None:
    for _ in range(10):  # the engine re-raises inside `except`, so the refusal is in the context
        if exc is None or isinstance(exc, safe_eval.UnsafeExpression):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


class RestrictedScriptEngine(PythonScriptEngine):
    """One per run: holds the service handler of the operation in progress."""

    def __init__(self, service_handler: ServiceHandler | None = None):
        super().__init__(environment=RestrictedEnvironment())
        self.service_handler = service_handler

    def validate(self, expression):
        safe_eval.check_expression(expression)

    def evaluate(self, task, expression, external_context=None):
        with _evaluating(task, expression, script=False):
            return super().evaluate(task, expression, external_context)

    def execute(self, task, script, external_context=None):
        with _evaluating(task, script, script=True):
            return super().execute(task, script, external_context)

    def call_service(self, task, **kwargs):
        operation = kwargs["operation_name"]
        params = {name: spec["value"] for name, spec in kwargs["operation_params"].items()}
        if self.service_handler is None:
            raise ServiceCallFailed(task.task_spec.bpmn_id, operation, RuntimeError("no service handler"))
        try:
            result = self.service_handler(operation, params, task.data, task)
        except ServiceCallFailed:
            raise
        except Exception as exc:  # surfaced with the element id, not the engine's NameError
            raise ServiceCallFailed(task.task_spec.bpmn_id, operation, exc) from exc
        return json.dumps(result, ensure_ascii=False)
