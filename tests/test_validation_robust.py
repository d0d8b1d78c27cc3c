"""Validation never raises on bad data, messages follow the workbook's language, the catalogue is
complete, and big tables stay readable (capped findings)."""

from __future__ import annotations

import datetime as dt
import importlib
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from validation_helpers import ROWS, BookBuilder

from xlperf.book import CellError, RawTable
from xlperf.findings import Finding, Severity
from xlperf.validation import CODES, validate
from xlperf.validation.catalogue_doc import render
from xlperf.validation.checks import CHECKS

D = dt.datetime
ROOT = Path(__file__).resolve().parents[1]
OBS_SHEET = "监控记录"

cell_values = st.one_of(
    st.none(), st.text(max_size=12), st.sampled_from(["", "  ", "是", "否", "95%", "９５", "1,234", "2026/1/15",
                                                     "2026年13月40日", "#N/A", "=A1", "V001", "W001", "linear", "*"]),
    st.floats(allow_nan=True, allow_infinity=True), st.integers(min_value=-10**18, max_value=10**18), st.booleans(),
    st.datetimes(min_value=D(1, 1, 1), max_value=D(9999, 12, 31)), st.dates(),
    st.sampled_from([CellError("#N/A"), CellError("#DIV/0!"), CellError("#VALUE!")]),
)
positions = st.tuples(st.sampled_from(sorted(ROWS)), st.integers(0, 20), st.integers(0, 25))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(positions, cell_values), min_size=1, max_size=6))
def test_random_cell_corruption_never_raises(edits: list[tuple[tuple[str, int, int], Any]]) -> None:
    b = BookBuilder()
    for (table, row, col), value in edits:
        t = b.tables[table]
        if not t.rows:
            continue
        r = t.rows[row % len(t.rows)]
        r[col % len(r)] = value
    inputs, report = b.validate()
    assert all(isinstance(f, Finding) for f in report.findings)
    assert (inputs is None) == (not report.valid)
    for f in report.findings:
        assert f.code in CODES and f.message
        assert "{" in f.value or not re.search(r"\{[a-z_]+\}", f.message + f.hint), f


@settings(max_examples=20, deadline=None)
@given(st.lists(st.sampled_from(sorted(ROWS)), min_size=1, max_size=4, unique=True),
       st.lists(st.text(max_size=6), max_size=4))
def test_dropped_tables_and_odd_headers_never_raise(dropped: list[str], headers: list[str]) -> None:
    b = BookBuilder()
    for name in dropped:
        b.drop_table(name)
    for h in headers:
        if "workers" in b.tables:
            b.add_column("workers", h)
    _, report = b.validate()
    assert all(f.code in CODES for f in report.findings)


@pytest.mark.parametrize("table", sorted(ROWS))
def test_each_table_empty_never_raises(table: str) -> None:
    """Every table of a new workbook starts empty: validation reports, never fails."""
    _, report = BookBuilder().clear_rows(table).validate()
    assert all(f.code in CODES for f in report.findings)


def test_new_workbook_with_every_table_empty() -> None:
    b = BookBuilder()
    for table in ROWS:
        b.clear_rows(table)
    inputs, report = b.validate()
    assert inputs is None
    assert report.flatten() == [(s, "A1", "empty-table") for s in ("考核维度", "考核指标", "供应商", "考核期间")]


def test_a_table_with_no_columns_at_all() -> None:
    raw = BookBuilder().raw()
    raw.tables["workers"] = RawTable("workers", "外包人员", 1, 0, [], pd.DataFrame())
    _, report = validate(raw)
    assert ("外包人员", "", "missing-column") in report.flatten()


def test_headers_without_data_columns() -> None:
    raw = BookBuilder().raw()
    t = raw.tables["observations"]
    t.data = t.data.iloc[:, :3]  # headers for 9 columns, data for 3
    _, report = validate(raw)
    assert (OBS_SHEET, "F2", "required-empty") in report.flatten()


def test_reader_notes_are_passed_through() -> None:
    raw = BookBuilder().raw()
    note = Finding(code="sheet-protected", severity=Severity.WARNING, sheet="外包人员", message="工作表受保护")
    raw.notes.append(note)
    inputs, report = validate(raw)
    assert report.findings == [note] and inputs is not None


