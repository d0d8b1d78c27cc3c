"""The feedback prototype sheet: building it into a template, and reading it back from any workbook.

``add_prototype_sheet`` is what the template builder calls. ``Prototype`` is the engine-neutral view the
layout code works on: each cell's text and its source position, so a writer can copy that cell's style
(the book's own ``s`` index when writing into the book; the openpyxl style when building a pack).
"""

from __future__ import annotations

import re
from copy import copy
from dataclasses import dataclass, field
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from . import layout
from .fit import CellLook
from .layout import ProtoCell

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)\s*\}\}")

_THIN = Side(style="thin", color="B4C6E7")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "等线"


def _style(ws: Worksheet, row: int, cell: ProtoCell) -> None:
    c = ws.cell(row=row, column=cell.col, value=cell.text)
    role = cell.role
    c.font = Font(name=_FONT, size=10)
    c.alignment = Alignment(vertical="center", wrap_text=role in (layout.NOTE, layout.ROW, layout.INPUT))
    if role == layout.TITLE:
        c.font = Font(name=_FONT, size=16, bold=True, color="1F3864")
        c.alignment = Alignment(horizontal="center", vertical="center")
    elif role == layout.LABEL:
        c.font = Font(name=_FONT, size=10, bold=True, color="1F3864")
        c.fill = PatternFill("solid", fgColor="DDEBF7")
        c.border = _BOX
    elif role in (layout.VALUE, layout.NUMBER):
        c.border = _BOX
        if role == layout.NUMBER:
            c.number_format = "0.00"
            c.font = Font(name=_FONT, size=12, bold=True)
    elif role == layout.SECTION:
        c.font = Font(name=_FONT, size=12, bold=True, color="FFFFFF")
        c.fill = PatternFill("solid", fgColor="2F5597")
    elif role == layout.HEADER:
        c.font = Font(name=_FONT, size=10, bold=True)
        c.fill = PatternFill("solid", fgColor="D9E1F2")
        c.border = _BOX
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    elif role in (layout.ROW, layout.ROWNUM, layout.ROWPCT):
        c.border = _BOX
        if role == layout.ROWNUM:
            c.number_format = "0.00"
        elif role == layout.ROWPCT:
            c.number_format = "0%"
    elif role == layout.NOTE:
        c.font = Font(name=_FONT, size=9, italic=True, color="595959")
    elif role == layout.INPUT:
        c.border = _BOX
        c.fill = PatternFill("solid", fgColor="FFF2CC")
        c.protection = Protection(locked=False)  # the vendor may type a response into a protected pack
    if cell.span > 1:
        # merged ranges need the border on every covered cell to look boxed
        for col in range(cell.col + 1, cell.col + cell.span):
            other = ws.cell(row=row, column=col)
            other.border = copy(c.border) if role not in (layout.TITLE, layout.NOTE, layout.SECTION) else Border()
            other.fill = copy(c.fill)
        ws.merge_cells(start_row=row, start_column=cell.col, end_row=row, end_column=cell.col + cell.span - 1)


