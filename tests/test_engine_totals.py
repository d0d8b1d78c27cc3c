"""Dimension scores, totals and the missing-data rule, on the worked example of issue 3."""

from __future__ import annotations

import math

import pytest
from engine_helpers import Book

from xlperf.engine import compute, weighted_total


def example(**settings: object) -> Book:
    """质量 (60): Q1 linear 82.5 (w 50), Q2 bands 70 (w 50); 效率 (40): E1 ratio 90 (w 70), E2 rating 76 (w 30)."""
    return (Book(**settings).dimension("质量", 60).dimension("效率", 40)
            .indicator("Q1", "质量", "linear", weight=50, floor=90, target=98, stretch=100, cap=120, name="一次合格率")
            .indicator("Q2", "质量", "bands", weight=50, band_set="B", name="抽检得分")
            .bands("B", (0, 60, 40), (60, 80, 70), (80, None, 100))
            .indicator("E1", "效率", "ratio", weight=70, target=200, name="处理量")
            .indicator("E2", "效率", "rating", weight=30, scale=5, name="满意度")
            .indicator("A1", "质量", "adjust", per_unit=1, cap=10, name="表扬")
            .indicator("V1", "质量", "veto", name="安全事故")
            .obs("Q1", 96.6).obs("Q2", 65).obs("E1", 180)
            .rating("E2", "主管", 4).rating("E2", "用工部门", 3).rating("E2", "用工部门", 4))


def row(results, **where: object):  # type: ignore[no-untyped-def]
    frame = results
    for k, v in where.items():
        frame = frame[frame[k] == v]
    assert len(frame) == 1, frame
    return frame.iloc[0]


def test_worked_example_dimensions_and_total() -> None:
    r = compute(example().inputs())
    res = row(r.results, worker_id="W1")
    assert (res["dim:质量"], res["dim:效率"], res["total"]) == (76.25, 85.8, 80.07)
    assert res["completeness"] == 1.0 and not res["vetoed"]
    assert res["explanation"] == "质量 76.25×60% + 效率 85.8×40% = 80.07"
    scores = r.scores.set_index("indicator_id")
    assert scores.loc[["Q1", "Q2", "E1", "E2"], "score"].tolist() == [82.5, 70, 90, 76]
    assert scores.loc[["Q1", "Q2", "E1", "E2"], "overall_weight"].tolist() == [30, 30, 28, 12]
    assert scores.loc[["Q1", "Q2", "E1", "E2"], "weighted"].sum() == pytest.approx(80.07)
    assert scores.loc["E2", "actual"] == pytest.approx(3.8)


def test_worked_example_with_adjust() -> None:
    r = compute(example().obs("A1", 2).inputs())
    res = row(r.results, worker_id="W1")
    assert res["total"] == 82.07
    assert res["explanation"] == "质量 76.25×60% + 效率 85.8×40% = 80.07；加减分 +2（A1 表扬 +2）；总分 82.07"


def test_rating_without_one_role_reweights_the_roles_present() -> None:
    book = (Book().dimension("效率", 100).indicator("E2", "效率", "rating", scale=5).rating("E2", "主管", 4))
    assert row(compute(book.inputs()).scores, indicator_id="E2")["score"] == 80


def test_indicator_specific_rater_weights_beat_the_star_rows() -> None:
    book = (Book().dimension("效率", 100).indicator("E2", "效率", "rating", scale=5)
            .rater_weight("*", "主管", 60).rater_weight("*", "用工部门", 40).rater_weight("E2", "主管", 50)
            .rater_weight("E2", "用工部门", 50).rating("E2", "主管", 4).rating("E2", "用工部门", 3))
    assert row(compute(book.inputs()).scores, indicator_id="E2")["score"] == 70


def test_veto_sets_total_and_lowest_grade_and_names_indicator() -> None:
    r = compute(example().obs("V1", 1.0).inputs())
    res = row(r.results, worker_id="W1")
    assert res["total"] == 0 and res["vetoed"] and res["grade"] == "D"
    assert res["explanation"].startswith("一票否决：V1 安全事故 → 总分 0")
    assert row(r.warnings, rule="veto")["indicator_id"] == "V1"


