"""From indicator scores to dimension scores and totals, under the missing-data rule.

Dimension score = weighted mean of its indicators' scores; total = weighted mean of the dimension
scores, plus bonus/penalty points, limited to [0, total_cap], or ``veto_score`` when a veto triggered;
then rounded half-up to 2 decimals.

missing_policy:
- renormalize: weights are re-normalised over the indicators (and dimensions) that have data;
- zero: a missing indicator scores 0 at its full weight;
- exclude: any missing indicator means no total.
completeness is the share of the nominal overall weight that had data, whatever the rule.
Weights of 0 throughout a dimension (or throughout a level's dimensions) count as equal weights.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .numbers import round_half_up


def _sum_by(keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Group sums broadcast back to the rows (``transform('sum')`` on int keys)."""
    inverse, uniq = pd.factorize(keys)  # hashing, not sorting: the group order does not matter here
    sums = np.bincount(inverse, weights=values, minlength=len(uniq))
    return np.asarray(sums[inverse], dtype=np.float64)


def apply_weights(grid: pd.DataFrame, dim_weight: np.ndarray, n_dims: int, policy: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Adds ``overall_weight`` (percent, effective) and ``weighted`` to the weighted rows of ``grid``.

    ``dim_weight[dcode]`` is the dimension's weight at this level. Returns (grid, dims): dims has one
    row per subject and dimension (sk, dcode) with ``dim_score``, ``dim_weight`` (effective share,
    percent), ``present`` and ``completeness`` (the dimension's contribution to it).
    """
    grid = grid.copy(deep=False)  # only columns are added: the caller's frame keeps its own (copy-on-write)
    weighted = grid["weighted_method"].to_numpy(dtype=bool)
    score = grid["score"].to_numpy(dtype=np.float64)
    present = weighted & ~np.isnan(score)
    w = np.where(weighted, grid["weight"].to_numpy(dtype=np.float64), 0.0)
    sk = grid["sk"].to_numpy(dtype=np.int64)
    gk = sk * max(n_dims, 1) + grid["dcode"].to_numpy(dtype=np.int64)
    # equal weights inside a dimension whose indicator weights are all 0 or blank
    w = np.where(weighted & (_sum_by(gk, w) <= 0), 1.0, w)
    filled = np.where(present, score, 0.0)
    rows = pd.DataFrame({"gk": gk[weighted], "_w": w[weighted], "_wp": np.where(present, w, 0.0)[weighted],
                         "_ws": (w * filled)[weighted]}, copy=False)
    dims = rows.groupby("gk", sort=True)[["_w", "_wp", "_ws"]].sum().reset_index()
    # gk packs (subject, dimension): unpacked, not looked up per group
    dims_gk = dims["gk"].to_numpy(dtype=np.int64)
    dims.insert(1, "sk", dims_gk // max(n_dims, 1))
    dims.insert(2, "dcode", dims_gk % max(n_dims, 1))
    W, Wp, S = (dims[c].to_numpy(dtype=np.float64) for c in ("_w", "_wp", "_ws"))
    with np.errstate(all="ignore"):
        if policy == "zero":
            dim_score = S / W
        elif policy == "exclude":
            dim_score = np.where(Wp >= W - 1e-12, S / W, np.nan)
        else:
            dim_score = np.where(Wp > 0, S / Wp, np.nan)
    dims["dim_score"] = dim_score
    dsk = dims["sk"].to_numpy(dtype=np.int64)
    D = np.asarray(dim_weight, dtype=np.float64)[dims["dcode"].to_numpy()] if len(dims) else np.zeros(0)
    D = np.where(np.isnan(D), 0.0, D)
    D = np.where(_sum_by(dsk, D) <= 0, 1.0, D)
    has = ~np.isnan(dim_score)
    DW = _sum_by(dsk, D)
    DWp = _sum_by(dsk, np.where(has, D, 0.0))
    with np.errstate(all="ignore"):
        share = np.where(has, D / DWp, 0.0) if policy == "renormalize" else D / DW
        dims["dim_weight"] = share * 100.0
        dims["completeness"] = (D / DW) * (Wp / W)
    dims["present"] = has
    # each row's effective overall weight: its dimension's share × its share within the dimension
    at = np.asarray(pd.Index(dims["gk"].to_numpy()).get_indexer(gk), dtype=np.int64)
    safe = np.where(at >= 0, at, 0)
    within = (dims["_wp"] if policy == "renormalize" else dims["_w"]).to_numpy(dtype=np.float64)[safe]
    with np.errstate(all="ignore"):
        overall = dims["dim_weight"].to_numpy(dtype=np.float64)[safe] * w / within
    if policy == "renormalize":
        overall = np.where(present, overall, 0.0)
    grid["overall_weight"] = np.where(weighted & (at >= 0), overall, np.nan)
    grid["weighted"] = np.where(weighted, (filled if policy == "zero" else score) * grid["overall_weight"] / 100.0, np.nan)
    return grid, dims


def subject_totals(grid: pd.DataFrame, dims: pd.DataFrame, *, policy: str, total_cap: float,
                   veto_score: float) -> pd.DataFrame:
    """One row per subject (sk, sorted): weighted, adjust, raw, total (rounded), vetoed, completeness."""
    subjects = np.unique(grid["sk"].to_numpy(dtype=np.int64))
    out = pd.DataFrame({"sk": subjects})
    contrib = dims["dim_score"].fillna(0.0) * dims["dim_weight"] / 100.0
    g = dims.assign(_c=contrib).groupby("sk", sort=True)
    agg = pd.DataFrame({"weighted": g["_c"].sum(), "any_dim": g["present"].any(), "completeness": g["completeness"].sum()})
    at = np.asarray(pd.Index(agg.index.to_numpy()).get_indexer(subjects), dtype=np.int64)
    safe = np.where(at >= 0, at, 0)
    weighted = np.where(at >= 0, agg["weighted"].to_numpy(dtype=np.float64)[safe], np.nan)
    any_dim = np.where(at >= 0, agg["any_dim"].to_numpy(dtype=bool)[safe], False)
    completeness = np.where(at >= 0, agg["completeness"].to_numpy(dtype=np.float64)[safe], 0.0)
    weighted = np.where(any_dim, weighted, np.nan)
    if policy == "exclude":
        weighted = np.where(completeness >= 1.0 - 1e-9, weighted, np.nan)
    out["weighted"] = weighted
    out["completeness"] = completeness

    method = grid["method"].to_numpy(dtype=object)
    gsk = grid["sk"].to_numpy(dtype=np.int64)
    score = grid["score"].to_numpy(dtype=np.float64)
    idx = np.searchsorted(subjects, gsk)
    adjust = np.bincount(idx, weights=np.where(method == "adjust", np.nan_to_num(score), 0.0), minlength=len(subjects))
    veto_hit = (method == "veto") & (grid["actual"].to_numpy(dtype=np.float64) >= 0.5)
    vetoed = np.bincount(idx, weights=veto_hit.astype(np.float64), minlength=len(subjects)) > 0
    out["adjust"] = adjust
    out["vetoed"] = vetoed
    raw = weighted + adjust
    out["raw"] = raw
    total = np.where(vetoed, veto_score, np.clip(raw, 0.0, total_cap))
    out["total"] = round_half_up(total, 2)
    return out
