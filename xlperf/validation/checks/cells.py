"""Every cell of every contract column: parsed into its type, tolerant of what HR types, each
normalisation reported, each unreadable or missing value reported once. Builds ``ctx.frames``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from ...contract.choices import Vocab
from ...contract.schema import Field, FieldType
from ...contract.tables import INPUT_TABLES
from ...findings import Finding, Severity
from ..codes import choice_list
from ..context import CAP, Coded, Context, Located
from ..fields import is_id_like, parse_field
from ..parse import (
    CHOICE,
    FULLWIDTH,
    PERCENT,
    PERIOD,
    SERIAL_DATE,
    SPACES,
    TEXT_DATE,
    TEXT_NUMBER,
    THOUSANDS,
    Parsed,
    date_display,
)
from ..percents import PERCENT_FRACTION, read_percents, shown_as_percent
from ..rollup_dates import rollup_exempt

NOTE_CODES = (PERCENT, FULLWIDTH, THOUSANDS, SPACES, TEXT_NUMBER, SERIAL_DATE, TEXT_DATE, CHOICE, PERIOD)
CODES = ("required-empty", "not-a-number", "not-a-date", "excel-error", "excel-error-in-text", "invalid-choice",
         "unknown-source", "unknown-method", "out-of-range", "empty-table") + NOTE_CODES + (PERCENT_FRACTION,)

# Tables that must have at least one row for anything to be scored.
NONEMPTY = frozenset({"dimensions", "indicators", "vendors", "periods"})

def check(ctx: Context) -> Iterator[Finding]:
    for table in INPUT_TABLES:
        loc = ctx.located.get(table.name)
        if loc is None:
            continue
        yield from _table(ctx, loc)


def _table(ctx: Context, loc: Located) -> Iterator[Finding]:
    table, data = loc.table, loc.raw.data
    n = len(data)
    parsed: dict[str, Parsed] = {}
    for key, j in loc.columns.items():
        # a header with no data column behind it (a reader's edge case) reads as an empty column
        col = data.iloc[:, j].reset_index(drop=True) if j < data.shape[1] else pd.Series([None] * n, dtype=object)
        parsed[key] = parse_field(table, table.field(key), col, ctx.book_lang or ctx.lang)
        ctx.parsed[(table.name, key)] = parsed[key]
    read_percents(ctx.frames, loc, parsed)  # 98.5% typed into a cell means 98.5 (or 0.985: see percents)
    blank_rows = np.ones(n, dtype=bool)
    for p in parsed.values():
        blank_rows &= p.blank
    keep = ~blank_rows
    loc.keep = keep
    if table.name in NONEMPTY and not keep.any():
        yield ctx.finding("empty-table", table=table.name, sheet=loc.sheet, cell=loc.raw.header_cell(0))
    for key, p in parsed.items():  # (a roll-up period may take its dates from its months)
        yield from _field(ctx, loc, table.field(key), rollup_exempt(table.name, key, p, parsed), keep)
    ctx.frames[table.name] = typed_frame(loc, parsed, keep)
    rows = np.flatnonzero(keep)
    for key, p in parsed.items():
        f = table.field(key)  # ids and periods, which later checks look up, keep their codes (Context.coded)
        looked_up = is_id_like(table, f) or f.type == FieldType.PERIOD
        if looked_up and p.slots is not None and p.distinct is not None and p.distinct.dtype == object:
            codes = p.slots if len(rows) == n else p.slots[rows]
            ctx.codes[(table.name, key)] = Coded(codes, p.distinct)  # typed column == distinct[codes]
        p.slots = p.distinct = None


def _field(ctx: Context, loc: Located, f: Field, p: Parsed, keep: np.ndarray[Any, Any]) -> Iterator[Finding]:
    def rows(mask: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        return np.flatnonzero(mask & keep)

    if f.required:
        yield from ctx.cells("required-empty", loc, f.key, rows(p.blank))
    if f.type == FieldType.ANY:
        return  # typed by the settings and observations checks, which know what each row needs
    free_text = f.type == FieldType.TEXT and not is_id_like(loc.table, f)
    yield from ctx.cells("excel-error-in-text" if free_text else "excel-error", loc, f.key, rows(p.error))
    for code in p.note_codes():
        at = rows(p.notes(code))
        new = _shown(p, at, ctx.lang)
        if isinstance(f.choices, Vocab):  # a choice is named by its word (线性), not its key
            new = [f.choices.word(v, ctx.lang) for v in new]
        yield from ctx.cells(code, loc, f.key, at, per_row={"new": new, **shown_as_percent(loc, f.key, at, code)})
    bad = rows(p.bad)
    if f.type in (FieldType.NUMBER, FieldType.INTEGER):
        yield from ctx.cells("not-a-number", loc, f.key, bad)
        yield from _range(ctx, loc, f, p, keep)
    elif f.type == FieldType.DATE:
        shown = [date_display(loc.raw_value(f.key, int(i)), ctx.lang) for i in bad[:CAP[Severity.ERROR]]]
        yield from ctx.cells("not-a-date", loc, f.key, bad, per_row={"value": shown})  # ≤ CAP rows are listed
    elif f.type == FieldType.CHOICE and loc.table.name != "settings":
        code = "unknown-method" if (loc.table.name, f.key) == ("indicators", "method") else \
            "unknown-source" if f.key == "source" else "invalid-choice"  # a source describes data, scores nothing
        yield from ctx.cells(code, loc, f.key, bad, choices=choice_list(f.choices, ctx.lang))
    # text columns accept whatever a reader yields (numbers and dates become their spelling)


def _range(ctx: Context, loc: Located, f: Field, p: Parsed, keep: np.ndarray[Any, Any]) -> Iterator[Finding]:
    if f.min_value is None and f.max_value is None:
        return
    v = p.values.to_numpy(dtype=float)
    out = np.zeros(len(v), dtype=bool)
    with np.errstate(invalid="ignore"):
        if f.min_value is not None:
            out |= v < f.min_value
        if f.max_value is not None:
            out |= v > f.max_value
    yield from ctx.cells("out-of-range", loc, f.key, np.flatnonzero(out & keep), range=range_text(f, ctx.lang))


def range_text(f: Field, lang: str) -> str:
    lo, hi = f.min_value, f.max_value
    if lo is not None and hi is not None:
        return f"{num(lo)}～{num(hi)}" if lang == "zh" else f"{num(lo)} to {num(hi)}"
    if lo is not None:
        return f"≥ {num(lo)}"
    return f"≤ {num(hi)}"


def num(x: float | None) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return ""
    return str(int(x)) if float(x) == int(x) and abs(x) < 1e15 else f"{x:g}"


def _shown(p: Parsed, rows: np.ndarray[Any, Any], lang: str) -> list[str]:
    vals = p.values.to_numpy()[rows]
    out: list[str] = []
    for v in vals:
        if isinstance(v, (np.datetime64, pd.Timestamp)):
            out.append(str(pd.Timestamp(v).date()))
        elif isinstance(v, (float, np.floating)):
            out.append(num(float(v)))
        else:
            out.append(str(v))
    return out


def blank_series(f: Field, n: int) -> pd.Series[Any]:
    if f.type in (FieldType.NUMBER, FieldType.INTEGER, FieldType.BOOL):
        return pd.Series(np.full(n, np.nan), dtype="float64")
    if f.type == FieldType.DATE:
        return pd.Series(np.full(n, np.datetime64("NaT", "ns")), dtype="datetime64[ns]")
    return pd.Series([None] * n, dtype=object)


def typed_frame(loc: Located, parsed: dict[str, Parsed], keep: np.ndarray[Any, Any]) -> pd.DataFrame:
    """Field-key columns with clean types and ``_row`` (the Excel row), entirely blank rows dropped;
    the index is the data row number, so later checks can point at cells."""
    n = len(keep)
    rows = np.flatnonzero(keep)
    cols: dict[str, Any] = {}
    for f in loc.table.fields:
        values = parsed[f.key].values if f.key in parsed else blank_series(f, n)
        if len(rows) == n and values.index.equals(pd.RangeIndex(n)):
            cols[f.key] = values  # every row kept: the parsed column itself (copy-on-write keeps them apart)
        else:  # text stays object with None for blanks (pandas would otherwise infer its own string dtype)
            arr = values.to_numpy()[rows]
            cols[f.key] = pd.Series(arr, dtype=object if arr.dtype == object else arr.dtype, copy=False)
    cols["_row"] = pd.Series(rows.astype("int64") + loc.raw.header_row + 1)
    frame = pd.DataFrame(cols, copy=False)
    frame.index = pd.Index(rows)
    return frame
