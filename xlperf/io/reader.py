"""Read a workbook file into a RawBook: every contract table, found by name, values untouched.

The procedure, in order:

1. ``guard.open_package``: refuse unusable or hostile files with one clear sentence.
2. ``opc.read_workbook``: the sheets (as named now, with visibility) and the Excel tables on them.
3. Locate each contract table: as the ListObject with its name (on whatever sheet it sits now), or
   else on the sheet named with the table's zh/en sheet name, its header row found among the first
   ``HEADER_SCAN_ROWS`` rows by the contract's labels (extra title rows above are fine).
4. Per sheet that holds a table: values in bulk with python-calamine (one call per sheet). Sheets are
   read by ``VALUE_THREADS`` threads at once, biggest first (calamine parses without the GIL, so the
   biggest sheet's parse, the critical path, runs beside all the others), while one more thread scans
   the sheet XML (``sheetscan``) for formulas, error values, merged cells and protection; calamine
   reads error cells as empty, so the scan puts ``CellError`` back. A sheet calamine refuses for an
   error value it does not know (#SPILL! and the other Excel 365 codes) is read again from a patched
   in-memory copy (``errorpatch``). Results are taken in sheet order, so tables, notes and the first
   refusal are what reading one sheet after the other gives. Python's cycle collector is paused
   meanwhile (``gcpause``). The biggest sheet may have been parsed already, while the
   command line was still importing pandas (``prefetch``).
5. Per table: slice the block, blanks → None, dates → datetime, trailing empty rows dropped.

Anything odd is reported in ``RawBook.notes`` as findings with ``reader.*`` codes (see ``CODES``).
"""

from __future__ import annotations

import datetime as dt
import threading
import zipfile
import zlib
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import python_calamine as pc

from ..book import CellError, RawBook, RawTable, col_letter
from ..contract import INPUT_TABLES, OUTPUT_TABLES, Table, normalise_header
from ..errors import UnusableFileError
from ..findings import Finding, Severity
from ..i18n import Text
from . import errorpatch, guard, numfmt, opc, prefetch
from .belowtable import rows_below
from .gcpause import gc_paused
from .sheetscan import SheetScan, scan_sheet

HEADER_SCAN_ROWS = 10
# Sheets read at once: python-calamine parses without the GIL, so on two cores the biggest sheet is
# parsed beside all the others (and the sheet scans); more threads would only contend.
VALUE_THREADS = 2
CONTRACT_TABLES: tuple[Table, ...] = (*INPUT_TABLES, *OUTPUT_TABLES)

Grid = list[list[Any]]
ObjArray = npt.NDArray[np.object_]


@dataclass(frozen=True)
class NoteCode:
    severity: Severity
    message: Text
    hint: Text


CODES: dict[str, NoteCode] = {
    "reader.no-list-object": NoteCode(
        Severity.INFO,
        Text("“{sheet}”中没有名为 {name} 的 Excel 表格，已按表头（第 {row} 行）读取",
             "No Excel table named {name} on '{sheet}'; read by its header row (row {row})"),
        Text("可选中数据区域按 Ctrl+T 转为表格并命名为 {name}，以便增删行时更可靠。",
             "Select the data, press Ctrl+T and name the table {name} for more reliable row handling.")),
    "reader.header-not-found": NoteCode(
        Severity.WARNING,
        Text("工作表“{sheet}”的前 {n} 行中找不到“{table}”的表头", "No header row of '{table}' in the first {n} rows of '{sheet}'"),
        Text("表头行需包含该表的列名（中文、英文或字段名），如“{example}”。",
             "The header row must hold the table's column names (Chinese, English or key), e.g. '{example}'.")),
    "reader.rows-below-table": NoteCode(
        Severity.WARNING,
        Text("表格 {name} 正下方第 {rows} 行（{n} 行）不在表格范围内，已作为该表的数据读取并校验",
             "Row(s) {rows} ({n}) right below the table {name} lie outside its range; they were read and "
             "checked as its rows"),
        Text("xlperf 下次写入工作簿时会把表格范围扩展到这些行（与 Excel 自动扩展表格相同）；如果它们不属于该表，请删除或移开。",
             "The next time xlperf writes the workbook it extends the table over these rows (as Excel's "
             "AutoExpand does); if they do not belong to the table, delete or move them.")),
    "reader.content-below-table": NoteCode(
        Severity.WARNING,
        Text("表格 {name} 下方隔着空行的第 {row} 行（{cell}）起还有内容，不属于该表，未被读取",
             "Below the table {name}, after a blank row, row {row} ({cell}) holds content that is not part "
             "of the table; it was not read"),
        Text("如果这些是该表的数据，请删除中间的空行（或把它们移进表格）；否则可忽略本提示。",
             "If these are rows of the table, delete the blank row(s) in between (or move them into the "
             "table); otherwise ignore this.")),
    "reader.formula-without-value": NoteCode(
        Severity.WARNING,
        Text("工作表“{sheet}”中有 {n} 个公式单元格没有计算结果（首个 {cell}），按空白读取",
             "{n} formula cell(s) on the sheet '{sheet}' have no calculated value (first {cell}); read as blank"),
        Text("在 Excel 中打开并保存一次（让公式计算出结果），或把公式换成数值。",
             "Open and save the file in Excel once so the formulas are calculated, or replace them with values.")),
    "reader.hidden-sheet": NoteCode(
        Severity.INFO,
        Text("表格 {name} 所在的工作表“{sheet}”处于隐藏状态", "The table {name} sits on the hidden sheet '{sheet}'"),
        Text("如需查看，右键工作表标签 → 取消隐藏。", "To see it, right-click a sheet tab → Unhide.")),
    "reader.unlocated-cells": NoteCode(
        Severity.INFO,
        Text("工作表“{sheet}”中有 {n} 个公式或错误单元格没有地址，未能定位", "{n} formula or error cell(s) on '{sheet}' carry no address and could not be placed"),
        Text("在 Excel 中打开并保存一次即可补全。", "Opening and saving the file in Excel fixes this.")),
}


