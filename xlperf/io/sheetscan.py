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
from dataclasses import dataclass, field

from ..errors import UnusableFileError

CHUNK = 4 * 1024 * 1024

_PFX = rb"(?:[A-Za-z_][\w.-]*:)?"
_HIT = re.compile(rb"<" + _PFX + rb"f[\s>/]|\st\s*=\s*[\"']e[\"']")
_CELL_START = re.compile(rb"<" + _PFX + rb"c[\s>/]")
_CELL = re.compile(rb"<(" + _PFX + rb")c\b([^>]*?)(?:/>|>(.*?)</\1c>)", re.S)
_ATTR_R = re.compile(rb"\sr\s*=\s*[\"']\$?([A-Za-z]{1,3})\$?(\d+)[\"']")
_ATTR_T = re.compile(rb"\st\s*=\s*[\"']([^\"']*)[\"']")
_F = re.compile(rb"<" + _PFX + rb"f\b([^>]*?)(?:/>|>(.*?)</" + _PFX + rb"f>)", re.S)
_V = re.compile(rb"<" + _PFX + rb"v\b[^>]*>(.*?)</" + _PFX + rb"v>", re.S)
_SI = re.compile(rb"\ssi\s*=\s*[\"'](\d+)[\"']")
_MERGE = re.compile(rb"<" + _PFX + rb"mergeCell\b[^>]*?\sref\s*=\s*[\"']([^\"']+)[\"']")
_PROTECT = re.compile(rb"<" + _PFX + rb"sheetProtection\b([^>]*)>")
_PROTECT_ON = re.compile(rb"\ssheet\s*=\s*[\"'](1|true)[\"']")


# Shape of every reference: digits → '0', letters → 'A', so "is there any cell beyond column Z or row
# 999 999?" becomes a plain substring search (memchr speed) instead of a regular expression per cell.
_SHAPE = bytes.maketrans(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"0" * 10 + b"A" * 26)
_WIDE_MARK = b'r="AA'  # a column of two or more letters (AA and beyond)
_ROW_R = re.compile(rb"<" + _PFX + rb"row\b[^>]*?\sr\s*=\s*[\"'](\d+)[\"']")
_FAR_MARK = b'A0000000"'  # a cell in row 1 000 000 or beyond
_ANY_REF = re.compile(rb"\sr\s*=\s*[\"']([A-Za-z]{1,4})(\d+)[\"']")
_ROW_TAG = re.compile(rb"<" + _PFX + rb"row[\s>/]")


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

    @property
    def grid_cells(self) -> int:
        """Cells a reader that fills the sheet's rectangle from A1 (calamine) allocates."""
        return self.max_row * (self.max_col + 1)


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ch - 64)
    return n - 1


class _Scanner:
    def __init__(self) -> None:
        self.out = SheetScan()
        self.shared: dict[bytes, str] = {}  # shared-formula index → master text

    def feed(self, seg: bytes) -> None:
        self._shape(seg)
        if b"<f" in seg or b":f" in seg or b'"e"' in seg or b"'e'" in seg:
            self._cells(seg)
        if b"mergeCell" in seg:
            self.out.merged.extend(m.group(1).decode("ascii", "replace") for m in _MERGE.finditer(seg))
        if b"sheetProtection" in seg:
            for m in _PROTECT.finditer(seg):
                if _PROTECT_ON.search(m.group(1)):
                    self.out.protected = True

    def _shape(self, seg: bytes) -> None:
        """Track the sheet's extent: every row number, and every reference that is wide (column AA or
        beyond) or far (row 1 000 000 or beyond), since a hostile file need not keep them in order."""
        out = self.out
        numbers = [int(m.group(1)) for m in _ROW_R.finditer(seg)]
        if numbers:
            out.max_row = max(out.max_row, max(numbers))
        # Rows without r="" follow the previous row: count them in so they cannot hide.
        unnumbered = len(_ROW_TAG.findall(seg)) - len(numbers) if b'<row>' in seg or b':row>' in seg else 0
        out.max_row += max(0, unnumbered)
        shape = seg.translate(_SHAPE)
        if _WIDE_MARK in shape or _FAR_MARK in shape:
            for m in _ANY_REF.finditer(seg):
                out.max_col = max(out.max_col, _col(m.group(1)))
                out.max_row = max(out.max_row, int(m.group(2)))

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


def scan_sheet(zf: zipfile.ZipFile, part: str, source: str = "") -> SheetScan:
    """Scan ``part`` of ``zf`` (see the module docstring). Damaged data → UnusableFileError."""
    scanner = _Scanner()
    buf = b""
    try:
        with zf.open(part) as fh:
            while True:
                chunk = fh.read(CHUNK)
                if not chunk:
                    break
                buf += chunk
                # Cut after the last end of a row, so no cell is ever split between two segments.
                cut = buf.rfind(b"row>")
                if cut < 0 and len(buf) < 16 * CHUNK:
                    continue
                cut = cut + 4 if cut >= 0 else len(buf)
                scanner.feed(buf[:cut])
                buf = buf[cut:]
        scanner.feed(buf)
    except KeyError as exc:
        raise UnusableFileError(f"{source}: 文件缺少工作表部件 {part}，文件已损坏。",
                                f"{source}: the sheet part {part} is missing; the file is damaged.") from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise UnusableFileError(f"{source}: 工作表部件 {part} 已损坏，无法读取。请使用原始文件或备份（.bak）。",
                                f"{source}: the sheet part {part} is damaged and cannot be read. "
                                "Use the original file or its backup (.bak).") from exc
    return scanner.out
