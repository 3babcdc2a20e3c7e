"""The service desk's pages around dispatch orders: opening an order from a contract, the desk's
dashboard with the orders behind each number, and the after-sales service report as a page to print.

Only the layout lives here: who may do what and what an order starts with is `operations.dispatch_orders`,
what the dashboard counts `operations.after_sales_dashboard`, what the report says
`operations.printables` / `operations.service_report`.
"""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, request, url_for

from service.adapters.service_report_pdf import ServiceReport
from service.domain.access import may_create_dispatch_orders, may_read_after_sales_dashboard
from service.operations import after_sales_dashboard, dispatch_orders, printables
from service.operations.errors import NotFound, ValidationFailed
from service.web import bp
from service.web.common import context, me, page, when
from service.web.i18n import known, language, t
from service.web.pdf_download import labeller

REPORT = "service_report"


@bp.app_context_processor
def _after_sales_nav() -> dict[str, Any]:
    """Whether the top bar offers the order creation page and the dashboard (the policy decides)."""
    current = g.get("me")
    roles = set(current["roles"]) if current else set()
    return {"creates_dispatch_orders": may_create_dispatch_orders(roles),
            "sees_after_sales_dashboard": may_read_after_sales_dashboard(roles)}


# --- order creation --------------------------------------------------------------------------------


def _task_type_name(task_type: dict[str, Any]) -> str:
    return str(task_type["name_en"] if language() == "en" and task_type.get("name_en") else task_type["name_zh"])


def _order_form(values: dict[str, Any], errors: dict[str, str], status: int = 200):  # type: ignore[no-untyped-def]
    ctx, actor = context(), me()["username"]
    query = str(values.get("q") or "")
    found = dispatch_orders.find_contracts(ctx, actor, query) if values.get("searched") else []
    chosen = None
    if values.get("contract_id"):
        try:
            chosen = next((c for c in found if str(c["id"]) == str(values["contract_id"])), None) or \
                dispatch_orders.contract(ctx, int(values["contract_id"]))
        except (NotFound, ValueError):
            chosen = None
    offered = dispatch_orders.choices(ctx)
    task_types = [{**tt, "label": _task_type_name(tt)} for tt in offered["task_types"]]
    return page("after_sales_order_new.html", status, query=query, searched=bool(values.get("searched")),
                found=found, limit=dispatch_orders.SEARCH_LIMIT, chosen=chosen, form=values, errors=errors,
                regions=offered["regions"], task_types=task_types, fault_kinds=offered["fault_kinds"],
                field_labels=_field_labels())


def _field_labels() -> dict[str, str]:
    return {"contract_id": t("as_new.picked"), "serial_no": t("as_new.product"), "region_id": t("as_new.region"),
            "task_type": t("as_new.task_type"), "warranty_claimed": t("as_new.warranty_claimed"),
            "fault_kind": t("as_new.fault_kind"), "request_description": t("as_new.description")}


@bp.get("/after-sales/orders/new")
def after_sales_order_new():  # type: ignore[no-untyped-def]
    dispatch_orders.check_may_create(context(), me()["username"])
    args = request.args
    values: dict[str, Any] = {"q": args.get("q", ""), "searched": "q" in args or bool(args.get("contract_id")),
                              "contract_id": args.get("contract_id", "")}
    return _order_form(values, {})


@bp.post("/after-sales/orders/new")
def after_sales_order_create():  # type: ignore[no-untyped-def]
    ctx, actor = context(), me()["username"]
    raw = {key: request.form.get(key, "") for key in (*dispatch_orders.FIELDS, "q")}
    try:
        case_id = dispatch_orders.create_order(ctx, raw, actor=actor)
    except ValidationFailed as exc:
        return _order_form({**raw, "searched": True}, exc.field_errors(language()), 400)
    flash(t("as_new.created", id=case_id), "success")
    return redirect(url_for("web.case_page", case_id=case_id))


# --- dashboard -------------------------------------------------------------------------------------


def _list_link(show: str, value: str = "") -> str:
    args: dict[str, Any] = {"show": show, **({"value": value} if value else {})}
    return url_for("web.after_sales_dashboard_orders", **args)


@bp.get("/after-sales/dashboard")
def after_sales_dashboard_page():  # type: ignore[no-untyped-def]
    figures = after_sales_dashboard.summary(context(), me()["username"])
    names = _task_type_names()
    for row in figures["by_type"]:
        row["name"] = names.get(row["key"], row["name"]) or row["key"]
    return page("after_sales_order_dashboard.html", figures=figures, link=_list_link, as_of=when(figures["now"]))


def _task_type_names() -> dict[str, str]:
    """Task types by code in the page's language (an order keeps the Chinese name it was created with)."""
    return {tt["code"]: _task_type_name(tt) for tt in dispatch_orders.task_types(context(), active_only=False)}


@bp.get("/after-sales/dashboard/orders")
def after_sales_dashboard_orders():  # type: ignore[no-untyped-def]
    show, value = request.args.get("show", "open"), request.args.get("value", "")
    rows = after_sales_dashboard.orders(context(), me()["username"], show, value)
    names = _task_type_names()
    for row in rows:
        for key in ("requested_at", "on_site_due", "fix_due"):
            row[f"{key}_shown"] = _moment(row[key])
        row["task_type_label"] = names.get(row["task_type"]) or row["task_type_name"] or row["task_type"]
        row["status_label"] = t(f"as_status.{row['status']}") if known(f"as_status.{row['status']}") else row["status"]
    shown = value if show != "type" else names.get(value, value)
    return page("after_sales_order_list.html", rows=rows, show=show,
                title=t(f"as_dash.list_title.{show}", value=shown or t("as_dash.no_region")))


def _moment(value: str) -> str:
    """An instant of the case data as people read it; a value that is no time as it is."""
    try:
        return when(value) if value else ""
    except ValueError:
        return value


# --- the report as a page to print -----------------------------------------------------------------


@bp.get("/cases/<int:case_id>/printables/service_report.html")
def after_sales_report_page(case_id: int):  # type: ignore[no-untyped-def]
    label = labeller(language())
    report = printables.document(context(), case_id, REPORT, actor=me()["username"], lang=language(), label=label)
    assert isinstance(report, ServiceReport)
    return page("after_sales_order_report.html", report=report, case_id=case_id, label=label,
                pdf_url=url_for("web.printable", case_id=case_id, name=REPORT))


@bp.app_template_global()
def case_printables(case: dict[str, Any]) -> list[dict[str, str]]:
    """The documents a case offers to print (its version's printables the reader may print), for the case
    page: [{"name", "label", "url", "page_url"}]; the service report also as a page to print."""
    names = printables.offered_for_case(context(), int(case["id"]), me()["username"])
    return [{"name": name, "label": t(f"printables.{name}"),
             "url": url_for("web.printable", case_id=case["id"], name=name),
             "page_url": url_for("web.after_sales_report_page", case_id=case["id"]) if name == REPORT else ""}
            for name in names]