def note(code: str, lang: str, *, sheet: str = "", cell: str = "", table: str = "", value: str = "",
         **kw: object) -> Finding:
    c = CODES[code]
    params = {"sheet": sheet, "cell": cell, "table": table, **kw}
    return Finding(code=code, severity=c.severity, sheet=sheet, cell=cell, table=table, value=value,
                   message=c.message(lang, **params), hint=c.hint(lang, **params))


@dataclass
class _Plan:
    """Where one contract table is, before the values are read."""

    spec: Table
    sheet: opc.SheetEntry
    list_object: opc.TablePart | None


def read_book(path: str | Path, *, lang: str = "zh", tables: Sequence[Table] | None = None) -> RawBook:
    """Read every contract table of the workbook at ``path`` (input and output tables by default).

    Raises UnusableFileError for files that are not usable workbooks; everything else that looks odd
    becomes a ``reader.*`` note in ``RawBook.notes`` (messages in ``lang``).
    """
    p = Path(path)
    source = p.name
    specs = tuple(tables) if tables is not None else CONTRACT_TABLES
    zf = guard.open_package(p)
    try:
        with gc_paused():
            return _read(zf, p, specs, lang)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, UnicodeError, pc.CalamineError) as exc:
        # Damage the guard could not see without unpacking everything (a flipped byte deep inside a
        # part): still one sentence, never a traceback.
        raise UnusableFileError(
            f"无法使用文件“{source}”：文件已损坏，读取时出错（{type(exc).__name__}）。请使用原始文件或备份（.bak），或在 Excel 中打开后另存。",
            f"Cannot use {source!r}: the file is damaged and could not be read ({type(exc).__name__}). Use the "
            "original file or its backup (.bak), or open it in Excel and save it again.") from exc
    finally:
        zf.close()


