"""Rows typed or pasted right below an Excel table, outside its range (issue 11, item 2).

The books are real .xlsx files whose observations table's ``ref`` ends a few rows early while the
cells go on, exactly what a paste under a table or typing with AutoExpand off leaves in the file.
Those rows are the table's: the results equal, to the cent, those of the same book with the rows
inside the table, and a 一票否决 typed there counts. Content after a blank row is never read.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from validation_helpers import BookBuilder, write_xlsx

from xlperf.cli import main
from xlperf.io.belowtable import rows_below
from xlperf.io.filebook import FileBook
from xlperf.io.reader import read_book
from xlperf.io.writer import replace_table_rows
from xlperf.jobs import run_recompute, run_validate

D = dt.datetime
VETO = {"date": D(2026, 1, 25), "period_id": "2026-01", "vendor_id": "V002", "indicator_id": "V5", "value": "是"}


def veto_book() -> BookBuilder:
    """The small valid book plus a 一票否决 for vendor V002, as its last observation (Excel row 12)."""
    return BookBuilder().add_row("observations", **VETO)


def table_ref(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            if n.startswith("xl/tables/"):
                xml = z.read(n).decode()
                if re.search(rf'\sname="{name}"', xml):
                    m = re.search(r'<table\b[^>]*\sref="([^"]+)"', xml)
                    assert m is not None
                    return m.group(1)
    raise KeyError(name)


def results(path: Path) -> pd.DataFrame:
    data = read_book(path).tables["xp_results"]
    frame = data.data.copy()
    frame.columns = data.headers
    return frame


def v002_total(frame: pd.DataFrame) -> list[float]:
    """Vendor V002's total in 2026-01 (the month of the veto)."""
    hit = frame[(frame["期间"] == "2026-01") & (frame["层级"] == "供应商") & (frame["供应商编号"] == "V002")]
    return hit["总分"].tolist()


@pytest.fixture
def inside(tmp_path: Path) -> Path:
    path = tmp_path / "inside.xlsx"
    write_xlsx(veto_book(), path)
    return path


@pytest.fixture
def below(tmp_path: Path) -> Path:
    path = tmp_path / "below.xlsx"
    write_xlsx(veto_book(), path, outside={"observations": 3})  # rows 10-12 below the ref A1:K9
    return path


def test_rows_below_the_range_give_the_results_of_the_rows_inside(inside: Path, below: Path) -> None:
    assert (table_ref(inside, "observations"), table_ref(below, "observations")) == ("A1:K12", "A1:K9")
    run_recompute(FileBook(inside))
    summary = run_recompute(FileBook(below))
    a, b = results(inside), results(below)
    pd.testing.assert_frame_equal(a, b)
    # the veto typed in row 12, below the table, counts: V002's total is the veto score, 0
    assert v002_total(b) == [0.0]
    # said with the summary, not only among the findings
    assert [(f.sheet, f.cell, f.code) for f in summary.row_notes] == [("监控记录", "A10", "reader.rows-below-table")]
    assert "注意：监控记录!A10" in summary.text("zh") and "第 10–12 行（3 行）" in summary.text("zh")
    # and the table now spans its rows, as Excel's AutoExpand would have made it
    assert table_ref(below, "observations") == "A1:K12"
    assert run_recompute(FileBook(below)).row_notes == []


def test_without_the_rows_below_the_veto_would_be_lost(tmp_path: Path) -> None:
    """The same book without the three rows: V002 is not vetoed. So the equality above is no accident."""
    path = tmp_path / "cut.xlsx"
    b = veto_book()
    for _ in range(3):
        b.delete_row("observations", len(b.tables["observations"].rows) - 1)
    write_xlsx(b, path)
    run_recompute(FileBook(path))
    assert v002_total(results(path)) == [55.0]


