"""The bad-input corpus: damaged copies of one small valid workbook, each run through the real
command line (``xlperf validate --json`` and ``xlperf recompute``) on the real file.

Every case asserts: the exit code; the findings it must produce as (sheet, cell, code) — the cell is
the one the case broke, found by table, row and field, so a finding on the wrong cell fails; that
every message is Chinese (the book's language) and every cell-level finding names its sheet and cell;
and that the file is byte-for-byte unchanged after validate and after recompute (which fails on a book
with errors, and writes only to ``--out`` otherwise).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from corpus_helpers import (
    Damager,
    chinese_message,
    damage,
    is_english,
    no_traceback,
    pad_styled_rows,
    put_raw_cell,
    run_cli,
    sha,
    shared_valid_book,
    table_part,
)

from xlperf.book import col_letter
from xlperf.validation import CODES

Expect = tuple[str, str | None, str]  # (sheet, cell or None for "any cell", code)
OBS, VEN, WRK, IND, DIM, BND, RAT, RW, GOA, SET, PER, GRD = (
    "observations", "vendors", "workers", "indicators", "dimensions", "bands", "ratings", "rater_weights",
    "goals", "settings", "periods", "grades")


@pytest.fixture()
def valid_book() -> Path:
    return shared_valid_book()


@dataclass
class Case:
    id: str
    edit: Callable[[Damager], list[Expect]]
    exit: int
    after: Callable[[Path, Any], list[Expect]] | None = None  # XML-level damage after the openpyxl save
    absent: tuple[str, ...] = ()  # codes that must not appear
    only: bool = False  # the expected findings are all the errors and warnings there are
    lang: str = "zh"


def at(where: tuple[str, str], code: str) -> Expect:
    return (where[0], where[1], code)


def obs_row(d: Damager, **match: Any) -> int:
    return d.find_row(OBS, **match)


# ── the cases ─────────────────────────────────────────────────────────────────────────────────────

def _text_in_number(d: Damager) -> list[Expect]:
    return [at(d.set(OBS, 0, "value", "九十五"), "not-a-number")]


def _text_na(d: Damager) -> list[Expect]:
    # "#N/A" typed as text (not an error value) is still not a number
    return [at(d.set_text(OBS, 1, "value", "N/A"), "not-a-number")]


def _error_na(d: Damager) -> list[Expect]:
    return [at(d.set_error(OBS, 0, "value", "#N/A"), "excel-error")]


def _error_div0(d: Damager) -> list[Expect]:
    return [at(d.set_error(VEN, 2, "base_fee", "#DIV/0!"), "excel-error")]


def _error_in_text(d: Damager) -> list[Expect]:
    return [at(d.set_error(OBS, 3, "note", "#REF!"), "excel-error-in-text")]


def _error_in_id(d: Damager) -> list[Expect]:
    return [at(d.set_error(WRK, 1, "vendor_id", "#N/A"), "excel-error")]


def _blank_required_name(d: Damager) -> list[Expect]:
    return [at(d.set(VEN, 3, "name", None), "required-empty")]


def _blank_required_indicator(d: Damager) -> list[Expect]:
    return [at(d.set(OBS, 5, "indicator_id", None), "required-empty")]


def _blank_required_date(d: Damager) -> list[Expect]:
    return [at(d.set(OBS, 6, "date", None), "required-empty")]


def _duplicate_vendor(d: Damager) -> list[Expect]:
    return [at(d.set(VEN, 1, "vendor_id", "V001"), "duplicate-id")]


def _duplicate_worker(d: Damager) -> list[Expect]:
    # W0002 → W0001 (both of V001)
    return [at(d.set(WRK, 1, "worker_id", "W0001"), "duplicate-id")]


def _dangling_worker_vendor(d: Damager) -> list[Expect]:
    return [at(d.set(WRK, 11, "vendor_id", "V999"), "unknown-reference")]


def _dangling_indicator(d: Damager) -> list[Expect]:
    return [at(d.set(OBS, 0, "indicator_id", "X99"), "unknown-reference")]


def _dangling_period(d: Damager) -> list[Expect]:
    return [at(d.set(OBS, 0, "period_id", "2026-13"), "unknown-reference")]


def _dangling_band_set(d: Damager) -> list[Expect]:
    i = d.find_row(IND, indicator_id="W03")
    return [at(d.set(IND, i, "band_set", "NOPE"), "unknown-reference")]


def _dangling_rater_role(d: Damager) -> list[Expect]:
    return [at(d.set(RAT, 0, "rater_role", "路人"), "unknown-reference")]


def _dimension_weights_off(d: Damager) -> list[Expect]:
    d.set(DIM, 0, "weight", 15.02)  # vendor level: 100.02
    return [(d.table(DIM)[0].title, None, "dimension-weights-total")]


def _indicator_weights_off(d: Damager) -> list[Expect]:
    i = d.find_row(IND, indicator_id="W03")
    d.set(IND, i, "weight", 59.98)  # 质量/worker: 99.98
    return [(d.table(IND)[0].title, None, "indicator-weights-total")]


def _weights_within_tolerance(d: Damager) -> list[Expect]:
    d.set(DIM, 5, "weight", 25.005)  # worker level: 100.005, inside ±0.01
    return []


def _rater_weights_off(d: Damager) -> list[Expect]:
    d.set(RW, 2, "weight", 50.02)  # W05: 100.02
    return [(d.table(RW)[0].title, None, "rater-weights-total")]


def _renamed_sheet(d: Damager) -> list[Expect]:
    d.rename_sheet(OBS, "7月监控数据")
    d.rename_sheet(VEN, "Vendors list")
    return []


def _reordered_sheets(d: Damager) -> list[Expect]:
    d.move_sheet_first(OBS)
    d.move_sheet_first(GOA)
    return []


def _deleted_required_column(d: Damager) -> list[Expect]:
    sheet = d.table(OBS)[0].title
    d.delete_column(OBS, "value")
    return [(sheet, None, "missing-column")]


def _deleted_optional_column(d: Damager) -> list[Expect]:
    d.delete_column(OBS, "note")
    d.delete_column(VEN, "email")
    return []


def _reordered_columns(d: Damager) -> list[Expect]:
    d.swap_columns(OBS, "vendor_id", "worker_id")
    d.swap_columns(IND, "weight", "method")
    return []


def _merged_over_required(d: Damager) -> list[Expect]:
    rng = d.merge(OBS, 0, "vendor_id", 1, "vendor_id")  # C2:C3, C3 loses its value
    sheet = d.table(OBS)[0].title
    return [(sheet, None, "merged-cells"), at(d.addr(OBS, 1, "vendor_id"), "required-empty")] if rng else []


def _merged_over_text(d: Damager) -> list[Expect]:
    d.merge(OBS, 2, "recorder", 2, "note")
    return [(d.table(OBS)[0].title, None, "merged-cells")]


def _title_rows_above_table(d: Damager) -> list[Expect]:
    d.insert_rows_above(OBS, [["2026 年第三季度监控记录"], ["制表：人力资源部"]])
    return []


def _title_rows_no_list_object(d: Damager) -> list[Expect]:
    d.insert_rows_above(VEN, [["供应商名单（2026）"]])
    sheet = d.unlist(VEN)
    return [(sheet, "A2", "reader.no-list-object")]


def _formula_cached(d: Damager) -> list[Expect]:
    return [at(d.addr(OBS, 0, "value"), "formula-in-input")]


def _formula_cached_after(path: Path, where: Any) -> list[Expect]:
    sheet, ref = where[0][0], where[0][1]
    put_raw_cell(path, sheet, ref, f'<c r="{ref}"><f>ROUND(98.44,1)</f><v>98.4</v></c>')
    return []


def _formula_uncalculated(d: Damager) -> list[Expect]:
    # openpyxl writes formulas without a cached value, like a generator that never ran Excel
    where = d.set(OBS, 0, "value", "=SUM(F3:F4)")
    return [at(where, "reader.formula-without-value"), at(where, "required-empty")]


def _date_text_slash(d: Damager) -> list[Expect]:
    return [at(d.set_text(OBS, 0, "date", "2026/7/15"), "normalised-text-date")]


def _date_text_chinese(d: Damager) -> list[Expect]:
    return [at(d.set_text(OBS, 0, "date", "2026年7月15日"), "normalised-text-date")]


def _date_text_day_first(d: Damager) -> list[Expect]:
    return [at(d.set_text(OBS, 0, "date", "15/07/2026"), "normalised-text-date")]


def _date_text_words(d: Damager) -> list[Expect]:
    return [at(d.set_text(OBS, 0, "date", "七月中旬"), "not-a-date")]


def _date_serial(d: Damager) -> list[Expect]:
    ws, _ = d.table(OBS)
    where = d.set(OBS, 0, "date", 46218)  # 2026-07-15
    ws[where[1]].number_format = "General"
    return [at(where, "normalised-serial-date")]


def _styled_rows_below(d: Damager) -> list[Expect]:
    return []


def _table_last_row(path: Path, table: str) -> int:
    import re
    import zipfile

    with zipfile.ZipFile(path) as zf:
        xml = zf.read(table_part(path, table)).decode("utf-8")
    m = re.search(r'\bref="[A-Z]+\d+:[A-Z]+(\d+)"', xml)
    assert m
    return int(m.group(1))


def _styled_rows_below_after(path: Path, _: Any) -> list[Expect]:
    pad_styled_rows(path, "监控记录", first_row=_table_last_row(path, OBS) + 100, n=100_000)
    return []


def _styled_rows_in_table_after(path: Path, _: Any) -> list[Expect]:
    # the ListObject dragged down over 100 000 formatted, empty rows
    first = _table_last_row(path, OBS) + 1
    pad_styled_rows(path, "监控记录", first_row=first, n=100_000, table_part=table_part(path, OBS),
                    table_ref=f"A1:I{first + 100_000 - 1}")
    return []


def _spill_error(d: Damager) -> list[Expect]:
    return [at(d.addr(OBS, 0, "value"), "excel-error"), at(d.addr(OBS, 1, "recorder"), "excel-error-in-text")]


def _spill_error_after(path: Path, expected: Any) -> list[Expect]:
    # Excel 365's newer error values, which a dynamic-array formula leaves in a cell
    for (sheet, ref, _), code in zip(expected, ("#SPILL!", "#CALC!")):
        put_raw_cell(path, sheet, ref, f'<c r="{ref}" t="e"><f>SORT(A2:A3)</f><v>{code}</v></c>')
    return []


def _protected_sheet(d: Damager) -> list[Expect]:
    d.protect(OBS, "s3cret")
    d.protect(IND, "s3cret")
    return []


def _hidden_sheet(d: Damager) -> list[Expect]:
    return [(d.hide(BND), None, "reader.hidden-sheet")]


def _fullwidth(d: Damager) -> list[Expect]:
    return [at(d.set_text(OBS, 0, "value", "９８．４"), "normalised-fullwidth")]


def _percent(d: Damager) -> list[Expect]:
    return [at(d.set_text(OBS, 0, "value", "98.4%"), "normalised-percent")]


def _thousands(d: Damager) -> list[Expect]:
    return [at(d.set_text(VEN, 0, "base_fee", "1,500,000"), "normalised-thousands")]


def _spaces(d: Damager) -> list[Expect]:
    return [at(d.set(OBS, 0, "vendor_id", " V001 "), "normalised-spaces")]


def _text_number(d: Damager) -> list[Expect]:
    return [at(d.set_text(OBS, 0, "value", "98.4"), "normalised-text-number")]


def _veto_yes_no(d: Damager) -> list[Expect]:
    i = obs_row(d, indicator_id="W04", value=0)
    j = d.find_row(OBS, indicator_id="W04", value=1)
    d.set(OBS, i, "indicator_id", "W08")
    d.set(OBS, j, "indicator_id", "W08")
    return [at(d.set(OBS, i, "value", "否"), "normalised-yes-no"), at(d.set(OBS, j, "value", "是"), "normalised-yes-no")]


def _veto_not_yes_no(d: Damager) -> list[Expect]:
    i = obs_row(d, indicator_id="W04", value=0)
    d.set(OBS, i, "indicator_id", "W08")
    return [at(d.set(OBS, i, "value", "可能"), "veto-not-yes-no")]


def _unknown_method(d: Damager) -> list[Expect]:
    return [at(d.set(IND, 0, "method", "curve"), "unknown-method")]


def _method_alias(d: Damager) -> list[Expect]:
    # 线性 is what the zh dropdown offers (no note); 线性计分 is another accepted spelling, noted
    return [at(d.set(IND, 0, "method", "线性计分"), "normalised-choice")]


def _bands_gap(d: Damager) -> list[Expect]:
    d.set(BND, 2, "lower", 93)  # PASS: 85–92 then 93–97
    return [(d.table(BND)[0].title, None, "bands-gap")]


def _bands_overlap(d: Damager) -> list[Expect]:
    d.set(BND, 2, "lower", 90)  # PASS: 85–92 then 90–97
    return [(d.table(BND)[0].title, None, "bands-overlap")]


def _rating_above_scale(d: Damager) -> list[Expect]:
    return [at(d.set(RAT, 0, "rating", 7), "rating-out-of-scale")]


def _rating_zero(d: Damager) -> list[Expect]:
    return [at(d.set(RAT, 3, "rating", 0), "rating-out-of-scale")]


def _goal_not_specific(d: Damager) -> list[Expect]:
    return [at(d.set(GOA, 0, "description", "提升"), "goal-not-specific")]


def _goal_no_indicator(d: Damager) -> list[Expect]:
    d.set(GOA, 1, "indicator_id", None)
    return [(d.table(GOA)[0].title, None, "goal-not-measurable")]


def _goal_text_target(d: Damager) -> list[Expect]:
    d.set(GOA, 1, "target", None)
    return [(d.table(GOA)[0].title, None, "goal-not-measurable")]


def _goal_not_achievable(d: Damager) -> list[Expect]:
    # V02 is linear, stretch 99: a target of 105 is beyond what it can score
    return [at(d.set(GOA, 2, "target", 105), "goal-not-achievable")]


def _goal_not_relevant(d: Damager) -> list[Expect]:
    d.set(GOA, 3, "objective", None)
    return [(d.table(GOA)[0].title, None, "goal-not-relevant")]


def _goal_no_deadline(d: Damager) -> list[Expect]:
    d.set(GOA, 4, "deadline", None)
    return [(d.table(GOA)[0].title, None, "goal-no-deadline")]


def _goal_deadline_before_agreement(d: Damager) -> list[Expect]:
    return [at(d.set(GOA, 5, "deadline", dt.datetime(2026, 6, 1)), "goal-deadline-before-agreement")]


def _date_outside_periods(d: Damager) -> list[Expect]:
    i = obs_row(d, period_id=None)
    return [at(d.set(OBS, i, "date", dt.datetime(2025, 1, 15)), "date-outside-periods")]


def _date_period_mismatch(d: Damager) -> list[Expect]:
    return [at(d.set(OBS, 0, "date", dt.datetime(2026, 8, 15)), "date-period-mismatch")]


def _worker_under_other_vendor(d: Damager) -> list[Expect]:
    i = obs_row(d, worker_id="W0053")
    return [at(d.set(OBS, i, "vendor_id", "V001"), "worker-vendor-mismatch")]


def _rating_worker_other_vendor(d: Damager) -> list[Expect]:
    return [at(d.set(RAT, 0, "vendor_id", "V002"), "worker-vendor-mismatch")]


def _worker_required(d: Damager) -> list[Expect]:
    i = obs_row(d, indicator_id="W03")
    d.set(OBS, i, "worker_id", None)
    return [(d.table(OBS)[0].title, None, "worker-required")]


def _missing_settings(d: Damager) -> list[Expect]:
    d.remove_sheet(SET)
    return []


def _missing_observations(d: Damager) -> list[Expect]:
    d.remove_sheet(OBS)
    return [("", None, "missing-table")]


def _empty_dimensions(d: Damager) -> list[Expect]:
    for i in range(d.rows(DIM)):
        for key in ("dimension", "level", "weight", "description"):
            d.set(DIM, i, key, None)
    return [(d.table(DIM)[0].title, None, "empty-table")]


def _negative_count(d: Damager) -> list[Expect]:
    i = obs_row(d, indicator_id="W04")
    return [at(d.set(OBS, i, "value", -1), "negative-count")]


def _floor_equals_target(d: Damager) -> list[Expect]:
    i = d.find_row(IND, indicator_id="V02")
    d.set(IND, i, "floor", 95)
    return [(d.table(IND)[0].title, None, "floor-equals-target")]


def _direction_order(d: Damager) -> list[Expect]:
    i = d.find_row(IND, indicator_id="W01")
    d.set(IND, i, "direction", "lower")
    return [(d.table(IND)[0].title, None, "direction-order")]


def _missing_per_unit(d: Damager) -> list[Expect]:
    i = d.find_row(IND, indicator_id="W04")
    d.set(IND, i, "per_unit", None)
    return [(d.table(IND)[0].title, None, "missing-parameter")]


def _missing_band_set(d: Damager) -> list[Expect]:
    i = d.find_row(IND, indicator_id="V05")
    d.set(IND, i, "band_set", None)
    return [(d.table(IND)[0].title, None, "missing-parameter")]


def _invalid_setting(d: Damager) -> list[Expect]:
    i = d.find_row(SET, key="missing_policy")
    return [at(d.set(SET, i, "value", "sometimes"), "invalid-setting")]


def _unknown_setting(d: Damager) -> list[Expect]:
    i = d.find_row(SET, key="org_name")
    return [at(d.set(SET, i, "key", "org_nmae"), "unknown-setting")]


def _quota_total(d: Damager) -> list[Expect]:
    i = d.find_row(SET, key="grade_mode")
    d.set(SET, i, "value", "forced")
    d.set(GRD, 2, "quota", 48)  # 98
    return [(d.table(GRD)[0].title, None, "quota-total")]


def _rows_below_table(d: Damager) -> list[Expect]:
    ws, _ = d.table(VEN)
    _, _, _, r2 = d.bounds(VEN)
    ws.cell(r2 + 1, 1).value = "V007"
    ws.cell(r2 + 1, 2).value = "新供应商"
    return [(ws.title, f"A{r2 + 1}", "reader.rows-below-table")]


def _english_book(d: Damager) -> list[Expect]:
    i = d.find_row(SET, key="lang")
    d.set(SET, i, "value", "en")
    return [at(d.set(OBS, 0, "value", "ninety"), "not-a-number")]


def _absurd_numbers(d: Damager) -> list[Expect]:
    # valid numbers, absurdly large: they must be scored (capped), not crash the rounding
    d.set(OBS, 0, "value", 1e300)
    d.set(VEN, 0, "base_fee", 1e20)
    return []


def _bool_in_number(d: Damager) -> list[Expect]:
    # one TRUE typed in the value column: that cell is not a number — and every other cell holding
    # the number 1 is still the number 1 (True == 1 must not merge them when values are deduplicated)
    return [at(d.set(OBS, 0, "value", True), "not-a-number")]


def _false_in_number(d: Damager) -> list[Expect]:
    return [at(d.set(OBS, 3, "value", False), "not-a-number")]


def _spaces_only_required(d: Damager) -> list[Expect]:
    return [at(d.set(VEN, 2, "name", "   "), "required-empty")]


def _numeric_ids(d: Damager) -> list[Expect]:
    # vendor ids typed as numbers (1001 …) in every table: still the same ids
    for table in (VEN, WRK, OBS, RAT, GOA):
        for i in range(d.rows(table)):
            v = d.get(table, i, "vendor_id")
            if isinstance(v, str) and v.startswith("V"):
                d.set(table, i, "vendor_id", 1000 + int(v[1:]))
    return []


def _period_as_date(d: Damager) -> list[Expect]:
    # Excel turns a typed 2026-07 into the date 2026-07-01
    return [at(d.set(OBS, 0, "period_id", dt.datetime(2026, 7, 1)), "normalised-period")]


def _english_headers(d: Damager) -> list[Expect]:
    from xlperf.contract import TABLES_BY_NAME

    ws, t = d.table(VEN)
    c1, r1, c2, _ = d.bounds(VEN)
    labels = {f.zh: f.en for f in TABLES_BY_NAME[VEN].fields}
    for c in range(c1, c2 + 1):
        ws.cell(r1, c).value = labels.get(ws.cell(r1, c).value, ws.cell(r1, c).value)
    for tc in t.tableColumns:
        tc.name = labels.get(tc.name, tc.name)
    return []


def _duplicate_column(d: Damager) -> list[Expect]:
    ws, t = d.table(OBS)
    _, r1, c2, _ = d.bounds(OBS)
    ws.cell(r1, c2).value = "数值"  # the last column renamed to 数值: two value columns
    t.tableColumns[-1].name = "数值"
    return [(ws.title, f"{col_letter(c2 - 1)}{r1}", "duplicate-column")]


def _rollup_cycle(d: Damager) -> list[Expect]:
    # the quarter said to roll up into one of its own months: a cycle, which nothing can compute
    i = d.find_row(PER, period_id="2026-Q3")
    return [at(d.set(PER, i, "rollup", "2026-07"), "*")]


def _grade_min_text(d: Damager) -> list[Expect]:
    # one unreadable cell is one finding (docs/VALIDATION.md: later checks read typed frames only)
    return [at(d.set(GRD, 0, "min_score", "九十"), "not-a-number")]


def _many_bad_cells(d: Damager) -> list[Expect]:
    # one systematic mistake in a whole column: every cell reported, each at its own cell
    return [at(d.set(OBS, i, "value", "待补"), "not-a-number") for i in range(d.rows(OBS))]


CASES: list[Case] = [
    Case("text-in-number", _text_in_number, 1),
    Case("text-NA-in-number", _text_na, 1),
    Case("error-NA-in-number", _error_na, 1),
    Case("error-DIV0-in-number", _error_div0, 1),
    Case("error-in-text-column", _error_in_text, 0),
    Case("error-in-id", _error_in_id, 1),
    Case("blank-required-name", _blank_required_name, 1, only=True),
    Case("blank-required-indicator", _blank_required_indicator, 1),
    Case("blank-required-date", _blank_required_date, 1),
    Case("duplicate-vendor-id", _duplicate_vendor, 1),
    Case("duplicate-worker-id", _duplicate_worker, 1),
    Case("dangling-worker-vendor", _dangling_worker_vendor, 1),
    Case("dangling-indicator", _dangling_indicator, 1),
    Case("dangling-period", _dangling_period, 1),
    Case("dangling-band-set", _dangling_band_set, 1),
    Case("dangling-rater-role", _dangling_rater_role, 1),
    Case("dimension-weights-off-0.02", _dimension_weights_off, 1, only=True),
    Case("indicator-weights-off-0.02", _indicator_weights_off, 1, only=True),
    Case("weights-within-tolerance", _weights_within_tolerance, 0, only=True),
    Case("rater-weights-off-0.02", _rater_weights_off, 1, only=True),
    Case("renamed-sheets", _renamed_sheet, 0, only=True),
    Case("reordered-sheets", _reordered_sheets, 0, only=True),
    Case("deleted-required-column", _deleted_required_column, 1),
    Case("deleted-optional-columns", _deleted_optional_column, 0, only=True),
    Case("reordered-columns", _reordered_columns, 0, only=True),
    Case("merged-over-required", _merged_over_required, 1),
    Case("merged-over-text", _merged_over_text, 0, only=True),
    Case("title-rows-above-table", _title_rows_above_table, 0, only=True),
    Case("title-rows-no-list-object", _title_rows_no_list_object, 0, only=True),
    Case("formula-with-cached-value", _formula_cached, 0, after=_formula_cached_after, only=True),
    Case("formula-without-value", _formula_uncalculated, 1),
    Case("date-text-slashes", _date_text_slash, 0, only=True),
    Case("date-text-chinese", _date_text_chinese, 0, only=True),
    Case("date-text-day-first", _date_text_day_first, 0, only=True),
    Case("date-text-words", _date_text_words, 1),
    Case("date-serial-number", _date_serial, 0, only=True),
    Case("100k-styled-rows-below", _styled_rows_below, 0, after=_styled_rows_below_after, only=True),
    Case("100k-styled-rows-in-table", _styled_rows_below, 0, after=_styled_rows_in_table_after, only=True),
    Case("password-protected-sheets", _protected_sheet, 0, only=True),
    Case("hidden-sheet", _hidden_sheet, 0, only=True),
    Case("full-width-digits", _fullwidth, 0, only=True),
    Case("percent-text", _percent, 0, only=True),
    Case("thousands-separators", _thousands, 0, only=True),
    Case("stray-spaces", _spaces, 0, only=True),
    Case("number-as-text", _text_number, 0, only=True),
    Case("veto-yes-no", _veto_yes_no, 0, only=True),
    Case("veto-not-yes-no", _veto_not_yes_no, 1),
    Case("unknown-method", _unknown_method, 1),
    Case("method-chinese-alias", _method_alias, 0, only=True),
    Case("bands-gap", _bands_gap, 1),
    Case("bands-overlap", _bands_overlap, 1),
    Case("rating-above-scale", _rating_above_scale, 1),
    Case("rating-zero", _rating_zero, 1),
    Case("goal-not-specific", _goal_not_specific, 0),
    Case("goal-no-indicator", _goal_no_indicator, 0),
    Case("goal-no-target", _goal_text_target, 0),
    Case("goal-not-achievable", _goal_not_achievable, 0),
    Case("goal-not-relevant", _goal_not_relevant, 0),
    Case("goal-no-deadline", _goal_no_deadline, 0),
    Case("goal-deadline-before-agreement", _goal_deadline_before_agreement, 0),
    Case("date-outside-every-period", _date_outside_periods, 1),
    Case("date-in-another-period", _date_period_mismatch, 0),
    Case("worker-under-other-vendor", _worker_under_other_vendor, 1),
    Case("rating-worker-other-vendor", _rating_worker_other_vendor, 1),
    Case("worker-level-without-worker", _worker_required, 1),
    Case("missing-settings-table", _missing_settings, 0, only=True),
    Case("missing-observations-table", _missing_observations, 1),
    Case("empty-dimensions", _empty_dimensions, 1),
    Case("negative-count", _negative_count, 1),
    Case("linear-floor-equals-target", _floor_equals_target, 1),
    Case("direction-contradicts-order", _direction_order, 1),
    Case("deduction-without-per-unit", _missing_per_unit, 1),
    Case("bands-without-band-set", _missing_band_set, 1),
    Case("invalid-setting", _invalid_setting, 1),
    Case("unknown-setting", _unknown_setting, 0),
    Case("forced-quotas-off", _quota_total, 1),
    Case("rows-below-table", _rows_below_table, 0),
    Case("english-book", _english_book, 1, lang="en"),
    Case("whole-column-of-text", _many_bad_cells, 1),
    Case("absurdly-large-numbers", _absurd_numbers, 0),
    Case("excel-365-error-values", _spill_error, 1, after=_spill_error_after),
    Case("TRUE-in-number-column", _bool_in_number, 1, only=True),
    Case("FALSE-in-number-column", _false_in_number, 1, only=True),
    Case("spaces-only-required", _spaces_only_required, 1, only=True),
    Case("numeric-vendor-ids", _numeric_ids, 0, only=True),
    Case("period-typed-as-date", _period_as_date, 0, only=True),
    Case("english-headers-in-zh-book", _english_headers, 0, only=True),
    Case("duplicate-column", _duplicate_column, 1, only=True),
    Case("period-rollup-cycle", _rollup_cycle, 1),
    Case("unreadable-cell-reported-once", _grade_min_text, 1, only=True),
]


# codes about one cell: they must always name it (table-level codes may point at the header or nowhere)
CELL_CODES = {c.code for c in CODES.values() if c.group in ("cells", "normalisation", "references", "goals")} - {
    "derived-period", "more-findings"}


def _matches(expect: Expect, finding: dict[str, str]) -> bool:
    sheet, cell, code = expect
    return (code == "*" or finding["code"] == code) and (not sheet or finding["sheet"] == sheet) and \
        (cell is None or finding["cell"] == cell)


@pytest.fixture()
def damaged(valid_book: Path, tmp_path: Path) -> Callable[[Case], tuple[Path, list[Expect]]]:
    folder = tmp_path

    def make(case: Case) -> tuple[Path, list[Expect]]:
        path, expected = damage(valid_book, folder / f"{case.id}.xlsm", case.edit)
        if case.after is not None:
            expected = expected + case.after(path, expected)
        return path, expected

    return make


def test_the_valid_book_is_valid(valid_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = run_cli(["validate", str(valid_book), "--json"], capsys)
    assert run.code == 0, run.text
    assert [f for f in run.json() if f["severity"] != "info"] == []


def test_there_are_at_least_forty_cases() -> None:
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_damaged_book(case: Case, damaged: Callable[[Case], tuple[Path, list[Expect]]], tmp_path: Path,
                      capsys: pytest.CaptureFixture[str]) -> None:
    path, expected = damaged(case)
    before = sha(path)

    run = run_cli(["validate", str(path), "--json"], capsys)
    assert no_traceback(run.text) and "Warning" not in run.err
    assert run.code == case.exit, f"exit {run.code}, expected {case.exit}\n{run.text[:3000]}"
    findings: list[dict[str, str]] = run.json()
    assert sha(path) == before, "validate changed the file"

    # the findings the damage must produce, at the damaged cell
    for exp in expected:
        assert any(_matches(exp, f) for f in findings), \
            f"missing {exp}; got {[(f['sheet'], f['cell'], f['code']) for f in findings][:40]}"
    if case.only:
        serious = [f for f in findings if f["severity"] != "info" and not any(_matches(e, f) for e in expected)]
        assert serious == [], f"unexpected findings: {[(f['sheet'], f['cell'], f['code'], f['message']) for f in serious]}"
    for code in case.absent:
        assert code not in {f["code"] for f in findings}

    # every message in the book's language; cell findings name their sheet and cell
    for f in findings:
        assert f["message"], f
        if case.lang == "zh":
            assert chinese_message(f["message"]), f"not Chinese: {f}"
        else:
            assert is_english(f["message"]), f"not English: {f}"
        if f["cell"]:
            assert f["sheet"], f"a cell without its sheet: {f}"
        if f["code"] in CELL_CODES:
            assert f["sheet"] and f["cell"], f"a finding about one cell that does not say which: {f}"

    # recompute: on a book with errors it is refused and writes nothing (not even into the book itself);
    # otherwise it computes and writes only to --out
    if case.exit == 1:
        rec = run_cli(["recompute", str(path)], capsys)
        assert no_traceback(rec.text)
        assert rec.code == 1, rec.text[:3000]
    else:
        out = tmp_path / "out.xlsm"
        rec = run_cli(["recompute", str(path), "--out", str(out)], capsys)
        assert no_traceback(rec.text) and "Warning" not in rec.err
        assert rec.code == 0, rec.text[:3000]
        assert out.stat().st_size > 0
    assert sha(path) == before, "recompute changed the input file"


def test_text_output_follows_the_current_stdout(valid_book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process callers swap sys.stdout (tests, hosts embedding Python): the plain-text findings must go
    to the stdout of the moment, not one bound when the module was imported (then closed: exit 4)."""
    import importlib
    import io
    import sys

    import xlperf.cli._common as common
    import xlperf.cli.validate as validate_cmd
    from xlperf.cli import main

    first = io.StringIO()
    monkeypatch.setattr(sys, "stdout", first)
    importlib.reload(common)
    importlib.reload(validate_cmd)
    first.close()
    second = io.StringIO()
    monkeypatch.setattr(sys, "stdout", second)
    assert main(["validate", str(valid_book)]) == 0
    assert "共 0 个错误，0 个警告" in second.getvalue()


