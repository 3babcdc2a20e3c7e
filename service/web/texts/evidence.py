"""Page labels — 证据包: one case's evidence as a zip, and its offline check."""

from __future__ import annotations

ZH: dict[str, str] = {

}

EN: dict[str, str] = {

}
