"""Workflow state without its spec, and the spec once per version.

SpiffWorkflow embeds the whole parsed spec in every serialized workflow
(about 60 % of an instance's JSON). We store the spec once per deployed
version and keep instance state spec-free; restoring takes the cached spec
objects of that version.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from .ad_hoc import settle_ad_hoc
from .event_subprocesses import settle_interrupting_starts
from .parser_hooks import EVENT_DEFINITION_CONVERTERS

STATE_FORMAT = "guicheng-state/1"
_PLAIN_TEXT = (date, datetime, time, timedelta, UUID)


class _SpecFreeWorkflowConverter(BpmnWorkflowConverter):
    def to_dict(self, workflow):
        dct = super(BpmnWorkflowConverter, self).to_dict(workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = [_unhandled_event(event) for event in workflow.bpmn_events]
        return dct

    def from_dict(self, dct, spec=None, subprocess_specs=None):
        workflow = self.target_class(spec, subprocess_specs or {}, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def _unhandled_event(event: Any) -> Any:
    """An event the workflow threw that nothing inside it caught (e.g. an escalation at an end event).
    The engine's registry has no converter for these; kept as what they say, not as an object's
    address, so the same step always stores the same state."""
    if isinstance(event, dict | str):
        return event
    definition = getattr(event, "event_definition", None)
    return {"event": type(definition).__name__, "name": getattr(definition, "name", None),
            "payload": json.loads(json.dumps(getattr(event, "payload", None), ensure_ascii=False, default=str))}


def _make_serializers() -> tuple[BpmnWorkflowSerializer, BpmnWorkflowSerializer]:
    spec_config = {**SPIFF_CONFIG, **EVENT_DEFINITION_CONVERTERS}
    spec_serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(spec_config))
    config = dict(spec_config)
    config[BpmnWorkflow] = _SpecFreeWorkflowConverter
    state_serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(config))
    return spec_serializer, state_serializer


_SPECS, _STATE = _make_serializers()


def dump_specs(spec: Any, subprocess_specs: Mapping[str, Any]) -> str:
    payload = {
        "spec": _SPECS.to_dict(spec),
        "subprocess_specs": {name: _SPECS.to_dict(s) for name, s in subprocess_specs.items()},
        "serializer_version": _SPECS.VERSION,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True)


def load_specs(text: str) -> tuple[Any, dict[str, Any]]:
    payload = json.loads(text)
    spec = _SPECS.from_dict(payload["spec"])
    subs = {name: _SPECS.from_dict(s) for name, s in payload["subprocess_specs"].items()}
    for each in [spec, *subs.values()]:
        settle_spec(each)
    return spec, subs


def settle_spec(spec: Any) -> None:
    """What every spec needs before a case runs on it, whether parsed now or read from storage."""
    settle_event_subprocesses(spec)
    settle_ad_hoc(spec)
    settle_interrupting_starts(spec)


def settle_event_subprocesses(spec: Any) -> None:
    """Wire the event subprocesses that a message (or signal, error, escalation) starts, once, at load.

    SpiffWorkflow wires such an event subprocess into its parent's spec only when the event first
    arrives (`BpmnStartTask.trigger_wf` connects it to the start and the end). That wiring lives on
    the spec object: a spec read again from its stored JSON lacks it, and a case triggered before
    the reload then fails when the event subprocess finishes ("No input task connected"); and on a
    spec shared by every case of a version, one case's trigger would change the spec all the others
    run on. Wired here — input and end, but not as an output of the start, so a case still begins
    without it — the engine finds it connected and never changes the spec at run time. Idempotent.
    """
    start = getattr(spec, "start", None)
    if start is None:
        return
    for name in getattr(start, "trigger_specs", None) or []:
        task_spec = spec.task_specs.get(name)
        if task_spec is None:
            continue
        if start not in task_spec.inputs:
            task_spec._inputs.append(start.name)
        if spec.end not in task_spec.outputs:
            task_spec.connect(spec.end)


def dump_state(workflow: BpmnWorkflow) -> str:
    _STATE.registry._encoder_mode = True  # the serializer's own flag for non-JSON data
    try:
        dct = _STATE.to_dict(workflow)
        dct["format"] = STATE_FORMAT
        dct["serializer_version"] = _STATE.VERSION
        # key order matters: tasks are restored in order and a child needs its parent first
        return json.dumps(dct, ensure_ascii=False, default=_engine_object)
    finally:
        _STATE.registry._encoder_mode = False


def _engine_object(value: Any) -> Any:
    """What JSON cannot hold as such. The engine's own event objects (an event-based gateway keeps the
    events it saw in its task's internal data) are written as the engine's serializer writes them, so
    they read back as the same objects and the same step always stores the same text — not as an
    object's address. Dates, times and ids stay the text they always were."""
    if not isinstance(value, _PLAIN_TEXT) and value.__class__ in _STATE.registry.typenames:
        return _STATE.registry._convert_for_encoder(value)
    return str(value)


def load_state(text: str, spec: Any, subprocess_specs: Mapping[str, Any]) -> BpmnWorkflow:
    dct = json.loads(text)
    dct.pop("format", None)
    dct.pop("serializer_version", None)
    return _STATE.from_dict(dct, spec=spec, subprocess_specs=dict(subprocess_specs))
