"""The demo organisation of CONTRACT.md: several people per role, two customers.

Why several per role: a rule that sends work "to the role" looks right with one
user per role and is wrong in every real company; the demo must show the difference.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from service.domain.roles import role_label
from service.persistence.models import User

from .context import AppContext
from .users import save_user

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


def ensure_demo_organisation(ctx: AppContext) -> list[str]:
    """Add the demo people who are missing (password `demo`); existing accounts stay as they are."""
    with ctx.db.reading() as session:
        existing = set(session.execute(select(User.username)).scalars())
    created = []
    for person in DEMO_PEOPLE:
        if person.username in existing:
            continue
        save_user(ctx, username=person.username, display_name=person.display_name,
                  email=f"{person.username}@{DEMO_MAIL_DOMAIN}", roles=list(person.roles),
                  password=DEMO_PASSWORD, company=person.company, actor="system")
        created.append(person.username)
    return created
