"""Which documents a task offers to print, sign and upload, and what is printed on them.

A user task names its printables in the diagram (`<spiffworkflow:property name="printables"
value="service_sheet" />`, a comma list), read from the deployed version's specs, so a case
keeps the printables of the version it started on. Whoever may see a case may print its
documents, except that the weekly report (person-days: internal) is for staff only and lists only
the cases its reader may see as well.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.adapters import pdf_documents
from service.adapters.pdf_documents import ServiceSheet, WeeklyReport, WeeklyRow
from service.adapters.service_report_pdf import ServiceReport, service_report_pdf
from service.persistence.models import HumanTask, ProcessDefinition, ProcessInstance, User

from . import queries, service_report
from .access import load_viewer, visible_cases
from .case_store import load_specs
from .context import AppContext
from .errors import Forbidden, NotFound
from .localise import localise_form

KNOWN = ("service_sheet", "weekly_report", "service_report")
STAFF_ONLY = frozenset({"weekly_report"})
PROPERTY = "printables"


def declared(properties: Mapping[str, Any] | None) -> list[str]:
    """The known printables a task's properties name, in their order (unknown names are ignored)."""
    listed = str((properties or {}).get(PROPERTY) or "")
    names = [n.strip() for n in listed.split(",") if n.strip()]
    return [n for i, n in enumerate(names) if n in KNOWN and n not in names[:i]]


def _task_specs(ctx: AppContext, definition: ProcessDefinition) -> Iterable[Any]:
    spec, subprocess_specs = load_specs(ctx, definition)
    for workflow_spec in [spec, *subprocess_specs.values()]:
        yield from workflow_spec.task_specs.values()


def _properties(task_spec: Any) -> Mapping[str, Any]:
    return (getattr(task_spec, "extensions", None) or {}).get("properties") or {}


def _definition(session: Session, process_id: str, version: int) -> ProcessDefinition:
    found = session.execute(select(ProcessDefinition).where(
        ProcessDefinition.process_id == process_id, ProcessDefinition.version == version)).scalar_one_or_none()
    if found is None:
        raise NotFound("printables.no_version", process=process_id, version=version)
    return found


def offered_on(ctx: AppContext, process_id: str, version: int, element_id: str, *, actor: str | None = None
               ) -> list[str]:
    """The printables of one user task of a deployed version (those the actor may print, when named)."""
    with ctx.db.reading() as session:
        definition = _definition(session, process_id, version)
        customer = actor is not None and load_viewer(session, actor).is_customer
    for task_spec in _task_specs(ctx, definition):
        if getattr(task_spec, "bpmn_id", None) == element_id or task_spec.name == element_id:
            return [n for n in declared(_properties(task_spec)) if not (customer and n in STAFF_ONLY)]
    return []


def offered_by(ctx: AppContext, definition: ProcessDefinition) -> set[str]:
    """Every printable some task of the version offers."""
    return {name for task_spec in _task_specs(ctx, definition) for name in declared(_properties(task_spec))}


def document(ctx: AppContext, case_id: int, name: str, *, actor: str, lang: str, label: Callable[[str], str]
             ) -> ServiceSheet | WeeklyReport | ServiceReport:
    """What printable `name` of a case the actor may see says (the PDF and the page to print lay it out)."""
    with ctx.db.reading() as session:
        instance = queries.visible_instance(session, case_id, actor)
        if name not in KNOWN or name not in offered_by(ctx, instance.definition):
            raise NotFound("printables.not_offered", name=name, case=case_id)
        if name in STAFF_ONLY and load_viewer(session, actor).is_customer:
            raise Forbidden("printables.staff_only", name=name, case=case_id)
        if name == "service_report":
            return service_report.build(ctx, session, instance, label)
        return (_service_sheet(ctx, session, instance, lang) if name == "service_sheet"
                else _weekly_report(ctx, session, instance, actor))


def offered_for_case(ctx: AppContext, case_id: int, actor: str) -> list[str]:
    """The printables of a case's version that the actor may print (the case page's links), in KNOWN order."""
    with ctx.db.reading() as session:
        instance = queries.visible_instance(session, case_id, actor)
        customer = load_viewer(session, actor).is_customer
        definition = instance.definition
    offered = offered_by(ctx, definition)
    return [n for n in KNOWN if n in offered and not (customer and n in STAFF_ONLY)]


def render(ctx: AppContext, case_id: int, name: str, *, actor: str, lang: str, label: Callable[[str], str]) -> bytes:
    """The PDF of printable `name` for a case the actor may see (raises pdf_documents.FontMissing)."""
    found = document(ctx, case_id, name, actor=actor, lang=lang, label=label)
    # laid out after the read: the database is not held while the PDF is drawn
    if isinstance(found, ServiceReport):
        return service_report_pdf(found, label)
    if isinstance(found, ServiceSheet):
        return pdf_documents.service_sheet_pdf(found, label)
    return pdf_documents.weekly_report_pdf(found, label)


