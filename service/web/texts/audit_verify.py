"""Page labels — 审计校验: the hash chain, stored states and documents checked, the first broken link named."""

from __future__ import annotations

ZH: dict[str, str] = {

}

EN: dict[str, str] = {

}
