"""Downloads a Chinese office opens as meant: .xlsx with real Shanghai dates, CSV with a BOM, text that
looks like a formula kept as text, and a file name in Chinese."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import openpyxl

from service.adapters.table_export import Table, attachment, display_width, to_csv, to_xlsx

SHANGHAI = ZoneInfo("Asia/Shanghai")
TABLE = Table("案例", ["编号", "案例", "发起时间"],
              [[1, "欧莱雅 / CITRIX安装", datetime(2026, 9, 30, 3, 0, tzinfo=UTC)], [2, "=HYPERLINK(\"x\")", None]],
              note="结果共 12000 条，导出只含前 10000 条。")


def test_xlsx_has_a_bold_frozen_header_local_dates_and_formulas_as_text():
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(TABLE, SHANGHAI))).active
    assert sheet.title == "案例" and sheet.freeze_panes == "A2" and sheet["A1"].font.b
    assert sheet["C2"].value == datetime(2026, 9, 30, 11, 0) and sheet["C2"].is_date  # 11:00 in Shanghai
    assert sheet["B3"].value == '=HYPERLINK("x")' and sheet["B3"].data_type == "s"
    assert [c.value for c in sheet[5]] == ["结果共 12000 条，导出只含前 10000 条。", None, None]


def test_csv_starts_with_a_bom_and_keeps_chinese():
    body = to_csv(TABLE, SHANGHAI)
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert text.splitlines()[:3] == ["编号,案例,发起时间", "1,欧莱雅 / CITRIX安装,2026-09-30 11:00",
                                     "2,\"'=HYPERLINK(\"\"x\"\")\","]


def test_a_chinese_file_name_travels_in_filename_star_with_an_ascii_fallback():
    header = attachment("案例列表-20261008.xlsx", "cases-20261008.xlsx")
    assert header.startswith('attachment; filename="cases-20261008.xlsx"; filename*=UTF-8\'\'')
    assert unquote(header.split("''", 1)[1]) == "案例列表-20261008.xlsx"
    assert display_width("案例 ab") == 7
