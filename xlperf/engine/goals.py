"""SMART goal progress, as of the reference period.

progress = (current − baseline) / (target − baseline), clamped to [0, 1], where current is the
subject's latest period value of the goal's indicator up to the reference period. (A target equal to
the baseline counts as reached once current is at or past it in the indicator's direction.)
expected = the straight line from agreed_on (0) to deadline (1), at the reference period's end date.
status: achieved (progress 1), overdue (past the deadline), lagging (behind the line), on_track, or
no_data; goals HR marked achieved/missed/cancelled/draft keep that status.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .model import text_col

GOAL_COLUMNS = ["goal_id", "vendor_id", "worker_id", "indicator_id", "description", "baseline", "target", "current",
                "current_period", "progress", "expected", "status", "deadline", "as_of"]
CLOSED_STATUSES = ("achieved", "missed", "cancelled", "draft")
NEAR_DAYS = 30  # "deadline is near": due within this many days of the reference period's end


def goal_progress(goals: pd.DataFrame, values: pd.DataFrame, period_rank: dict[str, int], ref_period: str,
                  ref_date: pd.Timestamp | None, direction: dict[str, str]) -> pd.DataFrame:
    """One row per goal with current value, progress, expected progress and status.

    ``values`` holds period values (period_id, level, vendor_id, worker_id, indicator_id, actual).
    """
    if goals is None or len(goals) == 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in GOAL_COLUMNS})
    g = pd.DataFrame({
        "goal_id": text_col(goals, "goal_id"), "vendor_id": text_col(goals, "vendor_id"),
        "worker_id": text_col(goals, "worker_id"), "indicator_id": text_col(goals, "indicator_id"),
        "description": text_col(goals, "description"), "hr_status": text_col(goals, "status"),
    })
    for col in ("baseline", "target"):
        g[col] = pd.to_numeric(goals[col], errors="coerce").astype(np.float64).to_numpy()
    for col in ("deadline", "agreed_on"):
        g[col] = pd.to_datetime(goals[col], errors="coerce").to_numpy() if col in goals else pd.NaT

    limit = period_rank.get(ref_period, len(period_rank))
    v = values[values["actual"].notna().to_numpy() & values["indicator_id"].isin(set(g["indicator_id"])).to_numpy()]
    v = v.assign(_rank=v["period_id"].map(period_rank).fillna(-1))
    v = v[v["_rank"] <= limit].sort_values("_rank", kind="stable")
    latest = v.groupby(["vendor_id", "worker_id", "indicator_id"], sort=False).last().reset_index()
    latest = latest[["vendor_id", "worker_id", "indicator_id", "actual", "period_id"]].rename(
        columns={"actual": "current", "period_id": "current_period"})
    # a worker goal matches the worker wherever it is filed; a vendor goal the vendor-level values
    worker_goal = g["worker_id"] != ""
    by_worker = latest[latest["worker_id"] != ""].drop(columns="vendor_id").drop_duplicates(["worker_id", "indicator_id"])
    by_vendor = latest[latest["worker_id"] == ""].drop(columns="worker_id")
    gw = g[worker_goal].merge(by_worker, on=["worker_id", "indicator_id"], how="left")
    gv = g[~worker_goal].merge(by_vendor, on=["vendor_id", "indicator_id"], how="left")
    out = pd.concat([gw, gv]).set_index("goal_id").reindex(g["goal_id"]).reset_index()

    cur, base, tgt = (out[c].to_numpy(dtype=np.float64) for c in ("current", "baseline", "target"))
    higher = out["indicator_id"].map(direction).fillna("higher").to_numpy() != "lower"
    with np.errstate(divide="ignore", invalid="ignore"):
        progress = np.clip((cur - base) / (tgt - base), 0.0, 1.0)
    reached = np.where(higher, cur >= tgt, cur <= tgt)
    progress = np.where(tgt == base, np.where(reached, 1.0, 0.0), progress)
    progress[np.isnan(cur) | np.isnan(tgt)] = np.nan
    out["progress"] = progress

    expected = np.full(len(out), np.nan)
    deadline = pd.to_datetime(out["deadline"])
    if ref_date is not None and not pd.isna(ref_date):
        agreed = pd.to_datetime(out["agreed_on"])
        span = (deadline - agreed).dt.days.to_numpy(dtype=np.float64)
        done = (pd.Timestamp(ref_date) - agreed).dt.days.to_numpy(dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            expected = np.clip(done / span, 0.0, 1.0)
        expected = np.where(span <= 0, 1.0, expected)
        expected[np.isnan(span)] = np.nan
        days_left = (deadline - pd.Timestamp(ref_date)).dt.days.to_numpy(dtype=np.float64)
    else:
        days_left = np.full(len(out), np.nan)
    out["expected"] = expected
    out["_days_left"] = days_left

    status = np.full(len(out), "on_track", dtype=object)
    status[progress < expected - 1e-9] = "lagging"
    status[days_left < 0] = "overdue"
    status[progress >= 1.0] = "achieved"
    status[np.isnan(progress)] = "no_data"
    hr = out["hr_status"].to_numpy(dtype=object)
    closed = np.isin(hr, CLOSED_STATUSES)
    status[closed] = hr[closed]
    out["status"] = status
    out["as_of"] = ref_period
    out["deadline"] = deadline
    return out


def goal_alerts(goals: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(lagging goals due within NEAR_DAYS, overdue goals) among goals still open."""
    if goals.empty or "_days_left" not in goals:
        return goals.iloc[0:0], goals.iloc[0:0]
    left = goals["_days_left"].to_numpy(dtype=np.float64)
    lag = (goals["status"] == "lagging").to_numpy() & (left >= 0) & (left <= NEAR_DAYS)
    overdue = (goals["status"] == "overdue").to_numpy()
    return goals[lag], goals[overdue]
