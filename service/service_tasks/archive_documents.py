"""Rule 10: the request's documents filed in the company archive, with checksums."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .context import ServiceContext
from .registry import operation


@operation("archive_documents")
def archive_documents(ctx: ServiceContext, params: Mapping[str, Any]) -> list[dict[str, Any]]:
    """File every attached document (`doc_*` variables) under year/customer/project/case."""
    if ctx.documents is None:
        raise RuntimeError("no document store configured")
    year = ctx.now.astimezone(ctx.calendar.tz).strftime("%Y")
    folder = (year, str(ctx.data.get("customer") or "未知客户"), str(ctx.data.get("project") or "未知项目"),
              f"case-{ctx.instance_id}")
    manifest = []
    for key in sorted(k for k in ctx.data if k.startswith("doc_") and ctx.data[k]):
        stored = ctx.documents.resolve(str(ctx.data[key]), key)
        manifest.append(ctx.documents.file_into_archive(stored, folder, key[len("doc_"):]))
    return manifest