def _read(zf: zipfile.ZipFile, p: Path, specs: Sequence[Table], lang: str) -> RawBook:
    source = p.name
    info = opc.read_workbook(zf, source)
    book = RawBook(source=str(p), tables={}, sheets=[s.name for s in info.sheets],
                   hidden_sheets=[s.name for s in info.sheets if s.state != "visible"])
    plans = _locate(info, specs)
    holding = [s for s in info.sheets if any(pl.sheet is s for pl in plans)]  # in sheet order
    scan_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="xlperf-sheetscan")
    value_pool = ThreadPoolExecutor(max_workers=max(1, min(VALUE_THREADS, len(holding))),
                                    thread_name_prefix="xlperf-sheetread")
    workbooks = _Workbooks(p)
    # Percent-formatted cells of input tables are found by the same scan (see numfmt, sheetscan).
    percent = numfmt.percent_styles(zf, info.workbook_part, source)
    inputs = {pl.sheet.part for pl in plans if pl.spec.kind == "input"}
    try:
        scans: dict[str, Future[SheetScan]] = {
            s.part: scan_pool.submit(scan_sheet, zf, s.part, source, measure=_measured(zf, s.part),
                                     percent_styles=percent if s.part in inputs else frozenset())
            # Only the sheets holding a table asked for: a scan inflates the whole sheet, and a scored
            # book's results sheets are hundreds of MB that a read of the input tables never needs.
            for s in _scan_order(zf, holding)}
        ctx = _Context(zf, p, info, scans, workbooks, lang)
        # The biggest sheet first: it is the critical path, the others are read beside it.
        reads = {s.part: value_pool.submit(_read_sheet, ctx, s, [pl for pl in plans if pl.sheet is s])
                 for s in sorted(holding, key=lambda s: -_size(zf, s.part))}
        # Results are taken in sheet order, so tables, notes and the first refusal come out exactly as
        # if the sheets had been read one after the other.
        for s in holding:
            tables, notes = reads[s.part].result()
            book.tables.update(tables)
            book.notes.extend(notes)
        for s in holding:
            scan = scans[s.part].result()
            if scan.protected:
                book.protected_sheets.append(s.name)
            if scan.unlocated:
                book.notes.append(note("reader.unlocated-cells", lang, sheet=s.name, n=scan.unlocated))
    finally:
        # On a refusal, sheets and scans not yet started are dropped rather than unpacking the rest of
        # the file; the value threads go first, as they may be waiting for a scan.
        value_pool.shutdown(wait=True, cancel_futures=True)
        scan_pool.shutdown(wait=True, cancel_futures=True)
        workbooks.close()
    return book


def _scan_order(zf: zipfile.ZipFile, holding: list[opc.SheetEntry]) -> list[opc.SheetEntry]:
    """The order of the one scan thread: first the sheets whose extent a reading thread waits for
    before it parses (small, quick), then the others, smallest first (each scan is needed when the
    sheet's parse ends, and small sheets parse first)."""
    def key(s: opc.SheetEntry) -> tuple[int, int]:
        return (0, 0) if _measured(zf, s.part) else (1, _size(zf, s.part))
    return sorted(holding, key=key)


class _Workbooks:
    """One calamine workbook per reading thread, opened when that thread first parses: pyo3 lends a
    workbook to one parse at a time (a second thread would be refused), and opening costs little
    (the zip directory, workbook.xml, the shared strings)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: list[pc.CalamineWorkbook] = []

    def get(self) -> pc.CalamineWorkbook:
        wb: pc.CalamineWorkbook | None = getattr(self._local, "wb", None)
        if wb is None:
            try:
                wb = pc.CalamineWorkbook.from_path(str(self.path))
            except pc.CalamineError as exc:
                raise _damaged(self.path.name, exc) from exc
            self._local.wb = wb
            with self._lock:
                self._open.append(wb)
        return wb

    def close(self) -> None:
        with self._lock:
            for wb in self._open:
                wb.close()
            self._open.clear()


@dataclass
class _Context:
    """What every reading thread shares (all of it read-only, or safe across threads: ZipFile reads
    lock its file, futures are made for it)."""

    zf: zipfile.ZipFile
    path: Path
    info: opc.WorkbookInfo
    scans: dict[str, Future[SheetScan]]
    workbooks: _Workbooks
    lang: str


SheetResult = tuple[dict[str, RawTable], list[Finding]]


def _read_sheet(ctx: _Context, sheet: opc.SheetEntry, mine: list[_Plan]) -> SheetResult:
    """The tables on one sheet, with the notes about them, in plan order (runs in a reading thread)."""
    p, zf = ctx.path, ctx.zf
    wb = ctx.workbooks.get()  # opened before the extent check, as the sequential reader did
    if _measured(zf, sheet.part):
        # calamine fills the sheet's rectangle from A1, so a hostile file with one far cell would
        # make it allocate billions of cells: the scan measures the extent first. Big sheets (where
        # such a bomb would first need megabytes of padding) are scanned while calamine reads
        # instead, which keeps the scan off the critical path of a million-row recompute.
        scan = ctx.scans[sheet.part].result()
        guard.check_extent(p.name, sheet.name, scan.max_row, scan.max_col)
    # A big sheet (never measured first) may have been parsed while the CLI imported pandas.
    fetched = None if _measured(zf, sheet.part) else prefetch.take(p, sheet.name)
    try:
        grid: Grid = fetched if fetched is not None else \
            wb.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
    except pc.CalamineError as exc:
        if not errorpatch.is_unsupported_error(exc):
            raise _damaged(p.name, exc, sheet.name) from exc
        grid = _read_patched(zf, p.name, ctx.info, sheet)
    scan = ctx.scans[sheet.part].result()
    tables: dict[str, RawTable] = {}
    notes: list[Finding] = []
    for plan in mine:
        table = _build(plan, grid, scan, notes, ctx.lang)
        if table is not None:
            tables[plan.spec.name] = table
    return tables, notes


def _locate(info: opc.WorkbookInfo, specs: Sequence[Table]) -> list[_Plan]:
    by_name = {t.name.lower(): (s, t) for s, t in info.tables() if s.part}
    by_sheet = {normalise_header(s.name): s for s in info.sheets if s.part and s.kind == "worksheet"}
    plans = []
    for spec in specs:
        hit = by_name.get(spec.name.lower())
        if hit is not None:
            plans.append(_Plan(spec, hit[0], hit[1]))
            continue
        if spec.kind != "input":
            continue  # xlperf's own outputs are always written as tables; no guessing for them
        sheet = by_sheet.get(normalise_header(spec.zh)) or by_sheet.get(normalise_header(spec.en))
        if sheet is not None:
            plans.append(_Plan(spec, sheet, None))
    return plans


def _read_patched(zf: zipfile.ZipFile, source: str, info: opc.WorkbookInfo, sheet: opc.SheetEntry) -> Grid:
    """The sheet read from a copy whose error cells calamine does not know (Excel 365's #SPILL! and
    the like) hold #N/A instead; the scan keeps the true codes (see ``errorpatch``)."""
    others = {s.part for s in info.sheets if s.part and s.part != sheet.part}
    data = errorpatch.patched_package(zf, sheet.part, drop=others)
    try:
        wb = pc.CalamineWorkbook.from_filelike(data)
        try:
            grid: Grid = wb.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
        finally:
            wb.close()
    except pc.CalamineError as exc:
        raise _damaged(source, exc, sheet.name) from exc
    return grid


