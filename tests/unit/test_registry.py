"""The service operations are all there for the very first requests of a fresh server, however many
threads ask at once (a half-filled registry made valid completions fail with 'unknown operation')."""

from __future__ import annotations

import json
import subprocess
import sys

from service.config import PROJECT_ROOT

PROBE = """
import threading
from service.service_tasks import registry
barrier, seen = threading.Barrier(8), []
def look():
    barrier.wait()
    seen.append(len(registry.operations()))
threads = [threading.Thread(target=look) for _ in range(8)]
[t.start() for t in threads]; [t.join() for t in threads]
import json; print(json.dumps(sorted(set(seen))))
"""


def test_concurrent_first_lookups_see_every_operation():
    for _ in range(3):  # a fresh interpreter each time: the registry starts empty
        out = subprocess.run([sys.executable, "-c", PROBE], cwd=PROJECT_ROOT, capture_output=True, text=True,
                             timeout=60, check=True).stdout
        counts = json.loads(out)
        assert len(counts) == 1 and counts[0] >= 10, out
