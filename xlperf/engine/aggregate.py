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
import pyarrow as pa

from . import arrowtext as ax
from .keys import IntArray, Keys
from .model import CodedTable, text_col
from .numbers import fmt_arrow

VALUE_COLUMNS = ["rk", "sk", "ic", "actual", "n", "detail"]


def empty_values() -> pd.DataFrame:
    return pd.DataFrame({"rk": pd.Series(dtype=np.int64), "sk": pd.Series(dtype=np.int64),
                         "ic": pd.Series(dtype=np.int64), "actual": pd.Series(dtype=np.float64),
                         "n": pd.Series(dtype=np.float64), "detail": pd.Series(dtype=object)})


def record_keys(frame: pd.DataFrame, ind: pd.DataFrame, keys: Keys, worker_vendor: dict[str, str],
                coded: CodedTable | None = None) -> tuple[IntArray, IntArray, IntArray, np.ndarray]:
    """(row key, subject key, indicator code, kept-mask) for each record of observations or ratings.

    Works on the factorized id columns (``coded``, shared with the rest of the run): every lookup
    runs once per distinct id and is then gathered by integer codes.
    """
    col = coded if coded is not None else CodedTable(frame)
    ic = col("indicator_id").code_in(keys.indicators)
    # the indicator's level, looked up per indicator and gathered (no text compared per record)
    level = ind["level"].to_numpy(dtype=object)
    lv_of = np.append(np.where(level == "worker", 1, 0), 0).astype(np.int64)  # last: unknown indicator
    valid_of = np.append(np.isin(level, ("vendor", "worker")), False)
    lv, valid = lv_of[ic], valid_of[ic]  # ic -1 picks the trailing "unknown" entry
    known = ic >= 0
    worker = col("worker_id")
    # a worker's records go under the vendor the workers table files the worker under, if it does
    filed = [worker_vendor.get(t) for t in worker.texts]
    has_filed = np.asarray([f is not None for f in filed], dtype=bool)[worker.codes]
    filed_code = Keys.code(np.asarray([f or "" for f in filed], dtype=object), keys.vendors)[worker.codes]
    v = np.where((lv == 1) & has_filed, filed_code, col("vendor_id").code_in(keys.vendors)).astype(np.int64)
    w = np.where(lv == 1, worker.code_in(keys.workers), -1).astype(np.int64)
    p = col("period_id").code_in(keys.periods)
    keep = known & valid & (p >= 0) & (v >= 0) & ((lv == 0) | (w >= 0))
    sk = keys.subject(p, lv, v, w)
    rk = sk * keys.ni + ic
    return rk, sk, ic, keep


def observation_values(observations: pd.DataFrame, ind: pd.DataFrame, keys: Keys,
                       worker_vendor: dict[str, str], coded: CodedTable | None = None) -> pd.DataFrame:
    """One row per subject, period and indicator: ``actual`` (the combined value) and ``n`` (records)."""
    if observations is None or len(observations) == 0:
        return empty_values()
    rk, _sk, ic, keep = record_keys(observations, ind, keys, worker_vendor, coded)
    if not keep.any():
        return empty_values()
    value = pd.to_numeric(observations["value"], errors="coerce").to_numpy(dtype=np.float64)
    count = record_counts(observations)
    # each indicator's aggregation (veto: max), as a code per indicator gathered to the records
    agg_of = np.where(ind["method"].to_numpy(dtype=object) == "veto", "max", ind["aggregation"].to_numpy(dtype=object))
    kinds = sorted(set(agg_of.tolist()))
    kind = np.asarray([kinds.index(a) for a in agg_of], dtype=np.int64)[np.where(keep, ic, 0)]
    parts = []
    for k in np.unique(kind[keep]):
        name = kinds[int(k)]
        at = np.flatnonzero(keep & (kind == k))  # sheet order, as the groups have always seen it
        sub = pd.DataFrame({"rk": rk[at], "value": value[at]}, copy=False)
        carried = count is not None and bool((count[at] != 1.0).any())
        if carried and count is not None:
            sub["count"] = count[at]
        if name == "last":
            # the latest by date; records on the same date keep sheet order, the lower one wins
            sub["date"] = pd.to_datetime(observations["date"], errors="coerce").to_numpy()[at]
            sub = sub.sort_values("date", kind="stable", na_position="first")
        grouped = sub.groupby("rk", sort=False)
        size = grouped.size().astype(np.float64)
        if carried:  # pulled rows stand for several records each: n counts records, not rows
            size = grouped["count"].sum().astype(np.float64)
        if name == "count":
            values = size
        elif name in ("sum", "max", "min", "last"):
            values = grouped["value"].agg(name)
        else:  # mean, and an unknown aggregation (validation reports it): the contract's default
            values = grouped["value"].mean()
            if carried:
                values = _weighted_mean(sub, values)
        group_rk = values.index.to_numpy(dtype=np.int64)
        parts.append(pd.DataFrame({"rk": group_rk, "sk": group_rk // keys.ni, "ic": group_rk % keys.ni,
                                   "actual": values.to_numpy(dtype=np.float64), "n": size.to_numpy(),
                                   "detail": pd.Series(np.full(len(group_rk), "", dtype=object), dtype=object)},
                                  copy=False))
    out: pd.DataFrame = pd.concat(parts, ignore_index=True)[VALUE_COLUMNS]
    return out


