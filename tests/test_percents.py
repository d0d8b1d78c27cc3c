"""Percents, however HR typed them: 98.5% into a cell (Excel stores 0.985 with a percent number format),
the text "98.5%" (CSV, text cells), or a value 100 times off. Read by the file reader (styles.xml),
the live engine (NumberFormat per column) and the worksheet functions, with one rule: a percent means
its points, unless the indicator's thresholds are fractions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from validation_helpers import BookBuilder

import udfs
from udfs.values import Marked, percent_cells_reader
from xlperf.io.numfmt import is_percent_format
from xlperf.io.reader import read_book
from xlperf.validation import CODES, validate
from xlperf.validation.codes import PERCENT_HOW

OBS, DIM, IND = "监控记录", "考核维度", "考核指标"


@pytest.mark.parametrize(("code", "percent"), [
    ("0%", True), ("0.0%", True), ("0.00%;[Red]-0.00%", True), ("[Blue]#,##0.0%", True), ("0.0 %", True),
    ('0.0"%"', False), ("0\\%", False), ("General", False), ("0.00", False), ("#,##0.00", False), ("", False),
    ('"完成率"0.0', False), ("yyyy-mm-dd", False), ("0_%", False),
])
def test_which_number_formats_show_a_percent(code: str, percent: bool) -> None:
    assert is_percent_format(code) is percent


def _xlsx(b: BookBuilder, path: Path, formats: dict[tuple[str, int, str], str]) -> Path:
    """The builder's book written by xlsxwriter, the given cells (table, row, key) number-formatted."""
    import datetime as dt

    import xlsxwriter

    from xlperf.book import CellError

    wb = xlsxwriter.Workbook(str(path))
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    fmts = {code: wb.add_format({"num_format": code}) for code in set(formats.values())}
    by_cell = {(t, r, b.col(t, k)): fmts[code] for (t, r, k), code in formats.items()}
    for name, t in b.tables.items():
        ws = wb.add_worksheet(t.sheet)
        ws.write_row(0, 0, t.headers)
        for i, row in enumerate(t.rows):
            for j, v in enumerate(row):
                fmt = by_cell.get((name, i, j))
                if isinstance(v, CellError):
                    ws.write_formula(i + 1, j, "=NA()", None, v.code)
                elif isinstance(v, (dt.datetime, dt.date)):
                    ws.write_datetime(i + 1, j, v, date_fmt)
                elif v is not None:
                    ws.write(i + 1, j, v, fmt)
        ws.add_table(0, 0, max(len(t.rows), 1), len(t.headers) - 1,
                     {"name": name, "header_row": True, "autofilter": False,
                      "columns": [{"header": h} for h in t.headers]})
    wb.close()
    return path


def test_the_file_reader_marks_percent_cells_and_validation_reads_their_points(tmp_path: Path) -> None:
    """V1 (linear 90 / 98 / 100) typed as 96.5% → 96.5 with an info finding naming F2; a weight typed as
    60% → 60; '0.0"%"' only shows a percent sign and is not a percent format."""
    b = BookBuilder()
    b.set("observations", 0, "value", 0.965).set("observations", 1, "value", 92).set("dimensions", 0, "weight", 0.6)
    path = _xlsx(b, tmp_path / "pct.xlsx", {("observations", 0, "value"): "0.0%",
                                          ("observations", 1, "value"): '0.0"%"',
                                          ("dimensions", 0, "weight"): "0%"})
    raw = read_book(path)
    value_col = b.col("observations", "value")
    assert {j: np.flatnonzero(m).tolist() for j, m in raw.tables["observations"].percent.items()} == {value_col: [0]}
    assert {j: np.flatnonzero(m).tolist() for j, m in raw.tables["dimensions"].percent.items()} == \
        {b.col("dimensions", "weight"): [0]}
    inputs, report = validate(raw)
    assert inputs is not None
    pct = [f for f in report.findings if f.code == "normalised-percent"]
    assert [(f.sheet, f.cell, f.value, f.message) for f in pct] == [
        (DIM, "C2", "60%", "“60%”按百分数读取为 60"),
        (OBS, "F2", "96.5%", "“96.5%”按百分数读取为 96.5"),
    ]
    assert inputs.tables["observations"]["value"].tolist()[:2] == [96.5, 92.0]
    assert inputs.tables["dimensions"]["weight"].tolist()[0] == 60.0
    clean, _ = BookBuilder().validate()
    assert clean is not None and clean.tables["observations"]["value"].tolist()[0] == 96.5


def _fraction_book() -> BookBuilder:
    """V1 with thresholds typed as fractions (floor 0.9, target 0.98, stretch 1)."""
    return BookBuilder().set("indicators", 0, "floor", 0.9).set("indicators", 0, "target", 0.98) \
        .set("indicators", 0, "stretch", 1.0).set("observations", 0, "value", 0.965).set("observations", 1, "value", 0.92)


