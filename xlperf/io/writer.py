"""File-mode writes: output blocks into a workbook, and new data rows into an input table.

Both open the package with ``Package`` (every part xlperf does not own is copied byte for byte),
change only what they must, and save through ``safesave.atomic_write`` (temp file, fsync, atomic
rename, one ``.bak`` backup, refusal while Excel holds the file).

``write_blocks(path, blocks, out=None)`` replaces each block's sheet whole (see ``sheetxml``).

``replace_table_rows(path, table_name, frame, append=False, out=None)`` rewrites the data rows of an
existing Excel table (ListObject), e.g. the monitoring-records table of the template. What it keeps:
- everything in the sheet part outside ``<sheetData>``: sheet properties, views and frozen panes,
  column widths and styles, merged cells, conditional formatting, data validations (their ranges are
  left as they are), hyperlinks, page setup, drawings, comments, table parts, extensions;
- every row above the table's first data row (titles, notes, the header row) verbatim — with
  ``append=True`` also every existing data row;
- each column's cell style, taken from the first old data row (else the column's default style), so
  number and date formats stay; date values in a column without a date format get ``yyyy-mm-dd``;
- calculated columns of the table: a table column with a ``calculatedColumnFormula`` that the frame
  does not supply gets that formula in every new row (Excel computes it on open);
- the table part: only its ``ref`` (and its autoFilter's/sortState's) is updated to the new rows.
What it drops: cells in rows below the header that are not above the table (a note written under the
old last row, cells beside the table on data rows), merged ranges that start in the rewritten rows;
and calcChain.xml if it lists the sheet (a cache Excel rebuilds). Other tables on the same sheet below the header are refused (WriteError).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..book import OutputBlock, col_index, col_letter
from ..contract.schema import Table, column_spellings, normalise_header
from ..errors import WriteError
from . import xmltext as xt
from .extension import KINDS, fit_extension
from .package import CT_TABLE, RT_STYLES, RT_TABLE, Package, Part, Rel, SheetInfo
from .safesave import atomic_write, check_not_locked
from .sheetxml import CellStyles, Override, date_styles, esc, holds_dates, render_block, render_rows
from .styles import MINIMAL_STYLES, StyleBook
from .zipwrite import Chunk


# --------------------------------------------------------------------------- styles part
@dataclass
class Styles:
    """The workbook's styles part, loaded once per save and written back only if xlperf added to it."""

    part: str
    book: StyleBook

    @classmethod
    def of(cls, pkg: Package) -> Styles:
        rel = next((r for r in pkg.rels_of(pkg.workbook_part) if r.type == RT_STYLES and not r.external), None)
        if rel is not None and pkg.has(rel.target):
            return cls(rel.target, StyleBook(pkg.read(rel.target).decode("utf-8")))
        return cls("", StyleBook(MINIMAL_STYLES))

    def commit(self, pkg: Package) -> None:
        if not self.book.changed:
            return
        if self.part:
            pkg.replace_part(self.part, self.book.text.encode("utf-8"))
        else:
            raise WriteError("工作簿缺少样式部件，无法写入格式。请在 Excel 中打开并另存后重试。",
                             "The workbook has no styles part; open and save it in Excel, then retry.")


def save_package(pkg: Package, target: str | Path, backup: bool = True) -> Path:
    """Save ``pkg`` to ``target`` atomically (see safesave), as the kind of package the target's
    extension says (.xlsx macro-free, .xlsm macro-enabled: ``extension.fit_extension``)."""
    fit_target(pkg, target)
    try:
        with atomic_write(target, backup=backup) as fp:
            pkg.save(fp)
    except OSError as exc:
        raise WriteError(f"写入“{Path(target).name}”失败：{exc.strerror or exc}。原文件未改动。",
                         f"Writing {Path(target).name!r} failed: {exc.strerror or exc}. The original is unchanged.") from exc
    return Path(target)


