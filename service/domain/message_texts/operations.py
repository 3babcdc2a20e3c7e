"""Message catalogue: operations. Every code in ZH has a sentence in EN."""

from __future__ import annotations

ZH: dict[str, str] = {
}

EN: dict[str, str] = {
}
