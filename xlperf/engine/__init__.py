"""The scoring engine: pure and vectorised (pandas/numpy), no Excel and no file I/O.

``compute(inputs, periods)`` scores a whole workbook; the functions of ``api`` score single cells or
arrays the same way for UDFs and vendor-pack formulas. docs/SCORING.md states the rules.
"""

from __future__ import annotations

from .api import bonus_for, explain_values, grade_for, score_values, weighted_total
from .compute import compute
from .numbers import round_half_up
from .results import Results

__all__ = [
           "Results",
           "bonus_for",
           "compute",
           "explain_values",
           "grade_for",
           "round_half_up",
           "score_values",
           "weighted_total",
]
