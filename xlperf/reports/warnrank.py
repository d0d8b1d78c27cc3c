"""Which warnings a feedback sheet shows first: the most severe, then the ones about the vendor itself.

A small ranking over the engine's own fields (``severity`` and ``rule``), kept in one place so a
richer ranking (severity ranks 严重 / 警告 / 提示 with merged rows) can replace it without touching
the layout. Every warning still goes to the 预警 sheet; this only orders the few a sheet lists.
"""

from __future__ import annotations

import pandas as pd

SEVERITY_ORDER = {"error": 0, "严重": 0, "错误": 0, "warning": 1, "警告": 1, "info": 2, "提示": 2}
# within one severity: rules that decide a contract before rules about one indicator or missing data
RULE_ORDER = ("veto", "lowest_grade_repeat", "low_grade", "decline_twice", "total_drop", "goal_lagging",
              "low_score", "missing_data")


def rank_warnings(frame: pd.DataFrame) -> pd.DataFrame:
    """The warnings most severe first (stable: equal ones keep the engine's order)."""
    if not len(frame):
        return frame
    sev = frame["severity"].astype(str) if "severity" in frame else pd.Series("", index=frame.index)
    rule = frame["rule"].astype(str) if "rule" in frame else pd.Series("", index=frame.index)
    if "worker_id" in frame:
        wid = frame["worker_id"].astype("object")
        vendor = wid.isna() | wid.astype(str).isin(["", "None", "nan"])
    else:
        vendor = pd.Series(True, index=frame.index)
    keys = pd.DataFrame({
        "s": sev.map(lambda s: SEVERITY_ORDER.get(s, 3)),
        "r": rule.map(lambda r: RULE_ORDER.index(r) if r in RULE_ORDER else len(RULE_ORDER)),
        "v": (~vendor).astype(int),
    }, index=frame.index)
    order = keys.sort_values(["s", "r", "v"], kind="stable").index
    return frame.loc[order]
