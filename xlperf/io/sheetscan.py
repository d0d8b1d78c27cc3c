"""A streaming byte-level scan of one worksheet part for what calamine does not tell us: which cells
hold formulas (and their text), which hold Excel error values (calamine reads those as empty), the
merged ranges and whether the sheet is protected.

Why not lxml: a 1 000 000-row sheet is 300–450 MB of XML; building or even iterating elements for
every cell costs tens of seconds. Here the part is decompressed in chunks cut at row boundaries and
searched with ``bytes`` operations (memchr speed); only the few cells that hold a formula or an error
are looked at with a regular expression. A sheet without formulas or errors costs one decompression.
"""

from __future__ import annotations

import html
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

import numpy as np
import numpy.typing as npt

from ..errors import UnusableFileError
from . import guard

CHUNK = 4 * 1024 * 1024

_PFX = rb"(?:[A-Za-z_][\w.-]*:)?"
_HIT = re.compile(rb"<" + _PFX + rb"f[\s>/]|\st\s*=\s*[\"']e[\"']")
_CELL_START = re.compile(rb"<" + _PFX + rb"c[\s>/]")
_CELL = re.compile(rb"<(" + _PFX + rb")c\b([^>]*?)(?:/>|>(.*?)</\1c>)", re.DOTALL)
_ATTR_R = re.compile(rb"\sr\s*=\s*[\"']\$?([A-Za-z]{1,3})\$?(\d+)[\"']")
_ATTR_T = re.compile(rb"\st\s*=\s*[\"']([^\"']*)[\"']")
_F = re.compile(rb"<" + _PFX + rb"f\b([^>]*?)(?:/>|>(.*?)</" + _PFX + rb"f>)", re.DOTALL)
_V = re.compile(rb"<" + _PFX + rb"v\b[^>]*>(.*?)</" + _PFX + rb"v>", re.DOTALL)
_SI = re.compile(rb"\ssi\s*=\s*[\"'](\d+)[\"']")
_MERGE = re.compile(rb"<" + _PFX + rb"mergeCell\b[^>]*?\sref\s*=\s*[\"']([^\"']+)[\"']")
_PROTECT = re.compile(rb"<" + _PFX + rb"sheetProtection\b([^>]*)>")
_ERROR_T = re.compile(rb"\st\s*=\s*[\"']e[\"']")
# The error values python-calamine (0.9) reads; it refuses a sheet holding any other.
CALAMINE_ERRORS = frozenset({b"#DIV/0!", b"#N/A", b"#NAME?", b"#NULL!", b"#NUM!", b"#REF!", b"#VALUE!"})
_PROTECT_ON = re.compile(rb"\ssheet\s*=\s*[\"'](1|true)[\"']")


# Shape of every reference: digits → '0', letters → 'A', so "is there any cell beyond column Z or row
# 999 999?" becomes a plain substring search (memchr speed) instead of a regular expression per cell.
_SHAPE = bytes.maketrans(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"0" * 10 + b"A" * 26)
_WIDE_MARK = b'r="AA'  # a column of two or more letters (AA and beyond)
_ROW_R = re.compile(rb"<" + _PFX + rb"row\b[^>]*?\sr\s*=\s*[\"'](\d+)[\"']")
_FAR_MARK = b"A0000000"  # a cell in row 1 000 000 or beyond
_FAR_ROW_MARK = b"r=\"0000000"  # a row numbered 1 000 000 or beyond
_ANY_REF = re.compile(rb"\sr\s*=\s*[\"']([A-Za-z]{1,4})(\d+)[\"']")