def _measured(zf: zipfile.ZipFile, part: str) -> bool:
    """Whether the reader waits for this sheet's extent before calamine reads it (see guard)."""
    try:
        return zf.getinfo(part).file_size <= guard.EXTENT_CHECK_MAX_BYTES
    except KeyError:
        return True


def _size(zf: zipfile.ZipFile, part: str) -> int:
    """The sheet's XML size unpacked (what its parse costs is about proportional to)."""
    try:
        return zf.getinfo(part).file_size
    except KeyError:
        return 0


def _damaged(name: str, exc: Exception, sheet: str = "") -> UnusableFileError:
    where_zh = f"工作表“{sheet}”" if sheet else "工作簿"
    where_en = f"the sheet {sheet!r}" if sheet else "the workbook"
    return UnusableFileError(
        f"无法使用文件“{name}”：{where_zh}内容已损坏，无法读取（{exc}）。请使用原始文件或备份（.bak），或在 Excel 中打开后另存。",
        f"Cannot use {name!r}: {where_en} is damaged and cannot be read ({exc}). Use the original file or its "
        "backup (.bak), or open it in Excel and save it again.")


def _build(plan: _Plan, grid: Grid, scan: SheetScan, notes: list[Finding], lang: str) -> RawTable | None:
    spec, sheet, lo = plan.spec, plan.sheet, plan.list_object
    appended = 0
    if lo is not None:
        r1, c1, r2, c2 = lo.bounds
        header_row = r1 if lo.header_rows else r1 - 1
        first_data, last_data = header_row + 1, r2 - lo.totals_rows
        cells = _row(grid, header_row, c1, c2) if lo.header_rows else [None] * (c2 - c1 + 1)
        headers = [_header_text(v) or (lo.columns[j] if j < len(lo.columns) else "") for j, v in enumerate(cells)]
        if spec.kind == "input":  # rows right below the table are its rows (belowtable)
            appended = _note_below(lo, sheet, grid, scan, spec, notes, lang)
            last_data += appended
    else:
        found = _find_header(spec, grid)
        if found is None:
            example = " | ".join(f.zh for f in spec.fields[:4])
            notes.append(note("reader.header-not-found", lang, sheet=sheet.name, table=spec.name,
                                   n=HEADER_SCAN_ROWS, example=example))
            return None
        header_row, c1, c2 = found
        headers = [_header_text(v) for v in _row(grid, header_row, c1, c2)]
        first_data, last_data = header_row + 1, max(len(grid), header_row)
        notes.append(note("reader.no-list-object", lang, sheet=sheet.name, table=spec.name,
                               cell=f"{col_letter(c1)}{header_row}", name=spec.name, row=header_row))
    data, n = _block(grid, first_data, last_data, c1, c2, scan)
    formulas = {(r - first_data, c - c1): text for (r, c), text in scan.formulas.items()
                if first_data <= r < first_data + n and c1 <= c <= c2}
    _note_uncalculated(scan, first_data, n, c1, c2, spec, sheet.name, notes, lang)
    last_row = max(first_data + n - 1, header_row)
    merged = [m for m in scan.merged if _overlaps(m, header_row, c1, last_row, c2)]
    if sheet.state != "visible" and spec.kind == "input":
        notes.append(note("reader.hidden-sheet", lang, sheet=sheet.name, table=spec.name,
                               name=lo.name if lo else spec.name))
    frame = pd.DataFrame(data, columns=pd.RangeIndex(data.shape[1]), dtype=object, copy=False)
    return RawTable(name=spec.name, sheet=sheet.name, header_row=header_row, first_col=c1, headers=headers,
                    data=frame, is_list_object=lo is not None, formulas=formulas, merged=merged,
                    percent=scan.percent_mask(first_data, n, c1, c2), appended_rows=appended)


