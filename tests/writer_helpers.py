"""Workbooks and blocks for the write-side tests (writer, safe save, fidelity).

``fidelity_book`` builds an .xlsm holding what HR adds to a workbook and what a naive
load-and-save loses: charts, images, text boxes (shapes), VML notes and a form button, threaded
comments with persons, a pivot table with its cache and records, a slicer, defined names (incl. a
constant), custom XML, classic and x14 (cross-sheet) data validation, 2010 conditional formatting,
sparklines, a hidden and a very hidden sheet, document properties, a vbaProject.bin and a customUI14
ribbon, an external link with its cache, a data connection and printer settings. xlsxwriter writes
what it can; the rest is added as parts written here.
"""

from __future__ import annotations

import datetime as dt
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

from xlperf.book import CellError, OutputBlock
from xlperf.contract import outputs

XLWINGS_XLSM = Path(xlsxwriter.__file__).parents[1] / "xlwings" / "quickstart_standalone.xlsm"
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def tiny_png() -> bytes:
    """A valid 2×2 red PNG (no Pillow needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def vba_project_bin() -> bytes:
    with zipfile.ZipFile(XLWINGS_XLSM) as z:
        return z.read("xl/vbaProject.bin")


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def raw_members(path: Path) -> dict[str, bytes]:
    """Each member's compressed bytes exactly as stored (to prove raw copies)."""
    data = path.read_bytes()
    out = {}
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            nlen, xlen = struct.unpack_from("<HH", data, info.header_offset + 26)
            start = info.header_offset + 30 + nlen + xlen
            out[info.filename] = data[start:start + info.compress_size]
    return out


