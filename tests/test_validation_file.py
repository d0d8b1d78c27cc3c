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
