"""Tolerant parsing: each normalisation of what HR types, its info finding (sheet, cell, code), its
message, and the clean value the engine receives."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest
from validation_helpers import BookBuilder

D = dt.datetime
DIM, OBS, IND = "考核维度", "监控记录", "考核指标"


def typed(b: BookBuilder, table: str, row: int, key: str) -> Any:
    inputs, report = b.validate()
    assert inputs is not None, report.flatten()
    frame = inputs[table]
    return frame.loc[frame["_row"] == row + 2, key].iloc[0]


@pytest.mark.parametrize("typed_in,code,value", [
    ("60%", "normalised-percent", 60.0),
    ("60 %", "normalised-percent", 60.0),
    ("６０", "normalised-fullwidth", 60.0),
    ("６０％", "normalised-percent", 60.0),
    (" 60 ", "normalised-spaces", 60.0),
    ("60", "normalised-text-number", 60.0),
    ("60.00", "normalised-text-number", 60.0),
])
def test_number_normalisations(typed_in: str, code: str, value: float) -> None:
    b = BookBuilder().set("dimensions", 0, "weight", typed_in)
    assert b.findings() == [(DIM, "C2", code)]
    assert typed(b, "dimensions", 0, "weight") == value


def test_thousands_separators() -> None:
    b = BookBuilder().set("vendors", 0, "base_fee", "100,000").set("vendors", 1, "base_fee", "８０，０００.５")
    assert b.findings() == [("供应商", "G2", "normalised-thousands"), ("供应商", "G3", "normalised-thousands")]
    assert typed(b, "vendors", 0, "base_fee") == 100000.0
    assert typed(b, "vendors", 1, "base_fee") == 80000.5


def test_number_message_says_what_was_read() -> None:
    _, report = BookBuilder().set("dimensions", 0, "weight", "60%").validate()
    (f,) = report.findings
    assert (f.severity, f.field, f.value) == ("info", "weight", "60%")
    assert f.message == "“60%”按百分数读取为 60"
    _, report = BookBuilder().set("dimensions", 0, "weight", "60%").validate(lang="en")
    assert report.findings[0].message == "'60%' was read as the percentage 60"


def test_numbers_that_are_not_numbers() -> None:
    b = (BookBuilder().set("vendors", 0, "base_fee", "1,00,000").set("vendors", 1, "base_fee", "inf")
         .set("workers", 0, "base_bonus", "-"))
    assert b.findings() == [("供应商", "G2", "not-a-number"), ("供应商", "G3", "not-a-number"),
                            ("外包人员", "H2", "not-a-number")]


@pytest.mark.parametrize("text", ["是", "Y", "yes", "TRUE", "√", "１"])
def test_yes_values(text: str) -> None:
    b = BookBuilder().set("observations", 4, "value", text)
    assert b.findings() == [(OBS, "F6", "normalised-yes-no")]
    assert typed(b, "observations", 4, "value") == 1.0


@pytest.mark.parametrize("text", ["否", "N", "no", "FALSE", "×", " 否 "])
def test_no_values(text: str) -> None:
    b = BookBuilder().set("observations", 4, "value", text)
    assert b.findings() == [(OBS, "F6", "normalised-yes-no")]
    assert typed(b, "observations", 4, "value") == 0.0


def test_excel_booleans_and_1_0_need_no_note() -> None:
    b = BookBuilder().set("observations", 4, "value", True).add_row(
        "observations", date=D(2026, 1, 24), period_id="2026-01", vendor_id="V002", indicator_id="V5", value=1)
    assert b.findings() == []
    assert typed(b, "observations", 4, "value") == 1.0
    assert typed(b, "observations", 10, "value") == 1.0


def test_yes_no_message() -> None:
    _, report = BookBuilder().set("observations", 4, "value", "否").validate()
    assert report.findings[0].message == "“否”读取为 否 (0)"


def test_excel_serial_date() -> None:
    serial = (D(2026, 1, 1) - D(1899, 12, 30)).days  # 46023
    b = BookBuilder().set("periods", 0, "start", serial)
    assert b.findings() == [("考核期间", "B2", "normalised-serial-date")]
    assert typed(b, "periods", 0, "start") == pd.Timestamp("2026-01-01")
    _, report = b.validate()
    assert report.findings[0].message == "数字 46023 按 Excel 日期序号读取为 2026-01-01"


@pytest.mark.parametrize("text", ["2026-01-15", "2026/1/15", "2026.1.15", "2026年1月15日", "2026 年 1 月 15 日",
                                  "15/01/2026", "15.01.2026", "01/15/2026", "20260115", "２０２６-０１-１５",
                                  "2026-01-15 08:30"])
def test_dates_typed_as_text(text: str) -> None:
    b = BookBuilder().set("observations", 0, "date", text)
    assert b.findings() == [(OBS, "A2", "normalised-text-date")]
    assert typed(b, "observations", 0, "date") == pd.Timestamp("2026-01-15")


def test_ambiguous_day_month_reads_day_first() -> None:
    b = BookBuilder().set("observations", 0, "date", "03/01/2026")  # 3 January, as written outside the US
    assert typed(b, "observations", 0, "date") == pd.Timestamp("2026-01-03")


def test_datetime_with_time_is_a_date() -> None:
    b = BookBuilder().set("observations", 0, "date", D(2026, 1, 15, 17, 45))
    assert b.findings() == []
    assert typed(b, "observations", 0, "date") == pd.Timestamp("2026-01-15")


@pytest.mark.parametrize("row,key,text,value", [
    (0, "method", "Linear", "linear"), (0, "aggregation", "平均", "mean"), (0, "method", " LINEAR ", "linear"),
    (6, "level", "外包人员", "worker"), (0, "method", "线性计分", "linear"), (0, "source", "评分", "rating"),
])
def test_choices(row: int, key: str, text: str, value: str) -> None:
    """Spellings no dropdown offers are read, and each use is noted."""
    b = BookBuilder().set("indicators", row, key, text)
    assert b.findings() == [(IND, b.cell("indicators", row, key), "normalised-choice")]
    assert typed(b, "indicators", row, key) == value


@pytest.mark.parametrize("row,key,text,value", [
    (0, "method", "线性", "linear"), (0, "level", "供应商", "vendor"), (0, "direction", "越高越好", "higher"),
    (3, "method", "评分", "rating"), (0, "source", "评价", "rating"), (0, "aggregation", "平均值", "mean"),
    (6, "level", "人员", "worker"), (2, "direction", "越低越好", "lower"), (0, "method", "linear", "linear"),
])
def test_dropdown_words_raise_no_note(row: int, key: str, text: str, value: str) -> None:
    """What a zh workbook's dropdown offers (its Chinese word) or the key is read without a note."""
    b = BookBuilder().set("indicators", row, key, text)
    assert b.findings() == []
    assert typed(b, "indicators", row, key) == value


