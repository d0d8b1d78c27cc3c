"""The fast paths of validation give exactly what the general paths give.

A column that holds only text (or nothing) is factorised by pyarrow and its distinct strings parsed
in comprehensions; any other column goes the general way (pandas factorize, then each distinct value
by its kind). These tests run the same columns both ways and compare every array of the result, and
compare both with each cell parsed on its own, which needs no factorising at all.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from validation_helpers import BookBuilder

from xlperf.book import CellError, RawBook
from xlperf.contract.choices import SOURCES
from xlperf.validation import parse as P
from xlperf.validation import validate
from xlperf.validation.context import Coded, Context, lookup

D = dt.datetime
CHOICES = ("onsite", "online", "system")

# Strings that need work (full width, ideographic space, stray spaces, NFKC compatibility forms,
# whitespace only) next to clean ones; plus every kind of value a reader yields.
messy_text = st.one_of(
    st.sampled_from(["W001", " W001", "W001 ", "Ｗ００１", "\u3000W001", "W001\t", "", "   ", "\u3000", "ｏｎｓｉｔｅ",
                     "ONSITE", " online ", "现场", "线上", "2026-01", "２０２６-01", "ﬁ", "①", "x\u00a0", "é", "é",
                     "\x1c", "a\x1f", "\u2028b", "是", "否", "yes", "TRUE", "60%", "1,000", " 12 ", "６０", "46215"]),
    st.text(max_size=6),
    st.text(alphabet=st.characters(codec="ascii"), max_size=6),
)
any_cell = st.one_of(
    messy_text,
    st.none(),
    st.just(float("nan")),
    st.floats(allow_nan=False, allow_infinity=True),
    st.sampled_from([0.0, 1.0, -0.0, 1001.0, 2.5, 0, 1, 3, np.float64(1.0), np.int64(0)]),
    st.booleans(),
    st.sampled_from([np.True_, np.False_]),
    st.datetimes(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31)),
    st.sampled_from([D(2026, 1, 1), D(2026, 1, 15), dt.date(2026, 2, 1), pd.Timestamp("2026-03-01"), pd.NaT]),
    st.sampled_from([CellError("#N/A"), CellError("#DIV/0!"), CellError("#REF!")]),
)
# Text-only columns take the fast path; mixed ones the general path. Both are drawn.
text_column = st.lists(st.one_of(messy_text, st.none(), st.just(float("nan"))), min_size=0, max_size=40)
any_column = st.lists(any_cell, min_size=0, max_size=40)
column = st.one_of(text_column, any_column)


@contextmanager
def general_path() -> Iterator[None]:
    """Every column through pandas factorize and the per-kind parse of distinct values."""
    with mock.patch.object(P, "_str_factorize", return_value=None):
        yield


def same(a: P.Parsed, b: P.Parsed) -> None:
    """Equal in every array, dtype and element type (None stays None, a str stays a str)."""
    assert a.values.dtype == b.values.dtype
    av, bv = a.values.to_numpy(), b.values.to_numpy()
    assert len(av) == len(bv)
    for x, y in zip(av, bv):
        if x is None or y is None:
            assert x is None and y is None
        elif isinstance(x, float) and math.isnan(x):
            assert isinstance(y, float) and math.isnan(y)
        elif isinstance(x, np.datetime64) and np.isnat(x):
            assert isinstance(y, np.datetime64) and np.isnat(y)
        else:
            assert type(x) is type(y) and x == y, (x, y)
    for name in ("blank", "error", "bad"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert (a.note is None) == (b.note is None)
    if a.note is not None and b.note is not None:
        assert list(a.note) == list(b.note)
    assert a.note_codes() == b.note_codes()


PARSERS: dict[str, Callable[[pd.Series[Any]], P.Parsed]] = {
    "id": lambda s: P.parse_text(s, clean=True),
    "period": lambda s: P.parse_text(s, clean=True, period=True),
    "free": lambda s: P.parse_text(s, clean=False),
    "choice": lambda s: P.parse_choice(s, CHOICES, SOURCES.spellings()),  # a plain tuple and a flat map
    "number": P.parse_number,
    "date": P.parse_date,
    "bool": P.parse_bool,
}


@pytest.mark.parametrize("kind", sorted(PARSERS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=column)
def test_fast_path_equals_general_path(kind: str, values: list[Any]) -> None:
    s = pd.Series(values, dtype=object)
    fast = PARSERS[kind](s)
    with general_path():
        slow = PARSERS[kind](s)
    same(fast, slow)


def one_by_one(values: list[Any], parse: Callable[[pd.Series[Any]], P.Parsed]) -> P.Parsed:
    """Each cell parsed as a column of its own (nothing to factorise), then stacked."""
    parts = [parse(pd.Series([v], dtype=object)) for v in values]
    vals = pd.Series([p.values.iloc[0] for p in parts], dtype=parts[0].values.dtype if parts else object)
    note = np.array([p.note[0] if p.note is not None else "" for p in parts], dtype=object)
    return P.Parsed(vals, np.array([p.blank[0] for p in parts], dtype=bool),
                    np.array([p.error[0] for p in parts], dtype=bool), np.array([p.bad[0] for p in parts], dtype=bool),
                    note if note.any() else None)


@pytest.mark.parametrize("kind", ["id", "period", "free", "choice", "bool"])
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(any_cell, min_size=1, max_size=25))
def test_column_equals_each_cell_alone(kind: str, values: list[Any]) -> None:
    """Factorising never merges values that parse differently (TRUE and 1, 'a' and 'a ')."""
    same(PARSERS[kind](pd.Series(values, dtype=object)), one_by_one(values, PARSERS[kind]))


def test_true_and_one_stay_apart_in_a_long_column() -> None:
    values: list[Any] = [1.0, True, 0, False, "x", None, 1, np.True_, 2.0] * 1000
    p = P.parse_text(pd.Series(values, dtype=object), clean=True)
    assert list(p.values[:9]) == ["1", "TRUE", "0", "FALSE", "x", None, "1", "TRUE", "2"]
    assert list(p.values[-9:]) == list(p.values[:9])
    b = P.parse_number(pd.Series(values, dtype=object))
    assert list(np.flatnonzero(b.bad[:9])) == [1, 3, 4, 7]


def test_text_column_takes_the_fast_path_and_mixed_does_not() -> None:
    texts = pd.Series(["W001", None, "Ｗ001 ", float("nan"), "W001", pd.NaT], dtype=object)
    codes, strs = P._str_factorize(texts) or (None, None)
    assert codes is not None and strs is not None
    assert list(codes) == [0, -1, 1, -1, 0, -1] and strs == ["W001", "Ｗ001 "]
    for other in (1001.0, True, b"W001", CellError("#N/A"), D(2026, 1, 1), "bad \ud800 surrogate"):
        assert P._str_factorize(pd.Series(["W001", other], dtype=object)) is None, other
    assert P._str_factorize(pd.Series([None, None], dtype=object)) is None
    assert P._str_factorize(pd.Series([], dtype=object)) is None


def test_worked_example_of_an_id_column() -> None:
    s = pd.Series(["W001", " W001", "Ｗ００１", None, "   ", "W002", "W001"], dtype=object)
    p = P.parse_text(s, clean=True)
    assert list(p.values) == ["W001", "W001", "W001", None, None, "W002", "W001"]
    assert list(p.blank) == [False, False, False, True, True, False, False]
    assert p.note is not None and list(p.note) == ["", P.SPACES, P.FULLWIDTH, "", "", "", ""]
    free = P.parse_text(s, clean=False)
    assert list(free.values) == ["W001", " W001", "Ｗ００１", None, None, "W002", "W001"] and free.note is None


def test_worked_example_of_a_choice_column() -> None:
    s = pd.Series(["onsite", "ＯＮＳＩＴＥ", " online", "现场", "bike", None, "onsite"] * 3, dtype=object)
    p = P.parse_choice(s, CHOICES, {"现场": "onsite"})
    assert list(p.values[:7]) == ["onsite", "onsite", "online", "onsite", None, None, "onsite"]
    assert list(p.bad[:7]) == [False, False, False, False, True, False, False]
    assert p.note is not None and list(p.note[:7]) == ["", P.CHOICE, P.SPACES, P.CHOICE, "", "", ""]


@given(st.lists(st.text(max_size=8), max_size=30), st.booleans())
@settings(max_examples=200, deadline=None)
def test_distinct_strings_parse_as_the_general_rules_say(strs: list[str], clean: bool) -> None:
    strs = list(dict.fromkeys(strs))  # distinct, as a factorisation gives them
    fast = P._str_text_u(strs, clean=clean)
    slow = P._text_u(pd.Series(strs, dtype=object), clean=clean, period=False)
    assert list(fast.values) == list(slow.values)
    assert [type(v) for v in fast.values] == [type(v) for v in slow.values]
    for name in ("blank", "error", "bad"):
        assert np.array_equal(getattr(fast, name), getattr(slow, name)), name
    assert list(fast.note) == list(slow.note)


def test_nfkc_of_full_width_and_compatibility_forms() -> None:
    u = P._str_text_u(["ＡＢＣ", "ﬁle", "①", "\u3000x"], clean=True)
    assert list(u.values[:4]) == ["ABC", "file", "1", "x"]
    assert list(u.note[:4]) == [P.FULLWIDTH] * 4
    assert unicodedata.normalize("NFKC", "\u3000") == " "  # why the last one is full-width, not spaces


def test_display_of_infinity() -> None:
    """A hostile file can hold inf in a cell: shown as written, not an exception."""
    assert P.display(float("inf")) == "inf" and P.display(float("-inf")) == "-inf"
    assert P.date_display(float("inf"), "zh") == "inf"


# --------------------------------------------------------------------------------------------------
# Whole workbooks: the codes the cells check leaves for later checks give what factorising gives.

@contextmanager
def no_shortcuts() -> Iterator[None]:
    """The general parse path, and every typed column factorised afresh whenever a check asks."""
    with general_path(), mock.patch.object(Context, "coded", lambda self, t, k: Coded.of(self.frames[t][k])):
        yield


def outcome(raw: RawBook) -> tuple[list[dict[str, Any]], dict[str, pd.DataFrame] | None]:
    inputs, report = validate(raw)
    return [f.model_dump() for f in report.findings], None if inputs is None else dict(inputs.tables)


def same_outcome(a: tuple[list[dict[str, Any]], dict[str, pd.DataFrame] | None],
                 b: tuple[list[dict[str, Any]], dict[str, pd.DataFrame] | None]) -> None:
    assert a[0] == b[0]
    assert (a[1] is None) == (b[1] is None)
    if a[1] is not None and b[1] is not None:
        assert a[1].keys() == b[1].keys()
        for name in a[1]:
            pd.testing.assert_frame_equal(a[1][name], b[1][name], check_exact=True)
            for col in a[1][name].columns:
                if a[1][name][col].dtype == object:
                    assert [type(v) for v in a[1][name][col]] == [type(v) for v in b[1][name][col]], (name, col)


def bigger_book() -> BookBuilder:
    """The helper book with its monitoring records and ratings repeated (ids repeat, as they do)."""
    b = BookBuilder()
    for name in ("observations", "ratings"):
        b.tables[name].rows = [list(r) for r in b.tables[name].rows * 15]
    return b


id_like = st.one_of(st.sampled_from(["W001", " W001", "Ｗ００１", "W001 ", "W009", "V001", "Ｖ００２", "V9", "", "  ",
                                     "2026-01", "２０２６-02", " 2026-02", "2026-03", "V1", "Ｗ１", "W5 ", "主管", " 主管"]),
                    st.none(), st.sampled_from([1001.0, True, 1, CellError("#N/A"), D(2026, 1, 1)]))
damage = st.lists(st.tuples(st.sampled_from([("observations", "period_id"), ("observations", "vendor_id"),
                                             ("observations", "worker_id"), ("observations", "indicator_id"),
                                             ("observations", "source"), ("ratings", "worker_id"),
                                             ("ratings", "indicator_id"), ("ratings", "rater_role"),
                                             ("workers", "vendor_id"), ("workers", "worker_id")]),
                            st.integers(min_value=0, max_value=10**6), id_like), max_size=12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=damage)
def test_workbook_findings_and_inputs_equal_without_shortcuts(changes: list[tuple[tuple[str, str], int, Any]]) -> None:
    b = bigger_book()
    for (table, key), i, value in changes:
        b.set(table, i % len(b.tables[table].rows), key, value)
    fast = outcome(b.raw())
    with no_shortcuts():
        slow = outcome(b.raw())
    same_outcome(fast, slow)


def test_derived_periods_keep_the_codes_right() -> None:
    """Blank periods are filled from the dates (ctx.fill); the checks after that see the filled ids."""
    b = bigger_book()
    rows = [i for i, r in enumerate(b.tables["observations"].rows) if r[b.col("observations", "indicator_id")] == "W2"]
    for i in rows:
        b.set("observations", i, "period_id", None)
    b.set("observations", rows[0], "date", D(2026, 2, 3))  # W2 is effective up to 2026-01 only
    fast = outcome(b.raw())
    with no_shortcuts():
        slow = outcome(b.raw())
    same_outcome(fast, slow)
    codes = [f["code"] for f in fast[0]]
    assert codes.count("derived-period") == 1 and codes.count("indicator-not-effective") == 1
    (f,) = [f for f in fast[0] if f["code"] == "indicator-not-effective"]
    assert f["cell"] == b.cell("observations", rows[0], "indicator_id")


def test_coded_lookup_worked_example() -> None:
    keys = pd.Series(["W1", "W2", None, "W1", "W9", "W2"], index=[10, 11, 12, 13, 14, 15], dtype=object)
    frame = pd.DataFrame({"worker_id": ["W2", "W1", "W2"], "vendor_id": ["V2", "V1", "V3"],
                          "fee": [2.0, 1.0, 3.0]})
    c = Coded.of(keys)
    assert list(c.values[c.codes]) == list(keys)
    got = c.lookup(frame, "worker_id", "vendor_id").series(keys.index)
    assert list(got) == ["V1", "V2", None, "V1", None, "V2"] and list(got.index) == list(keys.index)
    fee = lookup(keys, frame, "worker_id", "fee")
    assert fee.dtype == "float64" and fee.tolist()[:2] == [1.0, 2.0] and np.isnan(fee.iloc[2])
    assert lookup(keys.iloc[:0], frame, "worker_id", "fee").dtype == "float64"
    assert lookup(keys, None, "worker_id", "fee").tolist() == [None] * 6


def whole_column_dates(s: pd.Series[Any]) -> P.Parsed:
    """parse_date as it was before the distinct-value path: the whole column converted at once."""
    if P._is_empty(s):
        return P._all_blank(s, np.datetime64("NaT", "ns"), "datetime64[ns]")
    if pd.api.types.infer_dtype(s, skipna=True) in ("datetime64", "datetime", "date"):
        try:
            vals = P._in_range(s)
            na = np.asarray(s.isna().to_numpy(), dtype=bool)
            return P.Parsed(vals, na, np.zeros(len(s), dtype=bool), np.asarray(vals.isna().to_numpy(), dtype=bool) & ~na)
        except (ValueError, TypeError, OverflowError):
            pass
    p = P._by_uniques(s, P._dates_u)
    p.values = p.values.astype("datetime64[ns]")
    return p


date_cell = st.one_of(
    st.datetimes(min_value=D(1, 1, 1), max_value=D(9999, 12, 31)),
    st.datetimes(min_value=D(2026, 1, 1), max_value=D(2026, 1, 3)),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.none(), st.just(pd.NaT), st.just(float("nan")),
    st.sampled_from([D(1899, 12, 31, 23, 59), D(1900, 1, 1), D(2200, 12, 31), D(2200, 12, 31, 0, 0, 1),
                     pd.Timestamp("2200-12-31 00:00:00.000000001"), pd.Timestamp("2026-01-01 23:59:59.999999999"),
                     D(2026, 1, 1, tzinfo=dt.UTC), pd.Timestamp("1900-01-01")]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(date_cell, max_size=30))
def test_date_columns_equal_the_whole_column_conversion(values: list[Any]) -> None:
    s = pd.Series(values, dtype=object)
    same(P.parse_date(s), whole_column_dates(s))


def test_date_worked_example() -> None:
    s = pd.Series([D(2026, 1, 15, 9, 30), None, D(2026, 1, 15), D(1850, 1, 1), D(2026, 1, 15, 9, 30)], dtype=object)
    p = P.parse_date(s)
    assert [str(v)[:10] if not pd.isna(v) else None for v in p.values] == ["2026-01-15", None, "2026-01-15", None,
                                                                          "2026-01-15"]
    assert list(p.blank) == [False, True, False, False, False] and list(p.bad) == [False, False, False, True, False]
    assert p.values.dtype == "datetime64[ns]" and p.values.iloc[0] == pd.Timestamp("2026-01-15")


def test_coded_tests_per_distinct_value() -> None:
    a = Coded.of(pd.Series(["V1", "V2", None, "V1", "V3"], dtype=object))
    b = Coded.of(pd.Series(["V1", "V1", "V2", None, "V3"], dtype=object))
    assert list(a.differs(b)) == [False, True, False, False, False]
    assert list(a.isin("V1", "V3")) == [True, False, False, True, True]
    assert list(a.notna()) == [True, True, False, True, True]
    assert list(a.take()) == ["V1", "V2", None, "V1", "V3"]


lookup_key = st.one_of(st.sampled_from(["W1", "W2", "W3", "w1", " W1", "", "1", "TRUE"]), st.none(), st.just(float("nan")))


@settings(max_examples=200, deadline=None)
@given(keys=st.lists(lookup_key, max_size=20), ids=st.lists(lookup_key, max_size=8))
def test_lookup_equals_a_dictionary_of_first_rows(keys: list[Any], ids: list[Any]) -> None:
    """The referenced table may have blank and duplicate ids: the first row of an id counts."""
    frame = pd.DataFrame({"id": pd.Series(ids, dtype=object), "n": [float(i) for i in range(len(ids))],
                          "t": pd.Series([f"r{i}" for i in range(len(ids))], dtype=object)})
    first: dict[Any, int] = {}
    for i, k in enumerate(ids):
        if not pd.isna(k) and k not in first:
            first[k] = i
    s = pd.Series(keys, dtype=object)
    want_n = [float(first[k]) if not pd.isna(k) and k in first else None for k in keys]
    got_n = lookup(s, frame, "id", "n")
    assert got_n.dtype == "float64"
    assert [None if np.isnan(v) else v for v in got_n] == want_n
    got_t = lookup(s, frame, "id", "t")
    assert list(got_t) == [f"r{first[k]}" if not pd.isna(k) and k in first else None for k in keys]
