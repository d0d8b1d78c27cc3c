"""Which cells of an open workbook's table are shown as percents, in few Excel calls.

Excel answers ``Range.NumberFormat`` for a whole range at once: the format when every cell shares it,
nothing (None) when they differ. So each number column is asked once; a column of mixed formats is
halved and each half asked again, down to the runs of equal format. The calls grow with the number of
format changes in a column (typically 0 or 1: a column formatted as a whole, or a few pasted cells),
never with its rows, and never one call per cell of a uniform column.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from ..contract import TABLES_BY_NAME, normalise_header
from ..contract.schema import FieldType
from ..io.numfmt import is_percent_format

Mask = npt.NDArray[np.bool_]
# Field types whose numbers a percent format changes the meaning of (ANY: monitoring values).
NUMBER_TYPES = (FieldType.NUMBER, FieldType.INTEGER, FieldType.ANY)


def number_columns(table: str, headers: list[str]) -> list[int]:
    """The positions of the headers that name a number field of the contract table ``table``."""
    spec = TABLES_BY_NAME.get(table)
    if spec is None or spec.kind != "input":
        return []
    header_map = spec.header_map()
    out = []
    for j, h in enumerate(headers):
        key = header_map.get(normalise_header(h))
        if key is not None and spec.field(key).type in NUMBER_TYPES:
            out.append(j)
    return out


def percent_rows(sheet: Any, first_row: int, last_row: int, col: int) -> Mask:
    """One bool per row first_row..last_row (1-based) of the 1-based column ``col``: percent-formatted."""
    n = last_row - first_row + 1
    out = np.zeros(max(n, 0), dtype=bool)
    if n <= 0:
        return out
    stack = [(first_row, last_row)]
    while stack:
        r1, r2 = stack.pop()
        fmt = sheet.range((r1, col), (r2, col)).number_format
        if isinstance(fmt, str) and (fmt or r1 == r2):
            out[r1 - first_row:r2 - first_row + 1] = is_percent_format(fmt)
        elif r1 < r2:  # mixed formats: ask each half
            mid = (r1 + r2) // 2
            stack += [(mid + 1, r2), (r1, mid)]
    return out


def table_percents(sheet: Any, table: str, headers: list[str], first_data_row: int, first_col: int,
                   n_rows: int) -> dict[int, Mask]:
    """``RawTable.percent`` for a table read live: its number columns' percent cells, per column."""
    out: dict[int, Mask] = {}
    if n_rows <= 0:
        return out
    for j in number_columns(table, headers):
        mask = percent_rows(sheet, first_data_row, first_data_row + n_rows - 1, first_col + j + 1)
        if mask.any():
            out[j] = mask
    return out
