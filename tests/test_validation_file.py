"""Validation of real .xlsx files through the file reader: what the reader yields (dates, error
values, formulas, merged cells, text typed into number cells) becomes the same findings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from validation_helpers import BookBuilder, write_xlsx

from xlperf.book import CellError
from xlperf.io.reader import read_book
from xlperf.validation import validate

OBS, DIM = "监控记录", "考核维度"


def findings(b: BookBuilder, tmp_path: Path) -> tuple[object, list[tuple[str, str, str]]]:
    path = tmp_path / "book.xlsx"
    write_xlsx(b, path)
    inputs, report = validate(read_book(path))
    return inputs, [t for t in report.flatten() if not t[2].startswith("reader.")]


def test_valid_file_has_no_findings(tmp_path: Path) -> None:
    inputs, found = findings(BookBuilder(), tmp_path)
    assert found == [] and inputs is not None


def test_damaged_file(tmp_path: Path) -> None:
    b = (BookBuilder().set("dimensions", 0, "weight", "60%").set("observations", 0, "date", "2026/1/15")
         .set("observations", 1, "value", CellError("#N/A")).set("observations", 2, "vendor_id", " V001")
         .set("workers", 1, "name", None).formula("indicators", 0, "weight", "=100-E3", 50)
         .set("observations", 4, "value", "是"))
    inputs, found = findings(b, tmp_path)
    assert inputs is None
    assert sorted(found) == sorted([
        (DIM, "C2", "normalised-percent"),
        ("外包人员", "B3", "required-empty"),
        ("考核指标", "E2", "formula-in-input"),
        (OBS, "A2", "normalised-text-date"),
        (OBS, "C4", "normalised-spaces"),
        (OBS, "F3", "excel-error"),
        (OBS, "F3", "formula-in-input"),  # the #N/A comes from =NA(): both are reported
        (OBS, "F6", "normalised-yes-no"),
    ])


def test_moved_columns_and_renamed_sheet_in_a_file(tmp_path: Path) -> None:
    b = (BookBuilder().move_column("observations", "value", 0).rename_sheet("observations", "记录2026")
         .add_column("observations", "我的列").set("observations", 3, "value", "abc"))
    _, found = findings(b, tmp_path)
    assert found == [("记录2026", "A5", "not-a-number")]


def test_serial_dates_from_number_cells(tmp_path: Path) -> None:
    serial = (dt.datetime(2026, 1, 15) - dt.datetime(1899, 12, 30)).days
    inputs, found = findings(BookBuilder().set("observations", 0, "date", serial), tmp_path)
    assert found == [(OBS, "A2", "normalised-serial-date")]
    assert inputs is not None


def test_formula_without_value_is_one_coherent_warning(tmp_path: Path) -> None:
    """A formula never calculated (written by a generator, not Excel) is read as blank: the reader says
    so, on the sheet's name, and the formula-in-input warning ("its result is used") does not contradict it."""
    import openpyxl

    path = tmp_path / "book.xlsx"
    write_xlsx(BookBuilder(), path)
    wb = openpyxl.load_workbook(path)
    wb[OBS]["F2"] = "=SUM(F3:F4)"  # openpyxl stores no cached value
    wb.save(path)
    _, report = validate(read_book(path))
    formula = [f for f in report.findings if "formula" in f.code]
    assert [(f.sheet, f.cell, f.code) for f in formula] == [(OBS, "F2", "reader.formula-without-value")]
    assert formula[0].message == "工作表“监控记录”中有 1 个公式单元格没有计算结果（首个 F2），按空白读取"
    assert (OBS, "F2", "required-empty") in report.flatten()


def test_negative_number_in_a_date_cell(tmp_path: Path) -> None:
    """calamine reads -5 in a yyyy-mm-dd cell as the time 00:00:00; the message says what that is."""
    import openpyxl

    path = tmp_path / "book.xlsx"
    write_xlsx(BookBuilder(), path)
    wb = openpyxl.load_workbook(path)
    wb["考核期间"]["B2"] = -5
    wb["考核期间"]["B2"].number_format = "yyyy-mm-dd"
    wb.save(path)
    _, report = validate(read_book(path))
    (f,) = [f for f in report.findings if f.code == "not-a-date"]
    assert (f.sheet, f.cell) == ("考核期间", "B2")
    assert f.message == "“开始日期”应为日期，实际为“00:00:00（日期格式单元格中的负数或小于 1 的数字，不是日期）”"
