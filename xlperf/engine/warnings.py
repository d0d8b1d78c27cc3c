"""Early warnings (预警): one row per rule hit, each with a stable rule code.

| rule                  | severity | when |
|-----------------------|----------|------|
| low_score             | warning  | an indicator score is below its warn_below (else settings.warn_score) |
| missing_data          | info     | a weighted indicator has no data for the subject in the period |
| no_total              | warning  | missing_policy = exclude and data is missing: no total |
| veto                  | error    | a veto indicator triggered |
| total_drop            | warning  | total fell by at least drop_alert against the previous period |
| decline_twice         | warning  | total declined two periods in a row |
| low_grade             | warning  | the grade is one of the two lowest |
| lowest_grade_repeat   | error    | the lowest grade two periods in a row (message suggests its action) |
| goal_lagging          | warning  | a goal is due within 30 days and its progress lags the straight line |
| goal_overdue          | error    | a goal is past its deadline and not reached |
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from . import texts as tx
from ..i18n import Text
from .model import KEY
from .numbers import fmt_num
from .periods import Calendar

WARNING_COLUMNS = ["period_id", "level", "vendor_id", "worker_id", "indicator_id", "rule", "severity", "message"]
RULES = ("low_score", "missing_data", "no_total", "veto", "total_drop", "decline_twice", "low_grade",
         "lowest_grade_repeat", "goal_lagging", "goal_overdue")


def fill(text: Text, lang: str, index: pd.Index, **cols: pd.Series | str) -> pd.Series:
    """A message template filled column-wise: ``{name}`` placeholders take aligned Series."""
    template = text.zh if lang == "zh" else text.en
    out = pd.Series("", index=index, dtype=object)
    for i, part in enumerate(re.split(r"\{(\w+)\}", template)):
        out = out + (cols[part] if i % 2 else part)
    return out


def num(values: pd.Series, digits: int = 2) -> pd.Series:
    return pd.Series(fmt_num(values.to_numpy(dtype=np.float64), digits).astype(object), index=values.index)


def _rows(frame: pd.DataFrame, rule: str, severity: str, message: pd.Series, indicator: pd.Series | str = "") -> pd.DataFrame:
    out = frame[KEY].copy()
    out["indicator_id"] = indicator
    out["rule"] = rule
    out["severity"] = severity
    out["message"] = message
    return out[WARNING_COLUMNS]


def score_warnings(grid: pd.DataFrame, *, warn_score: float, policy: str, veto_score: float, lang: str) -> list[pd.DataFrame]:
    out = []
    weighted = grid["weighted_method"].to_numpy(dtype=bool)
    score = grid["score"].to_numpy(dtype=np.float64)
    line = grid["warn_below"].fillna(warn_score).to_numpy(dtype=np.float64)
    name = (grid["indicator_id"].astype(str) + " " + grid["name"].astype(str)).str.strip()
    low = grid[weighted & (score < line)]
    if len(low):
        msg = fill(tx.W_LOW_SCORE, lang, low.index, name=name[low.index] + " ", score=num(low["score"]),
                   line=num(low["warn_below"].fillna(warn_score)))
        tip = low["tip"].fillna("").astype(str)
        msg = msg.where(tip == "", msg + fill(tx.W_TIP, lang, low.index, tip=tip))
        out.append(_rows(low, "low_score", "warning", msg, low["indicator_id"]))
    missing = grid[weighted & grid["actual"].isna().to_numpy()]
    if len(missing):
        msg = fill(tx.W_MISSING, lang, missing.index, name=name[missing.index] + " ",
                   policy=tx.POLICY_NAME.get(policy, tx.POLICY_NAME["renormalize"])(lang))
        out.append(_rows(missing, "missing_data", "info", msg, missing["indicator_id"]))
    vetoes = grid[(grid["method"] == "veto").to_numpy() & (grid["actual"].to_numpy(dtype=np.float64) >= 0.5)]
    if len(vetoes):
        msg = fill(tx.W_VETO, lang, vetoes.index, name=name[vetoes.index], score=str(fmt_num([veto_score], 2)[0]))
        out.append(_rows(vetoes, "veto", "error", msg, vetoes["indicator_id"]))
    return out


def total_warnings(results: pd.DataFrame, cal: Calendar, grades: pd.DataFrame, *, drop_alert: float,
                   policy: str, lang: str) -> list[pd.DataFrame]:
    out = []
    subj = [k for k in KEY if k != "period_id"]
    prev_of = {p: cal.previous(p) for p in cal.order}
    r = results[[*KEY, "total", "grade", "explanation"]].copy()
    r["_prev"] = r["period_id"].map(prev_of)
    prev = r[[*KEY, "total", "grade"]].rename(columns={"period_id": "_prev", "total": "_t1", "grade": "_g1"})
    r = r.merge(prev, on=["_prev", *subj], how="left")
    r["_prev2"] = r["_prev"].map(prev_of)
    prev2 = r[[*KEY, "total"]].rename(columns={"period_id": "_prev2", "total": "_t2"})
    r = r.merge(prev2, on=["_prev2", *subj], how="left")
    t, t1, t2 = (r[c].to_numpy(dtype=np.float64) for c in ("total", "_t1", "_t2"))

    if policy == "exclude":
        nt = r[np.isnan(t) & (r["explanation"] != tx.NO_DATA(lang)).to_numpy()]
        if len(nt):
            out.append(_rows(nt, "no_total", "warning", pd.Series(tx.W_EXCLUDED(lang), index=nt.index)))
    drop = r[(t1 - t) >= drop_alert - 1e-9]
    if len(drop):
        msg = fill(tx.W_DROP, lang, drop.index, total=num(drop["total"]), prev=num(drop["_t1"]),
                   drop=num(drop["_t1"] - drop["total"]))
        out.append(_rows(drop, "total_drop", "warning", msg))
    dec = r[(t < t1) & (t1 < t2)]
    if len(dec):
        msg = fill(tx.W_DECLINE, lang, dec.index, p2=num(dec["_t2"]), p1=num(dec["_t1"]), total=num(dec["total"]))
        out.append(_rows(dec, "decline_twice", "warning", msg))

    names = [str(g) for g in grades["grade"]] if grades is not None and len(grades) else []
    if names:
        lowest = names[-1]
        low_set = names[-2:] if len(names) > 2 else names[-1:]
        low = r[r["grade"].isin(low_set).to_numpy()]
        if len(low):
            msg = fill(tx.W_LOW_GRADE, lang, low.index, grade=low["grade"].astype(str), total=num(low["total"]))
            out.append(_rows(low, "low_grade", "warning", msg))
        rep = r[((r["grade"] == lowest) & (r["_g1"] == lowest)).to_numpy()]
        if len(rep):
            action = grades["action"].where(grades["action"].notna(), "").astype(str).iloc[-1] if "action" in grades else ""
            msg = fill(tx.W_LOWEST_REPEAT, lang, rep.index, grade=lowest, action=action or "—")
            out.append(_rows(rep, "lowest_grade_repeat", "error", msg))
    return out


def goal_warnings(lagging: pd.DataFrame, overdue: pd.DataFrame, period_id: str, lang: str) -> list[pd.DataFrame]:
    out = []
    for frame, rule, severity, text in ((lagging, "goal_lagging", "warning", tx.W_GOAL_LAG),
                                        (overdue, "goal_overdue", "error", tx.W_GOAL_OVERDUE)):
        if frame.empty:
            continue
        f = frame.copy()
        f["period_id"] = period_id
        f["level"] = np.where(f["worker_id"] != "", "worker", "vendor")
        deadline = pd.to_datetime(f["deadline"]).dt.strftime("%Y-%m-%d").fillna("—")
        msg = fill(text, lang, f.index, goal=f["goal_id"], desc=f["description"], deadline=deadline,
                   progress=num(f["progress"] * 100.0, 0), expected=num(f["expected"] * 100.0, 0))
        out.append(_rows(f, rule, severity, msg, f["indicator_id"]))
    return out