def test_an_indicator_in_fractions_keeps_percents_as_fractions() -> None:
    """A percent cell (0.965 shown 96.5%) stays 0.965 and the text "92%" (a CSV) becomes 0.92, each an
    info finding; without the fraction thresholds the same cells read 96.5 and 92."""
    b = _fraction_book().set("observations", 1, "value", "92%")
    raw = b.raw()
    raw.tables["observations"].percent = {b.col("observations", "value"): np.array([True] + [False] * 9)}
    inputs, report = validate(raw)
    assert inputs is not None
    assert inputs.tables["observations"]["value"].tolist()[:2] == [0.965, 0.92]
    got = [(f.cell, f.value, f.message, f.hint) for f in report.findings if f.code == "normalised-percent-fraction"]
    hint = CODES["normalised-percent-fraction"].hint("zh")
    assert got == [("F2", "96.5%", "“96.5%”按百分数读取为小数 0.965", hint),
                   ("F3", "92%", "“92%”按百分数读取为小数 0.92", hint)]
    points = BookBuilder().set("observations", 0, "value", 0.965).set("observations", 1, "value", "92%").raw()
    points.tables["observations"].percent = {b.col("observations", "value"): np.array([True] + [False] * 9)}
    inputs, _ = validate(points)
    assert inputs is not None and inputs.tables["observations"]["value"].tolist()[:2] == [96.5, 92.0]


def test_a_multiplier_reads_a_percent_as_a_fraction() -> None:
    """The grade's bonus coefficient is a multiplier: 120% is 1.2, typed either way."""
    b = BookBuilder()
    row = b.find("grades", grade="A")
    b.set("grades", row, "bonus_coef", "120%")
    inputs, report = b.validate()
    assert inputs is not None
    assert inputs.tables["grades"]["bonus_coef"].tolist()[row] == 1.2
    assert ("等级与激励", b.cell("grades", row, "bonus_coef"), "normalised-percent-fraction") in report.flatten()


@pytest.mark.parametrize(("value", "probable"), [(0.97, "97"), (9650, "96.5"), (0.965, "96.5")])
def test_a_value_about_100_times_off_its_thresholds_is_a_warning(value: float, probable: str) -> None:
    b = BookBuilder().set("observations", 0, "value", value)
    inputs, report = b.validate()
    assert inputs is not None  # a warning: the value may be right
    (f,) = [f for f in report.findings if f.code == "implausible-value"]
    assert (f.sheet, f.cell, f.severity.value) == (OBS, "F2", "warning")
    assert f.message == f"指标 V1 的数值 {value:g} 与其底线/目标/挑战值（90～100）相差约 100 倍，可能应为 {probable}"


def test_plausible_values_and_sums_raise_no_warning() -> None:
    """W1 counts tickets per record (summed over the period): a record of 1 is not 100 times off; a V1
    value of 50 is low, not a percent typo; veto, rating and deduction values have no such scale."""
    b = BookBuilder().set("observations", 5, "value", 1).set("observations", 1, "value", 50)
    _, report = b.validate()
    assert [f for f in report.findings if f.code == "implausible-value"] == []
    fractions = _fraction_book().set("observations", 1, "value", 92)  # 92 against 0.98: probably 0.92
    _, report = fractions.validate()
    assert [(f.cell, f.message) for f in report.findings if f.code == "implausible-value"] == \
        [("F3", "指标 V1 的数值 92 与其底线/目标/挑战值（0.9～1）相差约 100 倍，可能应为 0.92")]


def test_the_hints_agree_on_how_to_type_a_percent() -> None:
    """not-a-number, the fraction-weights hint and the warning all say: 95 or 95%, not 0.95."""
    assert PERCENT_HOW.zh in CODES["not-a-number"].hint("zh") and PERCENT_HOW.en in CODES["not-a-number"].hint("en")
    assert PERCENT_HOW.zh in CODES["implausible-value"].hint("zh")
    b = BookBuilder().set("dimensions", 0, "weight", 0.6).set("dimensions", 1, "weight", 0.4)
    _, report = b.validate()
    (f,) = [f for f in report.findings if f.code == "dimension-weights-total"]
    assert "如 40 或 40%，而不是 0.4" in f.hint and "0.4 或 40%" not in f.hint
    # and what the hints promise is what happens: a weight typed "60%" reads 60 and totals 100
    inputs, report = BookBuilder().set("dimensions", 0, "weight", "60%").validate()
    assert inputs is not None and inputs.tables["dimensions"]["weight"].tolist()[0] == 60.0


def test_the_live_engine_finds_percent_cells_with_one_format_call_per_uniform_column() -> None:
    from live_fakes import FakeBook

    from xlperf.live.xwbook import XwBook

    book = FakeBook("C:\\HR\\pct.xlsm")
    sheet = book.sheets.add("考核维度", after=book.sheet("说明"))
    rows = [["维度", "层级", "权重", "说明"]] + [[f"D{i}", "vendor", 0.1, ""] for i in range(10)]
    sheet.put_table("dimensions", rows)
    for r in range(2, 12):
        sheet.cell_formats[(r, 3)] = "0%"  # the whole weight column formatted as a percent
    book.calls.format_reads = 0
    raw = XwBook(book).read_tables(["dimensions"])
    assert {j: m.tolist() for j, m in raw.tables["dimensions"].percent.items()} == {2: [True] * 10}
    assert book.calls.format_reads == 1  # one number column, uniform: one call
    sheet.cell_formats[(5, 3)] = "General"  # one pasted cell of another format
    book.calls.format_reads = 0
    raw = XwBook(book).read_tables(["dimensions"])
    mask = raw.tables["dimensions"].percent[2].tolist()
    assert mask == [True, True, True, False] + [True] * 6
    assert book.calls.format_reads <= 9  # halving finds the one odd cell: ~2·log2(10) calls, not 10


