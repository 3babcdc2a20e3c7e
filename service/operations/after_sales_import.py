"""Sales contracts from and to an .xlsx workbook: one row per product, the contract's columns repeated.

Why all or nothing: a half-imported file leaves contracts without the products the desk expects and
nobody knows which rows went in. So every row is checked first (each cell on its own, then the rows of
one contract against each other) and every problem is reported as (sheet, row, column, message); only
a file without problems is written, in one transaction with one audit event. A contract already
present (same contract no.) is updated: the columns the file has replace its values, the columns it
lacks keep them, and when the file has a 序列号 column its rows are the contract's whole product list
(products kept by serial number, those not in the file removed). Contracts the file does not name stay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from service.adapters.contract_workbook import (
    COLUMNS,
    HEADERS,
    ContractSheet,
    Unreadable,
    WorkbookRefused,
    read_contracts,
    write_contracts,
)
from service.domain.messages import Message
from service.persistence.after_sales_models import ContractProduct, SalesContract

from .after_sales_common import ensure_may_edit, record
from .after_sales_contract_rules import (
    CONTRACT_FIELDS,
    KINDS,
    PRODUCT_FIELDS,
    VISIT_PLANS,
    ContractValues,
    ProductValues,
    check_contract,
    check_product,
)
from .after_sales_contracts import apply_contract, apply_products
from .context import AppContext
from .errors import ValidationFailed
from .org_rows import RowProblem

MAX_PROBLEMS = 500
UNREADABLE = {"formula": Message("as_master.cell_formula"), "error": Message("as_master.cell_error")}


class ContractImportRejected(ValidationFailed):
    """Nothing was changed; `problems` lists each (sheet, row, column, message)."""

    def __init__(self, problems: list[RowProblem]):
        count = len(problems)
        self.problems = sorted(problems, key=lambda p: (p.row, p.column))[:MAX_PROBLEMS]
        if count > MAX_PROBLEMS:
            self.problems.append(RowProblem("", 0, "", Message("as_master.import_more",
                                                               {"count": count - MAX_PROBLEMS})))
        errors: dict[str, str | Message] = {}
        for problem in self.problems:
            errors[problem.where] = problem.message if problem.where not in errors else Message(
                "org_import.and", {"first": errors[problem.where], "then": problem.message})
        super().__init__("as_master.import_refused", errors, count=count)


@dataclass
class ContractImportReport:
    created: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)  # contract no. → what changed
    unchanged: list[str] = field(default_factory=list)
    products: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # no. → added/changed/removed
    ignored_columns: list[str] = field(default_factory=list)
    rows: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


@dataclass
class _Contract:
    row: int
    raw: dict[str, Any]  # the contract's cells as the first row gives them (field → value)
    first_rows: dict[str, int]  # field → the row that gave its value
    products: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def import_contracts(ctx: AppContext, content: bytes, *, actor: str) -> ContractImportReport:
    """Check every row, then write all of it in one transaction, or raise ContractImportRejected."""
    try:
        sheet = read_contracts(content)
    except WorkbookRefused as exc:
        raise ContractImportRejected([RowProblem("", 0, "", exc.message)]) from exc
    if sheet is None:
        raise ContractImportRejected([RowProblem("", 0, "", Message("as_master.import_no_sheet"))])
    problems: list[RowProblem] = []
    contracts = _group(sheet, problems)
    with ctx.db.transaction() as session:
        ensure_may_edit(session, actor, "contracts")
        existing = {c.contract_no: c for c in session.execute(select(SalesContract).where(
            SalesContract.contract_no.in_(list(contracts)))).scalars()} if contracts else {}
        checked = {no: _check(sheet, item, existing.get(no), problems) for no, item in contracts.items()}
        if not contracts and not problems:
            problems.append(RowProblem(sheet.name, 0, "", Message("as_master.import_empty")))
        if problems:
            raise ContractImportRejected(problems)
        report = ContractImportReport(ignored_columns=sheet.ignored, rows=len(sheet.rows))
        for no, (values, products) in checked.items():
            found = existing.get(no)
            if found is None:
                found = SalesContract(updated_at=ctx.now(), updated_by=actor)
                apply_contract(found, values)
                session.add(found)
                report.created.append(no)
                changed: list[str] = []
            else:
                changed = apply_contract(found, values)
            product_report = apply_products(session, found, products) if products is not None else {}
            if product_report:
                report.products[no] = product_report
            if no in report.created:
                continue
            if changed or product_report:
                found.updated_at, found.updated_by = ctx.now(), actor
                report.updated[no] = changed + (["products"] if product_report else [])
            else:
                report.unchanged.append(no)
        session.flush()
        if report.changed:
            record(session, ctx, actor, "contracts_imported", created=report.created, updated=report.updated,
                   products=report.products)
    return report


def _value(sheet: ContractSheet, row: int, name: str, cell: Any, problems: list[RowProblem]) -> Any:
    if isinstance(cell, Unreadable):
        problems.append(RowProblem(sheet.name, row, sheet.columns[name],
                                   UNREADABLE.get(cell.what, Message("as_master.cell_not_text"))))
        return None
    return cell


def _group(sheet: ContractSheet, problems: list[RowProblem]) -> dict[str, _Contract]:
    """The rows by contract no.; a later row of a contract must repeat its values or leave them empty."""
    if "contract_no" not in sheet.columns:
        problems.append(RowProblem(sheet.name, 1, HEADERS["contract_no"], Message(
            "as_master.import_no_column", {"column": HEADERS["contract_no"]})))
    for header in sheet.twice:
        problems.append(RowProblem(sheet.name, 1, header, Message("as_master.import_column_twice", {"column": header})))
    if problems:
        return {}
    contracts: dict[str, _Contract] = {}
    for row, cells in sheet.rows:
        values = {name: _value(sheet, row, name, cell, problems) for name, cell in cells.items()}
        no = values.get("contract_no")
        no = no.strip() if isinstance(no, str) else ""
        if not no:
            problems.append(RowProblem(sheet.name, row, sheet.columns["contract_no"], Message("as_master.required")))
            continue
        contract_raw = {k: v for k, v in values.items() if k in CONTRACT_FIELDS}
        product_raw = {k: v for k, v in values.items() if k in PRODUCT_FIELDS}
        item = contracts.get(no)
        if item is None:
            item = contracts[no] = _Contract(row, contract_raw, {k: row for k in contract_raw})
        else:
            _same_contract(sheet, row, item, contract_raw, problems)
        if any(v not in (None, "") for v in product_raw.values()):
            item.products.append((row, product_raw))
    return contracts


def _same(a: Any, b: Any) -> bool:
    return (a.strip() if isinstance(a, str) else a) == (b.strip() if isinstance(b, str) else b)


def _same_contract(sheet: ContractSheet, row: int, item: _Contract, raw: dict[str, Any],
                   problems: list[RowProblem]) -> None:
    for name, value in raw.items():
        if value in (None, "") or name == "contract_no":
            continue
        if item.raw.get(name) in (None, ""):
            item.raw[name], item.first_rows[name] = value, row
        elif not _same(item.raw[name], value):
            problems.append(RowProblem(sheet.name, row, sheet.columns[name], Message(
                "as_master.import_differs", {"column": sheet.columns[name], "row": item.first_rows[name]})))


def _check(sheet: ContractSheet, item: _Contract, existing: SalesContract | None, problems: list[RowProblem]
           ) -> tuple[ContractValues, list[ProductValues] | None]:
    raw = {name: getattr(existing, name) for name in CONTRACT_FIELDS} if existing is not None else {}
    raw.update({k: v for k, v in item.raw.items() if k in sheet.columns})
    values, errors = check_contract(raw)
    for name, message in errors.items():
        column = sheet.columns.get(name, HEADERS.get(name, name))
        problems.append(RowProblem(sheet.name, item.first_rows.get(name, item.row), column, message))
    if "serial_no" not in sheet.columns:
        if item.products:
            first = item.products[0][0]
            problems.append(RowProblem(sheet.name, first, HEADERS["serial_no"], Message(
                "as_master.product_columns_without_serial")))
        return values, None
    products: list[ProductValues] = []
    seen: dict[str, int] = {}
    for row, product_raw in item.products:
        if product_raw.get("serial_no") in (None, ""):
            problems.append(RowProblem(sheet.name, row, sheet.columns["serial_no"], Message(
                "as_master.product_columns_without_serial")))
            continue
        product, product_errors = check_product(product_raw)
        for name, message in product_errors.items():
            problems.append(RowProblem(sheet.name, row, sheet.columns.get(name, HEADERS[name]), message))
        key = product.serial_no.casefold()
        if key in seen:
            problems.append(RowProblem(sheet.name, row, sheet.columns["serial_no"], Message(
                "as_master.serial_twice", {"serial": product.serial_no})))
        seen[key] = row
        products.append(product)
    return values, products


# --- export ----------------------------------------------------------------------------------------


def export_contracts(ctx: AppContext) -> bytes:
    """Every contract, one row per product (a row of its own when it has none): importing it back
    changes nothing."""
    rows: list[dict[str, Any]] = []
    with ctx.db.reading() as session:
        for found in session.execute(select(SalesContract).order_by(SalesContract.contract_no)).scalars():
            base: dict[str, Any] = {name: getattr(found, name) for name in CONTRACT_FIELDS}
            base["visit_plan"] = "，".join(VISIT_PLANS[c].zh for c in found.visit_plan or [] if c in VISIT_PLANS)
            products: list[ContractProduct | None] = list(found.products) or [None]
            for product in products:
                row = dict(base)
                if product is not None:
                    row.update({name: getattr(product, name) for name in PRODUCT_FIELDS})
                    row["kind"] = KINDS[product.kind].zh if product.kind in KINDS else product.kind
                rows.append(row)
    return write_contracts(rows, _notes())


def _notes() -> list[tuple[str, str]]:
    return [("列", "说明"),
            ("每行", "一个产品；同一合同的各行重复合同的列（后面的行也可留空）"),
            ("合同编号", "必填；已有的合同按编号更新，文件中没有的合同不变"),
            ("序列号", "有此列时，文件中的各行就是该合同的全部产品：文件中没有的产品会被移除"),
            ("日期", "签订日期、服务截止、首次使用日期、出厂日期：日期单元格或 YYYY-MM-DD"),
            ("延保年数", "整机在合同中延长的保修年数，0 至 3"),
            ("回访计划", "每月回访、季度保养、年度服务，多个用逗号分隔；须同时填写服务截止"),
            ("类别", "整机 或 配件"),
            ("English", "English headers are accepted too: " + ", ".join(e[0] for _, _, e in COLUMNS))]
