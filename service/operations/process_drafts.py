"""A process owner's unfinished change to a process: save, discard, check and deploy it.

Why drafts live on the server: an edit of a procedure takes longer than a sitting, and the check
(`deploy.bundle_report`) and the deploy must see exactly what was saved. A draft remembers the
version it started from; deploying it after someone else deployed is refused (409) rather than
silently overwriting their change. Saving refuses what no editor writes (`draft_content`), so a stored
draft is always safe to open; whether it is a *correct* process is the check's job.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.domain.access import may_change_processes, may_read_processes
from service.domain.input_limits import DATABASE_ID_MAX
from service.domain.messages import DEFAULT_LANGUAGE, Message
from service.domain.roles import ROLES
from service.engine.checks.sources import DEPLOYABLE_ID
from service.engine.problems import Problem
from service.persistence.audit import append_event
from service.persistence.models import ProcessDefinition, ProcessDraft

from . import deploy
from .context import AppContext
from .draft_content import checked_content
from .errors import Conflict, Forbidden, NotFound, ValidationFailed
from .process_templates import DEFAULT_ROLE, PROCESS_ID, TEMPLATES, DraftContent, blank
from .users import find_user

MAX_NAME = 128
ANY_PROCESS_ID = DEPLOYABLE_ID  # any id deploy takes: deployed ones may predate PROCESS_ID


# -- who may -----------------------------------------------------------------------------------------

def check_may_change(session: Session, actor: str) -> None:
    if not may_change_processes(find_user(session, actor).role_ids):
        raise Forbidden("editor.change_forbidden", user=actor)


def check_may_read(session: Session, actor: str) -> None:
    if not may_read_processes(find_user(session, actor).role_ids):
        raise Forbidden("editor.read_forbidden", user=actor)


def require_may_change(ctx: AppContext, actor: str) -> None:
    """Before reading a request's body: a refusal says who may, whatever was sent."""
    with ctx.db.reading() as session:
        check_may_change(session, actor)


def require_may_read(ctx: AppContext, actor: str) -> None:
    with ctx.db.reading() as session:
        check_may_read(session, actor)


def known_id(process_id: str) -> str:
    """A process id from a URL: anything no process could be called is simply not found (and never
    reaches the database, which refuses NUL characters in text)."""
    if not ANY_PROCESS_ID.fullmatch(process_id):
        raise NotFound("editor.process_missing", process=process_id[:80].encode("unicode_escape").decode())
    return process_id


# -- reading -----------------------------------------------------------------------------------------

def latest_version(session: Session, process_id: str) -> int | None:
    return session.execute(select(func.max(ProcessDefinition.version)).where(
        ProcessDefinition.process_id == process_id)).scalar()


def latest_definition(session: Session, process_id: str) -> ProcessDefinition | None:
    return session.execute(select(ProcessDefinition).where(ProcessDefinition.process_id == process_id)
                           .order_by(ProcessDefinition.version.desc()).limit(1)).scalar_one_or_none()


def definition_content(definition: ProcessDefinition) -> DraftContent:
    """A deployed version as the editor edits it: diagrams and tables, forms as JSON text, translations."""
    files = definition.files or {}
    return DraftContent(
        files={name: text for name, text in files.items() if name.endswith((".bpmn", ".dmn"))},
        forms={key: json.dumps(form, ensure_ascii=False, indent=2) + "\n"
               for key, form in (definition.forms or {}).items()},
        translations={name: text for name, text in files.items() if name.endswith(".en.json")})


def current_content(session: Session, process_id: str) -> tuple[DraftContent, ProcessDraft | None]:
    """The draft of a process, else its latest version; NotFound when there is neither."""
    draft = session.get(ProcessDraft, known_id(process_id))
    if draft is not None:
        return DraftContent(dict(draft.files), dict(draft.forms), dict(draft.translations)), draft
    definition = latest_definition(session, process_id)
    if definition is None:
        raise NotFound("editor.process_missing", process=process_id)
    return definition_content(definition), None


