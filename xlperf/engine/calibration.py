"""Calibration (校准): a calibration meeting's grade, applied after grading.

The calibrated subject gets the meeting's grade; the incentives (bonus, fee adjustment, action) are
then looked up from that grade, because they are computed after this step. The rank stays the rank
of the score: calibration changes the grade, not what the numbers say. The explanation of the total
says 校准, from which grade, why and by whom. With forced distribution, the quotas are checked again
afterwards: a calibration that puts more subjects into a grade than its quota allows (and more than
the scores alone did) gives a ``calibration_quota`` warning on each subject calibrated into it.

Validation has made sure each row names a known period, vendor, worker of that vendor and grade, and
has a reason; rows for subjects without a total (nothing scored) are left alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..contract.output_words import RULE_SEVERITY
from ..i18n import Text
from .keys import IntArray, Keys
from .model import text_col
from .numbers import STR, cat, strs

CALIBRATED = Text("；校准：{old} → {new}（理由：{reason}{by}）", "; calibrated: {old} → {new} (reason: {reason}{by})")
CALIBRATED_BY = Text("，校准人：", ", by ")
W_QUOTA = Text("校准后等级 {grade} 有 {n} 个对象，超过强制分布比例 {quota}% 允许的 {allowed} 个（校准理由：{reason}）",
               "After calibration grade {grade} holds {n} subjects, more than the {quota}% quota allows ({allowed}) "
               "(calibration reason: {reason})")


def calibration_keys(cal: pd.DataFrame, keys: Keys) -> IntArray:
    """The subject key of each calibration row (-1 when its period, vendor or worker is not scored)."""
    if cal is None or len(cal) == 0:
        return np.zeros(0, dtype=np.int64)
    p = Keys.code(text_col(cal, "period_id"), keys.periods)
    v = Keys.code(text_col(cal, "vendor_id"), keys.vendors)
    worker = text_col(cal, "worker_id").to_numpy(dtype=object)
    is_worker = worker != ""
    w = np.where(is_worker, Keys.code(worker, keys.workers), -1)
    sk = keys.subject(p, is_worker.astype(np.int64), v, w)
    ok = (p >= 0) & (v >= 0) & (~is_worker | (w >= 0))
    out: IntArray = np.where(ok, sk, -1)
    return out


def apply_calibrations(res: pd.DataFrame, cal: pd.DataFrame, keys: Keys, lang: str) -> np.ndarray:
    """Set the calibrated grades in ``res`` (sorted by ``sk``, graded) in place; returns the positions
    of ``res`` that were calibrated, one per calibration row used (-1 for rows not applied)."""
    sk = calibration_keys(cal, keys)
    if not len(sk):
        return np.zeros(0, dtype=np.int64)
    res_sk = res["sk"].to_numpy(dtype=np.int64)
    at = np.searchsorted(res_sk, sk)
    at = np.minimum(at, max(len(res_sk) - 1, 0))
    found = (sk >= 0) & (len(res_sk) > 0) & (res_sk[at] == sk) if len(res_sk) else np.zeros(len(sk), dtype=bool)
    total = res["total"].to_numpy(dtype=np.float64)
    found &= ~np.isnan(total[at]) if len(res_sk) else found
    pos = np.where(found, at, -1)
    if not found.any():
        return pos
    rows = at[found]
    grade = res["grade"].to_numpy(dtype=object).copy()
    old = grade[rows].copy()
    new = text_col(cal, "grade").to_numpy(dtype=object)[found]
    grade[rows] = new
    res["grade"] = pd.Series(grade, index=res.index, dtype=object)
    reason = strs(text_col(cal, "reason").to_numpy(dtype=object)[found])
    who = strs(text_col(cal, "calibrated_by").to_numpy(dtype=object)[found])
    by = np.where(np.strings.str_len(who) > 0, cat(CALIBRATED_BY(lang), who), np.asarray("", dtype=STR))
    tmpl = CALIBRATED(lang)
    head, rest = tmpl.split("{old}")
    mid, rest = rest.split("{new}")
    mid2, rest = rest.split("{reason}")
    _, tail = rest.split("{by}")
    note = cat(head, strs(old), mid, strs(new), mid2, reason, by, tail)
    expl = res["explanation"].to_numpy(dtype=object).copy()
    expl[rows] = cat(strs(expl[rows]), note).astype(object)
    res["explanation"] = pd.Series(expl, index=res.index, dtype=object)
    res["calibrated"] = False
    flag = res["calibrated"].to_numpy(dtype=bool).copy()
    flag[rows] = True
    res["calibrated"] = flag
    return pos


def quota_allowed(quota: np.ndarray, n: int) -> np.ndarray:
    """How many of ``n`` ranked subjects each grade can hold under forced distribution (grades.py's
    rule: rank k gets the first grade whose cumulative quota reaches k/N)."""
    cum = np.cumsum(np.nan_to_num(np.asarray(quota, dtype=np.float64)))
    reach = np.floor(cum * n / 100.0 + 1e-9).astype(np.int64)
    reach = np.minimum(reach, n)
    reach[-1:] = n  # the lowest grade takes whoever is left
    return np.diff(np.concatenate(([0], reach)))


def quota_warnings(res: pd.DataFrame, before: np.ndarray, group: np.ndarray, pos: np.ndarray, cal: pd.DataFrame,
                   grades: pd.DataFrame, lang: str) -> pd.DataFrame | None:
    """``calibration_quota`` warning rows (sk, ic, rule, severity, message) for forced distribution."""
    used = pos[pos >= 0]
    if not len(used) or grades is None or len(grades) == 0:
        return None
    names = [str(g) for g in grades["grade"]]
    quota = pd.to_numeric(grades["quota"], errors="coerce").to_numpy(dtype=np.float64) if "quota" in grades else \
        np.zeros(len(names))
    grade = res["grade"].to_numpy(dtype=object)
    total = res["total"].to_numpy(dtype=np.float64)
    reasons = text_col(cal, "reason").to_numpy(dtype=object)
    out_sk: list[int] = []
    out_msg: list[str] = []
    for g in pd.unique(group[used]):
        members = (group == g) & ~np.isnan(total)
        n = int(members.sum())
        allowed = quota_allowed(quota, n)
        for gi, name in enumerate(names):
            after_n = int((members & (grade == name)).sum())
            before_n = int((members & (before == name)).sum())
            if after_n <= max(int(allowed[gi]), before_n):
                continue
            for k in np.flatnonzero(pos >= 0):
                r = int(pos[k])
                if group[r] == g and grade[r] == name and before[r] != name:
                    msg = W_QUOTA(lang).format(grade=name, n=after_n, quota=f"{quota[gi]:g}", allowed=int(allowed[gi]),
                                               reason=str(reasons[k]))
                    out_sk.append(int(res["sk"].to_numpy(dtype=np.int64)[r]))
                    out_msg.append(msg)
    if not out_sk:
        return None
    m = len(out_sk)
    return pd.DataFrame({"sk": np.asarray(out_sk, dtype=np.int64), "ic": np.full(m, -1, dtype=np.int64),
                         "rule": ["calibration_quota"] * m, "severity": [RULE_SEVERITY["calibration_quota"]] * m,
                         "message": pd.Series(out_msg, dtype=object)})
