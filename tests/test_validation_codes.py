"""Every finding code, triggered by damaging one thing in a valid book, asserted as exact
(sheet, cell, code) tuples. Each case lists the findings of the codes it expects; codes that follow
from the same damage (a cascade) are checked in the cases written for them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from validation_helpers import BookBuilder

from xlperf.book import CellError

D = dt.datetime
B = BookBuilder
Case = tuple[str, Callable[[B], B], list[tuple[str, str, str]]]

IND, OBS, DIM, RAT = "考核指标", "监控记录", "考核维度", "评分记录"

CASES: list[Case] = [
    # --- structure ---
    ("missing-table", lambda b: b.drop_table("workers"), [("", "", "missing-table")]),
    ("missing-column", lambda b: b.drop_column("workers", "vendor_id"), [("外包人员", "A1", "missing-column")]),
    ("duplicate-column", lambda b: b.add_column("vendors", "Name"), [("供应商", "K1", "duplicate-column")]),
    ("empty-table", lambda b: b.clear_rows("dimensions"), [(DIM, "A1", "empty-table")]),
    ("formula-in-input", lambda b: b.formula("indicators", 0, "weight", "=100-E3", 50),
     [(IND, "E2", "formula-in-input")]),
    ("merged-cells", lambda b: b.merge("workers", "D2:D3"), [("外包人员", "D2", "merged-cells")]),
    # --- cells ---
    ("required-empty", lambda b: b.set("workers", 1, "name", None), [("外包人员", "B3", "required-empty")]),
    ("required-empty/blank-string", lambda b: b.set("workers", 1, "name", "   "), [("外包人员", "B3", "required-empty")]),
    ("not-a-number", lambda b: b.set("dimensions", 0, "weight", "六十"), [(DIM, "C2", "not-a-number")]),
    ("not-a-number/bool", lambda b: b.set("indicators", 0, "target", True), [(IND, "I2", "not-a-number")]),
    ("not-a-date", lambda b: b.set("periods", 0, "start", "下个月"), [("考核期间", "B2", "not-a-date")]),
    ("not-a-date/impossible", lambda b: b.set("vendors", 0, "contract_end", "2026-02-30"),
     [("供应商", "F2", "not-a-date")]),
    ("excel-error", lambda b: b.set("vendors", 0, "base_fee", CellError("#DIV/0!")), [("供应商", "G2", "excel-error")]),
    ("excel-error/observation", lambda b: b.set("observations", 0, "value", CellError("#N/A")),
     [(OBS, "F2", "excel-error")]),
    ("excel-error-in-text", lambda b: b.set("vendors", 0, "contact", CellError("#N/A")),
     [("供应商", "H2", "excel-error-in-text")]),
    ("invalid-choice", lambda b: b.set("dimensions", 0, "level", "公司"), [(DIM, "B2", "invalid-choice")]),
    ("unknown-method", lambda b: b.set("indicators", 0, "method", "曲线"), [(IND, "F2", "unknown-method")]),
    ("out-of-range", lambda b: b.set("dimensions", 0, "weight", 120), [(DIM, "C2", "out-of-range")]),
    ("out-of-range/negative", lambda b: b.set("workers", 0, "base_bonus", -5), [("外包人员", "H2", "out-of-range")]),
    ("negative-count", lambda b: b.set("observations", 6, "value", -1), [(OBS, "F8", "negative-count")]),
    ("veto-not-yes-no", lambda b: b.set("observations", 4, "value", "也许"), [(OBS, "F6", "veto-not-yes-no")]),
    ("veto-not-yes-no/number", lambda b: b.set("observations", 4, "value", 3), [(OBS, "F6", "veto-not-yes-no")]),
    ("implausible-value", lambda b: b.set("observations", 0, "value", 0.97), [(OBS, "F2", "implausible-value")]),
    ("normalised-percent-fraction", lambda b: b.set("grades", 1, "bonus_coef", "120%"),
     [("等级与激励", "D3", "normalised-percent-fraction")]),
    # --- keys and references ---
    ("duplicate-id", lambda b: b.set("workers", 3, "worker_id", "W003"), [("外包人员", "A5", "duplicate-id")]),
    ("duplicate-id/two-column key", lambda b: b.add_row("dimensions", dimension="质量", level="vendor", weight=0),
     [(DIM, "A6", "duplicate-id")]),
    ("unknown-reference/vendor", lambda b: b.set("workers", 0, "vendor_id", "V999"),
     [("外包人员", "C2", "unknown-reference")]),
    ("unknown-reference/worker", lambda b: b.set("observations", 5, "worker_id", "W999"),
     [(OBS, "D7", "unknown-reference")]),
    ("unknown-reference/indicator", lambda b: b.set("ratings", 0, "indicator_id", "X1"),
     [(RAT, "D2", "unknown-reference")]),
    ("unknown-reference/dimension", lambda b: b.set("indicators", 0, "dimension", "安全"),
     [(IND, "C2", "unknown-reference")]),
    ("unknown-reference/band set", lambda b: b.set("indicators", 1, "band_set", "B9"),
     [(IND, "M3", "unknown-reference")]),
    ("unknown-reference/period", lambda b: b.set("observations", 0, "period_id", "2025-12"),
     [(OBS, "B2", "unknown-reference")]),
    ("unknown-reference/effective period", lambda b: b.set("indicators", 7, "effective_to", "2025-13"),
     [(IND, "V9", "unknown-reference")]),
    ("unknown-reference/rater role", lambda b: b.set("ratings", 0, "rater_role", "同事"),
     [(RAT, "E2", "unknown-reference")]),
    ("unknown-reference/rater weight indicator",
     lambda b: b.add_row("rater_weights", indicator_id="Z9", rater_role="主管", weight=100),
     [("评分权重", "A4", "unknown-reference")]),
    ("unknown-reference/current period", lambda b: b.set("settings", 1, "value", "2027-01"),
     [("参数设置", "B3", "unknown-reference")]),
    ("worker-vendor-mismatch", lambda b: b.set("observations", 5, "vendor_id", "V002"),
     [(OBS, "C7", "worker-vendor-mismatch")]),
    ("worker-vendor-mismatch/rating", lambda b: b.set("ratings", 1, "vendor_id", "V002"),
     [(RAT, "B3", "worker-vendor-mismatch")]),
    ("worker-required", lambda b: b.set("observations", 5, "worker_id", None), [(OBS, "D7", "worker-required")]),
    ("worker-not-expected", lambda b: b.set("observations", 0, "worker_id", "W001"),
     [(OBS, "D2", "worker-not-expected")]),
    ("dimension-level-mismatch", lambda b: b.set("indicators", 6, "dimension", "效率"),
     [(IND, "C8", "dimension-level-mismatch")]),
    ("method-level-mismatch", lambda b: b.set("indicators", 5, "level", "worker"),
     [(IND, "D7", "method-level-mismatch")]),
    # --- weights ---
    ("dimension-weights-total", lambda b: b.set("dimensions", 1, "weight", 45), [(DIM, "C2", "dimension-weights-total")]),
    ("indicator-weights-total/one period", lambda b: b.set("indicators", 10, "weight", 62),
     [(IND, "E10", "indicator-weights-total")]),
    ("indicator-weights-total/off by 0.02", lambda b: b.set("indicators", 0, "weight", 50.02),
     [(IND, "E2", "indicator-weights-total")]),
    ("indicator-weights-total/within tolerance", lambda b: b.set("indicators", 0, "weight", 50.01), []),
    ("indicator-weights-total/effective overlap", lambda b: b.set("indicators", 7, "effective_to", None),
     [(IND, "E9", "indicator-weights-total")]),
    ("rater-weights-total", lambda b: b.set("rater_weights", 1, "weight", 30), [("评分权重", "C2", "rater-weights-total")]),
    ("rater-weights-missing", lambda b: b.set("rater_weights", 0, "indicator_id", "V4").set("rater_weights", 1,
                                                                                             "indicator_id", "V4"),
     [(IND, "A10", "rater-weights-missing")]),
    ("quota-total", lambda b: b.set("settings", 4, "value", "forced").set("grades", 0, "quota", 15),
     [("等级与激励", "C2", "quota-total")]),
    ("quota-total/absolute mode ignores quotas", lambda b: b.set("grades", 0, "quota", 15), []),
    ("weight-ignored", lambda b: b.set("indicators", 4, "weight", 10), [(IND, "E6", "weight-ignored")]),
    ("grades-order", lambda b: b.set("grades", 2, "min_score", 85), [("等级与激励", "B4", "grades-order")]),
    # --- method parameters ---
    ("missing-parameter/band_set", lambda b: b.set("indicators", 1, "band_set", None), [(IND, "M3", "missing-parameter")]),
    ("missing-parameter/per_unit", lambda b: b.set("indicators", 7, "per_unit", None), [(IND, "L9", "missing-parameter")]),
    ("missing-parameter/scale", lambda b: b.set("indicators", 3, "scale", None), [(IND, "N5", "missing-parameter")]),
    ("missing-parameter/weight", lambda b: b.set("indicators", 0, "weight", None), [(IND, "E2", "missing-parameter")]),
    ("missing-parameter/linear floor", lambda b: b.set("indicators", 0, "floor", None),
     [(IND, "H2", "missing-parameter")]),
    ("missing-parameter/min_score", lambda b: b.set("grades", 4, "min_score", None),
     [("等级与激励", "B6", "missing-parameter")]),
    ("floor-equals-target", lambda b: b.set("indicators", 0, "floor", 98), [(IND, "I2", "floor-equals-target")]),
    ("direction-order/reversed", lambda b: b.set("indicators", 0, "direction", "lower"), [(IND, "G2", "direction-order")]),
    ("direction-order/stretch", lambda b: b.set("indicators", 0, "stretch", 95), [(IND, "G2", "direction-order")]),
    ("direction-order/blank means higher", lambda b: b.set("indicators", 0, "direction", None), []),
    ("zero-target", lambda b: b.set("indicators", 2, "target", 0), [(IND, "I4", "zero-target")]),
    ("band-inverted", lambda b: b.set("bands", 1, "lower", 6), [("分档标准", "B3", "band-inverted")]),
    ("bands-overlap", lambda b: b.set("bands", 2, "lower", 4), [("分档标准", "B4", "bands-overlap")]),
    ("bands-gap", lambda b: b.set("bands", 2, "lower", 6), [("分档标准", "B4", "bands-gap")]),
    ("rating-out-of-scale", lambda b: b.set("ratings", 1, "rating", 6), [(RAT, "G3", "rating-out-of-scale")]),
    ("rating-out-of-scale/zero", lambda b: b.set("ratings", 0, "rating", 0), [(RAT, "G2", "rating-out-of-scale")]),
    ("rating-out-of-scale/observation",
     lambda b: b.add_row("observations", date=D(2026, 1, 5), period_id="2026-01", vendor_id="V001", indicator_id="V4",
                         value=7), [(OBS, "F12", "rating-out-of-scale")]),
    # --- periods and dates ---
    ("end-before-start/period", lambda b: b.set("periods", 0, "end", D(2025, 12, 31)),
     [("考核期间", "C2", "end-before-start")]),
    ("end-before-start/worker", lambda b: b.set("workers", 0, "end_date", D(2025, 1, 1)),
     [("外包人员", "G2", "end-before-start")]),
    ("end-before-start/effective", lambda b: b.set("indicators", 7, "effective_from", "2026-02")
     .set("indicators", 7, "effective_to", "2026-01"), [(IND, "V9", "end-before-start")]),
    ("periods-overlap", lambda b: b.set("periods", 1, "start", D(2026, 1, 31)), [("考核期间", "A3", "periods-overlap")]),
    ("date-outside-periods", lambda b: b.set("observations", 0, "date", D(2026, 5, 1)),
     [(OBS, "A2", "date-outside-periods")]),
    ("date-outside-periods/no period given", lambda b: b.set("observations", 0, "date", D(2025, 5, 1))
     .set("observations", 0, "period_id", None), [(OBS, "A2", "date-outside-periods")]),
    ("date-period-mismatch", lambda b: b.set("observations", 0, "date", D(2026, 2, 3)),
     [(OBS, "A2", "date-period-mismatch")]),
    ("derived-period", lambda b: b.set("observations", 0, "period_id", None).set("observations", 8, "period_id", None),
     [(OBS, "B2", "derived-period")]),
    ("rollup-cycle", lambda b: b.set("periods", 2, "rollup", "2026-01"), [("考核期间", "D4", "rollup-cycle")]),
    ("rollup-cycle/into itself", lambda b: b.set("periods", 0, "rollup", "2026-01"), [("考核期间", "D2", "rollup-cycle")]),
    ("rollup-cycle/three periods", lambda b: b.add_row("periods", period_id="2026", start=D(2026, 1, 1),
                                                       end=D(2026, 12, 31), rollup="2026-02")
     .set("periods", 2, "rollup", "2026"), [("考核期间", "D5", "rollup-cycle")]),
    ("indicator-not-effective", lambda b: b.set("observations", 8, "indicator_id", "W2"),
     [(OBS, "E10", "indicator-not-effective")]),
    ("indicator-not-effective/rating", lambda b: b.set("indicators", 8, "effective_from", "2026-02"),
     [(RAT, "D3", "indicator-not-effective"), (RAT, "D4", "indicator-not-effective")]),
    # --- SMART goals ---
    ("goal-not-specific", lambda b: b.set("goals", 0, "description", "提升产量"), [("SMART目标", "E2", "goal-not-specific")]),
    ("goal-not-measurable/indicator", lambda b: b.set("goals", 0, "indicator_id", None),
     [("SMART目标", "D2", "goal-not-measurable")]),
    ("goal-not-measurable/target", lambda b: b.set("goals", 0, "target", None),
     [("SMART目标", "G2", "goal-not-measurable")]),
    ("goal-not-achievable/stretch", lambda b: b.set("goals", 0, "target", 130),
     [("SMART目标", "G2", "goal-not-achievable")]),
    ("goal-not-achievable/ratio cap", lambda b: b.set("goals", 0, "worker_id", None).set("goals", 0, "indicator_id", "V3")
     .set("goals", 0, "target", 15), [("SMART目标", "G2", "goal-not-achievable")]),
    ("goal-not-relevant", lambda b: b.set("goals", 0, "objective", None), [("SMART目标", "H2", "goal-not-relevant")]),
    ("goal-no-deadline", lambda b: b.set("goals", 0, "deadline", None), [("SMART目标", "I2", "goal-no-deadline")]),
    ("goal-deadline-before-agreement", lambda b: b.set("goals", 0, "deadline", D(2026, 1, 1)),
     [("SMART目标", "I2", "goal-deadline-before-agreement")]),
    # --- settings ---
    ("unknown-setting", lambda b: b.add_row("settings", key="colour", value="red"), [("参数设置", "A12", "unknown-setting")]),
    ("invalid-setting/choice", lambda b: b.set("settings", 4, "value", "random"), [("参数设置", "B6", "invalid-setting")]),
    ("invalid-setting/number", lambda b: b.set("settings", 3, "value", "零分"), [("参数设置", "B5", "invalid-setting")]),
]


@pytest.mark.parametrize("damage,expected", [pytest.param(d, e, id=i) for i, d, e in CASES])
def test_finding_code(damage: Callable[[B], B], expected: list[tuple[str, str, str]]) -> None:
    inputs, report = damage(BookBuilder()).validate()
    codes = {c for _, _, c in expected}
    if expected:
        assert [t for t in report.flatten() if t[2] in codes] == expected
    else:
        assert report.flatten() == []
    errors = [f for f in report.findings if f.severity == "error"]
    assert (inputs is None) == bool(errors)
    for f in report.findings:  # every finding is complete, whatever the damage
        assert f.message and f.hint and "{" not in f.message and "{" not in f.hint, f


def test_damage_reports_exactly_what_it_should() -> None:
    """Cascades are deliberate: a worker moved to another vendor is one finding, nothing else."""
    b = BookBuilder().set("observations", 5, "vendor_id", "V002")
    assert b.findings() == [(OBS, "C7", "worker-vendor-mismatch")]


def test_many_problems_in_one_pass() -> None:
    b = (BookBuilder().set("dimensions", 0, "weight", "六十").set("workers", 1, "name", None)
         .set("observations", 5, "worker_id", "W999").set("goals", 0, "objective", None))
    assert b.findings() == [
        (DIM, "C2", "not-a-number"),
        ("外包人员", "B3", "required-empty"),
        (OBS, "D7", "unknown-reference"),
        (DIM, "C2", "dimension-weights-total"),
        ("SMART目标", "H2", "goal-not-relevant"),
    ]


def test_values_are_shown_as_excel_shows_them() -> None:
    _, report = (BookBuilder().set("indicators", 0, "target", True).set("vendors", 0, "base_fee", CellError("#DIV/0!"))
                 .set("periods", 0, "start", D(2026, 1, 1, 8, 30)).set("periods", 0, "end", 46022.5).validate())
    values = {f.code: f.value for f in report.findings}
    assert values["not-a-number"] == "TRUE" and values["excel-error"] == "#DIV/0!"
    (serial,) = [f for f in report.findings if f.code == "normalised-serial-date"]
    assert (serial.cell, serial.value, serial.message) == ("C2", "46022.5", "数字 46022.5 按 Excel 日期序号读取为 2025-12-31")


def test_missing_table_is_named_in_the_message() -> None:
    _, report = BookBuilder().drop_table("workers").validate()
    (f,) = report.findings
    assert f.message == "缺少表“外包人员”（表格名称 workers）"
    assert f.table == "workers" and f.severity == "error"


def test_optional_tables_may_be_absent() -> None:
    b = BookBuilder().drop_table("goals").drop_table("settings")
    inputs, report = b.validate()
    assert report.flatten() == []
    assert inputs is not None and list(inputs["goals"].columns)[:2] == ["goal_id", "vendor_id"]
    assert inputs.settings.grade_mode == "absolute"


def test_more_findings_caps_a_column() -> None:
    b = BookBuilder()
    for _ in range(250):
        b.add_row("observations", date=D(2026, 1, 15), period_id="2026-01", vendor_id="V001", indicator_id="V1",
                  value="n/a")
    _, report = b.validate()
    bad = [f for f in report.findings if f.code == "not-a-number"]
    assert len(bad) == 200
    assert bad[0].as_tuple() == (OBS, "F12", "not-a-number") and bad[-1].cell == "F211"
    (more,) = [f for f in report.findings if f.code == "more-findings"]
    assert (more.sheet, more.field, more.value) == (OBS, "value", "50")
    assert more.message == "“数值”列另有 50 个同类问题（not-a-number）未逐一列出"


def test_weight_messages_name_level_and_fractions() -> None:
    _, report = BookBuilder().set("dimensions", 0, "weight", 0.6).set("dimensions", 1, "weight", 0.4).validate()
    (f,) = [f for f in report.findings if f.code == "dimension-weights-total"]
    assert f.message == "供应商级各维度权重合计 1，应为 100"
    assert f.hint.endswith("权重似乎按小数填写（合计为 1）：请按百分点填写，如 40 或 40%，而不是 0.4。")
    _, report = BookBuilder().set("indicators", 10, "weight", 62).validate(lang="en")
    (f,) = [f for f in report.findings if f.code == "indicator-weights-total"]
    assert f.message == "Indicator weights of dimension '质量' (worker) total 102, not 100 (periods 2026-02)"


def test_invalid_setting_names_the_setting() -> None:
    _, report = BookBuilder().set("settings", 4, "value", "random").validate()
    (f,) = report.findings
    assert f.message == "参数“评级方式 (grade_mode)”的取值“random”无效（可选：分数线 / 强制分布）"
    assert f.hint == "改为有效取值，或清空以使用默认值 分数线。"
    _, report = BookBuilder().set("settings", 4, "value", "random").validate(lang="en")
    (f,) = report.findings
    assert f.message == "The setting 'Grading mode (grade_mode)' has the invalid value 'random' (allowed: absolute / forced)"


def test_rollup_cycle_names_the_loop() -> None:
    _, report = BookBuilder().set("periods", 2, "rollup", "2026-01").validate()
    (f,) = report.findings
    assert f.message == "期间 2026-Q1 汇总到 2026-01，形成循环：2026-Q1 → 2026-01 → 2026-Q1"
    assert f.value == "2026-01" and f.severity == "error"


@pytest.mark.parametrize("table,row,key,text,cell", [
    ("grades", 0, "min_score", "九十", ("等级与激励", "B2")),
    ("indicators", 0, "floor", "八十五", (IND, "H2")),
    ("indicators", 3, "scale", "五分制", (IND, "N5")),
    ("goals", 0, "deadline", "下周", ("SMART目标", "I2")),
])
def test_an_unreadable_cell_is_reported_once(table: str, row: int, key: str, text: str,
                                             cell: tuple[str, str]) -> None:
    """Not also missing-parameter (or goal-no-deadline): the cell is not blank, it is unreadable."""
    found = BookBuilder().set(table, row, key, text).findings()
    assert [t for t in found if t[:2] == cell] == [(*cell, "not-a-date" if key == "deadline" else "not-a-number")]


def test_an_excel_error_in_a_parameter_is_reported_once() -> None:
    assert BookBuilder().set("indicators", 0, "floor", CellError("#N/A")).findings() == [(IND, "H2", "excel-error")]


def test_a_bad_scale_is_reported_once_not_on_every_rating() -> None:
    for scale in (0, -5):
        assert BookBuilder().set("indicators", 8, "scale", scale).findings() == [(IND, "N10", "out-of-range")]


@pytest.mark.parametrize("cap", [0, -1])
def test_total_cap_must_be_above_zero(cap: int) -> None:
    inputs, report = BookBuilder().set("settings", 6, "value", cap).validate()
    (f,) = report.findings
    assert f.as_tuple() == ("参数设置", "B8", "invalid-setting") and inputs is None
    assert f.message == f"参数“总分上限 (total_cap)”的取值“{cap}”无效（应大于 0）"


def test_zh_messages_name_choices_in_chinese() -> None:
    _, report = BookBuilder().set("indicators", 0, "direction", "lower").validate()
    (f,) = report.findings
    assert f.message == "方向为 越低越好 时应满足 底线值 > 目标值 > 挑战值，实际为 底线 90、目标 98、挑战 100"
    assert f.hint == "检查方向（越高越好 / 越低越好）和三个值的大小顺序。"
    _, report = BookBuilder().set("indicators", 5, "level", "worker").validate()
    (f,) = [f for f in report.findings if f.code == "method-level-mismatch"]
    assert f.hint == "把层级改为供应商，或换一种计分方法。"
    _, report = BookBuilder().set("dimensions", 0, "level", "公司").validate()
    (f,) = [f for f in report.findings if f.code == "invalid-choice"]
    assert f.message == "“层级”的值“公司”不在可选范围内（可选：供应商 / 人员）"
    _, report = BookBuilder().set("indicators", 0, "direction", "lower").validate(lang="en")
    assert report.findings[0].message.startswith("Direction lower needs floor > target > stretch")


def test_every_chinese_choice_name_can_be_typed() -> None:
    """A name a message shows is one HR can type back: it reads as the value it names, in its own set."""
    from xlperf.contract.tables import INPUT_TABLES, SETTINGS
    from xlperf.validation.codes import choice_name

    sets = [f.choices for t in INPUT_TABLES if t.name != "settings" for f in t.fields if f.choices]
    sets += [s.choices for s in SETTINGS if s.choices]
    for vocab in sets:
        for key in vocab:
            name = choice_name(key, "zh", vocab)
            assert name != key and vocab.parse(name) == key, (key, name)


def test_a_negative_number_in_a_date_cell_is_explained() -> None:
    """The reader gets a negative number in a date-formatted cell as a bare time of day."""
    _, report = BookBuilder().set("periods", 0, "start", dt.time(0, 0)).validate()
    (f,) = report.findings
    assert f.as_tuple() == ("考核期间", "B2", "not-a-date")
    assert f.message == "“开始日期”应为日期，实际为“00:00:00（日期格式单元格中的负数或小于 1 的数字，不是日期）”"
