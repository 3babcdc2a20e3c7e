"""售后主数据 / After-sales master data: the sales contracts (wildcard search, paging, the contract with
its products, the .xlsx import and export). The region tree, task types, parts and fee items are in
`after_sales_catalogue_pages`.

The views only read the form and call `operations.after_sales_master`; who may read or change what is
`service.domain.access` (staff read, customers see nothing; the desk and admins edit contracts).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from flask import Response, flash, g, redirect, request, url_for

from service.adapters.contract_workbook import MAX_FILE_BYTES
from service.domain.access import may_edit_master_data, may_read_master_data
from service.operations import after_sales_master as master
from service.operations.errors import Forbidden, ValidationFailed
from service.web import bp
from service.web.common import context, me, page
from service.web.i18n import language, t

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PER_PAGE = 50
EMPTY_PRODUCT_ROWS = 3
PAGE_NUMBER = re.compile(r"^[0-9]{1,5}$")
ID = re.compile(r"^[0-9]{1,9}$")
PRODUCT_FIELDS = ("serial_no", "model", "name", "kind", "first_use_on", "ex_factory_on")
CONTRACT_FIELDS = ("contract_no", "project", "customer", "address", "contact", "signed_on", "service_until",
                   "warranty_extension_years")


@bp.app_context_processor
def _master_data_nav() -> dict[str, Any]:
    """Whether the top bar offers the master data (every member of staff reads it)."""
    current = g.get("me")
    return {"sees_master_data": bool(current and may_read_master_data(set(current["roles"])))}


def reader() -> str:
    """The signed-in user when they may read master data, else a 403 page."""
    if not may_read_master_data(set(me()["roles"])):
        raise Forbidden("as_master.may_not_read", user=me()["username"])
    return str(me()["username"])


def editor(kind: str) -> str:
    reader()
    if not may_edit_master_data(set(me()["roles"]), kind):
        raise Forbidden("as_master.may_not_edit", user=me()["username"], what=master.KIND_WORDS[kind])
    return str(me()["username"])


def edits(kind: str) -> bool:
    return may_edit_master_data(set(me()["roles"]), kind)


def int_arg(text: str | None) -> int | None:
    return int(text) if text and ID.match(text) else None


# --- the list ----------------------------------------------------------------------------------


def _list_page(status: int = 200, **values: Any):  # type: ignore[no-untyped-def]
    reader()
    query = request.args.get("q", "")
    number = request.args.get("page", "1")
    current = int(number) if PAGE_NUMBER.match(number) and int(number) > 0 else 1
    errors: dict[str, str] = {}
    try:
        total, rows = master.search_page(context(), query, limit=PER_PAGE, offset=(current - 1) * PER_PAGE)
    except ValidationFailed as exc:
        total, rows, errors = 0, [], exc.field_errors()
    pages = max(1, (total + PER_PAGE - 1) // PER_PAGE)
    return page("after_sales_contracts.html", status, query=query, rows=rows, total=total, errors=errors,
                result={"page": current, "pages": pages}, may_edit=edits("contracts"), **values)


@bp.get("/after-sales/contracts")
def as_master_contracts():  # type: ignore[no-untyped-def]
    return _list_page()


@bp.post("/after-sales/contracts/import")
def as_master_contracts_import():  # type: ignore[no-untyped-def]
    actor = editor("contracts")
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        return _list_page(400, import_error=t("asm.contracts.import_choose"))
    try:
        report = master.import_contracts(context(), sent.read(MAX_FILE_BYTES + 1), actor=actor)
    except master.ContractImportRejected as exc:
        return _list_page(400, problems=exc.problems, file_name=sent.filename)
    return _list_page(report=report, file_name=sent.filename)


@bp.get("/after-sales/contracts/export.xlsx")
def as_master_contracts_export():  # type: ignore[no-untyped-def]
    reader()
    name = f"销售合同-{context().now().astimezone(context().tz):%Y-%m-%d}.xlsx"
    return Response(master.export_contracts(context()), mimetype=XLSX, headers={
        "Content-Disposition": f"attachment; filename=\"contracts.xlsx\"; filename*=UTF-8''{quote(name)}"})


# --- one contract ------------------------------------------------------------------------------


def _products_sent() -> list[dict[str, str]]:
    """The product rows of the form (`products-N-field`); a row without a serial no. is left out."""
    numbers = sorted({int(key.split("-")[1]) for key in request.form
                      if re.fullmatch(r"products-[0-9]{1,3}-[a-z_]+", key)})
    rows = [{name: request.form.get(f"products-{n}-{name}", "") for name in PRODUCT_FIELDS} for n in numbers]
    return [row for row in rows if row["serial_no"].strip() or any(
        row[name].strip() for name in ("model", "name", "first_use_on", "ex_factory_on"))]


def _sent() -> dict[str, Any]:
    values: dict[str, Any] = {name: request.form.get(name, "") for name in CONTRACT_FIELDS}
    values["visit_plan"] = request.form.getlist("visit_plan")
    values["products"] = _products_sent()
    return values


def _contract_page(found: dict[str, Any] | None, form: dict[str, Any], status: int = 200,  # type: ignore[no-untyped-def]
                   errors: dict[str, str] | None = None):
    products = list(form.get("products") or [])
    products += [{"kind": "whole_unit"}] * EMPTY_PRODUCT_ROWS
    return page("after_sales_contract.html", status, contract=found, form=form, products=products,
                errors=errors or {}, may_edit=edits("contracts"), plans=list(master.VISIT_PLANS),
                kinds=list(master.KINDS))


@bp.get("/after-sales/contracts/new")
def as_master_contract_new():  # type: ignore[no-untyped-def]
    editor("contracts")
    return _contract_page(None, {"warranty_extension_years": 0, "visit_plan": [], "products": []})


@bp.post("/after-sales/contracts/new")
def as_master_contract_create():  # type: ignore[no-untyped-def]
    actor = editor("contracts")
    sent = _sent()
    try:
        created = master.create_contract(context(), sent, actor=actor)
    except ValidationFailed as exc:
        return _contract_page(None, sent, 400, exc.field_errors(language()))
    flash(t("asm.contract.saved", no=created["contract_no"]), "success")
    return redirect(url_for("web.as_master_contract", contract_id=created["id"]))


@bp.get("/after-sales/contracts/<int:contract_id>")
def as_master_contract(contract_id: int):  # type: ignore[no-untyped-def]
    reader()
    found = master.contract(context(), contract_id)
    return _contract_page(found, found)


@bp.post("/after-sales/contracts/<int:contract_id>")
def as_master_contract_save(contract_id: int):  # type: ignore[no-untyped-def]
    actor = editor("contracts")
    found = master.contract(context(), contract_id)
    sent = _sent()
    try:
        saved = master.update_contract(context(), contract_id, sent, actor=actor)
    except ValidationFailed as exc:
        return _contract_page(found, sent, 400, exc.field_errors(language()))
    flash(t("asm.contract.saved", no=saved["contract_no"]), "success")
    return redirect(url_for("web.as_master_contract", contract_id=contract_id))


@bp.post("/after-sales/contracts/<int:contract_id>/delete")
def as_master_contract_delete(contract_id: int):  # type: ignore[no-untyped-def]
    actor = editor("contracts")
    found = master.contract(context(), contract_id)
    if request.form.get("confirm") != "yes":  # the box beside the button: a deletion is never one stray click
        flash(t("asm.contract.delete_unconfirmed", no=found["contract_no"]), "error")
        return redirect(url_for("web.as_master_contract", contract_id=contract_id))
    master.delete_contract(context(), contract_id, actor=actor)
    flash(t("asm.contract.deleted", no=found["contract_no"]), "success")
    return redirect(url_for("web.as_master_contracts"))