def add_prototype_sheet(wb: Workbook, lang: str = "zh", *, title: str | None = None) -> Worksheet:
    """Add the feedback prototype sheet (``反馈表模板`` / ``Feedback template``) to an openpyxl workbook.

    The template builder calls this once; HR may restyle the sheet afterwards. Returns the sheet.
    """
    ws = wb.create_sheet(title or layout.prototype_name(lang))
    rows = layout.default_rows(lang)
    chart_row = 0
    for r, cells in enumerate(rows, start=1):
        for cell in cells:
            if cell.text == "{{chart}}":
                chart_row = r
                continue
            _style(ws, r, cell)
        if any(c.role == layout.TITLE for c in cells):
            ws.row_dimensions[r].height = 28
        elif any(c.text == "{{explanation}}" or "interview" in c.text for c in cells):
            ws.row_dimensions[r].height = 32  # list rows get the height their text needs (reports.fit)
    if chart_row:
        # the chart's box: a merged range whose size HR can change
        chart = ws.cell(row=chart_row, column=5, value="{{chart}}")
        chart.font = Font(name=_FONT, size=8, color="A6A6A6")
        chart.alignment = Alignment(horizontal="left", vertical="top")
        ws.merge_cells(start_row=chart_row, start_column=5, end_row=chart_row + layout.CHART_ROWS - 1, end_column=8)
    for i, width in enumerate(layout.COLUMN_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.sheet_view.showGridLines = False
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.sheet_properties.tabColor = "2F5597"
    return ws


@dataclass
class Prototype:
    """The prototype as layout code sees it: text per cell, merged ranges, row heights."""

    name: str
    cells: dict[tuple[int, int], Any]  # (row, col) 1-based → value (str, number or None)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    row_heights: dict[int, float] = field(default_factory=dict)
    styles: dict[tuple[int, int], int] = field(default_factory=dict)  # book style index per cell (XML path)
    col_widths: dict[int, float] = field(default_factory=dict)  # 1-based column → width in characters
    looks: dict[tuple[int, int], CellLook] = field(default_factory=dict)  # wrap, font size, number format

    @property
    def max_row(self) -> int:
        rows = [r for r, _ in self.cells] + [m[2] for m in self.merges]
        return max(rows, default=0)

    @property
    def max_col(self) -> int:
        cols = [c for _, c in self.cells] + [m[3] for m in self.merges]
        return max(cols, default=0)

    def row(self, r: int) -> list[tuple[int, Any]]:
        return sorted((c, v) for (rr, c), v in self.cells.items() if rr == r)

    def placeholders(self) -> set[str]:
        found: set[str] = set()
        for value in self.cells.values():
            if isinstance(value, str):
                found.update(m.group(1) for m in PLACEHOLDER.finditer(value))
        return found

    def merged_at(self, r: int, c: int) -> tuple[int, int, int, int] | None:
        for m in self.merges:
            if m[0] == r and m[1] == c:
                return m
        return None

    def interview_labels(self) -> dict[str, tuple[str, int]]:
        """interview field → (the label text left of its cell, the cell's column)."""
        out: dict[str, tuple[str, int]] = {}
        for (r, c), value in self.cells.items():
            if not isinstance(value, str):
                continue
            m = PLACEHOLDER.fullmatch(value.strip())
            if not m or not m.group(1).startswith("interview."):
                continue
            left = [(cc, v) for cc, v in self.row(r) if cc < c and isinstance(v, str) and v.strip()
                    and not PLACEHOLDER.search(v)]
            if left:
                out[m.group(1).split(".", 1)[1]] = (left[-1][1].strip(), c)
        return out


def prototype_from_worksheet(ws: Worksheet) -> Prototype:
    cells: dict[tuple[int, int], Any] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None and not isinstance(cell.value, bool):
                cells[(cell.row, cell.column)] = cell.value
            elif cell.has_style:
                cells[(cell.row, cell.column)] = None  # an empty cell whose look (a box's border) matters
    merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
    heights = {r: float(d.height) for r, d in ws.row_dimensions.items() if d.height}
    widths = {column_index_from_string(k): float(d.width) for k, d in ws.column_dimensions.items() if d.width}
    looks = {(cell.row, cell.column): look_of(cell) for row in ws.iter_rows() for cell in row if cell.has_style}
    return Prototype(ws.title, cells, merges, heights, col_widths=widths, looks=looks)


def look_of(cell: Any) -> CellLook:
    """What of an openpyxl cell's style decides the room its value needs."""
    font = cell.font
    fmt = cell.number_format
    return CellLook(wrap=bool(cell.alignment.wrap_text), size=float(font.sz or 11.0), bold=bool(font.b),
                    num_fmt=None if fmt == "General" else fmt)


def default_prototype_workbook(lang: str) -> tuple[Workbook, Worksheet]:
    """A throwaway workbook holding only the default prototype (for books that lack one)."""
    wb = Workbook()
    assert wb.active is not None
    wb.remove(wb.active)
    ws = add_prototype_sheet(wb, lang)
    return wb, ws
