"""The printable documents as PDF: the technical support service sheet (技术支持服务单) and the weekly
technical report (技术周报), laid out to be printed, signed by hand and uploaded again.

Why here: only the layout lives in this module. What goes on a sheet comes from `operations.printables`,
the words of the labels from the caller (`label(key)`, in the reader's language). Chinese text needs a
CJK font: WenQuanYi Micro Hei (Debian's fonts-wqy-microhei), embedded as a subset so the file prints
the same everywhere. Without the font file `FontMissing` says what to install.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
FONT_PACKAGE = "fonts-wqy-microhei"
FONT_NAME = "WenQuanYiMicroHei"
REMARK_LINES = 4

Label = Callable[[str], str]
_registered: dict[str, str] = {}
_lock = threading.Lock()


class FontMissing(Exception):
    """The CJK font file is not installed: nothing Chinese could be printed."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"font file not found: {path} (install {FONT_PACKAGE})")
        self.path = path
        self.package = FONT_PACKAGE


@dataclass(frozen=True)
class ServiceSheet:
    """One case's 技术支持服务单, as the customer signs it (nothing internal: no person-days)."""

    case_number: str
    customer: str
    project: str
    salesperson: str
    engineer: str
    support_kind: str
    applied_on: str
    printed_on: str
    work_summary: str
    completion_state: str


@dataclass(frozen=True)
class WeeklyRow:
    case_number: str
    customer: str
    project: str
    person_days: str


@dataclass(frozen=True)
class WeeklyReport:
    """An engineer's 技术周报 for one week: the cases worked on and their person-days."""

    engineer: str
    period_start: str
    period_end: str
    printed_on: str
    rows: Sequence[WeeklyRow] = field(default_factory=tuple)
    total_person_days: str = "0"


def _font() -> str:
    """Register the CJK font once per process (reportlab's registry is global)."""
    path = CJK_FONT
    with _lock:
        if _registered.get(FONT_NAME) == str(path):
            return FONT_NAME
        if not path.is_file():
            raise FontMissing(path)
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=0))
        _registered[FONT_NAME] = str(path)
        return FONT_NAME


@dataclass(frozen=True)
class _Styles:
    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle


def _styles(font: str) -> _Styles:
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=15, wordWrap="CJK")
    return _Styles(
        title=ParagraphStyle("title", parent=body, fontSize=18, leading=24, alignment=1, spaceAfter=4),
        heading=ParagraphStyle("heading", parent=body, fontSize=12, leading=17, spaceBefore=8, spaceAfter=3),
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8.5, leading=12, textColor=colors.HexColor("#555555")),
    )


