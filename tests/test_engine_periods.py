"""Several periods at once: roll-up, effective dates, forced distribution, warnings and goals."""

from __future__ import annotations

import pandas as pd
from engine_helpers import Book

from xlperf.engine import compute


def quarter() -> Book:
    """Workers W1, W2, W3 over 2026-01..03 rolling up to 2026-Q1, graded by forced distribution.

    Q (质量 60): linear 60 → 0, 100 → 100, all quarter.  X (效率 40): deduction 10/unit, January only.
    E (效率 40): ratio on target 100, from February.  V: veto.
    """
    book = (Book(grade_mode="forced").dimension("质量", 60).dimension("效率", 40)
            .indicator("Q", "质量", "linear", floor=60, target=100, name="质量分")
            .indicator("X", "效率", "deduction", per_unit=10, effective_to="2026-01", name="差错")
            .indicator("E", "效率", "ratio", target=100, effective_from="2026-02", name="产量",
                       tip="每日复盘产量")
            .indicator("V", "质量", "veto", name="安全事故"))
    book.quarters = True
    for month, w1, w2 in (("2026-01", 100, 80), ("2026-02", 90, 80), ("2026-03", 75, 60)):
        book.obs("Q", w1, worker="W1", period=month).obs("Q", w2, worker="W2", period=month)
    book.obs("X", 1, worker="W1", period="2026-01").obs("X", 0, worker="W2", period="2026-01")
    book.obs("Q", 100, worker="W3", period="2026-01").obs("X", 0, worker="W3", period="2026-01")
    book.obs("E", 100, worker="W1", period="2026-02").obs("E", 50, worker="W2", period="2026-02")
    book.obs("E", 100, worker="W1", period="2026-03").obs("E", 40, worker="W2", period="2026-03")
    book.obs("V", 1.0, worker="W2", period="2026-03")
    book.goal("G1", "Q", worker="W1", baseline=70, target=100, agreed_on="2026-01-01", deadline="2026-04-15")
    book.goal("G2", "E", worker="W2", baseline=50, target=60, agreed_on="2026-01-01", deadline="2026-03-15")
    book.goal("G3", "Q", worker="W3", baseline=50, target=90, agreed_on="2026-01-01", deadline="2026-12-31")
    return book


def table(frame: pd.DataFrame, *cols: str) -> list[tuple[object, ...]]:
    return [tuple(r) for r in frame[list(cols)].itertuples(index=False)]


def test_totals_per_period_and_the_rollup() -> None:
    r = compute(quarter().inputs())
    assert r.periods == ["2026-01", "2026-02", "2026-03", "2026-Q1"]
    assert table(r.results, "period_id", "worker_id", "total", "rank", "rank_of", "grade", "vetoed") == [
        ("2026-01", "W1", 96.0, 2, 3, "B", False),
        ("2026-01", "W2", 70.0, 3, 3, "D", False),
        ("2026-01", "W3", 100.0, 1, 3, "B", False),
        ("2026-02", "W1", 85.0, 1, 2, "B", False),
        ("2026-02", "W2", 50.0, 2, 2, "D", False),
        ("2026-03", "W1", 62.5, 1, 2, "B", False),
        ("2026-03", "W2", 0.0, 2, 2, "D", True),
        ("2026-Q1", "W1", 81.17, 2, 3, "B", False),
        ("2026-Q1", "W2", 40.0, 3, 3, "D", True),
        ("2026-Q1", "W3", 100.0, 1, 3, "B", False),
    ]
    q1 = r.results[(r.results["period_id"] == "2026-Q1") & (r.results["worker_id"] == "W1")].iloc[0]
    assert q1["explanation"] == "2026-Q1：2026-01 96、2026-02 85、2026-03 62.5 的平均 = 81.17"
    assert q1["dim:质量"] == round((100 + 75 + 37.5) / 3, 2)


