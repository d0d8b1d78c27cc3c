"""Number rules shared by every part of the engine: half-up rounding and the way numbers are printed.

Totals are rounded half-up to 2 decimals *as decimals*: 84.995 → 85.00, although the binary float
nearest to 84.995 lies just below it. Plain ``np.round`` rounds half-to-even on the binary value and
would give 84.99, which HR checking by hand would call a bug.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
from numpy.dtypes import StringDType

FloatArray = npt.NDArray[np.float64]
StrArray = npt.NDArray[Any]  # numpy StringDType arrays (variable-width UTF-8)
STR = StringDType()

# Beyond this magnitude a float64 scaled by 10**(digits+6) loses the digits the fast path relies on;
# such values (large money amounts) go through Decimal one by one. Scores never get near it.
_FAST_LIMIT = 1e6
_WHOLE_FROM = 2.0**53


def round_half_up(values: npt.ArrayLike, digits: int = 2) -> FloatArray:
    """Round half away from zero at ``digits`` decimals, reading each float as its shortest decimal.

    Fast path: scale, snap away binary noise at 6 further decimals (8499.499999999999 → 8499.5), then
    floor(x + 0.5) on the magnitude. Equal to ``Decimal(repr(round(x, digits + 6)))`` quantized
    ROUND_HALF_UP for every |x| < 1e6 (a property test pins this).
    """
    arr = np.asarray(values, dtype=np.float64)
    scale = 10.0**digits
    scaled = np.round(np.abs(arr) * scale, 6)
    out: FloatArray = np.sign(arr) * np.floor(scaled + 0.5) / scale
    # From 2**53 on every float64 is a whole number: nothing to round, and Decimal.quantize would
    # need more digits than its context holds (1e300 raised InvalidOperation).
    big = np.isfinite(arr) & (np.abs(arr) >= _FAST_LIMIT) & (np.abs(arr) < _WHOLE_FROM)
    whole = np.isfinite(arr) & (np.abs(arr) >= _WHOLE_FROM)
    out[whole] = arr[whole]
    if big.any():
        quantum = Decimal(1).scaleb(-digits)
        out[big] = [
            float(Decimal(repr(float(x))).quantize(quantum, rounding=ROUND_HALF_UP)) for x in arr[big]
        ]
    # -0.0 prints as "-0"; nobody scores minus nothing
    out[out == 0] = 0.0
    return out


def fmt_num(values: npt.ArrayLike, digits: int = 2, blank: str = "—") -> StrArray:
    """Print numbers the way HR writes them: half-up at ``digits`` decimals, no trailing zeros.

    96.5 → "96.5", 90.0 → "90", 81.25 → "81.25"; NaN → ``blank``. Returns a numpy StringDType array
    (the explanation builder concatenates these with C-speed ``np.strings.add``). Only the distinct
    rounded values are formatted: a million scores hold a few thousand distinct numbers.
    """
    rounded = round_half_up(values, digits).reshape(-1)
    # hash-based factorize (no sort); NaN gets code -1, which indexes the trailing blank
    codes, uniq = pd.factorize(rounded, use_na_sentinel=True)
    table = np.append(_fmt_distinct(np.asarray(uniq, dtype=np.float64), digits, blank), np.array([blank], dtype=STR))
    out: StrArray = table[codes]
    return out


def fmt_arrow(values: npt.ArrayLike, digits: int = 2, blank: str = "—") -> pa.Array:
    """``fmt_num`` as an Arrow string array (the distinct numbers printed, then gathered with ``take``)."""
    rounded = round_half_up(values, digits).reshape(-1)
    codes, uniq = pd.factorize(rounded, use_na_sentinel=True)
    texts = _fmt_distinct(np.asarray(uniq, dtype=np.float64), digits, blank).astype(object)
    table = pa.array([*texts, blank], pa.string())
    out: pa.Array = table.take(np.where(codes >= 0, codes, len(uniq)))
    return out


def _fmt_distinct(uniq: FloatArray, digits: int, blank: str) -> StrArray:
    """``_fmt_scalar`` of each of the (distinct, already rounded) numbers, by whole-array arithmetic.

    A value rounded to d ≤ 4 decimals is the double nearest to k/10^d, and below 1e6 its shortest repr
    is exactly k's digits with the point put back, so printing k as an integer gives the same text
    without a Python call per number. Other values (NaN, huge, more decimals) go the scalar way.
    """
    out: StrArray = np.empty(len(uniq), dtype=STR)
    fast = np.isfinite(uniq) & (np.abs(uniq) < _FAST_LIMIT) if digits <= 4 else np.zeros(len(uniq), dtype=bool)
    if fast.any():
        unit = 10**digits
        k = np.rint(np.abs(uniq[fast]) * unit).astype(np.int64)
        whole = (k // unit).astype(STR)
        frac = k % unit
        if digits:
            decimals = np.strings.rstrip(np.strings.zfill((frac).astype(STR), digits), "0")
            text = np.where(frac > 0, cat(whole, ".", decimals), whole)
        else:
            text = whole
        out[fast] = np.where(uniq[fast] < 0, cat("-", text), text)
    for i in np.flatnonzero(~fast):
        out[i] = _fmt_scalar(float(uniq[i]), digits, blank)
    return out


def _fmt_scalar(x: float, digits: int, blank: str) -> str:
    if np.isnan(x):
        return blank
    text = repr(x)
    if "e" in text or "inf" in text:
        return f"{x:.{digits}f}"
    return text.removesuffix(".0")


def fmt_one(value: float, digits: int = 2, blank: str = "—") -> str:
    """One number, printed like ``fmt_num``."""
    return _fmt_scalar(float(round_half_up([value], digits)[0]), digits, blank)


def strs(values: npt.ArrayLike) -> StrArray:
    """Any array of text (object or str) as a StringDType array; None becomes ""."""
    arr = np.asarray(values, dtype=object)
    arr = np.where(pd.isna(arr), "", arr)
    out: StrArray = arr.astype(STR)
    return out


def cat(*parts: StrArray | str) -> StrArray:
    """Concatenate text arrays and literals element-wise (numpy string ufuncs, no Python loop)."""
    acc: StrArray | str = ""
    for part in parts:
        acc = np.strings.add(acc, part)
    if isinstance(acc, str):
        return np.array([acc], dtype=STR)
    return acc
