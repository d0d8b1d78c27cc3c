"""Worksheet XML for xlperf's output sheets, rendered with plain string formatting.

Why strings and not an XML library: a results sheet can hold a million cells; building them column
by column with f-strings is about five times faster than lxml's incremental writer (see
/work/shared/notes/xlsx-io-measurements.md) and the output is just as well-formed because every
text and attribute goes through one escaping function.

Text is written as inline strings (``t="inlineStr"``), so ``sharedStrings.xml`` never changes when
xlperf writes. The XML is produced in chunks of rows (``Sheet.chunks``) and deflated as it streams,
so memory stays flat at any size. Nothing in the output depends on the clock: the same block gives
the same bytes.

Two levels of API:
- ``render_block(block, styles, ...)`` → ``Sheet``: an OutputBlock as a formatted sheet with a
  table part (ListObject named as the output table, so users and Power Query can refer to it),
  frozen header, column widths and number formats from the contract, conditional colours for grades,
  low scores and severities, and hyperlinks from findings to the cells they are about.
- ``Column``, ``render_rows``, ``cell_xml``, ``table_xml``, ``worksheet_xml`` for free-form sheets.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd
import pyarrow as pa

from ..book import CellError, OutputBlock, col_letter
from ..contract.choices import YES_NO
from ..contract.output_words import SEVERITIES
from ..contract.outputs import SCORE_FMT
from ..contract.schema import FieldType
from . import arrowcells
from .package import NS_MAIN, NS_R, XML_DECL, quote_sheet
from .styles import DATE_FORMAT, DATETIME_FORMAT, CellStyle, DiffStyle, StyleBook
from .zipwrite import Chunk

CHUNK_ROWS = 20_000
LOW_SCORE = 60  # scores below this are coloured when a block names no line (the default warn_score)
HEADER_STYLE = CellStyle(bold=True, fill="FFDDEBF7", border_bottom=True, wrap=True, valign="center")
LINK_STYLE = CellStyle(font_color="FF0563C1", underline=True)
GOOD = DiffStyle(font_color="FF006100", fill="FFC6EFCE")
BAD = DiffStyle(font_color="FF9C0006", fill="FFFFC7CE")
ALERT = DiffStyle(font_color="FF9C5700", fill="FFFFEB9C")
TABLE_STYLE = "TableStyleMedium2"
_EPOCH = dt.datetime(1899, 12, 30)
_A1 = re.compile(r"^\$?[A-Z]{1,3}\$?[0-9]{1,7}(:\$?[A-Z]{1,3}\$?[0-9]{1,7})?$")

# XML 1.0 forbids most control characters; Excel spells them _xHHHH_ (and a literal "_x" must then
# be escaped as _x005F_ so it is not read as such an escape).
_ESC = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"}
_ESC.update({c: f"_x{c:04X}_" for c in range(32) if c not in (9, 10, 13)})
_ESC.update({0xFFFE: "_xFFFE_", 0xFFFF: "_xFFFF_"})
_NEEDS = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_LITERAL_X = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def esc(s: str) -> str:
    """Escape text for an element's content (and for attribute values: add &quot; there)."""
    if _NEEDS.search(s) is None:
        return s
    return _LITERAL_X.sub(r"_x005F_\1", s).translate(_ESC)


def esc_attr(s: str) -> str:
    """Escape text for a double-quoted attribute. Line breaks and tabs become character references,
    since a parser turns a literal one into a space (a table column named "a\nb" must still match
    its header cell, or Excel "repairs" the table)."""
    return (esc(s).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;")
            .replace("\t", "&#9;"))


def _s(style: int) -> str:
    return f' s="{style}"' if style else ""


