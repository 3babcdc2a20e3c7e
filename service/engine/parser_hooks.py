"""The product's own readings of BPMN where SpiffWorkflow 3.2 reads it wrongly or not at all.

Each hook is a parser subclass for one element (see its module for why): the start event of an
event subprocess (isInterrupting; error, escalation and compensation starts), the intermediate
throw event (link throw → link catch) and the intermediate catch event (a cycle timer passed
once). `ProductBpmnParser` is the engine's parser with them; `definitions` is the one place
that parses. Event definitions the hooks create are listed in `EVENT_DEFINITION_CONVERTERS` for the serializer.
"""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.parser.util import full_tag
from SpiffWorkflow.bpmn.serializer.default.event_definition import TimerConditionalEventDefinitionConverter
from SpiffWorkflow.bpmn.serializer.helpers.spec import EventDefinitionConverter
from SpiffWorkflow.bpmn.specs.defaults import IntermediateCatchEvent, IntermediateThrowEvent, StartEvent
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

from .compensation import CompensationEventDefinition
from .cycle_catch import FirstCycleTimerEventDefinition, OnceCycleCatchEventParser
from .event_subprocesses import InterruptingStartEventParser
from .link_events import LinkThrowEventParser

PARSER_CLASSES: dict[str, tuple[Any, Any]] = {
    full_tag("startEvent"): (InterruptingStartEventParser, StartEvent),
    full_tag("intermediateThrowEvent"): (LinkThrowEventParser, IntermediateThrowEvent),
    full_tag("intermediateCatchEvent"): (OnceCycleCatchEventParser, IntermediateCatchEvent),
}

EVENT_DEFINITION_CONVERTERS: dict[type, type] = {
    CompensationEventDefinition: EventDefinitionConverter,
    FirstCycleTimerEventDefinition: TimerConditionalEventDefinitionConverter,
}


class ProductBpmnParser(SpiffBpmnParser):
    OVERRIDE_PARSER_CLASSES = {**SpiffBpmnParser.OVERRIDE_PARSER_CLASSES, **PARSER_CLASSES}

