"""Indicator and rater health (指标体系评估): is the indicator system itself telling subjects apart?

Indicators, per period, over the subjects of the indicator's level that have a total:

| flag           | when |
|----------------|------|
| `ceiling`      | at least 80 % of the subjects with data score full marks (the indicator's cap, 100 by default) |
| `floor`        | at least 80 % of the subjects with data score 0 |
| `no_spread`    | every subject with data has the same score (standard deviation 0), at least 2 subjects |
| `high_missing` | at least 20 % of the subjects have no data for it |
| `redundant`    | |correlation| ≥ 0.9 with another indicator of the same level (scores of the same subjects) |
| `inverse`      | negative correlation with the total (at least 3 subjects) |

Raters, per period: a rater's mean rating against the mean of the other raters' ratings of the same
subjects and indicators ("others_mean"), as points of the scale: `lenient` when the difference is
≥ 0.75, `severe` when ≤ −0.75, `flat` when the rater gave at least 3 ratings and all of them the same.

Shares are of the subjects of the level in the period (n = subjects with a total); std and
correlations are population statistics (ddof 0) over the subjects with data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..i18n import Text

CEILING, FLOOR_SHARE, MISSING_SHARE, REDUNDANT_R, RATER_GAP = 0.8, 0.8, 0.2, 0.9, 0.75
HEALTH_COLUMNS = ["period_id", "indicator_id", "n", "full_share", "zero_share", "missing_share", "std", "corr_total",
                  "flags", "advice"]
RATER_COLUMNS = ["period_id", "rater", "rater_role", "n", "mean", "others_mean", "diff", "flags", "advice"]
TREND_COLUMNS = ["vendor_id", "vendor_name", "periods", "first_total", "last_total", "slope", "volatility", "trend"]

ADVICE: dict[str, Text] = {
    "ceiling": Text("指标 {id} 在 {pct}% 的对象上得满分，区分度不足，建议提高标准",
                    "{pct}% of subjects get full marks on {id}: it does not tell them apart; raise the standard"),
    "floor": Text("指标 {id} 在 {pct}% 的对象上得 0 分，标准可能过高或数据有误，建议复核底线值",
                  "{pct}% of subjects score 0 on {id}: the standard may be out of reach or the data wrong; review the floor"),
    "no_spread": Text("指标 {id} 所有对象得分相同，不起区分作用，建议调整计分方法或参数",
                      "Every subject scores the same on {id}: it decides nothing; change its method or parameters"),
    "high_missing": Text("指标 {id} 有 {miss}% 的对象没有数据，建议补充数据来源或降低权重",
                         "{miss}% of subjects have no data for {id}: add a data source or lower its weight"),
    "redundant": Text("指标 {id} 与 {other} 高度相关（r = {r}），可能重复计量，建议合并或删去其一",
                      "{id} moves with {other} (r = {r}): it may count the same thing twice; merge them or drop one"),
    "inverse": Text("指标 {id} 与总分负相关（r = {r}），方向或权重可能有误，建议复核",
                    "{id} correlates negatively with the total (r = {r}): check its direction and weight"),
}
RATER_ADVICE: dict[str, Text] = {
    "lenient": Text("评分人 {rater} 平均比其他评分人高 {d} 分，偏宽松，建议校准评分尺度",
                    "Rater {rater} rates {d} points above the other raters: lenient; calibrate the rating scale"),
    "severe": Text("评分人 {rater} 平均比其他评分人低 {d} 分，偏严格，建议校准评分尺度",
                   "Rater {rater} rates {d} points below the other raters: severe; calibrate the rating scale"),
    "flat": Text("评分人 {rater} 对所有对象给出相同评分 {v}，评分缺乏区分，建议培训或调整其权重",
                 "Rater {rater} gives everyone {v}: no distinction; train the rater or lower the role's weight"),
}


def _pct(x: float) -> str:
    return f"{x * 100:.0f}"


def indicator_health(scores: pd.DataFrame, results: pd.DataFrame, indicators: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per period and weighted indicator (see the module doc). ``scores`` and ``results`` are
    the engine's frames (leaf periods and roll-ups alike)."""
    if scores.empty or results.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in HEALTH_COLUMNS})
    weighted = ~indicators["method"].isin(("adjust", "veto")).to_numpy(dtype=bool)
    ind = indicators[weighted]
    cap = dict(zip(ind["indicator_id"].astype(str), pd.to_numeric(ind["cap"], errors="coerce").fillna(100.0)))
    level = dict(zip(ind["indicator_id"].astype(str), ind["level"].astype(str)))
    subj = ["period_id", "level", "vendor_id", "worker_id"]
    res = results[results["total"].notna()][subj + ["total"]].copy()
    res["worker_id"] = res["worker_id"].fillna("")
    sc = scores[scores["indicator_id"].astype(str).isin(set(cap))][subj + ["indicator_id", "score"]].copy()
    sc["worker_id"] = sc["worker_id"].fillna("")
    out = []
    parts = dict(iter(sc.groupby(["period_id", "level"], sort=False)))
    for (period, lv), subjects in res.groupby(["period_id", "level"], sort=False):
        ids = [i for i in ind["indicator_id"].astype(str) if level.get(i) == _level_key(lv)]
        part = parts.get((period, lv))
        if not ids or part is None:
            continue
        wide = part.drop_duplicates(["vendor_id", "worker_id", "indicator_id"]) \
            .set_index(["vendor_id", "worker_id", "indicator_id"])["score"].unstack("indicator_id")
        base = subjects.set_index(["vendor_id", "worker_id"])["total"]
        wide = wide.reindex(index=base.index, columns=ids)
        n = len(base)
        values = wide.to_numpy(dtype=np.float64)
        total = base.to_numpy(dtype=np.float64)
        corr = wide.corr(min_periods=3).to_numpy(dtype=np.float64) if values.shape[1] else np.zeros((0, 0))
        for j, iid in enumerate(ids):
            col = values[:, j]
            have = ~np.isnan(col)
            k = int(have.sum())
            got = col[have]
            full = float((got >= cap[iid] - 1e-9).sum() / k) if k else np.nan
            zero = float((got <= 1e-9).sum() / k) if k else np.nan
            missing = float(1 - k / n) if n else np.nan
            std = float(np.std(got)) if k else np.nan
            r_total = _corr(got, total[have]) if k >= 3 else np.nan
            flags, advice = [], []
            if k and full >= CEILING:
                flags.append("ceiling")
                advice.append(ADVICE["ceiling"](lang, id=iid, pct=_pct(full)))
            if k and zero >= FLOOR_SHARE:
                flags.append("floor")
                advice.append(ADVICE["floor"](lang, id=iid, pct=_pct(zero)))
            if k >= 2 and std <= 1e-9:
                flags.append("no_spread")
                advice.append(ADVICE["no_spread"](lang, id=iid))
            if n and missing >= MISSING_SHARE - 1e-12:
                flags.append("high_missing")
                advice.append(ADVICE["high_missing"](lang, id=iid, miss=_pct(missing)))
            others = [(abs(corr[j, m]), ids[m], corr[j, m]) for m in range(len(ids))
                      if m != j and not np.isnan(corr[j, m]) and abs(corr[j, m]) >= REDUNDANT_R - 1e-12]
            if others:
                _, other, r = max(others)
                flags.append("redundant")
                advice.append(ADVICE["redundant"](lang, id=iid, other=other, r=f"{r:.2f}"))
            if not np.isnan(r_total) and r_total < 0:
                flags.append("inverse")
                advice.append(ADVICE["inverse"](lang, id=iid, r=f"{r_total:.2f}"))
            out.append({"period_id": period, "indicator_id": iid, "n": n, "full_share": _r(full, 4),
                        "zero_share": _r(zero, 4), "missing_share": _r(missing, 4), "std": _r(std, 4),
                        "corr_total": _r(r_total, 4), "flags": " ".join(flags),
                        "advice": ("；" if lang == "zh" else "; ").join(advice)})
    return pd.DataFrame(out, columns=HEALTH_COLUMNS)


