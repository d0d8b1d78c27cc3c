"""Worksheet cells rendered by Arrow compute kernels: whole columns at a time, in C++.

Why: an output sheet at enterprise scale holds millions of cells, and formatting each one with a
Python f-string costs about a microsecond — seconds per recompute. Arrow's string kernels
(``binary_join_element_wise``, ``cast``, ``replace_substring``) do the same concatenations over
whole arrays, release the GIL (so ``zipwrite`` can render one chunk while it deflates another on the
second core), and leave the rows of a chunk as one contiguous UTF-8 buffer, so no Python join is needed.

A column becomes its *tails* first: for each cell, everything of the ``<c>`` element after its row
number (``" s="3"><v>97.5</v></c>``), null for a blank cell. A chunk of rows then prefixes the
reference (``<c r="B`` + row number) and joins the cells of each row into ``<row>`` elements, in
one call; a blank cell becomes an empty element (``<c r="B7" s="3"/>``, as Excel writes a formatted
empty cell). Text columns with few distinct values (periods, ids, names) render their distinct
values once and take them by code.

Numbers are written as Arrow's shortest round-trip spelling (``100``, ``97.5``, ``1e+20``): the
same double back on reading, as with Python's ``repr``. Columns whose values are not one plain kind
(mixed objects, infinities) are left to the per-value path in ``sheetxml``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

# Characters Python's str.isspace() accepts; a text starting or ending with one gets
# xml:space="preserve" (as in sheetxml.cell_tail), so the class is spelled out for RE2.
_SPACES = "".join(f"\\x{{{c:04X}}}" for c in range(0x3001) if chr(c).isspace())
_EDGE_SPACE = f"^[{_SPACES}]|[{_SPACES}]$"
# What the simple replacements below do not cover: control characters XML 1.0 forbids, U+FFFE/F and
# a literal "_xHHHH_" (Excel's own escape syntax); rows holding one go through the full escape.
_HARD = r"[\x{0}-\x{8}\x{B}\x{C}\x{E}-\x{1F}\x{FFFE}\x{FFFF}]|_x[0-9A-Fa-f]{4}_"
_SPECIAL = f"[&<>]|{_HARD}|{_EDGE_SPACE}"  # anything text_tails cannot simply wrap
_NULL = pa.scalar(None, pa.string())


def _s(style: int) -> str:
    return f' s="{style}"' if style else ""


def row_numbers(first: int, n: int) -> pa.StringArray:
    """The row numbers first..first+n-1 as text."""
    return pc.cast(pa.array(np.arange(first, first + n, dtype=np.int64)), pa.string())


def number_tails(values: npt.NDArray[np.floating[Any]] | npt.NDArray[np.integer[Any]], style: int) -> pa.StringArray:
    """Tails of numeric cells; NaN → null (blank). Infinite values are the caller's to handle."""
    text = pc.cast(pa.array(values, from_pandas=True), pa.string())
    return pc.binary_join_element_wise(f'"{_s(style)}><v>', text, "</v></c>", "")


def bool_tails(values: npt.NDArray[np.bool_], style: int) -> pa.StringArray:
    sa = _s(style)
    return pc.if_else(pa.array(values), f'"{sa} t="b"><v>1</v></c>', f'"{sa} t="b"><v>0</v></c>')


def text_tails(values: npt.NDArray[np.object_], style: int, escape: Callable[[str], str]) -> pa.StringArray:
    """Tails of inline-string cells from an array of str (None/NaN and "" → blank).

    One regex scan finds the values that need more than wrapping (&, <, >, control characters, a
    literal ``_xHHHH_``, white space at either end); only those go through the escaping below, and
    ``escape`` (the full escaping function) only for the rare ones the replacements do not cover."""
    raw = pa.array(values, type=pa.string(), from_pandas=True)
    raw = pc.if_else(pc.equal(pc.binary_length(raw), 0), _NULL, raw)
    sa = _s(style)
    tails = pc.binary_join_element_wise(f'"{sa} t="inlineStr"><is><t>', raw, "</t></is></c>", "")
    special = pc.fill_null(pc.match_substring_regex(raw, _SPECIAL), False)
    if not pc.any(special).as_py():
        return tails
    return pc.replace_with_mask(tails, special, _special_tails(raw.filter(special), sa, escape))


def _special_tails(raw: pa.StringArray, sa: str, escape: Callable[[str], str]) -> pa.StringArray:
    preserve = pc.match_substring_regex(raw, _EDGE_SPACE)
    text = pc.replace_substring(raw, "&", "&amp;")
    text = pc.replace_substring(text, "<", "&lt;")
    text = pc.replace_substring(text, ">", "&gt;")
    hard = pc.match_substring_regex(raw, _HARD)
    if pc.any(hard).as_py():
        fixed = [escape(v) for v in raw.filter(hard).to_pylist()]
        text = pc.replace_with_mask(text, hard, pa.array(fixed, type=pa.string()))
    opening = pc.if_else(preserve, f'"{sa} t="inlineStr"><is><t xml:space="preserve">',
                         f'"{sa} t="inlineStr"><is><t>')
    return pc.binary_join_element_wise(opening, text, "</t></is></c>", "")


def dictionary_tails(codes: npt.NDArray[np.intp], unique_tails: pa.StringArray) -> pa.StringArray:
    """Tails of a column given as codes into its distinct values' tails (code -1: blank)."""
    return unique_tails.take(pa.array(codes, mask=codes < 0))


def join_rows(rows: pa.StringArray, letters: Sequence[str], tails: Sequence[pa.StringArray],
              blanks: Sequence[str]) -> bytes:
    """``<row>`` elements, UTF-8, for one chunk: ``tails[j]`` are column j's tails for these rows;
    a blank (null) cell is written as the empty element ``blanks[j]`` (``"/>`` or ``" s="3"/>``),
    so the whole chunk is one join: every byte written once."""
    args: list[str | pa.StringArray] = ['<row r="', rows, '">']
    for letter, tail, blank in zip(letters, tails, blanks):
        args += [f'<c r="{letter}', rows, pc.fill_null(tail, blank)]
    args.append("</row>")
    return _buffer_bytes(pc.binary_join_element_wise(*args, ""))


def blank_tail(style: int) -> str:
    """The tail of a blank cell: an empty element, with the column's style so it looks like its
    neighbours when someone types into it."""
    return f'"{_s(style)}/>'


def _buffer_bytes(arr: pa.StringArray) -> bytes:
    """The concatenated values of a string array without nulls: its data buffer, sliced."""
    if len(arr) == 0:
        return b""
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32)
    start, stop = int(offsets[arr.offset]), int(offsets[arr.offset + len(arr)])
    data = arr.buffers()[2]
    return bytes(memoryview(data)[start:stop]) if data is not None else b""
