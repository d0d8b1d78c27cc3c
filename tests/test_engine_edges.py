"""Aggregations and the edges: empty books, subjects with only bonus points, vendor rows naming workers."""

from __future__ import annotations

import math

import pytest
from engine_helpers import Book

from xlperf.engine import compute
from xlperf.engine.results import Results


def one_indicator(aggregation: str) -> Book:
    return (Book().dimension("量", 100).indicator("N", "量", "ratio", target=10, cap=200, aggregation=aggregation)
            .obs("N", 4, date="2026-01-20").obs("N", 9, date="2026-01-05").obs("N", 5, date="2026-01-20"))


@pytest.mark.parametrize(("aggregation", "actual"), [("sum", 18), ("mean", 6), ("last", 5), ("max", 9), ("min", 4),
                                                     ("count", 3)])
def test_aggregations(aggregation: str, actual: float) -> None:
    scores = compute(one_indicator(aggregation).inputs()).scores
    assert scores["actual"].tolist() == [actual]
    assert scores["score"].tolist() == [actual * 10]


def test_empty_book_gives_empty_frames_with_the_contract_columns() -> None:
    r = compute(Book().inputs())
    assert isinstance(r, Results) and r.periods == []
    assert r.results.empty and r.scores.empty and r.warnings.empty and r.goals.empty
    assert list(r.scores.columns)[:5] == ["period_id", "level", "vendor_id", "worker_id", "indicator_id"]
    assert "rule" in r.warnings.columns


def test_indicators_without_data_score_nothing() -> None:
    book = Book().dimension("量", 100).indicator("N", "量", "ratio", target=10).period("2026-01")
    assert compute(book.inputs()).results.empty


def test_subject_with_only_bonus_points_has_no_total() -> None:
    book = (Book().dimension("量", 100).indicator("N", "量", "ratio", target=10)
            .indicator("A", "量", "adjust", per_unit=1).obs("A", 3))
    res = compute(book.inputs())
    row = res.results.iloc[0]
    assert math.isnan(row["total"]) and row["grade"] == "" and row["completeness"] == 0
    assert row["explanation"] == "本期无可计分数据 → 无总分"
    assert res.warnings["rule"].tolist() == ["missing_data"]


def test_vendor_level_indicator_combines_records_that_name_workers() -> None:
    book = (Book().dimension("服务", 100, level="vendor")
            .indicator("S", "服务", "deduction", level="vendor", per_unit=10, aggregation="sum")
            .obs("S", 1, worker="W1", vendor="V1").obs("S", 2, worker="W2", vendor="V1"))
    res = compute(book.inputs())
    assert res.scores[["level", "vendor_id", "worker_id", "actual", "score"]].values.tolist() == [
        ["vendor", "V1", "", 3.0, 70.0]]


def test_worker_rows_are_filed_under_the_workers_vendor() -> None:
    book = (Book().dimension("量", 100).indicator("N", "量", "ratio", target=10).worker("W1", "V2")
            .obs("N", 5, worker="W1", vendor="V1"))
    assert compute(book.inputs()).results["vendor_id"].tolist() == ["V2"]


def test_english_names_and_rollup_text() -> None:
    book = Book(lang="en").dimension("Q", 100).indicator("N", "Q", "ratio", target=10)
    book.quarters = True
    book.obs("N", 5, period="2026-01").obs("N", 7, period="2026-02")
    res = compute(book.inputs()).results
    assert res["explanation"].tolist() == ["Q 50×100% = 50", "Q 70×100% = 70",
                                           "2026-Q1: mean of 2026-01 50, 2026-02 70 = 60"]
