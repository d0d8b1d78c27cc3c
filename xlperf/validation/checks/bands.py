"""Band sets: each band's lower bound below its upper bound, and bands that meet without overlaps
or gaps (a blank bound is open: -∞ below the first band, +∞ above the last)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ...findings import Finding
from ..context import Context
from .cells import num

CODES = ("band-inverted", "bands-overlap", "bands-gap")


def check(ctx: Context) -> Iterator[Finding]:
    loc, bands = ctx.located.get("bands"), ctx.frames.get("bands")
    if loc is None or bands is None or bands.empty:
        return
    b = bands.dropna(subset=["band_set"]).assign(
        _lo=lambda d: d["lower"].fillna(-np.inf), _hi=lambda d: d["upper"].fillna(np.inf))
    inverted = (b["_lo"] >= b["_hi"]).to_numpy(dtype=bool)
    yield from ctx.cells("band-inverted", loc, "lower", b.index.to_numpy()[inverted],
                         per_row={"band_set": b["band_set"].to_numpy(dtype=object)[inverted],
                                  "lower": [num(x) for x in b["lower"].to_numpy()[inverted]],
                                  "upper": [num(x) for x in b["upper"].to_numpy()[inverted]]})
    ordered = b[~inverted].sort_values(["band_set", "_lo", "_hi"], kind="stable")
    same = ordered["band_set"].eq(ordered["band_set"].shift(1)).to_numpy(dtype=bool)
    lo, hi = ordered["_lo"].to_numpy(), ordered["_hi"].to_numpy()
    prev_lo, prev_hi = np.roll(lo, 1), np.roll(hi, 1)
    overlap, gap = same & (lo < prev_hi), same & (lo > prev_hi)
    idx = ordered.index.to_numpy()
    sets = ordered["band_set"].to_numpy(dtype=object)

    def bound(x: float) -> str:
        return "-∞" if x == -np.inf else "∞" if x == np.inf else num(x)

    for code, mask in (("bands-overlap", overlap), ("bands-gap", gap)):
        yield from ctx.cells(code, loc, "lower", idx[mask], per_row={
            "band_set": sets[mask], "lower": [bound(x) for x in lo[mask]], "upper": [bound(x) for x in hi[mask]],
            "prev_lower": [bound(x) for x in prev_lo[mask]], "prev_upper": [bound(x) for x in prev_hi[mask]]})
