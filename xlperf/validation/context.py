"""What every check shares: the raw book, the language, where each table and column was found, the
typed frames built so far, and the one place findings are made (with their positions and the cap
on repeated findings per column)."""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..book import RawBook, RawTable
from ..contract.schema import Table
from ..contract.tables import TABLES_BY_NAME
from ..findings import Finding, Severity
from ..settings import Settings
from .codes import CODES
from .parse import Codes, Parsed, display

# Repeated findings of one code in one column are listed up to these numbers; one ``more-findings``
# finding then gives the count of the rest. A million-row column with one systematic problem gives
# a readable findings sheet, not a million rows.
CAP = {Severity.ERROR: 200, Severity.WARNING: 100, Severity.INFO: 50}


@dataclass
class Located:
    """A contract table as found in the workbook: its raw table and the column of each field."""

    table: Table
    raw: RawTable
    columns: dict[str, int]  # field key → 0-based column in raw.data
    keep: npt.NDArray[np.bool_] | None = None  # rows that are not entirely blank

    @property
    def sheet(self) -> str:
        return self.raw.sheet

    def has(self, key: str) -> bool:
        return key in self.columns

    def cell(self, key: str, i: int) -> str:
        """A1 address of field ``key`` in data row ``i``; the row's first found column when the field
        has no column (a finding about a missing value still points at its row)."""
        j = self.columns.get(key)
        if j is None:
            j = min(self.columns.values()) if self.columns else 0
        return self.raw.cell(i, j)

    def value(self, key: str, i: int) -> str:
        return display(self.raw_value(key, i))

    def raw_value(self, key: str, i: int) -> object:
        """The cell of field ``key`` in data row ``i`` as the reader gave it (None outside the data)."""
        j = self.columns.get(key)
        if j is None or i >= len(self.raw.data) or j >= self.raw.data.shape[1]:
            return None
        return self.raw.data.iat[i, j]


