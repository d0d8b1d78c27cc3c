"""The bad-input corpus: one small valid workbook per session, and helpers that damage a COPY of it.

The valid book is the demo data trimmed to 2 workers per vendor and a few records per indicator
(``small_tables``), written by ``xlperf.demo.build_book``: the real template, real ListObjects,
Chinese headers. It validates with no errors and recomputes.

Damage is done at the file level, two ways:

- ``damage(src, dst, edit)``: openpyxl loads the copy (``keep_vba=True``), ``edit`` changes it through a
  ``Damager`` that finds cells by table name, data row and field key (so a case names the cell it
  broke and the test can ask for exactly that cell in the findings), and the copy is saved.
- ``patch_part`` / ``put_raw_cell`` / ``pad_styled_rows``: direct XML edits of one part of the package,
  for what openpyxl cannot write (a formula with its cached value, 100 000 styled empty rows).

Running the CLI: ``run_cli(argv, capsys)`` calls ``xlperf.cli.main`` in-process and returns the exit
code with stdout and stderr; ``run_cli_subprocess`` does the same through ``python -m xlperf``.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.table import Table as XlTable
from openpyxl.worksheet.worksheet import Worksheet

from xlperf.contract import TABLES_BY_NAME, normalise_header
from xlperf.demo import build_book, demo_tables

REPO = Path(__file__).resolve().parent.parent
WORKERS_PER_VENDOR = 2
RECORDS_PER_INDICATOR = 8


# ── the valid book ────────────────────────────────────────────────────────────────────────────────

def small_tables(lang: str = "zh") -> dict[str, pd.DataFrame]:
    """The demo tables, trimmed: 6 vendors, 12 workers, 13 indicators, ~66 observations, 7 goals.
    Deterministic (the demo's seed), so row positions are stable between runs."""
    tabs = demo_tables("demo", lang=lang)
    workers = tabs["workers"].groupby("vendor_id", sort=False).head(WORKERS_PER_VENDOR).reset_index(drop=True)
    ids = set(workers["worker_id"])
    tabs["workers"] = workers

    def mine(frame: pd.DataFrame) -> pd.Series:
        return frame["worker_id"].isna() | frame["worker_id"].isin(ids)

    obs = tabs["observations"]
    tabs["observations"] = obs[mine(obs)].groupby("indicator_id", sort=False).head(RECORDS_PER_INDICATOR) \
        .reset_index(drop=True)
    for name in ("ratings", "goals"):
        frame = tabs[name]
        tabs[name] = frame[mine(frame)].reset_index(drop=True)
    return tabs


def build_small_book(path: Path, lang: str = "zh") -> Path:
    return build_book(path, lang, small_tables(lang))


_SHARED: dict[str, Path] = {}


def shared_valid_book(lang: str = "zh") -> Path:
    """The valid book (zh or en template), built once per test process (each xdist worker) and shared
    by the corpus modules; tests only read it or damage copies of it. Removed when the process ends."""
    if lang not in _SHARED:
        folder = Path(tempfile.mkdtemp(prefix=f"xlperf-corpus-{lang}-"))
        atexit.register(shutil.rmtree, folder, True)
        _SHARED[lang] = build_small_book(folder / "valid.xlsm", lang)
    return _SHARED[lang]


# ── reading a book's facts (sha, positions) ───────────────────────────────────────────────────────

def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ── damage through openpyxl ───────────────────────────────────────────────────────────────────────

Where = tuple[str, str]  # (sheet, A1 cell)


class Damager:
    """Edits of an openpyxl workbook, addressed the way HR thinks of them: table, data row, field."""

    def __init__(self, wb: openpyxl.Workbook) -> None:
        self.wb = wb

    # -- locating
    def table(self, name: str) -> tuple[Worksheet, XlTable]:
        for ws in self.wb.worksheets:
            for tname in list(ws.tables.keys()):
                if tname.lower() == name.lower():
                    return ws, ws.tables[tname]
        raise KeyError(f"no ListObject {name}")

    def bounds(self, name: str) -> tuple[int, int, int, int]:
        """(min_col, min_row, max_col, max_row) of the ListObject, 1-based."""
        _, t = self.table(name)
        c1, r1, c2, r2 = range_boundaries(t.ref)
        return c1, r1, c2, r2

    def col(self, name: str, key: str) -> int:
        """1-based sheet column of the field ``key`` in table ``name`` (by its header cell)."""
        ws, _ = self.table(name)
        c1, r1, c2, _ = self.bounds(name)
        header_map = TABLES_BY_NAME[name].header_map()
        for c in range(c1, c2 + 1):
            if header_map.get(normalise_header(ws.cell(r1, c).value)) == key:
                return c
        raise KeyError(f"{name} has no column {key}")

    def addr(self, name: str, i: int, key: str) -> Where:
        """(sheet, A1) of data row ``i`` (0-based) of field ``key``."""
        ws, _ = self.table(name)
        _, r1, _, _ = self.bounds(name)
        return ws.title, f"{get_column_letter(self.col(name, key))}{r1 + 1 + i}"

    def header(self, name: str, key: str) -> Where:
        ws, _ = self.table(name)
        _, r1, _, _ = self.bounds(name)
        return ws.title, f"{get_column_letter(self.col(name, key))}{r1}"

    def get(self, name: str, i: int, key: str) -> Any:
        ws, _ = self.table(name)
        return ws[self.addr(name, i, key)[1]].value

    def rows(self, name: str) -> int:
        _, r1, _, r2 = self.bounds(name)
        return r2 - r1

    def find_row(self, name: str, **match: Any) -> int:
        """The first data row whose fields equal ``match`` (None matches a blank cell)."""
        for i in range(self.rows(name)):
            if all(_same(self.get(name, i, k), v) for k, v in match.items()):
                return i
        raise KeyError(f"no row of {name} with {match}")

    # -- cells
    def set(self, name: str, i: int, key: str, value: Any) -> Where:
        ws, _ = self.table(name)
        where = self.addr(name, i, key)
        ws[where[1]].value = value
        if hasattr(value, "year"):
            ws[where[1]].number_format = "yyyy-mm-dd"
        return where

    def set_text(self, name: str, i: int, key: str, text: str) -> Where:
        """A string cell even when it looks like a number or a date (a text-formatted cell)."""
        ws, _ = self.table(name)
        where = self.addr(name, i, key)
        cell = ws[where[1]]
        cell.value = text
        cell.data_type = "s"
        cell.number_format = "@"
        return where

    def set_error(self, name: str, i: int, key: str, code: str) -> Where:
        ws, _ = self.table(name)
        where = self.addr(name, i, key)
        cell = ws[where[1]]
        cell.value = code
        cell.data_type = "e"
        return where

    # -- structure
    def delete_column(self, name: str, key: str) -> None:
        ws, t = self.table(name)
        c1, r1, c2, r2 = self.bounds(name)
        col = self.col(name, key)
        label = ws.cell(r1, col).value
        ws.delete_cols(col)
        t.ref = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2 - 1)}{r2}"
        if t.autoFilter is not None:
            t.autoFilter.ref = t.ref
        t.tableColumns = [tc for tc in t.tableColumns if tc.name != label]
        for n, tc in enumerate(t.tableColumns, start=1):
            tc.id = n

    def swap_columns(self, name: str, key_a: str, key_b: str) -> None:
        """Exchange two whole columns of the table (header and data): the user reordered them."""
        ws, t = self.table(name)
        _, r1, _, r2 = self.bounds(name)
        a, b = self.col(name, key_a), self.col(name, key_b)
        for r in range(r1, r2 + 1):
            ca, cb = ws.cell(r, a), ws.cell(r, b)
            ca.value, cb.value = cb.value, ca.value
            ca.number_format, cb.number_format = cb.number_format, ca.number_format
        c1 = self.bounds(name)[0]
        cols = list(t.tableColumns)
        ia, ib = a - c1, b - c1
        cols[ia].name, cols[ib].name = cols[ib].name, cols[ia].name
        t.tableColumns = cols

    def insert_rows_above(self, name: str, rows: list[list[Any]]) -> None:
        """Title rows above the table: everything on the sheet moves down, the ListObject with it."""
        ws, t = self.table(name)
        c1, r1, c2, r2 = self.bounds(name)
        n = len(rows)
        ws.insert_rows(r1, n)
        for k, row in enumerate(rows):
            for j, v in enumerate(row):
                ws.cell(r1 + k, c1 + j).value = v
        t.ref = f"{get_column_letter(c1)}{r1 + n}:{get_column_letter(c2)}{r2 + n}"
        if t.autoFilter is not None:
            t.autoFilter.ref = t.ref
        ws.freeze_panes = None

    def unlist(self, name: str) -> str:
        """Turn the ListObject back into plain cells; returns its sheet."""
        ws, t = self.table(name)
        del ws.tables[t.name]
        return ws.title

    def rename_sheet(self, name: str, title: str) -> None:
        ws, _ = self.table(name)
        ws.title = title

    def remove_sheet(self, name: str) -> str:
        ws, _ = self.table(name)
        title = ws.title
        self.wb.remove(ws)
        return title

    def move_sheet_first(self, name: str) -> None:
        ws, _ = self.table(name)
        self.wb.move_sheet(ws, offset=-self.wb.index(ws))

    def merge(self, name: str, i1: int, key1: str, i2: int, key2: str) -> str:
        ws, _ = self.table(name)
        a, b = self.addr(name, i1, key1)[1], self.addr(name, i2, key2)[1]
        ws.merge_cells(f"{a}:{b}")
        return f"{a}:{b}"

    def protect(self, name: str, password: str) -> str:
        ws, _ = self.table(name)
        ws.protection.sheet = True
        ws.protection.password = password
        return ws.title

    def hide(self, name: str) -> str:
        ws, _ = self.table(name)
        ws.sheet_state = "hidden"
        return ws.title

