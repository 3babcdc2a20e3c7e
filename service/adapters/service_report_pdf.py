"""The after-sales service report (售后服务报告单) as PDF: what the customer checks and signs when the
engineer hands the order back — the order, the product, the fault, the warranty decision and the rule that
decided, what was done, the materials used with their balance, the parts still owed, the fees and their total.

Why beside `pdf_documents`: the same page, fonts (the CJK font embedded as a subset) and boxes as the
technical-support service sheet, so both print alike; only this document's layout lives here. What goes on
it comes from `operations.service_report`, the labels from the caller in the reader's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table

from .pdf_documents import (
    REMARK_LINES,
    Label,
    _blank_lines,
    _boxed,
    _build,
    _font,
    _grid,
    _section,
    _signatures,
    _Styles,
    _styles,
    _text,
    _width,
)


@dataclass(frozen=True)
class ReportTable:
    """A table of the report: its column keys (labels), its rows as text, and an optional last line."""

    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    total: Sequence[str] = ()


@dataclass(frozen=True)
class ServiceReport:
    """One dispatch order's 售后服务报告单 — nothing internal (no override discussion, no deadlines)."""

    order_no: str
    facts: Sequence[tuple[str, str]]  # (label key, value): order, contract, customer, product…
    fault: Sequence[tuple[str, str]]  # (label key, value): fault kind, description, diagnosis
    warranty: Sequence[tuple[str, str]]  # (label key, value): decision, rule, override reason
    service_content: str
    handling_report: str
    materials: ReportTable
    owed_parts: ReportTable
    fees: ReportTable
    notes: Sequence[str] = field(default_factory=tuple)  # label keys of remarks printed under the fees


def _table(table: ReportTable, label: Label, styles: _Styles, width: float) -> Table:
    head = [_text(label(key), styles.body) for key in table.columns]
    body = [[_text(cell, styles.body) for cell in row] for row in table.rows]
    if not body:
        body = [[_text(label("as_report.none"), styles.body)] + [""] * (len(head) - 1)]
    extra = [[_text(cell, styles.body) for cell in table.total]] if table.total else []
    widths = [width / len(head)] * len(head)
    grid = Table([head, *body, *extra], colWidths=widths, repeatRows=1)
    styles_list: list[tuple] = [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f0f0"))]
    if not table.rows:
        styles_list.append(("SPAN", (0, 1), (-1, 1)))
    grid.setStyle(_boxed(styles_list))
    return grid


def service_report_pdf(report: ServiceReport, label: Label) -> bytes:
    styles, width = _styles(_font()), _width()
    labelled = [(label(key), value) for key, value in report.facts]
    story: list = [_text(label("as_report.title"), styles.title),
                   _text(label("as_report.product_line"), styles.small), Spacer(1, 4 * mm),
                   _grid(labelled, styles, width),
                   _text(label("as_report.fault_heading"), styles.heading),
                   _grid([(label(k), v) for k, v in report.fault], styles, width),
                   _text(label("as_report.warranty_heading"), styles.heading),
                   _grid([(label(k), v) for k, v in report.warranty], styles, width),
                   *_section(label("as_report.service_content"), report.service_content, styles, width)]
    if report.handling_report:
        story += _section(label("as_report.handling_report"), report.handling_report, styles, width)
    story += [_text(label("as_report.materials"), styles.heading), _table(report.materials, label, styles, width),
              _text(label("as_report.owed_parts"), styles.heading), _table(report.owed_parts, label, styles, width),
              _text(label("as_report.fees"), styles.heading), _table(report.fees, label, styles, width)]
    story += [_text(label(key), styles.small) for key in report.notes]
    story += [*_blank_lines(label("as_report.customer_remarks"), REMARK_LINES - 1, styles, width),
              Spacer(1, 8 * mm),
              KeepTogether([_signatures([label("as_report.sign.customer"), label("as_report.sign.engineer")],
                                        label("printables.sign.date"), styles, width)]),
              Spacer(1, 4 * mm), _text(label("as_report.hint"), styles.small)]
    return _build(story, f"{label('as_report.title')} {report.order_no}", label("product"))