def record_counts(observations: pd.DataFrame) -> np.ndarray | None:
    """How many raw records each observation row stands for (``count``; blank = 1), or None when every
    row is one record (HR's rows only: the aggregation runs exactly as it always has)."""
    if "count" not in observations:
        return None
    count = pd.to_numeric(observations["count"], errors="coerce").to_numpy(dtype=np.float64)
    count = np.where(np.isnan(count) | (count < 1), 1.0, count)
    return None if bool((count == 1.0).all()) else count


def _weighted_mean(sub: pd.DataFrame, plain: pd.Series) -> pd.Series:
    """Means over records: a pulled row holds the mean of ``count`` records, so each row weighs its count.

    Groups whose rows are all single records keep the plain mean (bit for bit what they always gave),
    and a group of one row keeps its value as it is (mean × n / n could round differently).
    """
    has = sub["value"].notna()
    parts = pd.DataFrame({"rk": sub["rk"], "wv": (sub["value"] * sub["count"]).where(has, 0.0),
                          "wc": sub["count"].where(has, 0.0), "rows": has.astype(np.int64),
                          "multi": sub["count"].where(has, 1.0)}, copy=False)
    g = parts.groupby("rk", sort=False).agg(wv=("wv", "sum"), wc=("wc", "sum"), rows=("rows", "sum"),
                                            multi=("multi", "max")).reindex(plain.index)
    use = ((g["multi"] > 1.0) & (g["rows"] > 1)).to_numpy(dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        weighted = (g["wv"] / g["wc"]).to_numpy(dtype=np.float64)
    return pd.Series(np.where(use, weighted, plain.to_numpy(dtype=np.float64)), index=plain.index)


def rating_values(ratings: pd.DataFrame, ind: pd.DataFrame, rater_weights: pd.DataFrame, keys: Keys,
                  worker_vendor: dict[str, str], lang: str, coded: CodedTable | None = None) -> pd.DataFrame:
    """Weighted rating ``actual`` per subject, period and indicator, with a ``detail`` of the roles.

    Each role's ratings are averaged; the roles present are then averaged with the indicator's own
    rater_weights rows, or the ``*`` rows when it has none. A role without a weight counts 0; when no
    present role has a weight the roles count equally.
    """
    if ratings is None or len(ratings) == 0:
        return empty_values()
    col = coded if coded is not None else CodedTable(ratings)
    rk, _sk, _ic, keep = record_keys(ratings, ind, keys, worker_vendor, col)
    rating = pd.to_numeric(ratings["rating"], errors="coerce").to_numpy(dtype=np.float64)
    ok = keep & ~np.isnan(rating)
    if not ok.any():
        return empty_values()
    # roles as integer codes of their text, so (record key, role) is one int64 to group on
    role = col("rater_role")
    of_text, names = pd.factorize(role.texts)
    nr = max(len(names), 1)
    pair = rk[ok] * nr + np.asarray(of_text, dtype=np.int64)[role.codes[ok]]
    # first-appearance order (sort=False) and pandas' own sums, as the per-role groups always had
    by_pair = pd.Series(rating[ok]).groupby(pair, sort=False)
    mean, size = by_pair.mean(), by_pair.size()
    pk = mean.index.to_numpy(dtype=np.int64)
    rrk, rc = pk // nr, pk % nr
    roles = pd.DataFrame({"rk": rrk, "sk": rrk // keys.ni, "ic": rrk % keys.ni, "mean": mean.to_numpy(np.float64),
                          "size": size.to_numpy(np.int64)})
    rw = rater_weights if rater_weights is not None and len(rater_weights) else pd.DataFrame(
        {"indicator_id": [], "rater_role": [], "weight": []})
    weight_of = {(i, r): float(x) for i, r, x in zip(text_col(rw, "indicator_id"), text_col(rw, "rater_role"),
                                                   pd.to_numeric(rw["weight"], errors="coerce").fillna(0.0))}
    own = {i for i, _r in weight_of if i != "*"}
    # one weight per distinct (indicator, role): the indicator's own rows, else the "*" rows, else 0
    ir = roles["ic"].to_numpy(dtype=np.int64) * nr + rc
    uniq_ir, at = np.unique(ir, return_inverse=True)
    role_names = np.asarray(names, dtype=object)
    weights = []
    for code in uniq_ir:
        iid, name = keys.indicators[code // nr], role_names[code % nr]
        weights.append(weight_of.get((iid if iid in own else "*", name), 0.0))
    roles["rw"] = np.asarray(weights, dtype=np.float64)[at.reshape(-1)]
    total_w = roles.groupby("rk", sort=False)["rw"].transform("sum").to_numpy()
    roles["w"] = np.where(total_w <= 0, 1.0, roles["rw"])
    roles["wr"] = roles["w"] * roles["mean"]
    g = roles.groupby("rk", sort=False)
    out = pd.DataFrame({"actual": g["wr"].sum() / g["w"].sum(), "n": g["size"].sum().astype(np.float64),
                        "sk": g["sk"].first(), "ic": g["ic"].first()})
    # "主管 4×60%" pieces: each role's mean and its share of the weight actually used
    share = roles["w"] / roles.groupby("rk", sort=False)["w"].transform("sum") * 100.0
    piece = ax.cat(pa.array(role_names, pa.string()).take(rc), " ", fmt_arrow(roles["mean"].to_numpy(), 4), "×",
                   fmt_arrow(share.to_numpy(), 2), "%")
    uniq = np.unique(rrk)
    joined = ax.join_per_group(uniq, rrk, piece, "，" if lang == "zh" else ", ")
    out["detail"] = pd.Series(np.asarray(joined.to_numpy(zero_copy_only=False), dtype=object), index=uniq, dtype=object)
    out = out.reset_index()
    result: pd.DataFrame = out[VALUE_COLUMNS]
    return result
