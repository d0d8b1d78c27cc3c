"""The periods a pull fills, as half-open date windows [start, end + 1 day).

Half-open so that a timestamp late on the last day still belongs to the period, and so that a database
compares a date column, a timestamp column or ISO date text (SQLite) the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

import pandas as pd


@dataclass(frozen=True)
class Window:
    period_id: str
    start: dt.date
    stop: dt.date  # the day after the period's last day


def windows(periods: pd.DataFrame, chosen: list[str]) -> list[Window]:
    """One window per chosen leaf period, in date order."""
    by_id = periods.set_index(periods["period_id"].astype(str))
    out = []
    for pid in chosen:
        start, end = (pd.Timestamp(cast(Any, by_id.at[pid, k])).date() for k in ("start", "end"))
        out.append(Window(pid, start, end + dt.timedelta(days=1)))
    return sorted(out, key=lambda w: w.start)
