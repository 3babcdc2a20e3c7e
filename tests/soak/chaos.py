"""SIGKILLs at random points: a gunicorn worker (its master starts another) or a background worker
(started again here after a short pause)."""

from __future__ import annotations

import random
import threading
from collections import Counter

from tests.soak.deployment import Deployment


class Chaos(threading.Thread):
    """Every `every` seconds on average, kill one process of the deployment."""

    def __init__(self, deployment: Deployment, every: float, stop: threading.Event, seed: int) -> None:
        super().__init__(name="chaos", daemon=True)
        self.deployment, self.every, self.stop = deployment, every, stop
        self.rng = random.Random(seed)
        self.kills: Counter[str] = Counter()
        self.failure: BaseException | None = None
        self._lock = threading.Lock()  # the final drain must not race a restart

    def run(self) -> None:
        try:
            while not self.stop.wait(self.rng.uniform(0.3, 1.7) * self.every):
                with self._lock:
                    self.kill_one()
        except BaseException as exc:  # shown in the report: a soak that silently stopped killing proves nothing
            self.failure = exc

    def kill_one(self) -> None:
        if self.rng.random() < 0.5:
            pids = self.deployment.web_worker_pids()
            if pids and self.deployment.kill_web_worker(self.rng.choice(pids)):
                self.kills["gunicorn worker"] += 1
            return
        slot = self.rng.randrange(len(self.deployment.workers))
        if self.deployment.kill_worker(slot):
            self.kills["background worker"] += 1
        self.stop.wait(self.rng.uniform(0.1, 1.0))
        self.deployment.start_worker(slot)

    def halt(self) -> None:
        """Stop killing and wait until the last restart is done."""
        self.stop.set()
        self.join(timeout=30)
        with self._lock:
            pass