def excel_serial(value: dt.datetime | dt.date) -> float:
    """Days since 1899-12-30 (Excel's 1900 date system, valid from 1900-03-01)."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    if value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    return (value - _EPOCH).total_seconds() / 86400.0


def _num(v: float) -> str:
    r = repr(float(v))
    return r.removesuffix(".0")


@dataclass(frozen=True)
class Column:
    """One column of a rendered sheet."""

    key: str
    label: str
    width: float = 14
    num_fmt: str | None = None
    type: FieldType = FieldType.TEXT
    wrap: bool = False  # cells holding several lines


@dataclass(frozen=True)
class CellStyles:
    """Style indexes a column's cells use: its own, and the ones date values take (a column whose own
    style already shows dates passes it as ``date`` too)."""

    base: int = 0
    date: int = 0
    datetime: int = 0


def cell_tail(value: object, s: int = 0, date_s: int = 0, datetime_s: int = 0) -> str:
    """Everything of a ``<c>`` element after its reference (``" s="3"><v>1</v></c>``); '' for a blank."""
    if value is None:
        return ""
    if isinstance(value, str):
        if not value:
            return ""
        sp = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
        return f'"{_s(s)} t="inlineStr"><is><t{sp}>{esc(value)}</t></is></c>'
    if isinstance(value, (bool, np.bool_)):
        return f'"{_s(s)} t="b"><v>{int(bool(value))}</v></c>'
    if isinstance(value, (int, np.integer)):
        return f'"{_s(s)}><v>{int(value)}</v></c>'
    if isinstance(value, (float, np.floating)):
        f = float(value)
        if math.isnan(f):
            return ""
        if math.isinf(f):
            return f'"{_s(s)} t="e"><v>#NUM!</v></c>'
        return f'"{_s(s)}><v>{_num(f)}</v></c>'
    if value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, (dt.datetime, dt.date)):
        serial = excel_serial(value)
        has_time = isinstance(value, dt.datetime) and serial != int(serial)
        style = (datetime_s if has_time and datetime_s else date_s) or s
        return f'"{_s(style)}><v>{_num(serial)}</v></c>'
    if isinstance(value, CellError):
        return f'"{_s(s)} t="e"><v>{esc(value.code)}</v></c>'
    if isinstance(value, dt.time):
        secs = value.hour * 3600 + value.minute * 60 + value.second
        return f'"{_s(s)}><v>{_num(secs / 86400)}</v></c>'
    return cell_tail(str(value), s)


def cell_xml(ref: str, value: object, s: int = 0, date_s: int = 0, datetime_s: int = 0) -> str:
    """One ``<c>`` element for any Python value ('' for a blank): str → inline string, bool, int,
    float (inf → #NUM!), date/datetime → serial with a date style, CellError → error cell."""
    tail = cell_tail(value, s, date_s, datetime_s)
    return f'<c r="{ref}{tail}' if tail else ""


def column_tails(values: pd.Series, st: CellStyles) -> Callable[[int, int], pa.StringArray]:
    """A function (start, stop) → everything after the row number of each ``<c>`` of those rows of
    the column (null for a blank). The dtype is settled here, once per column (and the values taken
    out of pandas, which is not for sharing between threads); the Arrow work runs per chunk, on the
    zip writer's pool (see ``arrowcells``). Mixed object columns and infinities take the per-value
    path of ``cell_tail``."""
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        values = values.astype(object)
        dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype) and not values.hasnans:
        flags = values.to_numpy(dtype=bool)
        return lambda a, b: arrowcells.bool_tails(flags[a:b], st.base)
    if pd.api.types.is_integer_dtype(dtype) and not values.hasnans:
        ints = values.to_numpy(dtype=np.int64)
        return lambda a, b: arrowcells.number_tails(ints[a:b], st.base)
    if (pd.api.types.is_float_dtype(dtype) or pd.api.types.is_integer_dtype(dtype)) and not pd.api.types.is_bool_dtype(dtype):
        floats = values.to_numpy(dtype=np.float64, na_value=np.nan)
        if not np.isinf(floats).any():
            return lambda a, b: arrowcells.number_tails(floats[a:b], st.base)
    elif pd.api.types.is_datetime64_any_dtype(dtype):
        ser = pd.Series(values.to_numpy(), dtype=values.dtype)
        if getattr(ser.dt, "tz", None) is not None:
            ser = ser.dt.tz_localize(None)
        days = ((ser - pd.Timestamp(_EPOCH)) / pd.Timedelta(days=1)).to_numpy(dtype=np.float64, na_value=np.nan)
        has_time = bool(np.nanmax(np.abs(days - np.floor(days)), initial=0.0) > 0)
        style = (st.datetime if has_time and st.datetime else st.date) or st.base
        return lambda a, b: arrowcells.number_tails(days[a:b], style)
    elif pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        if 4 * len(uniques) <= len(values):  # few distinct values: render each once, take by code
            unique_tails = arrowcells.text_tails(np.asarray(uniques, dtype=object), st.base, esc)
            return lambda a, b: arrowcells.dictionary_tails(codes[a:b], unique_tails)
        texts = values.to_numpy(dtype=object)
        return lambda a, b: arrowcells.text_tails(texts[a:b], st.base, esc)
    objects = values.to_numpy(dtype=object)
    return lambda a, b: pa.array([cell_tail(v, st.base, st.date, st.datetime) or None for v in objects[a:b].tolist()],
                                 type=pa.string())