@dataclass
class SheetScan:
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (1-based row, 0-based col) → '#N/A'
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) → '=A2*2'
    uncalculated: set[tuple[int, int]] = field(default_factory=set)  # formula cells with no cached value
    merged: list[str] = field(default_factory=list)
    protected: bool = False
    unlocated: int = 0  # formula/error cells without an r="A1" address (not placed; counted)
    max_row: int = 0  # the last row number used (1-based), rows without r counted in
    max_col: int = 25  # the last column used (0-based); at least Z: narrower sheets are not measured
    wide: bool = False  # some reference is in column AA or beyond
    # Cells whose style shows them as a percent (see numfmt), as (1-based row, 0-based col) arrays in
    # chunks; only collected when the reader asks for it (``percent_styles``).
    percent_rows: list[npt.NDArray[np.int64]] = field(default_factory=list)
    percent_cols: list[npt.NDArray[np.int64]] = field(default_factory=list)

    def percent_mask(self, first: int, n: int, c1: int, c2: int) -> dict[int, npt.NDArray[np.bool_]]:
        """Per table column (0-based from c1) that holds any percent cell in rows first..first+n-1:
        one bool per data row."""
        if not self.percent_rows or n <= 0:
            return {}
        rows, cols = np.concatenate(self.percent_rows), np.concatenate(self.percent_cols)
        inside = (rows >= first) & (rows < first + n) & (cols >= c1) & (cols <= c2)
        out: dict[int, npt.NDArray[np.bool_]] = {}
        rows, cols = rows[inside] - first, cols[inside] - c1
        for j in np.unique(cols).tolist():
            mask = np.zeros(n, dtype=bool)
            mask[rows[cols == j]] = True
            out[int(j)] = mask
        return out

    @property
    def grid_cells_if_unordered(self) -> int:
        """The rectangle if rows below 1 000 000 could be anywhere (what the fast pass guarantees)."""
        return max(self.max_row, 999_999) * (self.max_col + 1)

    @property
    def grid_cells(self) -> int:
        """Cells a reader that fills the sheet's rectangle from A1 (calamine) allocates."""
        return self.max_row * (self.max_col + 1)


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ch - 64)
    return n - 1


def _percent_patterns(styles: frozenset[int], quote: bytes = b'"') -> tuple[list[bytes], re.Pattern[bytes],
                                                                         re.Pattern[bytes]]:
    """Needles (one per style, in the sheet's quote character) and patterns for the cells of the given
    styles: a fast pattern for the attribute order every writer uses (``<c r="B2" s="7"``: a literal
    prefix, runs in C) and a general one (any order, a namespace prefix)."""
    ids = b"|".join(str(i).encode() for i in sorted(styles))
    needles = [b"s=" + quote + str(i).encode() + quote for i in sorted(styles)]
    q = re.escape(quote)
    fast = re.compile(rb"<c r=" + q + rb"([A-Z]{1,3})(\d+)" + q + rb" s=" + q + rb"(?:" + ids + rb")" + q)
    general = re.compile(rb"<" + _PFX + rb"c\b([^>]*?)\ss\s*=\s*[\"'](?:" + ids + rb")[\"']([^>]*)>")
    return needles, fast, general


