"""The organisation read from the database, in the form the domain rules use."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain.organisation import PATH_SEPARATOR, Organisation, Person
from service.persistence.models import Department, User


def department_paths(session: Session) -> dict[int, str]:
    """Every department's full path ("华东区 › 销售一组"), by id; a broken parent link ends the path."""
    rows = {d.id: d for d in session.execute(select(Department)).scalars()}
    paths: dict[int, str] = {}
    for department_id, department in rows.items():
        names: list[str] = []
        seen: set[int] = set()
        current: Department | None = department
        while current is not None and current.id not in seen:
            seen.add(current.id)
            names.append(current.name)
            current = rows.get(current.parent_id) if current.parent_id else None
        paths[department_id] = PATH_SEPARATOR.join(reversed(names))
    return paths


def load_organisation(session: Session) -> Organisation:
    paths = department_paths(session)
    people = [Person(u.username, u.display_name, u.email, frozenset(u.role_ids),
                     paths.get(u.department_id) if u.department_id else None, u.superior, u.company, u.active)
              for u in session.execute(select(User)).scalars()]
    leaders = {paths[d.id]: d.leader for d in session.execute(select(Department)).scalars()}
    return Organisation(people, leaders)
