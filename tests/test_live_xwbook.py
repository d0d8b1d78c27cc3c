"""The live engine (XwBook) without Excel: its logic runs against an in-memory stand-in of xlwings'
object model (tests/live_fakes.py), and mypy checks every call it makes into xlwings' typed API.

What only a real Excel can check (documented in docs/INSTALL.md): COM conversion of values, ListObject
behaviour when resized, and that calculation mode / screen updating changes take effect.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from live_fakes import FakeBook

from xlperf.book import CellError, OutputBlock
from xlperf.contract import OUTPUTS_BY_NAME
from xlperf.errors import WriteError
from xlperf.live.xwbook import XwBook, to_rows

ROOT = Path(__file__).resolve().parents[1]
results_table = OUTPUTS_BY_NAME["xp_results"]
findings_table = OUTPUTS_BY_NAME["xp_findings"]


def live(book: FakeBook) -> XwBook:
    return XwBook(book)  # type: ignore[arg-type]


def indicator_book() -> FakeBook:
    book = FakeBook()
    sheet = book.sheets.add("考核指标", after=book.sheet("说明"))
    sheet.put_table("indicators", [["指标编号", "指标名称", "维度内权重"],
                                   ["W01", "出勤率", 40.0],
                                   ["W02", "#N/A", ""],
                                   [None, None, None]], top=3, left=2)
    vendors = book.sheets.add("供应商", after=sheet)
    vendors.put_table("vendors", [["供应商编号", "供应商名称"], ["V001", "甲公司"]], list_object=False)
    return book


def test_read_takes_one_bulk_call_per_table_and_keeps_positions_and_errors() -> None:
    book = indicator_book()
    raw = live(book).read()
    assert book.calls.reads == 2  # one per table found, whatever the number of rows
    t = raw.tables["indicators"]
    assert (t.sheet, t.header_row, t.first_col, t.headers) == ("考核指标", 3, 1, ["指标编号", "指标名称", "维度内权重"])
    assert t.is_list_object and len(t.data) == 2  # the trailing blank row of the ListObject is no record
    assert t.data.iloc[0].tolist() == ["W01", "出勤率", 40.0]
    assert t.data.iloc[1, 1] == CellError("#N/A") and t.data.iloc[1, 2] is None
    assert t.cell(1, 2) == "D5"
    v = raw.tables["vendors"]
    assert not v.is_list_object and v.data.iloc[0].tolist() == ["V001", "甲公司"]
    assert raw.sheets == ["说明", "考核指标", "供应商"] and raw.source == book.fullname


def block(n: int) -> OutputBlock:
    frame = pd.DataFrame({
        "period_id": ["2026-01"] * n, "level": ["worker"] * n, "vendor_id": ["V001"] * n,
        "worker_id": [f"W{i:04d}" for i in range(n)], "total": np.linspace(50, 99, n), "grade": ["A"] * n,
    })
    return OutputBlock(results_table, frame, "zh")


def findings_block() -> OutputBlock:
    frame = pd.DataFrame([{"severity": "error", "code": "bad-number", "sheet": "监控记录", "cell": "F7",
                           "table": "observations", "field": "value", "value": "abc", "message": "不是数字",
                           "hint": "填数字"}])
    return OutputBlock(findings_table, frame, "zh")


@pytest.mark.parametrize("rows", [1, 500])
def test_write_is_one_bulk_call_per_block_whatever_the_row_count(rows: int) -> None:
    book = FakeBook()
    live(book).write([block(rows), findings_block()])
    assert book.calls.writes == 2
    sheet = book.sheet("计算结果")
    assert [sheet.cells[(1, c)] for c in range(1, 7)] == ["期间", "层级", "供应商编号", "人员编号", "总分", "等级"]
    assert sheet.cells[(rows + 1, 4)] == f"W{rows - 1:04d}"
    assert [t.name for t in sheet.tables] == ["xp_results"]
    assert next(iter(sheet.tables)).range.address == f"$A$1:$F${max(rows + 1, 2)}"
    assert sheet.formats == {5: "0.00"}  # one format call per formatted column, none per row
    assert book.calls.formats == 1
    assert [s.name for s in book.sheets] == ["说明", "计算结果", "校验结果"]


def test_excel_state_is_quiet_during_the_write_and_restored_after() -> None:
    book = FakeBook()
    book.app.calculation = "semiautomatic"
    live(book).write([block(3)])
    assert book.calls.states == [(False, False, "manual")]
    assert (book.app.screen_updating, book.app.enable_events, book.app.calculation) == (True, True, "semiautomatic")


def test_rewriting_replaces_the_old_block_whole_and_shrinks_its_table() -> None:
    book = FakeBook()
    live(book).write([block(10)])
    live(book).write([block(2)])
    sheet = book.sheet("计算结果")
    assert max(r for r, _ in sheet.cells) == 3
    assert next(iter(sheet.tables)).range.address == "$A$1:$F$3"


def test_a_sheet_xlperf_did_not_make_is_never_overwritten() -> None:
    book = FakeBook()
    mine = book.sheets.add("计算结果", after=book.sheet("说明"))
    mine.cells[(1, 1)] = "HR's own notes"
    with pytest.raises(WriteError) as exc:
        live(book).write([block(2)])
    assert "不是 xlperf 生成的" in exc.value.message("zh")
    assert mine.cells == {(1, 1): "HR's own notes"} and book.calls.writes == 0


def test_a_failure_mid_run_puts_every_block_back_and_restores_excel() -> None:
    book = FakeBook()
    live(book).write([block(4)])  # the results of an earlier run
    before = dict(book.sheet("计算结果").cells)
    findings = book.sheets.add("校验结果", after=book.sheet("计算结果"))
    findings.put_table("xp_findings", [["级别"], ["old"]])
    findings.fail_on_write = True  # Excel refuses the second block (e.g. the user is editing a cell)
    book.calls.states.clear()
    with pytest.raises(WriteError) as exc:
        live(book).write([block(7), findings_block()])
    assert "已恢复写入前的内容" in exc.value.message("zh")
    assert book.sheet("计算结果").cells == before  # the first block, already written, was rolled back
    assert next(iter(book.sheet("计算结果").tables)).range.address == "$A$1:$F$5"
    assert (book.app.screen_updating, book.app.enable_events, book.app.calculation) == (True, True, "automatic")


def test_a_sheet_added_by_a_failed_run_is_removed_again() -> None:
    book = FakeBook()
    findings = book.sheets.add("校验结果", after=book.sheet("说明"))
    findings.put_table("xp_findings", [["级别"], ["old"]])
    findings.fail_on_write = True
    with pytest.raises(WriteError):
        live(book).write([block(3), findings_block()])
    assert [s.name for s in book.sheets] == ["说明", "校验结果"]


def test_to_rows_turns_frames_into_plain_python_values() -> None:
    frame = pd.DataFrame({"n": [1.5, np.nan], "t": ["x", None], "d": pd.to_datetime(["2026-01-31", None]),
                          "i": [3, 4], "e": [CellError("#DIV/0!"), pd.Timestamp("2026-02-01")]})
    assert to_rows(frame) == [[1.5, "x", dt.datetime(2026, 1, 31), 3, "#DIV/0!"],
                              [None, None, None, 4, dt.datetime(2026, 2, 1)]]
    assert all(type(v) in (float, str, int, dt.datetime, type(None)) for row in to_rows(frame) for v in row)


def load_into_excel(raw: Any) -> FakeBook:
    """Put a file's tables into the fake Excel as ListObjects, values as xlwings would return them."""
    book = FakeBook()
    last = None
    for name, table in raw.tables.items():
        sheet = book.sheets.add(table.sheet, after=last) if table.sheet not in [s.name for s in book.sheets] \
            else book.sheet(table.sheet)
        last = sheet
        body = table.data.astype(object).where(table.data.notna(), None).to_numpy().tolist()
        body = [[str(v) if isinstance(v, CellError) else (v.to_pydatetime() if isinstance(v, pd.Timestamp) else v)
                 for v in row] for row in body] or [[None] * len(table.headers)]
        sheet.put_table(name, [list(table.headers), *body], top=table.header_row, left=table.first_col + 1)
    return book