def _same(a: Any, b: Any) -> bool:
    if b is None:
        return a is None or a == ""
    return bool(a == b)


def damage(src: Path, dst: Path, edit: Callable[[Damager], Any]) -> tuple[Path, Any]:
    """Copy ``src`` to ``dst`` through openpyxl with ``edit`` applied; returns (dst, what edit returned)."""
    wb = openpyxl.load_workbook(src, keep_vba=True)
    result = edit(Damager(wb))
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    wb.close()
    return dst, result


# ── damage at the XML level ───────────────────────────────────────────────────────────────────────

def sheet_part(path: Path, sheet: str) -> str:
    """The zip member of the worksheet named ``sheet`` (via workbook.xml and its relationships)."""
    with zipfile.ZipFile(path) as zf:
        wb = zf.read("xl/workbook.xml").decode("utf-8")
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    for m in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", wb):
        tag = m.group(0)
        name = re.search(r'\bname="([^"]*)"', tag)
        rid = re.search(r'\br:id="([^"]*)"', tag) or re.search(r'\bid="([^"]*)"', tag)
        if name and rid and _xml_unescape(name.group(1)) == sheet:
            for rel in re.finditer(r"<Relationship\b[^>]*>", rels):
                if f'Id="{rid.group(1)}"' in rel.group(0):
                    target = re.search(r'Target="([^"]*)"', rel.group(0))
                    assert target
                    t = target.group(1)
                    return t.lstrip("/") if t.startswith("/") else f"xl/{t}"
    raise KeyError(f"no sheet {sheet!r} in {path}")


