"""Random corruption of the corpus book: findings or results, never an exception.

Three levels:
- the RawBook the real reader made from the real file, with random cells of any table replaced by any
  kind of value (text, numbers from -inf to inf, dates from year 1 to 9999, error values, bools ...),
  then validation, then — when validation passes — the engine on every period;
- the same with only numbers and number-like text in the number columns, so that most examples pass
  validation and reach the engine with extreme values;
- the file: random cells written with openpyxl into a copy, then the CLI (validate --json and
  recompute --out): exit 0 or 1, never 2 or 4, the file unchanged.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from corpus_helpers import Damager, chinese_message, damage, run_cli, sha, shared_valid_book
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from xlperf.book import CellError, RawBook
from xlperf.contract import TABLES_BY_NAME, normalise_header
from xlperf.errors import XlperfError
from xlperf.findings import Finding
from xlperf.io.reader import read_book
from xlperf.jobs import choose_periods
from xlperf.validation import validate

D = dt.datetime
INPUT_TABLES = ("settings", "dimensions", "indicators", "bands", "vendors", "workers", "periods", "observations",
                "ratings", "rater_weights", "grades", "goals")

_RAW: dict[str, RawBook] = {}


def raw_book() -> RawBook:
    """The corpus book as the real file reader yields it (read once per process)."""
    if "raw" not in _RAW:
        _RAW["raw"] = read_book(shared_valid_book())
    return _RAW["raw"]


def fresh_raw() -> RawBook:
    raw = raw_book()
    return RawBook(source=raw.source, tables={k: copy.deepcopy(v) for k, v in raw.tables.items()},
                   sheets=list(raw.sheets), hidden_sheets=list(raw.hidden_sheets),
                   protected_sheets=list(raw.protected_sheets), notes=list(raw.notes))


any_value = st.one_of(
    st.none(),
    st.text(max_size=10),
    st.sampled_from(["", "   ", "是", "否", "Y", "×", "95%", "９５", "1,234.5", "1,00,000", "-", "n/a", "inf", "NaN",
                     "2026/7/15", "15/07/2026", "2026年7月15日", "2026-13-45", "20260715", "46218", "=A1+1", "#N/A",
                     "V001", " v001 ", "W0001", "W0053", "V02", "W03", "2026-07", "2026-Q3", "PASS", "*", "主管",
                     "linear", "线性", "vendor", "worker", "lower", "higher", "bands", "veto", "team", "forced",
                     "absolute", "zh", "en", "x" * 300, "\n", "\u200b", "😀"]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-10**20, max_value=10**20),
    st.booleans(),
    st.datetimes(min_value=D(1, 1, 1), max_value=D(9999, 12, 31)),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.sampled_from([CellError("#N/A"), CellError("#DIV/0!"), CellError("#VALUE!"), CellError("#REF!"),
                     CellError("#NAME?"), CellError("#NUM!"), CellError("#NULL!")]),
)

number_like = st.one_of(
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
    st.sampled_from([0.0, -0.0, 1e-300, 1e300, -1e300, 5e-324, 1.7976931348623157e308, 100.0, 99.99, 100.01]),
    st.integers(min_value=-10**6, max_value=10**9),
    st.sampled_from(["0", "95%", "０", "1,000", " 7 ", "100.0", "-5"]),
)

NUMBER_CELLS = {  # table → number fields a user types
    "observations": ("value",), "ratings": ("rating",), "indicators": ("weight", "floor", "target", "stretch", "cap",
                                                                        "per_unit", "scale", "warn_below"),
    "dimensions": ("weight",), "bands": ("lower", "upper", "score"), "rater_weights": ("weight",),
    "grades": ("min_score", "quota", "bonus_coef", "fee_adjust"), "workers": ("base_bonus",),
    "vendors": ("base_fee",), "goals": ("baseline", "target"),
}


def _column(raw: RawBook, table: str, key: str) -> int | None:
    header_map = TABLES_BY_NAME[table].header_map()
    for j, h in enumerate(raw.tables[table].headers):
        if header_map.get(normalise_header(h)) == key:
            return j
    return None


def _set(raw: RawBook, table: str, row: int, col: int, value: Any) -> None:
    t = raw.tables[table]
    if t.data.shape[0] == 0 or t.data.shape[1] == 0:
        return
    t.data.iat[row % t.data.shape[0], col % t.data.shape[1]] = value


def _validate_then_compute(raw: RawBook) -> None:
    """Findings, or results; an XlperfError (a user-facing sentence) is an answer too, never another
    exception."""
    from xlperf.engine import compute

    inputs, report = validate(raw)
    assert (inputs is None) == (not report.valid)
    for f in report.findings:
        assert isinstance(f, Finding) and f.message
        assert chinese_message(f.message), f
        if f.cell:
            assert f.sheet, f
    if inputs is None:
        return
    try:
        chosen, _ = choose_periods(inputs, period=None, all_periods=True, force=True, lang="zh")
    except XlperfError as exc:
        assert exc.message("zh")
        return
    results = compute(inputs, chosen)
    frame = results.results
    assert isinstance(frame, pd.DataFrame)
    if len(frame) and "total" in frame:
        totals = pd.to_numeric(frame["total"], errors="coerce").dropna()
        assert all(math.isfinite(x) for x in totals), "a total that is not a finite number"


positions = st.tuples(st.sampled_from(INPUT_TABLES), st.integers(0, 500), st.integers(0, 40))


# No shrinking: an example takes ~0.5 s here, and shrinking a failure could take minutes; a failing
# example is printed as found (and then pinned with @example).
FAST = settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                phases=[Phase.explicit, Phase.reuse, Phase.generate])


@settings(FAST, max_examples=25)
@given(st.lists(st.tuples(positions, any_value), min_size=1, max_size=8))
def test_any_value_in_any_cell(edits: list[tuple[tuple[str, int, int], Any]]) -> None:
    raw = fresh_raw()
    for (table, row, col), value in edits:
        _set(raw, table, row, col, value)
    _validate_then_compute(raw)


number_positions = st.sampled_from([(t, k) for t, keys in NUMBER_CELLS.items() for k in keys])


@settings(FAST, max_examples=20)
@given(st.lists(st.tuples(number_positions, st.integers(0, 500), number_like), min_size=1, max_size=6))
@example([(("observations", "value"), 0, 1e300)])  # crashed the engine's rounding (exit 4) before a9c7f71
def test_extreme_numbers_reach_the_engine(edits: list[tuple[tuple[str, str], int, Any]]) -> None:
    raw = fresh_raw()
    for (table, key), row, value in edits:
        j = _column(raw, table, key)
        if j is not None:
            _set(raw, table, row, j, value)
    _validate_then_compute(raw)


def test_the_unchanged_raw_book_computes() -> None:
    raw = fresh_raw()
    inputs, report = validate(raw)
    assert inputs is not None and report.valid
    _validate_then_compute(raw)


# ── at the file level, through the command line ───────────────────────────────────────────────────

file_values = st.one_of(
    st.none(), st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=8),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
    st.integers(min_value=-10**9, max_value=10**9), st.booleans(),
    st.datetimes(min_value=D(1900, 3, 1), max_value=D(2200, 12, 31)),
    st.sampled_from(["#N/A", "#DIV/0!", "是", "95%", "９５", "2026/7/15", "=1/0"]),
)
file_positions = st.tuples(st.sampled_from(INPUT_TABLES), st.integers(0, 200), st.integers(0, 30))


@pytest.fixture(scope="module")
def book_dir() -> Any:
    with tempfile.TemporaryDirectory(prefix="xlperf-fuzz-") as d:
        yield Path(d)


@settings(FAST, max_examples=6)
@given(edits=st.lists(st.tuples(file_positions, file_values), min_size=1, max_size=5))
def test_random_cells_in_the_file_through_the_cli(edits: list[tuple[tuple[str, int, int], Any]], book_dir: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    def edit(d: Damager) -> None:
        for (table, row, col), value in edits:
            ws, _ = d.table(table)
            c1, r1, c2, r2 = d.bounds(table)
            if r2 <= r1:
                continue
            cell = ws.cell(r1 + 1 + row % (r2 - r1), c1 + col % (c2 - c1 + 1))
            if isinstance(value, str) and value.startswith("#") and value.endswith(("!", "A")):
                cell.value, cell.data_type = value, "e"
            else:
                cell.value = value

    path, _ = damage(shared_valid_book(), book_dir / "fuzz.xlsm", edit)
    before = sha(path)
    run = run_cli(["validate", str(path), "--json"], capsys)
    assert run.code in (0, 1), run.text[:2000]
    for f in run.json():
        assert chinese_message(f["message"]), f
    out = book_dir / "out.xlsm"
    out.unlink(missing_ok=True)
    rec = run_cli(["recompute", str(path), "--all", "--out", str(out)], capsys)
    assert rec.code == run.code or (rec.code == 2 and "期间" in rec.err), rec.text[:2000]
    assert sha(path) == before
