"""Period values: a subject's observations of an indicator in a period, combined into one number.

Vendor-level indicators combine every observation of the vendor (whatever worker it names); worker-level
indicators combine a worker's observations and file them under the worker's vendor from the workers
table (the observation's vendor_id when the worker is unknown). Veto indicators always combine by
``max``: one yes in the period is enough.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .model import ROW_KEY, text_col


def _subject_frame(frame: pd.DataFrame, ind: pd.DataFrame, worker_vendor: dict[str, str]) -> pd.DataFrame:
    """period_id, level, vendor_id, worker_id, indicator_id for each record, plus its indicator's fields."""
    by_id = ind.set_index("indicator_id")
    out = pd.DataFrame({
        "period_id": text_col(frame, "period_id"),
        "indicator_id": text_col(frame, "indicator_id"),
        "vendor_id": text_col(frame, "vendor_id"),
        "worker_id": text_col(frame, "worker_id"),
    })
    out["level"] = out["indicator_id"].map(by_id["level"])
    out["method"] = out["indicator_id"].map(by_id["method"])
    is_vendor = (out["level"] == "vendor").to_numpy()
    out.loc[is_vendor, "worker_id"] = ""
    known = out["worker_id"].map(worker_vendor)
    out["vendor_id"] = known.where(known.notna() & ~is_vendor, out["vendor_id"])
    keep = out["level"].notna() & ((out["level"] == "vendor") | (out["worker_id"] != "")) & (out["period_id"] != "")
    return out[keep.to_numpy()]


def observation_values(observations: pd.DataFrame, ind: pd.DataFrame, worker_vendor: dict[str, str]) -> pd.DataFrame:
    """One row per subject, period and indicator: ``actual`` (the combined value) and ``n`` (records)."""
    cols = [*ROW_KEY, "actual", "n"]
    if observations is None or len(observations) == 0:
        return pd.DataFrame({c: pd.Series(dtype=object if c in ROW_KEY else np.float64) for c in cols})
    rec = _subject_frame(observations, ind, worker_vendor)
    rec["value"] = pd.to_numeric(observations["value"], errors="coerce").astype(np.float64)[rec.index]
    rec["date"] = pd.to_datetime(observations["date"], errors="coerce")[rec.index]
    rec["_order"] = np.arange(len(rec))
    agg = rec["indicator_id"].map(ind.set_index("indicator_id")["aggregation"]).fillna("mean")
    agg = agg.where(rec["method"] != "veto", "max")
    parts = []
    for kind in sorted(agg.unique()):
        sub = rec[(agg == kind).to_numpy()]
        if kind == "last":
            # the latest by date; records on the same date keep sheet order, the lower one wins
            sub = sub.sort_values(["date", "_order"], kind="stable", na_position="first")
        grouped = sub.groupby(ROW_KEY, sort=False, observed=True)["value"]
        if kind == "count":
            values = grouped.size().astype(np.float64)
        elif kind in ("sum", "mean", "max", "min", "last"):
            values = grouped.agg(kind)
        else:  # an unknown aggregation (validation reports it): fall back to the contract's default
            values = grouped.mean()
        frame = values.rename("actual").to_frame()
        frame["n"] = grouped.size().astype(np.float64)
        parts.append(frame.reset_index())
    out: pd.DataFrame = pd.concat(parts, ignore_index=True)[cols]
    return out


def rating_values(ratings: pd.DataFrame, ind: pd.DataFrame, rater_weights: pd.DataFrame,
                  worker_vendor: dict[str, str], lang: str) -> pd.DataFrame:
    """Weighted rating ``actual`` per subject, period and indicator, with a ``detail`` of the roles.

    Each role's ratings are averaged; the roles present are then averaged with the indicator's own
    rater_weights rows, or the ``*`` rows when it has none. A role without a weight counts 0; when no
    present role has a weight the roles count equally.
    """
    cols = [*ROW_KEY, "actual", "n", "detail"]
    if ratings is None or len(ratings) == 0:
        return pd.DataFrame({c: pd.Series(dtype=object if c in ROW_KEY or c == "detail" else np.float64) for c in cols})
    rec = _subject_frame(ratings, ind, worker_vendor)
    rec["role"] = text_col(ratings, "rater_role")[rec.index]
    rec["rating"] = pd.to_numeric(ratings["rating"], errors="coerce").astype(np.float64)[rec.index]
    rec = rec[rec["rating"].notna().to_numpy()]
    roles = rec.groupby([*ROW_KEY, "role"], sort=False)["rating"].agg(["mean", "size"]).reset_index()

    rw = rater_weights if rater_weights is not None and len(rater_weights) else pd.DataFrame(
        {"indicator_id": [], "rater_role": [], "weight": []})
    rw = pd.DataFrame({"indicator_id": text_col(rw, "indicator_id"), "role": text_col(rw, "rater_role"),
                       "rw": pd.to_numeric(rw["weight"], errors="coerce").astype(np.float64).fillna(0.0)})
    own = set(rw.loc[rw["indicator_id"] != "*", "indicator_id"])
    roles["weight_key"] = roles["indicator_id"].where(roles["indicator_id"].isin(own), "*")
    roles = roles.merge(rw.rename(columns={"indicator_id": "weight_key"}), on=["weight_key", "role"], how="left")
    roles["rw"] = roles["rw"].fillna(0.0)
    g = roles.groupby(ROW_KEY, sort=False)
    total_w = g["rw"].transform("sum")
    equal = total_w <= 0
    roles["w"] = np.where(equal, 1.0, roles["rw"])
    roles["wr"] = roles["w"] * roles["mean"]
    g = roles.groupby(ROW_KEY, sort=False)
    out = (g["wr"].sum() / g["w"].sum()).rename("actual").to_frame()
    out["n"] = g["size"].sum().astype(np.float64)
    # "主管 4×60%" pieces: role mean and its share of the weight actually used
    share = roles["w"] / roles.groupby(ROW_KEY, sort=False)["w"].transform("sum") * 100.0
    from .numbers import fmt_num  # local: keeps this module's import surface small

    piece = pd.Series(fmt_num(roles["mean"].to_numpy(), 2).astype(object)).str.cat(
        pd.Series(fmt_num(share.to_numpy(), 2).astype(object)), sep="×") + "%"
    roles["piece"] = (roles["role"] + " " + piece).to_numpy()
    sep = "，" if lang == "zh" else ", "
    out["detail"] = roles.groupby(ROW_KEY, sort=False)["piece"].agg(sep.join)
    return out.reset_index()[cols]