def test_veto_score_setting_and_no_is_harmless() -> None:
    r = compute(example(veto_score=30).obs("V1", 0.0).inputs())
    assert row(r.results, worker_id="W1")["total"] == 80.07
    r = compute(example(veto_score=30).obs("V1", 1.0).inputs())
    assert row(r.results, worker_id="W1")["total"] == 30


def drop_q2() -> Book:
    book = example()
    book.rows["observations"] = [o for o in book.rows["observations"] if o["indicator_id"] != "Q2"]
    return book


def test_missing_renormalize() -> None:
    r = compute(drop_q2().inputs())
    res = row(r.results, worker_id="W1")
    # 质量 = Q1 alone = 82.5; total = 0.6·82.5 + 0.4·85.8 = 83.82; completeness = 1 − 0.6·0.5
    assert (res["dim:质量"], res["total"], res["completeness"]) == (82.5, 83.82, 0.7)
    assert "缺少数据：Q2 抽检得分（完整度 70%）" in res["explanation"]
    miss = row(r.warnings, rule="missing_data")
    assert (miss["indicator_id"], miss["severity"]) == ("Q2", "info")
    q2 = row(r.scores, indicator_id="Q2")
    assert math.isnan(q2["score"]) and q2["overall_weight"] == 0
    assert q2["explanation"] == "本期无数据 → 不计入，权重按已有指标重新分配"


def test_missing_zero() -> None:
    res = row(_with_policy("zero").results, worker_id="W1")
    # 质量 = (82.5·50 + 0·50)/100 = 41.25; total = 0.6·41.25 + 0.4·85.8 = 59.07
    assert (res["dim:质量"], res["total"], res["completeness"]) == (41.25, 59.07, 0.7)


def test_missing_exclude() -> None:
    r = _with_policy("exclude")
    res = row(r.results, worker_id="W1")
    assert math.isnan(res["total"]) and res["grade"] == "" and res["completeness"] == 0.7
    assert res["explanation"] == "缺少数据：Q2 抽检得分 → 按规则不计总分"
    assert row(r.warnings, rule="no_total")["severity"] == "error"  # 严重: no total means no grade, no bonus (docs/SCORING.md §9)


def _with_policy(policy: str):  # type: ignore[no-untyped-def]
    book = drop_q2()
    book.settings = book.settings.model_copy(update={"missing_policy": policy})
    return compute(book.inputs())


def test_totals_round_half_up_as_decimals() -> None:
    # one indicator at weight 100 scoring 84.995 exactly in decimal: ratio 100·x/T with x = 84.995, T = 100
    book = Book().dimension("质量", 100).indicator("R", "质量", "ratio", target=100).obs("R", 84.995)
    res = compute(book.inputs())
    assert row(res.scores, indicator_id="R")["score"] == 85.0
    assert row(res.results, worker_id="W1")["total"] == 85.0
    assert weighted_total([84.995], [1]).tolist() == [85.0]


def test_total_capped_at_total_cap() -> None:
    book = (Book(total_cap=105).dimension("质量", 100).indicator("R", "质量", "ratio", target=100, cap=120)
            .indicator("A", "质量", "adjust", per_unit=1, cap=20).obs("R", 110).obs("A", 8))
    res = row(compute(book.inputs()).results, worker_id="W1")
    assert res["total"] == 105
    assert res["explanation"] == "质量 110×100% = 110；加减分 +8（A 指标A +8）；总分 118（限 0–105） → 105"


def test_english_workbook_explains_in_english() -> None:
    r = compute(example(lang="en").obs("A1", 2).inputs())
    assert row(r.scores, indicator_id="Q1")["explanation"] == (
        "actual 96.6 (floor 90, target 98, stretch 100) → linear: 100×(96.6−90)/(98−90) = 82.5 points")
    assert row(r.results, worker_id="W1")["explanation"] == (
        "质量 76.25×60% + 效率 85.8×40% = 80.07; bonus/penalty +2 (A1 表扬 +2); total 82.07")


def test_zero_weights_in_a_dimension_count_equally() -> None:
    book = (Book().dimension("质量", 100).indicator("R1", "质量", "ratio", target=100, weight=0)
            .indicator("R2", "质量", "ratio", target=100, weight=0).obs("R1", 80).obs("R2", 60))
    assert row(compute(book.inputs()).results, worker_id="W1")["total"] == 70
