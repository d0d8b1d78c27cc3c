"""Score rows: every subject × effective indicator of a period, its period value and its score.

The grid is built per level from the subjects that have any data in the period, crossed with the
indicators effective in that period, so an indicator a subject has no data for shows up as a missing
row (which the missing-data rule then handles) instead of silently vanishing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import methods as m
from .keys import Keys
from .model import text_col
from .numbers import STR, FloatArray, StrArray, fmt_num, round_half_up

PARAMS = ["method", "direction", "weight", "floor", "target", "stretch", "cap", "per_unit", "band_set", "scale",
          "weighted_method", "warn_below", "dcode"]


def build_grid(values: pd.DataFrame, ind: pd.DataFrame, keys: Keys, level: int,
               effective: dict[int, np.ndarray]) -> pd.DataFrame:
    """Subjects of ``level`` (0 vendor, 1 worker) × effective indicators, sorted by row key.

    ``values`` (rk, sk, ic, actual, n, detail) gives the subjects (those with any data) and the
    period values. Unweighted methods (adjust, veto) keep only rows with data: "no bonus points" and
    "no veto" are the normal case, not missing data.
    """
    subjects = np.unique(values["sk"].to_numpy(dtype=np.int64))
    p, lv, _v, _w = keys.split(subjects)
    subjects, p = subjects[lv == level], p[lv == level]
    is_level = (ind["level"] == ("worker" if level else "vendor")).to_numpy()
    sk_parts, ic_parts = [], []
    for pc in np.unique(p):
        ics = np.flatnonzero(is_level & effective.get(int(pc), np.zeros(len(ind), dtype=bool))).astype(np.int64)
        sks = subjects[p == pc]
        sk_parts.append(np.repeat(sks, len(ics)))
        ic_parts.append(np.tile(ics, len(sks)))
    sk = np.concatenate(sk_parts) if sk_parts else np.array([], dtype=np.int64)
    ic = np.concatenate(ic_parts) if ic_parts else np.array([], dtype=np.int64)
    rk = sk * keys.ni + ic
    at = pd.Index(values["rk"].to_numpy(dtype=np.int64)).get_indexer(rk)
    has = at >= 0
    # drop the rows not kept first, then gather each column once for the rows that stay
    keep = ind["weighted_method"].to_numpy(dtype=bool)[ic] | has
    rk, sk, ic, at, has = rk[keep], sk[keep], ic[keep], at[keep], has[keep]
    cols: dict[str, object] = {"rk": rk, "sk": sk, "ic": ic}
    for col, fill in (("actual", np.nan), ("n", np.nan), ("detail", "")):
        src = values[col].to_numpy()
        gathered = np.where(has, src[np.where(has, at, 0)] if len(src) else fill, fill)
        # object stays object: pandas would otherwise infer a string dtype, row by row
        cols[col] = pd.Series(gathered, dtype=object) if col == "detail" else gathered.astype(np.float64)
    for col in PARAMS:
        src = ind[col].to_numpy()
        cols[col] = pd.Series(src[ic], dtype=object) if src.dtype == object else src[ic]
    # copy=False: the gathered arrays are fresh, and stacking ~20 columns of a million rows into one
    # block costs more than the whole scoring
    return pd.DataFrame(cols, copy=False)


def score_rows(grid: pd.DataFrame, bands: pd.DataFrame) -> tuple[FloatArray, StrArray]:
    """The score of every grid row (NaN for veto rows and missing values) and, for bands, the band label."""
    n = len(grid)
    score = np.full(n, np.nan)
    label: StrArray = np.full(n, "", dtype=STR)
    method = grid["method"].to_numpy(dtype=object)
    x = grid["actual"].to_numpy(dtype=np.float64)
    direction = grid["direction"].to_numpy(dtype=object)
    col = {c: grid[c].to_numpy(dtype=np.float64) for c in ("floor", "target", "stretch", "cap", "per_unit", "scale")}

    def at(mask: np.ndarray, name: str) -> FloatArray:
        arr: FloatArray = col[name][mask]
        return arr

    # the method names hashed once; each method's rows are then an integer compare
    method_code, method_names = pd.factorize(method)
    names = list(method_names)

    def rows_of(name: str) -> np.ndarray:
        return method_code == names.index(name) if name in names else np.zeros(n, dtype=bool)

    for name in ("linear", "ratio", "rating", "deduction", "adjust", "team"):
        k = rows_of(name)
        if not k.any():
            continue
        if name == "linear":
            score[k] = m.linear(x[k], direction[k], at(k, "floor"), at(k, "target"), at(k, "stretch"), at(k, "cap"))
        elif name == "ratio":
            score[k] = m.ratio(x[k], direction[k], at(k, "target"), at(k, "cap"))
        elif name == "rating":
            score[k] = m.rating(x[k], at(k, "scale"), at(k, "cap"))
        elif name == "deduction":
            score[k] = m.deduction(x[k], at(k, "per_unit"), at(k, "cap"))
        elif name == "adjust":
            score[k] = m.adjust(x[k], at(k, "per_unit"), at(k, "cap"))
        else:
            score[k] = m.team(x[k], at(k, "cap"))
    is_bands = rows_of("bands")
    if is_bands.any():
        band_set = grid["band_set"].to_numpy(dtype=object)
        for set_id in pd.unique(band_set[is_bands]):
            k = is_bands & (band_set == set_id)
            table = band_table(bands, str(set_id))
            score[k] = m.bands(x[k], table, col["cap"][k])
            label[k] = band_labels(x[k], table)
    score[np.isnan(x)] = np.nan
    # scores are shown with 2 decimals and the totals are built from exactly what is shown
    return round_half_up(score, 2), label


def band_table(bands: pd.DataFrame, set_id: str) -> list[m.Band]:
    if bands is None or len(bands) == 0:
        return []
    rows = bands[text_col(bands, "band_set").to_numpy() == set_id]
    lower = pd.to_numeric(rows["lower"], errors="coerce").to_numpy(dtype=np.float64)
    upper = pd.to_numeric(rows["upper"], errors="coerce").to_numpy(dtype=np.float64)
    score = pd.to_numeric(rows["score"], errors="coerce").to_numpy(dtype=np.float64)
    return [(None if np.isnan(lo) else float(lo), None if np.isnan(up) else float(up), float(sc))
            for lo, up, sc in zip(lower, upper, score)]


def band_labels(values: FloatArray, table: list[m.Band]) -> StrArray:
    """'[60, 80)' for the band each value falls in (first match, as ``methods.bands`` scores it)."""
    out: StrArray = np.full(values.shape, "", dtype=STR)
    todo = ~np.isnan(values)
    for lower, upper, _score in table:
        hit = todo.copy()
        if lower is not None:
            hit &= values >= lower
        if upper is not None:
            hit &= values < upper
        lo = "(−∞" if lower is None else "[" + str(fmt_num([lower], 4)[0])
        up = "+∞)" if upper is None else str(fmt_num([upper], 4)[0]) + ")"
        out[hit] = f"{lo}, {up}"
        todo &= ~hit
    return out
