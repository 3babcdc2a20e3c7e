"""After-sales master data over the API: contracts (wildcard search, read, create, change, .xlsx import),
the sales-region tree, task types, parts and fee items.

Reads are for staff (customers get 403, `service.domain.access.may_read_master_data`); every change is
checked by the operation itself (`may_edit_master_data`), so the API and the pages refuse alike.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

from flask import jsonify, request

from service.adapters.contract_workbook import MAX_FILE_BYTES
from service.api import bp
from service.api.auth import caller, context, signed_in
from service.api.errors import json_body, problem
from service.api.language import language
from service.api.openapi import BODIES, QUERIES
from service.domain.access import may_read_master_data
from service.domain.messages import Message
from service.operations import after_sales_master as master
from service.operations.errors import Forbidden, ValidationFailed
from service.operations.users import find_worker

PREFIX = "/api/v1/after-sales"
_DATE = {"type": "string", "format": "date", "nullable": True}
_PRODUCT = {"type": "object", "required": ["serial_no"], "properties": {
    "serial_no": {"type": "string", "maxLength": 64}, "model": {"type": "string", "maxLength": 128},
    "name": {"type": "string", "maxLength": 256}, "kind": {"type": "string", "enum": list(master.KINDS)},
    "first_use_on": _DATE, "ex_factory_on": _DATE}}
_CONTRACT = {"type": "object", "required": ["contract_no"], "properties": {
    "contract_no": {"type": "string", "maxLength": 64}, "project": {"type": "string", "maxLength": 256},
    "customer": {"type": "string", "maxLength": 128, "description": "the company, as users.company"},
    "address": {"type": "string", "maxLength": 512}, "contact": {"type": "string", "maxLength": 256},
    "signed_on": _DATE, "service_until": _DATE,
    "warranty_extension_years": {"type": "integer", "minimum": 0, "maximum": 3},
    "visit_plan": {"type": "array", "items": {"type": "string", "enum": list(master.VISIT_PLANS)}},
    "products": {"type": "array", "items": _PRODUCT, "description": "when given, the whole list (kept by serial no.)"}}}
BODIES[("post", f"{PREFIX}/contracts")] = _CONTRACT
BODIES[("put", f"{PREFIX}/contracts/{{contract_id}}")] = _CONTRACT
QUERIES[("get", f"{PREFIX}/contracts")] = [
    {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 200},
     "description": "contract no., project, customer, address, serial no. or model; * wildcards, case-insensitive; "
                    "empty lists all"},
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 200}},
    {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}}]


def _reader() -> str:
    user = caller()
    with context().db.reading() as session:
        roles = find_worker(session, user).roles
    if not may_read_master_data(roles):
        raise Forbidden("as_master.may_not_read", user=user)
    return user


def _number(name: str, default: int, most: int) -> int:
    text = request.args.get(name, "")
    if not text:
        return default
    if not re.fullmatch(r"[0-9]{1,6}", text) or int(text) > most or (name == "limit" and int(text) < 1):
        raise ValidationFailed("query.limit_refused", {name: Message("query.whole_number", {"max": most})})
    return int(text)


@bp.get("/after-sales/contracts")
@signed_in
def as_contracts_search():  # type: ignore[no-untyped-def]
    """Contracts matching `q` (every term; `*` wildcards), by contract no.; `total` counts all matches."""
    _reader()
    total, rows = master.search_page(context(), request.args.get("q", ""), limit=_number("limit", 200, 200),
                                     offset=_number("offset", 0, 10**6))
    return jsonify({"total": total, "contracts": rows})


@bp.get("/after-sales/contracts/<int:contract_id>")
@signed_in
def as_contract_get(contract_id: int):  # type: ignore[no-untyped-def]
    """One contract with its products."""
    _reader()
    return jsonify(master.contract(context(), contract_id))


@bp.post("/after-sales/contracts")
@signed_in
def as_contract_create():  # type: ignore[no-untyped-def]
    """A new contract (service desk, admins); refused as a whole when any field is wrong."""
    actor = _reader()
    return jsonify(master.create_contract(context(), json_body(), actor=actor)), 201


@bp.put("/after-sales/contracts/<int:contract_id>")
@signed_in
def as_contract_update(contract_id: int):  # type: ignore[no-untyped-def]
    """Change a contract; `products`, when given, is its whole product list."""
    actor = _reader()
    return jsonify(master.update_contract(context(), contract_id, json_body(), actor=actor))


@bp.post("/after-sales/contracts/import")
@signed_in
def as_contracts_import():  # type: ignore[no-untyped-def]
    """multipart `file`: an .xlsx workbook, one row per product. All or nothing: a refusal (400) has `problems`,
    each with `sheet`, `row`, `column`, `code`, `params` and `message` in the caller's language."""
    actor = _reader()
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        raise ValidationFailed("document.no_file", {"file": Message("document.no_file")})
    try:
        report = master.import_contracts(context(), sent.read(MAX_FILE_BYTES + 1), actor=actor)
    except master.ContractImportRejected as exc:
        lang = language()
        return problem(400, exc.message, errors=exc.field_errors(lang),
                       problems=[p.as_json(lang) for p in exc.problems])
    return jsonify({**asdict(report), "changed": report.changed})


@bp.get("/after-sales/regions")
@signed_in
def as_regions():  # type: ignore[no-untyped-def]
    """The sales-region tree: id, name, parent_id, path ("华东区/上海"), children."""
    _reader()
    return jsonify(master.region_tree(context()))


@bp.get("/after-sales/task-types")
@signed_in
def as_task_types():  # type: ignore[no-untyped-def]
    """Task types in order; `?all=1` includes the deactivated ones."""
    _reader()
    return jsonify(master.task_types(context(), active_only=request.args.get("all") not in ("1", "true")))


@bp.get("/after-sales/parts")
@signed_in
def as_parts():  # type: ignore[no-untyped-def]
    """Parts by material no.; `price_fen` is the price in fen, `price` the same in yuan ("120.50")."""
    _reader()
    found: dict[str, Any] = master.parts(context())
    return jsonify(list(found.values()))


@bp.get("/after-sales/fee-items")
@signed_in
def as_fee_items():  # type: ignore[no-untyped-def]
    """The fee table: code, names, task type (null: any), unit, `amount_fen` and `amount` (yuan)."""
    _reader()
    return jsonify(master.fee_items(context()))
