"""Ad-hoc subprocesses: made to run their paths to the end.

SpiffWorkflow 3.2 merges the ad-hoc subprocess's data into each path still open whenever one path
completes, and then removes a `data_objects` entry from it that only exists when the subprocess
declares data objects — so without any, completing the first task in it fails with a KeyError.
The completion callback is wrapped here, once per spec at load, to make sure that entry exists
(empty, as the engine itself creates it for a process with data objects) before the engine's own
callback runs. An absent completionCondition is handled in the script engine (no condition).
"""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.specs import AdHocSubprocessSpec


class _PathCompleted:
    """The engine's `path_complete`, with the data it expects in place."""

    def __init__(self, spec: AdHocSubprocessSpec) -> None:
        self.spec = spec

    def __call__(self, workflow: Any, task: Any) -> None:
        workflow.data.setdefault("data_objects", {})
        self.spec.path_complete(workflow, task)


def settle_ad_hoc(spec: Any) -> None:
    """Swap the engine's completion callback for the wrapped one on every task spec. Idempotent."""
    if not isinstance(spec, AdHocSubprocessSpec):
        return
    wrapped = getattr(spec, "_settled_path_complete", None)
    if wrapped is None:
        wrapped = spec._settled_path_complete = _PathCompleted(spec)
    for task_spec in spec.task_specs.values():
        event = task_spec.completed_event
        if event.is_connected(spec.path_complete):
            event.disconnect(spec.path_complete)
            event.connect(wrapped)
