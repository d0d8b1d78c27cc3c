"""Validated, typed inputs: what validation hands to the scoring engine.

Each frame has field-key columns with clean types: numbers float64 (NaN when blank), text as str or
None, dates datetime64[ns] (NaT when blank), BOOL as Python bool or None, plus ``_row``: the Excel row
the record came from (for messages). Observations' ``value`` is float64; veto values are 1.0 / 0.0.
Observations always have ``period_id`` filled (derived from the date when blank). A field with a
contract default (``Field.default``: an indicator's direction, cap, scale, aggregation) is never blank
here: ``Inputs`` fills it when it is made (``with_defaults``), so no reader of Inputs keeps a default.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .contract.schema import Table
from .contract.tables import INPUT_TABLES, TABLES_BY_NAME
from .settings import Settings


def with_defaults(table: Table | str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the blank cells of every field that has a contract default filled with it (a
    missing column is added, all default). The frame itself when nothing is blank, else a copy: typed
    frames are never changed in place."""
    t = TABLES_BY_NAME[table] if isinstance(table, str) else table
    out = frame
    for f in t.fields:
        if f.default is None:
            continue
        if f.key not in out:
            out = out.copy() if out is frame else out
            out[f.key] = pd.Series([f.default] * len(out), index=out.index, dtype=object if isinstance(
                f.default, str) else "float64")
            continue
        col = out[f.key]
        blank = col.isna()
        if col.dtype == object or pd.api.types.is_string_dtype(col.dtype):  # "" is blank too (frames made by hand, not by validation)
            blank |= col.astype(str).eq("").to_numpy(dtype=bool)
        if blank.any():
            out = out.copy() if out is frame else out
            out[f.key] = col.where(~blank, f.default)
    return out


@dataclass
class Inputs:
    settings: Settings
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # every input table except settings

    def __post_init__(self) -> None:
        self.tables = {name: with_defaults(name, frame) if name in TABLES_BY_NAME else frame
                       for name, frame in self.tables.items()}

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    @classmethod
    def empty_frame(cls, name: str) -> pd.DataFrame:
        table = next(t for t in INPUT_TABLES if t.name == name)
        return pd.DataFrame({k: pd.Series(dtype=object) for k in table.keys})
