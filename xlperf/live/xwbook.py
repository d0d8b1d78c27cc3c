"""The live engine: the workbook open in Excel, through xlwings (Windows and macOS).

``XwBook(book)`` implements the ``BookEngine`` protocol over an ``xlwings.Book``:

- ``read()``: each contract table (input tables and xlperf's own output tables) is found as the
  ListObject of that name and read with ONE bulk ``.value`` call over its whole range (headers
  included); a sheet named as a table but holding no ListObject is read from its used range, also in
  one call. Excel error cells arrive as their codes (``err_to_str``) and become ``CellError``.
- ``write(blocks)``: every block is converted to plain Python rows before Excel is touched; each is then
  written with ONE bulk ``.value`` call (plus a constant number of calls per column for number formats
  and widths, none per row). Before a block's sheet is changed its old contents are read in one call;
  if anything fails, every block written so far is put back as it was (sheets this run added are
  deleted), so no block is ever left half-written. Screen updating, events, the calculation mode and
  the status bar are set for the run and restored in ``finally``.

Percent cells (98.5% typed is 0.985 with a percent format) are found by asking each number column's
``NumberFormat`` in one call, halving only columns of mixed formats (``formats``).

Known difference from the file engine: the live read does not collect formulas or merged ranges
(``RawTable.formulas`` / ``merged`` stay empty), so the warnings ``formula-in-input`` and
``merged-cells`` appear only when validating the file; both engines use the values Excel shows, so
scores are the same. Collecting them live would cost a second full transfer of every table.

The number of Excel calls of a recompute therefore depends on the number of tables and columns, not on
the number of rows. Everything here is typed against xlwings' own type hints (``mypy --strict``); what
only a real Excel can check is listed in docs/INSTALL.md ("What is tested where").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlwings as xw

from ..book import CellError, OutputBlock, RawBook, RawTable, book_lang
from ..contract import INPUT_TABLES, OUTPUT_TABLES, Table
from ..errors import UsageError, WriteError
from ..findings import Finding
from ..io.belowtable import Below, rows_below
from .formats import table_percents

ERROR_CODES = frozenset({"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA",
                         "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"})
ALL_TABLES: tuple[Table, ...] = (*INPUT_TABLES, *OUTPUT_TABLES)
INPUT_NAMES = frozenset(t.name for t in INPUT_TABLES)
OWNED_PREFIX = "xp_"  # output ListObjects are named xp_*: a sheet holding one is xlperf's to replace


@dataclass
class _Payload:
    block: OutputBlock
    rows: list[list[Any]]  # header row first
    formats: list[str | None]
    widths: list[float]


@dataclass
class _Undo:
    sheet: xw.Sheet
    created: bool
    values: list[list[Any]] | None  # the old used range, or None when the sheet was empty/new
    table_address: str | None
    origin: tuple[int, int] = (1, 1)  # top-left cell of the old used range


class XwBook:
    """A BookEngine over an open xlwings Book."""

    def __init__(self, book: xw.Book) -> None:
        self.book = book
        # ListObjects with rows right below their range (xlperf.io.belowtable) → (sheet, table, last
        # data row): resized over those rows on the next write, as Excel's AutoExpand would
        self._grow: dict[str, tuple[xw.Sheet, xw.main.Table, int]] = {}

    # ── reading ──────────────────────────────────────────────────────────────────────────────────
    def read(self) -> RawBook:
        return self.read_tables([t.name for t in ALL_TABLES])

    def read_tables(self, names: Sequence[str]) -> RawBook:
        """Only the named contract tables (UDFs need two or three small ones)."""
        wanted = {n.lower(): n for n in names}
        tables: dict[str, RawTable] = {}
        sheets: list[str] = []
        hidden: list[str] = []
        by_sheet_name = {t.zh: t for t in ALL_TABLES} | {t.en: t for t in ALL_TABLES}
        plain_candidates: list[tuple[xw.Sheet, Table]] = []
        below: list[tuple[str, str, str, Below]] = []  # (table, sheet, ListObject, what is below)
        for sheet in self.book.sheets:
            sheets.append(sheet.name)
            if not sheet.visible:
                hidden.append(sheet.name)
            for lo in sheet.tables:
                key = lo.name.lower()
                if key in wanted and wanted[key] not in tables:
                    read = _read_list_object(lo, wanted[key], sheet.name)
                    if wanted[key] in INPUT_NAMES:
                        found = _rows_below(sheet, lo, read)
                        if found.appended or found.further_row:
                            below.append((wanted[key], sheet.name, lo.name, found))
                        if found.appended:
                            self._grow[wanted[key]] = (sheet, lo, read.header_row + len(read.data))
                    tables[wanted[key]] = read
            spec = by_sheet_name.get(sheet.name)
            if spec is not None:
                plain_candidates.append((sheet, spec))
        for sheet, spec in plain_candidates:  # a contract sheet whose ListObject was lost
            if spec.name.lower() in wanted and spec.name not in tables:
                table = _read_used_range(sheet, spec.name)
                if table is not None:
                    tables[spec.name] = table
        raw = RawBook(source=self.book.fullname, tables=tables, sheets=sheets, hidden_sheets=hidden)
        raw.notes.extend(below_notes(below, book_lang(raw)))
        return raw

    # ── the file behind the book (feedback and vendor packs are built from the saved file) ─────────
    def saved_path(self) -> Path:
        """Save the workbook and return its path; a never-saved workbook cannot be used."""
        path = Path(self.book.fullname)
        if not path.is_file():
            raise UsageError("请先保存工作簿（文件 → 另存为），再生成反馈表或供应商包。",
                             "Save the workbook first (File → Save As), then make feedback sheets or packs.")
        from ..io.booklock import hold

        with hold(path, command="ribbon save", required=False):  # re-entrant: the ribbon action holds it
            self.book.save()
        return path

    def open_file(self, path: Path) -> None:
        self.book.app.books.open(str(path))

    # ── writing ──────────────────────────────────────────────────────────────────────────────────
    def write(self, blocks: Sequence[OutputBlock]) -> None:
        payloads = [_payload(b) for b in blocks]  # all conversion first: a bad value touches nothing
        # the sheet holding the block's ListObject, whatever the user renamed it to; else by name
        targets = {p.block.sheet_name: self._sheet_for(p.block) for p in payloads}
        for name, sheet in targets.items():
            if sheet is not None and not _owned(sheet):
                raise WriteError(
                    f"工作表“{name}”不是 xlperf 生成的，未覆盖。请将它改名后重试。",
                    f"The sheet '{name}' was not made by xlperf and was not overwritten. Rename it and retry.")
        done: list[_Undo] = []
        with self.quiet():
            try:
                for p in payloads:
                    done.append(self._write_one(p, targets[p.block.sheet_name]))
                for sheet, lo, last in self._grow.values():  # one call per table grown
                    rng = lo.range
                    lo.resize(sheet.range((rng.row, rng.column), (last, rng.column + rng.shape[1] - 1)))
                self._grow = {}
            except Exception as exc:
                problems = self._roll_back(done)
                raise WriteError(
                    "写入 Excel 时出错，已恢复写入前的内容。" + ("" if not problems else "（部分工作表未能恢复）")
                    + f" 详情：{exc}",
                    "Writing to Excel failed; the sheets were put back as they were."
                    + ("" if not problems else " (some sheets could not be restored)") + f" Details: {exc}",
                ) from exc

    def _sheet_for(self, block: OutputBlock) -> xw.Sheet | None:
        for sheet in self.book.sheets:
            if _find_table(sheet, block.table.name) is not None:
                return sheet
        return self._sheet(block.sheet_name)

    def _sheet(self, name: str) -> xw.Sheet | None:
        for sheet in self.book.sheets:
            if sheet.name == name:
                return sheet
        return None

    def _write_one(self, p: _Payload, sheet: xw.Sheet | None) -> _Undo:
        if sheet is None:
            last = self.book.sheets[len(self.book.sheets) - 1]
            sheet = self.book.sheets.add(name=p.block.sheet_name, after=last)
            undo = _Undo(sheet, True, None, None)
        else:
            old = sheet.used_range
            values = old.options(ndim=2).value if old.address != "$A$1" or old.value is not None else None
            table = _find_table(sheet, p.block.table.name)
            undo = _Undo(sheet, False, values, table.range.address if table is not None else None,
                         (old.row, old.column))
        # record the undo before changing anything on the sheet
        _fill(sheet, p)
        return undo

    def _roll_back(self, done: list[_Undo]) -> list[str]:
        problems: list[str] = []
        for undo in reversed(done):
            try:
                if undo.created:
                    undo.sheet.delete()
                    continue
                undo.sheet.clear_contents()
                if undo.values:
                    undo.sheet.range(undo.origin).value = undo.values
                if undo.table_address:
                    for lo in undo.sheet.tables:
                        if lo.name.lower().startswith(OWNED_PREFIX):
                            lo.resize(undo.sheet.range(undo.table_address))
            except Exception as exc:  # keep restoring the others
                problems.append(f"{undo.sheet.name}: {exc}")
        return problems

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """Screen updating and events off, manual calculation; everything restored afterwards."""
        app = self.book.app
        screen, events, calculation = app.screen_updating, app.enable_events, app.calculation
        try:
            app.screen_updating = False
            app.enable_events = False
            app.calculation = "manual"
            yield
        finally:
            # each restored on its own: one failure must not skip the others
            try:
                app.calculation = calculation
            except Exception:
                pass
            try:
                app.enable_events = events
            except Exception:
                pass
            try:
                app.screen_updating = screen
            except Exception:
                pass

    # issue 16 (xlperf pull): an input table's data rows rewritten whole, the screen quiet meanwhile
    def replace_rows(self, table_name: str, frame: pd.DataFrame, keep: int | None = None) -> None:
        """The data rows after the first ``keep`` (all when None) replaced by ``frame``, screen quiet."""
        from .rows import replace_list_rows

        with self.quiet():
            replace_list_rows(self.book, table_name, frame, keep=keep or 0)


# ── helpers (module level so tests can check them without Excel) ───────────────────────────────

def _read_list_object(lo: xw.main.Table, name: str, sheet: str) -> RawTable:
    rng = lo.range
    values = rng.options(ndim=2, err_to_str=True).value  # one call: header + body
    table = raw_table(name, sheet, rng.row, rng.column - 1, values, is_list_object=True)
    # percent-formatted number cells (98.5% typed is 0.985): one format call per number column
    table.percent = table_percents(rng.sheet, name, table.headers, rng.row + 1, rng.column - 1, len(table.data))
    return table


def _rows_below(sheet: xw.Sheet, lo: xw.main.Table, table: RawTable) -> Below:
    """The rows right below a ListObject that belong to it, appended to ``table`` in place (see
    xlperf.io.belowtable). Two calls when the sheet holds anything below the table (its used range,
    then the rows below in bulk), one when it does not."""
    rng = lo.range
    n_rows, n_cols = rng.shape
    r2 = rng.row + n_rows - 1
    c1, c2 = rng.column - 1, rng.column + n_cols - 2  # 0-based
    used = sheet.used_range
    last = used.row + used.shape[0] - 1
    for other in sheet.tables:  # another table below bounds the region
        o = other.range
        if other.name != lo.name and o.row > r2 and o.column - 1 <= c2 and o.column + o.shape[1] - 2 >= c1:
            last = min(last, o.row - 1)
    if last <= r2:
        return Below()
    rows = sheet.range((r2 + 1, c1 + 1), (last, c2 + 1)).options(ndim=2, err_to_str=True).value
    found = rows_below(rows, r2 + 1, c1, c2, origin=c1, can_grow=not bool(getattr(lo, "show_totals", False)))
    if found.appended:
        # the ListObject's own rows (its trailing blank ones too, so row i stays Excel row
        # header_row + 1 + i), then the rows below, converted as the table's own were
        extra = raw_table(table.name, table.sheet, table.header_row, table.first_col,
                          [table.headers, *(list(r) for r in rows[:found.appended])], is_list_object=True).data
        own = r2 - table.header_row
        body = table.data.reindex(range(own)).astype(object)
        body = body.where(body.notna(), None)
        table.data = pd.concat([body, extra], ignore_index=True)
        table.appended_rows = found.appended
        # the rows below are read as the table's: their percent cells too
        table.percent = table_percents(sheet, table.name, table.headers, table.header_row + 1, table.first_col,
                                       len(table.data))
    return found


def below_notes(found: list[tuple[str, str, str, Below]], lang: str) -> list[Finding]:
    """The reader's notes about rows below tables, worded like the file engine's."""
    from ..io.reader import note

    out: list[Finding] = []
    for name, sheet, lo_name, b in found:
        if b.appended:
            out.append(note("reader.rows-below-table", lang, sheet=sheet, table=name, cell=b.first_cell,
                            name=lo_name, n=b.appended, rows=b.rows))
        if b.further_row:
            out.append(note("reader.content-below-table", lang, sheet=sheet, table=name, cell=b.further_cell,
                            name=lo_name, row=b.further_row))
    return out


def _read_used_range(sheet: xw.Sheet, name: str) -> RawTable | None:
    rng = sheet.used_range
    values = rng.options(ndim=2, err_to_str=True).value
    if not values or all(v is None for v in values[0]):
        return None
    table = raw_table(name, sheet.name, rng.row, rng.column - 1, values, is_list_object=False)
    table.percent = table_percents(sheet, name, table.headers, rng.row + 1, rng.column - 1, len(table.data))
    return table


def raw_table(name: str, sheet: str, header_row: int, first_col: int, values: list[list[Any]],
              *, is_list_object: bool) -> RawTable:
    """A RawTable from a 2-D block of cell values as xlwings returns them (header row first)."""
    header = ["" if h is None else str(h) for h in (values[0] if values else [])]
    body = values[1:] if len(values) > 1 else []
    data = pd.DataFrame(body, columns=range(len(header)), dtype=object) if body else \
        pd.DataFrame({j: pd.Series(dtype=object) for j in range(len(header))})
    if len(data):
        data = data.mask(data.isin([""]), None)
        errors = data.isin(ERROR_CODES)
        for j in data.columns[errors.any().to_numpy()]:
            column = data[j].copy()
            column[errors[j]] = [CellError(str(v)) for v in column[errors[j]]]
            data[j] = column
        # a ListObject always has at least one body row, and HR often pre-extends tables: trailing
        # all-blank rows are not records
        filled = np.flatnonzero(~data.isna().all(axis=1).to_numpy())
        data = data.iloc[: (filled[-1] + 1 if filled.size else 0)]
    return RawTable(name=name, sheet=sheet, header_row=header_row, first_col=first_col, headers=header,
                    data=data.reset_index(drop=True), is_list_object=is_list_object)


def _find_table(sheet: xw.Sheet, name: str) -> xw.main.Table | None:
    for lo in sheet.tables:
        if lo.name.lower() == name.lower():
            return lo
    return None


def _owned(sheet: xw.Sheet) -> bool:
    return any(lo.name.lower().startswith(OWNED_PREFIX) for lo in sheet.tables)


def _payload(block: OutputBlock) -> _Payload:
    from ..io.sheetxml import block_columns

    cols = block_columns(block)
    frame = block.frame.reindex(columns=[c.key for c in cols])
    rows: list[list[Any]] = [[c.label for c in cols]]
    rows += to_rows(frame)
    return _Payload(block, rows, [c.num_fmt for c in cols], [c.width for c in cols])


def to_rows(frame: pd.DataFrame) -> list[list[Any]]:
    """Frame values as plain Python rows for one bulk write: NaN/NaT → None, timestamps → datetime,
    numpy scalars → Python, CellError → its code. Column by column, never cell by cell."""
    if not len(frame):
        return []
    columns: list[np.ndarray[Any, Any]] = []
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            arr = np.array(s.dt.to_pydatetime(), dtype=object)
        else:
            arr = np.asarray(s.astype(object), dtype=object).copy()
            if s.dtype == object:
                # the odd Timestamp or CellError inside a text column (rare: checked by type, once)
                odd = np.fromiter((isinstance(v, (pd.Timestamp, CellError)) for v in arr), bool, len(arr))
                for i in np.flatnonzero(odd):
                    v = arr[i]
                    arr[i] = v.to_pydatetime() if isinstance(v, pd.Timestamp) else str(v)
        arr[np.asarray(pd.isna(s), dtype=bool)] = None
        columns.append(arr)
    rows: list[list[Any]] = np.column_stack(columns).tolist()
    return rows


def _fill(sheet: xw.Sheet, p: _Payload) -> None:
    n_rows = max(len(p.rows), 2)  # a ListObject needs one body row, even an empty one
    n_cols = len(p.rows[0])
    h = p.block.header_row  # below the block's summary rows, if it has any
    sheet.clear_contents()
    if p.block.above:
        across = max(len(r) for r in p.block.above)
        sheet.range((1, 1)).value = [list(r) + [None] * (across - len(r)) for r in p.block.above]
    target = sheet.range((h, 1)).resize(n_rows, n_cols)
    sheet.range((h, 1)).value = p.rows  # the one bulk write of the block
    table = _find_table(sheet, p.block.table.name)
    if table is None:
        sheet.tables.add(source=target, name=p.block.table.name)
    else:
        table.resize(target)
    for j, (fmt, width) in enumerate(zip(p.formats, p.widths), start=1):
        if fmt:
            sheet.range((h + 1, j), (h + n_rows - 1, j)).number_format = fmt
        sheet.range((h, j)).column_width = width


def today() -> dt.date:  # kept for symmetry with the file engine's run log; no clock in results
    return dt.date.today()

