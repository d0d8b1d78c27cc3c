"""Explanations a vendor can check by hand, in the workbook's language, and the public API around them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from xlperf.engine import explain_values, weighted_total

BANDS = [(0.0, 60.0, 40.0), (60.0, 80.0, 70.0), (80.0, None, 100.0)]


@pytest.mark.parametrize(("value", "zh", "en"), [
    (96.5, "实际 96.5（底线 90，目标 98，挑战 100）→ 线性：100×(96.5−90)/(98−90) = 81.25 分",
     "actual 96.5 (floor 90, target 98, stretch 100) → linear: 100×(96.5−90)/(98−90) = 81.25 points"),
    (99, "实际 99（底线 90，目标 98，挑战 100）→ 线性：100+(120−100)×(99−98)/(100−98) = 110 分",
     "actual 99 (floor 90, target 98, stretch 100) → linear: 100+(120−100)×(99−98)/(100−98) = 110 points"),
    (101, "实际 101（底线 90，目标 98，挑战 100）→ 线性：达到挑战值 → 120 分",
     "actual 101 (floor 90, target 98, stretch 100) → linear: stretch reached → 120 points"),
    (85, "实际 85（底线 90，目标 98，挑战 100）→ 线性：未达底线 → 0 分",
     "actual 85 (floor 90, target 98, stretch 100) → linear: below the floor → 0 points"),
])
def test_linear_explanations(value: float, zh: str, en: str) -> None:
    kw = {"floor": 90, "target": 98, "stretch": 100, "cap": 120}
    assert explain_values([value], "linear", lang="zh", **kw).tolist() == [zh]
    assert explain_values([value], "linear", lang="en", **kw).tolist() == [en]


def test_linear_lower_is_better() -> None:
    got = explain_values([30, 20], "linear", direction="lower", floor=48, target=24).tolist()
    assert got == ["实际 30（越低越好，底线 48，目标 24）→ 线性：100×(48−30)/(48−24) = 75 分",
                   "实际 20（越低越好，底线 48，目标 24）→ 线性：达到目标 → 100 分"]


def test_other_methods() -> None:
    assert explain_values([180], "ratio", target=200).tolist() == ["实际 180（目标 200）→ 比率：100×180/200 = 90 分"]
    assert explain_values([260], "ratio", target=200, cap=120).tolist() == [
        "实际 260（目标 200）→ 比率：100×260/200 = 130，封顶 → 120 分"]
    assert explain_values([59.99, 80], "bands", bands=BANDS).tolist() == [
        "实际 59.99 → 分档：[0, 60) → 40 分", "实际 80 → 分档：[80, +∞) → 100 分"]
    assert explain_values([-5], "bands", bands=BANDS).tolist() == ["实际 -5 → 分档：不在任何分档 → 0 分"]
    assert explain_values([3.8], "rating", scale=5).tolist() == ["评分 3.8 → 5 分制：100×3.8/5 = 76 分"]
    assert explain_values([3, 25], "deduction", per_unit=5).tolist() == [
        "实际 3 → 扣分：100−5×3 = 85 分", "实际 25 → 扣分：100−5×25 = -25 → 0 分"]
    assert explain_values([2], "adjust", per_unit=1).tolist() == ["实际 2 → 加减分：1×2 = +2 分"]
    assert explain_values([1.0, 0.0], "veto", veto_score=0).tolist() == ["一票否决：已触发 → 总分记为 0 分",
                                                                         "一票否决：未触发"]
    assert explain_values([np.nan], "ratio", target=1, missing_policy="zero").tolist() == ["本期无数据 → 记 0 分"]


def test_rating_explanation_names_the_roles_in_compute() -> None:
    from engine_helpers import Book

    from xlperf.engine import compute

    book = (Book().dimension("效率", 100).indicator("E2", "效率", "rating", scale=5)
            .rating("E2", "主管", 4).rating("E2", "用工部门", 3).rating("E2", "用工部门", 4))
    text = compute(book.inputs()).scores["explanation"].tolist()
    assert text == ["评分 3.8（主管 4×60%，用工部门 3.5×40%）→ 5 分制：100×3.8/5 = 76 分"]


def test_weighted_total_api() -> None:
    assert weighted_total([[82.5, 70], [90, 76]], [50, 50]).tolist() == [76.25, 83.0]
    assert weighted_total([76.25, 85.8], [60, 40]).tolist() == [80.07]
    assert weighted_total([76.25, 85.8], [60, 40], adjust=2).tolist() == [82.07]
    assert weighted_total([80, np.nan], [50, 50]).tolist() == [80]
    assert weighted_total([80, np.nan], [50, 50], missing_policy="zero").tolist() == [40]
    assert np.isnan(weighted_total([80, np.nan], [50, 50], missing_policy="exclude")[0])
    assert weighted_total([130], [1], total_cap=120).tolist() == [120]


def test_explanations_are_vectorised_over_many_indicators() -> None:
    values = np.linspace(80, 110, 7)
    floor = np.array([90, 90, 90, 90, 60, 60, 60], dtype=float)
    got = explain_values(values, "linear", floor=floor, target=100)
    assert len(got) == 7 and all(isinstance(t, str) for t in got)
    assert got[0].startswith("实际 80（底线 90，目标 100）→ 线性：未达底线")
    assert pd.Series(got).str.contains("→ 线性：").all()
