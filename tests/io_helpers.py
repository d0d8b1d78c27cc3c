"""Builders of real .xlsx files for the reader, guard and CSV tests.

``SheetSpec`` describes one sheet: title rows, a header, rows, and optionally an Excel table
(ListObject) over header + rows. ``build_openpyxl`` writes small books with openpyxl (real
ListObjects via ``openpyxl.worksheet.table.Table``); ``build_big_observations`` writes big ones with
xlsxwriter. Hostile and unusable files are made by the ``make_*`` functions from a valid book.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import xlsxwriter
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table as XlTable

from xlperf.contract import TABLES_BY_NAME


@dataclass(frozen=True)
class Err:
    """An Excel error value to write into a cell (openpyxl data_type 'e')."""

    code: str


@dataclass
class SheetSpec:
    name: str
    headers: Sequence[Any]
    rows: Sequence[Sequence[Any]] = ()
    table: str | None = None  # ListObject name; None: plain cells only
    top: int = 1  # 1-based row of the header
    left: int = 1  # 1-based column of the first header
    title_rows: Sequence[Sequence[Any]] = ()  # written from row 1 above the header (top must leave room)
    hidden: bool = False
    protect: str | None = None  # password: the sheet is protected
    merges: Sequence[str] = ()
    extra_cells: dict[str, Any] = field(default_factory=dict)  # e.g. {"A20": "stray"}
    table_rows: int | None = None  # rows covered by the ListObject (default: len(rows))


# The hand-built observation sheets here have the nine columns HR types; the two a pull fills
# (count, pulled_from: issue 16) are optional and left out, as in a workbook made before them.
TYPED_KEYS = {"observations": ("date", "period_id", "vendor_id", "worker_id", "indicator_id", "value", "source",
                               "recorder", "note")}


def labels(table: str, lang: str = "zh", keys: Sequence[str] | None = None) -> list[str]:
    spec = TABLES_BY_NAME[table]
    use = keys or TYPED_KEYS.get(table) or spec.keys
    return [spec.field(k).label(lang) for k in use]


def _put(ws: Any, row: int, col: int, value: Any) -> None:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, Err):
        cell.value = value.code
        cell.data_type = "e"
    else:
        cell.value = value
        if isinstance(value, (dt.date, dt.datetime)):
            cell.number_format = "yyyy-mm-dd"


def build_openpyxl(path: Path, sheets: Sequence[SheetSpec]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for spec in sheets:
        ws = wb.create_sheet(spec.name)
        for r, title in enumerate(spec.title_rows, start=1):
            for c, v in enumerate(title, start=spec.left):
                _put(ws, r, c, v)
        for c, h in enumerate(spec.headers, start=spec.left):
            _put(ws, spec.top, c, h)
        for r, row in enumerate(spec.rows, start=spec.top + 1):
            for c, v in enumerate(row, start=spec.left):
                if v is not None:
                    _put(ws, r, c, v)
        if spec.table:
            n = spec.table_rows if spec.table_rows is not None else len(spec.rows)
            last_col = get_column_letter(spec.left + len(spec.headers) - 1)
            ref = f"{get_column_letter(spec.left)}{spec.top}:{last_col}{spec.top + max(n, 1)}"
            ws.add_table(XlTable(displayName=spec.table, ref=ref))
        for rng in spec.merges:
            ws.merge_cells(rng)
        for addr, v in spec.extra_cells.items():
            ws[addr] = v
        if spec.hidden:
            ws.sheet_state = "hidden"
        if spec.protect is not None:
            ws.protection.sheet = True
            ws.protection.password = spec.protect
    wb.save(path)
    return path


def observation_rows(n: int, start: int = 0) -> list[list[Any]]:
    """n observation rows in contract field order (date, period, vendor, worker, indicator, value,
    source, recorder, note)."""
    d0 = dt.datetime(2026, 1, 1)
    return [[d0 + dt.timedelta(days=i % 90), f"2026-0{1 + (i % 90) // 31}", f"V{i % 5:03d}", f"W{i % 200:05d}",
             f"I{i % 12:02d}", float(i % 100), "report", "张三", None if i % 3 else f"备注{i}"]
            for i in range(start, start + n)]


def build_big_observations(path: Path, n: int, *, empty_styled_rows: int = 0, sheet: str = "监控记录") -> Path:
    """A book with one observations ListObject of n rows, written with xlsxwriter (shared strings, as
    Excel writes them). ``empty_styled_rows`` adds rows below the data that carry only formatting and
    are inside the table's range (what a user's pre-formatted template looks like)."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(sheet)
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    fill = wb.add_format({"bg_color": "#FFF2CC", "border": 1})
    headers = labels("observations")
    ws.write_row(0, 0, headers)
    for i, row in enumerate(observation_rows(n), start=1):
        ws.write_datetime(i, 0, row[0], date_fmt)
        for j in range(1, 9):
            v = row[j]
            if v is None:
                continue
            if isinstance(v, float):
                ws.write_number(i, j, v)
            else:
                ws.write_string(i, j, v)
    for k in range(empty_styled_rows):
        r = n + 1 + k
        ws.set_row(r, None, fill)
        ws.write_blank(r, 0, None, fill)
        ws.write_blank(r, 5, None, fill)
    last = n + empty_styled_rows
    ws.add_table(0, 0, max(last, 1), len(headers) - 1,
                 {"name": "observations", "columns": [{"header": h} for h in headers]})
    wb.close()
    return path


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fast_observations(path: Path, n: int) -> Path:
    """Like ``build_big_observations`` but in a second or two: the sheet XML is generated with string
    formatting and spliced into a one-row openpyxl book (as xlperf's own writer does it)."""
    import re

    template = build_openpyxl(path.with_suffix(".tpl.xlsx"), [
        SheetSpec("监控记录", labels("observations"), observation_rows(1), table="observations")])
    with zipfile.ZipFile(template) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode()
        table_part = next(x for x in zf.namelist() if x.startswith("xl/tables/"))
        table = zf.read(table_part).decode()
    date_style = re.search(r'<c r="A2" s="(\d+)"', xml)
    assert date_style is not None
    epoch = dt.datetime(1899, 12, 30)
    out = [xml[:xml.index("<row ")]]
    out.append('<row r="1">' + "".join(f'<c r="{get_column_letter(j + 1)}1" t="inlineStr"><is><t>{_esc(h)}</t></is></c>'
                                       for j, h in enumerate(labels("observations"))) + "</row>")
    for i, row in enumerate(observation_rows(n)):
        r = i + 2
        cells = [f'<c r="A{r}" s="{date_style.group(1)}"><v>{(row[0] - epoch).days}</v></c>']
        for j in range(1, 9):
            v = row[j]
            col = "ABCDEFGHI"[j]
            if v is None:
                continue
            if isinstance(v, float):
                cells.append(f'<c r="{col}{r}"><v>{v!r}</v></c>')
            else:
                cells.append(f'<c r="{col}{r}" t="inlineStr"><is><t>{_esc(v)}</t></is></c>')
        out.append(f'<row r="{r}">' + "".join(cells) + "</row>")
    out.append(xml[xml.index("</sheetData>"):])
    body = "".join(out)
    body = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:I{n + 1}"/>', body, count=1)
    table = re.sub(r'ref="A1:I\d+"', f'ref="A1:I{n + 1}"', table)
    rezip(template, path, replace={"xl/worksheets/sheet1.xml": body.encode(), table_part: table.encode()})
    template.unlink()
    return path


