"""Rule 10: the request's documents filed in the company archive, with checksums."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.domain.documents import document_variables

from .context import ServiceContext
from .registry import operation


@operation("archive_documents")
def archive_documents(ctx: ServiceContext, params: Mapping[str, Any]) -> list[dict[str, Any]]:
    """File every document (each variable holding upload references) under year/customer/project/case,
    labelled by its variable's name."""
    if ctx.documents is None:
        raise RuntimeError("no document store configured")
    year = ctx.now.astimezone(ctx.calendar.tz).strftime("%Y")
    folder = (year, str(ctx.data.get("customer") or "未知客户"), str(ctx.data.get("project") or "未知项目"),
              f"case-{ctx.instance_id}")
    manifest = []
    for key, references in document_variables(ctx.data):
        for reference in references:
            manifest.append(ctx.documents.file_into_archive(ctx.documents.resolve(reference, key), folder, key))
    return manifest
