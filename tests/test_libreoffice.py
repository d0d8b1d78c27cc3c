"""The LibreOffice runner recalculates on load (cached values in .xlsx files are not trusted)."""

from pathlib import Path

import xlsxwriter

from xlperf.excel.libreoffice import csv_sheets


def test_every_sheet_is_recalculated(tmp_path: Path) -> None:
    book = tmp_path / "f.xlsx"
    wb = xlsxwriter.Workbook(str(book))
    a = wb.add_worksheet("数据")
    a.write_row(0, 0, [1.5, 2])
    a.write_formula(0, 2, "=A1+B1", None, 0)  # cached value deliberately wrong
    b = wb.add_worksheet("b")
    b.write_formula(0, 0, "=ROUND(数据!C1*10/3,2)", None, 0)
    wb.close()
    sheets = csv_sheets(book, tmp_path / "out")
    assert sheets["数据"].read_text(encoding="utf-8").strip() == "1.5,2,3.5"
    assert sheets["b"].read_text(encoding="utf-8").strip() == "11.67"
