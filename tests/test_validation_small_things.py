"""Small things found by using xlperf as a new HR user would (issue 11, item 8)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest
from validation_helpers import BookBuilder

from xlperf.cli import main
from xlperf.demo import write_demo_book
from xlperf.engine import compute

D = pd.Timestamp


# ── a source wording outside the list describes the data; it scores nothing ───────────────────────

def test_unknown_source_wording_is_a_warning_and_the_book_still_scores() -> None:
    b = BookBuilder().set("observations", 0, "source", "评价打分").set("observations", 1, "source", "评分")
    inputs, report = b.validate()
    found = sorted((f for f in report.findings if f.table == "observations" and f.field == "source"),
                   key=lambda f: f.cell)
    assert [(f.cell, f.code, f.severity) for f in found] == [("G2", "unknown-source", "warning"),
                                                              ("G3", "normalised-choice", "info")]
    # (the list of choices is worded by the choice vocabulary; only its frame is pinned here)
    assert found[0].message.startswith("“数据来源”的值“评价打分”不在可选范围内（可选：定期报告")
    assert found[0].message.endswith("），按空白处理；数据来源只作说明，不影响得分")
    assert inputs is not None, "a warning does not stop the run"
    obs = inputs["observations"]
    assert obs["source"].iloc[0] is None and obs["source"].iloc[1] == "rating"
    clean = BookBuilder().validate()[0]
    pd.testing.assert_frame_equal(compute(inputs, ["2026-01"]).results, compute(clean, ["2026-01"]).results)


def test_unknown_source_on_the_indicators_sheet_is_a_warning_too() -> None:
    _, report = BookBuilder().set("indicators", 0, "source", "评价打分").validate(lang="en")
    (f,) = [f for f in report.findings if f.field == "source"]
    assert (f.code, f.severity, f.table) == ("unknown-source", "warning", "indicators")
    assert "does not change any score" in f.message


# ── a deleted column that filled rows need: one missing-column finding ────────────────────────────

def test_a_deleted_weight_column_is_one_missing_column_finding() -> None:
    _, report = BookBuilder().drop_column("indicators", "weight").validate()
    about = [f for f in report.findings if f.table == "indicators" and f.field == "weight"]
    assert [(f.sheet, f.cell, f.code, f.severity) for f in about] == [("考核指标", "A1", "missing-column", "error")]
    assert about[0].message == "表“考核指标”缺少必填列“维度内权重”"
    assert not [f for f in report.findings if f.cell.startswith("A") and f.code == "missing-parameter"], \
        "no empty cells reported at column A"


def test_a_deleted_optional_column_nothing_needs_stays_silent() -> None:
    inputs, report = BookBuilder().drop_column("indicators", "tip").validate()
    assert inputs is not None
    assert not [f for f in report.findings if f.field == "tip"]


# ── a roll-up period may leave its dates blank ────────────────────────────────────────────────────

def test_rollup_period_takes_its_dates_from_its_months() -> None:
    blank = BookBuilder().set("periods", 2, "start", None).set("periods", 2, "end", None)
    inputs, report = blank.validate()
    assert inputs is not None, report.flatten()
    found = [(f.cell, f.code, f.message) for f in report.findings if f.table == "periods"]
    assert found == [
        ("B4", "rollup-dates-derived", "汇总期间 2026-Q1 的“开始日期”未填，已取其下属期间的日期 2026-01-01"),
        ("C4", "rollup-dates-derived", "汇总期间 2026-Q1 的“结束日期”未填，已取其下属期间的日期 2026-02-28"),
    ]
    q1 = inputs["periods"].set_index("period_id").loc["2026-Q1"]
    assert (q1["start"], q1["end"]) == (D(2026, 1, 1), D(2026, 2, 28))
    typed = BookBuilder().set("periods", 2, "end", D(2026, 2, 28)).validate()[0]
    assert typed is not None
    got, want = compute(inputs, ["2026-01", "2026-02"]).results, compute(typed, ["2026-01", "2026-02"]).results
    assert "2026-Q1" in set(got["period_id"])
    pd.testing.assert_frame_equal(got, want)


def test_a_leaf_period_still_needs_its_dates() -> None:
    _, report = BookBuilder().set("periods", 0, "start", None).validate()
    assert ("考核期间", "B2", "required-empty") in report.flatten()


# ── feedback for an unknown vendor refuses, like share ────────────────────────────────────────────

@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_demo_book(tmp_path_factory.mktemp("demo") / "demo.xlsm")


def test_feedback_for_an_unknown_vendor_refuses_and_writes_nothing(demo: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    book = Path(shutil.copy(demo, tmp_path / "book.xlsm"))
    before = hashlib.sha256(book.read_bytes()).hexdigest()
    code = main(["feedback", str(book), "--vendor", "V009"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.startswith("没有编号为 V009 的供应商。期间 2026-09 有结果的供应商：V001、V002、V003")
    assert hashlib.sha256(book.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsm"]
    code = main(["share", str(book), "--vendor", "V009", "--out", str(tmp_path / "packs")])
    _, err2 = capsys.readouterr()
    assert code == 2 and err2 == err, "share refuses with the same sentence"
