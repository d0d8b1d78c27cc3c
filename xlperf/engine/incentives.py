"""Incentives from grades: a worker's bonus, a vendor's fee adjustment, and the grade's action."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from .numbers import FloatArray, round_half_up


def _by_grade(grades: pd.DataFrame, column: str) -> dict[str, float]:
    if grades is None or len(grades) == 0 or column not in grades:
        return {}
    values = pd.to_numeric(grades[column], errors="coerce").astype(np.float64)
    return dict(zip(grades["grade"].astype(str), values))


def bonus_for(grade: npt.ArrayLike, base: npt.ArrayLike, grades: pd.DataFrame, kind: str = "bonus") -> FloatArray:
    """kind='bonus': base_bonus × bonus_coef of the grade; kind='fee': base_fee × fee_adjust% of the grade.

    NaN where the grade is unknown or the base is blank. Rounded half-up to cents.
    """
    column, scale = ("bonus_coef", 1.0) if kind == "bonus" else ("fee_adjust", 0.01)
    coef = _per_grade(grade, _by_grade(grades, column), np.nan).astype(np.float64)
    b = np.broadcast_to(np.asarray(base, dtype=np.float64), coef.shape)
    return round_half_up(b * coef * scale, 2)


def action_for(grade: npt.ArrayLike, grades: pd.DataFrame) -> npt.NDArray[np.object_]:
    if grades is None or len(grades) == 0 or "action" not in grades:
        return np.full(len(np.asarray(grade, dtype=object)), "", dtype=object)
    actions = grades["action"].where(grades["action"].notna(), "").astype(str)
    mapping = dict(zip(grades["grade"].astype(str), actions))
    return _per_grade(grade, mapping, "")


def _per_grade(grade: npt.ArrayLike, mapping: Mapping[str, object], missing: object) -> npt.NDArray[Any]:
    """``mapping`` of each grade (``missing`` for blanks and unknown grades), looked up per distinct grade."""
    codes, uniques = pd.factorize(np.asarray(grade, dtype=object), use_na_sentinel=True)
    table = np.asarray([*(mapping.get(u, missing) for u in uniques), missing], dtype=object)
    out: npt.NDArray[Any] = table[codes]
    return out