def fit_target(pkg: Package, target: str | Path) -> None:
    """``fit_extension`` for a new file (``--out``); a workbook written in place under another
    extension (a test's .tmp copy, say) keeps its kind, since its name is the user's own."""
    in_place = bool(pkg.source) and Path(pkg.source).resolve() == Path(target).resolve()
    if not in_place or Path(target).suffix.lower() in KINDS:
        fit_extension(pkg, target)


# --------------------------------------------------------------------------- output blocks
def _free_table_name(pkg: Package, wanted: str) -> str:
    used = pkg.names_in_use()
    name, k = wanted, 2
    while name.lower() in used:
        name, k = f"{wanted}_{k}", k + 1
    return name


def block_sheet(pkg: Package, block: OutputBlock) -> str:
    """The sheet a block goes to: the one holding its table (the ListObject named like the contract's
    output table, e.g. xp_results), whatever the user renamed that sheet to; else its default name."""
    wanted = block.table.name.lower()
    for sheet in pkg.sheets():
        if any(name.lower() == wanted for _, name in pkg.tables_of(sheet.part)):
            return sheet.name
    return block.sheet_name


def put_block(pkg: Package, block: OutputBlock, styles: Styles, sheet_name: str | None = None) -> SheetInfo:
    """Put one output block into the package (its sheet replaced whole if xlperf wrote it before).
    ``sheet_name``: where it goes (default: ``block_sheet``)."""
    name = sheet_name or block_sheet(pkg, block)
    pkg.prepare_sheet(name)  # first: frees the old version's part names so they are reused
    sheet = render_block(block, styles.book, table_rid="rId1", drawing_rid="rId2" if block.charts else None)
    rels: list[Rel] = []
    parts: dict[str, Part] = {}
    if block.charts:  # a summary's charts: one drawing part holding each chart part
        from .package import RT_DRAWING

        anchors, chart_rels = [], []
        for i, (xml, box) in enumerate(block.charts, start=1):
            chart = pkg.allocate("xl/charts/chart{n}.xml")
            anchors.append((box, f"rId{i}", f"Chart {i}"))
            chart_rels.append(Rel(f"rId{i}", _CHART_REL, chart))
            parts[chart] = Part(xml, _CHART_CT)
        drawing = pkg.allocate("xl/drawings/drawing{n}.xml")
        parts[drawing] = Part(_drawing_xml(anchors), _DRAWING_CT, tuple(chart_rels))
        rels.append(Rel("rId2", RT_DRAWING, drawing))
    if sheet.table_rid:
        tpart = pkg.allocate("xl/tables/table{n}.xml")
        tid = pkg.allocate_table_id()
        tname = _free_table_name(pkg, block.table.name)
        rels.append(Rel(sheet.table_rid, RT_TABLE, tpart))
        parts[tpart] = Part(sheet.table_part(tid, tname), CT_TABLE)
    return pkg.put_sheet(name, sheet.chunks, rels, parts)


_CHART_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
_CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
_DRAWING_CT = "application/vnd.openxmlformats-officedocument.drawing+xml"


def _drawing_xml(anchors: list[tuple[tuple[int, int, int, int], str, str]]) -> bytes:
    xdr = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    c = "http://schemas.openxmlformats.org/drawingml/2006/chart"
    frames = []
    for n, ((r1, c1, r2, c2), rid, name) in enumerate(anchors, start=1):
        frames.append(
            '<xdr:twoCellAnchor editAs="oneCell">'
            f'<xdr:from><xdr:col>{c1 - 1}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{r1 - 1}</xdr:row>'
            f'<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>{c2}</xdr:col><xdr:colOff>0</xdr:colOff>'
            f'<xdr:row>{r2}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>'
            f'<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="{n + 1}" name="{name}"/>'
            '<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/>'
            f'</xdr:xfrm><a:graphic><a:graphicData uri="{c}"><c:chart xmlns:c="{c}" r:id="{rid}"/></a:graphicData>'
            '</a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<xdr:wsDr xmlns:xdr="{xdr}" xmlns:a="{a}" xmlns:r="{r}">' + "".join(frames) + "</xdr:wsDr>").encode()


