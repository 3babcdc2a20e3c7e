"""The organisation (组织架构) as the rules see it, and the relative recipients resolved from it.

Why relative recipients: the procedures name people by their place ("this salesperson's own
group leader", "the local and the company sales directors"), never by a role. A mail "to the
role" reaches every group leader of the company; resolving from the starter's line of superiors
reaches the right ones, and records who they were at that moment.

A recipient is written in a diagram as one of:

| spec | who |
|---|---|
| `starter` | the person who started the case |
| `starter_group_leader` | the first superior of the starter who is a sales group leader |
| `starter_regional_director` | the first superior of the starter who is a sales director |
| `company_sales_director` | the highest sales director above the starter (the company's) |
| `superior_of:<spec>` | the direct superior (上级) of each person the inner spec names |
| `role:<role>` | every active person with the role (a bare role id means the same) |
| `user:<username>` | that person |
| `var:<variable>` | the person(s) named by a case variable (a user name or a list of them) |
| `case_customer` | the customer contacts of the case's company |
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .roles import ROLES

PATH_SEPARATOR = " › "
GROUP_LEADER_ROLE = "sales_lead"
SALES_DIRECTOR_ROLE = "sales_director"
FIXED_RECIPIENTS = ("starter", "starter_group_leader", "starter_regional_director", "company_sales_director",
                    "case_customer")
PREFIXED_RECIPIENTS = ("superior_of:", "role:", "user:", "var:")


@dataclass(frozen=True)
class Person:
    username: str
    display_name: str
    email: str
    roles: frozenset[str]
    department: str | None = None  # the path, e.g. "华东区 › 销售一组"
    superior: str | None = None
    company: str | None = None
    active: bool = True


@dataclass(frozen=True)
class CaseParties:
    """What a recipient spec may refer to in one case."""

    started_by: str
    customer: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)


class Organisation:
    """Everyone, with their departments and superiors; read once per step, never written here."""

    def __init__(self, people: Iterable[Person], leaders: Mapping[str, str | None] | None = None) -> None:
        self.people = {p.username: p for p in people}
        self.leaders = dict(leaders or {})  # department path -> leader's username

    def person(self, username: str | None) -> Person | None:
        found = self.people.get(username or "")
        return found if found is not None and found.active else None

    def superiors(self, username: str) -> list[Person]:
        """The line of superiors upwards, nearest first; a cycle ends the line instead of looping."""
        line: list[Person] = []
        seen = {username}
        current = self.people.get(username)
        while current is not None and current.superior and current.superior not in seen:
            seen.add(current.superior)
            current = self.people.get(current.superior)
            if current is not None and current.active:
                line.append(current)
        return line

    def with_role(self, role: str) -> list[Person]:
        return sorted((p for p in self.people.values() if p.active and role in p.roles), key=lambda p: p.username)

    def resolve(self, spec: str, case: CaseParties) -> list[Person]:
        """The people `spec` names for this case (possibly none); unknown specs raise ValueError."""
        spec = spec.strip()
        if spec == "starter":
            return _present([self.person(case.started_by)])
        if spec == "starter_group_leader":
            return _first(p for p in self.superiors(case.started_by) if GROUP_LEADER_ROLE in p.roles)
        if spec == "starter_regional_director":
            return _first(p for p in self.superiors(case.started_by) if SALES_DIRECTOR_ROLE in p.roles)
        if spec == "company_sales_director":
            directors = [p for p in self.superiors(case.started_by) if SALES_DIRECTOR_ROLE in p.roles]
            return directors[-1:] if len(directors) > 1 else []
        if spec == "case_customer":
            return [p for p in self.with_role("customer") if case.customer and p.company == case.customer]
        if spec.startswith("superior_of:"):
            inner = self.resolve(spec.removeprefix("superior_of:"), case)
            return _unique(self.person(p.superior) for p in inner)
        if spec.startswith("role:") or spec in ROLES:
            return self.with_role(spec.removeprefix("role:"))
        if spec.startswith("user:"):
            return _present([self.person(spec.removeprefix("user:"))])
        if spec.startswith("var:"):
            value = case.data.get(spec.removeprefix("var:"))
            names = value if isinstance(value, list) else [value]
            return _unique(self.person(str(name)) for name in names if name not in (None, ""))
        raise ValueError(recipient_problem(spec) or f"unknown recipient '{spec}'")

    def resolve_all(self, specs: Iterable[str], case: CaseParties) -> tuple[list[Person], dict[str, list[str]]]:
        """Everyone the specs name, each once, and which spec named whom (for the audit event)."""
        people: dict[str, Person] = {}
        named: dict[str, list[str]] = {}
        for spec in specs:
            found = self.resolve(spec, case)
            named[spec] = [p.username for p in found]
            for person in found:
                people.setdefault(person.username, person)
        return list(people.values()), named


def recipient_problem(spec: str) -> str | None:
    """Why a diagram's recipient spec is not one the resolver knows, or None."""
    text = spec.strip() if isinstance(spec, str) else ""
    if not text:
        return "empty recipient"
    if text in FIXED_RECIPIENTS or text in ROLES:
        return None
    for prefix in PREFIXED_RECIPIENTS:
        if text.startswith(prefix):
            rest = text.removeprefix(prefix)
            if not rest:
                return f"recipient '{text}' names nobody after '{prefix}'"
            if prefix == "superior_of:":
                return recipient_problem(rest)
            if prefix == "role:" and rest not in ROLES:
                return f"recipient '{text}': unknown role '{rest}'"
            return None
    known = ", ".join(FIXED_RECIPIENTS + tuple(p + "…" for p in PREFIXED_RECIPIENTS))
    return f"unknown recipient '{text}' (known: {known}, or a role id)"


def _present(people: Iterable[Person | None]) -> list[Person]:
    return [p for p in people if p is not None]


def _first(people: Iterable[Person]) -> list[Person]:
    return next(([p] for p in people), [])


def _unique(people: Iterable[Person | None]) -> list[Person]:
    seen: dict[str, Person] = {}
    for person in _present(people):
        seen.setdefault(person.username, person)
    return list(seen.values())
