"""Moving Excel range values in and out of numpy, in whole arrays.

xlwings hands a UDF a range as a 2-D array (``ndim=2``); a single cell arrives as a 1×1 array. Blank
cells arrive as None, error cells as None or an error string, text as str. These helpers turn that into
float arrays (NaN where the cell holds no number) and back into the nested lists Excel spills, with
None (a blank cell) where the result is NaN, without touching one cell at a time in Python.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

FloatArray = npt.NDArray[np.float64]


def as_2d(value: Any) -> npt.NDArray[Any]:
    """Any range value (scalar, list, nested list, array) as a 2-D object array."""
    arr = np.asarray(value, dtype=object)
    if arr.ndim == 0:
        return arr.reshape(1, 1)
    if arr.ndim == 1:
        return arr.reshape(-1, 1)
    return arr


def numbers(value: Any) -> FloatArray:
    """A 2-D float array: numbers as numbers; text as validation reads a number ("95%" → 95, full-width
    digits, thousands separators: ``xlperf.validation.parse``); anything else NaN."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "fiub":  # xlwings' all-number ranges
        out: FloatArray = value.astype(np.float64).reshape(_shape2d(value))
        return out
    arr = as_2d(value)
    try:  # numbers and blanks only: one C-level conversion (None → NaN)
        return arr.astype(np.float64)
    except (TypeError, ValueError):
        pass
    from xlperf.validation.parse import parse_number

    flat = parse_number(pd.Series(arr.ravel(), dtype=object)).values
    return np.asarray(flat, dtype=np.float64).reshape(arr.shape)


def _shape2d(arr: npt.NDArray[Any]) -> tuple[int, int]:
    if arr.ndim == 0:
        return (1, 1)
    if arr.ndim == 1:
        return (arr.shape[0], 1)
    return (arr.shape[0], arr.shape[1])


def texts(value: Any) -> npt.NDArray[Any]:
    """A 2-D object array of stripped strings ('' for blank)."""
    arr = as_2d(value)
    s = pd.Series(arr.ravel(), dtype=object)
    out = s.where(s.notna(), "").astype(str).str.strip()
    # whole numbers typed into an id column arrive as floats: 101.0 means "101"
    out = out.str.replace(r"^(-?\d+)\.0$", r"\1", regex=True)
    return np.asarray(out, dtype=object).reshape(arr.shape)


def scalar(value: Any, default: Any = None) -> Any:
    """The single value of an optional argument (a 1×1 range or a constant); None or '' → default."""
    if value is None:
        return default
    arr = np.asarray(value, dtype=object)
    v = arr.ravel()[0] if arr.size else None
    if v is None or (isinstance(v, str) and not v.strip()):
        return default
    if isinstance(v, float) and np.isnan(v):
        return default
    return v


def given(value: Any) -> bool:
    """Whether an optional range argument was given: not missing and not entirely blank."""
    if value is None:
        return False
    arr = np.asarray(value, dtype=object).ravel()
    return any(v is not None and not (isinstance(v, str) and not v.strip()) and not (isinstance(v, float) and np.isnan(v))
               for v in arr[:64])


def scalar_number(value: Any) -> float:
    v = scalar(value)
    if v is None or isinstance(v, bool):
        return float("nan")
    try:
        return float(v)
    except (TypeError, ValueError):
        return float("nan")


def spill(values: npt.NDArray[Any]) -> list[list[Any]]:
    """A 2-D result as Excel rows: NaN → None (a blank cell), numpy scalars → Python ones."""
    arr = np.asarray(values)
    if arr.dtype.kind == "f":
        obj = arr.astype(object)
        obj[np.isnan(arr)] = None
        rows: list[list[Any]] = obj.tolist()
        return rows
    return arr.astype(object).tolist()  # type: ignore[no-any-return]