def write_blocks(path: str | Path, blocks: Sequence[OutputBlock], out: str | Path | None = None,
                 *, backup: bool = True, grow: Mapping[str, int] | None = None) -> Path:
    """Write every block into the workbook at ``path`` (or into a copy at ``out``) in one safe save:
    all blocks or none. ``grow``: input tables (by name) whose range is extended down to that row in
    the same save (rows the reader found right below them, see ``belowtable``). Returns the path written."""
    target = Path(out) if out is not None else Path(path)
    check_not_locked(target)
    pkg = Package.open(path)
    sheets = [block_sheet(pkg, b) for b in blocks]
    names = [n.lower() for n in sheets]
    dup = next((n for n in names if names.count(n) > 1), None)
    if dup is not None:
        raise WriteError(f"两个输出块使用同一个工作表“{dup}”。", f"Two output blocks use the same sheet {dup!r}.")
    styles = Styles.of(pkg)
    for block, name in zip(blocks, sheets):
        put_block(pkg, block, styles, name)
    for table_name, last_row in (grow or {}).items():
        extend_table(pkg, table_name, last_row)
    styles.commit(pkg)
    return save_package(pkg, target, backup=backup)


# --------------------------------------------------------------------------- input table rows
@dataclass
class _TableInfo:
    sheet: SheetInfo
    part: str
    name: str
    text: str
    c1: int
    r1: int
    c2: int
    r2: int
    header_rows: int
    columns: list[tuple[str, str | None]]  # (name, calculatedColumnFormula)


_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+):\$?([A-Z]{1,3})\$?(\d+)$")
_ROW_START = re.compile(rb"<(?:\w+:)?row\b([^>]*?)(/?)>")
_R_ATTR = re.compile(rb'\sr\s*=\s*["\'](\d+)["\']')
_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*?)/?>')
_CELL_R = re.compile(rb'\sr\s*=\s*["\']([A-Z]{1,3})\d+["\']')
_CELL_S = re.compile(rb'\ss\s*=\s*["\'](\d+)["\']')


def _parse_ref(ref: str) -> tuple[int, int, int, int]:
    m = _REF.match(ref.upper())
    if not m:
        raise WriteError(f"表格区域“{ref}”无法识别。", f"Unrecognised table range {ref!r}.")
    return col_index(m.group(1)), int(m.group(2)), col_index(m.group(3)), int(m.group(4))


def find_table(pkg: Package, table_name: str) -> _TableInfo:
    """The ListObject called ``table_name`` (case-insensitive) and the sheet it is on."""
    for sheet in pkg.sheets():
        for part, name in pkg.tables_of(sheet.part):
            if name.lower() != table_name.lower():
                continue
            text = pkg.read(part).decode("utf-8")
            root = xt.parse(text)
            c1, r1, c2, r2 = _parse_ref(root.get("ref", ""))
            if int(root.get("totalsRowCount", "0") or 0):
                raise WriteError(f"表格“{name}”含汇总行，xlperf 不改写带汇总行的表格。请先关闭汇总行。",
                                 f"Table {name!r} has a totals row; xlperf does not rewrite such tables. "
                                 "Turn the totals row off first.")
            cols: list[tuple[str, str | None]] = []
            for tc in root.iter():
                if xt.local(tc.tag) != "tableColumn":
                    continue
                formula = next((c.text for c in tc if xt.local(c.tag) == "calculatedColumnFormula"), None)
                cols.append((tc.get("name", ""), formula))
            return _TableInfo(sheet, part, name, text, c1, r1, c2, r2,
                              int(root.get("headerRowCount", "1") or 1), cols)
    raise WriteError(f"工作簿中找不到表格“{table_name}”。", f"The workbook has no table named {table_name!r}.")


def _contract_table(name: str) -> Table | None:
    from ..contract import OUTPUTS_BY_NAME, TABLES_BY_NAME

    wanted = name.lower()
    return next((t for t in (*TABLES_BY_NAME.values(), *OUTPUTS_BY_NAME.values()) if t.name.lower() == wanted), None)


