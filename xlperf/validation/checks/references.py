"""References between tables: every id used must exist where it is defined, a worker belongs to
the vendor it is filed under, and worker- and vendor-level indicators get the subject they need."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from ...contract.tables import INPUT_TABLES, setting_named
from ...findings import Finding
from ..codes import level_name
from ..context import Context, Located

CODES = ("unknown-reference", "worker-vendor-mismatch", "worker-required", "worker-not-expected",
         "dimension-level-mismatch")


def _known(ctx: Context, table: str, key: str) -> set[Any] | None:
    frame = ctx.frames.get(table)
    loc = ctx.located.get(table)
    if frame is None or loc is None or not loc.has(key):
        return None  # the missing table or column is reported already; don't flood every reference
    return set(frame[key].dropna())


def _unknown(ctx: Context, loc: Located, frame: pd.DataFrame, key: str, known: set[Any], target: str,
             allow: tuple[str, ...] = ()) -> Iterator[Finding]:
    c = ctx.coded(loc.table.name, key)  # tested once per distinct value, not once per row
    u = pd.Series(c.values, dtype=object)
    bad = c.mask((u.notna() & ~u.isin(known) & ~u.isin(allow)).to_numpy(dtype=bool))
    yield from ctx.cells("unknown-reference", loc, key, frame.index.to_numpy()[bad],
                         target=ctx.table_label(target))


def check(ctx: Context) -> Iterator[Finding]:
    for table in INPUT_TABLES:
        loc, frame = ctx.located.get(table.name), ctx.frames.get(table.name)
        if loc is None or frame is None:
            continue
        for f in table.fields:
            if f.ref is None or not loc.has(f.key):
                continue
            known = _known(ctx, f.ref.table, f.ref.field)
            if known is not None:
                yield from _unknown(ctx, loc, frame, f.key, known, f.ref.table)
    yield from _rater_weight_indicators(ctx)
    yield from _current_period(ctx)
    yield from _dimension_levels(ctx)
    for name in ("observations", "ratings", "goals"):
        yield from _worker_vendor(ctx, name)
    for name in ("observations", "ratings"):
        yield from _subject_level(ctx, name)


def _rater_weight_indicators(ctx: Context) -> Iterator[Finding]:
    loc, frame = ctx.located.get("rater_weights"), ctx.frames.get("rater_weights")
    known = _known(ctx, "indicators", "indicator_id")
    if loc is None or frame is None or known is None or not loc.has("indicator_id"):
        return
    yield from _unknown(ctx, loc, frame, "indicator_id", known, "indicators", allow=("*",))


def _current_period(ctx: Context) -> Iterator[Finding]:
    loc, frame = ctx.located.get("settings"), ctx.frames.get("settings")
    known = _known(ctx, "periods", "period_id")
    period = ctx.settings.current_period
    if loc is None or frame is None or known is None or not period or period in known:
        return
    named = [s is not None and s.key == "current_period" for s in map(setting_named, frame["key"])]  # ten rows
    rows = frame.index[named]
    if len(rows):
        yield ctx.at("unknown-reference", loc, "value", int(rows[0]), value=period,
                     target=ctx.table_label("periods"))


def _dimension_levels(ctx: Context) -> Iterator[Finding]:
    loc, ind, dims = ctx.located.get("indicators"), ctx.frames.get("indicators"), ctx.frames.get("dimensions")
    if loc is None or ind is None or dims is None or not loc.has("level"):
        return
    pairs = set(zip(dims["dimension"], dims["level"]))
    names = set(dims["dimension"].dropna())
    ok = ind["dimension"].notna() & ind["level"].notna() & ind["dimension"].isin(names)
    sub = ind[ok]
    mismatch = np.array([(d, lv) not in pairs for d, lv in zip(sub["dimension"], sub["level"])], dtype=bool)
    rows = sub.index.to_numpy()[mismatch] if len(sub) else np.array([], dtype=int)
    yield from ctx.cells("dimension-level-mismatch", loc, "dimension", rows,
                         per_row={"level": [level_name(v, ctx.lang) for v in sub["level"].to_numpy(dtype=object)[mismatch]]
                                  if len(sub) else []})


def _worker_vendor(ctx: Context, name: str) -> Iterator[Finding]:
    loc, frame, workers = ctx.located.get(name), ctx.frames.get(name), ctx.frames.get("workers")
    if loc is None or frame is None or workers is None or not (loc.has("worker_id") and loc.has("vendor_id")):
        return
    expected = ctx.coded(name, "worker_id").lookup(workers, "worker_id", "vendor_id")
    bad = expected.differs(ctx.coded(name, "vendor_id"))
    if not bad.any():
        return
    yield from ctx.cells("worker-vendor-mismatch", loc, "vendor_id", frame.index.to_numpy()[bad],
                         per_row={"worker": frame["worker_id"].to_numpy(dtype=object)[bad],
                                  "expected": expected.take()[bad]})


def _subject_level(ctx: Context, name: str) -> Iterator[Finding]:
    loc, frame, ind = ctx.located.get(name), ctx.frames.get(name), ctx.frames.get("indicators")
    if loc is None or frame is None or ind is None or not loc.has("indicator_id"):
        return
    level = ctx.coded(name, "indicator_id").lookup(ind, "indicator_id", "level")
    has_worker = ctx.coded(name, "worker_id").notna()
    need = level.isin("worker") & ~has_worker
    extra = level.isin("vendor") & has_worker
    ids = frame["indicator_id"].to_numpy(dtype=object)
    idx = frame.index.to_numpy()
    yield from ctx.cells("worker-required", loc, "worker_id", idx[need], per_row={"indicator": ids[need]})
    if loc.has("worker_id"):
        yield from ctx.cells("worker-not-expected", loc, "worker_id", idx[extra], per_row={"indicator": ids[extra]})
