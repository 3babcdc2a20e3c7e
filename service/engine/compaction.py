"""Keep a case's live state the size of its present, however often an activity has repeated.

SpiffWorkflow keeps every finished round of a loop activity in the live tree: the loop task holds one
child per round and, for a sub-process round, the top workflow holds one sub-workflow of ~7 tasks per
round (`subprocesses`, keyed by the child's id). Every step walks, saves and loads all of them, so a
case's step cost grows with its past, and past ~1,000 rounds of a sub-process loop the engine's task
iterator loses sight of the ready task: it counts one level deeper for every finished round it skips
(`BpmnTaskIterator` treats a child with a finished sub-workflow as a branch it never returns from) and
stops at `max_depth`.

After each engine run the finished rounds of every standard loop and sequential multi-instance
activity are dropped, all but the most recent one. What the engine still reads stays:

- the round in progress and the latest finished one (the workflow's `last_task`, whose data the case
  shows, is that round; `DeepMerge` already folded every round's data into the loop task);
- the round count. SpiffWorkflow counts rounds as the length of the loop task's
  `internal_data['merged']` (one id per merged round) and reads that length in two places: a
  `loopMaximum` stops the loop when it is reached, and each new round's `iteration` is numbered by
  it. A list of thousands of ids (or even of zeros: the serializer converts item by item) would
  make every save and load grow with the past again, so a loop without a maximum keeps only its
  last entry (`check_completion_condition` reads that one, and only right after a merge appended
  it) and counts the folded ones in `internal_data['merged_folded']`; the open round's and the
  latest finished round's `iteration` are set from the full count. A loop with a maximum keeps one
  entry per round (the maximum bounds them), each finished one shrunk to 0.

Parallel multi-instance children are created together from the input collection, not one per
repetition, and are left alone. The history itself is not lost: the audit log holds every step,
and replay re-runs them through this same compaction. A pure function of the state: the same
state always compacts to the same state.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import SequentialMultiInstanceTask, StandardLoopTask
from SpiffWorkflow.util.task import TaskState

REPEATING = (StandardLoopTask, SequentialMultiInstanceTask)
FOLDED = "merged_folded"  # merged rounds no longer listed in the loop task's `merged`
SPENT = 0  # what a merged round's id shrinks to where the list must keep its length


def rounds_merged(loop: Any) -> int:
    """How many rounds of this loop task have finished and been merged, folded ones included."""
    return int(loop.internal_data.get(FOLDED, 0)) + len(loop.internal_data.get("merged", []))


def compact_finished_loops(workflow: BpmnWorkflow) -> int:
    """Drop the finished rounds of repeating activities that nothing reads any more; how many."""
    dropped = 0
    for key in list(workflow.subprocesses):
        sub = workflow.subprocesses.get(key)  # a sub-workflow of a dropped round is gone already
        if sub is not None:
            dropped += _compact_in(workflow, sub)
    return dropped + _compact_in(workflow, workflow)


def _compact_in(top: BpmnWorkflow, wf: Any) -> int:
    dropped = 0
    for task in [t for t in wf.tasks.values() if isinstance(t.task_spec, REPEATING)]:
        dropped += _compact_loop(top, wf, task)
    return dropped


def _compact_loop(top: BpmnWorkflow, wf: Any, loop: Any) -> int:
    _fold_count(loop)
    body = loop.task_spec.task_spec
    rounds = [c for c in loop.children if c.task_spec.name == body]
    finished = [c for c in rounds if c.state == TaskState.COMPLETED]
    if isinstance(loop.task_spec, StandardLoopTask):
        _number_rounds(loop, rounds, finished)
    last = wf.last_task.id if wf.last_task is not None else None
    stale = [c for c in finished[:-1] if c.id != last]
    if not stale:
        return 0
    gone: set[UUID] = set()
    for round_ in stale:
        gone.update(_subtree(wf, round_.id))
    loop._children = [child for child in loop._children if child not in gone]
    for task_id in gone:
        del wf.tasks[task_id]
    _drop_subworkflows(top, gone)
    return len(stale)


def _fold_count(loop: Any) -> None:
    merged = loop.internal_data.get("merged")
    if not isinstance(merged, list) or len(merged) < 2:
        return
    if getattr(loop.task_spec, "maximum", None) is not None:  # the engine stops it by the list's length
        if any(entry != SPENT for entry in merged[:-1]):
            loop.internal_data["merged"] = [SPENT] * (len(merged) - 1) + merged[-1:]
        return
    loop.internal_data[FOLDED] = int(loop.internal_data.get(FOLDED, 0)) + len(merged) - 1
    loop.internal_data["merged"] = merged[-1:]


def _number_rounds(loop: Any, rounds: list[Any], finished: list[Any]) -> None:
    """Each round as SpiffWorkflow numbers it from the count: the open one is round `count`, the latest
    finished one `count - 1` (a round begun within this run was numbered from the shortened list)."""
    count = rounds_merged(loop)
    if finished:
        finished[-1].internal_data["iteration"] = count - 1
    for round_ in rounds:
        if not round_.has_state(TaskState.FINISHED_MASK) and "iteration" in round_.internal_data:
            round_.internal_data["iteration"] = count


def _subtree(wf: Any, task_id: UUID) -> list[UUID]:
    found, pending = [], [task_id]
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(wf.tasks[current]._children)
    return found


def _drop_subworkflows(top: BpmnWorkflow, task_ids: set[UUID]) -> None:
    """The sub-workflows of dropped tasks, those nested in them, and any timers they still listed."""
    pending = [task_id for task_id in task_ids if task_id in top.subprocesses]
    forgotten = set(task_ids)
    while pending:
        sub = top.subprocesses.pop(pending.pop())
        forgotten.update(sub.tasks)
        pending.extend(task_id for task_id in sub.tasks if task_id in top.subprocesses)
    for task_id in forgotten:
        top.event_manager.tasks.pop(task_id, None)
