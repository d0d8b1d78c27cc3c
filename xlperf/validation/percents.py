"""How a percent is read, whichever way HR typed it: ``98.5%`` into a cell (Excel stores 0.985 with a
percent number format; the reader marks such cells, ``RawTable.percent``), or the text "98.5%" (a CSV,
a text-formatted cell).

One rule for both: a percent means its points (98.5% → 98.5), as weights, quotas, thresholds and most
indicators are written; except where the numbers around it are fractions:

- a monitoring value (or a goal's baseline/target) of an indicator whose floor / target / stretch (or
  band bounds) are fractions (target 0.98): 98.5% → 0.985;
- the grade's bonus coefficient, a multiplier: 120% → 1.2.

Each reading is an info finding naming the cell. ``implausible`` finds values about 100 times away
from their indicator's thresholds (0.97 against target 98, 9650 against 96.5): a warning that says
which value was probably meant.

Everything here works on whole columns (masks and takes), never cell by cell; indicators are looked
at once each.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..book import RawTable
from ..contract.schema import FieldType
from .context import Located, lookup
from .parse import PERCENT, Parsed, display

Mask = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

PERCENT_FRACTION = "normalised-percent-fraction"

# Number fields where a percent is a fraction of one (a multiplier), not points.
FRACTION_FIELDS = frozenset({("grades", "bonus_coef")})
# Number fields whose percent reading depends on their indicator (handled with the indicators known).
BY_INDICATOR = frozenset({("observations", "value"), ("goals", "baseline"), ("goals", "target")})
THRESHOLDS = ("floor", "target", "stretch")
# Aggregations over which a single record is on the scale of the thresholds (a sum's records are not).
LEVEL_AGGREGATIONS = frozenset({"mean", "last", "max", "min"})


def points(values: FloatArray) -> FloatArray:
    """Stored fractions as the points a percent format shows: 0.985 → 98.5, without binary noise
    (0.07 × 100 is 7.000000000000001 in floating point; Excel shows 7%)."""
    return np.round(np.asarray(values, dtype=np.float64) * 100.0, 12)


def fraction(values: FloatArray) -> FloatArray:
    return np.asarray(values, dtype=np.float64) / 100.0


def percent_cells(raw: RawTable, j: int | None, p: Parsed, rows: npt.NDArray[np.int64] | None = None) -> Mask:
    """Which parsed cells are numbers in percent-formatted cells (text in such a cell is read as
    text: "98.5%" has its own rule). ``rows``: the data rows that ``p`` was parsed from."""
    if j is None or not raw.percent:
        return np.zeros(len(p.blank), dtype=bool)
    mask = raw.percent_column(j)
    if rows is not None:
        mask = mask[rows]
    if not mask.any():
        return mask
    typed_as_number = np.ones(len(mask), dtype=bool) if p.note is None else np.asarray(p.note == "", dtype=bool)
    return np.asarray(mask & typed_as_number & ~p.blank & ~p.bad & ~p.error, dtype=bool)


def read(p: Parsed, cells: Mask, as_fraction: Mask | bool) -> None:
    """Apply the rule to a parsed number column, in place: percent cells (``cells``) become points
    unless ``as_fraction``; percent text ("98.5%", already points) becomes a fraction where
    ``as_fraction``. The note of every such cell says which reading was made."""
    n = len(p.blank)
    frac = np.broadcast_to(np.asarray(as_fraction, dtype=bool), (n,))
    text = p.notes(PERCENT) & ~cells
    to_points = cells & ~frac
    to_fraction = text & frac
    if not (cells.any() or to_fraction.any()):
        return
    values = p.values.to_numpy(dtype=np.float64, copy=True)
    values[to_points] = points(values[to_points])
    values[to_fraction] = fraction(values[to_fraction])
    p.values = pd.Series(values, index=p.values.index, dtype="float64")
    note = np.full(n, "", dtype=object) if p.note is None else p.note.copy()
    note[cells | text] = np.where(frac[cells | text], PERCENT_FRACTION, PERCENT)
    p.note = note


def read_percents(frames: dict[str, pd.DataFrame], loc: Located, parsed: dict[str, Parsed]) -> None:
    """The rule applied to every number column of a table just parsed (the cells check): points, but
    fractions for ``FRACTION_FIELDS`` and, for ``BY_INDICATOR`` fields, where the row's indicator
    (already typed: indicators come before goals) has fraction thresholds."""
    table = loc.table
    refs: pd.DataFrame | None = None
    for key, p in parsed.items():
        if table.field(key).type not in (FieldType.NUMBER, FieldType.INTEGER):
            continue
        as_fraction: Mask | bool = (table.name, key) in FRACTION_FIELDS
        if (table.name, key) in BY_INDICATOR and "indicator_id" in parsed:
            if refs is None:
                refs = references(frames.get("indicators"), frames.get("bands"))
            ids = parsed["indicator_id"].values
            as_fraction = lookup(ids, refs, "indicator_id", "fraction").to_numpy(dtype=float) == 1.0
        read(p, percent_cells(loc.raw, loc.columns[key], p), as_fraction)


def shown_as_percent(loc: Located, key: str, rows: npt.NDArray[Any], code: str) -> dict[str, list[str]]:
    """The ``value`` of findings of a percent ``code`` in rows of column ``key`` (none for other codes):
    percent cells as the sheet shows them (98.5%, not 0.985). Only the rows a findings list can hold
    are looked at."""
    j, listed = loc.columns[key], rows[:200]  # 200: the largest cap of a findings list (context.CAP)
    if code not in (PERCENT, PERCENT_FRACTION) or j >= loc.raw.data.shape[1]:
        return {}
    return {"value": shown(loc.raw.data.iloc[listed, j].to_numpy(dtype=object), loc.raw.percent_column(j)[listed])}


def shown(raw_values: npt.NDArray[Any], cells: Mask) -> list[str]:
    """Each cell as the sheet shows it: a percent cell as its percent (0.985 → "98.5%")."""
    out = [display(v) for v in raw_values]
    for i in np.flatnonzero(cells):  # the findings listed (capped), not the column
        v = raw_values[i]
        if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
            out[i] = display(float(points(np.array([float(v)]))[0])) + "%"
    return out


# ── indicators ────────────────────────────────────────────────────────────────────────────────────

def references(indicators: pd.DataFrame | None, bands: pd.DataFrame | None) -> pd.DataFrame:
    """Per indicator id: the smallest and largest of its floor / target / stretch (for band indicators
    also its band bounds), and whether they are fractions (every one within ±1, not all 0)."""
    cols = ["indicator_id", "ref_lo", "ref_hi", "fraction"]
    if indicators is None or indicators.empty or "indicator_id" not in indicators:
        return pd.DataFrame({c: pd.Series(dtype=object if c == "indicator_id" else float) for c in cols})
    frame = indicators.reset_index(drop=True)
    parts = [frame[k].astype(float).to_numpy() for k in THRESHOLDS if k in frame]
    refs = np.column_stack(parts) if parts else np.full((len(frame), 1), np.nan)
    with warnings.catch_warnings():  # a row of blanks (no thresholds) is NaN, without a warning
        warnings.simplefilter("ignore", RuntimeWarning)
        lo = np.nanmin(refs, axis=1)
        hi = np.nanmax(refs, axis=1)
    if bands is not None and not bands.empty and "band_set" in frame and "band_set" in bands:
        b = pd.DataFrame({"band_set": bands["band_set"].to_numpy(dtype=object),
                          "lower": bands["lower"].astype(float).to_numpy(),
                          "upper": bands["upper"].astype(float).to_numpy()})
        per_set = b.groupby("band_set", dropna=True).agg(
            lo=("lower", "min"), lo2=("upper", "min"), hi=("upper", "max"), hi2=("lower", "max"))
        set_lo = per_set[["lo", "lo2"]].min(axis=1)
        set_hi = per_set[["hi", "hi2"]].max(axis=1)
        is_bands = (frame["method"] == "bands").to_numpy(dtype=bool) if "method" in frame else \
            np.zeros(len(frame), dtype=bool)
        sets = pd.Index(frame["band_set"].to_numpy(dtype=object))
        blo = set_lo.reindex(sets).to_numpy(dtype=float)
        bhi = set_hi.reindex(sets).to_numpy(dtype=float)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            lo = np.where(is_bands, np.fmin(lo, blo), lo)
            hi = np.where(is_bands, np.fmax(hi, bhi), hi)
    biggest = np.fmax(np.abs(lo), np.abs(hi))
    with np.errstate(invalid="ignore"):
        is_fraction = (biggest <= 1.0) & (biggest > 0)
    return pd.DataFrame({"indicator_id": frame["indicator_id"].to_numpy(dtype=object), "ref_lo": lo, "ref_hi": hi,
                         "fraction": is_fraction.astype(float)})


def are_fractions(refs: npt.ArrayLike) -> bool:
    """Whether thresholds (floor, target, stretch, band bounds; NaN for blank) are fractions: every
    one within ±1 and not all 0 (the rule ``references`` applies per indicator)."""
    arr = np.abs(np.asarray(refs, dtype=np.float64))
    arr = arr[np.isfinite(arr)]
    return bool(arr.size and 0 < arr.max() <= 1.0)


def implausible(values: FloatArray, lo: FloatArray, hi: FloatArray, check: Mask) -> FloatArray:
    """For each value, the value it was probably meant to be when it lies about 100 times away from
    its indicator's range [lo, hi] (positive thresholds only); NaN where it looks plausible.

    "About 100 times away": more than ten times outside the range, while ×100 or ÷100 lands within
    half to twice of it (0.97 against 98 → 97; 9650 against 96.5 → 96.5)."""
    v = np.asarray(values, dtype=np.float64)
    out = np.full(len(v), np.nan)
    with np.errstate(invalid="ignore"):
        ok = check & np.isfinite(v) & (v > 0) & (lo > 0) & np.isfinite(hi)
        far = ok & ((v < lo / 10) | (v > hi * 10))
        up, down = points(v), fraction(v)
        near_up = far & (up >= lo / 2) & (up <= hi * 2)
        near_down = far & (down >= lo / 2) & (down <= hi * 2)
    out[near_up] = up[near_up]
    out[near_down & ~near_up] = down[near_down & ~near_up]
    return out
