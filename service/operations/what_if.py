"""What-if on a draft: before deploying, walk the last finished cases of the process on the draft.

Why: a process owner changing a procedure wants to know, before anyone runs on it, which of the
cases that went through lately would have gone otherwise — another step, a failing condition, a
service the draft calls that the case never needed. Each case is walked twice: its own history is
replayed on the versions it ran on (the original path, as the replay rebuilds it), and its logged
inputs are walked on the draft (`what_if_walk`); the first element where the two part is named.
Nothing is written: no case, no mail, no file, no event — only the draft's owner reads the answer.

Bounded: at most `MAX_CASES` cases; each engine step under the evaluation budget a live step has,
each case within `CASE_SECONDS`, the whole request within `REQUEST_SECONDS` (cases not reached say
so). One case that fails in any way is that case's verdict; the others are walked all the same.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.adapters.mailer import Address
from service.domain.messages import DEFAULT_LANGUAGE, Message
from service.engine.element_names import named_elements
from service.engine.problems import DefinitionInvalid
from service.engine.xml_safety import XmlRejected, parse_xml
from service.persistence.models import ProcessInstance
from service.service_tasks.context import ServiceContext
from service.service_tasks.registry import operations

from . import deploy
from .calendar import load_calendar
from .context import AppContext
from .errors import ValidationFailed
from .localise import localise_element_names
from .process_drafts import bundle_of, check_may_change, current_content, latest_version
from .replay import Replayer, StoppedAt
from .replay_log import CaseLog, read_case_log
from .what_if_walk import DraftServices, DraftWalk, Parting, path_elements, pure_calculator

log = logging.getLogger(__name__)

DEFAULT_CASES = 20
MAX_CASES = 200
CASE_SECONDS = 10.0
REQUEST_SECONDS = 90.0
VERDICTS = ("same", "other_path", "failed", "stopped")


@dataclass(frozen=True)
class Draft:
    """The draft as the engine runs it, and the names a person knows its elements by."""

    process_id: str
    base_version: int | None
    is_draft: bool
    spec: Any
    subprocess_specs: dict[str, Any]
    names: dict[str, str]


def case_count(value: Any) -> int:
    """How many cases were asked for: 1..MAX_CASES, DEFAULT_CASES when not said."""
    if value is None:
        return DEFAULT_CASES
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_CASES:
        raise ValidationFailed("what_if.refused", {"cases": Message("what_if.cases", {"max": MAX_CASES})})
    return value


def _names(files: dict[str, bytes] | dict[str, str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, text in files.items():
        if not name.endswith(".bpmn"):
            continue
        try:
            tree = parse_xml(text if isinstance(text, bytes) else text.encode("utf-8"), name)
        except XmlRejected:
            continue
        found.update({element: named.name for element, named in named_elements(tree).items()})
    return found


def _parsed_draft(session: Session, process_id: str) -> Draft:
    """The draft (or the latest version when none is saved) parsed as deploy parses it; its problems
    refuse the what-if (DefinitionInvalid), as they would refuse the deploy."""
    content, draft = current_content(session, process_id)
    parsed, _forms = deploy.check_bundle(bundle_of(process_id, content))
    base = draft.base_version if draft is not None else latest_version(session, process_id)
    return Draft(process_id, base, draft is not None, parsed.spec, parsed.subprocess_specs, _names(parsed.files))


def _finished_cases(session: Session, process_id: str, count: int) -> list[tuple[int, str]]:
    rows = session.execute(select(ProcessInstance.id, ProcessInstance.business_key).where(
        ProcessInstance.process_id == process_id, ProcessInstance.status == "completed")
        .order_by(ProcessInstance.completed_at.desc(), ProcessInstance.id.desc()).limit(count)).all()
    return [(row[0], row[1]) for row in rows]


def original_path(ctx: AppContext, case_log: CaseLog) -> tuple[list[str], Message | None]:
    """The elements the case completed, in order, as replaying its own history rebuilds them."""
    path: list[str] = []
    seen: set[Any] = set()

    def follow(event: Any, workflow: Any, definition: Any, status: str) -> None:
        if workflow is not None:
            path.extend(path_elements(workflow, seen))
    try:
        Replayer(ctx, case_log, on_event=follow).run()
    except StoppedAt as at:
        return path, Message("what_if.original_unreplayable", {"seq": at.event.seq, "reason": at.message})
    return path, None


def _first_difference(original: list[str], drafted: list[str]) -> int | None:
    for index in range(max(len(original), len(drafted))):
        if index >= len(original) or index >= len(drafted) or original[index] != drafted[index]:
            return index
    return None


@dataclass
class _Verdict:
    verdict: str
    reason: Message
    difference: dict[str, Any] | None = None


def _judge(draft: Draft, original: list[str], drafted: list[str], parting: Parting | None) -> _Verdict:
    at = _first_difference(original, drafted)
    went_on = original[at] if at is not None and at < len(original) else None
    if parting is None:
        if at is None:
            return _Verdict("same", Message("what_if.same", {}))
        instead = drafted[at] if at < len(drafted) else None
        parting = Parting("other_path", instead or went_on, Message("what_if.path_differs", {
            "original": _named(draft, went_on), "draft": _named(draft, instead)}))
        return _Verdict("other_path", parting.reason, _difference(draft, parting.element_id, went_on, instead))
    went_on = parting.original or went_on
    return _Verdict(parting.verdict, parting.reason, _difference(draft, parting.element_id, went_on,
                                                                 parting.element_id))


def _difference(draft: Draft, element: str | None, original: str | None, drafted: str | None) -> dict[str, Any]:
    return {"element_id": element, "name": draft.names.get(element or "", element),
            "original": original, "draft": drafted}


def _named(draft: Draft, element: str | None) -> str:
    if not element:
        return "—"
    name = draft.names.get(element)
    return f"{name} ({element})" if name and name != element else element


def _case_context(ctx: AppContext, base: ServiceContext, instance_id: int, business_key: str) -> ServiceContext:
    return ServiceContext(now=base.now, calendar=base.calendar, instance_id=instance_id, process_id=base.process_id,
                          business_key=business_key, people_with_role=lambda role: [], sender=base.sender,
                          mail_domain=base.mail_domain)


def _walk_case(ctx: AppContext, draft: Draft, base: ServiceContext, instance_id: int, business_key: str,
               deadline: float) -> tuple[_Verdict, list[str], list[str]]:
    with ctx.db.reading() as session:
        case_log = read_case_log(session, instance_id)
    original, unreplayable = original_path(ctx, case_log)
    if unreplayable is not None:
        return _Verdict("stopped", unreplayable), original, []
    calculate = pure_calculator(_case_context(ctx, base, instance_id, business_key))
    walk = DraftWalk(case_log, draft.spec, draft.subprocess_specs, draft.names,
                     DraftServices.of(case_log.events, calculate), ctx.evaluation_limits,
                     min(deadline, time.monotonic() + CASE_SECONDS))
    parting = walk.run()
    return _judge(draft, original, walk.path, parting), original, walk.path


def _case_row(names: dict[str, str], instance_id: int, business_key: str, verdict: _Verdict, original: list[str],
              drafted: list[str], lang: str) -> dict[str, Any]:
    shown = {e: names[e] for e in [*original, *drafted] if e in names}  # what a person calls the elements
    return {"instance_id": instance_id, "business_key": business_key, "verdict": verdict.verdict,
            "first_difference": verdict.difference, "reason": verdict.reason.render(lang),
            "original_path": original, "draft_path": drafted, "names": shown}


def what_if(ctx: AppContext, process_id: str, *, actor: str, cases: Any = None,
            lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """The last `cases` finished cases of the process walked on its draft, one verdict each.
    Raises DefinitionInvalid when the draft does not pass the deploy checks."""
    with ctx.db.reading() as session:
        check_may_change(session, actor)
        count = case_count(cases)
        draft = _parsed_draft(session, process_id)
        chosen = _finished_cases(session, process_id, count)
        base = ServiceContext(now=ctx.now(), calendar=load_calendar(session, ctx), instance_id=None,
                              process_id=process_id, business_key="", people_with_role=lambda role: [],
                              sender=Address("规程 Guicheng", ctx.settings.mail_sender),
                              mail_domain=ctx.settings.mail_domain)
    operations()  # the registry loaded before any budgeted step (imports are no diagram code)
    deadline = time.monotonic() + REQUEST_SECONDS
    # the names in the reader's language: the version the draft starts from knows their translations
    names = localise_element_names(ctx, process_id, draft.base_version, draft.names, lang) \
        if draft.base_version else draft.names
    rows = []
    for instance_id, business_key in chosen:
        verdict = _verdict_of(ctx, draft, base, instance_id, business_key, deadline)
        rows.append(_case_row(names, instance_id, business_key, *verdict, lang))
    summary = {verdict: sum(1 for row in rows if row["verdict"] == verdict) for verdict in VERDICTS}
    return {"draft_of": process_id, "base_version": draft.base_version, "is_draft": draft.is_draft,
            "cases": rows, "summary": summary}


def _verdict_of(ctx: AppContext, draft: Draft, base: ServiceContext, instance_id: int, business_key: str,
                deadline: float) -> tuple[_Verdict, list[str], list[str]]:
    if time.monotonic() > deadline:
        return _Verdict("stopped", Message("what_if.out_of_time", {})), [], []
    try:
        return _walk_case(ctx, draft, base, instance_id, business_key, deadline)
    except Exception as exc:  # one case's trouble is its verdict, never the others'
        log.exception("what-if of case %s failed", instance_id)
        return _Verdict("failed", Message("what_if.case_failed", {"cause": str(exc)[:300]})), [], []


__all__ = ["DEFAULT_CASES", "MAX_CASES", "DefinitionInvalid", "case_count", "what_if"]