def _xml_unescape(s: str) -> str:
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")


def patch_part(path: Path, part: str, edit: Callable[[bytes], bytes]) -> Path:
    """Rewrite one member of the package in place (every other member copied as is)."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == part:
                data = edit(data)
            zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    tmp.replace(path)
    return path


def put_raw_cell(path: Path, sheet: str, ref: str, cell_xml: str) -> Path:
    """Replace the cell ``ref`` of ``sheet`` with the raw ``<c>`` element ``cell_xml`` (the cell must exist)."""
    def edit(data: bytes) -> bytes:
        text = data.decode("utf-8")
        pattern = re.compile(rf'<c r="{ref}"(?:\s[^>]*)?(?:/>|>.*?</c>)', re.DOTALL)
        new, n = pattern.subn(cell_xml, text, count=1)
        assert n == 1, f"cell {ref} not found in {sheet}"
        return new.encode("utf-8")

    return patch_part(path, sheet_part(path, sheet), edit)


def pad_styled_rows(path: Path, sheet: str, first_row: int, n: int, cols: str = "ABCDEFGHI",
                    style: int = 1, table_part: str | None = None, table_ref: str | None = None) -> Path:
    """Append ``n`` rows of empty but styled cells from ``first_row`` (what formatting whole columns, or
    dragging a format down, leaves behind). With ``table_part``, the ListObject is stretched to
    ``table_ref`` over them, as when a user drags the table's corner down."""
    row_xml = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{c}{r}" s="{style}"/>' for c in cols) + "</row>"
        for r in range(first_row, first_row + n))

    def edit(data: bytes) -> bytes:
        text = data.decode("utf-8")
        text = re.sub(r"<sheetData\s*/>", "<sheetData></sheetData>", text, count=1)
        head, sep, tail = text.partition("</sheetData>")
        assert sep
        last = f"{cols[-1]}{first_row + n - 1}"
        head = re.sub(r'<dimension ref="([A-Z]+\d+):[A-Z]+\d+"', rf'<dimension ref="\1:{last}"', head, count=1)
        return (head + row_xml + sep + tail).encode("utf-8")

    patch_part(path, sheet_part(path, sheet), edit)
    if table_part and table_ref:
        def stretch(data: bytes) -> bytes:
            text = data.decode("utf-8")
            text = re.sub(r'\bref="[A-Z]+\d+:[A-Z]+\d+"', f'ref="{table_ref}"', text)
            return text.encode("utf-8")

        patch_part(path, table_part, stretch)
    return path