def _shown(ctx: AppContext, session: Session, process_id: str) -> dict[str, Any]:
    content, draft = current_content(session, process_id)
    latest = latest_version(session, process_id)
    return {"process_id": process_id, "base_version": draft.base_version if draft else latest,
            "latest_version": latest, "is_draft": draft is not None, "files": content.files,
            "forms": content.forms, "translations": content.translations,
            "updated_at": _iso(ctx, draft.updated_at) if draft else None,
            "updated_by": draft.updated_by if draft else None}


def _iso(ctx: AppContext, value: datetime) -> str:
    return value.astimezone(ctx.tz).isoformat()


def get_draft(ctx: AppContext, process_id: str, *, actor: str) -> dict[str, Any]:
    with ctx.db.reading() as session:
        check_may_read(session, actor)
        return _shown(ctx, session, process_id)


# -- changes -----------------------------------------------------------------------------------------

def _fingerprint(content: DraftContent) -> str:
    files = {name: text.encode("utf-8") for name, text in {**content.files, **content.translations}.items()}
    return deploy.content_hash(files, content.forms)


def _store(session: Session, ctx: AppContext, process_id: str, content: DraftContent, base_version: int | None,
           actor: str, *, template: str | None = None) -> None:
    draft = session.get(ProcessDraft, process_id)
    if draft is None:
        draft = ProcessDraft(process_id=process_id)
        session.add(draft)
    draft.base_version, draft.files, draft.forms = base_version, content.files, content.forms
    draft.translations, draft.updated_at, draft.updated_by = content.translations, ctx.now(), actor
    payload: dict[str, Any] = {"process_id": process_id, "base_version": base_version,
                               "files": sorted(content.files), "forms": sorted(content.forms),
                               "translations": sorted(content.translations), "content_hash": _fingerprint(content)}
    if template:
        payload["template"] = template
    append_event(session, type="draft_saved", actor=actor, at=ctx.now(), payload=payload)


_UNSET: Any = object()


def save_draft(ctx: AppContext, process_id: str, *, actor: str, files: Any, forms: Any, translations: Any = None,
               base_version: Any = _UNSET) -> dict[str, Any]:
    """Store the editor's content; `base_version` is the version the edit started from (None: a new process)."""
    with ctx.db.transaction() as session:
        check_may_change(session, actor)
        existing = session.get(ProcessDraft, known_id(process_id))
        latest = latest_version(session, process_id)
        if existing is None and latest is None:
            raise NotFound("editor.process_missing", process=process_id)
        if base_version is _UNSET:
            base_version = existing.base_version if existing is not None else latest
        base_problem = _base_problem(session, process_id, base_version)
        try:
            content = checked_content(process_id, files, forms, {} if translations is None else translations)
        except ValidationFailed as exc:
            exc.errors.update({"base_version": base_problem} if base_problem else {})
            raise
        if base_problem:
            raise ValidationFailed("editor.draft_refused", {"base_version": base_problem})
        _store(session, ctx, process_id, content, base_version, actor)
        session.flush()
        return _shown(ctx, session, process_id)


def _base_problem(session: Session, process_id: str, base_version: Any) -> Message | None:
    """None when the draft may start from `base_version` (a deployed version, or None for a new process)."""
    if base_version is None:
        return None
    if isinstance(base_version, bool) or not isinstance(base_version, int) or not (
            0 < base_version <= DATABASE_ID_MAX) or not session.execute(
            select(ProcessDefinition.id).where(ProcessDefinition.process_id == process_id,
                                               ProcessDefinition.version == base_version)).first():
        return Message("editor.base_version_unknown", {"process": process_id, "version": str(base_version)[:20]})
    return None


def draft_list(ctx: AppContext) -> dict[str, dict[str, Any]]:
    """Process id → who saved its draft, when, and the version it started from (for the process list)."""
    with ctx.db.reading() as session:
        return {d.process_id: {"updated_by": d.updated_by, "updated_at": d.updated_at.isoformat(),
                               "base_version": d.base_version}
                for d in session.execute(select(ProcessDraft)).scalars()}


def discard_draft(ctx: AppContext, process_id: str, *, actor: str) -> None:
    with ctx.db.transaction() as session:
        check_may_change(session, actor)
        draft = session.get(ProcessDraft, known_id(process_id))
        if draft is None:
            raise NotFound("editor.draft_missing", process=process_id)
        append_event(session, type="draft_discarded", actor=actor, at=ctx.now(), payload={
            "process_id": process_id, "base_version": draft.base_version})
        session.delete(draft)


