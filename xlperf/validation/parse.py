"""Tolerant, vectorised parsing of one column into one type, remembering what had to be normalised.

Columns can hold a million cells but only a handful of distinct values (ids, periods, choices), so
the general path factorises the column, parses the distinct values with vectorised string operations,
and expands the result back with one ``take``. Columns that already hold only numbers or only dates
take a fast path that never looks at single cells.

A parse never raises: what it cannot read is marked ``bad`` (or ``error`` for Excel error values)
and the caller turns the marks into findings with cell addresses.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa

from ..book import CellError
from ..contract.choices import YES_NO as YES_NO_WORDS
from ..contract.choices import Vocab

Mask = npt.NDArray[np.bool_]
Codes = npt.NDArray[np.signedinteger[Any]]  # int32 from pyarrow, intp from pandas: both index arrays

# Codes of the normalisation findings a parse can mark (see codes.py).
PERCENT, FULLWIDTH, THOUSANDS, SPACES = "normalised-percent", "normalised-fullwidth", "normalised-thousands", \
    "normalised-spaces"
TEXT_NUMBER, YES_NO, SERIAL_DATE, TEXT_DATE = "normalised-text-number", "normalised-yes-no", \
    "normalised-serial-date", "normalised-text-date"
CHOICE, PERIOD = "normalised-choice", "normalised-period"

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
MIN_DATE, MAX_DATE = pd.Timestamp("1900-01-01"), pd.Timestamp("2200-12-31")
# Excel serials of MIN_DATE..MAX_DATE: numbers outside are not read as dates.
MIN_SERIAL, MAX_SERIAL = 1.0, float((MAX_DATE - EXCEL_EPOCH).days)

# Yes/no spellings come from the contract's one vocabulary (normalised: NFKC, stripped, lower case).
YES_WORDS = frozenset(k for k, v in YES_NO_WORDS.lookup().items() if v == "yes")
NO_WORDS = frozenset(k for k, v in YES_NO_WORDS.lookup().items() if v == "no")

NUMBER_TYPES = (int, float, np.integer, np.floating)
DATE_TYPES = (dt.datetime, dt.date, pd.Timestamp, np.datetime64)


@dataclass
class Parsed:
    """One parsed column. All arrays are aligned with the input series (same index, same length)."""

    values: pd.Series[Any]
    blank: Mask  # empty (None, NaN, whitespace only)
    error: Mask  # an Excel error value
    bad: Mask  # present but not readable as the type
    note: npt.NDArray[np.object_] | None = None  # normalisation code per cell, "" where none
    # When the column was parsed by its distinct values: values == distinct[slots] (slots: one per
    # cell), so later checks can work per distinct value instead of factorising the column again.
    slots: Codes | None = None
    distinct: npt.NDArray[Any] | None = None

    def notes(self, code: str) -> Mask:
        if self.note is None:
            return np.zeros(len(self.blank), dtype=bool)
        return np.asarray(self.note == code, dtype=bool)

    def note_codes(self) -> list[str]:
        if self.note is None:
            return []
        return sorted({str(c) for c in pd.unique(self.note) if c})

    @property
    def present(self) -> Mask:
        return ~self.blank


def _zeros(n: int) -> Mask:
    return np.zeros(n, dtype=bool)


def _all_blank(s: pd.Series[Any], blank_value: Any, dtype: str) -> Parsed:
    """An empty column (optional columns mostly are): nothing to parse."""
    n = len(s)
    return Parsed(pd.Series(np.full(n, blank_value), index=s.index, dtype=dtype), np.ones(n, dtype=bool), _zeros(n),
                  _zeros(n))


def _is_empty(s: pd.Series[Any]) -> bool:
    return bool(s.isna().all())


# --------------------------------------------------------------------------------------------------
# The general path: factorise, parse distinct values, expand.

@dataclass
class _Uniques:
    values: npt.NDArray[Any]  # parsed value per distinct input value (len U + 1: the last is "blank")
    blank: Mask
    error: Mask
    bad: Mask
    note: npt.NDArray[np.object_]


@dataclass(frozen=True)
class _BoolKey:
    """A bool as a factorize key: True == 1 and False == 0 hash alike, so without this one TRUE in a
    number column made every 1 in it parse as TRUE (and not-a-number), or the other way round."""

    value: bool


def _may_hide_bool(u: object) -> bool:
    """Could a TRUE or FALSE cell have been merged into this distinct value by pd.factorize?
    Only a bool itself or a number equal to 0 or 1 (anything of an unexpected type counts too)."""
    if isinstance(u, (str, CellError, dt.date, dt.time, pd.Timestamp)):
        return False
    if isinstance(u, (bool, np.bool_)):
        return True
    if isinstance(u, NUMBER_TYPES):
        return bool(u == 0 or u == 1)
    return True


def _factorize(s: pd.Series[Any]) -> tuple[Codes, npt.NDArray[np.object_]]:
    if s.dtype != object:  # numbers, dates or bools alone: nothing to keep apart
        plain_codes, plain = pd.factorize(s, use_na_sentinel=True)
        return plain_codes, np.asarray(plain, dtype=object)
    values = s.to_numpy(dtype=object)
    codes, found = pd.factorize(values, use_na_sentinel=True)
    uniq = np.asarray(found, dtype=object)
    # Only cells whose distinct value is a bool or equals 0 or 1 can be a bool merged with a number:
    # look at those cells alone instead of testing the type of every cell of a million-row column.
    suspect = np.flatnonzero(np.fromiter((_may_hide_bool(u) for u in uniq), dtype=bool, count=len(uniq)))
    if not len(suspect):
        return codes, uniq
    cand = np.flatnonzero(np.isin(codes, suspect))
    if not any(issubclass(t, (bool, np.bool_)) for t in set(map(type, values[cand]))):  # map runs in C
        return codes, uniq
    cand_bool = np.fromiter((isinstance(v, (bool, np.bool_)) for v in values[cand]), dtype=bool, count=len(cand))
    keys = values.copy()
    keys[cand[cand_bool]] = [_BoolKey(bool(v)) for v in values[cand[cand_bool]]]
    tagged_codes, tagged = pd.factorize(keys, use_na_sentinel=True)
    back = np.asarray([u.value if isinstance(u, _BoolKey) else u for u in tagged], dtype=object)
    return tagged_codes, back


def _first_present(values: npt.NDArray[np.object_]) -> object:
    """The first value that is not missing (None when there is none): a look at the first cells."""
    for v in values:
        if not (v is None or v is pd.NaT or (isinstance(v, float) and np.isnan(v))):
            return v
    return None


def _str_factorize(s: pd.Series[Any]) -> tuple[Codes, list[str]] | None:
    """The column factorised by pyarrow when every value is a ``str`` or missing (None, NaN, NaT),
    else None. Hashing UTF-8 bytes in C is several times faster than pd.factorize over Python
    objects, and the conversion proves the column holds only text: anything else (a number, a bool,
    bytes, a date, an error value, a string that cannot be UTF-8) makes it fail or infer another type."""
    values = s.to_numpy(dtype=object)
    if not isinstance(_first_present(values), str):
        return None  # a column of numbers or dates: not worth converting only to find out
    try:
        arr = pa.array(values, from_pandas=True)  # None, NaN and NaT → null
    except (pa.ArrowException, ValueError, TypeError, UnicodeError, OverflowError):
        return None
    if not isinstance(arr, pa.Array) or arr.type not in (pa.string(), pa.large_string()):
        return None  # another type, or a column too large for one array (a ChunkedArray)
    enc = arr.dictionary_encode()
    codes = enc.indices.fill_null(-1).to_numpy(zero_copy_only=False)  # int32: half the memory of intp
    return codes, enc.dictionary.to_pylist()


def _expand(s: pd.Series[Any], codes: Codes, up: _Uniques) -> Parsed:
    """Parsed distinct values → one value per cell (code -1, a missing cell, takes the blank slot)."""
    n_uniq = len(up.blank) - 1
    idx = np.where(codes < 0, n_uniq, codes)
    picked = up.values[idx]
    values = pd.Series(picked, index=s.index, dtype=object if picked.dtype == object else picked.dtype,
                       copy=False)  # picked is a new array: no need for pandas to copy it again
    # every distinct value occurs in the column: any note among them is a note in some cell
    has_note = any(up.note[:n_uniq])
    return Parsed(values, up.blank[idx], up.error[idx], up.bad[idx], up.note[idx] if has_note else None,
                  idx, up.values)


def _by_uniques(s: pd.Series[Any], parse: Callable[[pd.Series[Any]], _Uniques]) -> Parsed:
    codes, uniq = _factorize(s)
    return _expand(s, codes, parse(pd.Series(uniq, dtype=object)))


def _kind(v: object) -> str:
    if isinstance(v, (bool, np.bool_)):  # before numbers: bool is a subclass of int
        return "bool"
    if isinstance(v, CellError):
        return "error"
    if isinstance(v, str):
        return "str"
    if isinstance(v, NUMBER_TYPES):
        return "num"
    if isinstance(v, DATE_TYPES):
        return "date"
    return "other"


def _kinds(u: pd.Series[Any]) -> dict[str, Mask]:
    """Classify distinct values by Python type (one pass over distinct values, not over cells)."""
    kinds = np.array([_kind(v) for v in u], dtype=object)
    return {k: np.asarray(kinds == k, dtype=bool) for k in ("bool", "error", "str", "num", "date", "other")}


def _with_blank_slot(values: npt.NDArray[Any], blank_value: Any) -> npt.NDArray[Any]:
    out = np.empty(len(values) + 1, dtype=values.dtype)
    out[:-1] = values
    out[-1] = blank_value
    return out


def _slot(mask: Mask, last: bool) -> Mask:
    return np.append(mask, last)


def _text_forms(u: pd.Series[Any]) -> tuple[pd.Series[Any], Mask, Mask]:
    """NFKC + strip of distinct strings → (cleaned, had full-width forms, had stray spaces)."""
    nfkc = u.str.normalize("NFKC")
    stripped = nfkc.str.strip()
    fullwidth = np.asarray((nfkc != u).to_numpy(), dtype=bool)
    spaces = np.asarray((stripped != nfkc).to_numpy(), dtype=bool)
    return stripped, fullwidth, spaces


# --------------------------------------------------------------------------------------------------
# Numbers

def _number_text(u: pd.Series[Any]) -> tuple[npt.NDArray[np.float64], Mask, npt.NDArray[np.object_]]:
    """Distinct strings → (numbers, bad, note code). Percent points: '95%' → 95."""
    n = len(u)
    if n == 0:
        return np.zeros(0), _zeros(0), np.zeros(0, dtype=object)
    nfkc = u.str.normalize("NFKC")
    fullwidth = (nfkc != u).to_numpy(dtype=bool)
    squeezed = nfkc.str.replace(r"\s+", "", regex=True)
    spaces = (squeezed != nfkc).to_numpy(dtype=bool)
    pct = squeezed.str.endswith("%").to_numpy(dtype=bool)
    core = squeezed.where(~pct, squeezed.str[:-1])
    thousands = core.str.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?").fillna(False).to_numpy(dtype=bool)
    core = core.where(~thousands, core.str.replace(",", "", regex=False))
    # to_numeric would also accept 'nan', 'inf' and '1_000'; only plain decimal notation is a number here
    plain = core.str.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?").fillna(False).to_numpy(dtype=bool)
    nums = pd.to_numeric(core.where(plain, None), errors="coerce").to_numpy(dtype=float)
    bad = ~plain | ~np.isfinite(nums)
    note = np.full(n, TEXT_NUMBER, dtype=object)
    note[spaces] = SPACES
    note[fullwidth] = FULLWIDTH
    note[thousands] = THOUSANDS
    note[pct] = PERCENT
    note[bad] = ""
    return nums, bad, note


def _numbers_u(u: pd.Series[Any]) -> _Uniques:
    k = _kinds(u)
    n = len(u)
    vals = np.full(n, np.nan)
    note = np.full(n, "", dtype=object)
    blank = _zeros(n)
    bad = k["bool"] | k["date"] | k["other"]
    num = k["num"]
    if num.any():
        vals[num] = u[num].astype(float).to_numpy()
        bad |= num & ~np.isfinite(vals)  # inf from a broken formula
    st = k["str"]
    if st.any():
        strs = u[st].astype(str)
        blank[st] = (strs.str.strip() == "").to_numpy(dtype=bool)
        nums, sbad, snote = _number_text(strs)
        vals[st] = nums
        sbad &= ~blank[st]
        bad[st] = sbad
        note[st] = np.where(blank[st], "", snote)
    return _Uniques(_with_blank_slot(vals, np.nan), _slot(blank, True), _slot(k["error"], False),
                    _slot(bad, False), _with_blank_slot(note, ""))


def parse_number(s: pd.Series[Any]) -> Parsed:
    n = len(s)
    if _is_empty(s):
        return _all_blank(s, np.nan, "float64")
    kind = pd.api.types.infer_dtype(s, skipna=True)
    if kind in ("floating", "integer", "mixed-integer-float", "empty"):
        vals = pd.to_numeric(s, errors="coerce").astype("float64")
        arr = vals.to_numpy()
        finite = np.isfinite(arr)
        blank = np.asarray(vals.isna().to_numpy(), dtype=bool)
        bad = ~finite & ~blank
        if bad.any():
            vals = vals.where(finite)
        return Parsed(vals, blank, _zeros(n), bad)
    p = _by_uniques(s, _numbers_u)
    p.values = p.values.astype("float64")
    return p


# --------------------------------------------------------------------------------------------------
# Dates

_Y_FIRST = r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
_D_FIRST = r"(?P<a>\d{1,2})\s*[-/.]\s*(?P<b>\d{1,2})\s*[-/.]\s*(?P<y>\d{4})"
_COMPACT = r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"
_TIME = r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"


def _assemble(y: pd.Series[Any], m: pd.Series[Any], d: pd.Series[Any]) -> pd.Series[Any]:
    parts = pd.DataFrame({"year": pd.to_numeric(y, errors="coerce"), "month": pd.to_numeric(m, errors="coerce"),
                          "day": pd.to_numeric(d, errors="coerce")})
    ok = parts.notna().all(axis=1) & parts["year"].between(1900, 2200) & parts["month"].between(1, 12) \
        & parts["day"].between(1, 31)
    out = pd.Series(pd.NaT, index=y.index, dtype="datetime64[ns]")
    if ok.any():
        out[ok] = pd.to_datetime(parts[ok].astype(int), errors="coerce")  # 2026-02-30 → NaT
    return out


def _date_text(u: pd.Series[Any]) -> tuple[pd.Series[Any], Mask]:
    """Distinct strings → (dates, bad). Year first (ISO, 2026/1/15, 2026年1月15日); day first
    (15/01/2026, and 03/01/2026 = 3 January), unless only the US order is possible (01/15/2026);
    and 20260115. A time of day after the date is accepted and dropped."""
    clean, _, _ = _text_forms(u)
    out = pd.Series(pd.NaT, index=u.index, dtype="datetime64[ns]")
    yf = clean.str.extract(f"^{_Y_FIRST}{_TIME}$")
    hit = yf["y"].notna()
    if hit.any():
        out[hit] = _assemble(yf.loc[hit, "y"], yf.loc[hit, "m"], yf.loc[hit, "d"])
    df = clean.str.extract(f"^{_D_FIRST}{_TIME}$")
    hit2 = df["y"].notna()
    if hit2.any():
        a = pd.to_numeric(df.loc[hit2, "a"])
        b = pd.to_numeric(df.loc[hit2, "b"])
        month_first = (a <= 12) & (b > 12)  # 01/15/2026 can only be US order
        day = a.where(~month_first, b)
        month = b.where(~month_first, a)
        out[hit2] = _assemble(df.loc[hit2, "y"], month, day)
    cp = clean.str.extract(f"^{_COMPACT}$")
    hit3 = cp["y"].notna()
    if hit3.any():
        out[hit3] = _assemble(cp.loc[hit3, "y"], cp.loc[hit3, "m"], cp.loc[hit3, "d"])
    return out, np.asarray(out.isna().to_numpy(), dtype=bool)


def _in_range(v: pd.Series[Any]) -> pd.Series[Any]:
    """Datetimes outside 1900..2200 → NaT, then nanosecond resolution (which could not hold them)."""
    v = pd.to_datetime(v, errors="coerce")
    keep = (v >= MIN_DATE) & (v <= MAX_DATE)
    return v.where(keep).astype("datetime64[ns]").dt.normalize()


def _dates_u(u: pd.Series[Any]) -> _Uniques:
    k = _kinds(u)
    n = len(u)
    vals = pd.Series(pd.NaT, index=u.index, dtype="datetime64[ns]")
    note = np.full(n, "", dtype=object)
    blank = _zeros(n)
    bad = k["bool"] | k["other"]
    if k["date"].any():
        try:
            got = _in_range(pd.Series(list(u[k["date"]]), index=u.index[k["date"]], dtype=object))
        except (ValueError, TypeError, OverflowError):  # tz-aware or exotic objects
            got = pd.Series(pd.NaT, index=u.index[k["date"]], dtype="datetime64[ns]")
        vals[k["date"]] = got
        bad[k["date"]] = got.isna().to_numpy(dtype=bool)
    num = k["num"]
    if num.any():
        serial = u[num].astype(float)
        ok = serial.between(MIN_SERIAL, MAX_SERIAL)
        days = np.floor(serial.where(ok, 0.0).to_numpy(dtype=float)).astype("int64")
        stamps = pd.Series(EXCEL_EPOCH + pd.to_timedelta(days, unit="D"), index=serial.index)
        vals[num] = stamps.where(ok).astype("datetime64[ns]")
        bad[num] = ~ok.to_numpy(dtype=bool)
        note[num] = np.where(ok.to_numpy(dtype=bool), SERIAL_DATE, "")
    st = k["str"]
    if st.any():
        strs = u[st].astype(str)
        sblank = (strs.str.strip() == "").to_numpy(dtype=bool)
        blank[st] = sblank
        got, sbad = _date_text(strs)
        vals[st] = got
        bad[st] = sbad & ~sblank
        note[st] = np.where(sbad | sblank, "", TEXT_DATE)
    arr = np.append(vals.to_numpy(dtype="datetime64[ns]"), np.datetime64("NaT", "ns"))
    return _Uniques(arr, _slot(blank, True), _slot(k["error"], False), _slot(bad, False),
                    _with_blank_slot(note, ""))


def parse_date(s: pd.Series[Any]) -> Parsed:
    n = len(s)
    if _is_empty(s):
        return _all_blank(s, np.datetime64("NaT", "ns"), "datetime64[ns]")
    kind = pd.api.types.infer_dtype(s, skipna=True)
    if kind in ("datetime", "date") and s.dtype == object:
        # Python dates and datetimes: a day repeats in thousands of monitoring rows, so factorise (a
        # datetime caches its hash) and convert the distinct ones; the same conversion as below.
        try:
            codes, uniq = pd.factorize(s.to_numpy(dtype=object), use_na_sentinel=True)
            if any(getattr(u, "tzinfo", None) is not None for u in uniq):
                # with time zones, to_datetime's answer for a cell depends on the cells before it:
                # only the whole column converted at once gives that answer
                raise TypeError("time zone")
            got = _in_range(pd.Series(uniq, dtype=object)).to_numpy(dtype="datetime64[ns]")
            raw_na = codes < 0
            picked = np.append(got, np.datetime64("NaT", "ns"))[np.where(raw_na, len(got), codes)]
            return Parsed(pd.Series(picked, index=s.index, dtype="datetime64[ns]"), raw_na, _zeros(n),
                          np.isnat(picked) & ~raw_na)
        except (ValueError, TypeError, OverflowError):
            pass
    if kind in ("datetime64", "datetime", "date"):
        try:
            vals = _in_range(s)
            raw_na = np.asarray(s.isna().to_numpy(), dtype=bool)
            bad = np.asarray(vals.isna().to_numpy(), dtype=bool) & ~raw_na
            return Parsed(vals, raw_na, _zeros(n), bad)
        except (ValueError, TypeError, OverflowError):
            pass
    p = _by_uniques(s, _dates_u)
    p.values = p.values.astype("datetime64[ns]")
    return p


# --------------------------------------------------------------------------------------------------
# Yes / no (veto values)

def _bools_u(u: pd.Series[Any]) -> _Uniques:
    k = _kinds(u)
    n = len(u)
    vals = np.full(n, np.nan)
    note = np.full(n, "", dtype=object)
    blank = _zeros(n)
    bad = k["date"] | k["other"]
    b = k["bool"]
    if b.any():
        vals[b] = u[b].astype(bool).astype(float).to_numpy()
    num = k["num"]
    if num.any():
        x = u[num].astype(float).to_numpy()
        ok = (x == 0) | (x == 1)
        vals[num] = np.where(ok, x, np.nan)
        bad[num] = ~ok
    st = k["str"]
    if st.any():
        clean, _, _ = _text_forms(u[st].astype(str))
        low = clean.str.lower()
        yes = low.isin(YES_WORDS).to_numpy(dtype=bool)
        no = low.isin(NO_WORDS).to_numpy(dtype=bool)
        sblank = (low == "").to_numpy(dtype=bool)
        vals[st] = np.where(yes, 1.0, np.where(no, 0.0, np.nan))
        blank[st] = sblank
        bad[st] = ~(yes | no | sblank)
        note[st] = np.where(yes | no, YES_NO, "")
    return _Uniques(_with_blank_slot(vals, np.nan), _slot(blank, True), _slot(k["error"], False),
                    _slot(bad, False), _with_blank_slot(note, ""))


def parse_bool(s: pd.Series[Any]) -> Parsed:
    p = _by_uniques(s, _bools_u)
    p.values = p.values.astype("float64")
    return p


# --------------------------------------------------------------------------------------------------
# Text: ids and choices (cleaned and reported) and free text (kept as typed)

def _one_text(v: object, kind: str, clean: bool, period: bool) -> tuple[str | None, str, bool]:
    """One distinct value of a text column → (text or None, note code, bad)."""
    if kind == "str":
        text = str(v)
        if not clean:
            return (text if text.strip() else None), "", False
        nfkc = unicodedata.normalize("NFKC", text)
        stripped = nfkc.strip()
        note = FULLWIDTH if nfkc != text else SPACES if stripped != nfkc else ""
        return (stripped or None), (note if stripped else ""), False
    if kind == "num":
        f = float(v)  # type: ignore[arg-type]
        if not np.isfinite(f):
            return None, "", True
        return (str(int(f)) if f == int(f) and abs(f) < 1e15 else repr(f)), "", False
    if kind == "bool":
        return ("TRUE" if v else "FALSE"), "", False
    if kind == "date":
        try:
            ts = pd.Timestamp(v)  # type: ignore[arg-type]
        except (ValueError, TypeError, OverflowError):
            return str(v), "", False
        if period and ts.day == 1 and ts.hour == 0 and ts.minute == 0:
            # what Excel made of '2026-01' typed into a cell
            return f"{ts.year:04d}-{ts.month:02d}", PERIOD, False
        return f"{ts.year:04d}-{ts.month:02d}-{ts.day:02d}", "", False
    return None, "", kind == "other"


def _text_u(u: pd.Series[Any], *, clean: bool, period: bool) -> _Uniques:
    n = len(u)
    vals = np.full(n + 1, None, dtype=object)
    note = np.full(n + 1, "", dtype=object)
    blank = np.zeros(n + 1, dtype=bool)
    bad = np.zeros(n + 1, dtype=bool)
    error = np.zeros(n + 1, dtype=bool)
    blank[n] = True
    for i, v in enumerate(u):  # distinct values: a handful of ids, periods or choices per column
        kind = _kind(v)
        if kind == "error":
            error[i] = True
            continue
        text, code, is_bad = _one_text(v, kind, clean, period)
        vals[i], note[i], bad[i] = text, code, is_bad
        blank[i] = text is None and not is_bad
    return _Uniques(vals, blank, error, bad, note)


def _str_text_u(uniq: list[str], *, clean: bool) -> _Uniques:
    """``_text_u`` for distinct values that are all ``str``: the same rules as ``_one_text``, in
    comprehensions instead of one call per value (an id column can have 50 000 distinct ids)."""
    n = len(uniq)
    vals = np.full(n + 1, None, dtype=object)
    note = np.full(n + 1, "", dtype=object)
    if clean:
        nfkc = [unicodedata.normalize("NFKC", t) for t in uniq]
        stripped = [t.strip() for t in nfkc]
        vals[:n] = [t or None for t in stripped]
        note[:n] = [(FULLWIDTH if a != t else SPACES if b != a else "") if b else ""
                    for t, a, b in zip(uniq, nfkc, stripped)]
    else:
        vals[:n] = [t if t.strip() else None for t in uniq]
    blank = np.fromiter((v is None for v in vals), dtype=bool, count=n + 1)  # the trailing blank slot too
    return _Uniques(vals, blank, _zeros(n + 1), _zeros(n + 1), note)


def _text_parts(s: pd.Series[Any], *, clean: bool, period: bool) -> tuple[Codes, _Uniques]:
    """A text column factorised, with its distinct values parsed: (codes, parsed distinct values)."""
    enc = _str_factorize(s)
    if enc is not None:
        codes, strs = enc
        return codes, _str_text_u(strs, clean=clean)
    codes, uniq = _factorize(s)
    return codes, _text_u(pd.Series(uniq, dtype=object), clean=clean, period=period)


def parse_text(s: pd.Series[Any], *, clean: bool = True, period: bool = False) -> Parsed:
    """Text. ``clean`` (ids, choices, periods): NFKC and strip, each change noted; free text is kept
    as typed. Numbers become their plain spelling (1001.0 → '1001') without a note: that is how
    Excel shows them."""
    enc = None if clean else _str_factorize(s)
    if enc is not None:
        # Free text, all strings: kept as typed, so the cells keep their own string objects rather
        # than arrow's copies of the distinct ones (comments can be as many as the rows).
        codes, strs = enc
        blank = _str_text_u(strs, clean=False).blank[np.where(codes < 0, len(strs), codes)]
        values = s.to_numpy(dtype=object).copy()
        values[blank] = None
        return Parsed(pd.Series(values, index=s.index, dtype=object, copy=False), blank, _zeros(len(s)),
                      _zeros(len(s)))
    return _expand(s, *_text_parts(s, clean=clean, period=period))


def parse_choice(s: pd.Series[Any], choices: tuple[str, ...], aliases: dict[str, str] | None = None, *,
                 lang: str | None = None) -> Parsed:
    """A choice: matched ignoring case, width and outer spaces, by key, by its word in either language
    or by one of its aliases (per choice set: ``choices`` is the contract's ``Vocab``; ``aliases``, a
    flat spelling → key map, is only for plain tuples of keys). Matched per distinct value: every cell
    of one distinct value gets the same answer.

    A cell holding exactly what the workbook's dropdown offers (the ``lang`` word) or the key is
    stored as the key without a note; any other accepted spelling gets a ``normalised-choice`` note
    (and with no ``lang`` only the key is note-free)."""
    codes, up = _text_parts(s, clean=True, period=False)
    present = ~up.blank & ~up.error & ~up.bad
    vals, note, bad = up.values.copy(), up.note.copy(), up.bad.copy()
    vocab = choices if isinstance(choices, Vocab) else None
    lookup = vocab.lookup() if vocab is not None else {}
    for c in choices:
        lookup.setdefault(c.lower(), c)
    for spelling, key in (aliases or {}).items():
        if key in choices:
            lookup.setdefault(unicodedata.normalize("NFKC", spelling).strip().lower(), key)
    for i in np.flatnonzero(present):
        v = vals[i]
        hit = lookup.get(unicodedata.normalize("NFKC", str(v)).strip().lower())
        if hit is None:
            vals[i], note[i], bad[i] = None, "", True
        elif hit != v:
            offered = vocab is not None and lang is not None and vocab.offered(v, lang)
            vals[i] = hit
            if not offered:
                note[i] = CHOICE
    return _expand(s, codes, _Uniques(vals, up.blank, up.error, bad, note))


def display(value: object) -> str:
    """How a raw cell value is shown in a message."""
    if value is None:
        return ""
    if isinstance(value, CellError):
        return value.code
    if isinstance(value, (bool, np.bool_)):
        return "TRUE" if value else "FALSE"  # as Excel shows it
    if isinstance(value, float):
        if np.isnan(value):
            return ""
        if not np.isfinite(value):  # a hostile file can hold inf, which int() cannot convert
            return str(value)
        return str(int(value)) if value == int(value) and abs(value) < 1e15 else repr(value)
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        if value.hour or value.minute or value.second:
            return value.strftime("%Y-%m-%d %H:%M:%S")
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def date_display(value: object, lang: str) -> str:
    """An unreadable date as a message shows it. Excel cannot show a negative number (or one below 1)
    as a date, and the reader gets such a cell as a bare time of day: 00:00:00 alone says nothing."""
    if isinstance(value, dt.time):
        return (f"{value.isoformat()}（日期格式单元格中的负数或小于 1 的数字，不是日期）" if lang == "zh" else
                f"{value.isoformat()} (a negative number, or one below 1, in a date-formatted cell: not a date)")
    return display(value)
