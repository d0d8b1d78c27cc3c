"""Ratings: within 1..scale of their (rating) indicator."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ...findings import Finding
from ..context import Context
from .cells import num
from .observations import indicator_attr

CODES = ("rating-out-of-scale",)


def check(ctx: Context) -> Iterator[Finding]:
    loc, ratings = ctx.located.get("ratings"), ctx.frames.get("ratings")
    if loc is None or ratings is None or ratings.empty or not loc.has("rating"):
        return
    scale = indicator_attr(ctx, ratings["indicator_id"], "scale").to_numpy(dtype=float)
    r = ratings["rating"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        outside = ~np.isnan(scale) & ~np.isnan(r) & ((r < 1) | (r > scale))
    yield from ctx.cells("rating-out-of-scale", loc, "rating", ratings.index.to_numpy()[outside],
                         per_row={"scale": [num(x) for x in scale[outside]]})
