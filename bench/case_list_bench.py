"""The case list over 10,000 cases on SQLite: a page with the default sort, a wildcard search on the
customer, the overdue filter, the count alone, a salesperson's own lists and an .xlsx export.

The cases are written with bulk inserts (case, task and copy rows as the engine would leave them),
not 10,000 engine runs: the list reads only those rows. They are spread like a real year of work:
four processes, every status, sixteen customers (most of them Chinese names), the demo staff as
starters and holders, some copies, deadlines in the past and the future.
"""

from __future__ import annotations

import random
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from service.adapters import table_export
from service.operations import case_search
from service.operations.context import AppContext
from service.persistence.models import CaseCopy, HumanTask, ProcessDefinition, ProcessInstance

from .case_bench import NOW, prepared_context
from .timing import Result, measure

CASES = 10_000
CUSTOMERS = ("欧莱雅", "华为", "阿里巴巴", "腾讯", "招商银行", "中国移动", "上海电气", "宝山钢铁", "京东", "平安保险",
             "Siemens China", "L'Oréal 中国", "复星医药", "海尔", "联想", "中国银行")
PROJECTS = ("CITRIX安装", "网络改造", "云桌面", "服务器迁移", "邮件系统升级", "存储扩容", "备份方案", "安全加固")
PROCESSES = (("technical_support", 60, "sales"), ("technical_support_proposal", 20, "engineer"),
             ("technical_support_deviation", 12, "engineer"), ("technical_support_conflict", 8, "sales"))
STATUSES = (("running", 45), ("completed", 40), ("cancelled", 8), ("error", 7))
TASKS = (("技术总监确认申请", "tech_director", ("tech_director1", "tech_director2")),
         ("工程师响应评估", "engineer", ("engineer1", "engineer2", "engineer3", "engineer4")),
         ("与客户沟通", "engineer", ("engineer1", "engineer2", "engineer3", "engineer4")),
         ("客户签字确认", "customer", ("customer1", "customer2")),
         ("销售确认完成", "sales", ("sales1", "sales2", "sales3", "sales4")),
         ("技术总监确认完成", "tech_director", ("tech_director1", "tech_director2")))
STARTERS = {"sales": ("sales1", "sales2", "sales3", "sales4"), "engineer": ("engineer1", "engineer2", "engineer3")}
READERS = ("sales_lead1", "sales_lead2", "management1", "finance1", "service_desk1")


def _pick(rng: random.Random, weighted: tuple[tuple[Any, ...], ...]) -> tuple[Any, ...]:
    return rng.choices(weighted, weights=[w[1] for w in weighted])[0]


def populate(ctx: AppContext, count: int = CASES, seed: int = 8) -> None:
    """`count` cases with their task and copy rows, in one transaction of bulk inserts."""
    rng = random.Random(seed)
    with ctx.db.transaction() as session:
        definitions = {pid: did for pid, did in session.execute(
            select(ProcessDefinition.process_id, ProcessDefinition.id).order_by(ProcessDefinition.version))}
        cases: list[dict[str, Any]] = []
        tasks: list[dict[str, Any]] = []
        copies: list[dict[str, Any]] = []
        for case_id in range(1, count + 1):
            process_id, _, starter_role = _pick(rng, PROCESSES)
            status = _pick(rng, STATUSES)[0]
            customer, project = rng.choice(CUSTOMERS), rng.choice(PROJECTS)
            started = NOW - timedelta(days=rng.uniform(0, 365), minutes=rng.randint(0, 600))
            updated = min(NOW, started + timedelta(days=rng.uniform(0, 20)))
            cases.append({
                "id": case_id, "definition_id": definitions[process_id], "process_id": process_id,
                "business_key": f"{customer} / {project}" + (f" / HT-{case_id:05d}" if case_id % 3 == 0 else ""),
                "status": status, "revision": 1, "state_json": "{}", "started_by": rng.choice(STARTERS[starter_role]),
                "data": {"customer": customer, "project": project}, "customer": customer, "started_at": started,
                "updated_at": updated, "completed_at": updated if status == "completed" else None,
                "chain_seq": 0, "chain_hash": "0" * 64})
            done = rng.randint(1, len(TASKS) - 1)
            for position, (name, role, people) in enumerate(TASKS[:done + (status in ("running", "error"))]):
                open_now = position == done
                holder = rng.choice(people)
                tasks.append({
                    "instance_id": case_id, "engine_task_id": f"{case_id}-{position}", "element_id": f"t{position}",
                    "name": name, "role": role, "assignee": holder if not open_now or rng.random() < 0.7 else None,
                    "status": "open" if open_now else "completed", "created_at": started + timedelta(hours=position),
                    "due_at": (NOW + timedelta(days=rng.uniform(-10, 10))) if open_now and rng.random() < 0.9 else None,
                    "completed_at": None if open_now else started + timedelta(hours=position + 1),
                    "completed_by": None if open_now else holder, "kind": "engine"})
            if rng.random() < 0.05:
                copies.append({"instance_id": case_id, "username": rng.choice(READERS), "copied_by": "system",
                               "created_at": started})
        session.execute(insert(ProcessInstance), cases)
        session.execute(insert(HumanTask), tasks)
        session.execute(insert(CaseCopy), copies)


def _page(ctx: AppContext, actor: str, **args: str) -> int:
    case_search.search(ctx, actor, case_search.parse_query(args))
    return 1


def _export(ctx: AppContext) -> int:
    result = case_search.search(ctx, "auditor1", case_search.parse_query({}), export=True)
    table_export.to_xlsx(table_export.case_table(result["rows"], lambda key: key, "zh"), ctx.tz)
    return 1


PAGES: tuple[tuple[str, str, dict[str, str]], ...] = (  # what is measured, who asks, the query string
    ("case list (10,000 cases): page 1, default sort", "auditor1", {}),
    ("case list: wildcard key on the customer (O*)", "auditor1", {"key": "欧*"}),
    ("case list: overdue only", "auditor1", {"overdue": "1"}),
    ("case list: last page, sorted by due date", "auditor1", {"sort": "due", "page": "400"}),
    ("case list: sales1, tab started", "sales1", {"tab": "started"}),
    ("case list: sales1, tab todo, key *bank*", "sales1", {"key": "*银行*"}),
)


def run(root: Path, repeat: int) -> list[Result]:
    with prepared_context(root, None) as ctx:
        populate(ctx)
        results = [measure(name, "page", partial(_page, ctx, actor, **args), repeat) for name, actor, args in PAGES]
        results.append(measure("case list: count alone", "query",
                               lambda: case_search.count(ctx, "auditor1", case_search.parse_query({})) and 1, repeat))
        results.append(measure("case list: .xlsx export of all 10,000 cases", "export", lambda: _export(ctx),
                               max(1, repeat // 10)))
        return results