def test_recompute_on_the_live_engine_writes_what_the_file_engine_writes(tmp_path: Path) -> None:
    """The same job through XwBook (on the fake Excel holding the workbook's tables) and through FileBook
    (on the file) gives the same result rows."""
    from excel_helpers import book as make_book

    from xlperf.io.filebook import FileBook
    from xlperf.live.xwbook import raw_table
    from xlperf.macros import run_action

    path = make_book(tmp_path, "live")
    excel = load_into_excel(FileBook(path).read())
    tables = sum(1 for sheet in excel.sheets for _ in sheet.tables)
    result = run_action("recompute_all", live(excel), log_dir=tmp_path / "logs")
    assert result.ok, result.message
    # the whole recompute: one read per table, one write per output block (results, scores, warnings,
    # run log) — however many rows the workbook has
    assert (excel.calls.reads, excel.calls.writes) == (tables, 4)
    assert run_action("recompute_all", FileBook(path), log_dir=tmp_path / "logs").ok
    file_raw = FileBook(path).read()
    for name in ("xp_results", "xp_scores", "xp_warnings"):
        sheet = excel.sheet(file_raw.tables[name].sheet)
        rng = sheet.used_range
        got = raw_table(name, sheet.name, 1, 0, rng.value, is_list_object=True)
        want = file_raw.tables[name]
        assert got.headers == want.headers
        a = got.data.astype(object).where(got.data.notna(), None).to_numpy().tolist()
        b = want.data.astype(object).where(want.data.notna(), None).to_numpy().tolist()
        assert len(a) == len(b) > 0
        assert a == b, name


def test_mypy_sees_xlwings_types_so_every_live_call_is_checked(tmp_path: Path) -> None:
    """xlwings ships type hints (py.typed), so mypy --strict on xlperf.live checks each call into it: a
    wrong call is caught, which proves the hints are really used (ignore_missing_imports would silently
    turn xlwings into Any). mypy --strict on the package itself is part of the project's checks."""
    wrong = tmp_path / "wrong_xlwings_call.py"
    wrong.write_text("import xlwings as xw\n\ndef f(book: xw.Book) -> None:\n"
                     "    book.sheets.add(nme='x')\n    book.app.calculation = 3\n", encoding="utf-8")
    mypy = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--follow-imports=silent"]
    bad = subprocess.run([*mypy, str(wrong)], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 1
    assert 'Unexpected keyword argument "nme"' in bad.stdout
    assert 'Incompatible types in assignment (expression has type "int", variable has type "str")' in bad.stdout


def test_roll_back_puts_old_contents_back_where_they_were() -> None:
    book = FakeBook()
    old = book.sheets.add("计算结果", after=book.sheet("说明"))
    old.put_table("xp_results", [["期间", "总分"], ["2025-12", 88.5]], top=3, left=2)
    before = dict(old.cells)
    blocker = book.sheets.add("校验结果", after=old)
    blocker.put_table("xp_findings", [["级别"], ["old"]])
    blocker.fail_on_write = True
    with pytest.raises(WriteError):
        live(book).write([block(2), findings_block()])
    assert old.cells == before
