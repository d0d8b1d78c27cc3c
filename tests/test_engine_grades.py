"""Ranks, grades (absolute and forced), distribution scope, veto and incentives."""

from __future__ import annotations

import pandas as pd
from engine_helpers import Book

from xlperf.engine import bonus_for, compute, grade_for

GRADES = pd.DataFrame({"grade": list("SABCD"), "min_score": [90, 80, 70, 60, 0], "quota": [10, 20, 50, 15, 5],
                       "bonus_coef": [1.5, 1.2, 1.0, 0.8, 0.0], "fee_adjust": [5, 2, 0, -3, -10],
                       "action": ["优先续约", "续约", "续约", "观察", "整改"]})
TOTALS = [95, 91, 91, 88, 85, 80, 78, 70, 65, 50]


def test_forced_distribution_worked_example() -> None:
    assert grade_for(TOTALS, GRADES, "forced").tolist() == list("SAABBBBBCD")


def test_absolute_grades() -> None:
    assert grade_for([90, 89.99, 80, 70, 60, 59.99, 0], GRADES).tolist() == list("SAABCDD")


def test_vetoed_gets_lowest_grade_whatever_its_total() -> None:
    assert "".join(grade_for(TOTALS, GRADES, "forced", vetoed=[True] + [False] * 9)) == "DAABBBBBCD"
    assert grade_for([95, 50], GRADES, vetoed=[True, False]).tolist() == ["D", "D"]


def test_bonus_and_fee() -> None:
    assert bonus_for(["S", "C", "X"], 1000, GRADES).tolist()[:2] == [1500, 800]
    assert bonus_for(["A", "D"], [200000, 200000], GRADES, "fee").tolist() == [4000, -20000]


def scored_workers(totals: list[float], *, vendors: list[str] | None = None, **settings: object) -> Book:
    """One ratio indicator with target 100, so each worker's total is its value."""
    book = Book(**settings).dimension("质量", 100).indicator("R", "质量", "ratio", target=100, cap=120)
    book.grades(*[tuple(r) for r in GRADES.itertuples(index=False)])
    for i, t in enumerate(totals):
        vendor = vendors[i] if vendors else "V1"
        book.worker(f"W{i:02d}", vendor, base_bonus=1000).obs("R", t, worker=f"W{i:02d}")
    return book


def test_ranks_share_the_better_rank_and_forced_grades_in_compute() -> None:
    r = compute(scored_workers(TOTALS, grade_mode="forced").inputs()).results
    assert r["rank"].tolist() == [1, 2, 2, 4, 5, 6, 7, 8, 9, 10]
    assert set(r["rank_of"]) == {10}
    assert "".join(r["grade"]) == "SAABBBBBCD"
    assert r["bonus"].tolist() == [1500, 1200, 1200, 1000, 1000, 1000, 1000, 1000, 800, 0]
    assert r["action"].tolist()[-1] == "整改"


def test_distribution_scope_vendor_ranks_within_each_vendor() -> None:
    vendors = ["V1", "V2"] * 5
    book = scored_workers(TOTALS, vendors=vendors, grade_mode="forced", distribution_scope="vendor")
    r = compute(book.inputs()).results
    v1 = r[r["vendor_id"] == "V1"]
    # V1 holds 95, 91, 85, 78, 65: ranks 1..5 of 5 → S (0.2 > 0.1 → A for rank 1? 1/5 = 0.2 > 10%) …
    assert v1["rank"].tolist() == [1, 2, 3, 4, 5] and set(v1["rank_of"]) == {5}
    # cumulative quotas 10/30/80/95/100 against k/5 = 0.2, 0.4, 0.6, 0.8, 1.0
    assert v1["grade"].tolist() == ["A", "B", "B", "B", "D"]
    r_all = compute(scored_workers(TOTALS, vendors=vendors, grade_mode="forced").inputs()).results
    assert set(r_all["rank_of"]) == {10}


def test_vendors_are_ranked_among_vendors_and_get_fee_adjustments() -> None:
    book = (Book().dimension("服务", 100, level="vendor")
            .indicator("S1", "服务", "ratio", level="vendor", target=100, cap=120)
            .vendor("V1", base_fee=100000).vendor("V2", base_fee=50000)
            .obs("S1", 95, vendor="V1", worker=None).obs("S1", 75, vendor="V2", worker=None))
    r = compute(book.inputs()).results
    assert r[["vendor_id", "worker_id", "level", "total", "grade", "rank", "rank_of"]].values.tolist() == [
        ["V1", "", "vendor", 95.0, "S", 1, 2], ["V2", "", "vendor", 75.0, "B", 2, 2]]
    assert r["fee_adjust"].tolist() == [5000, 0]
    assert r["bonus"].isna().all()


def test_team_indicator_is_the_mean_of_worker_totals() -> None:
    book = (Book().dimension("质量", 100).indicator("R", "质量", "ratio", target=100)
            .dimension("团队", 100, level="vendor").indicator("T", "团队", "team", level="vendor")
            .obs("R", 80, worker="W1").obs("R", 91, worker="W2"))
    r = compute(book.inputs())
    vendor = r.results[r.results["level"] == "vendor"].iloc[0]
    assert vendor["total"] == 85.5
    team = r.scores[r.scores["indicator_id"] == "T"].iloc[0]
    assert team["explanation"] == "团队：2 名人员总分平均 85.5 → 85.5 分"