def _match_columns(info: _TableInfo, frame: pd.DataFrame) -> list[str | None]:
    """For each table column, the frame column that fills it (None: blank or calculated)."""
    spell = column_spellings(_contract_table(info.name), frame.columns)
    out: list[str | None] = [spell.get(normalise_header(n)) for n, _ in info.columns]
    unused = [str(c) for c in frame.columns if str(c) not in out]
    if unused:
        raise WriteError(f"表格“{info.name}”中没有这些列：{', '.join(unused)}。",
                         f"Table {info.name!r} has no column(s): {', '.join(unused)}.")
    return out


def _row_spans(data: bytes, start: int, end: int) -> Iterator[tuple[int, int, int]]:
    """(row number, start, end) of each <row> in data[start:end]."""
    pos, prev = start, 0
    while True:
        m = _ROW_START.search(data, pos, end)
        if not m:
            return
        r_m = _R_ATTR.search(m.group(1))
        num = int(r_m.group(1)) if r_m else prev + 1
        prev = num
        if m.group(2):
            stop = m.end()
        else:
            close = re.compile(rb"</(?:\w+:)?row>").search(data, m.end(), end)
            if close is None:
                raise WriteError("工作表 XML 已损坏（row 未闭合）。", "The sheet XML is damaged (unclosed row).")
            stop = close.end()
        yield num, m.start(), stop
        pos = stop


