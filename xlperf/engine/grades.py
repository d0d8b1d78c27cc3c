"""Ranks and grades.

Ranks: totals descending, ties share the better rank (1, 2, 2, 4 …), within a ranking group.
Grades, absolute: the first grade (grades are listed highest first) whose min_score ≤ total.
Grades, forced: the subject at rank k of N gets the first grade whose cumulative quota ≥ k/N.
A vetoed subject gets the lowest grade whatever its rank; a subject without a total gets none.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from .numbers import FloatArray

ObjArray = npt.NDArray[np.object_]


def grade_names(grades: pd.DataFrame) -> list[str]:
    if grades is None or len(grades) == 0:
        return []
    return [str(g) for g in grades["grade"]]


def rank_desc(totals: npt.ArrayLike, groups: npt.ArrayLike | None = None) -> tuple[FloatArray, FloatArray]:
    """(rank, rank_of) per row: competition ranking of totals within each group; NaN totals unranked."""
    t = pd.Series(np.asarray(totals, dtype=np.float64))
    g = pd.Series(np.zeros(len(t), dtype=np.int64) if groups is None else np.asarray(groups, dtype=object))
    rank: FloatArray = np.asarray(t.groupby(g, sort=False).rank(method="min", ascending=False), dtype=np.float64)
    rank_of = t.notna().groupby(g, sort=False).transform("sum").to_numpy(dtype=np.float64)
    rank_of_out: FloatArray = np.where(t.isna().to_numpy(), np.nan, rank_of).astype(np.float64)
    return rank, rank_of_out


def grade_for(totals: npt.ArrayLike, grades: pd.DataFrame, mode: str = "absolute", *,
              vetoed: npt.ArrayLike | None = None, rank: npt.ArrayLike | None = None,
              rank_of: npt.ArrayLike | None = None) -> ObjArray:
    """The grade of each total ('' when there is no total or no grade table).

    ``mode='forced'`` needs each total's rank and the size of its ranking group; when they are not
    given, all ``totals`` form one group.
    """
    t = np.asarray(totals, dtype=np.float64)
    names = grade_names(grades)
    out: ObjArray = np.full(t.shape, "", dtype=object)
    if not names:
        return out
    lowest = len(names) - 1
    idx = np.full(t.shape, lowest, dtype=np.int64)
    if mode == "forced":
        if rank is None or rank_of is None:
            rank, rank_of = rank_desc(t)
        k = np.asarray(rank, dtype=np.float64)
        n = np.asarray(rank_of, dtype=np.float64)
        quota = _column(grades, "quota").fillna(0.0).to_numpy(dtype=np.float64)
        cum = np.cumsum(quota)
        # cum/100 ≥ k/N, compared as cum·N ≥ 100·k so 80% of 10 is exactly 8 places
        for i in range(len(names) - 1, -1, -1):
            idx = np.where(cum[i] * n >= 100.0 * k - 1e-9, i, idx)
    else:
        mins = _column(grades, "min_score").to_numpy(dtype=np.float64)
        for i in range(len(names) - 1, -1, -1):
            if not np.isnan(mins[i]):
                idx = np.where(t >= mins[i] - 1e-9, i, idx)
    if vetoed is not None:
        idx = np.where(np.asarray(vetoed, dtype=bool), lowest, idx)
    out[:] = np.asarray(names, dtype=object)[idx]
    out[np.isnan(t)] = ""
    return out


def _column(grades: pd.DataFrame, col: str) -> pd.Series:
    if col not in grades:
        return pd.Series(np.nan, index=grades.index, dtype=np.float64)
    return pd.to_numeric(grades[col], errors="coerce").astype(np.float64)
