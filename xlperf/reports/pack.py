"""A vendor pack: one .xlsx per vendor, built from scratch with only that vendor's data.

Never a stripped copy of the workbook (a copy keeps other vendors' data in caches, names, properties).
The package holds: the vendor's feedback sheet (laid out from the prototype, with its chart), the
published rules, the score check and results (live formulas, see ``pack_formulas``), its goals and
all its warnings of the period (``pack_warnings``; the feedback sheet lists only the top few).
No macros, hidden sheets, defined names (but each sheet's print titles), comments, external links or
document properties naming anyone; every sheet prints on A4 one page wide with its page numbers;
every sheet protected against accidental edits (no password). After building, the package is scanned
for every other vendor's identifiers (``leakscan``) and refused if any is found.
"""

from __future__ import annotations

import re
import zipfile
from copy import copy
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from ..engine.results import Results
from ..errors import WriteError
from ..i18n import pick
from ..inputs import Inputs
from ..io.fontorder import sdk_font_order_bytes
from . import charts, layout
from .feedback import feedback_data, num, text
from .fill import Rendered, render
from .fit import CellLook, Placed, fit_heights, fit_widths, needed_width, shown
from .pack_formulas import Grid, goals_grid, sheet_names, verify_grids
from .pack_warnings import warnings_grid, warnings_sheet_name
from .prototype import prototype_from_worksheet

FIXED_TIME = (2000, 1, 1, 0, 0, 0)  # zip member times: packs carry no trace of when or where they were made
CORE_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>')
APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    '<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity></Properties>')

_THIN = Side(style="thin", color="BFBFBF")
_GRID_STYLES: dict[str, dict[str, Any]] = {
    "title": {"font": Font(name="等线", size=14, bold=True, color="1F3864")},
    "note": {"font": Font(name="等线", size=9, italic=True, color="595959")},
    "header": {"font": Font(name="等线", size=10, bold=True), "fill": PatternFill("solid", fgColor="D9E1F2"),
               "border": Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN),
               "alignment": Alignment(horizontal="center", vertical="center", wrap_text=True)},
    "text": {"font": Font(name="等线", size=10), "border": Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)},
    # text longer than its column: wrapped inside the cell, the row made as tall as the lines need
    "wrap": {"font": Font(name="等线", size=10), "border": Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN),
             "alignment": Alignment(wrap_text=True)},  # bottom, like its neighbours: lines end on the row's line
    "num": {"font": Font(name="等线", size=10), "number_format": "0.00",
            "border": Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)},
    "int": {"font": Font(name="等线", size=10), "number_format": "0",
            "border": Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)},
    "pct": {"font": Font(name="等线", size=10), "number_format": "0%",
            "border": Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)},
    # the open ends of band lookups (±1e307) would print as ### in 0.00
    "sci": {"font": Font(name="等线", size=10), "number_format": "0.0E+00",
            "border": Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)},
}


@dataclass
class Pack:
    vendor_id: str
    vendor_name: str
    period: str
    filename: str
    data: bytes  # the plain package (before encryption)
    password: str | None = None
    sheet_names: list[str] = field(default_factory=list)

    @property
    def encrypted(self) -> bool:
        return bool(self.password)


def pack_filename(vendor_id: str, vendor_name: str, period: str) -> str:
    safe = re.sub(r'[\\/:*?"<>|\s]+', "_", f"{vendor_id}_{vendor_name}_{period}").strip("_")
    return f"{safe}.xlsx"