def replace_table_rows(path: str | Path, table_name: str, frame: pd.DataFrame, append: bool = False,
                       out: str | Path | None = None, *, backup: bool = True, keep: int | None = None) -> Path:
    """Replace (or, with ``append``, extend) the data rows of table ``table_name`` with ``frame``
    (see the module docstring for what is kept). Frame columns are matched to table columns by
    header text, or by contract field key. Returns the path written.

    ``keep=K`` (xlperf pull): the first K data rows stay byte for byte as they are and ``frame``
    replaces every row after them."""
    target = Path(out) if out is not None else Path(path)
    check_not_locked(target)
    pkg = Package.open(path)
    info = find_table(pkg, table_name)
    mapping = _match_columns(info, frame)
    data = pkg.read(info.sheet.part)
    styles = Styles.of(pkg)

    open_m = re.compile(rb"<(?:\w+:)?sheetData\b[^>]*?(/?)>").search(data)
    if open_m is None:
        raise WriteError("工作表 XML 缺少 sheetData。", "The sheet XML has no sheetData.")
    if open_m.group(1):  # <sheetData/>: no rows at all
        body_start = body_end = open_m.end()
        head = data[:open_m.end() - 2].rstrip() + b">"
        tail = b"</sheetData>" + data[open_m.end():]
    else:
        m_close = re.compile(rb"</(?:\w+:)?sheetData>").search(data, open_m.end())
        if m_close is None:
            raise WriteError("工作表 XML 已损坏（sheetData 未闭合）。", "The sheet XML is damaged (unclosed sheetData).")
        body_start, body_end = open_m.end(), m_close.start()
        head, tail = data[:body_start], data[body_end:]

    header_last = info.r1 + info.header_rows - 1
    first_data = header_last + 1
    if append:  # rows right below the table are its rows (belowtable): appended after them
        info.r2 = _last_row_below(data, body_start, body_end, info)
    keep_until = header_last
    old_first_row: bytes = b""
    row_has_value = False
    for num, s, e in _row_spans(data, body_start, body_end):
        if num == first_data:
            old_first_row = data[s:e]
        if append and num <= info.r2:
            keep_until = num
            if num >= first_data and re.search(rb"<(?:\w+:)?(v|is|f)\b", data[s:e]):
                row_has_value = True
        if num > max(info.r2, first_data):
            break
    if append and not row_has_value:
        keep_until = header_last  # the template's one blank placeholder row does not count
    if keep is not None:
        keep_until = header_last + max(keep, 0)
    start_row = max(keep_until, header_last) + 1
    kept_end = body_start
    for num, s, e in _row_spans(data, body_start, body_end):
        if num > keep_until:
            break
        kept_end = e
    for other_part, other in pkg.tables_of(info.sheet.part):
        if other_part == info.part:
            continue
        _, _, _, or2 = _parse_ref(xt.parse(pkg.read(other_part)).get("ref", ""))
        if or2 > header_last:
            raise WriteError(f"工作表“{info.sheet.name}”上还有表格“{other}”，无法只改写“{info.name}”的数据行。",
                             f"Sheet {info.sheet.name!r} also holds table {other!r}; cannot rewrite the rows "
                             f"of {info.name!r} alone.")

    # column styles: the old first data row, else <col style>
    col_style: dict[int, int] = {}
    for cm in _CELL.finditer(old_first_row):
        rm, sm = _CELL_R.search(cm.group(1)), _CELL_S.search(cm.group(1))
        if rm and sm:
            col_style[col_index(rm.group(1).decode())] = int(sm.group(1))
    cols_m = re.compile(rb"<(?:\w+:)?cols\b.*?</(?:\w+:)?cols>", re.DOTALL).search(head)
    if cols_m:
        for el in xt.elements(cols_m.group(0).decode("utf-8"), "col"):
            if "style" in el.attrs:
                for c in range(int(el.attrs.get("min", "1")) - 1, int(el.attrs.get("max", "1"))):
                    col_style.setdefault(c, int(el.attrs["style"]))

    n = len(frame)
    width = info.c2 - info.c1 + 1
    cols_data = {}
    cstyles: list[CellStyles] = []
    overrides: dict[int, Override] = {}
    for j in range(width):
        src = mapping[j] if j < len(mapping) else None
        base = col_style.get(info.c1 + j, 0)
        if src is not None:
            cols_data[j] = frame[src].reset_index(drop=True)
            if styles.book.is_date_xf(base):
                cstyles.append(CellStyles(base, base, base))
            elif holds_dates(cols_data[j]):
                date_s, datetime_s = date_styles(styles.book)
                cstyles.append(CellStyles(base, date_s, datetime_s))
            else:
                cstyles.append(CellStyles(base))
        else:
            cstyles.append(CellStyles(base))
            cols_data[j] = pd.Series([None] * n, dtype="object")
            formula = info.columns[j][1] if j < len(info.columns) else None
            if formula:
                f_xml, sa = esc(formula), f' s="{base}"' if base else ""

                def cells(start: int, stop: int, f_xml: str = f_xml, sa: str = sa) -> list[str | None]:
                    return [f'"{sa}><f>{f_xml}</f></c>'] * (stop - start)
                overrides[j] = cells
    new = pd.DataFrame(cols_data)
    last_row = start_row + n - 1
    table_last = max(last_row, first_data)  # a table keeps at least one (possibly blank) data row

    tail = _drop_merges_below(tail, start_row)

    def chunks() -> Iterator[Chunk]:
        yield _set_dimension(head, info.c2, table_last)
        yield data[body_start:kept_end]
        yield from render_rows(new, cstyles, start_row, info.c1, overrides=overrides)
        yield tail

    pkg.replace_part(info.sheet.part, chunks)
    pkg.replace_part(info.part, _set_table_ref(info, table_last).encode("utf-8"))
    pkg.drop_calc_chain_for(info.sheet.sheet_id)
    styles.commit(pkg)
    return save_package(pkg, target, backup=backup)


_VALUE = re.compile(rb"<(?:\w+:)?(v|is|f)\b")


def _last_row_below(data: bytes, start: int, end: int, info: _TableInfo) -> int:
    """The last of the contiguous rows right below the table that hold a value in its columns (the
    rows the reader reads as the table's), else the table's own last row."""
    last = info.r2
    for num, s, e in _row_spans(data, start, end):
        if num <= info.r2:
            continue
        if num != last + 1:
            break
        row = data[s:e]
        filled = False
        for cm in re.finditer(rb"<(?:\w+:)?c\b([^>]*?)(/>|>(.*?)</(?:\w+:)?c>)", row, re.DOTALL):
            rm = _CELL_R.search(cm.group(1))
            if rm and info.c1 <= col_index(rm.group(1).decode()) <= info.c2 and cm.group(3) \
                    and _VALUE.search(cm.group(3)):
                filled = True
                break
        if not filled:
            break
        last = num
    return last


