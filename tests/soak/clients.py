"""Client threads: people of every role working the same inbox over HTTP, racing on the same tasks.

Each thread is one demo user with an API token. Most of the time a thread
takes the *first* task of its inbox — the one every colleague of the role
sees first too — so completions, claims and releases collide on purpose.
"""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.soak.ledger import ODD_STATUSES, Answer, Ledger

HOST = "127.0.0.1"
API = "/api/v1"
REQUEST_TIMEOUT = 120.0
START_SHARE = 0.25  # how often a sales thread starts a case rather than working its inbox
FIRST_TASK_SHARE = 0.6  # how often a thread takes the task its whole role sees first
ENGINEERS = ("engineer1", "engineer2", "engineer3", "engineer4")

# every role at least once before anyone appears twice; a second thread of the same person races itself
ROSTER = ("sales1", "tech_director1", "engineer1", "customer1", "sales2", "tech_director2", "engineer2",
          "customer2", "sales3", "engineer3", "sales4", "engineer4")


def roster(clients: int) -> list[str]:
    return [ROSTER[i % len(ROSTER)] for i in range(clients)]


class BudgetSpent(Exception):
    """The run's request budget is used up."""


@dataclass(frozen=True)
class Documents:
    """References of uploaded files for the doc_* fields."""

    plan: str
    service_sheet: str
    weekly_report: str


def application(rng: random.Random, n: int) -> dict[str, Any]:
    return {"customer": rng.choice(["欧莱雅", "华为"]), "project": f"CITRIX安装{n}", "sales_name": "ZGH",
            "support_kind": "non_project", "request_origin": "customer", "preparation_required": ["ppt"],
            "notify_sales_on_leaving": True, "emergency": False, "estimated_person_days": 2}


def form_data(element_id: str, rng: random.Random, docs: Documents) -> dict[str, Any]:
    """What a person of the role would submit; mostly the happy path, sometimes a refusal."""
    forms: dict[str, Callable[[], dict[str, Any]]] = {
        "confirm_request": lambda: {"accepted": "no"} if rng.random() < 0.1 else
        {"accepted": "yes", "engineer": rng.choice(ENGINEERS)},
        "engineer_assessment": lambda: {"assessment": "accept"},
        "communication": lambda: {"customer_situation": "现有 CITRIX 6.5", "customer_preparation": "准备服务器",
                                  "clear": "yes"},
        "planning_documents": lambda: {"doc_implementation_plan": docs.plan},
        "work": lambda: {"work_summary": "安装并测试", "person_days_spent": rng.choice([0.5, 1, 1.5, 2]),
                         "work_location": "onsite", "time_kind": "normal", "difficulty": rng.choice([1, 2])},
        "leave_site": lambda: {"completion_state": "安装完成", "leave_channel": "phone"},
        "customer_signoff": lambda: {"doc_service_sheet": docs.service_sheet, "signer": "王经理"},
        "completion_report": lambda: {"completion_summary": "已完成"},
        "sales_confirmation": lambda: {"sales_confirmed": "yes"},
        "final_confirmation": lambda: {"completion_confirmed": True},
        "review_workload": lambda: {},
        "weekly_report": lambda: {"doc_weekly_report": docs.weekly_report, "weekly_report_person_days": 2.5},
    }
    return forms.get(element_id, dict)()


class CaseQuota:
    """At most `open_limit` cases under way and `limit` in the whole run, numbered for distinct keys.

    A case counts as under way until a completion answers that it is no longer running; cases
    whose last answer was lost with a killed connection keep their place, which only slows the run.
    """

    def __init__(self, limit: int, open_limit: int) -> None:
        self.limit, self.open_limit, self.taken, self.open = limit, open_limit, 0, 0
        self._lock = threading.Lock()

    def take(self) -> int | None:
        with self._lock:
            if self.taken >= self.limit or self.open >= self.open_limit:
                return None
            self.taken += 1
            self.open += 1
            return self.taken

    def ended(self) -> None:
        with self._lock:
            self.open -= 1


