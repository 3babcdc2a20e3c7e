"""A process-wide memory ceiling, the backstop behind the evaluation budget.

Why: the budget bounds what diagram code creates, but a bug in a bound (or in a
library) must not let one case take the machine's memory. Capping the address space
makes such an allocation fail with MemoryError, which the evaluator turns into
`BudgetExceeded` for the step, instead of the kernel killing the worker or server.
The worker and server processes call this once at start-up, after importing
everything, with headroom for threads (each reserves its stack and malloc arena in
address space, not in memory actually used).
"""

from __future__ import annotations

import os
from pathlib import Path

try:
    import resource
except ImportError:  # not on this platform: no cap, the budget alone applies
    resource = None  # type: ignore[assignment]

DEFAULT_HEADROOM = 1024 * 1024 * 1024  # 1 GiB above what the process already uses


def address_space_in_use() -> int | None:
    """The process's current virtual size in bytes (Linux), or None where unknown."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def cap_address_space(headroom: int = DEFAULT_HEADROOM) -> int | None:
    """Limit the address space to what is in use now plus `headroom` bytes.

    Returns the limit set, or None when the platform cannot do it. Never raises the
    hard limit; an existing lower soft limit is kept.
    """
    if resource is None or not hasattr(resource, "RLIMIT_AS"):
        return None
    in_use = address_space_in_use()
    if in_use is None:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = in_use + headroom
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        return soft
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    return wanted