def test_chinese_words_in_an_english_book_are_noted() -> None:
    b = BookBuilder().set("settings", 9, "value", "en").set("indicators", 0, "method", "线性")
    assert b.findings() == [(IND, b.cell("indicators", 0, "method"), "normalised-choice")]
    assert typed(b, "indicators", 0, "method") == "linear"


def test_ids_with_spaces_and_full_width() -> None:
    b = BookBuilder().set("workers", 0, "vendor_id", " V001").set("workers", 1, "vendor_id", "Ｖ００１")
    assert sorted(b.findings()) == [("外包人员", "C2", "normalised-spaces"), ("外包人员", "C3", "normalised-fullwidth")]
    assert typed(b, "workers", 1, "vendor_id") == "V001"


def test_numeric_ids_match_text_ids() -> None:
    """An id typed as a number in one sheet and as text in another is the same id."""
    b = BookBuilder().set("vendors", 1, "vendor_id", 1002.0)
    for row in (2, 3):
        b.set("workers", row, "vendor_id", "1002")
    for row in (1, 7, 8):
        b.set("observations", row, "vendor_id", 1002)
    assert b.findings() == []


def test_period_that_excel_turned_into_a_date() -> None:
    b = BookBuilder().set("observations", 0, "period_id", D(2026, 1, 1))
    assert b.findings() == [(OBS, "B2", "normalised-period")]
    assert typed(b, "observations", 0, "period_id") == "2026-01"