class _StyleCache:
    """Style arrays registered once per look, then shared by every cell that has it (fast)."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.done: dict[Any, Any] = {}

    def grid(self, target: Any, key: str) -> None:
        if key not in self.done:
            for attr, value in _GRID_STYLES.get(key, _GRID_STYLES["text"]).items():
                setattr(target, attr, copy(value))
            self.done[key] = copy(target._style)
        else:
            target._style = copy(self.done[key])

    def same_book(self, target: Any, src: Any) -> None:
        target._style = copy(src._style)  # same workbook: the style array indexes are valid as they are

    def like(self, target: Any, src: Any) -> None:
        key = (src.row, src.column)
        if key not in self.done:
            if src.has_style:
                target.font = copy(src.font)
                target.fill = copy(src.fill)
                target.border = copy(src.border)
                target.alignment = copy(src.alignment)
                target.number_format = src.number_format
                target.protection = copy(src.protection)
            self.done[key] = copy(target._style)
        else:
            target._style = copy(self.done[key])


_GRID_LOOKS = {"header": CellLook(wrap=True, size=10, bold=True), "num": CellLook(size=10, num_fmt="0.00"),
               "int": CellLook(size=10, num_fmt="0"), "pct": CellLook(size=10, num_fmt="0%"),
               "text": CellLook(wrap=True, size=10)}


def _fit_grid(grid: Grid) -> tuple[dict[int, float], dict[int, float], set[tuple[int, int]]]:
    """Widths, row heights and the text cells to wrap, from what the grid's table cells hold (the
    title and note lines above the tables run across the sheet and are not measured)."""
    placed = []
    for (r, c), cell in grid.cells.items():
        look = _GRID_LOOKS.get(cell.style)
        if look is None:
            continue
        value = cell.cached if isinstance(cell.value, str) and cell.value.startswith("=") else cell.value
        big = isinstance(value, float) and abs(value) >= 1e12
        shown_text = shown(value, "0.0E+00" if big else look.num_fmt)
        if shown_text:
            placed.append(Placed(r, c, 1, shown_text, look))
    widths = fit_widths(placed, dict(grid.widths))
    wrapped = {(p.row, p.col) for p in placed if p.look.wrap and grid.cells[(p.row, p.col)].style == "text"
               and needed_width(p.text, p.look) > widths[p.col]}
    heights = fit_heights([p for p in placed if p.look.wrap], widths, {})
    return widths, heights, wrapped


def _print_setup(ws: Worksheet, lang: str, title_rows: tuple[int, int] | None) -> None:
    """A4, one page wide, the title rows on every page, page numbers in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    ws.oddFooter.center.text = pick(lang, "第 &P 页，共 &N 页", "Page &P of &N")


def _write_grid(ws: Worksheet, grid: Grid, cached: dict[str, Any], lang: str = "zh") -> None:
    styles = _StyleCache(ws)
    widths, heights, wrapped = _fit_grid(grid)
    for (r, c), cell in grid.cells.items():
        target = ws.cell(row=r, column=c, value=cell.value)
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cached[f"{get_column_letter(c)}{r}"] = cell.cached
        shown_value = cell.cached if isinstance(cell.value, str) and cell.value.startswith("=") else cell.value
        big = cell.style == "num" and isinstance(shown_value, float) and abs(shown_value) >= 1e12
        styles.grid(target, "wrap" if (r, c) in wrapped else "sci" if big else cell.style)
    for c, w in widths.items():
        ws.column_dimensions[get_column_letter(c)].width = w
    for r, h in heights.items():
        ws.row_dimensions[r].height = h
    if grid.freeze:
        ws.freeze_panes = grid.freeze
    # printed landscape, one page wide: a vendor checking by hand sees actual, rule and score together
    ws.page_setup.orientation = "landscape"
    head = int(grid.freeze[1:]) - 1 if grid.freeze and grid.freeze[1:].isdigit() else 0
    _print_setup(ws, lang, (1, head) if head >= 1 else None)


def _write_feedback(ws: Worksheet, proto_ws: Worksheet, rendered: Rendered, lang: str = "zh") -> None:
    styles = _StyleCache(ws)
    for oc in rendered.cells:
        target = ws.cell(row=oc.row, column=oc.col, value=oc.value)
        if isinstance(oc.value, str) and oc.value.startswith("=") and not oc.value.startswith("='"):
            target.data_type = "s"  # text that merely starts with "=" is not a formula
        src = proto_ws.cell(row=oc.src[0], column=oc.src[1])
        if src.parent.parent is ws.parent:
            styles.same_book(target, src)
        else:
            styles.like(target, src)
    for r1, c1, r2, c2 in rendered.merges:
        # the covered cells already carry the prototype's look, so openpyxl's per-merge re-styling
        # (slow: it rebuilds every border) is not needed
        ws.merged_cells.add(MergedCellRange(ws, CellRange(min_row=r1, min_col=c1, max_row=r2, max_col=c2).coord))
    for r, h in rendered.row_heights.items():
        ws.row_dimensions[r].height = h
    for letter, dim in proto_ws.column_dimensions.items():
        if dim.width:
            ws.column_dimensions[letter].width = dim.width
    for c, w in rendered.col_widths.items():  # fitted to this vendor's values
        ws.column_dimensions[get_column_letter(c)].width = w
    ws.sheet_view.showGridLines = proto_ws.sheet_view.showGridLines
    ws.page_setup.orientation = proto_ws.page_setup.orientation
    ws.page_setup.paperSize = proto_ws.page_setup.paperSize or ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = proto_ws.page_setup.fitToWidth
    ws.page_setup.fitToHeight = proto_ws.page_setup.fitToHeight
    ws.sheet_properties.pageSetUpPr.fitToPage = bool(proto_ws.sheet_properties.pageSetUpPr
                                                     and proto_ws.sheet_properties.pageSetUpPr.fitToPage)
    ws.print_options.horizontalCentered = True
    if rendered.title_rows:
        ws.print_title_rows = f"{rendered.title_rows[0]}:{rendered.title_rows[1]}"
    if not (proto_ws.oddFooter.center.text or proto_ws.oddFooter.left.text or proto_ws.oddFooter.right.text):
        ws.oddFooter.center.text = pick(lang, "第 &P 页，共 &N 页", "Page &P of &N")
    else:  # HR's own footer
        ws.oddFooter = copy(proto_ws.oddFooter)


