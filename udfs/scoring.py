"""What the XP_* worksheet functions compute, as plain array functions (no Excel, no xlwings).

Each is a thin layer over the engine's vectorised methods (``xlperf.engine.methods``) and number rules
(``xlperf.engine.numbers``): one call scores a whole range, and the numbers are the ones the engine
writes to the result sheets (scores and totals rounded half-up to 2 decimals).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from xlperf.contract.tables import METHODS
from xlperf.engine import methods as m
from xlperf.engine.numbers import fmt_num, fmt_one, round_half_up

from .arrays import FloatArray

NAN = math.nan
YES = {"是", "y", "yes", "true", "1", "1.0", "√", "x", "否决"}


@dataclass(frozen=True)
class ScoreSpec:
    """How one indicator turns a value into points (the indicator columns of the contract)."""

    method: str
    direction: str = "higher"
    floor: float = NAN
    target: float = NAN
    stretch: float = NAN
    cap: float = NAN
    per_unit: float = NAN
    scale: float = NAN
    bands: tuple[m.Band, ...] = ()
    name: str = ""

    def overridden(self, **params: Any) -> ScoreSpec:
        """This spec with every given, non-missing parameter replacing its own."""
        given = {k: v for k, v in params.items() if v is not None and not (isinstance(v, float) and math.isnan(v))}
        return replace(self, **given) if given else self


def check_method(method: str) -> str:
    key = method.strip().lower()
    if key not in METHODS:
        raise ValueError(method)
    return key


def veto_flags(values: Any) -> FloatArray:
    """1.0 where a cell says yes (是/Y/TRUE/1...), 0.0 where it says anything else, NaN when blank."""
    arr = np.asarray(values, dtype=object)
    s = pd.Series(arr.ravel(), dtype=object)
    text = s.where(s.notna(), "").astype(str).str.strip().str.lower()
    out = np.where(text.isin(YES), 1.0, 0.0)
    out[(text == "").to_numpy()] = np.nan
    numeric = pd.to_numeric(s, errors="coerce").to_numpy(dtype=np.float64)
    has_num = ~np.isnan(numeric)
    out[has_num] = (numeric[has_num] >= 0.5).astype(np.float64)
    return np.asarray(out, dtype=np.float64).reshape(arr.shape)


def score_values(values: FloatArray, spec: ScoreSpec) -> FloatArray:
    """Points for every value (any shape), rounded half-up to 2 decimals; NaN stays NaN.

    veto gives 1.0 where the veto triggers and 0.0 where it does not (values already as flags).
    """
    x = np.asarray(values, dtype=np.float64)
    method = check_method(spec.method)
    cap = spec.cap
    if method == "linear":
        raw = m.linear(x, spec.direction, spec.floor, spec.target, spec.stretch, cap)
    elif method == "ratio":
        raw = m.ratio(x, spec.direction, spec.target, cap)
    elif method == "bands":
        raw = m.bands(x, spec.bands, cap)
    elif method == "rating":
        raw = m.rating(x, spec.scale, cap)
    elif method == "deduction":
        raw = m.deduction(x, spec.per_unit, cap)
    elif method == "adjust":
        raw = m.adjust(x, spec.per_unit, cap)
    elif method == "team":
        raw = m.team(x, cap)
    else:  # veto
        flags = m.veto(np.nan_to_num(x, nan=0.0)).astype(np.float64)
        flags[np.isnan(x)] = np.nan
        return flags
    return round_half_up(raw, 2)


def weighted_total(scores: FloatArray, weights: FloatArray, policy: str = "renormalize") -> FloatArray:
    """One total per row of ``scores`` (rows = subjects, columns = indicators) with the given weights.

    renormalize: Σ score·weight / Σ weight over the indicators that have a score; zero: a missing score
    counts 0; exclude: no total when any score is missing. Rounded half-up to 2 decimals.
    """
    s = np.asarray(scores, dtype=np.float64)
    w = np.broadcast_to(np.asarray(weights, dtype=np.float64).reshape(1, -1), s.shape)
    present = ~np.isnan(s) & ~np.isnan(w)
    points = np.where(present, s * w, 0.0).sum(axis=1)
    if policy == "zero":
        denominator = np.where(np.isnan(w), 0.0, w).sum(axis=1)
    else:
        denominator = np.where(present, w, 0.0).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        total = points / denominator
    total[denominator == 0] = np.nan
    if policy == "exclude":
        total[(~present & ~np.isnan(w)).any(axis=1)] = np.nan
    return round_half_up(total, 2)


@dataclass(frozen=True)
class GradeTable:
    """Grades highest first, as in the 等级与激励 table."""

    grades: tuple[str, ...]
    min_scores: tuple[float, ...]
    bonus_coefs: tuple[float, ...] = ()


def grade_for(totals: FloatArray, table: GradeTable) -> npt.NDArray[Any]:
    """The grade of each total: the first grade (highest first) whose minimum the total reaches."""
    t = np.asarray(totals, dtype=np.float64)
    mins = np.asarray(table.min_scores, dtype=np.float64)
    out = np.full(t.shape, None, dtype=object)
    todo = ~np.isnan(t)
    # a handful of grades, any number of totals: loop over the grades, never over the totals
    for grade, low in zip(table.grades, mins):
        hit = todo & (t >= (low if not np.isnan(low) else -np.inf))
        out[hit] = grade
        todo &= ~hit
    return out


def bonus_for(grades: npt.NDArray[Any], base: FloatArray, table: GradeTable) -> FloatArray:
    """base bonus × the bonus coefficient of each grade (NaN where the grade is unknown), 2 decimals."""
    coef = dict(zip(table.grades, table.bonus_coefs))
    g = pd.Series(np.asarray(grades, dtype=object).ravel(), dtype=object)
    c = g.map(coef).astype(np.float64).to_numpy().reshape(np.shape(grades))
    b = np.broadcast_to(np.asarray(base, dtype=np.float64), c.shape)
    return round_half_up(b * c, 2)


_METHOD_NAMES = {
    "linear": ("线性", "linear"), "ratio": ("比率", "ratio"), "bands": ("分档", "bands"),
    "rating": ("评分", "rating"), "deduction": ("扣分", "deduction"), "adjust": ("加减分", "adjust"),
    "veto": ("一票否决", "veto"), "team": ("团队", "team"),
}


def explain_values(values: FloatArray, spec: ScoreSpec, lang: str = "zh") -> npt.NDArray[Any]:
    """One sentence per value: the method, its parameters, the value and the points it earns."""
    x = np.asarray(values, dtype=np.float64)
    method = check_method(spec.method)
    points = score_values(x, spec)
    name = _METHOD_NAMES[method][0 if lang == "zh" else 1]
    params = _param_text(spec, method, lang)
    shown = _fmt(x.ravel())
    result: pd.Series[str]
    if method == "veto":
        yes, no = ("触发否决", "未触发") if lang == "zh" else ("veto triggered", "no veto")
        result = pd.Series(np.where(points.ravel() >= 0.5, yes, no), dtype=str)
    else:
        result = _fmt(points.ravel()) + (" 分" if lang == "zh" else " points")
    head = f"{name}（{params}）：" if lang == "zh" else f"{name} ({params}): "
    arrow = pd.Series(["实际值 " if lang == "zh" else "value "] * x.size)
    text = head + arrow + shown + " → " + result
    blank = "无数据" if lang == "zh" else "no data"
    text[np.isnan(x.ravel())] = head + blank
    return np.asarray(text, dtype=object).reshape(x.shape)


def _fmt(values: FloatArray) -> pd.Series[str]:
    # the engine's number printing (half-up, no trailing zeros), as a Series for string concatenation
    return pd.Series(np.asarray(fmt_num(values)).astype(object), dtype=object)


def _param_text(spec: ScoreSpec, method: str, lang: str) -> str:
    zh = lang == "zh"
    parts: list[tuple[str, str, float]] = []
    if method == "linear":
        parts = [("底线", "floor", spec.floor), ("目标", "target", spec.target), ("挑战", "stretch", spec.stretch)]
    elif method == "ratio":
        parts = [("目标", "target", spec.target)]
    elif method in ("deduction", "adjust"):
        parts = [("每单位", "per unit", spec.per_unit)]
    elif method == "rating":
        parts = [("分制", "scale", spec.scale if not math.isnan(spec.scale) else m.DEFAULT_SCALE)]
    bits = [f"{(zh_label if zh else en_label)} {fmt_one(v)}" for zh_label, en_label, v in parts
            if not math.isnan(v)]
    if method in ("linear", "ratio"):
        lower = spec.direction == "lower"
        bits.insert(0, ("越低越好" if lower else "越高越好") if zh else ("lower is better" if lower else "higher is better"))
    if method == "bands":
        bits.append(f"{len(spec.bands)} 档" if zh else f"{len(spec.bands)} bands")
    if not math.isnan(spec.cap):
        bits.append(f"{'上限' if zh else 'cap'} {fmt_one(spec.cap)}")
    return ("，" if zh else ", ").join(bits)
