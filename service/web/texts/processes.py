"""Page labels: the processes pages."""

from __future__ import annotations

ZH: dict[str, str] = {
    "processes.nav": "流程",
}

EN: dict[str, str] = {
    "processes.nav": "Processes",
}