def _text(value: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: markup characters are shown, line breaks kept."""
    return Paragraph(escape(value or "").replace("\n", "<br/>"), style)


def _grid(rows: Sequence[tuple[str, str]], styles: _Styles, width: float) -> Table:
    """Label/value pairs, two pairs per line."""
    cells = [[_text(label, styles.body), _text(value, styles.body)] for label, value in rows]
    lines = [cells[i] + (cells[i + 1] if i + 1 < len(cells) else ["", ""]) for i in range(0, len(cells), 2)]
    widest = max(pdfmetrics.stringWidth(label, styles.body.fontName, styles.body.fontSize) for label, _ in rows)
    label_w = min(max(22 * mm, widest + 8 * mm), width / 2 * 0.5)
    table = Table(lines, colWidths=[label_w, width / 2 - label_w] * 2)
    table.setStyle(_boxed([("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f0f0f0")),
                           ("BACKGROUND", (2, 0), (2, -1), colors.HexColor("#f0f0f0"))]))
    return table


def _boxed(extra: list[tuple]) -> TableStyle:
    return TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#888888")),
                       ("VALIGN", (0, 0), (-1, -1), "TOP"),
                       ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4), *extra])


def _section(heading: str, value: str, styles: _Styles, width: float) -> list:
    box = Table([[_text(value or "", styles.body)]], colWidths=[width], rowHeights=None)
    box.setStyle(_boxed([]))
    return [_text(heading, styles.heading), box]


def _blank_lines(heading: str, count: int, styles: _Styles, width: float) -> list:
    lines = Table([[""] for _ in range(count)], colWidths=[width], rowHeights=[9 * mm] * count)
    lines.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#888888"))]))
    return [_text(heading, styles.heading), lines]


def _signatures(who: Sequence[str], date_label: str, styles: _Styles, width: float) -> Table:
    """Side by side, per signer: a line to sign on and a line for the date."""
    gap = 8 * mm
    column = (width - gap * (len(who) - 1)) / len(who)
    texts = [f"{name}：" for name in who] + [f"{date_label}："]
    widest = max(pdfmetrics.stringWidth(text, styles.body.fontName, styles.body.fontSize) for text in texts)
    label_w = min(widest + 8 * mm, column * 0.6)
    widths: list[float] = []
    signs: list[object] = []
    dates: list[object] = []
    for i, name in enumerate(who):
        if i:
            widths.append(gap)
            signs.append("")
            dates.append("")
        widths += [label_w, column - label_w]
        signs += [_text(f"{name}：", styles.body), ""]
        dates += [_text(f"{date_label}：", styles.body), ""]
    table = Table([signs, dates], colWidths=widths, rowHeights=[16 * mm, 12 * mm])
    lines = [("LINEBELOW", (3 * i + 1, row), (3 * i + 1, row), 0.7, colors.black)
             for i in range(len(who)) for row in (0, 1)]
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), *lines]))
    return table


def _build(story: list, title: str, author: str) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=title, author=author, creator=author)
    doc.build(story)
    return out.getvalue()


def _width() -> float:
    return A4[0] - 36 * mm


def service_sheet_pdf(sheet: ServiceSheet, label: Label) -> bytes:
    styles, width = _styles(_font()), _width()
    facts = [(label("printables.case_number"), sheet.case_number), (label("printables.customer"), sheet.customer),
             (label("printables.project"), sheet.project), (label("printables.support_kind"), sheet.support_kind),
             (label("printables.salesperson"), sheet.salesperson), (label("printables.engineer"), sheet.engineer),
             (label("printables.applied_on"), sheet.applied_on), (label("printables.printed_on"), sheet.printed_on)]
    story = [_text(label("printables.service_sheet"), styles.title),
             _text(label("printables.product_line"), styles.small), Spacer(1, 4 * mm),
             _grid(facts, styles, width),
             *_section(label("printables.work_summary"), sheet.work_summary, styles, width),
             *_section(label("printables.completion_state"), sheet.completion_state, styles, width),
             *_blank_lines(label("printables.customer_remarks"), REMARK_LINES, styles, width),
             Spacer(1, 8 * mm),
             KeepTogether([_signatures([label("printables.sign.customer"), label("printables.sign.engineer")],
                                       label("printables.sign.date"), styles, width)]),
             Spacer(1, 4 * mm), _text(label("printables.sheet_hint"), styles.small)]
    return _build(story, f"{label('printables.service_sheet')} {sheet.case_number}", label("product"))


def weekly_report_pdf(report: WeeklyReport, label: Label) -> bytes:
    styles, width = _styles(_font()), _width()
    facts = [(label("printables.engineer"), report.engineer),
             (label("printables.period"), f"{report.period_start} – {report.period_end}"),
             (label("printables.printed_on"), report.printed_on),
             (label("printables.total_person_days"), report.total_person_days)]
    head = [label("printables.case_number"), label("printables.customer"), label("printables.project"),
            label("printables.person_days")]
    body = [[_text(r.case_number, styles.body), _text(r.customer, styles.body), _text(r.project, styles.body),
             _text(r.person_days, styles.body)] for r in report.rows]
    if not body:
        body = [[_text(label("printables.no_cases"), styles.body), "", "", ""]]
    total = [_text(label("printables.total_person_days"), styles.body), "", "",
             _text(report.total_person_days, styles.body)]
    cases = Table([[_text(h, styles.body) for h in head], *body, total],
                  colWidths=[width * 0.3, width * 0.25, width * 0.3, width * 0.15], repeatRows=1)
    cases.setStyle(_boxed([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f0f0")),
                           ("SPAN", (0, -1), (2, -1))]))
    story = [_text(label("printables.weekly_report"), styles.title),
             _text(label("printables.product_line"), styles.small), Spacer(1, 4 * mm),
             _grid(facts, styles, width), _text(label("printables.cases"), styles.heading), cases,
             Spacer(1, 10 * mm),
             KeepTogether([_signatures([label("printables.sign.engineer"), label("printables.sign.tech_director")],
                                       label("printables.sign.date"), styles, width)]),
             Spacer(1, 4 * mm), _text(label("printables.weekly_hint"), styles.small)]
    return _build(story, f"{label('printables.weekly_report')} {report.engineer}", label("product"))
