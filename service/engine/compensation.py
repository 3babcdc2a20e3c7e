"""Compensation starts of event subprocesses: they wait for a compensation nothing here throws.

SpiffWorkflow 3.2 has no compensation: it reads a compensation start event as a none start, so an
event subprocess meant to undo work ran with every case, at once, whether anything went wrong or
not. Its start event is given this definition instead, which no thrown event matches: the handler
never starts on its own (the engine throws no compensation either, so none arrives).
"""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.base import EventDefinition

COMPENSATE_EVENT_XPATH = ".//bpmn:compensateEventDefinition"


class CompensationEventDefinition(EventDefinition):
    """Caught by nothing: no compensation is ever thrown in this engine."""

    def catches(self, my_task: Any, event: Any) -> bool:
        return False
