"""Which warnings a feedback sheet shows first: the most severe, then the ones about the vendor itself.

Ranked by the engine's own fields (``severity`` and ``rule``) with the ranks of the one output
vocabulary (``contract.output_words``: 严重 / 警告 / 提示, rules in the engine's order). Every warning
still goes to the 预警 sheet; this only orders the few a sheet lists.
"""

from __future__ import annotations

import pandas as pd

from ..contract.output_words import SEVERITY_RANK, WARNING_RULES

# within one rank: rules about the whole subject before rules about one indicator or missing data
RULE_ORDER = ("veto", "no_total", "lowest_grade_repeat", "goal_overdue", "low_grade", "calibration_quota",
              "decline_twice", "total_drop", "goal_lagging", "low_score", "missing_data")


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
        "s": sev.map(lambda s: SEVERITY_RANK.get(s, len(SEVERITY_RANK))),
        "r": rule.map(lambda r: RULE_ORDER.index(r) if r in RULE_ORDER else len(RULE_ORDER)),
        "v": (~vendor).astype(int),
    }, index=frame.index)
    order = keys.sort_values(["s", "r", "v"], kind="stable").index
    return frame.loc[order]
