"""Page labels — 案例回放: a case stepped through on its own diagram, event by event."""

from __future__ import annotations

ZH: dict[str, str] = {

}

EN: dict[str, str] = {

}
