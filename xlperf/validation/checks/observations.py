"""Monitoring-record values: a number for every indicator, yes/no for veto indicators, no negative
counts, ratings within their scale. Sets the typed ``value`` column (veto: 1.0 / 0.0)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from ...findings import Finding, Severity
from .. import percents
from ..context import CAP, Context, Located, lookup
from ..parse import (
    FULLWIDTH,
    PERCENT,
    SPACES,
    TEXT_NUMBER,
    THOUSANDS,
    YES_NO,
    Parsed,
    parse_bool,
    parse_number,
)
from .cells import _shown, num

CODES = ("veto-not-yes-no", "negative-count", "rating-out-of-scale", "implausible-value", YES_NO)
NOTE_CODES = (PERCENT, percents.PERCENT_FRACTION, FULLWIDTH, THOUSANDS, SPACES, TEXT_NUMBER, YES_NO)
# Methods whose floor / target / stretch (or bands) are on the scale of the values themselves.
_SCALED = ("linear", "ratio", "bands")


def indicator_attr(ctx: Context, ids: pd.Series[Any], attr: str) -> pd.Series[Any]:
    """The indicator's ``attr`` for each indicator id (missing for unknown ids)."""
    return lookup(ids, ctx.frames.get("indicators"), "indicator_id", attr)


def check(ctx: Context) -> Iterator[Finding]:
    loc, obs = ctx.located.get("observations"), ctx.frames.get("observations")
    if loc is None or obs is None or not loc.has("value"):
        return
    j = loc.columns["value"]
    raw = loc.raw.data.iloc[:, j] if j < loc.raw.data.shape[1] else pd.Series([None] * len(loc.raw.data), dtype=object)
    ind = ctx.frames.get("indicators")
    ids = ctx.coded("observations", "indicator_id")  # attributes looked up per distinct indicator id
    method = ids.lookup(ind, "indicator_id", "method")
    veto = method.isin("veto")
    values = np.full(len(obs), np.nan)
    # per indicator: the range of its thresholds and whether they are fractions (see percents)
    refs = percents.references(ind, ctx.frames.get("bands"))
    as_fraction = ids.lookup(refs, "indicator_id", "fraction").take().astype(float) == 1.0
    for mask, parse, bad_code in ((~veto, parse_number, "not-a-number"), (veto, parse_bool, "veto-not-yes-no")):
        if not mask.any():
            continue
        rows = obs.index.to_numpy()[mask]
        sub = raw.iloc[rows].reset_index(drop=True)
        p = parse(sub)
        pct = percents.percent_cells(loc.raw, j, p, rows) if parse is parse_number else np.zeros(len(rows), bool)
        if parse is parse_number:
            percents.read(p, pct, as_fraction[mask])
        values[mask] = p.values.to_numpy(dtype=float)
        yield from _report(ctx, loc, obs["indicator_id"].to_numpy(dtype=object)[mask], rows, p, bad_code, raw, pct)
    obs["value"] = values
    ctx.changed("observations", "value")
    yield from _plausible(ctx, loc, obs, ids, ind, refs, values, ~veto)
    idx = obs.index.to_numpy()
    agg = ids.lookup(ind, "indicator_id", "aggregation")
    counting = method.isin("deduction") | agg.isin("count")
    with np.errstate(invalid="ignore"):
        negative = counting & (values < 0)
    yield from ctx.cells("negative-count", loc, "value", idx[negative],
                         per_row={"indicator": obs["indicator_id"].to_numpy(dtype=object)[negative]})
    scale = ids.lookup(ind, "indicator_id", "scale").series(obs.index).to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):  # a scale below 1 is reported once, on the indicator
        rating = method.isin("rating") & (scale >= 1)
    with np.errstate(invalid="ignore"):
        outside = rating & ((values < 1) | (values > scale))
    yield from ctx.cells("rating-out-of-scale", loc, "value", idx[outside],
                         per_row={"scale": [num(x) for x in scale[outside]]})


def _plausible(ctx: Context, loc: Located, obs: pd.DataFrame, ids: Any, ind: pd.DataFrame | None,
               refs: pd.DataFrame, values: np.ndarray[Any, Any], numeric: np.ndarray[Any, Any]) -> Iterator[Finding]:
    """Values about 100 times away from their indicator's thresholds (0.97 against target 98). Only
    where one record is on the thresholds' scale: linear, ratio and band indicators combined by
    mean / last / max / min (the records of a sum or a count are parts of the period's value)."""
    agg = ids.lookup(ind, "indicator_id", "aggregation")  # per distinct indicator, spread to the rows
    level = ~agg.notna() | agg.isin(*percents.LEVEL_AGGREGATIONS)
    scaled = ids.lookup(ind, "indicator_id", "method").isin(*_SCALED)
    lo = ids.lookup(refs, "indicator_id", "ref_lo").take().astype(float)
    hi = ids.lookup(refs, "indicator_id", "ref_hi").take().astype(float)
    probable = percents.implausible(values, lo, hi, numeric & scaled & level)
    at = np.flatnonzero(~np.isnan(probable))
    if not len(at):
        return
    listed = at[:CAP[Severity.WARNING]]
    rng = [f"{num(a)}～{num(b)}" if a != b else num(a) for a, b in zip(lo[listed], hi[listed])]
    yield from ctx.cells("implausible-value", loc, "value", obs.index.to_numpy()[at],
                         per_row={"indicator": obs["indicator_id"].to_numpy(dtype=object)[listed],
                                  "probable": [num(x) for x in probable[listed]], "range": rng})


def _report(ctx: Context, loc: Located, ids: np.ndarray[Any, Any], rows: np.ndarray[Any, Any], p: Parsed,
            bad_code: str, raw: pd.Series[Any], pct: np.ndarray[Any, Any]) -> Iterator[Finding]:
    """Findings of the values parsed in ``rows`` (the indicator id of each in ``ids``; the raw column
    ``raw``; which of the rows are percent-formatted cells in ``pct``)."""
    present = ~p.blank
    yield from ctx.cells("excel-error", loc, "value", rows[p.error & present])
    yield from ctx.cells(bad_code, loc, "value", rows[p.bad], per_row={"indicator": ids[p.bad]})
    for code in p.note_codes():
        mask = p.notes(code)
        new = _shown(p, np.flatnonzero(mask), ctx.lang)
        if code == YES_NO:
            new = [("是 (1)" if v == "1" else "否 (0)") if ctx.lang == "zh" else ("yes (1)" if v == "1" else "no (0)")
                   for v in new]
        per_row: dict[str, Any] = {"new": new}
        if code in (PERCENT, percents.PERCENT_FRACTION):  # a percent cell as the sheet shows it
            listed = np.flatnonzero(mask)[:CAP[Severity.ERROR]]
            per_row["value"] = percents.shown(raw.iloc[rows[listed]].to_numpy(dtype=object), pct[listed])
        yield from ctx.cells(code, loc, "value", rows[mask], per_row=per_row)
