"""Linked cases (deviations, conflicts) act on the request they belong to.

Why two steps apart: an operation never touches the database, so `update_parent_case` only says what
the request is to take over (read from this case's variables); the write phase of the same step locks
the request and applies it (operations.parent_case), so the step and the change commit together.
`request_person` names the one person a relative recipient means for the request, for an `assignee`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .context import ServiceContext
from .recipients import check_recipients
from .registry import operation

UPDATE_PARENT_CASE = "update_parent_case"


def _is_name(value: Any) -> bool:
    return isinstance(value, str) and value.isidentifier() and not value.startswith("_")


def check_variable_map(value: Any) -> str | None:
    """`set`: {request variable: this case's variable}, e.g. {'estimated_person_days': 'new_estimated_person_days'}."""
    if not isinstance(value, dict) or not value:
        return "expected a mapping {request variable: this case's variable}, e.g. {'scope': 'new_scope'}"
    wrong = [f"{k!r}: {v!r}" for k, v in value.items() if not (_is_name(k) and _is_name(v))]
    return f"not variable names: {', '.join(wrong)}" if wrong else None


def check_record_map(value: Any) -> str | None:
    """`append`: {request list variable: [this case's variables making one record]}."""
    if not isinstance(value, dict) or not value:
        return "expected a mapping {request list variable: [variables of this case]}, e.g. {'notes': ['note']}"
    for key, names in value.items():
        if not _is_name(key) or not isinstance(names, list | tuple) or not names or not all(map(_is_name, names)):
            return f"{key!r}: expected a variable name and a non-empty list of variable names"
    return None


def _given(value: Any) -> bool:
    return value not in (None, "", [])


@operation(UPDATE_PARENT_CASE, optional=("set", "append"),
           checks={"set": check_variable_map, "append": check_record_map})
def update_parent_case(ctx: ServiceContext, params: Mapping[str, Any]) -> dict[str, Any]:
    """Change the request this case belongs to: set its variables, append a record to a list of it."""
    set_map, append_map = params.get("set") or {}, params.get("append") or {}
    problem = (check_variable_map(set_map) if set_map else None) or (
        check_record_map(append_map) if append_map else None)
    if problem or not (set_map or append_map):
        raise ValueError(f"update_parent_case: {problem or 'give `set` or `append`'}")
    changes = {target: ctx.data.get(source) for target, source in set_map.items() if _given(ctx.data.get(source))}
    records = {target: {name: ctx.data.get(name) for name in names} for target, names in append_map.items()}
    return {"parent_case": ctx.data.get("parent_case"), "set": changes, "append": records}


def check_one_recipient(value: Any) -> str | None:
    """`who`: one relative recipient, e.g. 'starter_regional_director'."""
    return check_recipients([value]) if isinstance(value, str) else "expected one recipient, e.g. 'starter'"


@operation("request_person", required=("who",), checks={"who": check_one_recipient})
def request_person(ctx: ServiceContext, params: Mapping[str, Any]) -> str:
    """The user name of the first person a recipient names for the request (empty when nobody)."""
    _, named = ctx.recipients([str(params["who"])])
    found = next((names for names in named.values() if names), [])
    return found[0] if found else ""