def _note_below(lo: opc.TablePart, sheet: opc.SheetEntry, grid: Grid, scan: SheetScan, spec: Table,
                notes: list[Finding], lang: str) -> int:
    """How many rows directly below the ListObject belong to it (noted), noting content further down."""
    _, c1, r2, c2 = lo.bounds
    tops = [opc.parse_ref(o.ref)[0] for o in sheet.tables if o is not lo and _overlaps(o.ref, r2 + 1, c1, len(grid), c2)]
    stop = min([len(grid), *(t - 1 for t in tops)])  # another table below bounds the region
    found = rows_below(grid[r2:stop] if stop > r2 else [], r2 + 1, c1, c2, can_grow=not lo.totals_rows,
                       errors=scan.errors)
    if found.appended:
        notes.append(note("reader.rows-below-table", lang, sheet=sheet.name, table=spec.name,
                          cell=found.first_cell, name=lo.name, n=found.appended, rows=found.rows))
    if found.further_row:
        notes.append(note("reader.content-below-table", lang, sheet=sheet.name, table=spec.name,
                          cell=found.further_cell, name=lo.name, row=found.further_row))
    return found.appended


def _row(grid: Grid, row: int, c1: int, c2: int) -> list[Any]:
    """Cells c1..c2 of 1-based Excel row ``row`` (None beyond the grid)."""
    width = c2 - c1 + 1
    if row < 1 or row > len(grid):
        return [None] * width
    cells = grid[row - 1][c1:c2 + 1]
    return cells + [None] * (width - len(cells))


def _filled(v: object) -> bool:
    return v is not None and v != ""


def _header_text(v: object) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _find_header(spec: Table, grid: Grid) -> tuple[int, int, int] | None:
    """(header row, first col, last col) of the best-matching row among the first rows, or None."""
    header_map = spec.header_map()
    need = min(2, len(spec.fields))
    best: tuple[int, int, int, int] | None = None  # (matches, row, c1, c2)
    for r, cells in enumerate(grid[:HEADER_SCAN_ROWS], start=1):
        matched = [j for j, v in enumerate(cells) if _filled(v) and normalise_header(v) in header_map]
        if len({normalise_header(cells[j]) for j in matched}) < need:
            continue
        if best is None or len(matched) > best[0]:
            c1, c2 = min(matched), max(matched)
            while c1 > 0 and _filled(cells[c1 - 1]):
                c1 -= 1
            while c2 + 1 < len(cells) and _filled(cells[c2 + 1]):
                c2 += 1
            best = (len(matched), r, c1, c2)
    return None if best is None else best[1:]


def _to_objects(rows: Grid) -> ObjArray:
    """A list of equal-length row lists → a 2-D object array, in C (pandas' helper when available)."""
    try:
        from pandas._libs import lib

        out: ObjArray = getattr(lib, "to_object_array")(rows)  # noqa: B009 - untyped pandas internal
        return out
    except (ImportError, AttributeError):  # pragma: no cover - pandas internals moved
        return np.array(rows, dtype=object)