def table_part(path: Path, table: str) -> str:
    """The zip member of the ListObject named ``table``."""
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/tables/") and name.endswith(".xml"):
                head = zf.read(name)[:2000].decode("utf-8", errors="replace")
                if re.search(rf'\bname="{re.escape(table)}"', head, re.IGNORECASE):
                    return name
    raise KeyError(table)


# ── running the CLI ───────────────────────────────────────────────────────────────────────────────

@dataclass
class CliRun:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    @property
    def text(self) -> str:
        return self.out + self.err


def run_cli(argv: list[str], capsys: Any) -> CliRun:
    from xlperf.cli import main

    capsys.readouterr()
    code = main(argv)
    captured = capsys.readouterr()
    return CliRun(code, captured.out, captured.err)


def run_cli_subprocess(argv: list[str], timeout: float = 120) -> CliRun:
    proc = subprocess.run([sys.executable, "-m", "xlperf", *argv], capture_output=True, text=True, check=False,
                          encoding="utf-8", cwd=REPO, timeout=timeout)
    return CliRun(proc.returncode, proc.stdout, proc.stderr)


# ── what a message must look like ─────────────────────────────────────────────────────────────────

def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def is_english(text: str) -> bool:
    """No Chinese characters outside quoted values: English messages may quote a Chinese sheet name or
    cell value, so only text outside quotes is looked at."""
    bare = re.sub(r"'[^']*'|\"[^\"]*\"|“[^”]*”", "", text)
    return not has_cjk(bare)


def chinese_message(message: str) -> bool:
    """A zh message has Chinese words of its own, not just a quoted value."""
    bare = re.sub(r"“[^”]*”|'[^']*'|\"[^\"]*\"", "", message)
    return has_cjk(bare)


def no_traceback(text: str) -> bool:
    return "Traceback" not in text and 'File "' not in text


def one_sentence(text: str) -> bool:
    """One line of output (a sentence, perhaps with a hint clause), no traceback."""
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return len(lines) == 1 and no_traceback(text)