def _level_key(level: object) -> str:
    text = str(level)
    return {"供应商": "vendor", "人员": "worker"}.get(text, text)


def _r(x: float, digits: int) -> float:
    return float(round(x, digits)) if not np.isnan(x) else np.nan


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    sa, sb = np.std(a), np.std(b)
    if sa <= 1e-12 or sb <= 1e-12:
        return np.nan
    return float(np.mean((a - a.mean()) * (b - b.mean())) / (sa * sb))


def rater_analysis(ratings: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per period and rater (see the module doc); ratings without a rater name are grouped
    by their role."""
    if ratings is None or ratings.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in RATER_COLUMNS})
    r = ratings[["period_id", "vendor_id", "worker_id", "indicator_id", "rater_role", "rater", "rating"]].copy()
    r = r[r["rating"].notna()]
    r["worker_id"] = r["worker_id"].fillna("")
    r["rater"] = r["rater"].where(r["rater"].notna() & (r["rater"].astype(str) != ""), r["rater_role"]).astype(str)
    item = ["period_id", "vendor_id", "worker_id", "indicator_id"]
    # the other raters' ratings of the same item: (item sum − own sum) / (item count − own count)
    per = r.groupby([*item, "rater"], sort=False)["rating"].agg(["sum", "count"]).reset_index()
    tot = r.groupby(item, sort=False)["rating"].agg(["sum", "count"]).rename(columns={"sum": "isum", "count": "icount"})
    per = per.join(tot, on=item)
    others_n = per["icount"] - per["count"]
    per["others"] = np.where(others_n > 0, (per["isum"] - per["sum"]) / others_n.where(others_n > 0, 1), np.nan)
    per["own"] = per["sum"] / per["count"]
    shared = per[per["others"].notna()]
    cmp = shared.groupby(["period_id", "rater"], sort=False).agg(own=("own", "mean"), others=("others", "mean"))
    g = r.groupby(["period_id", "rater"], sort=False)
    stats = g.agg(rater_role=("rater_role", "first"), n=("rating", "size"), mean=("rating", "mean"),
                  lo=("rating", "min"), hi=("rating", "max")).join(cmp, how="left").reset_index()
    out = []
    for row in stats.to_dict("records"):  # one row per rater: a few hundred at most
        others = row["others"]
        diff = row["own"] - others if not pd.isna(others) else np.nan
        flags, advice = [], []
        if not np.isnan(diff) and diff >= RATER_GAP - 1e-9:
            flags.append("lenient")
            advice.append(RATER_ADVICE["lenient"](lang, rater=row["rater"], d=f"{diff:.2f}"))
        if not np.isnan(diff) and diff <= -RATER_GAP + 1e-9:
            flags.append("severe")
            advice.append(RATER_ADVICE["severe"](lang, rater=row["rater"], d=f"{-diff:.2f}"))
        if row["n"] >= 3 and row["hi"] == row["lo"]:
            flags.append("flat")
            advice.append(RATER_ADVICE["flat"](lang, rater=row["rater"], v=f"{row['hi']:g}"))
        out.append({"period_id": row["period_id"], "rater": row["rater"], "rater_role": row["rater_role"],
                    "n": int(row["n"]), "mean": _r(float(row["mean"]), 4),
                    "others_mean": _r(float(others), 4) if not pd.isna(others) else np.nan,
                    "diff": _r(float(diff), 4) if not np.isnan(diff) else np.nan, "flags": " ".join(flags),
                    "advice": ("；" if lang == "zh" else "; ").join(advice)})
    return pd.DataFrame(out, columns=RATER_COLUMNS)


def vendor_trends(results: pd.DataFrame, period_order: list[str], lang: str) -> pd.DataFrame:
    """Per vendor, over the leaf periods in order: first and last total, the least-squares slope per
    period and the volatility (population std of the totals)."""
    res = results[(results["worker_id"].fillna("") == "") & results["total"].notna()
                  & results["period_id"].isin(period_order)]
    if res.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in TREND_COLUMNS})
    pos = {p: i for i, p in enumerate(period_order)}
    out = []
    for vid, g in res.assign(_x=res["period_id"].map(pos)).sort_values("_x").groupby("vendor_id", sort=True):
        x = g["_x"].to_numpy(dtype=np.float64)
        y = g["total"].to_numpy(dtype=np.float64)
        slope = float(np.polyfit(x, y, 1)[0]) if len(y) >= 2 and np.ptp(x) > 0 else np.nan
        vol = float(np.std(y))
        word = "" if np.isnan(slope) else ("上升" if slope > 0.5 else "下降" if slope < -0.5 else "平稳") if lang == "zh" \
            else ("rising" if slope > 0.5 else "falling" if slope < -0.5 else "steady")
        out.append({"vendor_id": vid, "vendor_name": g["vendor_name"].iloc[0] if "vendor_name" in g else "",
                    "periods": len(y), "first_total": y[0], "last_total": y[-1], "slope": _r(slope, 4),
                    "volatility": _r(vol, 4), "trend": word})
    return pd.DataFrame(out, columns=TREND_COLUMNS)