def test_each_period_scores_the_indicators_effective_then() -> None:
    s = compute(quarter().inputs()).scores
    w1 = s[(s["worker_id"] == "W1")]
    assert table(w1, "period_id", "indicator_id", "score") == [
        ("2026-01", "Q", 100.0), ("2026-01", "X", 90.0),
        ("2026-02", "E", 100.0), ("2026-02", "Q", 75.0),
        ("2026-03", "E", 100.0), ("2026-03", "Q", 37.5),
    ]


def test_warnings_over_the_quarter() -> None:
    w = compute(quarter().inputs()).warnings
    got = table(w, "period_id", "worker_id", "indicator_id", "rule", "severity")
    assert got == [
        ("2026-01", "W2", "", "low_grade", "warning"),
        ("2026-01", "W2", "Q", "low_score", "warning"),
        ("2026-02", "W1", "", "total_drop", "warning"),
        ("2026-02", "W2", "", "total_drop", "warning"),
        ("2026-02", "W2", "", "low_grade", "warning"),
        ("2026-02", "W2", "", "lowest_grade_repeat", "error"),
        ("2026-02", "W2", "E", "low_score", "warning"),
        ("2026-02", "W2", "Q", "low_score", "warning"),
        ("2026-03", "W1", "", "total_drop", "warning"),
        ("2026-03", "W1", "", "decline_twice", "warning"),
        ("2026-03", "W1", "Q", "low_score", "warning"),
        ("2026-03", "W1", "Q", "goal_lagging", "warning"),
        ("2026-03", "W2", "", "total_drop", "warning"),
        ("2026-03", "W2", "", "decline_twice", "warning"),
        ("2026-03", "W2", "", "low_grade", "warning"),
        ("2026-03", "W2", "", "lowest_grade_repeat", "error"),
        ("2026-03", "W2", "E", "low_score", "warning"),
        ("2026-03", "W2", "E", "goal_overdue", "error"),
        ("2026-03", "W2", "Q", "low_score", "warning"),
        ("2026-03", "W2", "V", "veto", "error"),
        ("2026-Q1", "W2", "", "low_grade", "warning"),
    ]
    msg = dict(zip(zip(w["period_id"], w["worker_id"], w["rule"]), w["message"]))
    assert msg[("2026-02", "W1", "total_drop")] == "总分 85 较上期 96 下降 11 分"
    assert msg[("2026-03", "W1", "decline_twice")] == "总分连续两期下降：96 → 85 → 62.5"
    assert msg[("2026-03", "W2", "lowest_grade_repeat")] == "连续两期最低等级 D，建议：整改"
    assert msg[("2026-03", "W1", "goal_lagging")] == "目标 G1「目标G1」将于 2026-04-15 到期，进度 17% 落后于应有的 86%"
    assert msg[("2026-03", "W2", "veto")] == "触发一票否决：V 安全事故，总分记为 0"
    low = w[(w["period_id"] == "2026-02") & (w["indicator_id"] == "E")].iloc[0]
    assert low["message"] == "E 产量 得分 50 低于预警线 60；建议：每日复盘产量"


def test_goal_progress() -> None:
    g = compute(quarter().inputs()).goals
    assert table(g, "goal_id", "current", "current_period", "status") == [
        ("G1", 75.0, "2026-03", "lagging"), ("G2", 40.0, "2026-03", "overdue"), ("G3", 100.0, "2026-01", "achieved")]
    assert g["progress"].round(4).tolist() == [round(5 / 30, 4), 0.0, 1.0]
    assert g["expected"].round(4).tolist()[0] == round(89 / 104, 4)


def test_asking_for_one_month_returns_it_and_its_rollup() -> None:
    inputs = quarter().inputs()
    full = compute(inputs)
    one = compute(inputs, ["2026-03"])
    assert one.periods == ["2026-03", "2026-Q1"]
    assert set(one.results["period_id"]) == {"2026-03", "2026-Q1"}
    expected = full.results[full.results["period_id"].isin(["2026-03", "2026-Q1"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(one.results, expected)
    # the previous months still feed "fell against the previous period"
    assert "total_drop" in set(one.warnings["rule"])


def test_compute_is_deterministic() -> None:
    inputs = quarter().inputs()
    a, b = compute(inputs), compute(inputs)
    for name in ("results", "scores", "warnings", "goals"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
