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

from .model import KEY
from .numbers import round_half_up


def dimension_weights(dimensions: pd.DataFrame, level: str) -> dict[str, float]:
    if dimensions is None or len(dimensions) == 0:
        return {}
    rows = dimensions[dimensions["level"].astype(str) == level]
    w = pd.to_numeric(rows["weight"], errors="coerce").fillna(0.0).astype(np.float64)
    return dict(zip(rows["dimension"].astype(str), w))


def apply_weights(grid: pd.DataFrame, dim_weight: dict[str, float], policy: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Adds ``overall_weight`` (percent, effective) and ``weighted`` to the weighted rows of ``grid``.

    Returns (grid, dims): dims has one row per subject and dimension with ``dim_score``,
    ``dim_weight`` (effective share, percent), ``present`` and the nominal shares behind completeness.
    """
    grid = grid.copy()
    weighted = grid["weighted_method"].to_numpy(dtype=bool)
    score = grid["score"].to_numpy(dtype=np.float64)
    present = weighted & ~np.isnan(score)
    w = np.where(weighted, grid["weight"].to_numpy(dtype=np.float64), 0.0)
    dkey = [*KEY, "dimension"]
    # equal weights inside a dimension whose indicator weights are all 0 or blank
    w_sum = pd.Series(w).groupby([grid[k] for k in dkey], sort=False).transform("sum").to_numpy()
    w = np.where(weighted & (w_sum <= 0), 1.0, w)
    filled = np.where(present, score, 0.0)
    grid["_w"] = w
    grid["_wp"] = np.where(present, w, 0.0)
    grid["_ws"] = w * filled
    rows = grid[weighted]
    dims = rows.groupby(dkey, sort=False)[["_w", "_wp", "_ws"]].sum().reset_index()
    W, Wp, S = dims["_w"].to_numpy(), dims["_wp"].to_numpy(), dims["_ws"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        if policy == "zero":
            dim_score = S / W
        elif policy == "exclude":
            dim_score = np.where(Wp >= W - 1e-12, S / W, np.nan)
        else:
            dim_score = np.where(Wp > 0, S / Wp, np.nan)
    dims["dim_score"] = dim_score
    D = dims["dimension"].map(dim_weight).fillna(0.0).to_numpy(dtype=np.float64)
    skey = [dims[k] for k in KEY]
    D_sum = pd.Series(D).groupby(skey, sort=False).transform("sum").to_numpy()
    D = np.where(D_sum <= 0, 1.0, D)
    dims["D"] = D
    has = ~np.isnan(dim_score)
    DW = pd.Series(D).groupby(skey, sort=False).transform("sum").to_numpy()
    DWp = pd.Series(np.where(has, D, 0.0)).groupby(skey, sort=False).transform("sum").to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(has, D / DWp, 0.0) if policy == "renormalize" else D / DW
        dims["dim_weight"] = share * 100.0
        dims["completeness"] = (D / DW) * (Wp / W)
    dims["present"] = has
    # each row's effective overall weight: its dimension's share × its share within the dimension
    row_dims = grid[[*dkey]].merge(dims[[*dkey, "dim_weight", "_w", "_wp"]], on=dkey, how="left")
    within = row_dims["_wp"].to_numpy() if policy == "renormalize" else row_dims["_w"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        overall = row_dims["dim_weight"].to_numpy() * w / within
    if policy == "renormalize":
        overall = np.where(present, overall, 0.0)
    grid["overall_weight"] = np.where(weighted, overall, np.nan)
    grid["weighted"] = np.where(weighted, np.where(policy == "zero", filled, score) * overall / 100.0, np.nan)
    return grid.drop(columns=["_w", "_wp", "_ws"]), dims


def subject_totals(grid: pd.DataFrame, dims: pd.DataFrame, *, policy: str, total_cap: float,
                   veto_score: float) -> pd.DataFrame:
    """One row per subject: weighted, adjust, raw, total (rounded), vetoed, completeness."""
    subjects = grid[KEY].drop_duplicates().reset_index(drop=True)
    dims = dims.assign(_contrib=dims["dim_score"].fillna(0.0) * dims["dim_weight"] / 100.0)
    g = dims.groupby(KEY, sort=False)
    agg = g["_contrib"].sum().rename("weighted").to_frame()
    agg["any_dim"] = g["present"].any()
    agg["all_dims"] = g["present"].all()
    agg["completeness"] = g["completeness"].sum()
    if policy == "exclude":
        complete = agg["completeness"] >= 1.0 - 1e-9
        agg.loc[~complete, "weighted"] = np.nan
    agg.loc[~agg["any_dim"], "weighted"] = np.nan
    out = subjects.merge(agg.reset_index(), on=KEY, how="left")
    out["completeness"] = out["completeness"].fillna(0.0)

    method = grid["method"].to_numpy(dtype=object)
    adj = grid[method == "adjust"].groupby(KEY, sort=False)["score"].sum().rename("adjust")
    veto_rows = grid[(method == "veto") & (grid["actual"].to_numpy(dtype=np.float64) >= 0.5)]
    vetoed = veto_rows.groupby(KEY, sort=False)["indicator_id"].agg(lambda s: ",".join(sorted(s))).rename("veto_ids")
    out = out.merge(adj.reset_index(), on=KEY, how="left").merge(vetoed.reset_index(), on=KEY, how="left")
    out["adjust"] = out["adjust"].fillna(0.0)
    out["veto_ids"] = out["veto_ids"].fillna("")
    out["vetoed"] = out["veto_ids"] != ""
    raw = out["weighted"].to_numpy(dtype=np.float64) + out["adjust"].to_numpy(dtype=np.float64)
    out["raw"] = raw
    total = np.clip(raw, 0.0, total_cap)
    total = np.where(out["vetoed"].to_numpy(), veto_score, total)
    out["total"] = round_half_up(total, 2)
    return out.drop(columns=["any_dim", "all_dims"])
