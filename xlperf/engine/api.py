"""The small public, vectorised API for UDFs (XP_SCORE, XP_TOTAL, XP_GRADE, XP_EXPLAIN, XP_BONUS) and
vendor-pack formulas. Same code paths as ``compute``, so a cell and the results table never disagree.

Every function takes scalars or arrays and returns a numpy array (call ``.item()`` / ``[0]`` for one cell).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import methods as m
from .explain import as_object, explain_rows
from .grades import grade_for as _grade_for
from .grades import rank_desc
from .incentives import bonus_for as _bonus_for
from .numbers import STR, FloatArray, round_half_up
from .scoring import band_labels

ObjArray = npt.NDArray[np.object_]


def _bands_list(bands: Sequence[Sequence[float | None]] | pd.DataFrame | None) -> list[m.Band]:
    if bands is None:
        return []
    if isinstance(bands, pd.DataFrame):
        rows = list(zip(bands["lower"], bands["upper"], bands["score"]))
    else:
        rows = [tuple(b) for b in bands]  # type: ignore[misc]
    out: list[m.Band] = []
    for lower, upper, score in rows:
        lo = None if lower is None or math.isnan(float(lower)) else float(lower)
        up = None if upper is None or math.isnan(float(upper)) else float(upper)
        out.append((lo, up, float(score if score is not None else 0.0)))
    return out


def score_values(values: npt.ArrayLike, method: str, *, direction: npt.ArrayLike = "higher",
                 floor: npt.ArrayLike = np.nan, target: npt.ArrayLike = np.nan, stretch: npt.ArrayLike = np.nan,
                 cap: npt.ArrayLike = m.DEFAULT_CAP, per_unit: npt.ArrayLike = np.nan,
                 bands: Sequence[Sequence[float | None]] | pd.DataFrame | None = None,
                 scale: npt.ArrayLike = m.DEFAULT_SCALE) -> FloatArray:
    """Points for period values under one method, rounded half-up to 2 decimals like the engine.

    ``veto`` returns 1.0 where the veto triggers, 0.0 where not; ``adjust`` returns signed points;
    ``team`` returns the value clamped to [0, cap]. NaN values give NaN.
    """
    x = np.atleast_1d(np.asarray(values, dtype=np.float64))
    method = method.strip().lower()
    if method == "linear":
        out = m.linear(x, direction, floor, target, stretch, cap)
    elif method == "ratio":
        out = m.ratio(x, direction, target, cap)
    elif method == "bands":
        out = m.bands(x, _bands_list(bands), cap)
    elif method == "rating":
        out = m.rating(x, scale, cap)
    elif method == "deduction":
        out = m.deduction(x, per_unit, cap)
    elif method == "adjust":
        out = m.adjust(x, per_unit, cap)
    elif method == "veto":
        out = np.where(np.isnan(x), np.nan, m.veto(x).astype(np.float64))
    elif method == "team":
        out = m.team(x, cap)
    else:
        raise ValueError(f"unknown scoring method {method!r}")
    return round_half_up(out, 2)


def explain_values(values: npt.ArrayLike, method: str, *, lang: str = "zh", direction: npt.ArrayLike = "higher",
                   floor: npt.ArrayLike = np.nan, target: npt.ArrayLike = np.nan, stretch: npt.ArrayLike = np.nan,
                   cap: npt.ArrayLike = m.DEFAULT_CAP, per_unit: npt.ArrayLike = np.nan,
                   bands: Sequence[Sequence[float | None]] | pd.DataFrame | None = None,
                   scale: npt.ArrayLike = m.DEFAULT_SCALE, veto_score: float = 0.0,
                   missing_policy: str = "renormalize") -> ObjArray:
    """The explanation text the engine writes for these values (the same words as the scores table)."""
    x = np.atleast_1d(np.asarray(values, dtype=np.float64))
    n = x.shape[0]
    score = score_values(x, method, direction=direction, floor=floor, target=target, stretch=stretch, cap=cap,
                         per_unit=per_unit, bands=bands, scale=scale)

    def arr(v: npt.ArrayLike, default: float = np.nan) -> FloatArray:
        a = np.broadcast_to(np.asarray(v, dtype=np.float64), (n,)).copy()
        a[np.isnan(a)] = default
        return a

    higher = np.broadcast_to(np.asarray(direction, dtype=object), (n,)) != "lower"
    label = band_labels(x, _bands_list(bands)) if method == "bands" else np.full(n, "", dtype=STR)
    text = explain_rows(np.full(n, method.strip().lower(), dtype=object), actual=x, score=score,
                        higher=np.asarray(higher, dtype=bool), floor=arr(floor), target=arr(target),
                        stretch=arr(stretch), cap=arr(cap, m.DEFAULT_CAP), per_unit=arr(per_unit),
                        scale=arr(scale, m.DEFAULT_SCALE), band_label=label, detail=np.full(n, "", dtype=STR),
                        team_n=np.full(n, np.nan), lang=lang, policy=missing_policy, veto_score=veto_score)
    return as_object(text)


def weighted_total(scores: npt.ArrayLike, weights: npt.ArrayLike, *, adjust: npt.ArrayLike = 0.0,
                   total_cap: float = 120.0, missing_policy: str = "renormalize") -> FloatArray:
    """Weighted mean of scores along the last axis, plus adjust points, in [0, total_cap], half-up 2dp.

    NaN scores are missing data: re-normalised away (default), scored 0 (``zero``) or the total is NaN
    (``exclude``). A 1-D input gives a 1-element array; a 2-D input one total per row.
    """
    s = np.atleast_2d(np.asarray(scores, dtype=np.float64))
    w = np.broadcast_to(np.asarray(weights, dtype=np.float64), s.shape)
    present = ~np.isnan(s)
    filled = np.where(present, s, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        if missing_policy == "zero":
            total = (filled * w).sum(axis=-1) / w.sum(axis=-1)
        else:
            total = (filled * w).sum(axis=-1) / np.where(present, w, 0.0).sum(axis=-1)
            if missing_policy == "exclude":
                total = np.where(present.all(axis=-1), total, np.nan)
    total = np.clip(total + np.asarray(adjust, dtype=np.float64), 0.0, total_cap)
    return round_half_up(total, 2)


def grade_for(totals: npt.ArrayLike, grades: pd.DataFrame, mode: str = "absolute", *,
              vetoed: npt.ArrayLike | None = None) -> ObjArray:
    """Grades of totals: ``absolute`` by min_score, ``forced`` by rank among ``totals`` (one group).

    ``grades`` is the grades table (grade, min_score, quota …), highest grade first.
    """
    t = np.atleast_1d(np.asarray(totals, dtype=np.float64))
    rank, rank_of = rank_desc(t)
    return _grade_for(t, grades, mode, vetoed=vetoed, rank=rank, rank_of=rank_of)


def bonus_for(grade: npt.ArrayLike, base: npt.ArrayLike, grades: pd.DataFrame, kind: str = "bonus") -> FloatArray:
    """``bonus``: base × bonus_coef of the grade; ``fee``: base × fee_adjust% of the grade (half-up cents)."""
    g = np.atleast_1d(np.asarray(grade, dtype=object))
    return _bonus_for(g, base, grades, kind)


__all__ = ["bonus_for", "explain_values", "grade_for", "round_half_up", "score_values", "weighted_total"]