class Client(threading.Thread):
    """One person: starts cases (sales), completes, claims and releases the tasks of their inbox."""

    def __init__(self, username: str, token: str, port: int, ledger: Ledger, docs: Documents,
                 quota: CaseQuota, stop: threading.Event, seed: int) -> None:
        super().__init__(name=f"client-{username}-{seed}", daemon=True)
        self.username, self.token, self.port = username, token, port
        self.ledger, self.docs, self.quota, self.stop = ledger, docs, quota, stop
        self.rng = random.Random(seed)
        self.failure: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                self.step()
        except BudgetSpent:
            self.stop.set()
        except BaseException as exc:  # a bug in the client must show in the report, not vanish
            self.failure = exc
            self.stop.set()

    def step(self) -> None:
        if self.username.startswith("sales") and self.rng.random() < START_SHARE and self.start_case():
            return
        _status, tasks = self.call("GET", f"{API}/tasks", route="/tasks")
        if not isinstance(tasks, list) or not tasks:
            time.sleep(self.rng.uniform(0.05, 0.2))
            return
        task = tasks[0] if self.rng.random() < FIRST_TASK_SHARE else self.rng.choice(tasks)
        self.work_on(task)

    def start_case(self) -> bool:
        number = self.quota.take()
        if number is None:
            return False
        status, _ = self.call("POST", f"{API}/process-instances", route="/process-instances",
                              body={"process_id": "technical_support", "data": application(self.rng, number)})
        if status == 201:
            self.ledger.case_started()
        elif status is not None:
            self.quota.ended()  # refused: the place is free again
        return True

    def work_on(self, task: dict[str, Any]) -> None:
        roll, task_id = self.rng.random(), task["id"]
        if roll < 0.15:
            status, _ = self.call("POST", f"{API}/tasks/{task_id}/claim", route="/tasks/{id}/claim")
            if status == 200 and self.rng.random() < 0.5:
                self.call("POST", f"{API}/tasks/{task_id}/release", route="/tasks/{id}/release")
                return
        elif roll < 0.22:
            self.call("POST", f"{API}/tasks/{task_id}/release", route="/tasks/{id}/release")
            return
        elif roll < 0.27:
            self.call("GET", f"{API}/tasks/{task_id}", route="/tasks/{id}")
            self.call("GET", f"{API}/process-instances/{task['instance_id']}/events",
                      route="/process-instances/{id}/events")
            return
        self.complete(task)

    def complete(self, task: dict[str, Any]) -> None:
        element = task.get("element_id", "?")
        status, answer = self.call("POST", f"{API}/tasks/{task['id']}/complete",
                                   route=f"/tasks/{{id}}/complete {element}",
                                   body={"data": form_data(element, self.rng, self.docs)})
        self.ledger.completion(task["id"], status)
        if status == 200 and isinstance(answer, dict) and answer.get("status") != "running":
            self.quota.ended()

    def call(self, method: str, path: str, *, route: str, body: Any = None) -> tuple[int | None, Any]:
        """One request on a fresh connection; (None, None) when the connection broke."""
        if not self.ledger.take_ticket():
            raise BudgetSpent()
        payload = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        headers = {"Authorization": f"Bearer {self.token}", "Connection": "close"}
        if payload is not None:
            headers["Content-Type"] = "application/json"
        conn = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
        try:
            conn.request(method, path, body=payload, headers=headers)
            response = conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            self.ledger.record(method, route, None)
            return None, None
        finally:
            conn.close()
        self.ledger.record(method, route, response.status)
        text = raw.decode("utf-8", "replace")
        if response.status >= 500 or response.status in ODD_STATUSES:
            answer = Answer(method, path, (payload or b"").decode()[:300], response.status, text[:600])
            (self.ledger.server_error if response.status >= 500 else self.ledger.odd_answer)(answer)
        try:
            return response.status, json.loads(text)
        except ValueError:
            return response.status, None
