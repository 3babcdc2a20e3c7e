"""The deployed versions of one process, with how many cases run and ran on each.

Why the counts: before changing or migrating, a process owner wants to know which versions still
carry running cases. One grouped query counts them all, however many versions there are.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from service.persistence.models import ProcessDefinition, ProcessInstance

from .context import AppContext
from .errors import NotFound
from .localise import localise_processes
from .process_drafts import check_may_read, definition_content, known_id

RUNNING = ("running", "error")  # a case with an incident still runs: it waits for a retry
FINISHED = ("completed", "cancelled")


def versions(ctx: AppContext, process_id: str, *, actor: str, lang: str) -> list[dict[str, Any]]:
    """Newest first: version, name, who deployed it when, content hash, running and finished cases."""
    with ctx.db.reading() as session:
        check_may_read(session, actor)
        rows = session.execute(select(
            ProcessDefinition.id, ProcessDefinition.version, ProcessDefinition.name, ProcessDefinition.deployed_at,
            ProcessDefinition.deployed_by, ProcessDefinition.content_hash).where(
            ProcessDefinition.process_id == known_id(process_id)).order_by(ProcessDefinition.version.desc())).all()
        if not rows:
            raise NotFound("editor.process_missing", process=process_id)
        counts: dict[tuple[int, str], int] = {
            (definition_id, status): count for definition_id, status, count in session.execute(
                select(ProcessInstance.definition_id, ProcessInstance.status, func.count()).where(
                    ProcessInstance.process_id == process_id).group_by(
                    ProcessInstance.definition_id, ProcessInstance.status))}
    found = [{"process_id": process_id, "version": r.version, "name": r.name,
              "deployed_at": r.deployed_at.astimezone(ctx.tz).isoformat(), "deployed_by": r.deployed_by,
              "content_hash": r.content_hash,
              "running": sum(counts.get((r.id, s), 0) for s in RUNNING),
              "finished": sum(counts.get((r.id, s), 0) for s in FINISHED)} for r in rows]
    return localise_processes(ctx, found, lang)


def version(ctx: AppContext, process_id: str, number: int, *, actor: str) -> dict[str, Any]:
    """One deployed version's files, forms and translations, as the editor shows them (read only)."""
    with ctx.db.reading() as session:
        check_may_read(session, actor)
        definition = session.execute(select(ProcessDefinition).where(
            ProcessDefinition.process_id == known_id(process_id), ProcessDefinition.version == number)
        ).scalar_one_or_none()
        if definition is None:
            raise NotFound("editor.version_missing", process=process_id, version=number)
        content = definition_content(definition)
        return {"process_id": process_id, "version": definition.version, "name": definition.name,
                "files": content.files, "forms": content.forms, "translations": content.translations}
