"""B6: the inbox page, the case list page and `GET /api/v1/tasks` with 100,000 open tasks ÷ with 1,000.

Two databases are prepared once, one with 1,000 and one with 100,000 open tasks, and the same
request is sent to each in turn (`timing.interleaved`), so both figures see the same machine load.
The requests go through the Flask test client as a signed-in technical director (tech_director1:
the director tasks are nobody's until claimed, so his inbox is the largest of the demo staff) —
templates, JSON, localisation and access checks included.

The rows are bulk-inserted as the engine would leave them, not made by engine runs: the pages read
only those rows. They are spread like a real year of work: the four processes with their real task
elements, forms and roles, sixteen customers, the demo staff as starters and holders (sales and
engineer steps held by one person, director steps open to the role), deadlines in the past and the
future, some copies, and finished cases with their completed steps beside the running ones.

The row reports the worst ratio of the three pages (and of both databases when PostgreSQL runs).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select, text

from service import create_app
from service.operations import users
from service.operations.context import AppContext
from service.persistence.models import CaseCopy, HumanTask, ProcessDefinition, ProcessInstance

from .case_bench import NOW, prepared_context
from .rows import BenchSettings, Row, at_most
from .timing import interleaved, median_ratio

SMALL, LARGE = 1_000, 100_000
QUICK_SMALL, QUICK_LARGE = 100, 10_000  # `--quick`: the same hundredfold, within the run's two minutes
TARGET = 2.0
VIEWER = "tech_director1"
CUSTOMERS = ("欧莱雅", "华为", "阿里巴巴", "腾讯", "招商银行", "中国移动", "上海电气", "宝山钢铁", "京东", "平安保险",
             "Siemens China", "L'Oréal 中国", "复星医药", "海尔", "联想", "中国银行")
PROJECTS = ("CITRIX安装", "网络改造", "云桌面", "服务器迁移", "邮件系统升级", "存储扩容", "备份方案", "安全加固")
PROCESSES = (("technical_support", 60), ("technical_support_proposal", 20), ("technical_support_deviation", 12),
             ("technical_support_conflict", 8))
PEOPLE = {"sales": ("sales1", "sales2", "sales3", "sales4"),
          "engineer": ("engineer1", "engineer2", "engineer3", "engineer4"),
          "tech_director": ("tech_director1", "tech_director2"), "customer": ("customer1", "customer2"),
          "project_manager": ("project_manager1",), "sales_director": ("sales_director1", "sales_director2")}
COMPANY = {"customer1": "欧莱雅", "customer2": "华为"}
READERS = ("sales_lead1", "sales_lead2", "management1", "finance1", "service_desk1")
PAGES = (("inbox page", "/"), ("case list page", "/cases"), ("GET /api/v1/tasks", "/api/v1/tasks"))


@dataclass(frozen=True)
class _Step:
    element_id: str
    name: str
    role: str
    form_key: str | None
    held: bool  # the engine assigns it to a person (started_by, the engineer, …), not to the role


def _steps(ctx: AppContext) -> tuple[dict[str, int], dict[str, list[_Step]]]:
    """The deployed processes' definition ids and user tasks, as the engine would open them."""
    with ctx.db.reading() as session:
        found = session.execute(select(ProcessDefinition.process_id, ProcessDefinition.id, ProcessDefinition.meta)
                                .order_by(ProcessDefinition.version)).all()
    ids = {pid: did for pid, did, _ in found}
    steps = {pid: [_Step(e, t["name"], t["role"], t.get("form"), bool(t.get("assignee")))
                   for e, t in (meta.get("tasks") or {}).items() if t["role"] in PEOPLE]
             for pid, _, meta in found}
    return ids, steps