@dataclass(frozen=True)
class Coded:
    """A column as codes into a short array: ``values[codes]`` is the column, row by row. Ids and
    periods repeat (a million monitoring rows hold a few thousand distinct ids), so work that depends
    on the value alone (a lookup, a membership test) runs once per entry of ``values`` and is spread
    back to the rows with one take. ``values`` may repeat a value and holds the missing ones (None)."""

    codes: Codes  # one per row, each a valid index into values
    values: npt.NDArray[Any]

    @classmethod
    def of(cls, column: pd.Series[Any]) -> Coded:
        codes, uniq = pd.factorize(column.to_numpy(dtype=object), use_na_sentinel=True)
        values = np.empty(len(uniq) + 1, dtype=object)
        values[:-1] = np.asarray(uniq, dtype=object)
        values[-1] = None  # the slot of the missing rows
        return cls(np.where(codes < 0, len(uniq), codes), values)

    def lookup(self, frame: pd.DataFrame | None, key: str, attr: str) -> Coded:
        """``frame[attr]`` of the row whose ``frame[key]`` equals each value (see ``lookup``)."""
        return Coded(self.codes, _attr_of(self.values, frame, key, attr))

    def series(self, index: pd.Index[Any]) -> pd.Series[Any]:
        return pd.Series(self.values[self.codes], index=index, dtype=self.values.dtype)

    def take(self) -> npt.NDArray[Any]:
        return self.values[self.codes]

    def mask(self, per_value: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
        """A test made on ``values`` (aligned with them), as one bool per row."""
        return np.asarray(per_value, dtype=bool)[self.codes]

    def isin(self, *options: object) -> npt.NDArray[np.bool_]:
        """Rows whose value is one of ``options``."""
        return self.mask(pd.Series(self.values, dtype=object).isin(options).to_numpy(dtype=bool))

    def notna(self) -> npt.NDArray[np.bool_]:
        return self.mask(np.asarray(pd.notna(self.values), dtype=bool))

    def differs(self, other: Coded) -> npt.NDArray[np.bool_]:
        """Rows where both columns have a value and the values differ (for text columns: the values
        of both get common integer labels, so no row compares two Python objects)."""
        both = np.concatenate([self.values.astype(object), other.values.astype(object)])
        labels, _ = pd.factorize(both, use_na_sentinel=True)  # -1: missing
        a, b = labels[:len(self.values)][self.codes], labels[len(self.values):][other.codes]
        return np.asarray((a >= 0) & (b >= 0) & (a != b), dtype=bool)


def _attr_of(keys: npt.NDArray[Any], frame: pd.DataFrame | None, key: str, attr: str) -> npt.NDArray[Any]:
    """``frame[attr]`` for each of ``keys`` (a short array: distinct keys), the fill value of the
    column's type for blank or unknown keys, the first row for duplicate keys."""
    if frame is None or key not in frame or attr not in frame:
        return np.full(len(keys), None, dtype=object)
    values = frame[attr].to_numpy()
    fill: Any
    kind = values.dtype.kind
    if kind == "M":
        values, fill = values.astype("datetime64[ns]"), np.datetime64("NaT", "ns")
    elif kind in "fiub":
        values, fill = values.astype(float), np.nan
    else:
        values, fill = values.astype(object), None
    # the first row of each id of the referenced table (pd.factorize numbers ids by first appearance)
    ref_codes, ref_ids = pd.factorize(frame[key].to_numpy(dtype=object), use_na_sentinel=True)
    _, first_row = np.unique(ref_codes, return_index=True)
    first_row = first_row[-len(ref_ids):] if len(ref_ids) else first_row[:0]  # drop code -1 (blank ids)
    pos = pd.Index(ref_ids, dtype=object).get_indexer(pd.Index(keys, dtype=object))
    at = np.full(len(keys), -1, dtype=np.int64)  # a blank key (None, NaN) is never found
    at[pos >= 0] = first_row[pos[pos >= 0]]
    extended = np.append(values, np.array([fill], dtype=values.dtype))
    return extended[at]  # -1 (not found) → the fill


def lookup(keys: pd.Series[Any], frame: pd.DataFrame | None, key: str, attr: str) -> pd.Series[Any]:
    """``frame[attr]`` of the row whose ``frame[key]`` equals each key: missing (NaN, NaT or None, by
    the column's type) for blank or unknown keys, the first row for duplicate keys. Safe for empty
    frames, where ``Series.map`` trips over the mapper's dtype. ``keys`` may have a million rows: they
    are factorised, and only distinct keys are looked up (``Context.coded`` saves the factorising for
    the columns of typed frames)."""
    return Coded.of(keys).lookup(frame, key, attr).series(keys.index)


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _format(template: str, kw: dict[str, Any]) -> str:
    try:
        return string.Formatter().vformat(template, (), _Blank(kw))
    except (ValueError, IndexError, AttributeError):  # a malformed template must not stop validation
        return template


@dataclass
class Context:
    raw: RawBook
    lang: str
    located: dict[str, Located] = field(default_factory=dict)
    parsed: dict[tuple[str, str], Parsed] = field(default_factory=dict)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    # Text columns of the typed frames as codes (see ``coded``); a check that writes into a typed
    # column says so with ``changed`` (or writes through ``fill``), so that no stale codes are used.
    codes: dict[tuple[str, str], Coded] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)
    # The workbook's own language (its lang setting), which can differ from the message language
    # ``lang``: what its dropdowns offer, so which choice spellings need no note. Blank: ``lang``.
    book_lang: str = ""
    _counts: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    _listed: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    _sheets: dict[tuple[str, str, str], str] = field(default_factory=dict)

    # ---- labels -------------------------------------------------------------------------------
    def table_label(self, name: str) -> str:
        t = TABLES_BY_NAME.get(name)
        return t.sheet_name(self.lang) if t else name

    def field_label(self, table: str, key: str) -> str:
        t = TABLES_BY_NAME.get(table)
        if t is None:
            return key
        try:
            return t.field(key).label(self.lang)
        except KeyError:
            return key

    def frame(self, name: str) -> pd.DataFrame | None:
        return self.frames.get(name)

    def coded(self, table: str, key: str) -> Coded:
        """Column ``key`` of the typed frame ``table`` as codes: the cells check leaves them for its
        text columns (it factorised each column to parse it), any other column is factorised once."""
        frame = self.frames[table]
        got = self.codes.get((table, key))
        if got is None or len(got.codes) != len(frame):
            got = self.codes[(table, key)] = Coded.of(frame[key])
        return got

    def changed(self, table: str, key: str) -> None:
        """A check wrote into column ``key`` of the typed frame ``table``: its codes are stale."""
        self.codes.pop((table, key), None)

    def fill(self, table: str, key: str, rows: npt.NDArray[np.bool_], values: npt.NDArray[Any]) -> None:
        """Write ``values`` into the ``rows`` (a mask) of text column ``key`` of the typed frame ``table``,
        its codes kept up to date (the new values get codes of their own)."""
        frame = self.frames[table]
        frame.loc[rows, key] = values
        old = self.codes.get((table, key))
        if old is None or len(old.codes) != len(frame):
            self.changed(table, key)
            return
        new = Coded.of(pd.Series(values, dtype=object))
        codes = old.codes.copy()
        codes[rows] = new.codes + len(old.values)
        self.codes[(table, key)] = Coded(codes, np.concatenate([old.values, new.values]))

    def lookup(self, table: str, key: str, frame: pd.DataFrame | None, fkey: str, attr: str) -> pd.Series[Any]:
        """``lookup(self.frames[table][key], frame, fkey, attr)`` by the column's codes."""
        return self.coded(table, key).lookup(frame, fkey, attr).series(self.frames[table].index)

    def blank(self, table: str, key: str, rows: pd.Index) -> npt.NDArray[np.bool_]:
        """Which of the typed frame's ``rows`` had nothing typed in field ``key`` (all of them when the
        column is absent). A missing value in a typed frame is either this or a cell that could not be
        read, which the cells check has reported already: "missing" findings test this, not isna()."""
        p = self.parsed.get((table, key))
        if p is None:
            return np.ones(len(rows), dtype=bool)
        return np.asarray(p.blank[rows.to_numpy(dtype=np.int64)], dtype=bool)

    # ---- findings -----------------------------------------------------------------------------
    def finding(self, code: str, /, *, table: str = "", sheet: str = "", cell: str = "", field: str = "",
                value: object = "", **kw: Any) -> Finding:
        spec = CODES[code]
        shown = value if isinstance(value, str) else display(value)
        args: dict[str, Any] = {"table": self.table_label(table) if table else "", "cell": cell,
                                "field": self.field_label(table, field) if field else "", "value": shown,
                                "key": field}
        args.update(kw)
        return Finding(code=code, severity=spec.severity, sheet=sheet, cell=cell, table=table, field=field,
                       value=shown, message=_format(spec.message(self.lang), args),
                       hint=_format(spec.hint(self.lang), args))

    def at(self, code: str, loc: Located, key: str, i: int, /, *, value: object = None, **kw: Any) -> Finding:
        """A finding about data row ``i`` of a located table (value: the raw cell unless given)."""
        shown = loc.value(key, i) if value is None else value
        return self.finding(code, table=loc.table.name, sheet=loc.sheet, cell=loc.cell(key, i), field=key,
                            value=shown, **kw)

    def cells(self, code: str, loc: Located, key: str, rows: Iterable[int] | npt.NDArray[Any], /,
              per_row: dict[str, Any] | None = None, **kw: Any) -> Iterator[Finding]:
        """Findings for many rows of one column, capped per (table, column, code). ``per_row`` holds
        arrays (aligned with ``rows``) of message arguments that differ per row."""
        rows = np.asarray(list(rows) if not isinstance(rows, np.ndarray) else rows)
        if rows.size == 0:
            return
        bucket = (loc.table.name, key, code)
        room = max(CAP[CODES[code].severity] - self._listed[bucket], 0)
        self._counts[bucket] += int(rows.size)
        self._sheets[bucket] = loc.sheet
        for n, i in enumerate(rows[:room]):
            extra = {k: (display(v[n]) if not isinstance(v[n], str) else v[n]) for k, v in (per_row or {}).items()}
            self._listed[bucket] += 1
            yield self.at(code, loc, key, int(i), **kw, **extra)

    def finish(self) -> Iterator[Finding]:
        """One ``more-findings`` finding per column where findings were capped."""
        for bucket, total in self._counts.items():
            listed = self._listed[bucket]
            if total > listed:
                table, key, code = bucket
                yield self.finding("more-findings", table=table, sheet=self._sheets[bucket], field=key,
                                   value=str(total - listed), count=total - listed, code=code)
