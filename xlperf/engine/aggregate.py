"""Period values: a subject's observations of an indicator in a period, combined into one number.

Vendor-level indicators combine every observation of the vendor (whatever worker it names); worker-level
indicators combine a worker's observations and file them under the worker's vendor from the workers
table (the observation's vendor_id when the worker is unknown). Veto indicators always combine by
``max``: one yes in the period is enough. Records of unknown indicators or periods are left out
(validation reports them).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .keys import IntArray, Keys
from .model import text_col
from .numbers import fmt_num

VALUE_COLUMNS = ["rk", "sk", "ic", "actual", "n", "detail"]


def empty_values() -> pd.DataFrame:
    return pd.DataFrame({"rk": pd.Series(dtype=np.int64), "sk": pd.Series(dtype=np.int64),
                         "ic": pd.Series(dtype=np.int64), "actual": pd.Series(dtype=np.float64),
                         "n": pd.Series(dtype=np.float64), "detail": pd.Series(dtype=object)})


def record_keys(frame: pd.DataFrame, ind: pd.DataFrame, keys: Keys,
                worker_vendor: dict[str, str]) -> tuple[IntArray, IntArray, IntArray, np.ndarray]:
    """(row key, subject key, indicator code, kept-mask) for each record of observations or ratings."""
    ic = keys.code(text_col(frame, "indicator_id"), keys.indicators)
    known = ic >= 0
    level = np.where(known, ind["level"].to_numpy(dtype=object)[np.where(known, ic, 0)], "")
    lv = np.where(level == "worker", 1, 0).astype(np.int64)
    worker = text_col(frame, "worker_id")
    vendor = text_col(frame, "vendor_id")
    codes, uniques = pd.factorize(worker.to_numpy(dtype=object))
    filed = np.asarray([worker_vendor.get(u) for u in uniques] + [None], dtype=object)[np.where(codes >= 0, codes, len(uniques))]
    vendor = pd.Series(np.where((lv == 1) & (filed != None), filed, vendor.to_numpy(dtype=object)), dtype=object)
    w = np.where(lv == 1, keys.code(worker, keys.workers), -1).astype(np.int64)
    v = keys.code(vendor, keys.vendors)
    p = keys.code(text_col(frame, "period_id"), keys.periods)
    keep = known & np.isin(level, ("vendor", "worker")) & (p >= 0) & (v >= 0) & ((lv == 0) | (w >= 0))
    sk = keys.subject(p, lv, v, w)
    rk = sk * keys.ni + ic
    return rk, sk, ic, keep


def observation_values(observations: pd.DataFrame, ind: pd.DataFrame, keys: Keys,
                       worker_vendor: dict[str, str]) -> pd.DataFrame:
    """One row per subject, period and indicator: ``actual`` (the combined value) and ``n`` (records)."""
    if observations is None or len(observations) == 0:
        return empty_values()
    rk, sk, ic, keep = record_keys(observations, ind, keys, worker_vendor)
    rec = pd.DataFrame({"rk": rk, "sk": sk, "ic": ic,
                        "value": pd.to_numeric(observations["value"], errors="coerce").to_numpy(dtype=np.float64),
                        "date": pd.to_datetime(observations["date"], errors="coerce").to_numpy()})[keep]
    method = ind["method"].to_numpy(dtype=object)[rec["ic"].to_numpy()]
    agg = ind["aggregation"].to_numpy(dtype=object)[rec["ic"].to_numpy()]
    agg = np.where(method == "veto", "max", agg)
    parts = []
    for kind in sorted(set(agg)):
        sub = rec[agg == kind]
        if kind == "last":
            # the latest by date; records on the same date keep sheet order, the lower one wins
            sub = sub.sort_values("date", kind="stable", na_position="first")
        grouped = sub.groupby("rk", sort=False)
        size = grouped.size().astype(np.float64)
        if kind == "count":
            values = size
        elif kind in ("sum", "mean", "max", "min", "last"):
            values = grouped["value"].agg(kind)
        else:  # an unknown aggregation (validation reports it): the contract's default
            values = grouped["value"].mean()
        first = grouped[["sk", "ic"]].first()
        parts.append(pd.DataFrame({"rk": values.index.to_numpy(dtype=np.int64), "sk": first["sk"].to_numpy(),
                                   "ic": first["ic"].to_numpy(), "actual": values.to_numpy(dtype=np.float64),
                                   "n": size.to_numpy(), "detail": ""}))
    out: pd.DataFrame = pd.concat(parts, ignore_index=True)[VALUE_COLUMNS]
    return out


def rating_values(ratings: pd.DataFrame, ind: pd.DataFrame, rater_weights: pd.DataFrame, keys: Keys,
                  worker_vendor: dict[str, str], lang: str) -> pd.DataFrame:
    """Weighted rating ``actual`` per subject, period and indicator, with a ``detail`` of the roles.

    Each role's ratings are averaged; the roles present are then averaged with the indicator's own
    rater_weights rows, or the ``*`` rows when it has none. A role without a weight counts 0; when no
    present role has a weight the roles count equally.
    """
    if ratings is None or len(ratings) == 0:
        return empty_values()
    rk, sk, ic, keep = record_keys(ratings, ind, keys, worker_vendor)
    rating = pd.to_numeric(ratings["rating"], errors="coerce").to_numpy(dtype=np.float64)
    rec = pd.DataFrame({"rk": rk, "sk": sk, "ic": ic, "role": text_col(ratings, "rater_role").to_numpy(dtype=object),
                        "rating": rating})[keep & ~np.isnan(rating)]
    if rec.empty:
        return empty_values()
    roles = rec.groupby(["rk", "role"], sort=False).agg(sk=("sk", "first"), ic=("ic", "first"),
                                                        mean=("rating", "mean"), size=("rating", "size")).reset_index()
    rw = rater_weights if rater_weights is not None and len(rater_weights) else pd.DataFrame(
        {"indicator_id": [], "rater_role": [], "weight": []})
    weight_of = {(i, r): float(x) for i, r, x in zip(text_col(rw, "indicator_id"), text_col(rw, "rater_role"),
                                                   pd.to_numeric(rw["weight"], errors="coerce").fillna(0.0))}
    own = {i for i, _r in weight_of if i != "*"}
    iid = np.asarray(keys.indicators, dtype=object)[roles["ic"].to_numpy()]
    wkey = np.where(np.isin(iid, list(own)), iid, "*")
    pairs = pd.Series(list(zip(wkey, roles["role"])), dtype=object)
    roles["rw"] = pairs.map(weight_of).fillna(0.0).to_numpy(dtype=np.float64)
    total_w = roles.groupby("rk", sort=False)["rw"].transform("sum").to_numpy()
    roles["w"] = np.where(total_w <= 0, 1.0, roles["rw"])
    roles["wr"] = roles["w"] * roles["mean"]
    g = roles.groupby("rk", sort=False)
    out = pd.DataFrame({"actual": g["wr"].sum() / g["w"].sum(), "n": g["size"].sum().astype(np.float64),
                        "sk": g["sk"].first(), "ic": g["ic"].first()})
    # "主管 4×60%" pieces: each role's mean and its share of the weight actually used
    share = roles["w"] / roles.groupby("rk", sort=False)["w"].transform("sum") * 100.0
    piece = (roles["role"] + " " + pd.Series(fmt_num(roles["mean"].to_numpy(), 4).astype(object)) + "×"
             + pd.Series(fmt_num(share.to_numpy(), 2).astype(object)) + "%")
    from .keys import group_join

    uniq, joined = group_join(roles["rk"].to_numpy(dtype=np.int64), piece.to_numpy(dtype=object),
                              "，" if lang == "zh" else ", ")
    out["detail"] = pd.Series(joined.astype(object), index=uniq)
    out = out.reset_index()
    result: pd.DataFrame = out[VALUE_COLUMNS]
    return result
