"""Early warnings (预警): one row per rule hit, each with a stable rule code.

| rule                  | severity | when |
|-----------------------|----------|------|
| low_score             | warning  | an indicator score is below its warn_below (else settings.warn_score) |
| missing_data          | info     | a weighted indicator has no data for the subject in the period |
| no_total              | error    | missing_policy = exclude and data is missing: no total |
| veto                  | error    | a veto indicator triggered |
| total_drop            | warning  | total fell by at least drop_alert against the previous period |
| decline_twice         | warning  | total declined two periods in a row |
| low_grade             | warning  | the grade is one of the two lowest |
| lowest_grade_repeat   | error    | the lowest grade two periods in a row (message suggests its action) |
| goal_lagging          | warning  | a goal is due within 30 days and its progress lags the straight line |
| goal_overdue          | error    | a goal is past its deadline and not reached |
| calibration_quota     | warning  | forced distribution: a calibration put more subjects into a grade than its quota allows |

Each rule's severity (its rank: error 严重, warning 警告, info 提示) and its words live in
``contract.output_words``. Rows carry the subject key ``sk`` and indicator code ``ic`` (-1 for
subject-level rules); compute turns them into the text columns of the warnings table.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..contract.output_words import RULE_SEVERITY, WARNING_RULES
from ..i18n import Text
from . import texts as tx
from .keys import IntArray, Keys
from .model import obj
from .numbers import STR, StrArray, cat, fmt_num, fmt_one, strs
from .periods import Calendar

WARNING_COLUMNS = ["period_id", "level", "vendor_id", "worker_id", "indicator_id", "rule", "severity", "message"]
RULES: tuple[str, ...] = tuple(WARNING_RULES)
RULE_ORDER = {r: i for i, r in enumerate(RULES)}


def fill(text: Text, lang: str, **parts: StrArray | str) -> StrArray:
    """A message template filled element-wise: ``{name}`` placeholders take aligned string arrays."""
    template = text.zh if lang == "zh" else text.en
    pieces: list[StrArray | str] = [parts[p] if i % 2 else p for i, p in enumerate(re.split(r"\{(\w+)\}", template))]
    return cat(*pieces)


def rows(sk: IntArray, ic: IntArray | int, rule: str, message: StrArray) -> pd.DataFrame:
    """Warning rows of one rule; the severity is the rule's rank (contract.output_words, one place)."""
    n = len(sk)
    severity = RULE_SEVERITY[rule]
    return pd.DataFrame({"sk": np.asarray(sk, dtype=np.int64), "ic": np.broadcast_to(np.asarray(ic, dtype=np.int64), (n,)),
                         "rule": obj(np.full(n, rule, dtype=object)), "severity": obj(np.full(n, severity, dtype=object)),
                         "message": obj(np.asarray(message).astype(object))})


def score_warnings(grid: pd.DataFrame, labels: StrArray, tips: StrArray, *, warn_score: float, policy: str,
                   veto_score: float, lang: str) -> list[pd.DataFrame]:
    out = []
    weighted = grid["weighted_method"].to_numpy(dtype=bool)
    score = grid["score"].to_numpy(dtype=np.float64)
    actual = grid["actual"].to_numpy(dtype=np.float64)
    sk = grid["sk"].to_numpy(dtype=np.int64)
    ic = grid["ic"].to_numpy(dtype=np.int64)
    line = grid["warn_below"].to_numpy(dtype=np.float64)
    line = np.where(np.isnan(line), warn_score, line)
    low = weighted & (score < line)
    if low.any():
        msg = fill(tx.W_LOW_SCORE, lang, name=labels[ic[low]], score=fmt_num(score[low]), line=fmt_num(line[low]))
        tip = tips[ic[low]]
        msg = np.where(np.strings.str_len(tip) > 0, cat(msg, fill(tx.W_TIP, lang, tip=tip)), msg)
        out.append(rows(sk[low], ic[low], "low_score", msg))
    missing = weighted & np.isnan(actual)
    if missing.any():
        msg = fill(tx.W_MISSING, lang, name=labels[ic[missing]],
                   policy=tx.POLICY_NAME.get(policy, tx.POLICY_NAME["renormalize"])(lang))
        out.append(rows(sk[missing], ic[missing], "missing_data", msg))
    veto = (grid["method"].to_numpy(dtype=object) == "veto") & (actual >= 0.5)
    if veto.any():
        msg = fill(tx.W_VETO, lang, name=labels[ic[veto]], score=fmt_one(veto_score))
        out.append(rows(sk[veto], ic[veto], "veto", msg))
    return out