def _link_live_cells(rendered: Rendered, proto_ws: Worksheet, links: dict[str, str],
                     dims: list[dict[str, Any]], cached: dict[str, Any]) -> None:
    """Point the feedback sheet's total and dimension scores at the live formulas of the results sheet."""
    for oc in rendered.cells:
        src = proto_ws.cell(row=oc.src[0], column=oc.src[1]).value
        if isinstance(src, str) and src.strip() == "{{total}}" and "total" in links:
            cached[f"{get_column_letter(oc.col)}{oc.row}"] = oc.value
            oc.value = "=" + links["total"]
    if rendered.dim_rows:
        first, _ = rendered.dim_rows
        for i, d in enumerate(dims):
            key = f"dim:{d['dimension']}"
            if key not in links:
                continue
            for oc in rendered.cells:
                if oc.row == first + i and oc.col == rendered.dim_val_col:
                    cached[f"{get_column_letter(oc.col)}{oc.row}"] = oc.value
                    oc.value = "=" + links[key]


def build_pack(inputs: Inputs, results: Results, vendor_id: str, period: str, proto: bytes,
               lang: str = "zh", interview: dict[str, Any] | None = None, generated: str | None = None,
               *, feedback_only: bool = False) -> Pack:
    """Build one vendor's pack for one period (plain bytes; encrypt it when ``password`` is set).

    With ``feedback_only`` the file holds just the feedback sheet, with values (for PDF renderings).

    ``proto`` is the prototype alone as a small .xlsx (``bookparts.prototype_package``): the pack is
    started from it, so its cells' styles copy as they are, and the prototype sheet is then removed.
    """
    # the full lists are in the pack's own sheets; a preview points at the workbook's
    where = None if feedback_only else {"workers": sheet_names(lang)[2], "warnings": warnings_sheet_name(lang)}
    data = feedback_data(inputs, results, vendor_id, period, lang, generated=generated, where=where)
    vendor_name = str(data.scalars["vendor_name"])
    vendors = inputs["vendors"]
    vrow = vendors[vendors["vendor_id"].astype(str) == vendor_id]
    password = text(vrow.iloc[0].get("pack_password")) if len(vrow) and "pack_password" in vrow else ""
    wb = load_workbook(BytesIO(proto))
    proto_ws = wb.worksheets[0]
    prototype = prototype_from_worksheet(proto_ws)
    fb_name = layout.feedback_sheet_name(vendor_id, period, lang)
    rendered = render(prototype, data, fb_name, lang, interview)
    rules, check, res, links = verify_grids(inputs, results.results, results.scores, vendor_id, period,
                                            vendor_name, lang)
    goals = goals_grid(results.goals, vendor_id, lang)
    warns = warnings_grid(inputs, results, vendor_id, period, vendor_name, lang)

    cached_by_sheet: list[dict[str, Any]] = []
    ws = wb.create_sheet(fb_name)
    cached: dict[str, Any] = {}
    if not feedback_only:  # a preview (for printing or pictures) has no results sheet to link to
        _link_live_cells(rendered, proto_ws, links, data.lists.get("dimensions", []), cached)
    _write_feedback(ws, proto_ws, rendered, lang)
    cached_by_sheet.append(cached)
    for grid in () if feedback_only else (res, check, rules, goals, warns):
        gws = wb.create_sheet(grid.name)
        gcached: dict[str, Any] = {}
        _write_grid(gws, grid, gcached, lang)
        cached_by_sheet.append(gcached)
    wb.remove(proto_ws)
    for sheet in wb.worksheets:
        sheet.sheet_state = "visible"
        sheet.protection.sheet = True  # against accidental edits; no password, as documented
        sheet.protection.formatColumns = False  # the vendor may widen columns to read long text
        sheet.protection.formatRows = False
    for dn in list(wb.defined_names):
        del wb.defined_names[dn]
    wb.active = 0
    buf = BytesIO()
    wb.save(buf)
    plain = _finish_package(buf.getvalue(), cached_by_sheet, rendered, data.chart, fb_name, lang)
    return Pack(vendor_id, vendor_name, period, pack_filename(vendor_id, vendor_name, period), plain,
                password or None, [w.title for w in wb.worksheets])


# openpyxl writes a formula cell as <c r=".." ...><f>..</f><v></v></c>; formulas are escaped, so [^<]*
_FORMULA_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f><v\s*/>(?:</c>)?|'
                           r'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f><v></v></c>')


