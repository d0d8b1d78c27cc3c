"""The fast paths of a recompute give what the plain ones gave: the run-log fingerprint (one factorize
per column) and the engine's factorized id columns (``Coded``)."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
from engine_helpers import Book

from xlperf.book import CellError, RawBook, RawTable
from xlperf.engine import compute
from xlperf.engine.model import Coded, text_col
from xlperf.jobs import fingerprint


def _book(rows: list[list[object]], headers: list[str] | None = None) -> RawBook:
    headers = headers or ["日期*", "期间", "供应商编号*", "人员编号", "指标编号*", "数值*"]
    data = pd.DataFrame([list(r) for r in rows], dtype=object)
    table = RawTable("observations", "监控记录", 1, 0, headers, data)
    return RawBook(source="t.xlsx", tables={"observations": table})


ROWS: list[list[object]] = [
    [datetime(2026, 7, 1), "2026-07", "V1", "W1", "Q1", 3.0],
    [datetime(2026, 7, 2), "2026-07", "V1", None, "Q1", 96.5],
    [datetime(2026, 7, 2), None, "V2", "W2", "Q2", CellError("#N/A")],
]


def test_fingerprint_is_pinned_so_it_cannot_depend_on_the_process() -> None:
    # str hashes change with PYTHONHASHSEED from one process to the next: a fixed value proves none is used
    assert fingerprint(_book(ROWS)) == "9275e07180c6d2f2"


def test_fingerprint_sees_values_not_python_objects() -> None:
    # equal values as other objects: fresh str copies, pandas Timestamps for datetimes
    same = [[pd.Timestamp(v) if isinstance(v, datetime) else "".join(list(v)) if isinstance(v, str) else v for v in r]
            for r in ROWS]
    same[0][5] = 3  # an integer 3 is the cell 3.0
    same[1][3] = float("nan")  # a blank is a blank, None or NaN
    assert fingerprint(_book(same)) == fingerprint(_book(ROWS))


def test_fingerprint_changes_with_any_cell_the_order_or_a_header() -> None:
    base = fingerprint(_book(ROWS))
    changed = [list(r) for r in ROWS]
    changed[2][5] = CellError("#REF!")
    swapped = [ROWS[1], ROWS[0], ROWS[2]]
    moved = [list(r) for r in ROWS]
    moved[0][2], moved[0][3] = moved[0][3], moved[0][2]
    blanked = [list(r) for r in ROWS]
    blanked[0][3] = None
    texts = [list(r) for r in ROWS]
    texts[0][5] = "3.0"  # text that looks like the number is not the number
    others = [fingerprint(_book(rows)) for rows in (changed, swapped, moved, blanked, texts)]
    others.append(fingerprint(_book(ROWS, ["日期", "期间", "供应商编号*", "人员编号", "指标编号*", "数值*"])))
    assert base not in others
    assert len(set(others)) == len(others)


def test_fingerprint_of_a_column_with_many_distinct_values() -> None:
    # more than 127 and 32 767 distinct values: the codes widen, the digest still tells rows apart
    n = 40_000
    rows: list[list[object]] = [[None, "2026-07", "V1", f"W{i:05d}", "Q1", float(i)] for i in range(n)]
    swapped = [list(r) for r in rows]
    swapped[0][3], swapped[1][3] = swapped[1][3], swapped[0][3]
    assert fingerprint(_book(rows)) == fingerprint(_book([list(r) for r in rows]))
    assert fingerprint(_book(rows)) != fingerprint(_book(swapped))


def test_coded_column_reads_like_text_col() -> None:
    frame = pd.DataFrame({"id": pd.Series(["W1", None, 1001.0, "W1", np.nan, "", 7], dtype=object)})
    coded = Coded.of(frame, "id")
    assert coded.text().tolist() == text_col(frame, "id").tolist() == ["W1", "", "1001", "W1", "", "", "7"]
    assert coded.code_in(["1001", "7", "W1"]).tolist() == [2, -1, 0, 2, -1, -1, 1]
    assert coded.code_in(["", "W1"]).tolist() == [1, 0, -1, 1, 0, 0, -1]  # blanks are the text ""
    assert coded.distinct() == {"W1", "1001.0", "7", ""}  # as str() prints the sheet's values
    missing = Coded.of(frame, "nope")
    assert missing.text().tolist() == [""] * 7 and missing.distinct() == set()


def test_ratings_by_role_codes_worked_example() -> None:
    # two roles on one indicator, weighted 60/40 by the indicator's own rows; a role without a weight row
    # counts 0; the pieces keep the order the roles first appear in
    book = (Book().dimension("质量", 100).indicator("R", "质量", "rating", scale=5)
            .rating("R", "专家", 3).rating("R", "主管", 4).rating("R", "主管", 5).rating("R", "同事", 1)
            .rater_weight("R", "主管", 60).rater_weight("R", "专家", 40).rater_weight("*", "同事", 100))
    row = compute(book.inputs()).scores.iloc[0]
    assert row["actual"] == 3.9  # (3×40 + 4.5×60 + 1×0) / 100
    assert "专家 3×40%，主管 4.5×60%，同事 1×0%" in row["explanation"]


def test_numbers_print_alike_by_arithmetic_and_by_repr() -> None:
    # the whole-array printer must give repr's text for every rounded value, at every precision used
    from xlperf.engine.numbers import _fmt_distinct, _fmt_scalar, fmt_arrow, fmt_num, round_half_up

    rng = np.random.default_rng(7)
    raw = np.concatenate([rng.uniform(-1e6, 1e6, 20_000), rng.uniform(-200, 200, 20_000), rng.uniform(-1, 1, 5_000),
                          [0.0, -0.0, 0.005, -0.005, 84.995, 99.99995, 1e6, -1e6, 1234567.891, 1e12, np.inf, -np.inf, np.nan]])
    for digits in (0, 1, 2, 4):
        distinct = np.unique(round_half_up(raw, digits))
        got = _fmt_distinct(distinct, digits, "—").astype(object).tolist()
        assert got == [_fmt_scalar(float(x), digits, "—") for x in distinct]
    assert fmt_num([96.5, 90.0, 81.254, -2.0, np.nan]).tolist() == ["96.5", "90", "81.25", "-2", "—"]
    assert fmt_arrow([96.5, 90.0, 81.255, np.nan], 2, "").to_pylist() == ["96.5", "90", "81.26", ""]