def new_draft(ctx: AppContext, *, actor: str, process_id: Any, name: Any, template: Any = "blank",
              role: Any = None) -> dict[str, Any]:
    """A new process from a template, as a draft (nothing is live until it is deployed)."""
    errors: dict[str, str | Message] = {}
    if not isinstance(process_id, str) or not PROCESS_ID.fullmatch(process_id):
        errors["process_id"] = Message("editor.process_id", {"pattern": PROCESS_ID.pattern})
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME or not name.isprintable():
        errors["name"] = Message("editor.process_name", {"max": MAX_NAME})
    if template not in TEMPLATES:
        errors["template"] = Message("editor.template_unknown", {"known": ", ".join(TEMPLATES)})
    role = DEFAULT_ROLE if role is None else role
    if not isinstance(role, str) or role not in ROLES:
        errors["role"] = Message("editor.role_unknown", {"known": ", ".join(ROLES)})
    with ctx.db.transaction() as session:
        check_may_change(session, actor)
        if errors:
            raise ValidationFailed("editor.new_refused", errors)
        if latest_version(session, process_id) is not None:
            raise Conflict("editor.process_exists", process=process_id)
        if session.get(ProcessDraft, process_id) is not None:
            raise Conflict("editor.draft_exists", process=process_id)
        _store(session, ctx, process_id, blank(process_id, name.strip(), role), None, actor, template=template)
        session.flush()
        return _shown(ctx, session, process_id)


# -- check and deploy --------------------------------------------------------------------------------

def bundle_of(process_id: str, content: DraftContent) -> deploy.Bundle:
    """The draft as the deploy machinery reads a bundle; problems name the files as the editor shows them."""
    return deploy.Bundle(
        process_id, files={name: text.encode("utf-8") for name, text in content.files.items()},
        forms=dict(content.forms), form_sources={key: f"{key}.form" for key in content.forms},
        translations={name: text.encode("utf-8") for name, text in content.translations.items()},
        translation_sources={name: name for name in content.translations})


def problem_dict(problem: Problem, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """One problem for the editor, its message in the reader's language `lang`."""
    return {"file": problem.file, "line": problem.line, "element_id": problem.element_id or None,
            "message": problem.render(lang)}


def validate_draft(ctx: AppContext, process_id: str, *, actor: str, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """Exactly the checks of `guicheng validate`, over the draft (or the latest version); said in `lang`."""
    with ctx.db.reading() as session:
        check_may_read(session, actor)
        content, _draft = current_content(session, process_id)
    problems, warnings = deploy.bundle_report(bundle_of(process_id, content))
    return {"ok": not problems, "problems": [problem_dict(p, lang) for p in problems],
            "warnings": [problem_dict(w, lang) for w in warnings]}


def deploy_draft(ctx: AppContext, process_id: str, *, actor: str) -> deploy.DeployResult:
    """Deploy the saved draft: refused when someone deployed since it was started (Conflict) or when it
    does not pass the checks (DefinitionInvalid, nothing stored). The draft is removed in the deploy's
    own transaction, where the latest version is read under its lock."""
    with ctx.db.reading() as session:
        check_may_change(session, actor)
        draft = session.get(ProcessDraft, known_id(process_id))
        if draft is None:
            raise NotFound("editor.draft_missing", process=process_id)
        content = DraftContent(dict(draft.files), dict(draft.forms), dict(draft.translations))
        saved_at = draft.updated_at

    def settle(session: Session, latest: int) -> None:
        current = session.get(ProcessDraft, process_id, with_for_update=True)
        if current is None or current.updated_at != saved_at:
            raise Conflict("editor.draft_changed", process=process_id)  # saved or discarded meanwhile
        if (current.base_version or 0) != latest:
            raise Conflict("editor.draft_stale", process=process_id, base=_version_words(current.base_version),
                           latest=_version_words(latest or None))
        session.delete(current)

    return deploy.deploy_bundle(ctx, bundle_of(process_id, content), actor=actor, within=settle)


def _version_words(version: int | None) -> Message:
    return Message("editor.version", {"version": version}) if version else Message("editor.no_version")
