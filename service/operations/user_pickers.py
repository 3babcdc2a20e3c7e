"""User-picker fields: their options come from the directory, and a submission is checked against it.

Why on the server: the browser's options are a convenience; a name typed into the API, or a person
who lost the role since the form was shown, must be a field error, not an assignment to nobody.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain import forms as form_rules
from service.domain.access import CUSTOMER_ROLE, role_words
from service.domain.messages import Message
from service.persistence.models import User, UserRole
from service.persistence.read_cache import while_unchanged

from .directory import department_paths


def candidates(session: Session, role: str, company: str | None = None) -> list[dict[str, str]]:
    """The options of a picker for `role`: active people holding it, with their department (or a
    customer contact's company); `company` narrows customer contacts to that customer's."""
    def load() -> list[dict[str, str]]:
        paths = department_paths(session)
        query = select(User).join(UserRole).where(UserRole.role == role, User.active.is_(True))
        if company is not None:
            query = query.where(User.company == company)
        return [{"label": f"{u.display_name} ({u.username})" + (
                    f" · {paths[u.department_id]}" if u.department_id in paths else f" · {u.company}" if u.company
                    else ""), "value": u.username} for u in session.execute(query.order_by(User.username)).scalars()]
    return [dict(option) for option in while_unchanged(session, ("picker", role, company), load)]


def with_candidates(session: Session, form: dict[str, Any] | None) -> dict[str, Any] | None:
    """The form with every picker's options filled in (a copy; the deployed form is shared)."""
    pickers = form_rules.user_pickers(form)
    if not form or not pickers:
        return form
    filled = copy.deepcopy(form)
    options = {role: candidates(session, role) for role in set(pickers.values())}

    def fill(components: list[Any]) -> None:
        for component in components:
            if not isinstance(component, dict):
                continue
            role = form_rules.user_picker_role(component)
            if role is not None:
                component["values"] = options[role]
            fill(component.get("components") or [])

    fill(filled.get("components") or [])
    return filled


def picker_errors(session: Session, form: dict[str, Any] | None, data: Mapping[str, Any],
                  customer: str | None = None) -> dict[str, Message]:
    """A field error for each picker naming someone who is not an active person with its role; a
    customer contact must belong to the case's customer (`customer`, or the form's own field)."""
    errors: dict[str, Message] = {}
    named = data.get("customer")
    company = customer or (named.strip() if isinstance(named, str) else None)
    for key, role in form_rules.user_pickers(form).items():
        value = data.get(key)
        if value in (None, ""):
            continue
        if not isinstance(value, str) or value not in {c["value"] for c in candidates(session, role)}:
            errors[key] = Message("picker.not_with_role", {"user": str(value)[:64], "role": role_words(role)})
        elif role == CUSTOMER_ROLE and company and value not in {
                c["value"] for c in candidates(session, role, company)}:
            errors[key] = Message("picker.not_a_contact", {"user": value, "customer": company})
    return errors