def _names(session: Session, usernames: Iterable[str]) -> dict[str, str]:
    wanted = sorted({u for u in usernames if u})
    if not wanted:
        return {}
    rows = session.execute(select(User.username, User.display_name).where(User.username.in_(wanted)))
    return {username: display for username, display in rows}


def _day(ctx: AppContext, moment: datetime | None) -> str:
    return moment.astimezone(ctx.tz).strftime("%Y-%m-%d") if moment else ""


def _number(value: Any) -> str:
    if value in (None, ""):
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:g}"


def _option_label(ctx: AppContext, instance: ProcessInstance, key: str, value: Any, lang: str) -> str:
    """A choice of the start form as the form words it (in the reader's language)."""
    definition = instance.definition
    form = ctx.cached_forms(definition).get((definition.meta or {}).get("start_form") or "")
    form = localise_form(ctx, instance.process_id, definition.version, form, lang) or {}
    for component in form.get("components", []):
        if isinstance(component, dict) and component.get("key") == key:
            for option in component.get("values") or []:
                if isinstance(option, dict) and option.get("value") == value:
                    return str(option.get("label") or value)
    return "" if value is None else str(value)


def case_number(instance: ProcessInstance) -> str:
    return f"#{instance.id} {instance.business_key}".strip()


def _service_sheet(ctx: AppContext, session: Session, instance: ProcessInstance, lang: str) -> ServiceSheet:
    data = instance.data or {}
    names = _names(session, [instance.started_by, str(data.get("engineer") or "")])
    engineer = str(data.get("engineer") or "")
    return ServiceSheet(
        case_number=case_number(instance), customer=str(data.get("customer") or instance.customer or ""),
        project=str(data.get("project") or ""),
        salesperson=str(data.get("sales_name") or names.get(instance.started_by, instance.started_by)),
        engineer=names.get(engineer, engineer), support_kind=_option_label(ctx, instance, "support_kind",
                                                                           data.get("support_kind"), lang),
        applied_on=_day(ctx, instance.started_at), printed_on=_day(ctx, ctx.now()),
        work_summary=str(data.get("work_summary") or ""), completion_state=str(data.get("completion_state") or ""))


def person_days(data: Mapping[str, Any]) -> float | None:
    """A case's workload as far as it is known: final, else as the director adjusted it, else as
    accounted by the coefficients, else as the engineer reported it."""
    final = (data.get("workload_final") or {}) if isinstance(data.get("workload_final"), dict) else {}
    computed = (data.get("workload") or {}) if isinstance(data.get("workload"), dict) else {}
    for value in (final.get("final_person_days"), data.get("adjusted_person_days"),
                  computed.get("accounted_person_days"), data.get("person_days_spent")):
        if value not in (None, ""):
            try:
                return float(value)
            except (TypeError, ValueError):
                continue
    return None


def week_of(day: date) -> tuple[date, date]:
    """Monday to Sunday around a day."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _last_work(session: Session, instance: ProcessInstance, engineer: str) -> datetime | None:
    return session.execute(select(HumanTask.completed_at).where(
        HumanTask.instance_id == instance.id, HumanTask.completed_by == engineer,
        HumanTask.completed_at.is_not(None)).order_by(HumanTask.completed_at.desc()).limit(1)).scalar()


def _weekly_report(ctx: AppContext, session: Session, instance: ProcessInstance, actor: str) -> WeeklyReport:
    """The week the engineer last worked on this case, with every case of the engineer in it."""
    engineer = str((instance.data or {}).get("engineer") or "")
    worked = _last_work(session, instance, engineer) or ctx.now()
    monday, sunday = week_of(worked.astimezone(ctx.tz).date())
    start = datetime.combine(monday, time(0), tzinfo=ctx.tz)
    end = start + timedelta(days=7)
    case_ids = select(HumanTask.instance_id).where(HumanTask.completed_by == engineer,
                                                   HumanTask.completed_at >= start, HumanTask.completed_at < end)
    found = session.execute(select(ProcessInstance).where(
        ProcessInstance.id.in_(case_ids), ProcessInstance.process_id == instance.process_id,
        visible_cases(load_viewer(session, actor))).order_by(ProcessInstance.id)).unique().scalars()
    cases = [c for c in found if (c.data or {}).get("engineer") == engineer]
    figures = [person_days(c.data or {}) for c in cases]
    rows = [WeeklyRow(case_number(c), str((c.data or {}).get("customer") or c.customer or ""),
                      str((c.data or {}).get("project") or ""), _number(days))
            for c, days in zip(cases, figures, strict=True)]
    return WeeklyReport(engineer=_names(session, [engineer]).get(engineer, engineer),
                        period_start=monday.isoformat(), period_end=sunday.isoformat(),
                        printed_on=_day(ctx, ctx.now()), rows=rows,
                        total_person_days=_number(sum(d for d in figures if d is not None)))
