"""Lay a feedback sheet out from the prototype: fill placeholders, repeat marker rows.

The result (``Rendered``) names, for every output cell, the prototype cell it was made from, so each
writer copies that cell's look: HR restyles the prototype and every feedback sheet follows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import layout
from .feedback import FeedbackData
from .fit import CellLook, Placed, fit_heights, fit_widths, shown
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
    col_widths: dict[int, float] = field(default_factory=dict)  # 1-based column → width fitted to the values
    title_rows: tuple[int, int] | None = None  # rows printed again at the top of every page

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
    more_rows: dict[int, int] = {}  # output row of a "N more" line → its prototype row
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
        if lst and data.more.get(lst):
            # "另有 N 条…": one line across the list's columns, in the look of its cells
            cur += n
            cols = [c for c, _ in proto.row(r)]
            spans = [m[3] for m in proto.merges if m[0] == r == m[2]]
            first_c, last_c = min(cols), max(cols + spans)
            for c in cols:
                out.cells.append(OutCell(cur, c, data.more[lst] if c == first_c else None, (r, c)))
            if last_c > first_c:
                out.merges.append((cur, first_c, cur, last_c))
            more_rows[cur] = r
            end[r] = cur
            n = 1
        cur += n
    for r1, c1, r2, c2 in proto.merges:
        if r1 == r2 and end[r1] > start[r1]:
            for orow in range(start[r1], end[r1] + 1):  # a merge inside a marker row repeats with it
                if orow not in more_rows:
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
    list_src = {r for r in range(1, proto.max_row + 1) if _row_list(proto, r)}
    fit(out, proto, list_src)
    out.title_rows = _title_rows(proto, start, end)
    return out


def _title_rows(proto: Prototype, start: dict[int, int], end: dict[int, int]) -> tuple[int, int]:
    """The title and the row naming the vendor (when near the top), repeated on every printed page."""
    for (r, _), value in sorted(proto.cells.items()):
        if isinstance(value, str) and "{{vendor_name}}" in value.replace(" ", "") and r <= 5 and r in end:
            return 1, end[r]
    return 1, end.get(1, 1)


def fit(out: Rendered, proto: Prototype, list_src: set[int] | frozenset[int] = frozenset()) -> None:
    """Column widths and row heights of a rendered sheet from the values it holds (``reports.fit``).

    Cells take their prototype cell's look; without known looks (an old caller), text in list rows
    is taken to wrap, as the default prototype's list cells do.
    """
    spans = {(r1, c1): c2 - c1 + 1 for r1, c1, r2, c2 in out.merges if r1 == r2}
    tall = {(r, c) for r1, c1, r2, c2 in out.merges if r2 > r1 for r in range(r1, r2 + 1)
            for c in range(c1, c2 + 1)}
    placed: list[Placed] = []
    for oc in out.cells:
        if oc.value is None or (oc.row, oc.col) in tall:
            continue
        look = proto.looks.get(oc.src) or CellLook(wrap=oc.src[0] in list_src, size=10.0)
        text = shown(oc.value, look.num_fmt)
        if text and not (isinstance(oc.value, str) and PLACEHOLDER.search(oc.value)):
            placed.append(Placed(oc.row, oc.col, spans.get((oc.row, oc.col), 1), text, look))
    base = {c: w for c, w in proto.col_widths.items()}
    out.col_widths = fit_widths(placed, base)
    out.row_heights = fit_heights(placed, out.col_widths, out.row_heights)


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