def test_rows_below_are_validated_like_any_row_at_their_own_cells(tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    b = veto_book()
    b.set("observations", 10, "value", "九十")  # Excel row 12, below the table
    write_xlsx(b, path, outside={"observations": 3})
    report = run_validate(FileBook(path))
    errors = [(f.sheet, f.cell) for f in report.errors]
    assert ("监控记录", "F12") in errors
    warning = next(f for f in report.warnings if f.code == "reader.rows-below-table")
    assert (warning.sheet, warning.cell) == ("监控记录", "A10")


def test_the_command_line_says_which_rows_it_read_below_the_table(below: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["recompute", str(below)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("已重算")
    assert "注意：监控记录!A10 表格 observations 正下方第 10–12 行（3 行）不在表格范围内，已作为该表的数据读取并校验" in out


def content_after_a_blank_row(tmp_path: Path) -> Path:
    """The small book, and the veto typed two rows under the table, after a blank row."""
    path = tmp_path / "gap.xlsx"
    write_xlsx(BookBuilder(), path)  # observations in rows 2-11, table A1:I11
    wb = openpyxl.load_workbook(path)
    ws = wb["监控记录"]
    for j, key in enumerate(("date", "period_id", "vendor_id", "worker_id", "indicator_id", "value"), start=1):
        if key in VETO:
            ws.cell(row=13, column=j, value=VETO[key])
    wb.save(path)
    return path


def test_content_after_a_blank_row_is_never_read_and_is_named(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = content_after_a_blank_row(tmp_path)
    raw = read_book(path)
    assert len(raw.tables["observations"].data) == 10
    assert [(n.sheet, n.cell, n.code) for n in raw.notes] == [("监控记录", "A13", "reader.content-below-table")]
    assert main(["recompute", str(path)]) == 0
    out = capsys.readouterr().out
    assert "注意：监控记录!A13 表格 observations 下方隔着空行的第 13 行（A13）起还有内容，不属于该表，未被读取" in out
    assert v002_total(results(path)) == [55.0]
    assert table_ref(path, "observations") == "A1:K11"  # not grown over content that is not its own


def test_import_append_keeps_the_rows_below_and_adds_after_them(below: Path) -> None:
    """``xlperf import --append`` used to write its rows from the table's last row on, dropping the
    rows typed below it."""
    extra = pd.DataFrame([{"date": D(2026, 1, 26), "period_id": "2026-01", "vendor_id": "V001",
                           "indicator_id": "V1", "value": 97}])
    replace_table_rows(below, "observations", extra, append=True)
    t = read_book(below).tables["observations"]
    assert table_ref(below, "observations") == "A1:K13" and t.appended_rows == 0
    assert t.data.iloc[10, 5] == "是" and t.data.iloc[11, 5] == 97 and len(t.data) == 12


def test_rows_below_rule() -> None:
    rows = [["a", None], [None, "b"], [None, None], ["", None], [None, "c"]]
    found = rows_below(rows, 7, 0, 1)
    assert (found.appended, found.rows, found.first_cell, found.further_cell) == (2, "7–8", "A7", "B11")
    # a table with a totals row does not grow: everything below it is content further below
    assert rows_below(rows, 7, 0, 1, can_grow=False).further_cell == "A7"
    # error cells (blank to some readers) count as values; other columns do not
    assert rows_below([[None, None, "x"]], 5, 0, 1, errors=[(5, 1)]).appended == 1
    assert rows_below([[None, None, "x"]], 5, 0, 1).appended == 0


def shrink_table(path: Path, name: str, rows: int) -> None:
    """Move the last ``rows`` rows of table ``name`` out of its range (ref and autoFilter), cells kept."""
    with zipfile.ZipFile(path) as z:
        files = {n: z.read(n) for n in z.namelist()}
    part = next(n for n, d in files.items() if n.startswith("xl/tables/") and re.search(rb'\sname="%s"' % name.encode(), d))
    xml = files[part].decode()
    m = re.search(r'\sref="([A-Z]+\d+):([A-Z]+)(\d+)"', xml)
    assert m is not None
    short = f"{m.group(1)}:{m.group(2)}{int(m.group(3)) - rows}"
    files[part] = re.sub(r'(\sref=")[A-Z]+\d+:[A-Z]+\d+"', rf'\g<1>{short}"', xml).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in files.items():
            z.writestr(n, d)


def test_feedback_and_share_say_it_too_and_feedback_grows_the_table(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    from xlperf.excel.template import template_path

    book = tmp_path / "绩效.xlsm"
    shutil.copyfile(template_path("zh"), book)
    for name, t in veto_book().tables.items():
        replace_table_rows(book, name, pd.DataFrame(t.rows, columns=[k for k in t.keys if k], dtype=object),
                           backup=False)
    shrink_table(book, "observations", 2)
    assert table_ref(book, "observations") == "A1:K10"
    assert main(["share", str(book), "--out", str(tmp_path / "packs")]) == 0
    assert "注意：监控记录!A11 表格 observations 正下方第 11–12 行（2 行）" in capsys.readouterr().out
    assert main(["feedback", str(book)]) == 0
    assert "注意：监控记录!A11" in capsys.readouterr().out
    assert table_ref(book, "observations") == "A1:K12"
