"""Periods and dates: ends after starts, leaf periods that do not overlap, and every monitoring
record inside a period (its period derived from its date when left blank)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from ...findings import Finding
from ..context import Context, lookup
from ..rollup_dates import rollup_dates

CODES = ("end-before-start", "periods-overlap", "rollup-cycle", "date-outside-periods", "date-period-mismatch",
         "derived-period", "indicator-not-effective", "rollup-dates-derived")

# (table, start field, end field) pairs of dates that must be in order.
DATE_PAIRS = (("periods", "start", "end"), ("vendors", "contract_start", "contract_end"),
              ("workers", "start_date", "end_date"))


def leaf_periods(periods: pd.DataFrame) -> pd.DataFrame:
    """Periods nothing rolls up into (months, when months roll up to quarters), with both dates."""
    parents = set(periods["rollup"].dropna())
    ok = periods["period_id"].notna() & periods["start"].notna() & periods["end"].notna()
    return periods[ok & ~periods["period_id"].isin(parents)].sort_values("start")


def check(ctx: Context) -> Iterator[Finding]:
    periods_frame = ctx.frames.get("periods")
    if periods_frame is not None:  # first: the other period checks need the roll-ups' dates
        yield from rollup_dates(ctx, periods_frame)
    for table, start, end in DATE_PAIRS:
        loc, frame = ctx.located.get(table), ctx.frames.get(table)
        if loc is None or frame is None or not (loc.has(start) and loc.has(end)):
            continue
        bad = (frame[end] < frame[start]).to_numpy(dtype=bool)
        yield from ctx.cells("end-before-start", loc, end, frame.index.to_numpy()[bad],
                             per_row={"start": frame[start].dt.strftime("%Y-%m-%d").to_numpy(dtype=object)[bad]},
                             start_field=ctx.field_label(table, start))
    periods = ctx.frames.get("periods")
    if periods is None:
        return
    yield from _effective_order(ctx, periods)
    yield from _rollup_cycles(ctx, periods)
    yield from _overlaps(ctx, periods)
    yield from _observation_periods(ctx, periods)
    for name in ("observations", "ratings"):
        yield from _not_effective(ctx, periods, name)


def _effective_order(ctx: Context, periods: pd.DataFrame) -> Iterator[Finding]:
    loc, ind = ctx.located.get("indicators"), ctx.frames.get("indicators")
    if loc is None or ind is None or not (loc.has("effective_from") and loc.has("effective_to")):
        return
    a = lookup(ind["effective_from"], periods, "period_id", "start")
    b = lookup(ind["effective_to"], periods, "period_id", "start")
    bad = (b < a).to_numpy(dtype=bool)
    yield from ctx.cells("end-before-start", loc, "effective_to", ind.index.to_numpy()[bad],
                         per_row={"start": ind["effective_from"].to_numpy(dtype=object)[bad]},
                         start_field=ctx.field_label("indicators", "effective_from"))


def rollup_cycles(periods: pd.DataFrame) -> list[list[int]]:
    """Every loop in the roll-up chains (a period rolling up into itself, or into a period whose chain
    comes back to it), as the frame index of its members in chain order. The periods table is small
    (a few dozen rows), so the chains are walked in Python."""
    parent: dict[str, str] = {}
    row: dict[str, int] = {}
    for i, period, up in zip(periods.index, periods["period_id"], periods["rollup"]):
        if isinstance(period, str) and period not in row:  # a duplicate id is reported as duplicate-id
            row[period] = int(i)
            if isinstance(up, str) and up:
                parent[period] = up
    cycles: list[list[int]] = []
    done: set[str] = set()
    for start in row:
        path: list[str] = []
        on_path: set[str] = set()
        pid: str | None = start
        while pid is not None and pid not in done and pid not in on_path:
            path.append(pid)
            on_path.add(pid)
            pid = parent.get(pid)
        if pid is not None and pid in on_path:
            cycles.append([row[p] for p in path[path.index(pid):]])
        done.update(path)
    return cycles


def _rollup_cycles(ctx: Context, periods: pd.DataFrame) -> Iterator[Finding]:
    loc = ctx.located["periods"]
    if not loc.has("rollup"):
        return
    span = (periods["end"] - periods["start"]).fillna(pd.Timedelta(0))
    for members in rollup_cycles(periods):
        # The widest period of the loop is the one whose roll-up is wrong (a quarter rolling up into
        # one of its months); among equals, the last row, the one most likely typed last.
        worst = max(members, key=lambda i: (span[i], i))
        ids = [str(periods.at[i, "period_id"]) for i in members]
        k = members.index(worst)
        chain = ids[k:] + ids[:k] + [ids[k]]
        yield ctx.at("rollup-cycle", loc, "rollup", worst, period=ids[k], cycle=" → ".join(chain))


def _overlaps(ctx: Context, periods: pd.DataFrame) -> Iterator[Finding]:
    loc = ctx.located["periods"]
    leaves = leaf_periods(periods)
    if len(leaves) < 2:
        return
    prev_end = leaves["end"].cummax().shift(1)
    prev_id = leaves["period_id"].shift(1)
    bad = (leaves["start"] <= prev_end).to_numpy(dtype=bool)
    yield from ctx.cells("periods-overlap", loc, "period_id", leaves.index.to_numpy()[bad],
                         per_row={"other": prev_id.to_numpy(dtype=object)[bad]})


def _containing(leaves: pd.DataFrame, dates: pd.Series[Any]) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """The leaf period containing each date (None outside every leaf), and where there is one."""
    starts = leaves["start"].to_numpy(dtype="datetime64[ns]")
    ends = leaves["end"].to_numpy(dtype="datetime64[ns]")
    ids = leaves["period_id"].to_numpy(dtype=object)
    d = dates.to_numpy(dtype="datetime64[ns]")
    k = np.searchsorted(starts, d, side="right") - 1
    kk = np.clip(k, 0, max(len(ids) - 1, 0))
    inside = (k >= 0) & ~np.isnat(d) & (d <= ends[kk]) if len(ids) else np.zeros(len(d), dtype=bool)
    out = np.full(len(d), None, dtype=object)
    if len(ids):
        out[inside] = ids[kk[inside]]
    return out, inside


def _observation_periods(ctx: Context, periods: pd.DataFrame) -> Iterator[Finding]:
    loc, obs = ctx.located.get("observations"), ctx.frames.get("observations")
    if loc is None or obs is None or not loc.has("date") or obs.empty:
        return
    leaves = leaf_periods(periods)
    known = periods.dropna(subset=["period_id", "start", "end"])
    derived, has_derived = _containing(leaves, obs["date"])
    in_any = has_derived.copy()
    d = obs["date"].to_numpy(dtype="datetime64[ns]")
    for s, e in zip(known["start"].to_numpy(dtype="datetime64[ns]"), known["end"].to_numpy(dtype="datetime64[ns]")):
        in_any |= (d >= s) & (d <= e)
    dated = obs["date"].notna().to_numpy(dtype=bool)
    idx = obs.index.to_numpy()
    yield from ctx.cells("date-outside-periods", loc, "date", idx[dated & ~in_any])
    given = obs["period_id"]
    has_given = ctx.coded("observations", "period_id").notna()
    g_start = ctx.lookup("observations", "period_id", known, "period_id", "start").to_numpy(dtype="datetime64[ns]")
    g_end = ctx.lookup("observations", "period_id", known, "period_id", "end").to_numpy(dtype="datetime64[ns]")
    known_given = has_given & ~np.isnat(g_start)
    with np.errstate(invalid="ignore"):
        outside_given = known_given & dated & in_any & ((d < g_start) | (d > g_end))
    yield from ctx.cells("date-period-mismatch", loc, "date", idx[outside_given],
                         per_row={"period": given.to_numpy(dtype=object)[outside_given]})
    fill = ~has_given & has_derived
    if fill.any():
        ctx.fill("observations", "period_id", fill, derived[fill])
        first = int(idx[fill][0])
        yield ctx.at("derived-period", loc, "period_id", first, value=str(int(fill.sum())), count=int(fill.sum()))


def _not_effective(ctx: Context, periods: pd.DataFrame, name: str) -> Iterator[Finding]:
    """Records of an indicator in a period outside its effective_from..effective_to: not scored."""
    loc, frame, ind = ctx.located.get(name), ctx.frames.get(name), ctx.frames.get("indicators")
    if loc is None or frame is None or ind is None or frame.empty or not loc.has("indicator_id"):
        return
    start = ctx.lookup(name, "period_id", periods, "period_id", "start").to_numpy(dtype="datetime64[ns]")
    ids = ctx.coded(name, "indicator_id")  # the chained lookups run per distinct indicator id
    first = ids.lookup(ind, "indicator_id", "effective_from").lookup(periods, "period_id", "start")
    last = ids.lookup(ind, "indicator_id", "effective_to").lookup(periods, "period_id", "end")
    f = first.series(frame.index).to_numpy(dtype="datetime64[ns]")
    t = last.series(frame.index).to_numpy(dtype="datetime64[ns]")
    outside = ~np.isnat(start) & ((~np.isnat(f) & (start < f)) | (~np.isnat(t) & (start > t)))
    yield from ctx.cells("indicator-not-effective", loc, "indicator_id", frame.index.to_numpy()[outside],
                         per_row={"period": frame["period_id"].to_numpy(dtype=object)[outside]})
