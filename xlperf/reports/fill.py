"""Lay a feedback sheet out from the prototype: fill placeholders, repeat marker rows.

The result (``Rendered``) names, for every output cell, the prototype cell it was made from, so each
writer copies that cell's look: HR restyles the prototype and every feedback sheet follows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from . import layout
from .feedback import FeedbackData
from .prototype import PLACEHOLDER, Prototype

NONE_TEXT = {"zh": "（无）", "en": "(none)"}


@dataclass
class OutCell:
    row: int
    col: int
    value: Any  # str, float, int or None
    src: tuple[int, int]  # the prototype cell whose style it takes


@dataclass
class Rendered:
    name: str
    cells: list[OutCell] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    row_heights: dict[int, float] = field(default_factory=dict)
    chart_box: tuple[int, int, int, int] | None = None  # r1, c1, r2, c2 (1-based, inclusive)
    # the dimension table, for the chart's references: rows, category column, value column
    dim_rows: tuple[int, int] | None = None
    dim_cat_col: int = 0
    dim_val_col: int = 0
    interview_cells: dict[str, tuple[int, int]] = field(default_factory=dict)
    list_rows: dict[str, tuple[int, int]] = field(default_factory=dict)  # list → first, last output row

    def value_at(self, row: int, col: int) -> Any:
        for c in self.cells:
            if c.row == row and c.col == col:
                return c.value
        return None


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _substitute(template: str, lookup: dict[str, Any]) -> Any:
    whole = PLACEHOLDER.fullmatch(template.strip())
    if whole:
        value = lookup.get(whole.group(1))
        return value if not isinstance(value, bool) else _fmt(value)
    return PLACEHOLDER.sub(lambda m: _fmt(lookup.get(m.group(1))), template)


def _row_list(proto: Prototype, r: int) -> str | None:
    lists = set()
    for _, value in proto.row(r):
        if isinstance(value, str):
            for m in PLACEHOLDER.finditer(value):
                head = m.group(1).split(".", 1)[0]
                if head in layout.LISTS:
                    lists.add(head)
    return min(lists) if lists else None


def render(proto: Prototype, data: FeedbackData, name: str, lang: str = "zh",
           interview: dict[str, Any] | None = None) -> Rendered:
    out = Rendered(name)
    interview = interview or {}
    start: dict[int, int] = {}
    end: dict[int, int] = {}
    cur = 1
    scalars = dict(data.scalars)
    for r in range(1, proto.max_row + 1):
        lst = _row_list(proto, r)
        items = data.lists.get(lst, []) if lst else []
        n = max(1, len(items)) if lst else 1
        start[r], end[r] = cur, cur + n - 1
        if lst:
            out.list_rows[lst] = (cur, cur + n - 1)
        for i in range(n):
            orow = cur + i
            if r in proto.row_heights:
                out.row_heights[orow] = proto.row_heights[r]
            lookup = dict(scalars)
            if lst:
                item = items[i] if items else {}
                lookup.update({f"{lst}.{k}": v for k, v in item.items()})
            first_placeholder = True
            for c, value in proto.row(r):
                if isinstance(value, str) and value.strip() == "{{chart}}":
                    out.cells.append(OutCell(orow, c, None, (r, c)))
                    continue
                if isinstance(value, str) and "interview." in value:
                    m = PLACEHOLDER.fullmatch(value.strip())
                    if m and m.group(1).startswith("interview."):
                        key = m.group(1).split(".", 1)[1]
                        out.interview_cells[key] = (orow, c)
                        out.cells.append(OutCell(orow, c, interview.get(key), (r, c)))
                        continue
                if isinstance(value, str) and PLACEHOLDER.search(value):
                    if lst and not items and first_placeholder:
                        filled: Any = NONE_TEXT.get(lang, NONE_TEXT["en"])
                    elif lst and not items:
                        filled = None
                    else:
                        filled = _substitute(value, lookup)
                    first_placeholder = False
                    if lst == "dimensions" and value.strip() == "{{dimensions.dimension}}":
                        out.dim_cat_col = c
                    if lst == "dimensions" and value.strip() == "{{dimensions.score}}":
                        out.dim_val_col = c
                    out.cells.append(OutCell(orow, c, filled, (r, c)))
                else:
                    out.cells.append(OutCell(orow, c, value, (r, c)))
        if lst and r not in proto.row_heights:
            _fit_heights(out, proto, r, cur, n)
        cur += n
    for r1, c1, r2, c2 in proto.merges:
        if r1 == r2 and end[r1] > start[r1]:
            for orow in range(start[r1], end[r1] + 1):  # a merge inside a marker row repeats with it
                out.merges.append((orow, c1, orow, c2))
        else:
            out.merges.append((start[r1], c1, end[r2], c2))
    # the chart goes where {{chart}} is; its merged range (if any) is its size
    for (r, c), value in proto.cells.items():
        if isinstance(value, str) and value.strip() == "{{chart}}":
            box = proto.merged_at(r, c)
            if box:
                out.chart_box = (start[box[0]], box[1], end[box[2]], box[3])
            else:
                out.chart_box = (start[r], c, start[r] + layout.CHART_ROWS - 1, c + 3)
    if "dimensions" in out.list_rows and data.lists.get("dimensions") and out.dim_cat_col and out.dim_val_col:
        out.dim_rows = out.list_rows["dimensions"]
    return out


def _display_width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def _fit_heights(out: Rendered, proto: Prototype, r: int, first: int, n: int) -> None:
    """Excel does not grow a row for wrapped text written by a program: estimate the lines it needs."""
    spans = {c1: c2 for r1, c1, r2, c2 in proto.merges if r1 == r == r2}
    widths = {c: sum(proto.col_widths.get(k, 9.0) for k in range(c, spans.get(c, c) + 1)) for c, _ in proto.row(r)}
    for cell in out.cells[-1::-1]:
        if cell.row < first:
            break
        if isinstance(cell.value, str) and cell.value:
            lines = math.ceil(_display_width(cell.value) * 1.1 / max(widths.get(cell.col, 9.0), 1.0))
            if lines > 1:
                out.row_heights[cell.row] = max(out.row_heights.get(cell.row, 0.0), min(13.5 * lines + 3, 120.0))


def interview_from_grid(proto: Prototype, grid: dict[tuple[int, int], Any]) -> dict[str, Any]:
    """Read an interview record back from an existing feedback sheet's cell values.

    Each interview cell is found by its label (the text left of it in the prototype) in the same column
    layout, searching from the bottom, so rows added above it by marker rows do not matter.
    """
    found: dict[str, Any] = {}
    labels = proto.interview_labels()
    by_text: dict[str, list[tuple[int, int]]] = {}
    for (r, c), value in grid.items():
        if isinstance(value, str) and value.strip():
            by_text.setdefault(value.strip(), []).append((r, c))
    for key, (label, col) in labels.items():
        spots = sorted(by_text.get(label, []))
        if not spots:
            continue
        r = spots[-1][0]
        value = grid.get((r, col))
        if value is not None and str(value).strip():
            found[key] = value  # kept as typed: a date HR entered stays a date serial
    return found
