"""What the clients saw: every request's outcome, the accepted completions, the server errors."""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass, field

MAX_SAMPLES = 20
ODD_STATUSES = {400, 401, 404, 405, 413, 415, 422}  # the soak's data is valid: these need explaining
TRANSPORT_ERROR = "transport error"  # the connection broke: a killed web worker, mostly


@dataclass(frozen=True)
class Answer:
    """One answer as the client saw it (a 5xx, or an odd 4xx), kept for the report."""

    method: str
    path: str
    request_body: str
    status: int
    response_body: str

    def mentions_deadlock(self) -> bool:
        return "deadlock" in self.response_body.lower()

    def kind(self) -> tuple[str, str, int, str]:
        """The same failure on another id is the same kind: one sample of each is enough."""
        return self.method, re.sub(r"/\d+", "/{id}", self.path), self.status, self.response_body[:200]


@dataclass
class Ledger:
    """Thread-safe tallies; `budget` bounds the number of requests of the whole run."""

    budget: int
    by_status: Counter[str] = field(default_factory=Counter)
    by_route: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    completions: Counter[int] = field(default_factory=Counter)  # task id → 200 answers to complete
    completions_unknown: set[int] = field(default_factory=set)  # the answer was lost with the connection
    server_errors: list[Answer] = field(default_factory=list)  # one sample per kind
    server_error_kinds: Counter[tuple[str, str, int, str]] = field(default_factory=Counter)
    server_error_count: int = 0
    deadlock_answers: int = 0
    odd_answers: list[Answer] = field(default_factory=list)  # one sample per kind
    odd_answer_kinds: Counter[tuple[str, str, int, str]] = field(default_factory=Counter)
    cases_started: int = 0
    _sent: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take_ticket(self) -> bool:
        """False once the run's request budget is spent."""
        with self._lock:
            if self._sent >= self.budget:
                return False
            self._sent += 1
            return True

    @property
    def sent(self) -> int:
        return self._sent

    def record(self, method: str, route: str, status: int | None) -> None:
        label = str(status) if status is not None else TRANSPORT_ERROR
        with self._lock:
            self.by_status[label] += 1
            self.by_route[(method, route, label)] += 1

    def server_error(self, error: Answer) -> None:
        with self._lock:
            self.server_error_count += 1
            self.deadlock_answers += error.mentions_deadlock()
            kind = error.kind()
            if kind not in self.server_error_kinds and len(self.server_errors) < MAX_SAMPLES:
                self.server_errors.append(error)
            self.server_error_kinds[kind] += 1

    def odd_answer(self, answer: Answer) -> None:
        with self._lock:
            kind = answer.kind()
            if kind not in self.odd_answer_kinds and len(self.odd_answers) < MAX_SAMPLES:
                self.odd_answers.append(answer)
            self.odd_answer_kinds[kind] += 1

    def completion(self, task_id: int, status: int | None) -> None:
        with self._lock:
            if status == 200:
                self.completions[task_id] += 1
            elif status is None:
                self.completions_unknown.add(task_id)

    def case_started(self) -> None:
        with self._lock:
            self.cases_started += 1
