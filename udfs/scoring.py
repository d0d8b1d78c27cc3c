"""What the XP_* worksheet functions compute, as plain array functions (no Excel, no xlwings).

A thin layer over the engine's vectorised API (``xlperf.engine.api``: the same code paths as
``compute``, so a cell and the results sheet never disagree). This layer only adds what a worksheet
needs: any array shape in and the same shape out, parameters gathered in a ``ScoreSpec`` (from explicit
arguments or from an indicator of the workbook), and veto cells typed as 是/否.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from xlperf.contract.choices import METHODS
from xlperf.engine import api
from xlperf.engine import methods as m
from xlperf.validation.parse import YES_WORDS

from .arrays import FloatArray

NAN = math.nan
# validation's yes-words (the one list, so a cell and the results sheet read a veto cell alike) plus 否决
YES = YES_WORDS | {"1.0", "否决"}
GRADE_COLUMNS = ("grade", "min_score", "quota", "bonus_coef", "fee_adjust")


@dataclass(frozen=True)
class ScoreSpec:
    """How one indicator turns a value into points (the indicator columns of the contract)."""

    method: str
    direction: str = "higher"
    floor: float = NAN
    target: float = NAN
    stretch: float = NAN
    cap: float = NAN  # NaN: the engine's default cap (100)
    per_unit: float = NAN
    scale: float = NAN  # NaN: the engine's default scale (5)
    bands: tuple[m.Band, ...] = ()
    name: str = ""

    def overridden(self, **params: Any) -> ScoreSpec:
        """This spec with every given, non-missing parameter replacing its own."""
        given = {k: v for k, v in params.items() if v is not None and not (isinstance(v, float) and math.isnan(v))}
        return replace(self, **given) if given else self

    def engine_params(self) -> dict[str, Any]:
        return {
            "direction": self.direction, "floor": self.floor, "target": self.target, "stretch": self.stretch,
            "cap": m.DEFAULT_CAP if math.isnan(self.cap) else self.cap, "per_unit": self.per_unit,
            "bands": list(self.bands), "scale": m.DEFAULT_SCALE if math.isnan(self.scale) else self.scale,
        }


def check_method(method: str) -> str:
    """The method key of what a cell says: the key, or its word in a workbook's dropdown (线性)."""
    key = METHODS.parse(method)
    if key is None:
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
    """Points for every value (any shape), as the engine scores them; NaN stays NaN."""
    x = np.asarray(values, dtype=np.float64)
    out = api.score_values(x.ravel(), check_method(spec.method), **spec.engine_params())
    return out.reshape(x.shape)


def explain_values(values: FloatArray, spec: ScoreSpec, lang: str = "zh") -> npt.NDArray[Any]:
    """The engine's explanation sentence for every value (the words of the scores sheet)."""
    x = np.asarray(values, dtype=np.float64)
    out = api.explain_values(x.ravel(), check_method(spec.method), lang=lang, **spec.engine_params())
    return np.asarray(out, dtype=object).reshape(x.shape)


def weighted_total(scores: FloatArray, weights: FloatArray, policy: str = "renormalize") -> FloatArray:
    """One total per row of ``scores`` (rows = subjects, columns = indicators), as the engine totals."""
    s = np.asarray(scores, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64).reshape(1, -1)
    return api.weighted_total(s, w, missing_policy=policy)


def grade_frame(grades: Any) -> pd.DataFrame:
    """A range laid out like 等级与激励 (grade, min score, quota, bonus coefficient, fee adjustment...,
    highest grade first) as the engine's grades table; missing trailing columns are blank."""
    arr = np.asarray(grades, dtype=object)
    if arr.ndim != 2 or arr.shape[1] < 2:
        raise ValueError("grade_table")
    width = min(arr.shape[1], len(GRADE_COLUMNS))
    frame = pd.DataFrame(arr[:, :width], columns=list(GRADE_COLUMNS[:width])).reindex(columns=list(GRADE_COLUMNS))
    names = frame["grade"].where(frame["grade"].notna(), "").astype(str).str.strip()
    names = names.str.replace(r"\.0$", "", regex=True)
    frame = frame.loc[names != ""].copy()
    frame["grade"] = names[names != ""]
    for col in GRADE_COLUMNS[1:]:
        frame[col] = pd.to_numeric(frame[col], errors="coerce")
    return frame.reset_index(drop=True)


def grade_for(totals: FloatArray, grades: pd.DataFrame, mode: str = "absolute") -> npt.NDArray[Any]:
    """Grade of each total: by min score (absolute) or by rank among the given totals (forced)."""
    t = np.asarray(totals, dtype=np.float64)
    return np.asarray(api.grade_for(t.ravel(), grades, mode), dtype=object).reshape(t.shape)


def bonus_for(grades: npt.NDArray[Any], base: FloatArray, table: pd.DataFrame) -> FloatArray:
    """base bonus × the grade's bonus coefficient (NaN where the grade is unknown), half-up cents."""
    g = np.asarray(grades, dtype=object)
    b = np.broadcast_to(np.asarray(base, dtype=np.float64), g.shape)
    return api.bonus_for(g.ravel(), b.ravel(), table).reshape(g.shape)