Override = Callable[[int, int], list[str | None]]


def render_rows(frame: pd.DataFrame, styles: Sequence[CellStyles], first_row: int, first_col: int = 0,
                chunk_rows: int = CHUNK_ROWS,
                overrides: dict[int, Override] | None = None) -> Iterator[Chunk]:
    """``<row>`` elements for the frame's rows (positional columns), UTF-8, in deferred chunks.

    Each column's type is settled once (``column_tails``); each chunk of ``chunk_rows`` rows is a
    function that renders its cells and joins them into bytes, so the zip writer can render and
    deflate chunks on both cores (``zipwrite.RawZipWriter.write_stream``). ``overrides`` maps a
    column position to a function (start, stop) → the tails of those rows' cells (see
    ``column_tails``; None for a blank), for columns whose cells need
    more than their value (hyperlink styles, formulas)."""
    letters = [col_letter(first_col + j) for j in range(frame.shape[1])]
    n = len(frame)
    if n == 0:
        return
    blanks = [arrowcells.blank_tail(st.base) for st in styles]
    tails: list[Callable[[int, int], pa.StringArray] | None] = [
        None if overrides and j in overrides else column_tails(frame.iloc[:, j], styles[j])
        for j in range(frame.shape[1])]

    def chunk(start: int, stop: int) -> bytes:
        rows = arrowcells.row_numbers(first_row + start, stop - start)
        cols = []
        for j, t in enumerate(tails):
            if t is None:
                assert overrides is not None
                cols.append(pa.array(overrides[j](start, stop), type=pa.string()))
            else:
                cols.append(t(start, stop))
        return arrowcells.join_rows(rows, letters, cols, blanks)

    for start in range(0, n, chunk_rows):
        yield partial(chunk, start, min(n, start + chunk_rows))


def header_row(labels: Sequence[str], row: int, style: int, first_col: int = 0, height: float | None = None) -> str:
    ht = f' ht="{height}" customHeight="1"' if height else ""
    cells = "".join(cell_xml(f"{col_letter(first_col + j)}{row}", lab, style) for j, lab in enumerate(labels))
    return f'<row r="{row}"{ht}>{cells}</row>'


def cols_xml(widths: Sequence[float], first_col: int = 0) -> str:
    items = "".join(f'<col min="{first_col + j + 1}" max="{first_col + j + 1}" width="{w:g}" customWidth="1"/>'
                    for j, w in enumerate(widths))
    return f"<cols>{items}</cols>" if items else ""


@dataclass
class CondFormat:
    """One conditional-formatting rule: ``kind`` 'expression' (formula true → format) or 'equal'."""

    sqref: str
    kind: str
    formula: str
    dxf: int