WRITE_CASES = [c for c in CASES if c.id in ("text-in-number", "merged-over-required", "goal-not-specific")]


@pytest.mark.parametrize("case", WRITE_CASES, ids=[c.id for c in WRITE_CASES])
def test_write_adds_the_findings_sheet_and_nothing_else_changes(
        case: Case, damaged: Callable[[Case], tuple[Path, list[Expect]]], capsys: pytest.CaptureFixture[str]) -> None:
    """validate --write on a damaged book: the findings sheet (校验结果) lists what --json lists; every
    part the user owns is byte-identical; validating again gives the same findings."""
    import zipfile

    path, _ = damaged(case)
    with zipfile.ZipFile(path) as zf:
        parts_before = {n: zf.read(n) for n in zf.namelist()}
    first = run_cli(["validate", str(path), "--json"], capsys)
    wrote = run_cli(["validate", str(path), "--write"], capsys)
    assert wrote.code == case.exit and no_traceback(wrote.text)
    again = run_cli(["validate", str(path), "--json"], capsys)
    key = [(f["sheet"], f["cell"], f["code"]) for f in first.json()]
    assert [(f["sheet"], f["cell"], f["code"]) for f in again.json()] == key
    with zipfile.ZipFile(path) as zf:
        parts_after = {n: zf.read(n) for n in zf.namelist()}
    # the sheets, tables, VBA and styles of the user's book are untouched; only registry parts and
    # the new sheet's own parts may differ
    registry = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "docProps/app.xml",
                "xl/sharedStrings.xml", "xl/styles.xml"}
    changed = {n for n in parts_before if n not in registry and parts_after.get(n) != parts_before[n]}
    assert changed == set(), changed
    new = set(parts_after) - set(parts_before)
    assert new and all(n.startswith(("xl/worksheets/", "xl/tables/", "xl/worksheets/_rels/")) for n in new), new
    from xlperf.contract.outputs import findings as findings_table
    from xlperf.io.reader import read_book

    raw = read_book(path)
    table = raw.tables[findings_table.name]
    assert table.sheet == "校验结果"
    assert len(table.data) == len(key)