class _Scanner:
    def __init__(self, measure: bool, percent_styles: frozenset[int] = frozenset()) -> None:
        self.out = SheetScan()
        self.measure = measure
        self.percent_styles = percent_styles
        self.percent = _percent_patterns(percent_styles) if percent_styles else None
        self.shared: dict[bytes, str] = {}  # shared-formula index → master text
        self.first = True
        # Needles chosen once per sheet: substring tests are the whole cost of a sheet without
        # formulas or errors, so each segment gets as few of them as possible.
        self.f_needle = b"<f"
        self.e_needle = b'"e"'
        self.wide_needle = _WIDE_MARK

    def feed(self, seg: bytes, tail: bool = False) -> None:
        if self.first:
            self.first = False
            head = seg[:65536]
            root = re.search(rb"<([A-Za-z_][\w.-]*:)?worksheet\b", head)
            if root is not None and root.group(1):
                self.f_needle = b":f"  # <x:f>
            if b"r='" in head and b'r="' not in head:
                self.e_needle, self.wide_needle = b"'e'", _WIDE_MARK.replace(b'"', b"'")
                if self.percent_styles:
                    self.percent = _percent_patterns(self.percent_styles, b"'")
        if self.measure:
            self._extent(seg)
        if self.f_needle in seg or self.e_needle in seg:
            self._cells(seg)
        if self.percent is not None:
            self._percents(seg)
        if tail:  # mergeCells and sheetProtection follow sheetData: only the tail can hold them
            if b"mergeCell" in seg:
                self.out.merged.extend(m.group(1).decode("ascii", "replace") for m in _MERGE.finditer(seg))
            if b"sheetProtection" in seg:
                for m in _PROTECT.finditer(seg):
                    if _PROTECT_ON.search(m.group(1)):
                        self.out.protected = True

    def _extent(self, seg: bytes) -> None:
        """Track the sheet's extent. Rows come in order in every real file, so the last row of each
        segment gives the row count; a reference that is wide (column AA or beyond) or far (row
        1 000 000 or beyond) makes the segment be read exactly, wherever it sits. Out-of-order rows
        of a hostile file can then only hide below row 1 000 000 in columns A..Z, and wide sheets
        get an exact second pass (``scan_sheet``)."""
        out = self.out
        last = max(seg.rfind(b"<row"), seg.rfind(b":row"))
        if last >= 0:
            m = _ROW_R.search(seg, seg.rfind(b"<", 0, last + 1))
            if m is not None:
                out.max_row = max(out.max_row, int(m.group(1)))
        shape = seg.translate(_SHAPE)
        wide = self.wide_needle in shape
        if wide or _FAR_MARK in shape or _FAR_ROW_MARK in shape:
            out.wide = out.wide or wide
            self.exact(seg)

    def exact(self, seg: bytes) -> None:
        out = self.out
        for m in _ROW_R.finditer(seg):
            out.max_row = max(out.max_row, int(m.group(1)))
        for m in _ANY_REF.finditer(seg):
            out.max_col = max(out.max_col, _col(m.group(1)))
            out.max_row = max(out.max_row, int(m.group(2)))

    def _percents(self, seg: bytes) -> None:
        """Collect the percent-styled cells of a segment. Sheets without such cells cost one substring
        search per style; with them, the fast pattern finds the cells in C and numpy turns the
        addresses into numbers, so no Python runs per cell."""
        assert self.percent is not None
        needles, fast, general = self.percent
        if not any(n in seg for n in needles):
            return
        hits = sum(seg.count(n) for n in needles)
        found = fast.findall(seg)
        if len(found) < hits:  # another attribute order or a prefix (or a styled row): the general way
            found = []
            for m in general.finditer(seg):
                ref = _ATTR_R.search(b" " + m.group(1) + b" " + m.group(2))
                if ref is not None:
                    found.append((ref.group(1).upper(), ref.group(2)))
        if not found:
            return
        arr = np.array(found, dtype=bytes)
        letters, inverse = np.unique(arr[:, 0], return_inverse=True)
        cols = np.array([_col(x) for x in letters.tolist()], dtype=np.int64)[inverse.ravel()]
        self.out.percent_rows.append(arr[:, 1].astype(np.int64))
        self.out.percent_cols.append(cols)

    def _cells(self, seg: bytes) -> None:
        pos = 0
        while True:
            hit = _HIT.search(seg, pos)
            if hit is None:
                return
            lo = max(0, hit.start() - 4096)
            start = -1
            for m in _CELL_START.finditer(seg, lo, hit.start() + 1):
                start = m.start()
            cell = _CELL.match(seg, start) if start >= 0 else None
            if cell is None:
                pos = hit.end()
                continue
            self._cell(cell.group(2), cell.group(3) or b"")
            pos = cell.end()

    def _cell(self, attrs: bytes, body: bytes) -> None:
        ref = _ATTR_R.search(attrs)
        t = _ATTR_T.search(attrs)
        f = _F.search(body)
        is_error = t is not None and t.group(1) == b"e"
        if f is None and not is_error:
            return
        if ref is None:
            self.out.unlocated += 1
            return
        key = (int(ref.group(2)), _col(ref.group(1)))
        if f is not None:
            text = html.unescape((f.group(2) or b"").decode("utf-8", "replace"))
            si = _SI.search(f.group(1))
            if si is not None:
                if text:
                    self.shared[si.group(1)] = text
                else:
                    text = self.shared.get(si.group(1), "")
            self.out.formulas[key] = "=" + text if text else "=?"
            v = _V.search(body)
            # Excel stores an empty-text result as t="str" with an empty <v>; other writers leave
            # <v> out (or empty) when they never calculated the formula.
            if v is None or (not v.group(1) and (t is None or t.group(1) != b"str")):
                self.out.uncalculated.add(key)
        if is_error:
            v = _V.search(body)
            self.out.errors[key] = html.unescape(v.group(1).decode("utf-8", "replace")).strip() if v else "#N/A"


