"""Helpers for the reader tests: a workbook holding every kind of cell value on several table sheets,
and an exact comparison of two RawBooks (or of two refusals).

``same_book`` compares everything a RawBook carries; cell values are compared by Python type and
``repr`` (so 1.0 and 1, True and 1, a date and a datetime, "" and None all differ), which pandas'
own frame comparison does not do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import xlsxwriter
from corpus_helpers import put_raw_cell

from xlperf.book import RawBook, RawTable
from xlperf.errors import UnusableFileError

Reader = Callable[[Path], RawBook]


def cell_kinds(table: RawTable) -> list[list[tuple[str, str]]]:
    """Every cell of the table as (type name, repr): exact, type included."""
    return [[(type(v).__name__, repr(v)) for v in row] for row in table.data.itertuples(index=False, name=None)]


def same_book(new: RawBook, old: RawBook) -> None:
    """Assert the two books are the same in every field, every cell value and type, every note."""
    assert (new.source, new.sheets, new.hidden_sheets, new.protected_sheets) == \
        (old.source, old.sheets, old.hidden_sheets, old.protected_sheets)
    assert list(new.tables) == list(old.tables)  # same tables, in the same order
    for name, want in old.tables.items():
        got = new.tables[name]
        assert (got.name, got.sheet, got.header_row, got.first_col, got.headers, got.is_list_object) == \
            (want.name, want.sheet, want.header_row, want.first_col, want.headers, want.is_list_object), name
        assert got.formulas == want.formulas, name
        assert got.merged == want.merged, name
        assert got.data.shape == want.data.shape, name
        assert list(got.data.columns) == list(want.data.columns), name
        assert got.data.index.equals(want.data.index), name
        assert all(str(t) == "object" for t in got.data.dtypes), name
        assert cell_kinds(got) == cell_kinds(want), name
    assert [n.model_dump() for n in new.notes] == [n.model_dump() for n in old.notes]


def outcome(read: Reader, path: Path) -> RawBook | tuple[str, str, str]:
    """The book read, or the refusal as (type, zh, en)."""
    try:
        return read(path)
    except UnusableFileError as exc:
        return type(exc).__name__, exc.zh, exc.en


def same_outcome(new: Reader, old: Reader, path: Path) -> None:
    got, want = outcome(new, path), outcome(old, path)
    if isinstance(want, RawBook):
        assert isinstance(got, RawBook), got
        same_book(got, want)
    else:
        assert got == want


# ── a workbook with every kind of cell ─────────────────────────────────────────────────────────────

ZOO_ROWS = 1500  # observations rows: the biggest sheet, not the first one


def zoo_book(path: Path) -> Path:
    """Several contract tables on several sheets (biggest sheet second), holding numbers (whole ones
    too), text that looks like numbers, leading apostrophes, dates, date-times, times, durations,
    booleans, blanks, empty text, errors (classic and Excel 365's #SPILL!), formulas with and without a
    value, mixed columns, a table wider than its data, merged cells, title rows without a ListObject,
    a hidden and a protected sheet, rows below a table."""
    wb = xlsxwriter.Workbook(str(path))
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    stamp = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    clock = wb.add_format({"num_format": "hh:mm"})
    span = wb.add_format({"num_format": "[h]:mm:ss"})
    quoted = wb.add_format({"quote_prefix": True})
    filled = wb.add_format({"bg_color": "#FFF2CC"})

    # 1. vendors: small, mixed kinds per column, a padded column H beyond any cell, rows below.
    ws = wb.add_worksheet("供应商")
    ws.write_row(0, 0, ["供应商编号", "供应商名称", "合同编号", "服务内容", "合同开始", "数", "真假", "空列"])
    vendors: list[list[Any]] = [
        ["V001", "甲", "007", "1e3", dt.datetime(2026, 1, 1), 5, True],
        ["V002", "乙", 7, " 空格 ", dt.datetime(2026, 1, 1, 13, 30), 2.5, False],
        ["V003", "", None, "=文本", dt.datetime(1900, 1, 1), -0.0, None],
        ["V004", "丁", 1e20, "TRUE", dt.datetime(1999, 12, 31), 123456789012345.0, True],
    ]
    for i, row in enumerate(vendors, start=1):
        for j, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, dt.datetime):
                ws.write_datetime(i, j, v, stamp if v.hour else date)
            elif isinstance(v, bool):
                ws.write_boolean(i, j, v)
            elif isinstance(v, str):
                ws.write_string(i, j, v)
            else:
                ws.write_number(i, j, v)
    ws.write_string(3, 2, "0012", quoted)  # a leading apostrophe: '0012
    ws.write_blank(3, 6, None, filled)  # a styled empty cell
    ws.add_table(0, 0, 4, 7, {"name": "vendors", "columns": [{"header": h} for h in
                 ["供应商编号", "供应商名称", "合同编号", "服务内容", "合同开始", "数", "真假", "空列"]]})
    ws.write_string(5, 1, "表格下方的数据")  # a row right below the table (row 6)

    # 2. observations: the biggest sheet; dates, a mixed value column, errors, formulas, times.
    ws = wb.add_worksheet("监控记录")
    heads = ["日期", "期间", "供应商编号", "人员编号", "指标编号", "数值", "数据来源", "记录人", "备注", "时长"]
    ws.write_row(0, 0, heads)
    d0 = dt.datetime(2026, 1, 1)
    for i in range(1, ZOO_ROWS + 1):
        ws.write_datetime(i, 0, d0 + dt.timedelta(days=i % 60), date)
        ws.write_string(i, 1, f"2026-0{1 + (i % 60) // 31}")
        ws.write_string(i, 2, f"V{i % 4 + 1:03d}")
        ws.write_string(i, 3, f"W{i % 50:05d}")
        ws.write_string(i, 4, f"I{i % 12:02d}")
        if i % 97 == 0:
            ws.write_string(i, 5, "是")
        elif i % 89 == 0:
            ws.write_boolean(i, 5, i % 2 == 0)
        elif i % 83 != 0:  # every 83rd: blank
            ws.write_number(i, 5, float(i % 100) if i % 3 else i % 100 + 0.25)
        ws.write_string(i, 6, "report")
        ws.write_string(i, 7, "张三")
        if i % 7 == 0:
            ws.write_string(i, 8, f"备注{i}")
        if i % 11 == 0:
            ws.write_datetime(i, 9, dt.time(8, 30) if i % 2 else dt.timedelta(hours=30, minutes=15),
                              clock if i % 2 else span)
    ws.write_formula(3, 5, "=1/0", None, "#DIV/0!")
    ws.write_formula(4, 5, "=NA()", None, "#N/A")
    ws.write_formula(5, 5, "=F2*2", None, 84)
    ws.write_formula(6, 8, '=B2&"x"', None, "2026-01x")
    ws.write_formula(7, 5, "=F3+1", None, "")  # never calculated (empty <v>)
    ws.write_formula(8, 0, "=TODAY()", date, 46000)  # a date from a formula
    ws.write_string(9, 8, "")  # empty text
    ws.write_datetime(1201, 8, dt.datetime(2026, 3, 1), date)  # a lone date deep in a text column
    ws.add_table(0, 0, ZOO_ROWS, len(heads) - 1, {"name": "observations",
                                                  "columns": [{"header": h} for h in heads]})

    # 3. settings: no ListObject, found by its sheet name and header row under title rows.
    ws = wb.add_worksheet("参数设置")
    ws.write_string(0, 0, "参数设置（2026）")
    ws.write_row(2, 0, ["参数", "取值", "说明"])
    ws.write_row(3, 0, ["lang", "zh"])
    ws.write_row(4, 0, ["warn_score", 60])
    ws.merge_range(3, 2, 4, 2, "合并的说明", None)
    ws.write_string(5, 0, "round")
    ws.write_number(5, 1, 2)
    ws.hide()

    # 4. ratings: protected, a #SPILL! cell (calamine refuses it: the patched re-read).
    ws = wb.add_worksheet("评分记录")
    rheads = ["期间", "供应商编号", "人员编号", "指标编号", "评分角色", "评分"]
    ws.write_row(0, 0, rheads)
    for i in range(1, 41):
        ws.write_row(i, 0, ["2026-01", "V001", f"W{i:05d}", "I01", "主管", i % 5 + 1])
    ws.add_table(0, 0, 40, len(rheads) - 1, {"name": "ratings", "columns": [{"header": h} for h in rheads]})
    ws.protect("pw")

    # 5. periods: header only (an empty table).
    ws = wb.add_worksheet("考核期间")
    pheads = ["期间", "开始日期", "结束日期"]
    ws.write_row(0, 0, pheads)
    ws.add_table(0, 0, 1, 2, {"name": "periods", "columns": [{"header": h} for h in pheads]})
    wb.close()

    put_raw_cell(path, "评分记录", "F5", '<c r="F5" t="e"><f>SEQUENCE(2)</f><v>#SPILL!</v></c>')
    put_raw_cell(path, "监控记录", "F11", '<c r="F11" t="e"><v>#REF!</v></c>')
    put_raw_cell(path, "监控记录", "B12", '<c r="B12" t="inlineStr"><is><t xml:space="preserve"> 2026-01 </t></is></c>')
    return path


def zoo_expectations() -> dict[tuple[str, int, int], tuple[str, str]]:
    """(table, data row, column) → (type name, repr) for cells whose exact value the test pins."""
    return {
        ("vendors", 0, 2): ("str", "'007'"),
        ("vendors", 0, 3): ("str", "'1e3'"),
        ("vendors", 0, 4): ("datetime", "datetime.datetime(2026, 1, 1, 0, 0)"),
        ("vendors", 0, 5): ("float", "5.0"),
        ("vendors", 0, 6): ("bool", "True"),
        ("vendors", 0, 7): ("NoneType", "None"),
        ("vendors", 1, 2): ("float", "7.0"),
        ("vendors", 1, 3): ("str", "' 空格 '"),
        ("vendors", 1, 4): ("datetime", "datetime.datetime(2026, 1, 1, 13, 30)"),
        ("vendors", 1, 1): ("str", "'乙'"),
        ("vendors", 2, 1): ("NoneType", "None"),  # empty text reads as blank
        ("vendors", 2, 2): ("str", "'0012'"),  # the apostrophe is formatting, not text
        ("vendors", 3, 2): ("float", "1e+20"),
        ("vendors", 3, 6): ("bool", "True"),
        ("observations", 2, 5): ("CellError", "CellError(code='#DIV/0!')"),
        ("observations", 3, 5): ("CellError", "CellError(code='#N/A')"),
        ("observations", 4, 5): ("float", "84.0"),
        ("observations", 5, 8): ("str", "'2026-01x'"),
        ("observations", 6, 5): ("NoneType", "None"),  # a formula never calculated
        ("observations", 9, 5): ("CellError", "CellError(code='#REF!')"),
        ("observations", 10, 1): ("str", "' 2026-01 '"),
        ("observations", 96, 5): ("str", "'是'"),
        ("observations", 1200, 8): ("datetime", "datetime.datetime(2026, 3, 1, 0, 0)"),
        ("ratings", 3, 5): ("CellError", "CellError(code='#SPILL!')"),
    }
