"""The writer: output sheets as HR sees them, replacing only xlperf's sheets, and table rows."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook
from writer_helpers import blocks, odd_values_frame, parts, records_book, results_frame

from xlperf.book import OutputBlock
from xlperf.contract import outputs
from xlperf.errors import WriteError
from xlperf.io.package import CT_CHART, CT_DRAWING, RT_CHART, RT_DRAWING, Package, Part, Rel
from xlperf.io.safesave import atomic_write
from xlperf.io.writer import replace_table_rows, write_blocks


def values(path: Path, sheet: str) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return records_book(tmp_path / "book.xlsx")


def test_results_sheet_is_formatted_for_reading(book: Path) -> None:
    write_blocks(book, [OutputBlock(outputs.results, results_frame())])
    wb = openpyxl.load_workbook(book)
    ws = wb["计算结果"]
    assert [c.value for c in ws[1]][:12] == ["期间", "层级", "供应商编号", "供应商名称", "人员编号", "姓名", "总分",
                                            "质量", "效率", "等级", "排名", "排名总数"]
    assert ws["G2"].value == 95.5 and ws["G2"].number_format == "0.00"
    assert ws["N2"].number_format == "0%" and ws["O2"].number_format == "#,##0.00"
    assert ws["M7"].value is True and ws["H7"].value is None  # NaN is a blank cell
    assert ws["A1"].font.b and ws.freeze_panes == "A2"
    assert ws.column_dimensions["D"].width == 20 and ws.column_dimensions["R"].width == 80
    table = ws.tables["xp_results"]
    assert table.ref == "A1:R7"
    rules = {str(r.sqref): [(x.type, x.formula) for x in r.rules] for r in ws.conditional_formatting}
    assert rules["G2:G7"] == [("expression", ["AND(ISNUMBER(G2),G2<60)"])]
    assert rules["J2:J7"] == [("cellIs", ['"S"']), ("cellIs", ['"D"']), ("cellIs", ['"C"'])]
    assert rules["M2:M7"] == [("expression", ['OR(M2=TRUE,M2="是")'])]  # TRUE, or 是 in a zh book


def test_low_scores_are_coloured_below_the_books_warning_line(book: Path) -> None:
    write_blocks(book, [OutputBlock(outputs.results, results_frame(), low_score=72.5)])
    ws = openpyxl.load_workbook(book)["计算结果"]
    rules = {str(r.sqref): [(x.type, x.formula) for x in r.rules] for r in ws.conditional_formatting}
    assert rules["G2:G7"] == [("expression", ["AND(ISNUMBER(G2),G2<72.5)"])]
    assert rules["H2:H7"] == [("expression", ["AND(ISNUMBER(H2),H2<72.5)"])]  # a dimension column too


def test_findings_link_to_the_cell_they_are_about(book: Path) -> None:
    write_blocks(book, blocks())
    ws = openpyxl.load_workbook(book)["校验结果"]
    assert ws["D2"].value == "C7" and ws["D2"].hyperlink.location == "'考核指标'!C7"
    assert ws["D2"].font.u == "single"
    assert ws["D3"].value is None and ws["D3"].hyperlink is None  # no cell, no link


def test_odd_values_round_trip(book: Path) -> None:
    table = outputs.findings
    frame = odd_values_frame()
    write_blocks(book, [OutputBlock(table, frame, "en")])
    rows = values(book, "Findings")
    assert rows[0] == ["Code", "Value", "Message"]  # contract order, whatever the frame's order
    got = {r: rows[r + 1] for r in range(len(frame))}
    assert got[0][2] == 'a & b <c> "d"' and got[1][2] == "  leading and trailing  "
    assert got[2][2] == "ctrl\x01char" and got[3][2] == "literal _x0041_ text" and got[6][2] == "多行\n文本"
    assert got[4][2] == "" and got[5][2] == ""
    assert [got[i][1] for i in (0, 1, 3, 4, 5, 6)] == [1.5, "", 3, 1e-7, 12345678901.25, 0]
    ws = openpyxl.load_workbook(book)["Findings"]
    assert ws["B4"].value == "#NUM!" and ws["A2"].value == "#N/A" and ws["A3"].value is True
    assert ws["A4"].value == dt.datetime(2026, 1, 2, 12, 30) and ws["A4"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert ws["A5"].value == dt.datetime(2026, 1, 2) and ws["A5"].number_format == "yyyy-mm-dd"


def test_empty_block_still_gives_a_valid_table(book: Path) -> None:
    empty = results_frame().iloc[0:0]
    write_blocks(book, [OutputBlock(outputs.results, empty)])
    ws = openpyxl.load_workbook(book)["计算结果"]
    assert ws.tables["xp_results"].ref == "A1:R2" and ws.max_row == 1


def test_rewrite_keeps_position_sheet_id_and_names(book: Path, tmp_path: Path) -> None:
    write_blocks(book, blocks())
    first = parts(book)
    bigger = results_frame(6)
    write_blocks(book, [OutputBlock(outputs.results, bigger.iloc[:2])])
    second = parts(book)
    assert second["xl/workbook.xml"] == first["xl/workbook.xml"]  # same place, same id, no new entries
    assert second["[Content_Types].xml"] == first["[Content_Types].xml"]
    assert set(second) == set(first)
    changed = sorted(n for n in first if first[n] != second[n])
    assert changed == ["xl/tables/table2.xml", "xl/worksheets/sheet2.xml"]
    assert values(book, "计算结果")[2][4] == "W002" and len(values(book, "计算结果")) == 3


def test_write_is_deterministic(book: Path, tmp_path: Path) -> None:
    a = write_blocks(book, blocks(), out=tmp_path / "a.xlsx")
    b = write_blocks(book, blocks(), out=tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()
    c = write_blocks(a, blocks(), out=tmp_path / "c.xlsx")
    assert c.read_bytes() == a.read_bytes()


def test_a_users_sheet_with_the_same_name_is_never_replaced(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "u.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("计算结果").write(0, 0, "HR 自己的表")
    wb.close()
    before = path.read_bytes()
    with pytest.raises(WriteError) as err:
        write_blocks(path, blocks())
    assert "不是 xlperf 生成的" in err.value.zh and "did not create" in err.value.en
    assert path.read_bytes() == before


def test_a_block_goes_to_the_sheet_holding_its_table_whatever_its_name(tmp_path: Path) -> None:
    """The sheet holding xp_results is the results sheet, renamed or not (it used to get a second
    计算结果 sheet with xp_results_2 beside it, and export read the stale one)."""
    import xlsxwriter

    path = tmp_path / "t.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("旧结果").add_table(0, 0, 2, 1, {"name": "xp_results"})
    wb.close()
    write_blocks(path, [OutputBlock(outputs.results, results_frame(2))])
    wb2 = openpyxl.load_workbook(path)
    assert wb2.sheetnames == ["旧结果"]
    assert list(wb2["旧结果"].tables) == ["xp_results"]
    assert wb2["旧结果"]["A1"].value == "期间" and wb2["旧结果"].max_row == 3


def test_free_form_sheet_with_a_chart_through_put_sheet(book: Path) -> None:
    pkg = Package.open(book)
    pkg.prepare_sheet("反馈-V001")
    drawing = pkg.allocate("xl/drawings/drawing{n}.xml")
    chart = pkg.allocate("xl/charts/chart{n}.xml")
    sheet = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             b'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
             b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>\xe5\x8f\x8d\xe9\xa6\x88</t></is></c><c r="B1"><v>3</v></c>'
             b'</row></sheetData><mergeCells count="1"><mergeCell ref="A2:C2"/></mergeCells><drawing r:id="rId1"/></worksheet>')
    drawing_xml = (b'<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
                   b'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"/>')
    chart_xml = b'<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"/>'
    pkg.put_sheet("反馈-V001", sheet, rels=[Rel("rId1", RT_DRAWING, drawing)],
                  parts={drawing: Part(drawing_xml, CT_DRAWING, (Rel("rId1", RT_CHART, chart),)),
                         chart: Part(chart_xml, CT_CHART)})
    with atomic_write(book) as fp:
        pkg.save(fp)
    p = parts(book)
    assert drawing == "xl/drawings/drawing1.xml" and chart == "xl/charts/chart1.xml"
    assert b'Target="../drawings/drawing1.xml"' in p["xl/worksheets/_rels/sheet2.xml.rels"]
    assert b'Target="../charts/chart1.xml"' in p["xl/drawings/_rels/drawing1.xml.rels"]
    assert b"/xl/charts/chart1.xml" in p["[Content_Types].xml"]
    assert values(book, "反馈-V001")[0] == ["反馈", 3.0]
    # replacing it frees and reuses the same part names; the old drawing and chart go
    pkg = Package.open(book)
    assert pkg.is_owned("反馈-V001")
    pkg.prepare_sheet("反馈-V001")
    assert not pkg.has("xl/charts/chart1.xml") and pkg.allocate("xl/drawings/drawing{n}.xml") == drawing


def test_replace_table_rows_keeps_header_styles_and_validation(book: Path) -> None:
    before = parts(book)
    frame = pd.DataFrame({"日期": pd.to_datetime(["2026-02-01", "2026-02-02"]), "实际值": [88.0, np.nan],
                          "供应商编号": ["V009", "V010"]})
    replace_table_rows(book, "records", frame)
    after = parts(book)
    for name in before:
        if name not in ("xl/worksheets/sheet1.xml", "xl/tables/table1.xml"):
            assert after[name] == before[name], name
    wb = openpyxl.load_workbook(book)
    ws = wb["监测记录"]
    assert ws["A1"].value == "监测记录（请在表格中填写）" and ws["A1"].font.b
    assert [c.value for c in ws[2]] == ["日期", "实际值", "供应商编号"]
    assert ws["A3"].value == dt.datetime(2026, 2, 1) and ws["A3"].number_format == "yyyy-mm-dd"
    assert ws["B3"].value == 88 and ws["B3"].number_format == "0.00" and ws["B4"].value is None
    assert ws.max_row == 4 and ws.tables["records"].ref == "A2:C4"
    assert str(ws.data_validations.dataValidation[0].sqref) == "C3:C1001"
    assert ws.freeze_panes == "A3"


def test_replace_by_contract_keys_and_append(tmp_path: Path) -> None:
    book = records_book(tmp_path / "b.xlsx", rows=2, with_formula=True)
    replace_table_rows(book, "RECORDS", pd.DataFrame({"实际值": [1.0, 2.0]}), append=True)
    ws = openpyxl.load_workbook(book)["监测记录"]
    assert [ws.cell(r, 2).value for r in range(3, 7)] == [90.5, 91.5, 1, 2]
    assert ws["D6"].value == ws["D3"].value == "=[[#This Row],实际值]*2"  # the calculated column's formula
    assert ws.tables["records"].ref == "A2:D6"
    with pytest.raises(WriteError) as err:
        replace_table_rows(book, "records", pd.DataFrame({"nope": [1]}))
    assert "nope" in err.value.zh
    with pytest.raises(WriteError):
        replace_table_rows(book, "missing", pd.DataFrame({"实际值": [1]}))


def test_replace_drops_merges_over_old_rows_and_keeps_the_title_merge(tmp_path: Path) -> None:
    book = records_book(tmp_path / "m.xlsx", merges=True)
    assert len(openpyxl.load_workbook(book)["监测记录"].merged_cells.ranges) == 2
    replace_table_rows(book, "records", pd.DataFrame({"实际值": [1.0, 2.0, 3.0]}))
    ws = openpyxl.load_workbook(book)["监测记录"]
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:C1"]
    assert [ws.cell(r, 2).value for r in range(3, 6)] == [1, 2, 3] and ws["C4"].value is None


def test_replace_a_million_rows_streams(tmp_path: Path) -> None:
    book = records_book(tmp_path / "big.xlsx", rows=0)
    n = 1_000_000
    frame = pd.DataFrame({"实际值": np.arange(n, dtype=float) / 4, "供应商编号": np.where(np.arange(n) % 2, "V1", "V2")})
    replace_table_rows(book, "records", frame)
    with zipfile.ZipFile(book) as z:
        xml = z.read("xl/worksheets/sheet1.xml")
        assert b'ref="A2:C1000002"' in z.read("xl/tables/table1.xml")
    assert xml.count(b"<row ") == n + 2 and b'<dimension ref="A1:C1000002"/>' in xml
    last = xml[xml.rindex(b"<row "):xml.index(b"</sheetData>")]
    # the column the frame does not fill keeps its format as an empty cell, ready for typing
    assert last == (b'<row r="1000002"><c r="A1000002" s="1"/><c r="B1000002" s="2"><v>249999.75</v></c>'
                    b'<c r="C1000002" t="inlineStr"><is><t>V1</t></is></c></row>')


def test_filebook_writes_all_blocks_and_reads_back(book: Path, tmp_path: Path) -> None:
    from xlperf.io.filebook import FileBook

    v0 = book.read_bytes()
    fb = FileBook(book, out=tmp_path / "out.xlsx")
    fb.write(blocks()[:1])
    fb.write(blocks()[1:2])  # builds on out, so both sheets are there
    assert book.read_bytes() == v0
    assert openpyxl.load_workbook(tmp_path / "out.xlsx").sheetnames == ["监测记录", "计算结果", "指标得分"]
    raw = fb.read()
    results = raw.tables["xp_results"]
    assert results.sheet == "计算结果" and results.header_row == 1 and len(results.data) == 6
    assert results.data.iloc[0, 6] == 95.5


@pytest.mark.libreoffice
def test_libreoffice_reads_replaced_rows_and_outputs(book: Path, tmp_path: Path) -> None:
    from xlperf.excel.libreoffice import csv_sheets

    frame = pd.DataFrame({"日期": [dt.date(2026, 3, 1)], "实际值": [7.25], "供应商编号": ["V001"]})
    replace_table_rows(book, "records", frame)
    write_blocks(book, blocks())
    sheets = csv_sheets(book, tmp_path / "lo")
    assert sheets["监测记录"].read_text(encoding="utf-8").splitlines()[1:] == ["日期,实际值,供应商编号", "2026-03-01,7.25,V001"]
    assert sheets["校验结果"].read_text(encoding="utf-8").splitlines()[1].startswith("error,value.not_number,考核指标,C7")


def test_a_file_that_is_not_a_workbook_is_refused_untouched(tmp_path: Path) -> None:
    from xlperf.errors import UnusableFileError

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"name,score\nV001,90\n")
    with pytest.raises(UnusableFileError):
        write_blocks(bad, blocks())
    assert bad.read_bytes() == b"name,score\nV001,90\n" and sorted(p.name for p in tmp_path.iterdir()) == ["bad.xlsx"]


def test_table_column_names_match_their_header_cells_exactly(book: Path) -> None:
    frame = results_frame(2).assign(**{"备注\n(HR)": ["a", "b"], "dim:质量": [1.0, 2.0]})
    write_blocks(book, [OutputBlock(outputs.results, frame)])
    ws = openpyxl.load_workbook(book)["计算结果"]
    names = [c.name for c in ws.tables["xp_results"].tableColumns]
    assert names == [c.value for c in ws[1]]
    assert names[-1] == "备注\n(HR)" and names[7] == "质量"


class _Unseekable:
    """A write-only stream: zipfile then writes every member with a trailing data descriptor."""

    def __init__(self) -> None:
        self.buf = bytearray()

    def write(self, b: bytes) -> int:
        self.buf += b
        return len(b)

    def tell(self) -> int:
        raise OSError("unseekable")

    def seek(self, *a: object) -> int:
        raise OSError("unseekable")

    def flush(self) -> None:
        pass


def test_members_with_data_descriptors_and_stored_members_are_copied(book: Path, tmp_path: Path) -> None:
    stream = _Unseekable()
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(stream, "w") as z:  # type: ignore[arg-type]
        for info in src.infolist():
            method = zipfile.ZIP_STORED if info.filename.endswith(".rels") else zipfile.ZIP_DEFLATED
            z.writestr(info.filename, src.read(info.filename), compress_type=method)
    odd = tmp_path / "odd.xlsx"
    odd.write_bytes(bytes(stream.buf))
    with zipfile.ZipFile(odd) as z:
        assert all(i.flag_bits & 0x08 for i in z.infolist())
    out = write_blocks(odd, blocks(), out=tmp_path / "out.xlsx")
    with zipfile.ZipFile(out) as z:
        assert z.testzip() is None
        assert z.getinfo("_rels/.rels").compress_type == zipfile.ZIP_STORED
    before, after = parts(odd), parts(out)
    assert all(after[n] == before[n] for n in before if n not in
               ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "docProps/app.xml", "xl/styles.xml"))


def test_replace_rows_of_the_real_template_by_field_keys(tmp_path: Path) -> None:
    from xlperf.excel.template import build_template_bytes
    from xlperf.io.reader import read_book

    book = tmp_path / "模板.xlsm"
    book.write_bytes(build_template_bytes("zh"))
    before = parts(book)
    frame = pd.DataFrame({"vendor_id": ["V001", "V002"], "name": ["甲公司", "乙公司"],
                          "contract_start": [dt.date(2026, 1, 1), dt.date(2026, 2, 1)], "base_fee": [100000.0, 8e4]})
    replace_table_rows(book, "vendors", frame)
    after = parts(book)
    changed = sorted(n for n in before if after[n] != before[n])
    assert len(changed) == 2 and all(n.startswith(("xl/worksheets/sheet", "xl/tables/table")) for n in changed)
    vendors = read_book(book).tables["vendors"]
    assert vendors.data.iloc[:, 0].tolist() == ["V001", "V002"]
    assert vendors.data.iloc[1, 1] == "乙公司" and vendors.data.iloc[0, 6] == 100000
    assert vendors.data.iloc[1, 4] == dt.datetime(2026, 2, 1)


def test_stylebook_appends_once_keeps_indexes_and_handles_prefixes() -> None:
    from lxml import etree

    from xlperf.io.styles import CellStyle, DiffStyle, StyleBook

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    text = (f'<x:styleSheet xmlns:x="{main}"><x:numFmts count="1"><x:numFmt numFmtId="164" formatCode="0.000"/>'
            '</x:numFmts><x:fonts count="1"><x:font><x:sz val="11"/><x:name val="等线"/><x:charset val="134"/>'
            '</x:font></x:fonts><x:fills count="2"><x:fill><x:patternFill patternType="none"/></x:fill><x:fill>'
            '<x:patternFill patternType="gray125"/></x:fill></x:fills><x:borders count="1"><x:border/></x:borders>'
            '<x:cellXfs count="2"><x:xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<x:xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></x:cellXfs>'
            '</x:styleSheet>')
    book = StyleBook(text)
    assert book.xf(CellStyle(num_fmt="0.000")) == 1  # the user's identical format is reused
    assert book.xf(CellStyle(num_fmt="yyyy-mm-dd")) == 2 and book.is_date_xf(2) and not book.is_date_xf(1)
    assert book.xf(CellStyle(num_fmt="yyyy-mm-dd")) == 2  # appended once
    assert book.xf(CellStyle(bold=True)) == 3
    assert book.dxf(DiffStyle(fill="FFFFC7CE")) == 0  # the missing dxfs list is created in schema order
    root = etree.fromstring(book.text.encode())
    ns = {"x": main}
    assert root.find("x:cellXfs", ns).get("count") == "4" and len(root.find("x:cellXfs", ns)) == 4
    assert root.find("x:numFmts", ns).get("count") == "2"
    assert [etree.QName(c).localname for c in root] == ["numFmts", "fonts", "fills", "borders", "cellXfs", "dxfs"]
    bold = root.find("x:fonts", ns)[1]
    assert [etree.QName(c).localname for c in bold] == ["b", "sz", "name", "charset"]  # the book's own font, bold
    again = StyleBook(book.text)
    assert again.xf(CellStyle(bold=True)) == 3 and again.dxf(DiffStyle(fill="FFFFC7CE")) == 0 and not again.changed
