"""A cycle timer on an intermediate catch event fires once, at its first due time, and the path goes on.

SpiffWorkflow 3.2 treats every cycle timer as a start or boundary timer: the event stays waiting and
adds a new path after it each time the cycle comes round. On an intermediate catch event that meant
the case went on once and then waited on the catch again, with no due time a poller could act on.
BPMN's intermediate catch event is passed once, so the intermediate catch parser here gives its
cycle timer this definition: due at the cycle's first time (as the engine computes it), then fired.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions import timer as engine_timers
from SpiffWorkflow.bpmn.specs.event_definitions.timer import CycleTimerEventDefinition, TimerEventDefinition
from SpiffWorkflow.bpmn.util import PendingBpmnEvent
from SpiffWorkflow.spiff.parser.event_parsers import SpiffIntermediateCatchEventParser


class FirstCycleTimerEventDefinition(TimerEventDefinition):
    """A cycle timer passed once: it fires at the first time of its cycle, never adds paths. (Not a
    CycleTimerEventDefinition: the engine predicts no path after one of those, so none would follow.)"""

    def has_fired(self, my_task: Any) -> bool:
        if my_task._get_internal_data("event_fired", False):
            return True
        value = my_task._get_internal_data("event_value")
        if value is None:
            expression = my_task.workflow.script_engine.evaluate(my_task, self.expression)
            cycles, start, duration = TimerEventDefinition.parse_iso_recurring_interval(expression)
            value = {"cycles": cycles, "next": start.isoformat(), "duration": duration.total_seconds()}
            my_task._set_internal_data(event_value=value)
        now = engine_timers.datetime.now(UTC)  # the engine's clock (see clock.py)
        if datetime.fromisoformat(value["next"]) < now:
            my_task._set_internal_data(event_fired=True)
        return bool(my_task._get_internal_data("event_fired", False))

    def details(self, my_task: Any) -> Any:
        value = my_task._get_internal_data("event_value")
        return PendingBpmnEvent(self.name, self.__class__.__name__, value["next"] if value else None)


class OnceCycleCatchEventParser(SpiffIntermediateCatchEventParser):
    def create_task(self) -> Any:
        task = super().create_task()
        if type(task.event_definition) is CycleTimerEventDefinition:
            task.event_definition.__class__ = FirstCycleTimerEventDefinition
        return task
