"""The demo organisation of CONTRACT.md: several people per role in departments with leaders and a
line of superiors, and two customers of different companies (outside the departments).

Why several per role: a rule that sends work "to the role" looks right with one
user per role and is wrong in every real company; the demo must show the difference.
Running it again adds what is missing and changes nothing an administrator has set since.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain.organisation import PATH_SEPARATOR
from service.domain.roles import role_label
from service.persistence.audit import append_event
from service.persistence.models import Department, User

from .context import AppContext
from .directory import department_paths
from .organisation import CHANGED, superior_cycle
from .users import hash_password, save_user

DEMO_PASSWORD = "demo"
DEMO_MAIL_DOMAIN = "demo.guicheng.local"


@dataclass(frozen=True)
class DemoPerson:
    username: str
    display_name: str
    roles: tuple[str, ...]
    company: str | None = None  # set for customer contacts: the company whose cases they see


DEMO_PEOPLE: tuple[DemoPerson, ...] = tuple(
    DemoPerson(username, f"{role_label(role)}{username[len(role):]}", (role,), company)
    for username, role, company in (
        ("sales_director1", "sales_director", None),  # regional sales director, 华东区
        ("sales_lead1", "sales_lead", None), ("sales1", "sales", None), ("sales2", "sales", None),  # 销售一组
        ("sales_lead2", "sales_lead", None), ("sales3", "sales", None), ("sales4", "sales", None),  # 销售二组
        ("sales_director2", "sales_director", None),  # company sales director, 总部
        ("management1", "management", None), ("process_owner1", "process_owner", None),
        ("auditor1", "auditor", None), ("admin1", "admin", None), ("finance1", "finance", None),
        ("tech_director1", "tech_director", None), ("tech_director2", "tech_director", None),
        ("engineer1", "engineer", None), ("engineer2", "engineer", None), ("engineer3", "engineer", None),
        ("engineer4", "engineer", None), ("project_manager1", "project_manager", None),
        ("service_desk1", "service_desk", None), ("service_desk2", "service_desk", None),
        ("customer1", "customer", "欧莱雅"), ("customer2", "customer", "华为"),
    ))


# (department path, leader), parents before their children, in the order the tree shows them
DEMO_DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("总部", "sales_director2"),
    ("华东区", "sales_director1"),
    ("华东区 › 销售一组", "sales_lead1"),
    ("华东区 › 销售二组", "sales_lead2"),
    ("技术部", "tech_director1"),
    ("售后服务部", "service_desk1"),
)
# username -> (department path, superior); customers belong to their company, not to a department
DEMO_PLACES: dict[str, tuple[str, str | None]] = {
    "sales_director2": ("总部", None), "management1": ("总部", None), "process_owner1": ("总部", None),
    "auditor1": ("总部", None), "admin1": ("总部", None), "finance1": ("总部", None),
    "sales_director1": ("华东区", "sales_director2"),
    "sales_lead1": ("华东区 › 销售一组", "sales_director1"),
    "sales1": ("华东区 › 销售一组", "sales_lead1"), "sales2": ("华东区 › 销售一组", "sales_lead1"),
    "sales_lead2": ("华东区 › 销售二组", "sales_director1"),
    "sales3": ("华东区 › 销售二组", "sales_lead2"), "sales4": ("华东区 › 销售二组", "sales_lead2"),
    "tech_director1": ("技术部", None), "tech_director2": ("技术部", None),
    "engineer1": ("技术部", "tech_director1"), "engineer2": ("技术部", "tech_director1"),
    "engineer3": ("技术部", "tech_director1"), "engineer4": ("技术部", "tech_director1"),
    "project_manager1": ("技术部", "tech_director1"),
    "service_desk1": ("售后服务部", None), "service_desk2": ("售后服务部", "service_desk1"),
}


def ensure_demo_organisation(ctx: AppContext) -> list[str]:
    """Add the demo people who are missing (password `demo`), then their departments, leaders and
    superiors where none is set; existing accounts keep their names, e-mails and companies."""
    with ctx.db.reading() as session:
        existing = set(session.execute(select(User.username)).scalars())
    created = []
    # one argon2 hash of the published password for all of them: forty hashes took ten seconds
    shared_hash = hash_password(DEMO_PASSWORD) if any(p.username not in existing for p in DEMO_PEOPLE) else None
    for person in DEMO_PEOPLE:
        if person.username in existing:
            continue
        save_user(ctx, username=person.username, display_name=person.display_name,
                  email=f"{person.username}@{DEMO_MAIL_DOMAIN}", roles=list(person.roles),
                  password=None, password_hash=shared_hash, company=person.company, actor="system")
        created.append(person.username)
    ensure_demo_structure(ctx)
    return created


def ensure_demo_structure(ctx: AppContext) -> None:
    """One transaction: the demo departments that are missing, then leaders and places left empty."""
    with ctx.db.transaction() as session:
        added = _ensure_departments(session)
        ids = {path: department_id for department_id, path in department_paths(session).items()}
        leaders = []
        for path, leader in DEMO_DEPARTMENTS:
            department = session.get(Department, ids[path])
            if department is not None and department.leader is None:
                department.leader = leader
                leaders.append(path)
        placed = _place_people(session, ids)
        if added or leaders or placed:
            append_event(session, type=CHANGED, actor="system", at=ctx.now(), payload={
                "change": "demo_organisation", "departments_added": added, "leaders_set": leaders,
                "people_placed": placed})


def _ensure_departments(session: Session) -> list[str]:
    ids = {path: department_id for department_id, path in department_paths(session).items()}
    added = []
    for position, (path, _leader) in enumerate(DEMO_DEPARTMENTS, start=1):
        if path in ids:
            continue
        parent, _, name = path.rpartition(PATH_SEPARATOR)
        department = Department(name=name, parent_id=ids[parent] if parent else None, position=position)
        session.add(department)
        session.flush()
        ids[path] = department.id
        added.append(path)
    return added


def _place_people(session: Session, ids: dict[str, int]) -> list[str]:
    users = {u.username: u for u in session.execute(select(User)).scalars()}
    superiors = {name: u.superior for name, u in users.items()}
    placed = []
    for username, (path, superior) in DEMO_PLACES.items():
        user = users.get(username)
        if user is None:
            continue
        changed = False
        if user.department_id is None:
            user.department_id, changed = ids[path], True
        if user.superior is None and superior and superior in users and not superior_cycle(
                superiors, username, superior):
            user.superior = superiors[username] = superior
            changed = True
        if changed:
            placed.append(username)
    return placed
