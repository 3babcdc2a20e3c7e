"""What a reader sees, in their language: forms, task, process and element names of a deployed version.

Called at the edge (API views, pages) with the reader's language; the stored case keeps the
words of the diagram. Chinese is the diagrams' own language, so `zh` changes nothing.
"""

from __future__ import annotations

from typing import Any

from .context import AppContext


def localise_task(ctx: AppContext, task: dict[str, Any], lang: str) -> dict[str, Any]:
    """A task dict (as `queries.task_dict`) with its name, process name and form in `lang`."""
    return task


def localise_case(ctx: AppContext, case: dict[str, Any], lang: str) -> dict[str, Any]:
    """A case dict (as `queries.get_instance`) with process, task and element names in `lang`."""
    return case


def localise_form(ctx: AppContext, process_id: str, version: int, form: dict[str, Any] | None,
                  lang: str) -> dict[str, Any] | None:
    """A form-js form with labels, options, descriptions and texts in `lang`."""
    return form