def populate(ctx: AppContext, open_tasks: int, seed: int = 6, history: bool = True) -> None:
    """`open_tasks` running cases with one open step each (with `history`, their earlier steps done),
    plus finished cases (a tenth as many; a fiftieth without `history`), in one transaction of bulk inserts."""
    rng = random.Random(seed)
    definitions, steps = _steps(ctx)
    cases: list[dict[str, Any]] = []
    tasks: list[dict[str, Any]] = []
    copies: list[dict[str, Any]] = []
    finished = open_tasks // (10 if history else 50)
    for case_id in range(1, open_tasks + finished + 1):
        process_id = rng.choices(PROCESSES, weights=[w for _, w in PROCESSES])[0][0]
        running = case_id <= open_tasks
        customer, project = rng.choice(CUSTOMERS[:2] if rng.random() < 0.3 else CUSTOMERS), rng.choice(PROJECTS)
        starter = rng.choice(PEOPLE["sales"])
        started = NOW - timedelta(days=rng.uniform(0, 365), minutes=rng.randint(0, 600))
        updated = min(NOW, started + timedelta(days=rng.uniform(0, 20)))
        cases.append({
            "id": case_id, "definition_id": definitions[process_id], "process_id": process_id,
            "business_key": f"{customer} / {project}" + (f" / HT-{case_id:06d}" if case_id % 3 == 0 else ""),
            "status": "running" if running else "completed", "revision": 1, "state_json": "{}",
            "started_by": starter, "data": {"customer": customer, "project": project}, "customer": customer,
            "started_at": started, "updated_at": updated, "completed_at": None if running else updated,
            "chain_seq": 0, "chain_hash": "0" * 64})
        path = steps[process_id]
        done = (rng.randint(0, min(2, len(path) - 1)) if history else 0) if running else min(2, len(path))
        for position, step in enumerate(path[:done + running]):
            is_open = running and position == done
            holder = _holder(rng, step, starter, customer)
            tasks.append({
                "instance_id": case_id, "engine_task_id": f"{case_id}-{position}", "element_id": step.element_id,
                "name": step.name, "role": step.role, "form_key": step.form_key,
                "assignee": holder if step.held or not is_open else None,
                "status": "open" if is_open else "completed", "created_at": started + timedelta(hours=position),
                "due_at": NOW + timedelta(days=rng.uniform(-10, 10)) if is_open and rng.random() < 0.6 else None,
                "completed_at": None if is_open else started + timedelta(hours=position + 1),
                "completed_by": None if is_open else holder, "kind": "engine"})
        if rng.random() < 0.05:
            copies.append({"instance_id": case_id, "username": rng.choice(READERS), "copied_by": "system",
                           "created_at": started})
    with ctx.db.transaction() as session:  # Core inserts of the tables: one executemany each
        connection = session.connection()
        for model, rows in ((ProcessInstance, cases), (HumanTask, tasks), (CaseCopy, copies)):
            connection.execute(insert(model.__table__), rows)  # type: ignore[arg-type]
    if ctx.db.engine.dialect.name == "postgresql":  # the statistics autovacuum keeps on a live server
        with ctx.db.engine.connect() as connection:
            connection.execute(text("ANALYZE"))
            connection.commit()


def _holder(rng: random.Random, step: _Step, starter: str, customer: str) -> str:
    if step.role == "sales":
        return starter
    if step.role == "customer":
        return next((u for u, c in COMPANY.items() if c == customer), "customer1")
    return rng.choice(PEOPLE[step.role])


@contextmanager
def _site(settings: BenchSettings, database_url: str | None, open_tasks: int) -> Iterator[Callable[[str], int]]:
    """A database with `open_tasks` open tasks, and a function that GETs a path there as VIEWER."""
    with prepared_context(settings.root, database_url) as ctx:
        populate(ctx, open_tasks, history=not settings.quick)
        client = create_app(context=ctx).test_client()
        login = client.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', login)
        assert token, "the sign-in page has no CSRF token"
        client.post("/login", data={"username": VIEWER, "password": "demo", "csrf_token": token.group(1)})
        bearer = {"Authorization": f"Bearer {users.issue_token(ctx, VIEWER)}"}

        def get(path: str) -> int:
            response = client.get(path, headers=bearer if path.startswith("/api/") else None)
            assert response.status_code == 200, f"{path}: {response.status_code}"
            return 1
        yield get


def _ratios(settings: BenchSettings, label: str, database_url: str | None) -> dict[str, dict[str, Any]]:
    rounds = settings.size(30, 8)
    few, many = settings.size(SMALL, QUICK_SMALL), settings.size(LARGE, QUICK_LARGE)
    out: dict[str, dict[str, Any]] = {}
    with ExitStack() as stack:
        settings.progress(f"B6 {label}: {few:,} and {many:,} open tasks (bulk insert)")
        small = stack.enter_context(_site(settings, database_url, few))
        large = stack.enter_context(_site(settings, database_url, many))
        for name, path in PAGES:
            settings.progress(f"B6 {label}: {name}, {rounds} interleaved rounds")
            big, little = interleaved(lambda p=path: large(p), lambda p=path: small(p), rounds, warmup=2)  # type: ignore[misc]
            out[name] = {"ratio": round(median_ratio(big, little), 2), "ms_100k": round(sorted(big)[len(big) // 2], 2),
                         "ms_1k": round(sorted(little)[len(little) // 2], 2)}
    return out


def run(settings: BenchSettings) -> list[Row]:
    many, few = settings.size(LARGE, QUICK_LARGE), settings.size(SMALL, QUICK_SMALL)
    measures = f"inbox, case list, GET /api/v1/tasks: {many:,} open tasks ÷ {few:,} (worst)"
    results = {"sqlite": _ratios(settings, "SQLite", None)}
    if settings.postgres_url:
        results["postgresql"] = _ratios(settings, "PostgreSQL", settings.postgres_url)
    worst_db, worst_page = max(((db, page) for db, pages in results.items() for page in pages),
                               key=lambda key: results[key[0]][key[1]]["ratio"])
    worst = results[worst_db][worst_page]
    shown = (f"{worst['ratio']} ({worst_page}, {worst_db}: {worst['ms_100k']} vs {worst['ms_1k']} ms)"
             + ("" if settings.postgres_url else "; PostgreSQL not run"))
    return [Row("B6", measures, worst["ratio"], shown, f"≤ {TARGET:g}", at_most(worst["ratio"], TARGET),
                {"target": TARGET, "viewer": VIEWER, "results": results})]