# ---- language ---------------------------------------------------------------------------------------

def test_messages_follow_the_lang_setting() -> None:
    b = BookBuilder().set("workers", 1, "name", None).set("settings", 9, "value", "en")
    _, report = b.validate()
    assert report.findings[0].message == "'Name' is required and is empty"
    assert report.findings[0].hint == "Fill in the cell, or delete the whole row."


def test_lang_argument_overrides_the_setting() -> None:
    b = BookBuilder().set("workers", 1, "name", None)
    _, zh = b.validate()
    _, en = b.validate(lang="en")
    assert zh.findings[0].message == "“姓名”为必填项，不能为空"
    assert en.findings[0].message == "'Name' is required and is empty"
    assert zh.flatten() == en.flatten()


def test_english_workbook() -> None:
    b = BookBuilder(lang="en").set("settings", 9, "value", "en").set("indicators", 0, "floor", 98)
    _, report = b.validate()
    (f,) = report.findings
    assert f.as_tuple() == ("Indicators", "I2", "floor-equals-target")
    assert f.message == "Linear scoring needs floor ≠ target (both 98)"


# ---- the catalogue ----------------------------------------------------------------------------------

def test_every_code_is_declared_by_a_check() -> None:
    declared = {c for check in CHECKS for c in check.CODES}
    assert declared | {"more-findings"} == set(CODES)


def test_every_code_is_tested() -> None:
    sources = "".join(p.read_text(encoding="utf-8") for p in ROOT.glob("tests/test_validation_*.py"))
    untested = [c for c in CODES if f'"{c}"' not in sources]
    assert untested == []


def test_every_code_is_documented() -> None:
    doc = (ROOT / "docs" / "VALIDATION.md").read_text(encoding="utf-8")
    table = doc.split("<!-- codes:begin -->\n")[1].split("<!-- codes:end -->")[0]
    assert table.strip() == render().strip()  # regenerate: python -m xlperf.validation.catalogue_doc
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", table, flags=re.MULTILINE))
    assert documented == set(CODES)


def test_templates_only_use_known_placeholders() -> None:
    for code in CODES.values():
        for text in (code.message.zh, code.message.en, code.hint.zh, code.hint.en):
            assert text.count("{") == text.count("}"), code.code


def test_check_modules_are_small() -> None:
    for check in CHECKS:
        source = Path(importlib.import_module(check.__name__).__file__ or "").read_text(encoding="utf-8")
        assert len(source.splitlines()) < 200, check.__name__


# ---- big tables ------------------------------------------------------------------------------------

def test_large_observations_are_capped_and_typed() -> None:
    n = 100_000
    b = BookBuilder()
    raw = b.raw()
    rng = np.random.default_rng(7)
    values = rng.uniform(80, 100, n).round(1).astype(object)
    values[::400] = "95%"  # 250 text percentages
    values[5::400] = "n/a"  # 250 unreadable
    obs = pd.DataFrame({
        0: pd.Series([D(2026, 1, 1) + dt.timedelta(days=int(d)) for d in rng.integers(0, 59, n)], dtype=object),
        1: None, 2: "V001", 3: None, 4: "V1", 5: values, 6: None, 7: None, 8: None,
    }).astype(object)
    raw.tables["observations"] = RawTable("observations", "监控记录", 1, 0, raw.tables["observations"].headers, obs)
    inputs, report = validate(raw)
    codes = [f.code for f in report.findings]
    assert codes.count("not-a-number") == 200 and codes.count("normalised-percent") == 50
    more = {f.value for f in report.findings if f.code == "more-findings"}
    assert more == {"200", "50"}  # 250 - 50 info listed, 250 - 200 errors listed
    assert codes.count("derived-period") == 1
    assert inputs is None  # the 'n/a' cells are errors
    b2 = raw.tables["observations"].data
    b2.loc[5::400, 5] = 90.0
    inputs, report = validate(raw)
    assert inputs is not None and len(inputs["observations"]) == n
    assert inputs["observations"]["value"].dtype == np.float64
    assert set(inputs["observations"]["period_id"]) == {"2026-01", "2026-02"}
    assert inputs["observations"]["value"].iloc[0] == 95.0