def extend_table(pkg: Package, table_name: str, last_row: int) -> bool:
    """Extend the ListObject ``table_name`` (its ref, autoFilter and sortState) down to ``last_row``,
    as Excel's AutoExpand does for rows typed right below a table: the rows' cells are already in the
    sheet, only the table part changes. Never shrinks; a table that is gone, or has a totals row,
    is left alone. Returns whether the table changed."""
    try:
        info = find_table(pkg, table_name)
    except WriteError:
        return False
    if last_row <= info.r2:
        return False
    pkg.replace_part(info.part, _set_table_ref(info, last_row).encode("utf-8"))
    return True


def _drop_merges_below(tail: bytes, first_new_row: int) -> bytes:
    """Merged ranges that start in the rewritten rows belonged to the old rows (merged cells over
    data are a finding HR is asked to fix); over the new rows they would hide values, so they go."""
    m = re.compile(rb"<(?:\w+:)?mergeCells\b[^>]*>.*?</(?:\w+:)?mergeCells>", re.DOTALL).search(tail)
    if m is None:
        return tail
    text = m.group(0).decode("utf-8")
    keep = []
    for el in xt.elements(text, "mergeCell"):
        first = el.attrs.get("ref", "").split(":")[0]
        row = re.sub(r"[^0-9]", "", first)
        if not row or int(row) < first_new_row:
            keep.append(text[el.start:el.end])
    if len(keep) == len(list(xt.elements(text, "mergeCell"))):
        return tail
    outer = xt.first(text, "mergeCells")
    assert outer is not None
    if keep:
        start_tag = text[:outer.open_end]
        new = xt.set_attr(start_tag + "".join(keep) + f"</{outer.prefix}mergeCells>",
                          xt.Span(0, 0, outer.prefix, outer.attrs, False, len(start_tag)), "count", str(len(keep)))
    else:
        new = ""
    return tail[:m.start()] + new.encode("utf-8") + tail[m.end():]


def _set_dimension(head: bytes, last_col: int, last_row: int) -> bytes:
    m = re.compile(rb'(<(?:\w+:)?dimension\b[^>]*?\sref\s*=\s*["\'])([^"\']*)(["\'])').search(head)
    if not m:
        return head
    ref = m.group(2).decode()
    first = ref.split(":")[0]
    tail = ref.split(":")[-1]
    tm = re.match(r"\$?([A-Z]{1,3})\$?(\d+)", tail)
    old_c, old_r = (col_index(tm.group(1)), int(tm.group(2))) if tm else (0, 1)
    del old_r  # rows below the table were dropped: the new last row is the table's
    new = f"{first}:{col_letter(max(old_c, last_col))}{last_row}"
    return head[:m.start(2)] + new.encode() + head[m.end(2):]


def _set_table_ref(info: _TableInfo, last_row: int) -> str:
    text = info.text
    ref = f"{col_letter(info.c1)}{info.r1}:{col_letter(info.c2)}{last_row}"
    for name in ("table", "autoFilter"):
        el = xt.first(text, name)
        if el is not None and "ref" in el.attrs:
            text = xt.set_attr(text, el, "ref", ref)
    el = xt.first(text, "sortState")
    if el is not None and "ref" in el.attrs:
        c1, r1, c2, _ = _parse_ref(el.attrs["ref"])
        text = xt.set_attr(text, el, "ref", f"{col_letter(c1)}{r1}:{col_letter(c2)}{last_row}")
    return text


__all__ = ["Styles", "block_sheet", "extend_table", "find_table", "fit_target", "put_block", "replace_table_rows", "save_package", "write_blocks"]
