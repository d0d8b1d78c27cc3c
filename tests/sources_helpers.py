"""A small workbook with one indicator per aggregation, raw monitoring events, and the two ways in:
the events typed into 监控记录 row by row, or pulled from a source."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from xlperf.excel.template import new_book
from xlperf.io.writer import replace_table_rows

AGGS = ("sum", "mean", "last", "max", "min", "count")
IND = {a: f"I-{a.upper()}" for a in AGGS}
WORKERS = {"W1": "V1", "W2": "V1", "W3": "V2"}
VETO = "I-VETO"


def book(path: Path, sources: list[dict[str, Any]] | None = None, hr_rows: list[dict[str, Any]] | None = None,
         current: str = "") -> Path:
    """A valid zh workbook: two vendors, three workers, periods 2026-01, 2026-02, one indicator per aggregation."""
    new_book(path, "zh")
    replace_table_rows(path, "dimensions", pd.DataFrame(
        {"dimension": ["质量"], "level": ["worker"], "weight": [100.0]}), backup=False)
    weights = {"sum": 20.0, "mean": 20.0, "last": 20.0, "max": 20.0, "min": 10.0, "count": 10.0}
    ind = pd.DataFrame({
        "indicator_id": [IND[a] for a in AGGS] + [VETO], "name": [f"指标{a}" for a in AGGS] + ["否决"],
        "dimension": ["质量"] * 7, "level": ["worker"] * 7, "weight": [weights[a] for a in AGGS] + [None],
        "method": ["linear"] * 6 + ["veto"], "direction": ["higher"] * 6 + [None],
        "floor": [0.0] * 6 + [None], "target": [1000.0] * 6 + [None], "aggregation": list(AGGS) + [None]})
    replace_table_rows(path, "indicators", ind, backup=False)
    replace_table_rows(path, "vendors", pd.DataFrame({"vendor_id": ["V1", "V2"], "name": ["甲公司", "乙公司"]}),
                       backup=False)
    replace_table_rows(path, "workers", pd.DataFrame({"worker_id": list(WORKERS), "name": ["张三", "李四", "王五"],
                                                      "vendor_id": list(WORKERS.values())}), backup=False)
    replace_table_rows(path, "periods", pd.DataFrame({
        "period_id": ["2026-01", "2026-02"], "start": [dt.datetime(2026, 1, 1), dt.datetime(2026, 2, 1)],
        "end": [dt.datetime(2026, 1, 31), dt.datetime(2026, 2, 28)]}), backup=False)
    if current:
        replace_table_rows(path, "settings", pd.DataFrame({"key": ["current_period"], "value": [current]}),
                           backup=False)
    if hr_rows:
        replace_table_rows(path, "observations", pd.DataFrame(hr_rows), backup=False)
    if sources:
        replace_table_rows(path, "sources", pd.DataFrame(sources), backup=False)
    return path


def events(n: int = 400, seed: int = 7) -> pd.DataFrame:
    """Raw events over both months (and a few outside them): worker, indicator, timestamp, value.

    Values are multiples of 0.25 so every sum is exact in binary floating point whatever the order;
    timestamps are distinct so ``last`` has one latest record."""
    rng = np.random.default_rng(seed)
    ts = pd.Timestamp("2025-12-30") + pd.to_timedelta(np.sort(rng.choice(86_400 * 62, n, replace=False)), unit="s")
    ind = rng.choice([IND[a] for a in AGGS], n)
    return pd.DataFrame({
        "ts": ts[rng.permutation(n)],
        "agent": rng.choice(list(WORKERS), n),
        "metric": ind,
        "val": rng.integers(0, 4000, n) / 4.0,
    })


def typed_rows(ev: pd.DataFrame) -> list[dict[str, Any]]:
    """The same events as HR would import them into 监控记录, one row each, in time order (as a monitoring
    system exports them): a sheet date is a day, and of one day's records the lower row is the later."""
    inside = (ev["ts"] >= "2026-01-01") & (ev["ts"] < "2026-03-01")
    ev = ev[inside].sort_values("ts", kind="stable")
    return [{"date": t.to_pydatetime(), "vendor_id": WORKERS[w], "worker_id": w, "indicator_id": i, "value": float(v)}
            for t, w, i, v in zip(ev["ts"], ev["agent"], ev["metric"], ev["val"])]


def source_row(sid: str, kind: str, location: str, query: str = "", **over: Any) -> dict[str, Any]:
    row = {"source_id": sid, "kind": kind, "location": location, "query": query, "date_col": "ts",
           "worker_col": "agent", "indicator_col": "metric", "value_col": "val", "enabled": "是"}
    row.update(over)
    return row


def period_values(path: Path) -> pd.DataFrame:
    """The engine's period values (actual, score) per worker, indicator and period, and the totals."""
    from xlperf.engine import compute
    from xlperf.io.reader import read_book
    from xlperf.jobs import validate_raw

    inputs, report = validate_raw(read_book(path))
    assert inputs is not None, [f.message for f in report.errors]
    res = compute(inputs)
    cols = ["period_id", "worker_id", "indicator_id", "actual", "score"]
    return res.scores[cols].sort_values(cols[:3]).reset_index(drop=True)


WINDOWS = None  # set below: the two months as the pull sees them


def ind_frame() -> pd.DataFrame:
    return pd.DataFrame({"indicator_id": [IND[a] for a in AGGS] + [VETO], "level": ["worker"] * 7,
                         "method": ["linear"] * 6 + ["veto"], "aggregation": list(AGGS) + [None]})


def workers_frame() -> pd.DataFrame:
    return pd.DataFrame({"worker_id": list(WORKERS), "vendor_id": list(WORKERS.values())})


def vendors_frame() -> pd.DataFrame:
    return pd.DataFrame({"vendor_id": sorted(set(WORKERS.values()))})


def _windows() -> list[Any]:
    from xlperf.sources.windows import Window

    return [Window("2026-01", dt.date(2026, 1, 1), dt.date(2026, 2, 1)),
            Window("2026-02", dt.date(2026, 2, 1), dt.date(2026, 3, 1))]


WINDOWS = _windows()