def total_warnings(res: pd.DataFrame, cal: Calendar, keys: Keys, grades: pd.DataFrame, *, drop_alert: float,
                   lang: str) -> list[pd.DataFrame]:
    """Rules on totals and grades; ``res`` has sk, total, grade, excluded (sorted by sk)."""
    out = []
    sk = res["sk"].to_numpy(dtype=np.int64)
    p, *_ = keys.split(sk)
    p_of = {q: i for i, q in enumerate(keys.periods)}
    prev_code = np.asarray([p_of.get(cal.previous(q) or "", -1) for q in keys.periods] + [-1], dtype=np.int64)
    subject = keys.without_period(sk)
    index = pd.Index(sk)

    def previous(codes: IntArray) -> tuple[IntArray, IntArray]:
        prev = prev_code[np.where(codes >= 0, codes, len(keys.periods))]
        at = np.asarray(index.get_indexer(keys.with_period(subject, np.maximum(prev, 0))), dtype=np.int64)
        return prev, np.where(prev >= 0, at, -1)

    prev1, at1 = previous(p)
    _prev2, at2 = previous(prev1)
    total = res["total"].to_numpy(dtype=np.float64)
    grade = res["grade"].to_numpy(dtype=object)
    t1 = np.where(at1 >= 0, total[np.maximum(at1, 0)], np.nan)
    t2 = np.where(at2 >= 0, total[np.maximum(at2, 0)], np.nan)
    g1 = np.where(at1 >= 0, grade[np.maximum(at1, 0)], "")

    excluded = res["excluded"].to_numpy(dtype=bool)
    if excluded.any():
        out.append(rows(sk[excluded], -1, "no_total", np.full(int(excluded.sum()), tx.W_EXCLUDED(lang), dtype=STR)))
    drop = (t1 - total) >= drop_alert - 1e-9
    if drop.any():
        msg = fill(tx.W_DROP, lang, total=fmt_num(total[drop]), prev=fmt_num(t1[drop]), drop=fmt_num(t1[drop] - total[drop]))
        out.append(rows(sk[drop], -1, "total_drop", msg))
    dec = (total < t1) & (t1 < t2)
    if dec.any():
        msg = fill(tx.W_DECLINE, lang, p2=fmt_num(t2[dec]), p1=fmt_num(t1[dec]), total=fmt_num(total[dec]))
        out.append(rows(sk[dec], -1, "decline_twice", msg))

    names = [str(g) for g in grades["grade"]] if grades is not None and len(grades) else []
    if names:
        lowest = names[-1]
        low = np.isin(grade, names[-2:] if len(names) > 2 else names[-1:])
        if low.any():
            msg = fill(tx.W_LOW_GRADE, lang, grade=strs(grade[low]), total=fmt_num(total[low]))
            out.append(rows(sk[low], -1, "low_grade", msg))
        rep = (grade == lowest) & (g1 == lowest)
        if rep.any():
            actions = grades["action"] if "action" in grades else pd.Series([""] * len(grades))
            action = str(actions.where(actions.notna(), "").astype(str).iloc[-1]) or "—"
            msg = fill(tx.W_LOWEST_REPEAT, lang, grade=lowest, action=action)
            out.append(rows(sk[rep], -1, "lowest_grade_repeat", np.full(int(rep.sum()), msg[0] if len(msg) else "", dtype=STR)))
    return out


def goal_warnings(frame: pd.DataFrame, sk: IntArray, ic: IntArray, rule: str, lang: str) -> list[pd.DataFrame]:
    """goal_lagging / goal_overdue rows for the goals in ``frame`` (their subjects' keys given)."""
    if frame.empty:
        return []
    text = tx.W_GOAL_LAG if rule == "goal_lagging" else tx.W_GOAL_OVERDUE
    deadline = pd.to_datetime(frame["deadline"]).dt.strftime("%Y-%m-%d").fillna("—")
    msg = fill(text, lang, goal=strs(frame["goal_id"]), desc=strs(frame["description"]), deadline=strs(deadline),
               progress=fmt_num(frame["progress"].to_numpy(dtype=np.float64) * 100.0, 0),
               expected=fmt_num(frame["expected"].to_numpy(dtype=np.float64) * 100.0, 0))
    return [rows(sk, ic, rule, msg)]