def test_english_template_book(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The English template: English sheets and headers, English messages naming English sheets."""
    def edit(d: Damager) -> list[Expect]:
        return [at(d.set(OBS, 0, "value", "ninety"), "not-a-number"),
                at(d.set(VEN, 1, "vendor_id", "V001"), "duplicate-id"),
                at(d.set_text(OBS, 2, "value", "９５"), "normalised-fullwidth"),
                (d.hide(BND), None, "reader.hidden-sheet")]  # what the file reader notices: English too

    path, expected = damage(shared_valid_book("en"), tmp_path / "en.xlsm", edit)
    assert {e[0] for e in expected} == {"Observations", "Vendors", "Bands"}
    before = sha(path)
    run = run_cli(["validate", str(path), "--json"], capsys)
    assert run.code == 1 and no_traceback(run.text)
    findings = run.json()
    for exp in expected:
        assert any(_matches(exp, f) for f in findings), exp
    for f in findings:
        assert is_english(f["message"]) and is_english(f["hint"]), f
    # the command line's own words follow the workbook's language too (--lang defaults to the book's)
    text = run_cli(["validate", str(path)], capsys)
    assert text.code == 1 and "error(s)" in text.out and is_english(text.out), text.out[-300:]
    rec = run_cli(["recompute", str(path)], capsys)
    assert rec.code == 1 and "error(s)" in rec.err and is_english(rec.err), rec.err[-300:]
    assert sha(path) == before