def segments(fh: IO[bytes]) -> Iterator[tuple[bytes, bool]]:
    """The sheet XML read from ``fh`` in segments of about ``CHUNK`` bytes, each cut after the end of
    a row so no cell is ever split between two; yields (segment, tail), tail for segments that may
    hold what follows sheetData. Concatenated, the segments are the part unchanged."""
    buf = b""
    while True:
        chunk = fh.read(CHUNK)
        if not chunk:
            break
        buf += chunk
        cut = buf.rfind(b"row>")
        if cut < 0 and len(buf) < 16 * CHUNK:
            continue
        if cut < 0:
            yield buf, True  # no row end in 64 MB: not sheet data
            buf = b""
            continue
        yield buf[:cut + 4], False
        buf = buf[cut + 4:]
    yield buf, True


def calamine_errors(seg: bytes) -> bytes:
    """``seg`` with the value of every error cell that python-calamine cannot read (anything but
    ``CALAMINE_ERRORS``, e.g. Excel 365's #SPILL!) rewritten to #N/A; everything else unchanged.

    Used only for a sheet calamine refused: it reads error cells as blank whatever their code, and the
    scan of the original part keeps the true codes (``SheetScan.errors``)."""
    if b'"e"' not in seg and b"'e'" not in seg:
        return seg
    out: list[bytes] = []
    last = pos = 0
    while (hit := _ERROR_T.search(seg, pos)) is not None:
        start = -1
        for m in _CELL_START.finditer(seg, max(0, hit.start() - 4096), hit.start() + 1):
            start = m.start()
        cell = _CELL.match(seg, start) if start >= 0 else None
        if cell is None or cell.end(2) < hit.end() or cell.group(3) is None:
            pos = hit.end()
            continue
        t = _ATTR_T.search(cell.group(2))
        v = _V.search(seg, cell.start(3), cell.end(3))
        if t is not None and t.group(1) == b"e" and v is not None and v.group(1) not in CALAMINE_ERRORS:
            out += (seg[last:v.start(1)], b"#N/A")
            last = v.end(1)
        pos = cell.end()
    if not out:
        return seg
    out.append(seg[last:])
    return b"".join(out)


def scan_sheet(zf: zipfile.ZipFile, part: str, source: str = "", *, measure: bool = True,
               percent_styles: frozenset[int] = frozenset()) -> SheetScan:
    """Scan ``part`` of ``zf`` (see the module docstring). Damaged data → UnusableFileError.

    ``measure``: also measure the sheet's extent (``max_row``/``max_col``) for ``guard.check_extent``;
    this costs a pass of byte searches, so the reader asks for it where it waits for the result.
    ``percent_styles``: the cell styles that show a percent (``numfmt.percent_styles``); their cells
    are collected in ``percent_rows``/``percent_cols``."""
    scanner = _Scanner(measure, percent_styles)
    try:
        with zf.open(part) as fh:
            for seg, tail in segments(fh):
                scanner.feed(seg, tail)
        out = scanner.out
        if measure and out.wide and out.grid_cells_if_unordered > guard.MAX_GRID_CELLS:
            # A wide sheet: rows out of order below row 1 000 000 would now matter. Measure exactly.
            with zf.open(part) as fh:
                rest = b""
                while chunk := fh.read(CHUNK):
                    seg = rest + chunk
                    cut = seg.rfind(b">") + 1
                    scanner.exact(seg[:cut])
                    rest = seg[cut:]
    except KeyError as exc:
        raise UnusableFileError(f"{source}: 文件缺少工作表部件 {part}，文件已损坏。",
                                f"{source}: the sheet part {part} is missing; the file is damaged.") from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise UnusableFileError(f"{source}: 工作表部件 {part} 已损坏，无法读取。请使用原始文件或备份（.bak）。",
                                f"{source}: the sheet part {part} is damaged and cannot be read. "
                                "Use the original file or its backup (.bak).") from exc
    return scanner.out
