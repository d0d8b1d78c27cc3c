"""Reading the prototype and earlier feedback sheets out of a workbook package, and writing feedback
sheets back as worksheet XML that reuses the prototype's own style indexes.

Because a feedback sheet's cells carry the ``s`` index of the prototype cell they came from, they look
exactly like the prototype HR styled, with no change to ``styles.xml``.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from io import BytesIO
from typing import Any

from lxml import etree
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import UsageError
from ..io.package import RT_DRAWING, Package, Part, Rel
from ..io.sheetxml import cell_xml, esc, esc_attr
from . import charts, layout
from .fill import Rendered
from .fit import CellLook
from .prototype import Prototype, default_prototype_workbook

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
RT_SHARED = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
RT_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
RT_THEME = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"


def _cell_pos(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", ref)
    if not m:
        raise ValueError(ref)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def _range(ref: str) -> tuple[int, int, int, int]:
    a, _, b = ref.partition(":")
    r1, c1 = _cell_pos(a)
    r2, c2 = _cell_pos(b or a)
    return r1, c1, r2, c2


def shared_strings(pkg: Package) -> list[str]:
    rel = next((r for r in pkg.rels_of(pkg.workbook_part) if r.type == RT_SHARED and not r.external), None)
    if rel is None or not pkg.has(rel.target):
        return []
    root = etree.fromstring(pkg.read(rel.target), _PARSER)
    return ["".join(si.itertext()) for si in root.iter(f"{NS}si")]


def _text_of(el: Any) -> str:
    return "".join(t.text or "" for t in el.iter(f"{NS}t"))


class SheetGrid:
    """Values, style indexes, merges, row heights and layout elements of one existing sheet."""

    def __init__(self, xml: bytes, strings: list[str]) -> None:
        root = etree.fromstring(xml, _PARSER)
        self.values: dict[tuple[int, int], Any] = {}
        self.styles: dict[tuple[int, int], int] = {}
        self.heights: dict[int, float] = {}
        self.merges: list[tuple[int, int, int, int]] = []
        cols = root.find(f"{NS}cols")
        self.cols_xml = etree.tostring(cols, encoding="unicode") if cols is not None else ""
        self.cols_xml = re.sub(r'\sxmlns(:\w+)?="[^"]*"', "", self.cols_xml)
        self.col_widths: dict[int, float] = {}
        if cols is not None:
            for col in cols.iter(f"{NS}col"):
                for i in range(int(col.get("min", "1")), int(col.get("max", "1")) + 1):
                    if col.get("width"):
                        self.col_widths[i] = float(col.get("width", "9"))
        views = root.find(f"{NS}sheetViews")
        self.show_grid = not (views is not None and any(v.get("showGridLines") in ("0", "false")
                                                        for v in views.iter(f"{NS}sheetView")))
        setup = root.find(f"{NS}pageSetup")
        self.page_setup = {k: v for k, v in (setup.attrib.items() if setup is not None else [])
                           if k in ("paperSize", "orientation", "fitToWidth", "fitToHeight", "scale")}
        pr = root.find(f"{NS}sheetPr")
        fit = pr.find(f"{NS}pageSetUpPr") if pr is not None else None
        self.fit_to_page = fit is not None and fit.get("fitToPage") in ("1", "true")
        tab = pr.find(f"{NS}tabColor") if pr is not None else None
        self.tab_color = tab.get("rgb") if tab is not None else None
        hf = root.find(f"{NS}headerFooter")  # HR's own header and footer, kept on the sheets it prints
        self.header_footer_xml = (re.sub(r'\sxmlns(:\w+)?="[^"]*"', "", etree.tostring(hf, encoding="unicode"))
                                  if hf is not None and len(hf) else "")
        self.col_attrs: list[tuple[int, int, dict[str, str]]] = (
            [(int(c.get("min", "1")), int(c.get("max", "1")), dict(c.attrib)) for c in cols.iter(f"{NS}col")]
            if cols is not None else [])
        for row in root.iter(f"{NS}row"):
            r = int(row.get("r", "0"))
            if row.get("ht") and row.get("customHeight") in ("1", "true"):
                self.heights[r] = float(row.get("ht", "15"))
            for c in row.iter(f"{NS}c"):
                rr, cc = _cell_pos(c.get("r", "A1"))
                self.styles[(rr, cc)] = int(c.get("s", "0"))
                t = c.get("t", "n")
                v = c.find(f"{NS}v")
                if t == "s" and v is not None and v.text is not None:
                    idx = int(v.text)
                    self.values[(rr, cc)] = strings[idx] if idx < len(strings) else ""
                elif t == "inlineStr":
                    is_ = c.find(f"{NS}is")
                    self.values[(rr, cc)] = _text_of(is_) if is_ is not None else ""
                elif t in ("str", "e") and v is not None:
                    self.values[(rr, cc)] = v.text or ""
                elif t == "b" and v is not None:
                    self.values[(rr, cc)] = v.text == "1"
                elif v is not None and v.text is not None:
                    try:
                        f = float(v.text)
                        self.values[(rr, cc)] = int(f) if f.is_integer() and "." not in v.text else f
                    except ValueError:
                        self.values[(rr, cc)] = v.text
        for m in root.iter(f"{NS}mergeCell"):
            self.merges.append(_range(m.get("ref", "A1")))


def read_grid(pkg: Package, sheet: str, strings: list[str] | None = None) -> SheetGrid | None:
    info = pkg.sheet(sheet)
    if info is None or not info.part:
        return None
    return SheetGrid(pkg.read(info.part), strings if strings is not None else shared_strings(pkg))


def find_prototype(pkg: Package, lang: str) -> str | None:
    names = [s.name for s in pkg.sheets()]
    for candidate in (layout.prototype_name(lang), layout.PROTOTYPE_ZH, layout.PROTOTYPE_EN):
        if candidate in names:
            return candidate
    return None


def book_prototype(pkg: Package, lang: str) -> tuple[Prototype, SheetGrid]:
    """The workbook's prototype sheet, with its cells' own style indexes."""
    name = find_prototype(pkg, lang)
    if name is None:
        raise UsageError(
            f"工作簿中没有“{layout.PROTOTYPE_ZH}”工作表（反馈表的版式）。请用 xlperf template 生成的模板，"
            "或从新模板中复制该工作表。",
            f"The workbook has no '{layout.PROTOTYPE_EN}' sheet (the feedback layout). Use a template made by "
            "xlperf template, or copy that sheet from a new template.")
    grid = read_grid(pkg, name)
    assert grid is not None
    values: dict[tuple[int, int], Any] = {k: None for k in grid.styles}  # styled empty cells keep their look
    values.update({k: v for k, v in grid.values.items() if v is not None and v != ""})
    xf = xf_looks(pkg)
    looks = {k: xf[s] for k, s in grid.styles.items() if 0 <= s < len(xf)}
    return Prototype(name, values, grid.merges, grid.heights, grid.styles, grid.col_widths, looks), grid


_BUILTIN_FORMATS = {1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%"}


def xf_looks(pkg: Package) -> list[CellLook]:
    """Per cell format of styles.xml (the ``s`` index): wrap, font size and bold, number format."""
    rel = next((r for r in pkg.rels_of(pkg.workbook_part) if r.type == RT_STYLES and not r.external), None)
    if rel is None or not pkg.has(rel.target):
        return []
    root = etree.fromstring(pkg.read(rel.target), _PARSER)
    formats = dict(_BUILTIN_FORMATS)
    for nf in root.iter(f"{NS}numFmt"):
        formats[int(nf.get("numFmtId", "0"))] = nf.get("formatCode", "General")
    fonts: list[tuple[float, bool]] = []
    fonts_el = root.find(f"{NS}fonts")
    for font in fonts_el.findall(f"{NS}font") if fonts_el is not None else []:
        sz, b = font.find(f"{NS}sz"), font.find(f"{NS}b")
        fonts.append((float(sz.get("val", "11")) if sz is not None else 11.0,
                      b is not None and b.get("val", "1") not in ("0", "false")))
    out: list[CellLook] = []
    xfs = root.find(f"{NS}cellXfs")
    for xf in xfs.findall(f"{NS}xf") if xfs is not None else []:
        fid = int(xf.get("fontId", "0"))
        size, bold = fonts[fid] if 0 <= fid < len(fonts) else (11.0, False)
        al = xf.find(f"{NS}alignment")
        wrap = al is not None and al.get("wrapText") in ("1", "true")
        out.append(CellLook(wrap, size, bold, formats.get(int(xf.get("numFmtId", "0")))))
    return out


def _own_strings(sheet_xml: bytes, strings: list[str]) -> bytes:
    """The sheet with its shared-string cells turned into inline strings, so the book's string table
    (which holds every vendor's names) never travels with the prototype."""
    root = etree.fromstring(sheet_xml, _PARSER)
    for c in root.iter(f"{NS}c"):
        if c.get("t") != "s":
            continue
        v = c.find(f"{NS}v")
        idx = int(v.text) if v is not None and v.text else -1
        if v is not None:
            c.remove(v)
        c.set("t", "inlineStr")
        is_ = etree.SubElement(c, f"{NS}is")
        t = etree.SubElement(is_, f"{NS}t")
        t.text = strings[idx] if 0 <= idx < len(strings) else ""
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    out: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return out


def prototype_package(pkg: Package | None, lang: str) -> bytes:
    """The prototype alone as a small .xlsx (for building packs from scratch with its styles).

    Only the prototype sheet (its strings inlined), the styles and the theme are lifted out of the
    book, so the book's other sheets and string table (other vendors' data) never enter a pack.
    A book without a prototype gets the default one.
    """
    name = find_prototype(pkg, lang) if pkg is not None else None
    if pkg is None or name is None:
        buf = BytesIO()
        default_prototype_workbook(lang)[0].save(buf)
        return buf.getvalue()
    info = pkg.sheet(name)
    assert info is not None
    rels = pkg.rels_of(pkg.workbook_part)
    styles = next((r.target for r in rels if r.type == RT_STYLES and not r.external), None)
    theme = next((r.target for r in rels if r.type == RT_THEME and not r.external), None)
    sheet_xml = _own_strings(pkg.read(info.part), shared_strings(pkg)).decode("utf-8")
    # drop what points at parts we do not carry over (drawings, tables, comments, hyperlinks)
    for tag in ("drawing", "legacyDrawing", "legacyDrawingHF", "picture", "tableParts", "hyperlinks",
                "oleObjects", "controls", "extLst"):
        sheet_xml = re.sub(rf"<(\w+:)?{tag}\b[^>]*/>|<(\w+:)?{tag}\b.*?</(\w+:)?{tag}>", "", sheet_xml, flags=re.DOTALL)
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            + ('<Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>' if theme else "")
            + "</Types>").encode(),
        "_rels/.rels": charts.rels_xml([("rId1", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument", "xl/workbook.xml")]),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'xmlns:r="{charts.R_NS}"><sheets><sheet name="{esc(name)}" sheetId="1" r:id="rId1"/></sheets></workbook>').encode(),
        "xl/_rels/workbook.xml.rels": charts.rels_xml(
            [("rId1", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet", "worksheets/sheet1.xml")]
            + ([("rId2", RT_STYLES, "styles.xml")] if styles else [])
            + ([("rId3", RT_THEME, "theme/theme1.xml")] if theme else [])),
        "xl/worksheets/sheet1.xml": sheet_xml.encode("utf-8"),
    }
    if styles:
        files["xl/styles.xml"] = pkg.read(styles)
    if theme:
        files["xl/theme/theme1.xml"] = pkg.read(theme)
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n, data in files.items():
            z.writestr(n, data)
    return buf.getvalue()


def prototype_worksheet(pkg: Package | None, lang: str) -> Worksheet:
    """The prototype as an openpyxl sheet with its styles."""
    return load_workbook(BytesIO(prototype_package(pkg, lang))).worksheets[0]


def page_footer_xml(lang: str) -> str:
    """A footer with the page number and the page count, centred (Excel's &P and &N codes)."""
    text = "第 &P 页，共 &N 页" if lang == "zh" else "Page &P of &N"
    return f"<headerFooter><oddFooter>{esc('&C' + text)}</oddFooter></headerFooter>"


def fitted_cols_xml(grid: SheetGrid, widths: dict[int, float]) -> str:
    """The prototype's ``<cols>`` with the widths fitted to this sheet's values (other attributes kept)."""
    if not widths:
        return grid.cols_xml
    top = max(widths)
    out: list[tuple[int, int, dict[str, str]]] = []
    covered: set[int] = set()
    for mn, mx, attrs in grid.col_attrs:
        for i in range(mn, min(mx, top) + 1):
            out.append((i, i, dict(attrs, width=f"{widths.get(i, float(attrs.get('width', '9'))):g}",
                                   customWidth="1")))
            covered.add(i)
        if mx > top:
            out.append((max(mn, top + 1), mx, attrs))
    for i, w in widths.items():
        if i not in covered:
            out.append((i, i, {"width": f"{w:g}", "customWidth": "1"}))
    items = []
    for mn, mx, attrs in sorted(out, key=lambda t: t[0]):
        rest = "".join(f' {k}="{esc_attr(v)}"' for k, v in attrs.items() if k not in ("min", "max"))
        items.append(f'<col min="{mn}" max="{mx}"{rest}/>')
    return f"<cols>{''.join(items)}</cols>"


def rendered_sheet_xml(rendered: Rendered, styles: dict[tuple[int, int], int], proto_grid: SheetGrid,
                       drawing_rid: str | None, *, landscape: bool = False, lang: str = "zh") -> bytes:
    """Worksheet XML of a rendered feedback sheet, each cell in its prototype cell's style."""
    rows: dict[int, list[str]] = {}
    for oc in sorted(rendered.cells, key=lambda c: (c.row, c.col)):
        s = styles.get(oc.src, 0)
        ref = f"{get_column_letter(oc.col)}{oc.row}"
        xml = cell_xml(ref, oc.value, s) or f'<c r="{ref}" s="{s}"/>'
        rows.setdefault(oc.row, []).append(xml)
    # cells covered by merges keep the look of the prototype cells they came from (borders of boxes)
    body = []
    last_row = max(rows, default=1)
    for r in range(1, last_row + 1):
        ht = rendered.row_heights.get(r)
        attrs = f' ht="{ht}" customHeight="1"' if ht else ""
        if r in rows or ht:
            body.append(f'<row r="{r}"{attrs}>' + "".join(rows.get(r, [])) + "</row>")
    max_col = max((c.col for c in rendered.cells), default=1)
    merges = "".join(f'<mergeCell ref="{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"/>'
                     for r1, c1, r2, c2 in rendered.merges)
    merge_xml = f'<mergeCells count="{len(rendered.merges)}">{merges}</mergeCells>' if rendered.merges else ""
    pr_parts = []
    if proto_grid.tab_color:
        pr_parts.append(f'<tabColor rgb="{proto_grid.tab_color}"/>')
    if proto_grid.fit_to_page:
        pr_parts.append('<pageSetUpPr fitToPage="1"/>')
    pr = f"<sheetPr>{''.join(pr_parts)}</sheetPr>" if pr_parts else ""
    grid_attr = ' showGridLines="0"' if not proto_grid.show_grid else ""
    page = dict(proto_grid.page_setup)
    if landscape:  # the summary's tables and charts sit side by side
        page["orientation"] = "landscape"
    page.setdefault("paperSize", "9")  # A4
    setup = "".join(f' {k}="{esc(v)}"' for k, v in page.items())
    footer = proto_grid.header_footer_xml or page_footer_xml(lang)
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'xmlns:r="{charts.R_NS}">{pr}<dimension ref="A1:{get_column_letter(max_col)}{last_row}"/>'
        f'<sheetViews><sheetView{grid_attr} workbookViewId="0"/></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/>{fitted_cols_xml(proto_grid, rendered.col_widths)}'
        f'<sheetData>{"".join(body)}</sheetData>'
        f'{merge_xml}<printOptions horizontalCentered="1"/>'
        '<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
        + (f"<pageSetup{setup}/>" if setup else "") + footer
        + (f'<drawing r:id="{drawing_rid}"/>' if drawing_rid else "")
        + "</worksheet>")
    return xml.encode("utf-8")


def put_sheet_with_charts(pkg: Package, name: str, sheet_xml_of: Callable[[str | None], bytes],
                          chart_parts: list[tuple[bytes, tuple[int, int, int, int]]]) -> None:
    """Add or replace an xlperf sheet with its charts (all parts through the lossless writer)."""
    pkg.prepare_sheet(name)
    if not chart_parts:
        pkg.put_sheet(name, sheet_xml_of(None))
        return
    drawing = pkg.allocate("xl/drawings/drawing{n}.xml")
    anchors = []
    chart_rels = []
    parts: dict[str, Part] = {}
    for i, (xml, box) in enumerate(chart_parts, start=1):
        chart = pkg.allocate("xl/charts/chart{n}.xml")
        anchors.append((box, f"rId{i}", f"Chart {i}"))
        chart_rels.append(Rel(f"rId{i}", charts.CHART_REL, chart))
        parts[chart] = Part(xml, charts.CHART_CT)
    parts[drawing] = Part(charts.drawing_xml(anchors), charts.DRAWING_CT, tuple(chart_rels))
    pkg.put_sheet(name, sheet_xml_of("rId1"), rels=[Rel("rId1", RT_DRAWING, drawing)], parts=parts)