def cond_xml(rules: Sequence[CondFormat]) -> str:
    out = []
    for prio, r in enumerate(rules, start=1):
        if r.kind == "equal":
            rule = (f'<cfRule type="cellIs" dxfId="{r.dxf}" priority="{prio}" operator="equal">'
                    f"<formula>{esc(r.formula)}</formula></cfRule>")
        else:
            rule = f'<cfRule type="expression" dxfId="{r.dxf}" priority="{prio}"><formula>{esc(r.formula)}</formula></cfRule>'
        out.append(f'<conditionalFormatting sqref="{r.sqref}">{rule}</conditionalFormatting>')
    return "".join(out)


def worksheet_xml(body: Iterable[Chunk], *, ref: str, cols: str = "", freeze_rows: int = 0,
                  after_data: str = "", tab_color: str | None = None, table_rids: Sequence[str] = (),
                  before_tables: str = "") -> Iterator[Chunk]:
    """Wrap row chunks into a worksheet. ``after_data`` holds what follows sheetData up to the page
    setup, in schema order (mergeCells, conditionalFormatting, dataValidations, hyperlinks);
    ``before_tables`` what comes after pageMargins (drawing, legacyDrawing)."""
    pr = f'<sheetPr><tabColor rgb="{tab_color}"/></sheetPr>' if tab_color else ""
    if freeze_rows:
        top = f"A{freeze_rows + 1}"
        view = (f'<sheetView workbookViewId="0"><pane ySplit="{freeze_rows}" topLeftCell="{top}" '
                f'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="{top}" '
                f'sqref="{top}"/></sheetView>')
    else:
        view = '<sheetView workbookViewId="0"/>'
    yield (XML_DECL + f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_R}">{pr}<dimension ref="{ref}"/>'
           f'<sheetViews>{view}</sheetViews><sheetFormatPr defaultRowHeight="15"/>{cols}<sheetData>').encode("utf-8")
    yield from body
    parts = ["</sheetData>", after_data,
             '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>',
             before_tables]
    if table_rids:
        parts.append(f'<tableParts count="{len(table_rids)}">'
                     + "".join(f'<tablePart r:id="{rid}"/>' for rid in table_rids) + "</tableParts>")
    parts.append("</worksheet>")
    yield "".join(parts).encode("utf-8")


def table_xml(table_id: int, name: str, ref: str, headers: Sequence[str], style: str = TABLE_STYLE) -> bytes:
    """A table part (ListObject) over ``ref`` whose first row holds ``headers``."""
    cols = "".join(f'<tableColumn id="{i}" name="{esc_attr(h)}"/>'
                   for i, h in enumerate(headers, start=1))
    return (XML_DECL + f'<table xmlns="{NS_MAIN}" id="{table_id}" name="{name}" displayName="{name}" '
            f'ref="{ref}" totalsRowShown="0"><autoFilter ref="{ref}"/><tableColumns count="{len(headers)}">'
            f'{cols}</tableColumns><tableStyleInfo name="{style}" showFirstColumn="0" showLastColumn="0" '
            'showRowStripes="1" showColumnStripes="0"/></table>').encode("utf-8")


