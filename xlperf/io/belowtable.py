"""Rows typed or pasted right below an Excel table, outside its range: Excel's own AutoExpand rule.

Excel grows a table when a row is typed directly under it; a paste, AutoExpand switched off or
another tool leaves such rows outside the table's ``ref``, where they look like part of the table but
are not. xlperf follows what the user sees:

- the contiguous rows directly under the table (row ``r2 + 1`` on, each with a value in one of the
  table's columns) belong to it: they are read like any data row, a warning names them, and the
  table's range is extended the next time xlperf writes the workbook;
- content further below, after a blank row, is never read, and a warning names its first cell;
- another table below bounds the region: its rows are its own;
- a table with a totals row does not grow (Excel's AutoExpand does not either): whatever is below
  it is "content further below".

Both engines use ``rows_below``: the file reader over calamine's grid, the live engine over the one
bulk read of the rows under the table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pandas._libs import lib

from ..book import col_letter


@dataclass(frozen=True)
class Below:
    """What sits under a table's range (rows are 1-based Excel rows)."""

    appended: int = 0  # contiguous rows directly under the table, read as its rows
    further_row: int = 0  # first row with content after a blank row (0: none)
    further_col: int = 0  # its first filled column (0-based)
    first_row: int = 0  # the row right under the table
    first_col: int = 0  # the table's first column (0-based)

    @property
    def first_cell(self) -> str:
        """The first cell of the first appended row."""
        return f"{col_letter(self.first_col)}{self.first_row}"

    @property
    def rows(self) -> str:
        """The appended rows as people write them: '7' or '7–9'."""
        last = self.first_row + self.appended - 1
        return str(self.first_row) if self.appended == 1 else f"{self.first_row}–{last}"

    @property
    def further_cell(self) -> str:
        return f"{col_letter(self.further_col)}{self.further_row}" if self.further_row else ""


def _filled(rows: Sequence[Sequence[Any]], c1: int, c2: int, origin: int) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """A (rows × columns c1..c2) mask of cells holding something (None, "" and NaN are blank)."""
    width = c2 - c1 + 1
    if not rows:
        return np.zeros((0, width), dtype=bool)
    sub = [list(row[c1 - origin:c2 - origin + 1]) for row in rows]  # C-level slices, no cell loop
    block: np.ndarray[Any, np.dtype[np.object_]] = getattr(lib, "to_object_array")(sub, min_width=width)  # noqa: B009 - untyped pandas internal
    block = block[:, :width]
    blank: np.ndarray[Any, np.dtype[np.bool_]] = np.asarray(pd.isna(block), dtype=bool) | np.asarray(block == "", dtype=bool)
    filled: np.ndarray[Any, np.dtype[np.bool_]] = ~blank
    return filled


def rows_below(rows: Sequence[Sequence[Any]], first_row: int, c1: int, c2: int, *, can_grow: bool = True,
               errors: Iterable[tuple[int, int]] = (), origin: int = 0) -> Below:
    """``rows``: the sheet's rows from Excel row ``first_row`` (the one right under the table) down to
    the last row that may belong to this table (stop before another table), whole rows or columns
    c1..c2 (0-based sheet columns of the table; item k of a row is sheet column ``origin + k``). ``errors``: (row,
    column) of error cells, which readers may give as blank. ``can_grow``: False for a table with a
    totals row."""
    mask = _filled(rows, c1, c2, origin)
    for r, c in errors:
        i = r - first_row
        if 0 <= i < mask.shape[0] and c1 <= c <= c2:
            mask[i, c - c1] = True
    any_row: np.ndarray[Any, np.dtype[np.bool_]] = np.asarray(mask.any(axis=1), dtype=bool)
    appended = 0
    if can_grow:
        blanks = np.flatnonzero(~any_row)
        appended = int(blanks[0]) if len(blanks) else len(any_row)
    rest = np.flatnonzero(any_row[appended:])
    if not len(rest):
        return Below(appended, first_row=first_row, first_col=c1)
    i = appended + int(rest[0])
    return Below(appended, first_row + i, c1 + int(np.flatnonzero(mask[i])[0]), first_row, c1)


__all__ = ["Below", "rows_below"]
