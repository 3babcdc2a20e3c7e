"""Page labels: languages."""

from __future__ import annotations

ZH: dict[str, str] = {
}

EN: dict[str, str] = {
}
