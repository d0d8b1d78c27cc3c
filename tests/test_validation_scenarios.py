"""Issue 15: scenario simulation (方案模拟), calibration (校准), indicator and rater health.

Worked examples with exact numbers; simulation is checked against an independent recompute of the
book with each scenario typed in by hand; the real result sheets are byte-identical after simulate.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from engine_helpers import Book
from validation_helpers import BookBuilder, _Table, write_xlsx
from xlperf.contract.tables import TABLES_BY_NAME
from xlperf.engine import compute
from xlperf.engine.health import indicator_health, rater_analysis
from xlperf.engine.scenarios import simulate


# ── calibration ──────────────────────────────────────────────────────────────────────────────────

def _ten(**settings: Any) -> Book:
    b = Book(**settings)
    b.dimension("质量", 100).indicator("Q1", "质量", "linear", floor=0, target=100)
    for i, v in enumerate([95, 90, 85, 80, 75, 70, 65, 60, 55, 50]):
        b.worker(f"W{i}", base_bonus=1000).obs("Q1", v, worker=f"W{i}")
    return b


def _calibrate(b: Book, worker: str, grade: str, reason: str = "项目突出贡献", by: str = "张三") -> Book:
    b.rows["calibrations"].append({"period_id": "2026-01", "vendor_id": "V1", "worker_id": worker, "grade": grade,
                                   "reason": reason, "calibrated_by": by})
    return b


def test_calibration_sets_the_grade_incentives_follow_rank_stays_and_the_quota_is_rechecked() -> None:
    res = compute(_calibrate(_ten(grade_mode="forced"), "W9", "S").inputs())
    w9 = res.results.set_index("worker_id").loc["W9"]
    # scored 50 → rank 10 of 10 → D by the quotas (10/20/50/15/5); the meeting made it S
    assert (w9["total"], w9["grade"], w9["rank"], w9["bonus"], w9["action"]) == (50.0, "S", 10, 1500.0, "优先续约")
    assert w9["explanation"] == "质量 50×100% = 50；校准：D → S（理由：项目突出贡献，校准人：张三）"
    (q,) = res.warnings[res.warnings["rule"] == "calibration_quota"].to_dict("records")
    assert (q["worker_id"], q["severity"]) == ("W9", "warning")
    assert q["message"] == "校准后等级 S 有 2 个对象，超过强制分布比例 10% 允许的 1 个（校准理由：项目突出贡献）"
    # the others keep their grades; W8 (55, rank 9) is still C
    assert res.results.set_index("worker_id").loc["W8", "grade"] == "C"


def test_calibration_within_the_quota_gives_no_warning_and_absolute_mode_is_not_rechecked() -> None:
    swap = compute(_calibrate(_calibrate(_ten(grade_mode="forced"), "W0", "A"), "W1", "S", "客户表扬").inputs())
    assert set(swap.warnings["rule"]) & {"calibration_quota"} == set()
    g = swap.results.set_index("worker_id")["grade"]
    assert (g["W0"], g["W1"]) == ("A", "S")
    absolute = compute(_calibrate(_ten(), "W9", "S").inputs())
    assert absolute.results.set_index("worker_id").loc["W9", "grade"] == "S"
    assert "calibration_quota" not in set(absolute.warnings["rule"])


def _with_table(b: BookBuilder, name: str, *rows: dict[str, Any]) -> BookBuilder:
    t = TABLES_BY_NAME[name]
    b.tables[name] = _Table(t.sheet_name(b.lang), [f.label(b.lang) for f in t.fields], list(t.keys),
                            [[r.get(k) for k in t.keys] for r in rows])
    return b


CAL = {"period_id": "2026-01", "vendor_id": "V001", "worker_id": "W001", "grade": "A", "reason": "会议决定",
       "calibrated_by": "王"}


def test_calibration_without_a_reason_or_for_an_unknown_subject_or_grade_is_an_error() -> None:
    b = _with_table(BookBuilder(), "calibrations", {**CAL, "reason": None}, {**CAL, "worker_id": "W999"},
                    {**CAL, "grade": "Z", "worker_id": "W002"}, {**CAL, "worker_id": "W003"})
    found = {(f.cell, f.code, f.severity.value) for f in b.validate()[1].findings if f.table == "calibrations"}
    assert found == {("E2", "required-empty", "error"), ("C3", "unknown-reference", "error"),
                     ("D4", "unknown-reference", "error"), ("B5", "worker-vendor-mismatch", "error")}


def test_a_closed_periods_calibration_cannot_change(tmp_path: Path) -> None:
    from xlperf.errors import ValidationFailed
    from xlperf.io.filebook import FileBook
    from xlperf.io.writer import replace_table_rows
    from xlperf.jobs import run_recompute

    path = tmp_path / "book.xlsx"
    write_xlsx(_with_table(BookBuilder(), "calibrations", CAL), path)
    run_recompute(FileBook(path), all_periods=True)  # applies the calibration: W001 is A in 2026-01
    periods = pd.DataFrame([{"period_id": "2026-01", "start": pd.Timestamp("2026-01-01"), "end": pd.Timestamp("2026-01-31"),
                             "rollup": "2026-Q1", "status": "closed"},
                            {"period_id": "2026-02", "start": pd.Timestamp("2026-02-01"), "end": pd.Timestamp("2026-02-28"),
                             "rollup": "2026-Q1", "status": "open"},
                            {"period_id": "2026-Q1", "start": pd.Timestamp("2026-01-01"), "end": pd.Timestamp("2026-03-31"),
                             "rollup": None, "status": "open"}])
    replace_table_rows(path, "periods", periods)
    run_recompute(FileBook(path), all_periods=True)  # unchanged calibration of the closed period: fine
    replace_table_rows(path, "calibrations", pd.DataFrame([{**CAL, "grade": "S"}]))
    with pytest.raises(ValidationFailed) as exc:
        run_recompute(FileBook(path), all_periods=True)
    (f,) = [f for f in exc.value.report.findings if f.code == "calibration-closed-period"]
    assert (f.sheet, f.cell, f.severity.value) == ("等级校准", "D2", "error")
    assert f.message == "期间 2026-01 已关闭，校准不能再更改（W001：已定为 A，校准表为 S）"


# ── scenarios: validation ────────────────────────────────────────────────────────────────────────

def test_scenario_findings_unknown_key_bad_field_and_weights_not_totalling_100() -> None:
    b = _with_table(BookBuilder(), "scenarios",
                    {"scenario": "甲", "change": "dimension_weight", "key": "不存在", "value": 10},
                    {"scenario": "乙", "change": "indicator_param", "key": "W1", "field": "颜色", "value": 1},
                    {"scenario": "丙", "change": "dimension_weight", "key": "质量", "field": "人员", "value": 70})
    found = {(f.cell, f.code) for f in b.validate()[1].findings if f.table == "scenarios" and f.severity != "info"}
    assert found == {("C2", "scenario-unknown-key"), ("D3", "scenario-bad-field"), ("E4", "scenario-weights-total")}
    (w,) = [f for f in b.validate()[1].findings if f.code == "scenario-weights-total"]
    assert w.severity.value == "warning" and w.message.startswith("方案“丙”调整后 人员级 的权重合计")


# ── scenarios: simulation against an independent recompute ───────────────────────────────────────

def _base() -> Book:
    b = Book()
    b.dimension("质量", 60).dimension("效率", 40)
    b.dimension("服务", 100, level="vendor")
    b.indicator("Q1", "质量", "linear", weight=50, floor=80, target=100)
    b.indicator("Q2", "质量", "rating", weight=50, scale=5)
    b.indicator("E1", "效率", "ratio", target=50)
    b.indicator("VS", "服务", "team", level="vendor")
    for i, (q, e, r1, r2) in enumerate([(95, 40, 4, 5), (90, 50, 3, 3), (85, 55, 5, 2), (99, 30, 2, 4)]):
        w = f"W{i}"
        b.worker(w, vendor="V1" if i < 2 else "V2", base_bonus=1000)
        b.obs("Q1", q, worker=w).obs("E1", e, worker=w).rating("Q2", "主管", r1, worker=w).rating("Q2", "用工部门", r2, worker=w)
    b.vendor("V1", base_fee=10000).vendor("V2", base_fee=20000)
    b.rater_weight("*", "主管", 60).rater_weight("*", "用工部门", 40)
    return b


SCENARIOS: dict[str, tuple[list[tuple[str, str, str | None, float]], Any]] = {
    # change rows, and the same change typed in by hand into a copy of the book
    "dims": ([("dimension_weight", "质量", "worker", 80), ("dimension_weight", "效率", None, 20)],
             lambda b: [r.update(weight={"质量": 80, "效率": 20}[r["dimension"]]) for r in b.rows["dimensions"]
                        if r["level"] == "worker"]),
    "inds": ([("indicator_weight", "Q1", None, 70), ("indicator_weight", "Q2", None, 30)],
             lambda b: [r.update(weight={"Q1": 70, "Q2": 30}[r["indicator_id"]]) for r in b.rows["indicators"]
                        if r["indicator_id"] in ("Q1", "Q2")]),
    "param": ([("indicator_param", "Q1", "目标值", 96), ("indicator_param", "E1", "target", 45)],
              lambda b: [r.update(target={"Q1": 96, "E1": 45}[r["indicator_id"]]) for r in b.rows["indicators"]
                         if r["indicator_id"] in ("Q1", "E1")]),
    "gmin": ([("grade_min", "A", None, 75), ("grade_min", "B", None, 65)],
             lambda b: [r.update(min_score={"A": 75, "B": 65}[r["grade"]]) for r in b.rows["grades"]
                        if r["grade"] in ("A", "B")]),
    "rater": ([("rater_weight", "主管", "*", 20), ("rater_weight", "用工部门", None, 80)],
              lambda b: [r.update(weight={"主管": 20, "用工部门": 80}[r["rater_role"]]) for r in b.rows["rater_weights"]]),
}


def _by_hand(name: str) -> Book:
    b = _base()
    if not b.rows["grades"]:
        from xlperf.contract.tables import DEFAULT_GRADES

        b.grades(*[(g, m, q, c, f, a) for g, m, q, c, f, a, _ in DEFAULT_GRADES])
    SCENARIOS[name][1](b)
    return b


def test_every_kind_of_change_gives_the_numbers_of_a_recompute_of_a_copy_changed_by_hand() -> None:
    b = _base()
    from xlperf.contract.tables import DEFAULT_GRADES

    b.grades(*[(g, m, q, c, f, a) for g, m, q, c, f, a, _ in DEFAULT_GRADES])
    for name, (rows, _) in SCENARIOS.items():
        for change, key, fld, value in rows:
            b.rows["scenarios"].append({"scenario": name, "change": change, "key": key, "field": fld, "value": value})
    inputs = b.inputs()
    sim = simulate(inputs).table
    real = compute(inputs).results
    for name in SCENARIOS:
        mine = sim[sim["scenario"] == name].reset_index(drop=True)
        ref = compute(_by_hand(name).inputs()).results
        assert len(mine) == len(ref) == len(real) == 6  # 2 vendors, 4 workers; 2026-01 only
        for col in ("total", "grade", "rank", "bonus", "fee_adjust"):
            pd.testing.assert_series_equal(mine[f"sim_{col}"], ref[col], check_names=False, check_dtype=False)
            pd.testing.assert_series_equal(mine[col], real[col], check_names=False, check_dtype=False)
        assert (mine["sim_total"] != mine["total"]).any() or name == "gmin", name
    gmin = sim[sim["scenario"] == "gmin"]
    assert (gmin["sim_grade"] != gmin["grade"]).any()


def test_a_worked_simulation_example_and_its_summary() -> None:
    b = _base()
    b.rows["scenarios"] += [{"scenario": "质量优先", "change": "dimension_weight", "key": "质量", "field": "人员", "value": 80},
                            {"scenario": "质量优先", "change": "dimension_weight", "key": "效率", "field": "人员", "value": 20}]
    s = simulate(b.inputs())
    w = s.table[s.table["level"] == "worker"].set_index("worker_id")
    # W0: Q1 75, Q2 rating 0.6×4+0.4×5 = 4.4 → 88, quality (75+88)/2 = 81.5; E1 80 → 0.6×81.5+0.4×80 = 80.9
    # under 80/20: 0.8×81.5 + 0.2×80 = 81.2
    assert (w.loc["W0", "total"], w.loc["W0", "sim_total"], w.loc["W0", "delta_total"]) == (80.9, 81.2, 0.3)
    summary = s.summary(["S", "A", "B", "C", "D"])
    every = summary[(summary["vendor_id"] == "") & (summary["level"] == "worker")].iloc[0]
    assert (every["subjects"], every["up"] + every["down"]) == (4, int((w["grade"] != w["sim_grade"]).sum()))
    assert every["bonus_change"] == round(w["sim_bonus"].sum() - w["bonus"].sum(), 2)


def _sheet_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/") or n.startswith("xl/tables/")}


def test_simulate_writes_its_sheet_and_leaves_the_real_results_byte_identical(tmp_path: Path) -> None:
    from xlperf.cli import main
    from xlperf.io.filebook import FileBook
    from xlperf.io.reader import read_book
    from xlperf.jobs import run_recompute

    path = tmp_path / "book.xlsx"
    write_xlsx(_with_table(BookBuilder(), "scenarios",
                           {"scenario": "质量优先", "change": "维度权重", "key": "质量", "field": "人员", "value": 80},
                           {"scenario": "质量优先", "change": "维度权重", "key": "工作量", "field": "人员", "value": 20}),
               path)
    run_recompute(FileBook(path), all_periods=True)
    raw = read_book(path)
    before = {t: raw.tables[t].data.copy() for t in ("xp_results", "xp_scores", "xp_warnings")}
    with zipfile.ZipFile(path) as z:
        sheets_before = {n: z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/sheet")}
    assert main(["simulate", str(path), "--period", "2026-01"]) == 0
    after = read_book(path)
    for t, frame in before.items():
        pd.testing.assert_frame_equal(after.tables[t].data, frame)
    with zipfile.ZipFile(path) as z:
        kept = {n: z.read(n) for n in sheets_before if n in z.namelist()}
    changed = [n for n in sheets_before if kept.get(n) != sheets_before[n]]
    assert changed == []  # every sheet that was there is byte-identical; 模拟结果 is a new part
    sim = after.tables["xp_simulation"]
    assert sim.sheet == "模拟结果" and sim.header_row > 3  # the summary sits above the table
    assert list(sim.headers[:3]) == ["方案", "期间", "层级"]
    with zipfile.ZipFile(path) as z:
        assert any(n.startswith("xl/charts/chart") for n in z.namelist())


# ── indicator and rater health ───────────────────────────────────────────────────────────────────

def test_indicator_health_flags_with_exact_numbers() -> None:
    b = Book()
    b.dimension("质量", 100)
    b.indicator("CMP", "质量", "linear", weight=25, floor=0, target=100)  # everyone full marks
    b.indicator("A", "质量", "linear", weight=25, floor=0, target=100)
    b.indicator("B", "质量", "linear", weight=25, floor=0, target=100)  # B = A / 2: redundant with A
    b.indicator("Z", "质量", "linear", weight=25, floor=50, target=100)  # mostly zero; some missing
    data = {"W1": (100, 90, 45, None), "W2": (100, 60, 30, 0), "W3": (100, 30, 15, 0), "W4": (100, 80, 40, 0),
            "W5": (100, 50, 25, 75)}
    for w, values in data.items():
        for iid, v in zip(("CMP", "A", "B", "Z"), values):
            if v is not None:
                b.obs(iid, v, worker=w)
    inputs = b.inputs()
    r = compute(inputs)
    h = indicator_health(r.scores, r.results, inputs.tables["indicators"], "zh").set_index("indicator_id")
    assert h.loc["CMP", "flags"] == "ceiling no_spread"
    assert (h.loc["CMP", "n"], h.loc["CMP", "full_share"], h.loc["CMP", "std"]) == (5, 1.0, 0.0)
    assert h.loc["CMP", "advice"].startswith("指标 CMP 在 100% 的对象上得满分，区分度不足，建议提高标准")
    assert h.loc["A", "flags"] == "redundant" and h.loc["B", "flags"] == "redundant"
    assert h.loc["A", "std"] == round(float(np.std([90, 60, 30, 80, 50])), 4) == 21.3542
    assert (h.loc["Z", "zero_share"], h.loc["Z", "missing_share"]) == (0.75, 0.2)
    assert h.loc["Z", "flags"] == "high_missing"  # 3 of 4 at zero is 75 %: below the 80 % floor line
    assert "20% 的对象没有数据" in h.loc["Z", "advice"]


def test_rater_flags_with_exact_numbers() -> None:
    rows = []
    for w, (lenient, fair1, fair2, flat) in {"W1": (5, 4, 4, 3), "W2": (5, 3, 3, 3), "W3": (4, 3, 2, 3)}.items():
        for rater, v in (("宽", lenient), ("甲", fair1), ("乙", fair2), ("平", flat)):
            rows.append({"period_id": "2026-01", "vendor_id": "V1", "worker_id": w, "indicator_id": "Q2",
                         "rater_role": "主管", "rater": rater, "rating": float(v)})
    a = rater_analysis(pd.DataFrame(rows), "zh").set_index("rater")
    # 宽: mean 14/3 = 4.6667; the others on the same items: W1 (4+4+3)/3, W2 9/3, W3 (3+2+3)/3 → 3.1111
    assert (a.loc["宽", "n"], a.loc["宽", "mean"], a.loc["宽", "others_mean"], a.loc["宽", "diff"]) == \
        (3, 4.6667, 3.1111, 1.5556)
    assert a.loc["宽", "flags"] == "lenient"
    assert a.loc["宽", "advice"] == "评分人 宽 平均比其他评分人高 1.56 分，偏宽松，建议校准评分尺度"
    assert a.loc["平", "flags"] == "flat" and a.loc["甲", "flags"] == "" and a.loc["乙", "flags"] == ""
    # 乙 rates 4, 3, 2 (mean 3); the others on those items: 12/3, 11/3, 10/3 → 3.6667
    assert (a.loc["乙", "others_mean"], a.loc["乙", "diff"]) == (3.6667, -0.6667)


def test_analyze_writes_the_health_sheets_and_exports_the_tables(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    from xlperf.cli import main

    path = tmp_path / "book.xlsx"
    write_xlsx(BookBuilder(), path)
    assert main(["analyze", str(path)]) == 0
    capsys.readouterr()
    assert main(["export", str(path), "indicator_health"]) == 0
    head = capsys.readouterr().out.splitlines()[0]
    assert head == "period_id,indicator_id,n,full_share,zero_share,missing_share,std,corr_total,flags"
    assert main(["export", str(path), "rater_analysis"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "period_id,rater,rater_role,n,mean,others_mean,diff,flags"


# ── the two doors: ribbon actions and the live engine ────────────────────────────────────────────

def test_the_ribbon_actions_run_the_same_jobs(tmp_path: Path) -> None:
    from xlperf.io.filebook import FileBook
    from xlperf.io.reader import read_book
    from xlperf.macros import run_action

    path = tmp_path / "book.xlsx"
    write_xlsx(_with_table(BookBuilder(), "scenarios",
                           {"scenario": "甲", "change": "grade_min", "key": "A", "value": 70}), path)
    sim = run_action("simulate", FileBook(path), log_dir=tmp_path / "logs")
    assert sim.ok and sim.title == "方案模拟" and sim.message.startswith("已模拟 1 个方案（期间 2026-01）")
    health = run_action("analyze", FileBook(path), log_dir=tmp_path / "logs")
    assert health.ok and health.title == "指标体系评估"
    raw = read_book(path)
    assert {"xp_simulation", "xp_indicator_health", "xp_rater_analysis", "xp_vendor_trends"} <= set(raw.tables)
    assert raw.tables["xp_rater_analysis"].sheet == "评分人分析"


def test_the_live_engine_writes_the_summary_above_the_table() -> None:
    from live_fakes import FakeBook

    from xlperf.book import OutputBlock
    from xlperf.contract import outputs
    from xlperf.live.xwbook import XwBook

    book = FakeBook()
    frame = pd.DataFrame([{"vendor_id": "V1", "vendor_name": "甲", "periods": 3, "first_total": 80.0,
                           "last_total": 86.0, "slope": 3.0, "volatility": 2.4495, "trend": "上升"}])
    XwBook(book).write([OutputBlock(outputs.vendor_trends, frame, "zh", above=[["供应商趋势"], ["说明一行"]])])  # type: ignore[arg-type]
    sheet = book.sheet("供应商趋势")
    assert (sheet.cells[(1, 1)], sheet.cells[(2, 1)]) == ("供应商趋势", "说明一行")
    assert (sheet.cells[(4, 1)], sheet.cells[(5, 1)], sheet.cells[(5, 6)]) == ("供应商编号", "V1", 3.0)
