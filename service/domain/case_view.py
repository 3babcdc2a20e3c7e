"""Which case variables and which steps one viewer sees: the one rule for the case page, task pages and the API.

Who may open a case at all is `domain.access`; this module decides what they see once it is open. A form
declares what a case is about, so what no form declares is an internal variable (engine bookkeeping, mail
ids, computed workloads): shown only to the roles that read everything, as technical detail. A customer
sees only what is meant for them: fields marked `"properties": {"audience": "customer"}` and every field
of the forms of the customer lane's tasks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from service.domain.access import CUSTOMER_ROLE, READ_ALL_ROLES, Viewer

CUSTOMER_AUDIENCE = "customer"
_CONTAINERS = frozenset({"group", "dynamiclist"})
_LAYOUT = frozenset({"text", "html", "spacer", "separator", "image", "button", "iframe"})
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TEMPLATE = re.compile(r"\{\{(.*?)\}\}", re.S)
_FEEL_WORDS = frozenset({"and", "or", "not", "true", "false", "null", "list", "contains", "is", "defined", "in",
                         "if", "then", "else", "some", "every", "satisfies", "for", "return", "instance", "of",
                         "between", "function", "string", "number", "count", "sum", "length"})
# the case events a person causes; the rest (service tasks, timers, mails, tasks handed out) is the system's
PEOPLES_EVENTS = frozenset({
    "case_started", "task_completed", "task_claimed", "task_released", "comment_added", "task_sent_back",
    "task_transferred", "task_delegated", "delegation_submitted", "task_urged", "signer_added", "signer_signed",
    "task_held_for_signer", "case_withdrawn", "case_cancelled", "case_copied", "incident_resolved",
    "case_completed", "migrated"})
# events that carry internal words (comments, reasons, assignments): never shown to a customer
_INTERNAL_EVENTS = frozenset({"comment_added", "task_sent_back", "task_transferred", "task_delegated",
                              "delegation_submitted", "task_urged", "signer_added", "signer_signed",
                              "task_held_for_signer", "case_copied", "task_claimed", "task_released", "migrated"})


def inputs(form: Mapping[str, Any] | None) -> Iterator[dict[str, Any]]:
    """The input components of a form in order; a group with a path counts as one input of that key."""
    def walk(components: Any) -> Iterator[dict[str, Any]]:
        for component in components or []:
            if not isinstance(component, dict):
                continue
            kind = component.get("type")
            if kind in _CONTAINERS:
                if component.get("path"):
                    yield {**component, "key": str(component["path"]).split(".")[0]}
                else:
                    yield from walk(component.get("components"))
            elif kind not in _LAYOUT and component.get("key"):
                yield component
    yield from walk((form or {}).get("components"))


def form_keys(form: Mapping[str, Any] | None) -> frozenset[str]:
    return frozenset(str(c["key"]).split(".")[0] for c in inputs(form))


def _property(component: Mapping[str, Any], name: str) -> str:
    return str((component.get("properties") or {}).get(name) or "").strip().lower()


def is_customer_facing(component: Mapping[str, Any]) -> bool:
    return _property(component, "audience") == CUSTOMER_AUDIENCE


def summary_fields(start_form: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The start form's fields marked `"properties": {"summary": "true"}`: what a case is about, in order."""
    return [c for c in inputs(start_form) if _property(c, "summary") == "true"]


def referenced_names(form: Mapping[str, Any] | None) -> frozenset[str]:
    """Variables a form's expressions (`=…`) and templates (`{{ … }}`) read: its page needs their values."""
    found: set[str] = set()

    def names_in(text: str) -> None:
        bare = _STRING.sub(" ", text)
        found.update(n for n in _NAME.findall(re.sub(r"\.\s*[A-Za-z_][A-Za-z0-9_]*", " ", bare))
                     if n not in _FEEL_WORDS)

    def scan(value: Any) -> None:
        if isinstance(value, str):
            if value.startswith("="):
                names_in(value[1:])
            for inner in _TEMPLATE.findall(value):
                names_in(inner)
        elif isinstance(value, dict):
            for inner in value.values():
                scan(inner)
        elif isinstance(value, list):
            for inner in value:
                scan(inner)
    scan((form or {}).get("components"))
    return frozenset(found)


@dataclass(frozen=True)
class ProcessForms:
    """The forms of one deployed version: the start form and, per user task, its lane's role and its form."""

    start_form: dict[str, Any] | None = None
    tasks: dict[str, tuple[str | None, dict[str, Any] | None]] = field(default_factory=dict)

    def all_forms(self) -> list[dict[str, Any]]:
        return [f for f in [self.start_form, *(form for _role, form in self.tasks.values())] if f]

    def customer_steps(self) -> frozenset[str]:
        return frozenset(element for element, (role, _form) in self.tasks.items() if role == CUSTOMER_ROLE)


@dataclass(frozen=True)
class CaseView:
    """What one viewer sees of one case."""

    customer: bool
    technical: bool  # sees the internal variables (behind 「技术细节」)
    declared: frozenset[str]
    customer_facing: frozenset[str]
    customer_steps: frozenset[str]

    def shows(self, key: str) -> bool:
        if self.customer:
            return key in self.customer_facing
        return self.technical or key in self.declared

    def variables(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """The case variables this viewer may read: everything for the read-all roles."""
        return {k: v for k, v in data.items() if self.shows(k)}

    def is_internal(self, key: str) -> bool:
        return key not in self.declared

    def task_data(self, data: Mapping[str, Any], form: Mapping[str, Any] | None) -> dict[str, Any]:
        """A task's data: what the viewer sees, plus what its own form shows and (for staff) reads."""
        own = form_keys(form) | (frozenset() if self.customer else referenced_names(form))
        return {k: v for k, v in data.items() if self.shows(k) or k in own}

    def shows_step(self, element_id: str | None) -> bool:
        return not self.customer or (element_id or "") in self.customer_steps

    def shows_event(self, event: Mapping[str, Any]) -> bool:
        """Customers follow their own part: the start, their steps, the end — no internal exchanges."""
        if not self.customer:
            return True
        kind, payload = event.get("type"), event.get("payload") or {}
        if kind in ("case_started", "case_completed"):
            return True
        if kind in _INTERNAL_EVENTS:
            return False
        return kind in ("task_completed", "task_created") and self.shows_step(payload.get("element_id"))

    def event(self, event: Mapping[str, Any]) -> dict[str, Any]:
        """An audit event as this viewer may read it: submitted data cut to the visible variables."""
        payload = dict(event.get("payload") or {})
        if isinstance(payload.get("data"), dict):
            payload["data"] = self.variables(payload["data"])
        return {**event, "payload": payload}

    @property
    def shows_comments(self) -> bool:
        return not self.customer

    @property
    def shows_mails(self) -> bool:
        return not self.customer


def customer_keys(forms: ProcessForms) -> frozenset[str]:
    keys = {str(c["key"]).split(".")[0] for form in forms.all_forms() for c in inputs(form) if is_customer_facing(c)}
    for element in forms.customer_steps():
        keys |= form_keys(forms.tasks[element][1])
    return frozenset(keys)


def case_view(viewer: Viewer, forms: ProcessForms) -> CaseView:
    declared = frozenset().union(*(form_keys(f) for f in forms.all_forms()))
    return CaseView(customer=viewer.is_customer, technical=bool(viewer.roles & READ_ALL_ROLES), declared=declared,
                    customer_facing=customer_keys(forms), customer_steps=forms.customer_steps())


FULL_VIEW = CaseView(customer=False, technical=True, declared=frozenset(), customer_facing=frozenset(),
                     customer_steps=frozenset())
