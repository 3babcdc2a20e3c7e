"""What a person needs to know of a case before doing its next step: its summary and, in order, what was
decided and said so far (choices and comments of the completed tasks, 审批意见, reasons of 退回 and the like).

Both are declared with the forms, never per page: the summary is the start form's fields marked
`summary`, a decision is a choice or a comment field of the form that was submitted. Everything passes
through the reader's `domain.case_view` first, so a customer never reads an internal word.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from service.domain.case_view import ProcessForms, inputs, summary_fields
from service.persistence.models import ProcessDefinition

from . import queries
from .case_store import case_or_missing
from .context import AppContext
from .localise import localise_case_events, localise_form

CHOICE_TYPES = frozenset({"radio", "select", "checkbox", "checklist", "taglist"})
COMMENT_TYPES = frozenset({"textarea"})
# the words of an event that are a decision or its reason, by event type
_EVENT_TEXT = {"comment_added": "text", "task_sent_back": "reason", "signer_added": "text", "signer_signed": "text",
               "case_withdrawn": "reason", "case_cancelled": "reason"}
DECISION_EVENTS = frozenset({"case_started", "task_completed", "task_transferred", "task_delegated", *_EVENT_TEXT})


def field_value(component: Mapping[str, Any], value: Any) -> dict[str, Any]:
    """One filled field: its label, its value and the option labels to show the value by."""
    options = {str(o["value"]): str(o.get("label", o["value"])) for o in component.get("values") or []
               if isinstance(o, dict) and "value" in o}
    return {"key": str(component["key"]), "label": str(component.get("label") or component["key"]),
            "type": component.get("type"), "value": value, "options": options}


def _filled(value: Any) -> bool:
    return value not in (None, "", [], {})


def case_summary(ctx: AppContext, instance_id: int, actor: str, lang: str) -> list[dict[str, Any]]:
    """The start form's summary fields that the case has a value for and the actor may see."""
    case = queries.show_case(ctx, instance_id, actor=actor)
    forms = _forms(ctx, case["process_id"], case["version"], lang)
    return [field_value(c, case["data"][c["key"]]) for c in summary_fields(forms.start_form)
            if _filled(case["data"].get(c["key"]))]


def _decided(form: Mapping[str, Any] | None, data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The choices and comments a person gave in a form (what they only read is not their decision)."""
    return [field_value(c, data[c["key"]]) for c in inputs(form)
            if c.get("type") in CHOICE_TYPES | COMMENT_TYPES and not c.get("readonly") and _filled(data.get(c["key"]))]


def decisions(ctx: AppContext, instance_id: int, actor: str, lang: str) -> list[dict[str, Any]]:
    """Who decided or said what, when, oldest first, as the actor may see it."""
    events = localise_case_events(ctx, instance_id, queries.history(ctx, instance_id, actor=actor), lang)
    process = _process_of(ctx, instance_id)
    forms = _forms(ctx, process[0], process[1], lang)
    summary = {str(c["key"]) for c in summary_fields(forms.start_form)}
    step_names = {p["task_id"]: p["name"] for e in events if (p := e["payload"] or {}).get("task_id") and p.get("name")}
    found = []
    for event in events:
        kind, payload = event["type"], event["payload"] or {}
        if kind not in DECISION_EVENTS:
            continue
        fields: list[dict[str, Any]] = []
        if kind == "task_completed":
            fields = _decided(forms.tasks.get(payload.get("element_id") or "", (None, None))[1],
                              payload.get("data") or {})
        elif kind == "case_started":
            given = payload.get("data") or {}
            fields = [f for f in _decided(forms.start_form, given) if f["key"] not in summary]
        found.append({"seq": event["seq"], "at": event["at"], "actor": event["actor"], "kind": kind,
                      "step": payload.get("name") or step_names.get(payload.get("task_id")),
                      "fields": fields, "text": str(payload.get(_EVENT_TEXT.get(kind, ""), "") or ""),
                      "to": payload.get("to"), "to_step": payload.get("to_name"),
                      "decision": payload.get("decision"), "task_id": payload.get("task_id")})
    return found


def _process_of(ctx: AppContext, instance_id: int) -> tuple[str, int]:
    with ctx.db.reading() as session:
        instance = case_or_missing(session, instance_id)
        return instance.process_id, instance.definition.version


def _forms(ctx: AppContext, process_id: str, version: int, lang: str) -> ProcessForms:
    """The version's forms in the reader's language."""
    with ctx.db.reading() as session:
        definition = session.execute(select(ProcessDefinition).where(
            ProcessDefinition.process_id == process_id, ProcessDefinition.version == version)).scalar_one()
        forms = queries.process_forms(ctx, definition)
    start = localise_form(ctx, process_id, version, forms.start_form, lang)
    tasks = {element: (role, localise_form(ctx, process_id, version, form, lang))
             for element, (role, form) in forms.tasks.items()}
    return ProcessForms(start, tasks)


def next_task_of_case(ctx: AppContext, instance_id: int, actor: str, after: int) -> dict[str, Any] | None:
    """The actor's next open task of the same case (soonest due first), to go on with after submitting one."""
    found = [t for t in queries.open_tasks(ctx, actor=actor, instance_id=instance_id) if t["id"] != after]
    mine = [t for t in found if t["assignee"] == actor]
    chosen = mine or found
    return chosen[0] if chosen else None
