"""The file reader: contract tables found by name and header, values exactly as the cells hold them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter
from io_helpers import (
    Err,
    SheetSpec,
    build_openpyxl,
    fast_observations,
    labels,
    observation_rows,
    simple_book,
    with_empty_styled_rows,
)

from xlperf.book import CellError
from xlperf.io.reader import read_book


def codes(book) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return sorted((n.sheet, n.cell, n.code) for n in book.notes)


def test_list_objects_are_read_with_exact_values(tmp_path: Path) -> None:
    book = read_book(simple_book(tmp_path / "b.xlsx", n=3))
    assert book.sheets == ["供应商", "监控记录"]
    vendors = book.tables["vendors"]
    assert (vendors.sheet, vendors.header_row, vendors.first_col, vendors.is_list_object) == ("供应商", 1, 0, True)
    assert vendors.headers == ["供应商编号", "供应商名称"]
    assert vendors.data.values.tolist() == [["V000", "供应商0"], ["V001", "供应商1"], ["V002", "供应商2"]]
    obs = book.tables["observations"]
    assert obs.headers == labels("observations")
    assert obs.data.iloc[1].tolist() == [dt.datetime(2026, 1, 2), "2026-01", "V001", "W00001", "I01", 1.0,
                                         "report", "张三", None]
    assert type(obs.data.iat[0, 0]) is dt.datetime  # calamine's date objects become datetime
    assert obs.cell(1, 5) == "F3"
    assert book.notes == [] and book.hidden_sheets == [] and book.protected_sheets == []


def test_renamed_sheet_moved_table_reordered_and_extra_columns(tmp_path: Path) -> None:
    headers = ["我的备注", "供应商名称", "Vendor ID", "contract_no"]  # zh, en and key spellings mixed
    path = build_openpyxl(tmp_path / "b.xlsx", [
        SheetSpec("封面", ["欢迎"], [["这张表不是数据"]]),
        SheetSpec("外包公司名单", headers, [["自己的列", "甲公司", "V001", "HT-1"], [None, "乙公司", "V002", None]],
                  table="vendors", top=3, left=3, title_rows=[["供应商名单（2026）"]]),
        SheetSpec("其他", ["x", "y"], [[1, 2]], table="NotOurs"),
    ])
    book = read_book(path)
    assert set(book.tables) == {"vendors"}  # tables outside the contract are ignored
    v = book.tables["vendors"]
    assert (v.sheet, v.header_row, v.first_col) == ("外包公司名单", 3, 2)
    assert v.headers == headers
    assert v.data.values.tolist() == [["自己的列", "甲公司", "V001", "HT-1"], [None, "乙公司", "V002", None]]
    assert v.cell(1, 2) == "E5" and v.header_cell(0) == "C3"


def test_without_list_object_the_sheet_name_and_header_labels_find_the_table(tmp_path: Path) -> None:
    path = build_openpyxl(tmp_path / "b.xlsx", [
        SheetSpec("Vendors", ["Vendor ID", "Name", "Email"], [["V001", "Acme", "a@x.cn"]], top=4, left=2,
                  title_rows=[["Vendor list"], ["updated 2026-01"], []]),
    ])
    book = read_book(path)
    v = book.tables["vendors"]
    assert (v.sheet, v.header_row, v.first_col, v.is_list_object) == ("Vendors", 4, 1, False)
    assert v.headers == ["Vendor ID", "Name", "Email"]
    assert v.data.values.tolist() == [["V001", "Acme", "a@x.cn"]]
    assert codes(book) == [("Vendors", "B4", "reader.no-list-object")]


def test_sheet_without_recognisable_header_is_reported_not_guessed(tmp_path: Path) -> None:
    path = build_openpyxl(tmp_path / "b.xlsx", [SheetSpec("供应商", ["甲", "乙"], [["a", "b"]])])
    book = read_book(path)
    assert "vendors" not in book.tables
    assert codes(book) == [("供应商", "", "reader.header-not-found")]
    assert "供应商" in book.notes[0].message and "前 10 行" in book.notes[0].message


def test_error_values_formulas_and_merged_cells(tmp_path: Path) -> None:
    rows = observation_rows(4)
    rows[0][5] = Err("#N/A")
    rows[1][5] = "=1/0"  # openpyxl stores no cached value: a formula HR must replace
    rows[2][2] = "=\"V\"&\"002\""
    path = build_openpyxl(tmp_path / "b.xlsx", [
        SheetSpec("监控记录", labels("observations"), rows, table="observations", merges=["H3:I4", "K1:L2"]),
    ])
    book = read_book(path)
    obs = book.tables["observations"]
    assert obs.data.iat[0, 5] == CellError("#N/A")
    assert obs.data.iat[1, 5] is None and obs.data.iat[2, 2] is None
    assert obs.formulas == {(1, 5): "=1/0", (2, 2): '="V"&"002"'}
    assert obs.merged == ["H3:I4"]  # K1:L2 lies beside the table
    assert codes(book) == [("监控记录", "F3", "reader.formula-without-value")]
    assert "2 个公式" in book.notes[0].message


def test_cached_formula_values_and_cached_errors_written_by_excel_style_writer(tmp_path: Path) -> None:
    path = tmp_path / "b.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("评分记录")
    headers = labels("ratings")
    ws.write_row(0, 0, headers)
    ws.write_row(1, 0, ["2026-01", "V001", "W00001", "I01", "主管", "李四"])
    ws.write_formula(1, 6, "=2+2", None, 4)
    ws.write_formula(2, 6, "=1/0", None, "#DIV/0!")
    ws.write_row(2, 0, ["2026-01", "V001", "W00002", "I01", "主管", "李四"])
    ws.add_table(0, 0, 2, len(headers) - 1, {"name": "ratings", "columns": [{"header": h} for h in headers]})
    wb.close()
    book = read_book(path)
    r = book.tables["ratings"]
    assert r.data.iat[0, 6] == 4.0
    assert r.data.iat[1, 6] == CellError("#DIV/0!")
    assert r.formulas == {(0, 6): "=2+2", (1, 6): "=1/0"}
    assert codes(book) == []  # cached values exist: nothing read as blank


def test_trailing_empty_styled_rows_are_not_data(tmp_path: Path) -> None:
    path = with_empty_styled_rows(simple_book(tmp_path / "a.xlsx", n=5), tmp_path / "b.xlsx", 100_000)
    book = read_book(path)
    obs = book.tables["observations"]
    assert obs.data.shape == (5, 9)
    assert obs.data.iloc[4].tolist()[:6] == [dt.datetime(2026, 1, 5), "2026-01", "V004", "W00004", "I04", 4.0]


def test_blank_rows_inside_the_table_keep_their_position(tmp_path: Path) -> None:
    rows = observation_rows(3)
    rows[1] = [None] * 9
    path = build_openpyxl(tmp_path / "b.xlsx", [SheetSpec("监控记录", labels("observations"), rows,
                                                          table="observations", table_rows=6)])
    obs = read_book(path).tables["observations"]
    assert obs.data.shape == (3, 9)
    assert obs.data.iloc[1].tolist() == [None] * 9
    assert obs.data.iat[2, 2] == "V002" and obs.cell(2, 2) == "C4"


def test_protected_and_hidden_sheets(tmp_path: Path) -> None:
    path = build_openpyxl(tmp_path / "b.xlsx", [
        SheetSpec("供应商", labels("vendors", keys=["vendor_id", "name"]), [["V001", "甲"]], table="vendors",
                  protect="secret"),
        SheetSpec("等级与激励", labels("grades", keys=["grade", "min_score"]), [["A", 80]], table="grades",
                  hidden=True),
        SheetSpec("说明", ["text"], [["..."]]),
    ])
    book = read_book(path)
    assert book.protected_sheets == ["供应商"]
    assert book.hidden_sheets == ["等级与激励"]
    assert book.tables["vendors"].data.values.tolist() == [["V001", "甲"]]  # protection does not stop reading
    assert codes(book) == [("等级与激励", "", "reader.hidden-sheet")]


def test_rows_typed_below_a_table_are_read_as_its_rows_and_reported(tmp_path: Path) -> None:
    """Rows right below a table's range are its rows (Excel's AutoExpand); they used to be skipped.
    Content after a blank row is not read, and named."""
    path = build_openpyxl(tmp_path / "b.xlsx", [
        SheetSpec("供应商", labels("vendors", keys=["vendor_id", "name"]), [["V001", "甲"]], table="vendors",
                  extra_cells={"A3": "V002", "B3": "乙", "B4": "丙", "A6": "V009"}),
    ])
    book = read_book(path)
    t = book.tables["vendors"]
    assert t.data.values.tolist() == [["V001", "甲"], ["V002", "乙"], [None, "丙"]]
    assert t.appended_rows == 2 and t.cell(2, 1) == "B4"
    assert codes(book) == [("供应商", "A3", "reader.rows-below-table"), ("供应商", "A6", "reader.content-below-table")]
    assert "第 3–4 行（2 行）" in book.notes[0].message and "第 6 行" in book.notes[1].message


def test_english_notes(tmp_path: Path) -> None:
    path = build_openpyxl(tmp_path / "b.xlsx", [SheetSpec("Vendors", ["Vendor ID", "Name"], [["V1", "A"]])])
    note = read_book(path, lang="en").notes[0]
    assert note.message == "No Excel table named vendors on 'Vendors'; read by its header row (row 1)"


def test_output_tables_written_by_xlperf_are_read_back(tmp_path: Path) -> None:
    path = build_openpyxl(tmp_path / "b.xlsx", [
        SheetSpec("计算结果", ["期间", "层级", "供应商编号", "总分"], [["2026-01", "vendor", "V001", 91.5]],
                  table="xp_results"),
    ])
    r = read_book(path).tables["xp_results"]
    assert r.data.values.tolist() == [["2026-01", "vendor", "V001", 91.5]]


def test_dates_with_time_numbers_bools_and_whitespace_stay_as_typed(tmp_path: Path) -> None:
    rows = [[dt.datetime(2026, 3, 1, 8, 30), "2026-03", "V001", None, "I01", True, " ", "", 3]]
    path = build_openpyxl(tmp_path / "b.xlsx", [SheetSpec("x", labels("observations"), rows, table="observations")])
    obs = read_book(path).tables["observations"]
    assert obs.data.iloc[0].tolist() == [dt.datetime(2026, 3, 1, 8, 30), "2026-03", "V001", None, "I01", True, " ",
                                         None, 3.0]


def test_table_without_header_row_uses_its_column_names(tmp_path: Path) -> None:
    path = build_openpyxl(tmp_path / "b.xlsx", [
        SheetSpec("供应商", ["供应商编号", "供应商名称"], [["V001", "甲"], ["V002", "乙"]], table="vendors"),
    ])
    # Switch the header row off the way Excel stores it: headerRowCount="0", ref over the data only.
    import zipfile

    from io_helpers import rezip

    with zipfile.ZipFile(path) as zf:
        name = next(n for n in zf.namelist() if n.startswith("xl/tables/"))
        xml = zf.read(name).decode()
    assert 'ref="A1:B3"' in xml and 'headerRowCount="1"' in xml
    xml = xml.replace('ref="A1:B3"', 'ref="A2:B3"', 1).replace('headerRowCount="1"', 'headerRowCount="0"', 1)
    book = read_book(rezip(path, tmp_path / "c.xlsx", replace={name: xml.encode()}))
    v = book.tables["vendors"]
    assert (v.header_row, v.headers) == (1, ["供应商编号", "供应商名称"])
    assert v.data.values.tolist() == [["V001", "甲"], ["V002", "乙"]]


def test_a_200_000_row_table(tmp_path: Path) -> None:
    path = fast_observations(tmp_path / "big.xlsx", 200_000)
    obs = read_book(path).tables["observations"]
    assert obs.data.shape == (200_000, 9)
    assert obs.data.iloc[-1].tolist() == observation_rows(1, start=199_999)[0]
    assert obs.data.iloc[-1].tolist() == [dt.datetime(2026, 1, 20), "2026-01", "V004", "W00199", "I07", 99.0,
                                          "report", "张三", None]
    assert obs.data[8].isna().sum() == 133_333
    assert obs.cell(199_999, 0) == "A200001"


def test_empty_table_and_tables_stacked_on_one_sheet(tmp_path: Path) -> None:
    import openpyxl
    from openpyxl.worksheet.table import Table as XlTable

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "基础数据"
    ws.append(["供应商编号", "供应商名称"])  # vendors: header only, one empty row in its range
    ws.append([])
    ws.append(["等级", "最低分"])  # grades directly below, no gap
    ws.append(["A", 80])
    ws.append(["B", 70])
    ws.add_table(XlTable(displayName="vendors", ref="A1:B2"))
    ws.add_table(XlTable(displayName="grades", ref="A3:B5"))
    wb.save(tmp_path / "b.xlsx")
    book = read_book(tmp_path / "b.xlsx")
    assert book.tables["vendors"].data.shape == (0, 2)
    assert book.tables["vendors"].headers == ["供应商编号", "供应商名称"]
    g = book.tables["grades"]
    assert (g.header_row, g.data.values.tolist()) == (3, [["A", 80.0], ["B", 70.0]])
    assert book.notes == []


def _vendor_sheet(tmp_path: Path, sheet_data: str, prefix: str = "") -> Path:
    """The vendors sheet (sheet1) of a small book replaced by hand-written XML, as other tools write it."""
    from io_helpers import rezip

    src = simple_book(tmp_path / "src.xlsx", n=3)
    p = f"{prefix}:" if prefix else ""
    ns = f"xmlns{':' + prefix if prefix else ''}=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
    xml = (f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {ns} '
           'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
           f"<{p}sheetData>{sheet_data}</{p}sheetData>"
           f'<{p}mergeCells count="1"><{p}mergeCell ref="B3:B4"/></{p}mergeCells>'
           f'<{p}tableParts count="1"><{p}tablePart r:id="rId1"/></{p}tableParts></{p}worksheet>')
    return rezip(src, tmp_path / "hand.xlsx", replace={"xl/worksheets/sheet1.xml": xml.encode()})


def test_prefixed_sheet_xml_with_shared_formulas_errors_and_merges(tmp_path: Path) -> None:
    """Open XML SDK style (x: prefix everywhere): formulas, shared-formula followers, cached errors."""
    x = "x:"
    rows = (
        f'<{x}row r="1"><{x}c r="A1" t="inlineStr"><{x}is><{x}t>供应商编号</{x}t></{x}is></{x}c>'
        f'<{x}c r="B1" t="inlineStr"><{x}is><{x}t>基础服务费</{x}t></{x}is></{x}c></{x}row>'
        f'<{x}row r="2"><{x}c r="A2" t="inlineStr"><{x}is><{x}t>V1</{x}t></{x}is></{x}c>'
        f'<{x}c r="B2"><{x}f t="shared" ref="B2:B4" si="0">100*ROW()</{x}f><{x}v>200</{x}v></{x}c></{x}row>'
        f'<{x}row r="3"><{x}c r="A3" t="inlineStr"><{x}is><{x}t>V2</{x}t></{x}is></{x}c>'
        f'<{x}c r="B3"><{x}f t="shared" si="0"/><{x}v>300</{x}v></{x}c></{x}row>'
        f'<{x}row r="4"><{x}c r="A4" t="e"><{x}v>#REF!</{x}v></{x}c>'
        f'<{x}c r="B4" t="e"><{x}f t="shared" si="0"/><{x}v>#VALUE!</{x}v></{x}c></{x}row>'
    )
    book = read_book(_vendor_sheet(tmp_path, rows, prefix="x"))
    v = book.tables["vendors"]
    assert v.headers == ["供应商编号", "基础服务费"]
    assert v.data.values.tolist() == [["V1", 200.0], ["V2", 300.0], [CellError("#REF!"), CellError("#VALUE!")]]
    assert v.formulas == {(0, 1): "=100*ROW()", (1, 1): "=100*ROW()", (2, 1): "=100*ROW()"}
    assert v.merged == ["B3:B4"]


def test_formula_and_error_cells_without_address_are_counted(tmp_path: Path) -> None:
    rows = ('<row r="1"><c r="A1" t="inlineStr"><is><t>供应商编号</t></is></c>'
            '<c r="B1" t="inlineStr"><is><t>供应商名称</t></is></c></row>'
            '<row r="2"><c t="inlineStr"><is><t>V1</t></is></c><c t="e"><v>#N/A</v></c></row>')
    book = read_book(_vendor_sheet(tmp_path, rows))
    assert book.tables["vendors"].data.values.tolist() == [["V1", None]]
    assert codes(book) == [("供应商", "", "reader.unlocated-cells")]


def test_reading_only_some_tables(tmp_path: Path) -> None:
    from xlperf.contract import TABLES_BY_NAME

    book = read_book(simple_book(tmp_path / "b.xlsx"), tables=[TABLES_BY_NAME["vendors"]])
    assert list(book.tables) == ["vendors"]
    assert book.sheets == ["供应商", "监控记录"]


def test_excel_365_error_values_are_read_as_cell_errors(tmp_path: Path) -> None:
    """python-calamine refuses a sheet holding #SPILL! and the other newer codes; the sheet is read from
    a patched copy and every cell keeps its true code (the other sheets are read as usual)."""
    rows = ('<row r="1"><c r="A1" t="inlineStr"><is><t>供应商编号</t></is></c>'
            '<c r="B1" t="inlineStr"><is><t>基础服务费</t></is></c></row>'
            '<row r="2"><c r="A2" t="inlineStr"><is><t>V1</t></is></c>'
            '<c r="B2" t="e"><f>SORT(A2:A3)</f><v>#SPILL!</v></c></row>'
            '<row r="3"><c r="A3" t="e"><v>#GETTING_DATA</v></c><c r="B3" t="e"><v>#N/A</v></c></row>'
            "<row r='4'><c r='A4' t='e'><v>#BUSY!</v></c><c r='B4' s='0' t='e'><v>#PYTHON!</v></c></row>")
    book = read_book(_vendor_sheet(tmp_path, rows))
    assert book.tables["vendors"].data.values.tolist() == [
        ["V1", CellError("#SPILL!")], [CellError("#GETTING_DATA"), CellError("#N/A")],
        [CellError("#BUSY!"), CellError("#PYTHON!")]]
    assert book.tables["vendors"].formulas == {(0, 1): "=SORT(A2:A3)"}
    assert len(book.tables["observations"].data) == 3


def test_calamine_errors_rewrites_only_unknown_error_values() -> None:
    from xlperf.io.sheetscan import calamine_errors

    seg = (b'<row r="2"><c r="A2" t="e"><f>X()</f><v>#CALC!</v></c><c r="B2" t="e"><v>#REF!</v></c>'
           b'<c r="C2" t="s"><v>7</v></c><c r="D2" t="str"><v>#FIELD!</v></c><c r="E2" t="e"/>'
           b"<x:c r='F2' t='e'><x:v>#BLOCKED!</x:v></x:c></row>")
    assert calamine_errors(seg) == seg.replace(b"#CALC!", b"#N/A").replace(b"#BLOCKED!", b"#N/A")
    plain = b'<row r="1"><c r="A1"><v>1</v></c></row>'
    assert calamine_errors(plain) is plain