def test_xp_score_over_percent_cells_gets_what_the_sheet_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    """A range typed 96.5% / 92% / "98%" scores like 96.5 / 92 / 98 (V1-like linear 90/98/100), and a
    fraction-threshold call keeps the fractions; a constant argument passes the converter unchanged."""
    marked = Marked(np.array([[0.965], [0.92], ["98%"]], dtype=object), np.array([[True], [True], [False]]))
    assert udfs.XP_SCORE(marked, "linear", 90, 98, 100, 120) == \
        udfs.XP_SCORE(np.array([[96.5], [92.0], [98.0]]), "linear", 90, 98, 100, 120) == [[81.25], [25.0], [100.0]]
    assert udfs.XP_SCORE(marked, "linear", 0.9, 0.98, 1.0, 120) == [[81.25], [25.0], [100.0]]

    class Ctx:
        range: Any = None
        value: Any = 96.5

    ctx = Ctx()
    percent_cells_reader(ctx)
    assert ctx.value == 96.5


def test_a_goal_reads_percents_on_its_indicators_scale() -> None:
    """A goal on V1 typed 95% means 0.95 when V1's thresholds are fractions, 95 when they are points."""
    b = _fraction_book().set("goals", 0, "indicator_id", "V1").set("goals", 0, "vendor_id", "V001") \
        .set("goals", 0, "worker_id", None).set("goals", 0, "baseline", "90%").set("goals", 0, "target", 0.95)
    raw = b.raw()
    raw.tables["goals"].percent = {b.col("goals", "target"): np.array([True])}
    inputs, report = validate(raw)
    assert inputs is not None
    assert inputs.tables["goals"][["baseline", "target"]].values.tolist() == [[0.9, 0.95]]
    assert [f.cell for f in report.findings if f.code == "normalised-percent-fraction" and f.table == "goals"] == \
        [b.cell("goals", 0, "baseline"), b.cell("goals", 0, "target")]
    points = BookBuilder().set("goals", 0, "indicator_id", "V1").set("goals", 0, "vendor_id", "V001") \
        .set("goals", 0, "worker_id", None).set("goals", 0, "baseline", "90%").set("goals", 0, "target", 0.95).raw()
    points.tables["goals"].percent = {b.col("goals", "target"): np.array([True])}
    inputs, _ = validate(points)
    assert inputs is not None and inputs.tables["goals"][["baseline", "target"]].values.tolist() == [[90.0, 95.0]]


@pytest.mark.parametrize("xml", [
    (b'<worksheet><sheetData><row r="2"><c r="B2" s="3"><v>0.5</v></c><c r="C2" s="1"><v>1</v></c></row>'
    b'<row r="3" s="3" customFormat="1"><c r="C3" s="3"><v>0.25</v></c></row></sheetData></worksheet>'),
    # another writer: a namespace prefix, the style before the address, single quotes
    (b"<x:worksheet xmlns:x='main'><x:sheetData><x:row r='2'><x:c s='3' r='B2'><x:v>0.5</x:v></x:c>"
    b"<x:c r='C2' s='1'><x:v>1</x:v></x:c></x:row><x:row r='3'><x:c t='n' s='3' r='C3'><x:v>0.25</x:v></x:c>"
     b"</x:row></x:sheetData></x:worksheet>"),
])
def test_the_sheet_scan_finds_percent_cells_whatever_the_writer(xml: bytes) -> None:
    import io
    import zipfile

    from xlperf.io.sheetscan import scan_sheet

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/worksheets/sheet1.xml", xml)
    with zipfile.ZipFile(buf) as zf:
        scan = scan_sheet(zf, "xl/worksheets/sheet1.xml", percent_styles=frozenset({3}))
    masks = scan.percent_mask(2, 2, 1, 2)  # rows 2-3, columns B..C
    assert {j: m.tolist() for j, m in masks.items()} == {0: [True, False], 1: [False, True]}


def test_every_xp_function_reads_numbers_as_validation_does() -> None:
    """Weights typed "50%" and full-width scores in XP_TOTAL read as 50 and 80, as validation reads them."""
    scores = np.array([["８０", 90, None]], dtype=object)
    assert udfs.XP_TOTAL(scores, np.array([["50%", "30%", "20%"]], dtype=object)) == [[83.75]]
    assert udfs.XP_TOTAL(scores, np.array([[50, 30, 20]])) == [[83.75]]
