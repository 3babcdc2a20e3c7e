"""Reading a case back: its status, data, the engine's state and what it waits on."""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from service.operations import queries
from service.operations.case_store import load_workflow
from service.operations.context import AppContext
from service.persistence.models import ProcessInstance


def workflow_of(ctx: AppContext, case_id: int) -> Any:
    with ctx.db.reading() as session:
        instance = session.get(ProcessInstance, case_id)
        assert instance is not None
        return load_workflow(ctx, instance)


def status_of(ctx: AppContext, case_id: int) -> str:
    with ctx.db.reading() as session:
        return str(session.execute(select(ProcessInstance.status).where(
            ProcessInstance.id == case_id)).scalar_one())


def case_error(ctx: AppContext, case_id: int) -> str:
    with ctx.db.reading() as session:
        return str(session.execute(select(ProcessInstance.error).where(
            ProcessInstance.id == case_id)).scalar_one() or "")


def case_data(ctx: AppContext, case_id: int) -> dict[str, Any]:
    with ctx.db.reading() as session:
        return dict(session.execute(select(ProcessInstance.data).where(
            ProcessInstance.id == case_id)).scalar_one() or {})


def all_workflows(workflow: Any) -> list[Any]:
    return [workflow, *workflow.subprocesses.values()]


def waiting_on(ctx: AppContext, case_id: int) -> list[str]:
    """The elements the case is parked on: open tasks nobody may do and engine tasks that wait."""
    open_tasks = [t["element_id"] for t in queries.open_tasks(ctx, instance_id=case_id)]
    try:
        workflow = workflow_of(ctx, case_id)
    except Exception as exc:
        return [*open_tasks, f"(state unreadable: {crash(exc)})"]
    engine = {t.task_spec.bpmn_id for wf in all_workflows(workflow) for t in wf.tasks.values()
              if t.state in (TaskState.WAITING, TaskState.READY) and t.task_spec.bpmn_id}
    return sorted(set(open_tasks) | engine)


def completed_elements(ctx: AppContext, case_id: int) -> list[str]:
    workflow = workflow_of(ctx, case_id)
    return sorted({t.task_spec.bpmn_id for wf in all_workflows(workflow) for t in wf.tasks.values()
                   if t.state == TaskState.COMPLETED and t.task_spec.bpmn_id})


def crash(exc: BaseException) -> str:
    """One line: the exception and where in the product it came from."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/service/" in f.filename]
    where = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}{where}"