def records_book(path: Path, rows: int = 3, *, with_formula: bool = False, merges: bool = False) -> Path:
    """An input sheet like the template's: a title row, a header row and a styled ListObject
    'records' (date, number, text columns), a data validation and a note beside it."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("监测记录")
    title = wb.add_format({"bold": True, "font_size": 14})
    date_f = wb.add_format({"num_format": "yyyy-mm-dd"})
    num_f = wb.add_format({"num_format": "0.00"})
    ws.write(0, 0, "监测记录（请在表格中填写）", title)
    ws.set_column(0, 0, 12, date_f)
    ws.set_column(1, 1, 10, num_f)
    ws.set_column(2, 2, 16)
    data = [[dt.date(2026, 1, 5 + i), 90.5 + i, f"V00{i}"] for i in range(rows)]
    cols = [{"header": "日期", "format": date_f}, {"header": "实际值", "format": num_f}, {"header": "供应商编号"}]
    if with_formula:
        cols.append({"header": "两倍", "formula": "=[@实际值]*2"})
        for r in data:
            r.append(None)
    options: dict[str, object] = {"name": "records", "columns": cols}
    if data:
        options["data"] = data
    ws.add_table(1, 0, 1 + max(rows, 1), len(cols) - 1, options)
    ws.data_validation(2, 2, 1000, 2, {"validate": "list", "source": ["V000", "V001", "V002"]})
    ws.freeze_panes(2, 0)
    wb.close()
    if merges:  # one over the title (kept), one over data rows (HR's mistake, dropped with the old rows)
        files = parts(path)
        sheet = files["xl/worksheets/sheet1.xml"].decode()
        files["xl/worksheets/sheet1.xml"] = sheet.replace(
            "</sheetData>", '</sheetData><mergeCells count="2"><mergeCell ref="A1:C1"/><mergeCell ref="B4:C4"/>'
            "</mergeCells>", 1).encode()
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, blob in files.items():
                z.writestr(name, blob)
    return path


def results_frame(n: int = 6) -> pd.DataFrame:
    totals = [95.5, 88.25, 80.07, 72.0, 59.99, 0.0][:n]
    return pd.DataFrame({
        "period_id": ["2026-01"] * n, "level": ["worker"] * n, "vendor_id": ["V001"] * n,
        "vendor_name": ["甲公司 & 乙"] * n, "worker_id": [f"W{i:03d}" for i in range(1, n + 1)],
        "worker_name": ["张三", "李四", "王五", "赵六", "钱七", "孙八"][:n], "total": totals,
        "dim:质量": [96.0, 90.0, 76.25, 70.0, 55.0, np.nan][:n], "dim:效率": [95.0, 86.0, 85.8, 75.0, 66.0, 0.0][:n],
        "grade": ["S", "A", "B", "C", "D", "D"][:n], "rank": list(range(1, n + 1)), "rank_of": [n] * n,
        "vetoed": [False, False, False, False, False, True][:n], "completeness": [1.0, 1.0, 1.0, 0.75, 1.0, 1.0][:n],
        "bonus": [2000.0, 1500.0, 1000.0, 500.0, 0.0, 0.0][:n], "fee_adjust": [np.nan] * n,
        "action": ["", "", "", "", "约谈", "退场"][:n],
        "explanation": ["总分 = 质量 96.00×60% + 效率 95.00×40%"] * (n - 1) + ["一票否决：安全事故 (S1)"],
    })


def blocks(lang: str = "zh") -> list[OutputBlock]:
    """A results, scores, warnings, findings and run-log block, as the jobs would write them."""
    scores = pd.DataFrame({
        "period_id": ["2026-01", "2026-01"], "level": ["worker", "worker"], "vendor_id": ["V001", "V001"],
        "worker_id": ["W001", "W002"], "indicator_id": ["Q1", "Q2"], "indicator_name": ["准确率", "投诉"],
        "dimension": ["质量", "质量"], "method": ["linear", "bands"], "actual": [96.5, 3.0], "score": [81.25, 40.0],
        "weight": [50.0, 50.0], "overall_weight": [30.0, 30.0], "weighted": [24.375, 12.0],
        "explanation": ["实际 96.5（底线 90，目标 98，挑战 100）→ 线性：100×(96.5−90)/(98−90) = 81.25 分", "区间 [0,60) → 40 分"],
    })
    warnings = pd.DataFrame({
        "period_id": ["2026-01"], "level": ["worker"], "vendor_id": ["V001"], "worker_id": ["W005"],
        "indicator_id": ["Q2"], "rule": ["low_score"], "severity": ["warning"], "message": ["Q2 得分 40 低于 60"],
    })
    findings = pd.DataFrame({
        "severity": ["error", "warning"], "code": ["value.not_number", "weights.sum"], "sheet": ["考核指标", "It's"],
        "cell": ["C7", ""], "table": ["indicators", "dimensions"], "field": ["weight", "weight"],
        "value": ["abc", "99.98"], "message": ["不是数字", "权重合计 99.98"], "hint": ["请填写数字", ""],
    })
    runlog = pd.DataFrame({
        "time": ["2026-02-01 09:00:00"], "command": ["recompute"], "periods": ["2026-01"], "fingerprint": ["abc123"],
        "subjects": [6], "scores": [2], "warnings": [1], "findings": [2], "duration_s": [0.42], "version": ["0.1.0"],
    })
    return [OutputBlock(outputs.results, results_frame(), lang), OutputBlock(outputs.scores, scores, lang),
            OutputBlock(outputs.warnings, warnings, lang), OutputBlock(outputs.findings, findings, lang),
            OutputBlock(outputs.runlog, runlog, lang)]


def odd_values_frame() -> pd.DataFrame:
    """Values that stress escaping and typing."""
    return pd.DataFrame({
        "message": ["a & b <c> \"d\"", "  leading and trailing  ", "ctrl\x01char", "literal _x0041_ text", "", None,
                    "多行\n文本"],
        "value": [1.5, np.nan, np.inf, 3, 1e-7, 12345678901.25, -0.0],
        "code": [CellError("#N/A"), True, dt.datetime(2026, 1, 2, 12, 30), dt.date(2026, 1, 2), 7, 2.5, "x"],
    })


# ----------------------------------------------------------------------------- the fidelity workbook
CUSTOM_UI = (
    '<customUI xmlns="http://schemas.microsoft.com/office/2009/07/customui"><ribbon><tabs>'
    '<tab id="xlperfTab" label="绩效"><group id="g1" label="xlperf"><button id="b1" label="重算" '
    'onAction="OnRecompute" size="large" imageMso="Calculator"/></group></tab></tabs></ribbon></customUI>'
)
PERSONS = (
    '<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments" '
    'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><person displayName="HR 王" '
    'id="{6B8E5E8C-1A5A-4F1E-9E44-2F6E0C7D1A01}" userId="hr@example.com" providerId="None"/></personList>'
)
THREADED = (
    '<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments" '
    'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><threadedComment ref="B2" '
    'dT="2026-01-10T09:00:00.00" personId="{6B8E5E8C-1A5A-4F1E-9E44-2F6E0C7D1A01}" '
    'id="{0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0}"><text>请核对这个数</text></threadedComment></ThreadedComments>'
)
CUSTOM_XML = '<xlperfNote xmlns="urn:example:hr"><owner>HR</owner><secret>only-hr</secret></xlperfNote>'
CUSTOM_XML_PROPS = (
    '<ds:datastoreItem ds:itemID="{11111111-2222-3333-4444-555555555555}" '
    'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs/></ds:datastoreItem>'
)
X14_DV = (
    '<ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    '<x14:dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1">'
    "<x14:formula1><xm:f>名单!$A$1:$A$3</xm:f></x14:formula1><xm:sqref>D2:D20</xm:sqref>"
    "</x14:dataValidation></x14:dataValidations></ext>"
)
PIVOT_CACHE = (
    f'<pivotCacheDefinition xmlns="{NS_MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'r:id="rId1" refreshOnLoad="0" recordCount="3"><cacheSource type="worksheet"><worksheetSource ref="A1:B4" sheet="数据"/>'
    '</cacheSource><cacheFields count="2"><cacheField name="供应商" numFmtId="0"><sharedItems count="2"><s v="V001"/>'
    '<s v="V002"/></sharedItems></cacheField><cacheField name="得分" numFmtId="0"><sharedItems containsSemiMixedTypes="0" '
    'containsString="0" containsNumber="1" minValue="70" maxValue="90"/></cacheField></cacheFields></pivotCacheDefinition>'
)
PIVOT_RECORDS = (
    f'<pivotCacheRecords xmlns="{NS_MAIN}" count="3"><r><x v="0"/><n v="90"/></r><r><x v="1"/><n v="70"/></r>'
    '<r><x v="0"/><n v="80"/></r></pivotCacheRecords>'
)
PIVOT_TABLE = (
    f'<pivotTableDefinition xmlns="{NS_MAIN}" name="透视表1" cacheId="7" dataCaption="值" applyNumberFormats="0" '
    'applyBorderFormats="0" applyFontFormats="0" applyPatternFormats="0" applyAlignmentFormats="0" '
    'applyWidthHeightFormats="1" updatedVersion="6" minRefreshableVersion="3" createdVersion="6" '
    'itemPrintTitles="1" indent="0" outline="1" outlineData="1">'
    '<location ref="A3:B6" firstHeaderRow="1" firstDataRow="1" firstDataCol="1"/>'
    '<pivotFields count="2"><pivotField axis="axisRow" showAll="0"><items count="3"><item x="0"/><item x="1"/>'
    '<item t="default"/></items></pivotField><pivotField dataField="1" showAll="0"/></pivotFields>'
    '<rowFields count="1"><field x="0"/></rowFields><rowItems count="3"><i><x/></i><i><x v="1"/></i><i t="grand"><x/></i>'
    '</rowItems><colItems count="1"><i/></colItems><dataFields count="1"><dataField name="求和项:得分" fld="1" '
    'baseField="0" baseItem="0"/></dataFields><pivotTableStyleInfo name="PivotStyleLight16" showRowHeaders="1" '
    'showColHeaders="1" showRowStripes="0" showColStripes="0" showLastColumn="1"/></pivotTableDefinition>'
)
SLICER_CACHE = (
    '<slicerCacheDefinition xmlns="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x" '
    'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" name="切片器_供应商" sourceName="供应商">'
    '<pivotTables><pivotTable tabId="3" name="透视表1"/></pivotTables><data><tabular pivotCacheId="7">'
    '<items count="2"><i x="0" s="1"/><i x="1" s="1"/></items></tabular></data></slicerCacheDefinition>'
)
SLICER = (
    '<slicers xmlns="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x xr10" '
    'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<slicer name="供应商" cache="切片器_供应商" caption="供应商" rowHeight="241300"/></slicers>'
)
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
EXTERNAL_LINK = (
    f'<externalLink xmlns="{NS_MAIN}"><externalBook xmlns:r="{RT}" r:id="rId1"><sheetNames>'
    '<sheetName val="上年"/></sheetNames><sheetDataSet><sheetData sheetId="0"><row r="1"><cell r="A1"><v>42</v>'
    "</cell></row></sheetData></sheetDataSet></externalBook></externalLink>"
)
CONNECTIONS = (
    f'<connections xmlns="{NS_MAIN}"><connection id="1" name="HR系统" type="1" refreshedVersion="6" '
    'background="1" saveData="1"><dbPr connection="DSN=hr;UID=reader" command="SELECT * FROM staff"/></connection>'
    "</connections>"
)


def _xml(s: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + s).encode("utf-8")


def _add_rel(rels: str, rid: str, rtype: str, target: str) -> str:
    return rels.replace("</Relationships>", f'<Relationship Id="{rid}" Type="{rtype}" Target="{target}"/></Relationships>')


def _add_override(ct: str, part: str, ctype: str) -> str:
    return ct.replace("</Types>", f'<Override PartName="{part}" ContentType="{ctype}"/></Types>')


def fidelity_book(path: Path) -> Path:
    """The workbook described in the module docstring, as ``path`` (.xlsm)."""
    base = path.with_name(path.stem + "-base.xlsm")
    vba = path.with_name("vbaProject.bin")
    vba.write_bytes(vba_project_bin())
    png = path.with_name("dot.png")
    png.write_bytes(tiny_png())
    wb = xlsxwriter.Workbook(str(base))
    wb.set_vba_name("ThisWorkbook")
    wb.add_vba_project(str(vba))
    wb.set_properties({"title": "绩效台账", "author": "HR", "company": "示例公司"})
    wb.set_custom_property("部门", "人力资源部")
    data = wb.add_worksheet("数据")
    data.set_vba_name("Sheet1")
    money = wb.add_format({"num_format": "¥#,##0.00", "bg_color": "#FFF2CC", "bold": True})
    data.write_row(0, 0, ["供应商", "得分", "日期", "名单"])
    for i, (v, s) in enumerate([("V001", 90), ("V002", 70), ("V001", 80)], start=1):
        data.write_row(i, 0, [v, s])
        data.write_datetime(i, 2, dt.datetime(2026, 1, i), wb.add_format({"num_format": "yyyy-mm-dd"}))
    data.write(5, 1, 12345.5, money)
    data.write_formula(6, 1, "=SUM(B2:B4)", None, 240)
    data.write_comment("B2", "经理批注：请核对", {"author": "HR 王"})
    data.data_validation("B2:B20", {"validate": "integer", "criteria": "between", "minimum": 0, "maximum": 100})
    data.conditional_format("B2:B4", {"type": "data_bar", "data_bar_2010": True})
    data.conditional_format("B2:B4", {"type": "cell", "criteria": "<", "value": 75, "format": money})
    data.add_sparkline("E2", {"range": "数据!B2:B4"})
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"name": "得分", "categories": "=数据!$A$2:$A$4", "values": "=数据!$B$2:$B$4"})
    data.insert_chart("G2", chart)
    data.insert_image("G18", str(png), {"description": "公司标志"})
    data.insert_textbox("K2", "这是文本框（形状）", {"width": 200, "height": 60})
    data.insert_button("K8", {"macro": "OnRecompute", "caption": "重算"})
    names = wb.add_worksheet("名单")
    names.set_vba_name("Sheet2")
    names.write_column(0, 0, ["V001", "V002", "V003"])
    names.hide()
    secret = wb.add_worksheet("机密")
    secret.set_vba_name("Sheet3")
    secret.write(0, 0, "very hidden")
    secret.very_hidden()
    pivot = wb.add_worksheet("透视")
    pivot.set_vba_name("Sheet4")
    pivot.write(0, 0, "透视表在下方")
    wb.define_name("税率", "=0.06")
    wb.define_name("得分区", "=数据!$B$2:$B$4")
    wb.define_name("名单!本地名", "=名单!$A$1")
    wb.close()
    _add_hand_parts(base, path)
    for p in (base, vba, png):
        p.unlink()
    return path


def _add_hand_parts(src: Path, dst: Path) -> None:
    with zipfile.ZipFile(src) as z:
        files = {n: z.read(n) for n in z.namelist()}
    ct = files["[Content_Types].xml"].decode()
    root_rels = files["_rels/.rels"].decode()
    wb_rels = files["xl/_rels/workbook.xml.rels"].decode()
    wb_xml = files["xl/workbook.xml"].decode()
    # customUI14 ribbon (the 2010 relationship type openpyxl drops)
    files["customUI/customUI14.xml"] = _xml(CUSTOM_UI)
    root_rels = _add_rel(root_rels, "rIdUI", "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility",
                         "customUI/customUI14.xml")
    # custom XML data store item
    files["customXml/item1.xml"] = _xml(CUSTOM_XML)
    files["customXml/itemProps1.xml"] = _xml(CUSTOM_XML_PROPS)
    files["customXml/_rels/item1.xml.rels"] = _xml(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{RT}/customXmlProps" Target="itemProps1.xml"/></Relationships>')
    ct = _add_override(ct, "/customXml/itemProps1.xml", "application/vnd.openxmlformats-officedocument.customXmlProperties+xml")
    wb_rels = _add_rel(wb_rels, "rIdCX", f"{RT}/customXml", "../customXml/item1.xml")
    # threaded comment + persons on 数据!B2 (which has the legacy note Excel pairs with it)
    files["xl/threadedComments/threadedComment1.xml"] = _xml(THREADED)
    files["xl/persons/person.xml"] = _xml(PERSONS)
    ct = _add_override(ct, "/xl/threadedComments/threadedComment1.xml", "application/vnd.ms-excel.threadedcomments+xml")
    ct = _add_override(ct, "/xl/persons/person.xml", "application/vnd.ms-excel.person+xml")
    wb_rels = _add_rel(wb_rels, "rIdPS", "http://schemas.microsoft.com/office/2017/10/relationships/person",
                       "persons/person.xml")
    s1_rels = files["xl/worksheets/_rels/sheet1.xml.rels"].decode()
    s1_rels = _add_rel(s1_rels, "rIdVM", f"{RT}/vmlDrawing", "../drawings/vmlDrawing101.vml")
    s1_rels = _add_rel(s1_rels, "rIdCM", f"{RT}/comments", "../comments101.xml")
    s1_rels = _add_rel(s1_rels, "rIdTC", "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment",
                       "../threadedComments/threadedComment1.xml")
    files["xl/worksheets/_rels/sheet1.xml.rels"] = s1_rels.encode()
    # x14 cross-sheet validation list, into the extLst xlsxwriter wrote (sparklines, data bars)
    s1 = files["xl/worksheets/sheet1.xml"].decode()
    assert "<extLst>" in s1
    files["xl/worksheets/sheet1.xml"] = s1.replace("<extLst>", "<extLst>" + X14_DV, 1).encode()
    # pivot table on 透视 (sheet4) with cache definition and records
    files["xl/pivotCache/pivotCacheDefinition1.xml"] = _xml(PIVOT_CACHE)
    files["xl/pivotCache/pivotCacheRecords1.xml"] = _xml(PIVOT_RECORDS)
    files["xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels"] = _xml(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{RT}/pivotCacheRecords" Target="pivotCacheRecords1.xml"/></Relationships>')
    files["xl/pivotTables/pivotTable1.xml"] = _xml(PIVOT_TABLE)
    files["xl/pivotTables/_rels/pivotTable1.xml.rels"] = _xml(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{RT}/pivotCacheDefinition" Target="../pivotCache/pivotCacheDefinition1.xml"/></Relationships>')
    sp = "application/vnd.openxmlformats-officedocument.spreadsheetml."
    ct = _add_override(ct, "/xl/pivotCache/pivotCacheDefinition1.xml", sp + "pivotCacheDefinition+xml")
    ct = _add_override(ct, "/xl/pivotCache/pivotCacheRecords1.xml", sp + "pivotCacheRecords+xml")
    ct = _add_override(ct, "/xl/pivotTables/pivotTable1.xml", sp + "pivotTable+xml")
    wb_rels = _add_rel(wb_rels, "rIdPC", f"{RT}/pivotCacheDefinition", "pivotCache/pivotCacheDefinition1.xml")
    # slicer (2010) on the pivot table: slicer cache from the workbook, slicer part from the sheet
    files["xl/slicerCaches/slicerCache1.xml"] = _xml(SLICER_CACHE)
    files["xl/slicers/slicer1.xml"] = _xml(SLICER)
    ct = _add_override(ct, "/xl/slicerCaches/slicerCache1.xml", "application/vnd.ms-excel.slicerCache+xml")
    ct = _add_override(ct, "/xl/slicers/slicer1.xml", "application/vnd.ms-excel.slicer+xml")
    wb_rels = _add_rel(wb_rels, "rIdSC", "http://schemas.microsoft.com/office/2007/relationships/slicerCache",
                       "slicerCaches/slicerCache1.xml")
    files["xl/worksheets/_rels/sheet4.xml.rels"] = _xml(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{RT}/pivotTable" Target="../pivotTables/pivotTable1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.microsoft.com/office/2007/relationships/slicer" '
        'Target="../slicers/slicer1.xml"/></Relationships>')
    s4 = files["xl/worksheets/sheet4.xml"].decode()
    files["xl/worksheets/sheet4.xml"] = s4.replace("</worksheet>", (
        '<extLst><ext uri="{A8765BA9-456A-4dab-B4F3-ACF838C121DE}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:slicerList>'
        '<x14:slicer r:id="rId2"/></x14:slicerList></ext></extLst></worksheet>')).encode()
    wb_xml = wb_xml.replace("</workbook>", (
        '<pivotCaches><pivotCache cacheId="7" r:id="rIdPC"/></pivotCaches><extLst>'
        '<ext uri="{BBE1A952-AA13-448e-AADC-164F8A28A991}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:slicerCaches>'
        '<x14:slicerCache r:id="rIdSC"/></x14:slicerCaches></ext></extLst></workbook>'))
    # an external link (with its cached value), data connections and printer settings
    files["xl/externalLinks/externalLink1.xml"] = _xml(EXTERNAL_LINK)
    files["xl/externalLinks/_rels/externalLink1.xml.rels"] = _xml(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{RT}/externalLinkPath" Target="file:///C:/HR/%E5%8E%86%E5%8F%B2.xlsx" TargetMode="External"/>'
        "</Relationships>")
    ct = _add_override(ct, "/xl/externalLinks/externalLink1.xml", sp + "externalLink+xml")
    wb_rels = _add_rel(wb_rels, "rIdEL", f"{RT}/externalLink", "externalLinks/externalLink1.xml")
    assert "<definedNames>" in wb_xml
    wb_xml = wb_xml.replace("<definedNames>", '<externalReferences><externalReference r:id="rIdEL"/>'
                            "</externalReferences><definedNames>", 1)
    files["xl/connections.xml"] = _xml(CONNECTIONS)
    ct = _add_override(ct, "/xl/connections.xml", sp + "connections+xml")
    wb_rels = _add_rel(wb_rels, "rIdCN", f"{RT}/connections", "connections.xml")
    files["xl/printerSettings/printerSettings1.bin"] = bytes(range(256)) * 4
    ct = ct.replace("</Types>", '<Default Extension="bin" ContentType="application/vnd.openxmlformats-'
                    'officedocument.spreadsheetml.printerSettings"/></Types>') if 'Extension="bin"' not in ct else ct
    ct = _add_override(ct, "/xl/printerSettings/printerSettings1.bin",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings")
    s1_rels = files["xl/worksheets/_rels/sheet1.xml.rels"].decode()
    files["xl/worksheets/_rels/sheet1.xml.rels"] = _add_rel(
        s1_rels, "rIdPS", f"{RT}/printerSettings", "../printerSettings/printerSettings1.bin").encode()
    files["xl/workbook.xml"] = wb_xml.encode()
    files["[Content_Types].xml"] = ct.encode()
    files["_rels/.rels"] = root_rels.encode()
    files["xl/_rels/workbook.xml.rels"] = wb_rels.encode()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in files.items():
            z.writestr(name, blob)


# ----------------------------------------------------------------------------- user content on any book
GRAFT_SHEETS = ("HR备注", "HR透视")


def _graft_source(folder: Path) -> dict[str, bytes]:
    """An xlsxwriter book with the user content, written with inline strings and no cell formats, so
    its sheets can be moved into another package without its string table or styles."""
    src = folder / "graft-src.xlsx"
    png = folder / "graft.png"
    png.write_bytes(tiny_png())
    wb = xlsxwriter.Workbook(str(src), {"constant_memory": True})
    ws = wb.add_worksheet(GRAFT_SHEETS[0])
    ws.write_row(0, 0, ["供应商", "得分", "备注"])
    for i, (v, s) in enumerate([("V001", 90), ("V002", 70), ("V001", 80)], start=1):
        ws.write_row(i, 0, [v, s, f"HR 手记 {i}"])
    ws.write_formula(5, 1, "=SUM(B2:B4)", None, 240)
    ws.data_validation("B2:B20", {"validate": "integer", "criteria": "between", "minimum": 0, "maximum": 100})
    ws.conditional_format("B2:B4", {"type": "data_bar", "data_bar_2010": True})
    ws.add_sparkline("E2", {"range": f"{GRAFT_SHEETS[0]}!B2:B4"})
    chart = wb.add_chart({"type": "line"})
    chart.add_series({"name": "得分", "categories": f"={GRAFT_SHEETS[0]}!$A$2:$A$4",
                      "values": f"={GRAFT_SHEETS[0]}!$B$2:$B$4"})
    ws.insert_chart("G2", chart)
    ws.insert_image("G18", str(png), {"description": "公司标志"})
    ws.insert_textbox("K2", "HR 的说明框", {"width": 200, "height": 60})
    pv = wb.add_worksheet(GRAFT_SHEETS[1])
    pv.write(0, 0, "透视表在下方")
    wb.close()
    out = parts(src)
    # notes are not written in constant-memory mode: take the note parts (self-contained) from a
    # normal build of the same sheet
    wb = xlsxwriter.Workbook(str(src))
    wb.add_worksheet(GRAFT_SHEETS[0]).write_comment("B2", "经理批注：请核对", {"author": "HR 王"})
    wb.close()
    notes = parts(src)
    out["xl/comments1.xml"] = notes["xl/comments1.xml"]
    out["xl/drawings/vmlDrawing1.vml"] = notes["xl/drawings/vmlDrawing1.vml"]
    src.unlink()
    png.unlink()
    return out


def graft_user_content(book: Path) -> list[str]:
    """Add to an existing workbook (the demo) what HR adds by hand: a sheet with a chart, an image, a
    text box, a note (VML), a threaded comment, validation (classic and x14), a 2010 data bar and a
    sparkline; a pivot table with cache and records and a slicer on a second sheet; a defined
    constant and custom XML. Returns the names of the parts added (all must survive every job)."""
    src = _graft_source(book.parent)
    with zipfile.ZipFile(book) as z:
        files = {n: z.read(n) for n in z.namelist()}
    rename = {
        "xl/worksheets/sheet1.xml": "xl/worksheets/sheet101.xml",
        "xl/worksheets/sheet2.xml": "xl/worksheets/sheet102.xml",
        "xl/drawings/drawing1.xml": "xl/drawings/drawing101.xml",
        "xl/drawings/_rels/drawing1.xml.rels": "xl/drawings/_rels/drawing101.xml.rels",
        "xl/drawings/vmlDrawing1.vml": "xl/drawings/vmlDrawing101.vml",
        "xl/comments1.xml": "xl/comments101.xml",
        "xl/charts/chart1.xml": "xl/charts/chart101.xml",
        "xl/media/image1.png": "xl/media/image101.png",
    }
    assert not set(rename.values()) & set(files)

    def retarget(rels: bytes) -> bytes:
        text = rels.decode()
        for old, new in (("drawing1.xml", "drawing101.xml"), ("vmlDrawing1.vml", "vmlDrawing101.vml"),
                         ("comments1.xml", "comments101.xml"), ("chart1.xml", "chart101.xml"),
                         ("image1.png", "image101.png")):
            text = text.replace(f"/{old}\"", f"/{new}\"")
        return text.encode()

    added: dict[str, bytes] = {new: src[old] for old, new in rename.items()}
    added["xl/drawings/_rels/drawing101.xml.rels"] = retarget(src["xl/drawings/_rels/drawing1.xml.rels"])
    s1_rels = retarget(src["xl/worksheets/_rels/sheet1.xml.rels"]).decode()
    s1_rels = _add_rel(s1_rels, "rIdVM", f"{RT}/vmlDrawing", "../drawings/vmlDrawing101.vml")
    s1_rels = _add_rel(s1_rels, "rIdCM", f"{RT}/comments", "../comments101.xml")
    s1_rels = _add_rel(s1_rels, "rIdTC", "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment",
                       "../threadedComments/threadedComment101.xml")
    added["xl/worksheets/_rels/sheet101.xml.rels"] = s1_rels.encode()
    s1 = added["xl/worksheets/sheet101.xml"].decode()
    assert "<extLst>" in s1 and ' s="' not in s1 and '<drawing r:id="rId1"/>' in s1
    s1 = s1.replace('<drawing r:id="rId1"/>', '<drawing r:id="rId1"/><legacyDrawing r:id="rIdVM"/>')
    added["xl/worksheets/sheet101.xml"] = s1.replace("<extLst>", "<extLst>" + X14_DV.replace("名单!$A$1:$A$3", f"{GRAFT_SHEETS[0]}!$A$2:$A$4"), 1).encode()
    added["xl/threadedComments/threadedComment101.xml"] = _xml(THREADED)
    added["xl/persons/person.xml"] = _xml(PERSONS)
    added["customXml/item101.xml"] = _xml(CUSTOM_XML)
    added["customXml/itemProps101.xml"] = _xml(CUSTOM_XML_PROPS)
    added["customXml/_rels/item101.xml.rels"] = _xml(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{RT}/customXmlProps" Target="itemProps101.xml"/></Relationships>')
    added["xl/pivotCache/pivotCacheDefinition101.xml"] = _xml(PIVOT_CACHE.replace('sheet="数据"', f'sheet="{GRAFT_SHEETS[0]}"'))
    added["xl/pivotCache/pivotCacheRecords101.xml"] = _xml(PIVOT_RECORDS)
    added["xl/pivotCache/_rels/pivotCacheDefinition101.xml.rels"] = _xml(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{RT}/pivotCacheRecords" Target="pivotCacheRecords101.xml"/></Relationships>')
    added["xl/pivotTables/pivotTable101.xml"] = _xml(PIVOT_TABLE)
    added["xl/pivotTables/_rels/pivotTable101.xml.rels"] = _xml(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{RT}/pivotCacheDefinition" Target="../pivotCache/pivotCacheDefinition101.xml"/></Relationships>')
    added["xl/slicerCaches/slicerCache101.xml"] = _xml(SLICER_CACHE)
    added["xl/slicers/slicer101.xml"] = _xml(SLICER)
    added["xl/worksheets/_rels/sheet102.xml.rels"] = _xml(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{RT}/pivotTable" Target="../pivotTables/pivotTable101.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.microsoft.com/office/2007/relationships/slicer" '
        'Target="../slicers/slicer101.xml"/></Relationships>')
    s2 = added["xl/worksheets/sheet102.xml"].decode()
    added["xl/worksheets/sheet102.xml"] = s2.replace("</worksheet>", (
        '<extLst><ext uri="{A8765BA9-456A-4dab-B4F3-ACF838C121DE}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:slicerList>'
        '<x14:slicer r:id="rId2"/></x14:slicerList></ext></extLst></worksheet>')).encode()

    ct = files["[Content_Types].xml"].decode()
    sp = "application/vnd.openxmlformats-officedocument."
    for part, ctype in (("/xl/worksheets/sheet101.xml", sp + "spreadsheetml.worksheet+xml"),
                        ("/xl/worksheets/sheet102.xml", sp + "spreadsheetml.worksheet+xml"),
                        ("/xl/drawings/drawing101.xml", sp + "drawing+xml"),
                        ("/xl/charts/chart101.xml", sp + "drawingml.chart+xml"),
                        ("/xl/comments101.xml", sp + "spreadsheetml.comments+xml"),
                        ("/xl/drawings/vmlDrawing101.vml", sp + "vmlDrawing"),
                        ("/xl/media/image101.png", "image/png"),
                        ("/xl/threadedComments/threadedComment101.xml", "application/vnd.ms-excel.threadedcomments+xml"),
                        ("/xl/persons/person.xml", "application/vnd.ms-excel.person+xml"),
                        ("/customXml/itemProps101.xml", sp + "customXmlProperties+xml"),
                        ("/xl/pivotCache/pivotCacheDefinition101.xml", sp + "spreadsheetml.pivotCacheDefinition+xml"),
                        ("/xl/pivotCache/pivotCacheRecords101.xml", sp + "spreadsheetml.pivotCacheRecords+xml"),
                        ("/xl/pivotTables/pivotTable101.xml", sp + "spreadsheetml.pivotTable+xml"),
                        ("/xl/slicerCaches/slicerCache101.xml", "application/vnd.ms-excel.slicerCache+xml"),
                        ("/xl/slicers/slicer101.xml", "application/vnd.ms-excel.slicer+xml")):
        ct = _add_override(ct, part, ctype)
    wb_rels = files["xl/_rels/workbook.xml.rels"].decode()
    for rid, rtype, target in (
            ("rIdU1", f"{RT}/worksheet", "worksheets/sheet101.xml"),
            ("rIdU2", f"{RT}/worksheet", "worksheets/sheet102.xml"),
            ("rIdU3", "http://schemas.microsoft.com/office/2017/10/relationships/person", "persons/person.xml"),
            ("rIdU4", f"{RT}/customXml", "../customXml/item101.xml"),
            ("rIdU5", f"{RT}/pivotCacheDefinition", "pivotCache/pivotCacheDefinition101.xml"),
            ("rIdU6", "http://schemas.microsoft.com/office/2007/relationships/slicerCache",
             "slicerCaches/slicerCache101.xml")):
        wb_rels = _add_rel(wb_rels, rid, rtype, target)
    wb = files["xl/workbook.xml"].decode()
    ids = [int(x) for x in __import__("re").findall(r'sheetId="(\d+)"', wb)]
    r_ns = f'xmlns:r="{RT}"'
    wb = wb.replace("</sheets>", (
        f'<sheet {r_ns} name="{GRAFT_SHEETS[0]}" sheetId="{max(ids) + 1}" r:id="rIdU1"/>'
        f'<sheet {r_ns} name="{GRAFT_SHEETS[1]}" sheetId="{max(ids) + 2}" r:id="rIdU2"/></sheets>'))
    assert "<definedNames>" in wb and "<extLst" not in wb
    wb = wb.replace("<definedNames>", '<definedNames><definedName name="税率">0.06</definedName>', 1)
    wb = wb.replace("</workbook>", (
        f'<pivotCaches><pivotCache {r_ns} cacheId="7" r:id="rIdU5"/></pivotCaches><extLst>'
        '<ext uri="{BBE1A952-AA13-448e-AADC-164F8A28A991}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:slicerCaches>'
        f'<x14:slicerCache {r_ns} r:id="rIdU6"/></x14:slicerCaches></ext></extLst></workbook>'))
    files.update(added)
    files["[Content_Types].xml"] = ct.encode()
    files["xl/_rels/workbook.xml.rels"] = wb_rels.encode()
    files["xl/workbook.xml"] = wb.encode()
    tmp = book.with_suffix(".grafting")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in files.items():
            z.writestr(name, blob)
    tmp.replace(book)
    return sorted(added)
