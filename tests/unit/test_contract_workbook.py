"""Reading the contracts workbook (service.adapters.contract_workbook): Chinese or English headers,
dates as dates, formulas and hostile files named, unknown columns left out."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from service.adapters.contract_workbook import (
    CONTRACTS_SHEET,
    HEADERS,
    Unreadable,
    WorkbookRefused,
    field_of,
    read_contracts,
    write_contracts,
)


def _book(rows: list[list[object]], title: str = CONTRACTS_SHEET) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("header", "name"), [
    ("合同编号", "contract_no"), ("Contract no.", "contract_no"), ("contract_no", "contract_no"),
    ("序列号", "serial_no"), ("Serial number", "serial_no"), ("类别 整机/配件", "kind"), ("类别", "kind"),
    ("首次使用日期", "first_use_on"), ("Ex-factory", "ex_factory_on"), ("产品名称", "name"), ("备注", None),
])
def test_headers_in_either_language(header: str, name: str | None) -> None:
    assert field_of(header) == name


def test_cells_keep_dates_numbers_become_digits_formulas_are_named() -> None:
    content = _book([["合同编号", "延保年数", "首次使用日期", "出厂日期", "项目", "备注"],
                     ["HT-1", 2, datetime(2026, 3, 1), "2025-12-15", "=1+1", "x"],
                     [None, None, None, None, None, None],
                     ["HT-2", None, None, None, "项目二", None]])
    sheet = read_contracts(content)
    assert sheet is not None
    assert sheet.ignored == ["备注"]
    assert [row for row, _ in sheet.rows] == [2, 4]  # the empty row is skipped, numbers as Excel shows them
    cells = sheet.rows[0][1]
    assert cells["warranty_extension_years"] == "2"
    assert cells["first_use_on"] == date(2026, 3, 1)
    assert cells["ex_factory_on"] == "2025-12-15"
    assert cells["project"] == Unreadable("formula")


def test_a_sheet_named_otherwise_is_read_when_it_is_the_only_one() -> None:
    sheet = read_contracts(_book([["Contract no.", "Serial no."], ["HT-1", "SN"]], title="Sheet1"))
    assert sheet is not None and sheet.columns == {"contract_no": "Contract no.", "serial_no": "Serial no."}


def test_written_workbook_reads_back_in_chinese() -> None:
    rows = [{"contract_no": "HT-2026-001", "project": "欧莱雅上海工厂", "customer": "欧莱雅",
             "signed_on": date(2025, 11, 20), "warranty_extension_years": 2, "serial_no": "2BY.5084.1044.1",
             "kind": "整机", "project_note": "ignored", "address": "=HYPERLINK(\"x\")"}]
    sheet = read_contracts(write_contracts(rows, [("列", "说明")]))
    assert sheet is not None
    assert list(sheet.columns.values())[:3] == [HEADERS["contract_no"], "项目", "客户"]
    cells = sheet.rows[0][1]
    assert cells["project"] == "欧莱雅上海工厂" and cells["signed_on"] == date(2025, 11, 20)
    assert cells["warranty_extension_years"] == "2" and cells["kind"] == "整机"
    assert cells["address"] == "=HYPERLINK(\"x\")"  # text stays text, never a formula


@pytest.mark.parametrize("content", [b"not a workbook", b"\xd0\xcf\x11\xe0old excel"])
def test_not_a_workbook_is_refused(content: bytes) -> None:
    with pytest.raises(WorkbookRefused):
        read_contracts(content)


def test_entity_declarations_are_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><workbook/>')
    with pytest.raises(WorkbookRefused) as refused:
        read_contracts(out.getvalue())
    assert refused.value.message.code == "org_import.entities"
