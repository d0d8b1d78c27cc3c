"""The scoring methods, one vectorised function each: period value → points.

Every parameter may be a scalar or an array aligned with ``values``, so the engine scores all rows of a
method across many indicators in one call, and a UDF scores one cell with the same code. Scores are
bounded by [0, cap]; NaN in means NaN out (missing data is the caller's business).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .numbers import FloatArray

DEFAULT_CAP = 100.0
DEFAULT_SCALE = 5.0
WEIGHTED_METHODS = ("linear", "ratio", "bands", "rating", "deduction", "team")
UNWEIGHTED_METHODS = ("adjust", "veto")

Band = tuple[float | None, float | None, float]  # lower (incl.), upper (excl.), score; None = open


def _f(x: npt.ArrayLike) -> FloatArray:
    return np.asarray(x, dtype=np.float64)


def _higher(direction: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """True where higher is better; anything but 'lower' counts as higher (the contract's default)."""
    return np.asarray(np.asarray(direction, dtype=object) != "lower", dtype=bool)


def _cap(cap: npt.ArrayLike) -> FloatArray:
    c = _f(cap)
    return np.where(np.isnan(c), DEFAULT_CAP, c)


def linear(values: npt.ArrayLike, direction: npt.ArrayLike, floor: npt.ArrayLike, target: npt.ArrayLike,
           stretch: npt.ArrayLike = np.nan, cap: npt.ArrayLike = DEFAULT_CAP) -> FloatArray:
    """Floor → 0, target → 100, stretch → cap, straight lines between, flat outside.

    'lower' is 'higher' mirrored: negate the value and the three anchors. Without a stretch, anything
    at or beyond the target earns 100 (capped by cap when cap < 100).
    """
    x, f, t, s, c = np.broadcast_arrays(_f(values), _f(floor), _f(target), _f(stretch), _cap(cap))
    sign = np.where(_higher(np.broadcast_to(np.asarray(direction, dtype=object), x.shape)), 1.0, -1.0)
    x, f, t, s = x * sign, f * sign, t * sign, s * sign
    with np.errstate(all="ignore"):
        below = 100.0 * (x - f) / (t - f)
        above = 100.0 + (c - 100.0) * (x - t) / (s - t)
    has_stretch = ~np.isnan(s) & (s > t)
    out = np.where(x <= f, 0.0, np.where(x < t, below, np.where(has_stretch, np.where(x >= s, c, above), 100.0)))
    out = np.clip(out, 0.0, c)
    out[np.isnan(x) | np.isnan(f) | np.isnan(t) | ~(t > f)] = np.nan
    result: FloatArray = out
    return result


def ratio(values: npt.ArrayLike, direction: npt.ArrayLike, target: npt.ArrayLike,
          cap: npt.ArrayLike = DEFAULT_CAP) -> FloatArray:
    """higher: 100·x/T; lower: 100·T/x, and x = 0 (nothing to lower) scores cap. Clamped to [0, cap]."""
    x, t, c = np.broadcast_arrays(_f(values), _f(target), _cap(cap))
    hi = _higher(np.broadcast_to(np.asarray(direction, dtype=object), x.shape))
    with np.errstate(all="ignore"):
        out = np.where(hi, 100.0 * x / t, np.where(x == 0, c, 100.0 * t / x))
    out = np.clip(out, 0.0, c)
    out[np.isnan(x) | np.isnan(t) | (t == 0)] = np.nan
    result: FloatArray = out
    return result


def bands(values: npt.ArrayLike, table: Sequence[Band], cap: npt.ArrayLike = DEFAULT_CAP) -> FloatArray:
    """The score of the band with lower ≤ x < upper (a blank bound is open); no band → 0.

    The first matching band wins, so overlapping bands resolve in table order.
    """
    x = _f(values)
    out = np.full(x.shape, np.nan)
    todo = ~np.isnan(x)
    for lower, upper, score in table:
        hit = todo.copy()
        if lower is not None and not np.isnan(lower):
            hit &= x >= lower
        if upper is not None and not np.isnan(upper):
            hit &= x < upper
        out[hit] = score
        todo &= ~hit
    out[todo] = 0.0
    result: FloatArray = np.clip(out, 0.0, _cap(cap))
    return result


def rating(values: npt.ArrayLike, scale: npt.ArrayLike = DEFAULT_SCALE, cap: npt.ArrayLike = DEFAULT_CAP) -> FloatArray:
    """100·r/scale, r being the (weighted) rating on a 1..scale scale."""
    x, k, c = np.broadcast_arrays(_f(values), _f(scale), _cap(cap))
    k = np.where(np.isnan(k) | (k <= 0), DEFAULT_SCALE, k)
    result: FloatArray = np.clip(100.0 * x / k, 0.0, c)
    return result


def deduction(values: npt.ArrayLike, per_unit: npt.ArrayLike, cap: npt.ArrayLike = DEFAULT_CAP) -> FloatArray:
    """100 − per_unit·x, never below 0."""
    x, p, c = np.broadcast_arrays(_f(values), _f(per_unit), _cap(cap))
    result: FloatArray = np.clip(100.0 - p * x, 0.0, np.minimum(c, 100.0))
    result[np.isnan(p)] = np.nan
    return result


def adjust(values: npt.ArrayLike, per_unit: npt.ArrayLike, cap: npt.ArrayLike = DEFAULT_CAP) -> FloatArray:
    """Bonus or penalty points: per_unit·x, limited to ±cap. Added to the total, never weighted."""
    x, p, c = np.broadcast_arrays(_f(values), _f(per_unit), _cap(cap))
    p = np.where(np.isnan(p), 1.0, p)
    result: FloatArray = np.clip(p * x, -c, c)
    return result


def veto(values: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """A yes-like value (validation turns 是/Y/TRUE into 1.0) triggers the veto."""
    x = _f(values)
    return np.asarray(x >= 0.5, dtype=bool)


def team(values: npt.ArrayLike, cap: npt.ArrayLike = DEFAULT_CAP) -> FloatArray:
    """The mean of a vendor's worker totals, used as the indicator score as it stands."""
    x, c = np.broadcast_arrays(_f(values), _cap(cap))
    result: FloatArray = np.clip(x, 0.0, c)
    return result
