"""Column widths and row heights from what the cells hold, so printed sheets show every value whole.

Excel measures a column in widths of the digit "0" of the default 11-point font and never grows a
column or a wrapped row for a value a program wrote; LibreOffice does not either when a width or
height is given. So xlperf measures: a value's *display width* counts a CJK (East Asian wide or
fullwidth) character as two and a combining mark as none (``wcwidth``), scaled by the cell's font
size. A column grows until its single-cell values fit (capped, so one long text cannot push the
page out); text that may wrap grows its column only up to ``WRAP_CAP`` and then wraps, and its row
gets the height of the lines it needs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from wcwidth import wcswidth, wcwidth

NOWRAP_CAP = 60.0  # the widest a column grows for one value that must not wrap
WRAP_CAP = 28.0  # the widest a column grows for text that may wrap (long names wrap beyond it)
PADDING = 1.6  # cell margins and the grid line, in character widths
GLYPH = 1.0  # measured on LibreOffice's renderings (Noto Sans CJK, DejaVu Sans) of 10-point text
MAX_ROW_HEIGHT = 160.0
DEFAULT_SIZE = 11.0


@dataclass(frozen=True)
class CellLook:
    """What of a cell's style decides how much room its value needs."""

    wrap: bool = False
    size: float = DEFAULT_SIZE
    bold: bool = False
    num_fmt: str | None = None


def display_width(text: str) -> int:
    """Columns the text takes on screen: its longest line, a CJK character counting two."""
    best = 0
    for line in text.split("\n"):
        w = wcswidth(line)
        if w < 0:  # a control character somewhere: count character by character, those as nothing
            w = sum(max(wcwidth(ch), 0) for ch in line)
        best = max(best, w)
    return best


def shown(value: Any, num_fmt: str | None = None) -> str:
    """The text a cell shows for a value under the usual number formats (near enough to measure)."""
    if value is None or isinstance(value, bool):
        return "" if value is None else ("TRUE" if value else "FALSE")
    if isinstance(value, (int, float)):
        f = float(value)
        if not math.isfinite(f):
            return "#NUM!"
        fmt = num_fmt or "General"
        if "E+" in fmt:
            return f"{f:.1E}"
        if fmt.endswith("%"):
            digits = len(fmt.split(".", 1)[1]) - 1 if "." in fmt else 0
            return f"{f * 100:.{digits}f}%"
        if fmt.startswith(("0.", "#,##0.")):
            digits = len(fmt.split(".", 1)[1].rstrip(";"))
            return f"{f:,.{digits}f}" if fmt.startswith("#") else f"{f:.{digits}f}"
        if fmt in ("0", "#,##0"):
            return f"{f:,.0f}" if fmt.startswith("#") else f"{f:.0f}"
        return f"{f:.10g}"
    return str(value)


def _scale(look: CellLook) -> float:
    return GLYPH * (look.size / DEFAULT_SIZE) * (1.06 if look.bold else 1.0)


ASCII_NARROW = 0.88  # proportional Latin letters, spaces and punctuation are narrower than the digit "0"


def _units(line: str) -> float:
    """A line's width in digit widths: CJK two, Latin letters and punctuation a little under one."""
    narrow = sum(1 for ch in line if " " <= ch <= "~" and not ch.isdigit())
    return display_width(line) - (1.0 - ASCII_NARROW) * narrow


def needed_width(text: str, look: CellLook = CellLook()) -> float:
    """Column width (in Excel's units) that shows ``text`` on one line."""
    if not text:
        return 0.0
    return max(_units(line) for line in text.split("\n")) * _scale(look) + PADDING


def lines_needed(text: str, width: float, look: CellLook = CellLook()) -> int:
    """How many lines wrapped text takes in a cell ``width`` wide."""
    room = max(width - PADDING, 1.0)
    total = 0
    for line in text.split("\n"):
        w = _units(line) * _scale(look)
        total += max(1, math.ceil(w / room - 0.01))
    return total


def line_height(look: CellLook = CellLook()) -> float:
    """Points per line of text (Excel's default row is 15 pt for 11-point text)."""
    return max(look.size, 9.0) * 1.36


@dataclass(frozen=True)
class Placed:
    """One cell to measure: its first column, how many columns it covers, its text and look."""

    row: int
    col: int
    span: int
    text: str
    look: CellLook


def fit_widths(cells: list[Placed], base: dict[int, float], default: float = 9.0) -> dict[int, float]:
    """Column widths: each at least its ``base`` width, grown so values that must not wrap fit, and
    single-column text that may wrap gets up to ``WRAP_CAP`` before it wraps."""
    widths = dict(base)
    cols = {c.col + k for c in cells for k in range(c.span)}
    for col in cols:
        widths.setdefault(col, default)
    for c in sorted(cells, key=lambda c: c.span):  # single cells first: merged ones see the grown widths
        need = needed_width(c.text, c.look)
        if c.span == 1:
            cap = WRAP_CAP if c.look.wrap else NOWRAP_CAP
            widths[c.col] = max(widths[c.col], min(need, max(cap, widths[c.col])))
        elif not c.look.wrap:
            have = sum(widths[c.col + k] for k in range(c.span))
            if need > have:  # the last covered column takes the difference
                last = c.col + c.span - 1
                widths[last] = min(widths[last] + need - have, max(NOWRAP_CAP, widths[last]))
    return {k: math.ceil(v * 10 - 1e-9) / 10 for k, v in widths.items()}  # up: a rounded-down width wraps


def fit_heights(cells: list[Placed], widths: dict[int, float], heights: dict[int, float],
                default: float = 9.0) -> dict[int, float]:
    """Row heights for wrapped text (never lower than a height already set, e.g. by the prototype)."""
    out = dict(heights)
    for c in cells:
        if not c.text:
            continue
        room = sum(widths.get(c.col + k, default) for k in range(c.span))
        lines = lines_needed(c.text, room, c.look) if c.look.wrap else 1
        if lines < 2:
            continue
        h = min(line_height(c.look) * lines + 3.0, MAX_ROW_HEIGHT)
        if h > out.get(c.row, 0.0):
            out[c.row] = round(h, 1)
    return out