def simple_book(path: Path, n: int = 3) -> Path:
    """A small valid book: vendors + observations as ListObjects."""
    return build_openpyxl(path, [
        SheetSpec("供应商", labels("vendors", keys=["vendor_id", "name"]),
                  [[f"V{i:03d}", f"供应商{i}"] for i in range(n)], table="vendors"),
        SheetSpec("监控记录", labels("observations"), observation_rows(n), table="observations"),
    ])


def with_empty_styled_rows(src: Path, dst: Path, n: int, sheet_part: str = "xl/worksheets/sheet2.xml") -> Path:
    """Copy ``src`` adding ``n`` rows of formatted empty cells under the data of ``sheet_part`` and
    stretching its table over them, as a user's pre-formatted template looks (Excel writes such rows
    as ``<row s=".." customFormat="1">`` with styled ``<c>`` elements that hold no value)."""
    import re

    with zipfile.ZipFile(src) as zf:
        xml = zf.read(sheet_part).decode()
        table_part = next(x for x in zf.namelist() if x.startswith("xl/tables/") and
                          "observations" in zf.read(x).decode())
        table = zf.read(table_part).decode()
    last = max(int(r) for r in re.findall(r'<row r="(\d+)"', xml))
    rows = "".join(f'<row r="{r}" s="1" customFormat="1"><c r="A{r}" s="1"/><c r="F{r}" s="1"/></row>'
                   for r in range(last + 1, last + 1 + n))
    xml = xml.replace("</sheetData>", rows + "</sheetData>", 1)
    xml = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:I{last + n}"/>', xml, count=1)
    ref = re.search(r'ref="A1:([A-Z]+)\d+"', table)
    assert ref is not None
    table = table.replace(ref.group(0), f'ref="A1:{ref.group(1)}{last + n}"')
    table = re.sub(r'(<autoFilter ref=")A1:[A-Z]+\d+', rf'\g<1>A1:{ref.group(1)}{last + n}', table)
    return rezip(src, dst, replace={sheet_part: xml.encode(), table_part: table.encode()})


# --- unusable and hostile files -------------------------------------------------------------------

def rezip(src: Path, dst: Path, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None,
          drop: Sequence[str] = ()) -> Path:
    """Copy the zip ``src`` to ``dst`` changing some members."""
    replace = replace or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info)))
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dst


def zip_of(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


BILLION_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                  b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n')
EXTERNAL_ENTITY = b'<?xml version="1.0"?>\n<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
