"""Validated, typed inputs: what validation hands to the scoring engine.

Each frame has field-key columns with clean types: numbers float64 (NaN when blank), text as str or
None, dates datetime64[ns] (NaT when blank), BOOL as Python bool or None, plus ``_row``: the Excel row
the record came from (for messages). Observations' ``value`` is float64; veto values are 1.0 / 0.0.
Observations always have ``period_id`` filled (derived from the date when blank).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .contract.tables import INPUT_TABLES
from .settings import Settings


@dataclass
class Inputs:
    settings: Settings
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # every input table except settings

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    @classmethod
    def empty_frame(cls, name: str) -> pd.DataFrame:
        table = next(t for t in INPUT_TABLES if t.name == name)
        return pd.DataFrame({k: pd.Series(dtype=object) for k in table.keys})