def holds_dates(values: pd.Series) -> bool:
    """Whether a column holds date or datetime values (so its cells need a date format)."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return True
    if values.dtype != object:
        return False
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind in ("datetime", "date", "datetime64"):
        return True
    if kind.startswith("mixed") and kind != "mixed-integer-float":
        return any(isinstance(v, dt.date) for v in values.tolist())
    return False


def date_styles(styles: StyleBook) -> tuple[int, int]:
    """The cell formats for dates (yyyy-mm-dd) and date-times (yyyy-mm-dd hh:mm:ss)."""
    return styles.xf(CellStyle(num_fmt=DATE_FORMAT)), styles.xf(CellStyle(num_fmt=DATETIME_FORMAT))


# --------------------------------------------------------------------------- output blocks
def block_columns(block: OutputBlock) -> list[Column]:
    """The columns of a block in contract order; ``dim:<dimension>`` columns follow ``total``; other
    extra frame columns go last. Fields missing from the frame are left out."""
    present = list(block.frame.columns)
    cols: list[Column] = []
    dims = [c for c in present if isinstance(c, str) and c.startswith("dim:")]
    known = set(block.table.keys)
    for f in block.table.fields:
        if f.key in present:
            cols.append(Column(f.key, f.label(block.lang), f.width, f.number_format, f.type, f.wrap))
        if f.key == "total":
            cols += [Column(d, d[4:], 10, SCORE_FMT, FieldType.NUMBER) for d in dims]
    if "total" not in present:
        cols += [Column(d, d[4:], 10, SCORE_FMT, FieldType.NUMBER) for d in dims]
    cols += [Column(str(c), str(c)) for c in present if c not in known and c not in dims]
    seen: set[str] = set()
    out = []
    for c in cols:  # table column names must be unique (case-insensitively) and non-empty
        label = c.label.strip() or c.key
        base, k = label, 2
        while label.lower() in seen:
            label, k = f"{base} ({k})", k + 1
        seen.add(label.lower())
        out.append(Column(c.key, label, c.width, c.num_fmt, c.type, c.wrap))
    return out


@dataclass
class Sheet:
    """A rendered sheet: its XML as a chunk factory, and the table part to go with it."""

    chunks: Callable[[], Iterator[Chunk]]
    ref: str
    headers: list[str]
    n_rows: int
    table_rid: str | None = None
    hyperlinks: int = 0
    extra: dict[str, object] = field(default_factory=dict)

    def table_part(self, table_id: int, name: str) -> bytes:
        return table_xml(table_id, name, self.ref, self.headers)


def _grade_order(frame: pd.DataFrame) -> list[str]:
    """Grades best → worst, by the mean total of the rows holding them (the grade scale itself is
    not in the block, and a higher total always means a better grade)."""
    if "grade" not in frame.columns or "total" not in frame.columns:
        return []
    g = pd.DataFrame({"g": frame["grade"].astype("object"), "t": pd.to_numeric(frame["total"], errors="coerce")})
    g = g[g["g"].map(lambda v: isinstance(v, str) and v != "")]
    if g.empty:
        return []
    means = g.groupby("g", sort=True)["t"].mean().sort_values(ascending=False, kind="stable")
    return [str(x) for x in means.index]


def _str_literal(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


def render_block(block: OutputBlock, styles: StyleBook, *, table_rid: str | None = "rId1",
                 links: dict[str, Sequence[str | None]] | None = None, drawing_rid: str | None = None) -> Sheet:
    """An output block as a formatted sheet (see the module docstring).

    ``links`` maps a column key to one internal hyperlink location per row (e.g. "'考核指标'!C7");
    findings blocks get links from their ``sheet`` and ``cell`` columns automatically."""
    cols = block_columns(block)
    frame = block.frame.reset_index(drop=True)
    data = pd.DataFrame({j: frame[c.key] for j, c in enumerate(cols)}) if cols else pd.DataFrame(index=frame.index)
    n, m = len(frame), len(cols)
    last_col = col_letter(max(m, 1) - 1)
    h = block.header_row  # 1, or below the summary rows (block.above)
    last_row = h + max(n, 1)  # a table needs at least one data row
    ref = f"A{h}:{last_col}{last_row}"
    header_s = styles.xf(HEADER_STYLE)
    cstyles = []
    for j, c in enumerate(cols):
        fmt = c.num_fmt or (DATE_FORMAT if c.type == FieldType.DATE else None)
        base = styles.xf(CellStyle(num_fmt=fmt, wrap=True, valign="top") if c.wrap else CellStyle(num_fmt=fmt))
        if holds_dates(data[j]):
            date_s, datetime_s = date_styles(styles)
            cstyles.append(CellStyles(base, base if fmt == DATE_FORMAT else date_s, datetime_s))
        else:
            cstyles.append(CellStyles(base))

    if links is None and block.table.name == "xp_findings" and {"sheet", "cell"} <= set(frame.columns):
        sh = frame["sheet"].astype("object").tolist()
        ce = frame["cell"].astype("object").tolist()
        links = {"cell": [f"{quote_sheet(str(s))}!{c}" if isinstance(s, str) and s and isinstance(c, str)
                          and _A1.match(c) else None for s, c in zip(sh, ce)]}
    overrides: dict[int, Override] = {}
    link_xml: list[str] = []
    if links:
        link_s = styles.xf(LINK_STYLE)
        for key, locs in links.items():
            found = next((i for i, c in enumerate(cols) if c.key == key), None)
            if found is None:
                continue
            j = found
            letter, values, locs_l = col_letter(j), data[j].tolist(), list(locs)
            for i, loc in enumerate(locs_l):
                if loc:
                    link_xml.append(f'<hyperlink ref="{letter}{i + h + 1}" location="{esc_attr(loc)}"/>')

            def cells(start: int, stop: int, values: list[object] = values, locs_l: list[str | None] = locs_l,
                      base: int = cstyles[j].base) -> list[str | None]:
                return [cell_tail(values[i], link_s if locs_l[i] else base) or None for i in range(start, stop)]
            overrides[j] = cells

    rules = _rules(block, cols, frame, styles, n, h + 1)
    after = cond_xml(rules)
    if link_xml:
        after += "<hyperlinks>" + "".join(link_xml) + "</hyperlinks>"
    labels = [c.label for c in cols]
    widths = [c.width for c in cols]

    above = "".join(f'<row r="{r}">' + "".join(cell_xml(f"{col_letter(j)}{r}", v, header_s if r == 1 else 0)
                                              for j, v in enumerate(row) if v is not None and v == v) + "</row>"
                    for r, row in enumerate(block.above, start=1))

    def chunks() -> Iterator[Chunk]:
        body = [(above + header_row(labels, h, header_s)).encode("utf-8")]

        def rows() -> Iterator[Chunk]:
            yield from body
            yield from render_rows(data, cstyles, h + 1, overrides=overrides)
        return worksheet_xml(rows(), ref=(f"A1:{last_col}{last_row}" if block.above else ref) if m else "A1",
                             cols=cols_xml(widths), freeze_rows=0 if block.above else 1,
                             after_data=after, tab_color="FF2F75B5",
                             table_rids=[table_rid] if table_rid and m else [],
                             before_tables=f'<drawing r:id="{drawing_rid}"/>' if drawing_rid else "")

    return Sheet(chunks, ref, labels, n, table_rid if m else None, len(link_xml))


def _rules(block: OutputBlock, cols: list[Column], frame: pd.DataFrame, styles: StyleBook, n: int,
           first: int = 2) -> list[CondFormat]:
    if n == 0:
        return []
    rules: list[CondFormat] = []
    for j, c in enumerate(cols):
        L = col_letter(j)
        rng = f"{L}{first}:{L}{n + first - 1}"
        if c.key in ("total", "score") or c.key.startswith("dim:"):
            low = LOW_SCORE if block.low_score is None else block.low_score
            rules.append(CondFormat(rng, "expression", f"AND(ISNUMBER({L}{first}),{L}{first}<{low:g})",
                                    styles.dxf(BAD)))
        elif c.key == "grade":
            order = _grade_order(frame)
            if len(order) >= 2:
                rules.append(CondFormat(rng, "equal", _str_literal(order[0]), styles.dxf(GOOD)))
                rules.append(CondFormat(rng, "equal", _str_literal(order[-1]), styles.dxf(BAD)))
            if len(order) >= 4:
                rules.append(CondFormat(rng, "equal", _str_literal(order[-2]), styles.dxf(ALERT)))
        elif c.key == "severity":  # the codes, and their words in either language (contract.output_words)
            for code, look in (("error", BAD), ("warning", ALERT)):
                for word in dict.fromkeys((code, SEVERITIES.word(code, "zh"), SEVERITIES.word(code, "en"))):
                    rules.append(CondFormat(rng, "equal", _str_literal(word), styles.dxf(look)))
        elif c.key == "vetoed":  # TRUE, or 是 in a zh book
            rules.append(CondFormat(rng, "expression", f'OR({L}{first}=TRUE,{L}{first}="{YES_NO.word("yes", "zh")}")',
                                    styles.dxf(BAD)))
    return rules
