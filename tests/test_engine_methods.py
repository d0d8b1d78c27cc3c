"""Each scoring method against the worked examples of issue 3, and its properties (hypothesis)."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlperf.engine import methods as m
from xlperf.engine import round_half_up, score_values

BANDS = [(0.0, 60.0, 40.0), (60.0, 80.0, 70.0), (80.0, None, 100.0)]


@pytest.mark.parametrize(("value", "expected"), [(96.5, 81.25), (99, 110), (101, 120), (85, 0)])
def test_linear_higher_with_stretch(value: float, expected: float) -> None:
    got = score_values([value], "linear", direction="higher", floor=90, target=98, stretch=100, cap=120)
    assert got.tolist() == [expected]


@pytest.mark.parametrize(("value", "expected"), [(30, 75), (20, 100), (60, 0)])
def test_linear_lower_without_stretch(value: float, expected: float) -> None:
    got = score_values([value], "linear", direction="lower", floor=48, target=24)
    assert got.tolist() == [expected]


def test_ratio() -> None:
    assert score_values([180], "ratio", target=200).tolist() == [90]
    assert score_values([260], "ratio", target=200, cap=120).tolist() == [120]
    assert score_values([0, 100, 400], "ratio", direction="lower", target=200, cap=120).tolist() == [120, 120, 50]


def test_bands() -> None:
    assert score_values([59.99, 80, 60, 1000, -1], "bands", bands=BANDS).tolist() == [40, 100, 70, 100, 0]


def test_deduction() -> None:
    assert score_values([3, 25, 0], "deduction", per_unit=5).tolist() == [85, 0, 100]


def test_rating_and_adjust_and_veto() -> None:
    assert score_values([3.8, 4.0], "rating", scale=5).tolist() == [76, 80]
    assert score_values([2, -3, 500], "adjust", per_unit=1, cap=10).tolist() == [2, -3, 10]
    assert score_values([-500], "adjust", per_unit=2, cap=10).tolist() == [-10]
    assert score_values([1.0, 0.0], "veto").tolist() == [1.0, 0.0]


def test_missing_value_scores_nan() -> None:
    assert math.isnan(score_values([np.nan], "linear", floor=1, target=2)[0])


def test_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError):
        score_values([1], "magic")


# ---- rounding: half-up on the decimal, not the binary float
@pytest.mark.parametrize(("value", "expected"), [(84.995, 85.0), (80.065, 80.07), (0.125, 0.13), (2.675, 2.68),
                                                 (-2.345, -2.35), (84.994999, 84.99), (12345678.125, 12345678.13)])
def test_round_half_up(value: float, expected: float) -> None:
    assert round_half_up([value])[0] == expected


@settings(deadline=None)
@given(st.integers(min_value=-10**8, max_value=10**8))
def test_round_half_up_equals_decimal_for_three_decimals(k: int) -> None:
    x = k / 1000
    want = float(Decimal(str(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    assert round_half_up([x])[0] == want


# ---- properties: bounded, monotone, continuous at F, T, S
anchors = st.tuples(st.floats(-1000, 1000), st.floats(0.5, 500), st.floats(0.5, 500)).map(
    lambda t: (t[0], t[0] + t[1], t[0] + t[1] + t[2]))
caps = st.floats(50, 300)
xs = st.lists(st.floats(-3000, 3000), min_size=2, max_size=30)


@settings(max_examples=120, deadline=None)
@given(anchors, caps, xs, st.sampled_from(["higher", "lower"]), st.booleans())
def test_linear_bounded_and_monotone(fts: tuple[float, float, float], cap: float, values: list[float],
                                     direction: str, with_stretch: bool) -> None:
    f, t, s = fts
    if direction == "lower":
        f, t, s = -f, -t, -s
    x = np.sort(np.asarray(values))
    got = m.linear(x, direction, f, t, s if with_stretch else np.nan, cap)
    assert np.all(got >= 0) and np.all(got <= cap + 1e-9)
    steps = np.diff(got)
    assert np.all(steps >= -1e-9) if direction == "higher" else np.all(steps <= 1e-9)


@settings(max_examples=120, deadline=None)
@given(anchors, caps, st.sampled_from(["higher", "lower"]))
def test_linear_continuous_at_anchors(fts: tuple[float, float, float], cap: float, direction: str) -> None:
    f, t, s = fts
    if direction == "lower":
        f, t, s = -f, -t, -s
    eps = 1e-7
    for anchor, value in ((f, 0.0), (t, min(100.0, cap)), (s, cap)):
        around = m.linear(np.array([anchor - eps, anchor, anchor + eps]), direction, f, t, s, cap)
        assert abs(around[1] - value) < 1e-6
        assert np.all(np.abs(around - value) < 1e-3)


@settings(max_examples=120, deadline=None)
@given(st.floats(0.5, 1000), caps, xs, st.sampled_from(["higher", "lower"]))
def test_ratio_bounded_and_monotone(target: float, cap: float, values: list[float], direction: str) -> None:
    x = np.sort(np.abs(np.asarray(values)))
    got = m.ratio(x, direction, target, cap)
    assert np.all(got >= 0) and np.all(got <= cap)
    steps = np.diff(got)
    assert np.all(steps >= -1e-9) if direction == "higher" else np.all(steps <= 1e-9)


@settings(max_examples=120, deadline=None)
@given(st.floats(0.01, 50), caps, xs)
def test_deduction_bounded_and_decreasing(per_unit: float, cap: float, values: list[float]) -> None:
    x = np.sort(np.abs(np.asarray(values)))
    got = m.deduction(x, per_unit, cap)
    assert np.all(got >= 0) and np.all(got <= cap)
    assert np.all(np.diff(got) <= 1e-9)


@settings(max_examples=120, deadline=None)
@given(st.floats(1, 10), caps, xs)
def test_rating_bounded_and_increasing(scale: float, cap: float, values: list[float]) -> None:
    x = np.sort(np.asarray(values))
    got = m.rating(x, scale, cap)
    assert np.all(got >= 0) and np.all(got <= cap)
    assert np.all(np.diff(got) >= -1e-9)


@settings(max_examples=100, deadline=None)
@given(xs, caps)
def test_bands_bounded(values: list[float], cap: float) -> None:
    got = m.bands(np.asarray(values), [(None, 0.0, 500.0), (0.0, 10.0, 20.0), (10.0, None, 70.0)], cap)
    assert np.all(got >= 0) and np.all(got <= cap)
