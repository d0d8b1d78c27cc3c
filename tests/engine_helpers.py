"""A small builder of engine Inputs: each test states only what matters, the rest has defaults.

Frames come out the way validation hands them over: field-key columns, numbers float64, dates
datetime64, text str or None, observations' period_id filled, veto values 1.0/0.0.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from xlperf.contract.tables import DEFAULT_GRADES, TABLES_BY_NAME
from xlperf.inputs import Inputs
from xlperf.settings import Settings

NUMBER_TYPES = {"number", "integer"}


def month_bounds(pid: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """'2026-01' → (2026-01-01, 2026-01-31); '2026-Q1' → (2026-01-01, 2026-03-31)."""
    year, part = pid.split("-")
    if part.startswith("Q"):
        first = (int(part[1:]) - 1) * 3 + 1
        start = pd.Timestamp(int(year), first, 1)
        return start, start + pd.offsets.QuarterEnd(0)
    start = pd.Timestamp(int(year), int(part), 1)
    return start, start + pd.offsets.MonthEnd(0)


def quarter_of(pid: str) -> str:
    year, month = pid.split("-")
    return f"{year}-Q{(int(month) - 1) // 3 + 1}"


class Book:
    def __init__(self, **settings: Any) -> None:
        self.settings = Settings(**settings)
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES_BY_NAME if name != "settings"}
        self.quarters = False

    # ---- structure
    def dimension(self, name: str, weight: float, level: str = "worker") -> Book:
        self.rows["dimensions"].append({"dimension": name, "level": level, "weight": weight})
        return self

    def indicator(self, iid: str, dimension: str, method: str, *, level: str = "worker", weight: float | None = None,
                  name: str | None = None, **params: Any) -> Book:
        if method not in ("adjust", "veto") and weight is None:
            weight = 100.0
        row = {"indicator_id": iid, "name": name or f"指标{iid}", "dimension": dimension, "level": level,
               "weight": weight, "method": method, **params}
        self.rows["indicators"].append(row)
        return self

    def bands(self, band_set: str, *rows: tuple[float | None, float | None, float]) -> Book:
        for lower, upper, score in rows:
            self.rows["bands"].append({"band_set": band_set, "lower": lower, "upper": upper, "score": score})
        return self

    def vendor(self, vid: str, name: str | None = None, **fields: Any) -> Book:
        self.rows["vendors"].append({"vendor_id": vid, "name": name or f"供应商{vid}", **fields})
        return self

    def worker(self, wid: str, vendor: str = "V1", name: str | None = None, **fields: Any) -> Book:
        self.rows["workers"].append({"worker_id": wid, "name": name or f"员工{wid}", "vendor_id": vendor, **fields})
        return self

    def period(self, pid: str, rollup: str | None = None, status: str = "open") -> Book:
        start, end = month_bounds(pid)
        self.rows["periods"].append({"period_id": pid, "start": start, "end": end, "rollup": rollup, "status": status})
        return self

    def grades(self, *rows: tuple[Any, ...]) -> Book:
        """(grade, min_score, quota, bonus_coef, fee_adjust, action) rows; default: the contract's five."""
        for grade, min_score, quota, coef, fee, action in rows:
            self.rows["grades"].append({"grade": grade, "min_score": min_score, "quota": quota, "bonus_coef": coef,
                                        "fee_adjust": fee, "action": action})
        return self

    def rater_weight(self, indicator: str, role: str, weight: float) -> Book:
        self.rows["rater_weights"].append({"indicator_id": indicator, "rater_role": role, "weight": weight})
        return self

    def goal(self, gid: str, indicator: str, *, vendor: str = "V1", worker: str | None = None, baseline: float,
             target: float, deadline: str, agreed_on: str, status: str = "agreed", description: str = "") -> Book:
        self.rows["goals"].append({"goal_id": gid, "vendor_id": vendor, "worker_id": worker, "indicator_id": indicator,
                                   "description": description or f"目标{gid}", "baseline": baseline, "target": target,
                                   "deadline": pd.Timestamp(deadline), "agreed_on": pd.Timestamp(agreed_on),
                                   "status": status})
        return self

    # ---- data
    def obs(self, indicator: str, value: float, *, worker: str | None = "W1", vendor: str | None = None,
            period: str = "2026-01", date: str | None = None) -> Book:
        day = pd.Timestamp(date) if date else month_bounds(period)[0] + pd.Timedelta(days=9)
        self.rows["observations"].append({"date": day, "period_id": period, "vendor_id": vendor, "worker_id": worker,
                                          "indicator_id": indicator, "value": value})
        return self

    def rating(self, indicator: str, role: str, rating: float, *, worker: str | None = "W1", vendor: str | None = None,
               period: str = "2026-01") -> Book:
        self.rows["ratings"].append({"period_id": period, "vendor_id": vendor, "worker_id": worker,
                                     "indicator_id": indicator, "rater_role": role, "rating": rating})
        return self

    # ---- build
    def inputs(self) -> Inputs:
        rows = {k: [dict(r) for r in v] for k, v in self.rows.items()}
        known_workers = {r["worker_id"]: r["vendor_id"] for r in rows["workers"]}
        for table in ("observations", "ratings"):
            for r in rows[table]:
                if r["worker_id"] and r["worker_id"] not in known_workers:
                    known_workers[r["worker_id"]] = r["vendor_id"] or "V1"
                    rows["workers"].append({"worker_id": r["worker_id"], "name": f"员工{r['worker_id']}",
                                            "vendor_id": known_workers[r["worker_id"]]})
                if not r["vendor_id"]:
                    r["vendor_id"] = known_workers.get(r["worker_id"], "V1")
        vendors = {r["vendor_id"] for r in rows["vendors"]}
        for r in [*rows["workers"], *rows["observations"], *rows["ratings"]]:
            if r["vendor_id"] not in vendors:
                vendors.add(r["vendor_id"])
                rows["vendors"].append({"vendor_id": r["vendor_id"], "name": f"供应商{r['vendor_id']}"})
        periods = {r["period_id"] for r in rows["periods"]}
        for r in [*rows["observations"], *rows["ratings"]]:
            pid = r["period_id"]
            if pid not in periods:
                periods.add(pid)
                up = quarter_of(pid) if self.quarters and "Q" not in pid else None
                start, end = month_bounds(pid)
                rows["periods"].append({"period_id": pid, "start": start, "end": end, "rollup": up, "status": "open"})
                if up and up not in periods:
                    periods.add(up)
                    qs, qe = month_bounds(up)
                    rows["periods"].append({"period_id": up, "start": qs, "end": qe, "rollup": None, "status": "open"})
        if not rows["grades"]:
            rows["grades"] = [{"grade": g, "min_score": m, "quota": q, "bonus_coef": c, "fee_adjust": f, "action": a}
                              for g, m, q, c, f, a, _en in DEFAULT_GRADES]
        if not rows["rater_weights"]:
            rows["rater_weights"] = [{"indicator_id": "*", "rater_role": "主管", "weight": 60.0},
                                     {"indicator_id": "*", "rater_role": "用工部门", "weight": 40.0}]
        tables = {name: _frame(name, rows[name]) for name in rows}
        return Inputs(settings=self.settings, tables=tables)


def _frame(name: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    table = TABLES_BY_NAME[name]
    data: dict[str, pd.Series] = {}
    for f in table.fields:
        values = [r.get(f.key) for r in rows]
        if f.type.value in NUMBER_TYPES or (name == "observations" and f.key == "value"):
            data[f.key] = pd.Series([np.nan if v is None else float(v) for v in values], dtype=np.float64)
        elif f.type.value == "date":
            data[f.key] = pd.Series(pd.to_datetime(values), dtype="datetime64[ns]")
        else:
            data[f.key] = pd.Series(values, dtype=object)
    frame = pd.DataFrame(data)
    frame["_row"] = np.arange(len(frame), dtype=np.int64) + 5
    return frame
