"""Roll-up periods (a quarter its months roll up into) may leave their start and end blank: the
dates are taken from the periods that roll up into them, each reported as an info finding
(``rollup-dates-derived``, declared by the periods check, which calls ``rollup_dates`` first)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from ..findings import Finding
from .context import Context
from .parse import Parsed


def rollup_rows(parsed: dict[str, Parsed]) -> np.ndarray[Any, Any]:
    """Rows of the periods table that other periods roll up into (a quarter of months): their start
    and end may be left blank, they are taken from those periods (``rollup_dates``)."""
    ids, ups = parsed.get("period_id"), parsed.get("rollup")
    if ids is None or ups is None:
        n = len(next(iter(parsed.values())).blank) if parsed else 0
        return np.zeros(n, dtype=bool)
    parents = set(ups.values.dropna().astype(str))
    return np.asarray(ids.values.astype(str).isin(parents) & ~ids.blank, dtype=bool)


def rollup_exempt(table: str, key: str, p: Parsed, parsed: dict[str, Parsed]) -> Parsed:
    """The periods' start/end columns with the roll-up periods' blanks not counted as missing."""
    if table != "periods" or key not in ("start", "end"):
        return p
    return replace(p, blank=p.blank & ~rollup_rows(parsed))


def rollup_dates(ctx: Context, periods: pd.DataFrame) -> Iterator[Finding]:
    """A roll-up period with a blank start or end gets the earliest start / latest end of the
    periods that roll up into it (an info finding names the dates taken)."""
    loc = ctx.located["periods"]
    if not loc.has("rollup"):
        return
    children = periods[periods["rollup"].notna()]
    if children.empty:
        return
    span = children.groupby(children["rollup"].astype(str)).agg(first=("start", "min"), last=("end", "max"))
    ids = periods["period_id"].astype(str)
    for key, source in (("start", "first"), ("end", "last")):
        missing = periods[key].isna() & ids.isin(span.index)
        if not missing.any():
            continue
        taken = span[source].reindex(ids[missing]).to_numpy()
        periods.loc[missing, key] = taken
        shown = pd.Series(taken).dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
        yield from ctx.cells("rollup-dates-derived", loc, key, periods.index.to_numpy()[missing.to_numpy()],
                             per_row={"new": shown, "period": ids[missing].to_numpy(dtype=object)})
