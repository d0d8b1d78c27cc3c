"""The live engine on rows right below a ListObject and on a renamed output sheet (issue 11, items 2
and 4), against the in-memory stand-in of xlwings (tests/live_fakes.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from live_fakes import FakeBook

from xlperf.book import CellError, OutputBlock
from xlperf.contract import OUTPUTS_BY_NAME
from xlperf.live.xwbook import XwBook

results_table = OUTPUTS_BY_NAME["xp_results"]


def live(book: FakeBook) -> XwBook:
    return XwBook(book)  # type: ignore[arg-type]


def vendors_book() -> FakeBook:
    """A vendors ListObject over A1:B3 (row 3 left blank, as tables often are), V003 typed in row 4
    right below it, and a note in row 7 after blank rows."""
    book = FakeBook()
    sheet = book.sheets.add("供应商", after=book.sheet("说明"))
    sheet.put_table("vendors", [["供应商编号", "供应商名称"], ["V001", "甲"], [None, None]])
    sheet.cells[(4, 1)], sheet.cells[(4, 2)] = "V003", "丙"
    sheet.cells[(5, 2)] = "#N/A"
    sheet.cells[(7, 1)] = "备注：下月新增"
    return book


def test_rows_right_below_a_list_object_are_its_rows_and_it_grows_on_the_next_write() -> None:
    book = vendors_book()
    engine = live(book)
    raw = engine.read()
    t = raw.tables["vendors"]
    assert t.data.values.tolist() == [["V001", "甲"], [None, None], ["V003", "丙"], [None, CellError("#N/A")]]
    assert t.cell(3, 1) == "B5" and t.appended_rows == 2
    assert [(n.sheet, n.cell, n.code) for n in raw.notes] == [
        ("供应商", "A4", "reader.rows-below-table"), ("供应商", "A7", "reader.content-below-table")]
    assert "第 4–5 行（2 行）" in raw.notes[0].message
    # one bulk read for the table, one for the rows below it
    assert book.calls.reads == 2
    engine.write([OutputBlock(results_table, pd.DataFrame({"period_id": ["2026-01"], "total": [90.0]}), "zh")])
    lo = next(iter(book.sheet("供应商").tables))
    assert lo.range.address == "$A$1:$B$5"  # grown over rows 4-5, not over the note in row 7
    again = live(book).read()
    assert [(n.cell, n.code) for n in again.notes] == [("A7", "reader.content-below-table")]
    assert len(again.tables["vendors"].data) == 4 and again.tables["vendors"].appended_rows == 0


def block(totals: list[float]) -> OutputBlock:
    n = len(totals)
    frame = pd.DataFrame({"period_id": ["2026-01"] * n, "level": ["worker"] * n, "vendor_id": ["V001"] * n,
                          "worker_id": [f"W{i:03d}" for i in range(n)], "total": np.array(totals)})
    return OutputBlock(results_table, frame, "zh")


def test_a_renamed_results_sheet_is_refreshed_in_place() -> None:
    book = FakeBook()
    live(book).write([block([80.0, 70.0])])
    book.sheet("计算结果").name = "本月结果"
    live(book).write([block([99.5])])
    assert [s.name for s in book.sheets] == ["说明", "本月结果"]
    sheet = book.sheet("本月结果")
    assert sheet.cells[(2, 5)] == 99.5 and (3, 5) not in sheet.cells
    assert live(book).read().tables["xp_results"].data.iloc[:, 4].tolist() == [99.5]