def _with_cached(xml: str, cached: dict[str, Any]) -> str:
    """openpyxl writes formulas without results; give each the engine's value as its cached result."""

    def sub(m: re.Match[str]) -> str:
        addr = m.group(1) or m.group(4)
        attrs = m.group(2) if m.group(1) else m.group(5)
        formula = m.group(3) if m.group(1) else m.group(6)
        value = cached.get(addr)
        attrs = re.sub(r'\s+t="[^"]*"', "", attrs)
        if isinstance(value, bool):
            return f'<c r="{addr}"{attrs} t="b"><f>{formula}</f><v>{int(value)}</v></c>'
        if isinstance(value, (int, float)) and num(value) is not None:
            return f'<c r="{addr}"{attrs}><f>{formula}</f><v>{float(value)!r}</v></c>'
        return f'<c r="{addr}"{attrs} t="str"><f>{formula}</f><v>{escape(text(value))}</v></c>'

    return _FORMULA_CELL.sub(sub, xml)


def _add_drawing_ref(sheet_xml: str, rid: str) -> str:
    if "xmlns:r=" not in sheet_xml[:500]:
        sheet_xml = sheet_xml.replace("<worksheet ", f'<worksheet xmlns:r="{charts.R_NS}" ', 1)
    tag = f'<drawing r:id="{rid}"/>'
    for before in ("<legacyDrawing", "<legacyDrawingHF", "<picture", "<oleObjects", "<controls",
                   "<webPublishItems", "<tableParts", "<extLst", "</worksheet>"):
        at = sheet_xml.find(before)
        if at >= 0:
            return sheet_xml[:at] + tag + sheet_xml[at:]
    raise WriteError("反馈表结构异常。", "Unexpected feedback sheet structure.")


def _finish_package(raw: bytes, cached_by_sheet: list[dict[str, Any]], rendered: Rendered,
                    chart: tuple[list[str], list[float]], fb_name: str, lang: str) -> bytes:
    src = zipfile.ZipFile(BytesIO(raw))
    parts = {n: src.read(n) for n in src.namelist()}
    for i, cached in enumerate(cached_by_sheet, start=1):
        name = f"xl/worksheets/sheet{i}.xml"
        parts[name] = _with_cached(parts[name].decode("utf-8"), cached).encode("utf-8")
    parts["docProps/core.xml"] = CORE_XML.encode("utf-8")
    parts["docProps/app.xml"] = APP_XML.encode("utf-8")
    if "xl/styles.xml" in parts:  # openpyxl's font child order is not the SDK's (see fontorder)
        parts["xl/styles.xml"] = sdk_font_order_bytes(parts["xl/styles.xml"])
    cats, values = chart
    if cats and rendered.chart_box:
        spec = charts.ChartSpec(
            pick(lang, "维度得分", "Dimension scores"), cats,
            [charts.Series(pick(lang, "得分", "Score"), list(values),
                           charts.col_ref(fb_name, rendered.dim_val_col, *rendered.dim_rows) if rendered.dim_rows else None)],
            cat_ref=charts.col_ref(fb_name, rendered.dim_cat_col, *rendered.dim_rows) if rendered.dim_rows else None)
        parts["xl/charts/chart1.xml"] = charts.chart_xml(spec)
        parts["xl/drawings/drawing1.xml"] = charts.drawing_xml([(rendered.chart_box, "rId1", "Chart 1")])
        parts["xl/drawings/_rels/drawing1.xml.rels"] = charts.rels_xml([("rId1", charts.CHART_REL, "../charts/chart1.xml")])
        rels_name = "xl/worksheets/_rels/sheet1.xml.rels"
        if rels_name in parts:
            raise WriteError("反馈表已有关系部件。", "The feedback sheet already has relationships.")
        parts[rels_name] = charts.rels_xml([("rIdXp1", charts.DRAWING_REL, "../drawings/drawing1.xml")])
        parts["xl/worksheets/sheet1.xml"] = _add_drawing_ref(parts["xl/worksheets/sheet1.xml"].decode("utf-8"),
                                                             "rIdXp1").encode("utf-8")
        ct = parts["[Content_Types].xml"].decode("utf-8")
        ct = ct.replace("</Types>",
                        f'<Override PartName="/xl/charts/chart1.xml" ContentType="{charts.CHART_CT}"/>'
                        f'<Override PartName="/xl/drawings/drawing1.xml" ContentType="{charts.DRAWING_CT}"/></Types>')
        parts["[Content_Types].xml"] = ct.encode("utf-8")
    out = BytesIO()
    order = ["[Content_Types].xml", "_rels/.rels"] + sorted(n for n in parts if n not in ("[Content_Types].xml", "_rels/.rels"))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in order:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, parts[name])
    return out.getvalue()
