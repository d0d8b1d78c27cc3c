"""Explanations a vendor can check by hand, built with numpy string ufuncs (no per-row Python).

One function per method turns aligned arrays (actual, parameters, score) into text such as
``实际 96.5（底线 90，目标 98，挑战 100）→ 线性：100×(96.5−90)/(98−90) = 81.25 分``.
Numbers print half-up with no trailing zeros: values and parameters with up to 4 decimals, scores 2.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from . import texts as tx
from .numbers import STR, FloatArray, StrArray, cat, fmt_num, strs

BoolArray = npt.NDArray[np.bool_]
VAL_DIGITS = 4


def _v(x: FloatArray) -> StrArray:
    return fmt_num(x, VAL_DIGITS)


def _s(x: FloatArray) -> StrArray:
    return fmt_num(x, 2)


def _pick(cond: BoolArray, a: StrArray | str, b: StrArray | str) -> StrArray:
    out: StrArray = np.where(cond, a, b)
    return out if out.dtype == STR else out.astype(STR)


def linear_text(a: FloatArray, higher: BoolArray, f: FloatArray, t: FloatArray, s: FloatArray, c: FloatArray,
                score: FloatArray, lang: str) -> StrArray:
    av, fv, tv = _v(a), _v(f), _v(t)
    pts = cat(_s(score), tx.PTS(lang))
    has_s = ~np.isnan(s)
    stretch_part: StrArray = np.full(len(a), "", dtype=STR)
    if has_s.any():
        stretch_part[has_s] = cat(tx.SEP(lang), tx.STRETCH(lang), _v(s[has_s]))
    params = cat(tx.OPEN(lang), _pick(higher, "", tx.LOWER_BETTER(lang)), tx.FLOOR(lang), fv, tx.SEP(lang),
                 tx.TARGET(lang), tv, stretch_part, tx.CLOSE(lang))
    # which straight line the value is on; "lower" is "higher" mirrored
    sign = np.where(higher, 1.0, -1.0)
    xs, fs, ts, ss = a * sign, f * sign, t * sign, s * sign
    with_s = has_s & (ss > ts)
    seg = np.select([xs <= fs, xs < ts, with_s & (xs >= ss), with_s], [0, 1, 3, 2], default=4)
    formula: StrArray = np.full(len(a), "", dtype=STR)
    formula[seg == 0] = tx.BELOW_FLOOR(lang)
    k = np.flatnonzero(seg == 1)
    if len(k):
        h = higher[k]
        formula[k] = cat("100×(", _pick(h, av[k], fv[k]), "−", _pick(h, fv[k], av[k]), ")/(", _pick(h, tv[k], fv[k]),
                         "−", _pick(h, fv[k], tv[k]), ") = ", pts[k])
    k = np.flatnonzero(seg == 2)
    if len(k):
        h, sv = higher[k], _v(s[k])
        formula[k] = cat("100+(", _v(c[k]), "−100)×(", _pick(h, av[k], tv[k]), "−", _pick(h, tv[k], av[k]), ")/(",
                         _pick(h, sv, tv[k]), "−", _pick(h, tv[k], sv), ") = ", pts[k])
    k = np.flatnonzero(seg == 3)
    if len(k):
        formula[k] = cat(tx.AT_STRETCH(lang), pts[k])
    k = np.flatnonzero(seg == 4)
    if len(k):
        formula[k] = cat(tx.AT_TARGET(lang), pts[k])
    return cat(tx.ACTUAL(lang), av, params, tx.LINEAR(lang), formula)


def ratio_text(a: FloatArray, higher: BoolArray, t: FloatArray, c: FloatArray, score: FloatArray,
               lang: str) -> StrArray:
    av, tv, pts = _v(a), _v(t), cat(_s(score), tx.PTS(lang))
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.where(higher, 100.0 * a / t, 100.0 * t / a)
    formula = _pick(higher, cat("100×", av, "/", tv), cat("100×", tv, "/", av))
    shown = cat(formula, " = ", _pick(raw > c, cat(_s(raw), tx.CAPPED(lang)),
                                      _pick(raw < 0, cat(_s(raw), tx.FLOORED(lang)), "")), pts)
    shown = _pick(~higher & (a == 0), cat(tx.ACTUAL(lang).strip(), tx.NOTHING_TO_LOWER(lang), pts), shown)
    return cat(tx.ACTUAL(lang), av, tx.OPEN(lang), tx.TARGET(lang), tv, tx.CLOSE(lang), tx.RATIO(lang), shown)


def bands_text(a: FloatArray, label: StrArray, score: FloatArray, lang: str) -> StrArray:
    found = np.strings.str_len(label) > 0
    tail = _pick(found, cat(label, " → ", _s(score), tx.PTS(lang)), tx.NO_BAND(lang))
    return cat(tx.ACTUAL(lang), _v(a), tx.BANDS(lang), tail)


def rating_text(a: FloatArray, detail: StrArray, k: FloatArray, score: FloatArray, lang: str) -> StrArray:
    av = _v(a)
    has = np.strings.str_len(detail) > 0
    return cat(tx.RATING(lang), av, _pick(has, cat(tx.OPEN(lang), detail, tx.CLOSE(lang), tx.ARROW_AFTER_CLOSE(lang)),
                                          " → "), _v(k),
               tx.SCALE(lang), "100×", av, "/", _v(k), " = ", _s(score), tx.PTS(lang))


def deduction_text(a: FloatArray, p: FloatArray, score: FloatArray, lang: str) -> StrArray:
    raw = 100.0 - p * a
    av = _v(a)
    return cat(tx.ACTUAL(lang), av, tx.DEDUCTION(lang), "100−", _v(p), "×", av, " = ",
               _pick(raw < 0, cat(_s(raw), " → "), ""), _s(score), tx.PTS(lang))


def adjust_text(a: FloatArray, p: FloatArray, c: FloatArray, score: FloatArray, lang: str) -> StrArray:
    p = np.where(np.isnan(p), 1.0, p)
    raw = p * a
    av = _v(a)
    plus = _pick(score > 0, "+", "")
    return cat(tx.ACTUAL(lang), av, tx.ADJUST(lang), _v(p), "×", av, " = ",
               _pick(np.abs(raw) > c, cat(_s(raw), tx.LIMITED(lang), _v(c), " → "), ""), plus, _s(score),
               tx.PTS(lang))


def veto_text(triggered: BoolArray, veto_score: float, lang: str) -> StrArray:
    on = cat(tx.VETO_ON(lang), _s(np.full(triggered.shape, veto_score)), tx.PTS(lang))
    return _pick(triggered, on, tx.VETO_OFF(lang))


def team_text(a: FloatArray, n: FloatArray, score: FloatArray, lang: str) -> StrArray:
    return cat(tx.TEAM(lang), _v(n), tx.TEAM_MEAN(lang), _s(a), " → ", _s(score), tx.PTS(lang))


def explain_rows(method: npt.NDArray[np.object_], *, actual: FloatArray, score: FloatArray, higher: BoolArray,
                 floor: FloatArray, target: FloatArray, stretch: FloatArray, cap: FloatArray,
                 per_unit: FloatArray, scale: FloatArray, band_label: StrArray, detail: npt.NDArray[Any],
                 team_n: FloatArray, lang: str, policy: str, veto_score: float) -> StrArray:
    """The explanation of every score row; rows without data say what the missing-data rule did."""
    n = len(method)
    out: StrArray = np.full(n, "", dtype=STR)
    missing = np.isnan(actual)

    def put(mask: BoolArray, build: Callable[[npt.NDArray[np.intp]], StrArray]) -> None:
        idx = np.flatnonzero(mask & ~missing)
        if len(idx):
            out[idx] = build(idx)

    put(method == "linear", lambda i: linear_text(actual[i], higher[i], floor[i], target[i], stretch[i], cap[i],
                                                  score[i], lang))
    put(method == "ratio", lambda i: ratio_text(actual[i], higher[i], target[i], cap[i], score[i], lang))
    put(method == "bands", lambda i: bands_text(actual[i], band_label[i], score[i], lang))
    put(method == "rating", lambda i: rating_text(actual[i], strs(detail[i]), scale[i], score[i], lang))
    put(method == "deduction", lambda i: deduction_text(actual[i], per_unit[i], score[i], lang))
    put(method == "adjust", lambda i: adjust_text(actual[i], per_unit[i], cap[i], score[i], lang))
    put(method == "veto", lambda i: veto_text(actual[i] >= 0.5, veto_score, lang))
    put(method == "team", lambda i: team_text(actual[i], team_n[i], score[i], lang))
    # a value but no score: the indicator's parameters cannot produce one
    bad = ~missing & np.isnan(score) & (method != "veto")
    out[bad] = cat(tx.ACTUAL(lang), _v(actual[bad]), " → ", tx.NO_PARAMS(lang)) if bad.any() else out[bad]
    out[missing] = tx.MISSING.get(policy, tx.MISSING["renormalize"])(lang)
    return out


def as_object(arr: StrArray) -> npt.NDArray[np.object_]:
    """StringDType → plain Python str objects, the form DataFrames and writers expect."""
    result: npt.NDArray[np.object_] = arr.astype(object)
    return result


__all__ = ["as_object", "explain_rows", "strs"]
