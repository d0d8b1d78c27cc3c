"""Invariants over a random book of a few hundred workers (fixed seed): what any run must satisfy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from engine_helpers import Book

from xlperf.engine import compute


@pytest.fixture(scope="module")
def run():  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(7)
    book = (Book().dimension("质量", 50).dimension("效率", 30).dimension("协作", 20)
            .indicator("Q1", "质量", "linear", weight=60, floor=60, target=95, stretch=100, cap=110)
            .indicator("Q2", "质量", "bands", weight=40, band_set="B")
            .bands("B", (None, 60, 30), (60, 80, 70), (80, None, 100))
            .indicator("E1", "效率", "ratio", weight=50, target=100, cap=120)
            .indicator("E2", "效率", "deduction", weight=50, per_unit=5, aggregation="sum")
            .indicator("C1", "协作", "rating", scale=5)
            .indicator("A", "质量", "adjust", per_unit=1, cap=5)
            .indicator("V", "质量", "veto"))
    book.quarters = True
    for w in range(300):
        wid, vendor = f"W{w:03d}", f"V{w % 7}"
        book.worker(wid, vendor, base_bonus=1000)
        for month in ("2026-01", "2026-02", "2026-03"):
            for iid, lo, hi in (("Q1", 50, 100), ("Q2", 40, 100), ("E1", 60, 130), ("E2", 0, 4)):
                if rng.random() < 0.9:
                    book.obs(iid, float(np.round(rng.uniform(lo, hi), 1)), worker=wid, vendor=vendor, period=month)
            if rng.random() < 0.8:
                book.rating("C1", "主管", float(rng.integers(1, 6)), worker=wid, vendor=vendor, period=month)
            if rng.random() < 0.1:
                book.obs("A", float(rng.integers(-3, 4)), worker=wid, vendor=vendor, period=month)
            if rng.random() < 0.02:
                book.obs("V", 1.0, worker=wid, vendor=vendor, period=month)
    return compute(book.inputs())


def test_totals_are_the_weighted_points_plus_adjust(run) -> None:  # type: ignore[no-untyped-def]
    s = run.scores
    weighted = s[s["weight"].notna()].groupby(["period_id", "worker_id"])["weighted"].sum()
    adjust = s[s["method"] == "adjust"].groupby(["period_id", "worker_id"])["score"].sum()
    res = run.results[(run.results["period_id"] != "2026-Q1") & ~run.results["vetoed"]].set_index(["period_id", "worker_id"])
    expected = (weighted.reindex(res.index) + adjust.reindex(res.index).fillna(0)).clip(0, 120)
    assert np.allclose(res["total"], expected, atol=0.011)


def test_ranks_grades_and_completeness_are_consistent(run) -> None:  # type: ignore[no-untyped-def]
    r = run.results
    assert ((r["completeness"] >= 0) & (r["completeness"] <= 1)).all()
    assert ((r["rank"] >= 1) & (r["rank"] <= r["rank_of"])).all()
    for _, group in r.groupby("period_id"):
        ordered = group.sort_values("rank")
        assert ordered["total"].is_monotonic_decreasing
        assert (group["rank_of"] == len(group)).all()
    mins = {"S": 90, "A": 80, "B": 70, "C": 60, "D": 0}
    ok = r["vetoed"] | (r["total"] >= r["grade"].map(mins))
    assert ok.all()
    assert (r.loc[r["vetoed"], "grade"] == "D").all() and r["vetoed"].any()
    assert (r.loc[r["grade"] == "S", "bonus"] == 1500).all()


def test_every_score_and_total_is_explained(run) -> None:  # type: ignore[no-untyped-def]
    assert (run.scores["explanation"].str.len() > 5).all()
    assert (run.results["explanation"].str.len() > 5).all()
    assert set(run.results["period_id"]) == {"2026-01", "2026-02", "2026-03", "2026-Q1"}
    assert set(run.warnings["rule"]) >= {"low_score", "missing_data", "veto", "low_grade", "total_drop"}


def test_output_is_sorted_by_period_level_vendor_worker_indicator(run) -> None:  # type: ignore[no-untyped-def]
    order = {"2026-01": 0, "2026-02": 1, "2026-03": 2, "2026-Q1": 3}
    s = run.scores
    key = pd.DataFrame({"p": s["period_id"].map(order), "v": s["vendor_id"], "w": s["worker_id"], "i": s["indicator_id"]})
    assert key.equals(key.sort_values(["p", "v", "w", "i"]).reset_index(drop=True))