def test_derived_period_fills_the_period() -> None:
    b = BookBuilder().set("observations", 0, "period_id", None).set("observations", 8, "period_id", None)
    _, report = b.validate()
    (f,) = report.findings
    assert (f.code, f.severity, f.value) == ("derived-period", "info", "2")
    assert typed(b, "observations", 0, "period_id") == "2026-01"
    assert typed(b, "observations", 8, "period_id") == "2026-02"


def test_blank_rows_are_ignored() -> None:
    b = BookBuilder()
    for _ in range(3):
        b.add_row("observations")
    b.add_row("observations", note="   ")
    inputs, report = b.validate()
    assert report.flatten() == [] and inputs is not None and len(inputs["observations"]) == 10


def test_headers_by_any_label_in_any_order_with_own_columns() -> None:
    b = (BookBuilder().move_column("indicators", "method", 0).rename_header("indicators", "weight", "Weight in dimension")
         .rename_header("indicators", "indicator_id", "indicator_id").rename_header("workers", "name", "姓名 *")
         .rename_header("vendors", "vendor_id", "供应商 编号").add_column("workers", "我的备注", ["x", "y"])
         .rename_sheet("workers", "人员名单"))
    inputs, report = b.validate()
    assert report.flatten() == []
    assert inputs is not None
    assert inputs["indicators"].loc[0, "method"] == "linear" and inputs["indicators"].loc[0, "weight"] == 50.0
    assert "我的备注" not in inputs["workers"].columns


def test_settings_by_label_and_typed_values() -> None:
    b = (BookBuilder().set("settings", 4, "key", "评级方式").set("settings", 4, "value", "强制分布")
         .set("settings", 6, "value", "120"))
    inputs, report = b.validate()
    assert report.flatten() == [("参数设置", "B8", "normalised-text-number")]  # 强制分布 is the dropdown's word
    assert inputs is not None
    assert inputs.settings.grade_mode == "forced" and inputs.settings.total_cap == 120.0
    b = BookBuilder().set("settings", 4, "value", "强制").set("settings", 2, "key", "Missing data policy") \
        .set("settings", 2, "value", "不计总分").set("settings", 0, "key", "单位名称")
    inputs, report = b.validate()
    assert report.flatten() == [("参数设置", "B6", "normalised-choice")]
    assert inputs is not None
    assert (inputs.settings.grade_mode, inputs.settings.missing_policy, inputs.settings.org_name) == \
        ("forced", "exclude", "示例单位")


def test_inputs_types() -> None:
    inputs, report = BookBuilder().validate()
    assert report.flatten() == [] and inputs is not None
    obs = inputs["observations"]
    assert str(obs["date"].dtype) == "datetime64[ns]" and str(obs["value"].dtype) == "float64"
    assert obs["worker_id"].iloc[0] is None and obs["_row"].tolist() == list(range(2, 12))
    ind = inputs["indicators"]
    assert ind.set_index("indicator_id").loc["V1", "floor"] == 90.0
    assert set(inputs.tables) == {"dimensions", "indicators", "bands", "vendors", "workers", "periods", "observations",
                                  "ratings", "rater_weights", "grades", "goals", "scenarios", "calibrations",
                                  "sources", "appeals", "improvement_plans"}  # sources: issue 16; appeals, plans: 14


def test_true_and_1_in_one_column_stay_apart() -> None:
    """TRUE == 1 when hashed: factorising a column must not merge them."""
    b = BookBuilder().set("indicators", 0, "target", True).set("indicators", 2, "target", 1.0)
    _, report = b.validate()
    assert [t for t in report.flatten() if t[2] == "not-a-number"] == [(IND, "I2", "not-a-number")]
    b = BookBuilder().set("observations", 4, "value", True).set("observations", 3, "value", 1)
    inputs, report = b.validate()
    assert report.flatten() == [] and inputs is not None
    assert inputs["observations"]["value"].tolist()[3:5] == [1.0, 1.0]
