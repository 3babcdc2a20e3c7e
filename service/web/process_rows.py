"""What the processes pages list: every process with its versions, the cases on each version (running and
finished) and whether a draft waits. Read only, in the reader's language; the pages sort it."""

from __future__ import annotations

from typing import Any

from service.operations import process_drafts, queries, version_list
from service.operations.context import AppContext
from service.operations.errors import NotFound

SORTS = ("name", "process_id", "version", "deployed_at")


def processes(ctx: AppContext, actor: str, lang: str, sort: str = "name", order: str = "asc"
              ) -> list[dict[str, Any]]:
    """One row per process (its latest version named in `lang`), versions newest first with their cases
    (operations.version_list); drafts of processes never deployed are rows too."""
    waiting = process_drafts.draft_list(ctx)
    rows = []
    for process_id in sorted({d["process_id"] for d in queries.definitions(ctx)}):
        versions = version_list.versions(ctx, process_id, actor=actor, lang=lang)
        latest = versions[0]
        rows.append({"process_id": process_id, "name": latest["name"], "version": latest["version"],
                     "deployed_at": latest["deployed_at"], "deployed_by": latest["deployed_by"],
                     "versions": versions, "draft": waiting.get(process_id),
                     "running": sum(v["running"] for v in versions),
                     "finished": sum(v["finished"] for v in versions)})
    deployed = {r["process_id"] for r in rows}
    for process_id, draft in waiting.items():
        if process_id not in deployed:
            rows.append({"process_id": process_id, "name": process_id, "version": None,
                         "deployed_at": None, "deployed_by": None, "versions": [], "draft": draft,
                         "running": 0, "finished": 0})
    key = sort if sort in SORTS else "name"
    rows.sort(key=lambda r: (r[key] is None, r[key] if r[key] is not None else ""), reverse=order == "desc")
    return rows


def process(ctx: AppContext, process_id: str, actor: str, lang: str) -> dict[str, Any]:
    """One process as a row of `processes`; NotFound when neither deployed nor drafted."""
    for row in processes(ctx, actor, lang):
        if row["process_id"] == process_id:
            return row
    raise NotFound("process_pages.not_found", process_id=process_id)