def _block(grid: Grid, first: int, last: int, c1: int, c2: int, scan: SheetScan) -> tuple[ObjArray, int]:
    """Rows first..last (1-based, inclusive), columns c1..c2 as an object array with blanks as None,
    error cells as CellError, dates as datetime; trailing fully blank rows dropped. Returns (array, n)."""
    width = c2 - c1 + 1
    rows = grid[first - 1:last] if last >= first else []
    if not rows:
        return np.empty((0, width), dtype=object), 0
    full = _to_objects(rows)
    have = max(0, min(full.shape[1], c2 + 1) - c1)  # columns of the table the sheet has cells in
    if c1 == 0 and full.shape[1] == width:
        arr: ObjArray = full  # the table spans the whole sheet: no copy
    else:
        arr = np.empty((len(rows), width), dtype=object)  # None beyond the sheet's last column
        arr[:, :have] = full[:, c1:c1 + have]
    del full
    # calamine gives "" for blank (and error) cells and never None; None only fills padded columns.
    # Blank test and type test run over the same slice of rows one after the other, so a column's
    # cells are still in the CPU cache for the second (a cell is a pointer to an object elsewhere in
    # memory; fetching it is most of the cost). The type test only looks for columns that may hold
    # calamine's ``date`` objects: any kind outside ``_SAFE_KINDS`` in any slice.
    blank = np.ones(arr.shape, dtype=bool)
    maybe_dates = [False] * have
    for start in range(0, arr.shape[0], _SLICE_ROWS):
        part = arr[start:start + _SLICE_ROWS, :have]
        empty = np.asarray(part == "", dtype=bool)
        part[empty] = None
        blank[start:start + _SLICE_ROWS, :have] = empty
        for j in range(have):
            if not maybe_dates[j]:
                maybe_dates[j] = _infer(part[:, j], skipna=True) not in _SAFE_KINDS
    for (r, c), code in scan.errors.items():
        if first <= r <= last and c1 <= c <= c2 and r - first < arr.shape[0]:
            arr[r - first, c - c1] = CellError(code)
            blank[r - first, c - c1] = False
    filled_rows = np.flatnonzero(~blank.all(axis=1))
    n = int(filled_rows[-1]) + 1 if len(filled_rows) else 0
    arr = arr[:n]
    for col in [arr[:, j] for j in range(have) if maybe_dates[j]]:
        _dates_to_datetime(col)
    return arr, n


_SLICE_ROWS = 8192  # rows per slice: 8192 cells of a column take about half a megabyte (the L2 cache)
_infer = pd.api.types.infer_dtype
_SAFE_KINDS = frozenset({"string", "floating", "integer", "boolean", "empty", "mixed-integer-float", "datetime",
                         "decimal"})


def _dates_to_datetime(col: ObjArray) -> None:
    """calamine gives whole-day dates as ``datetime.date``; the contract says datetime. In place.

    Dates repeat (a few hundred days over a million rows), so the conversion runs over the distinct
    values only: factorize, convert the uniques, take back."""
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    uniq = np.asarray(uniques, dtype=object)
    is_date = np.fromiter((type(u) is dt.date for u in uniq), dtype=bool, count=len(uniq))
    if not is_date.any():
        return
    converted = uniq.copy()
    converted[is_date] = [dt.datetime(u.year, u.month, u.day) for u in uniq[is_date]]
    codes = np.asarray(codes)
    sel = codes >= 0
    sel[sel] = is_date[codes[sel]]
    col[sel] = converted[codes[sel]]


def _note_uncalculated(scan: SheetScan, first: int, n: int, c1: int, c2: int, spec: Table, sheet: str,
                       notes: list[Finding], lang: str) -> None:
    cells = sorted((r, c) for (r, c) in scan.uncalculated if first <= r < first + n and c1 <= c <= c2)
    if cells:
        r, c = cells[0]
        notes.append(note("reader.formula-without-value", lang, sheet=sheet, table=spec.name,
                               cell=f"{col_letter(c)}{r}", n=len(cells)))


def _overlaps(ref: str, r1: int, c1: int, r2: int, c2: int) -> bool:
    try:
        a1, b1, a2, b2 = opc.parse_ref(ref)
    except ValueError:
        return False
    return a1 <= r2 and r1 <= a2 and b1 <= c2 and c1 <= b2
