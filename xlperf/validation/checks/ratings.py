"""Ratings: within 1..scale of their (rating) indicator."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ...findings import Finding
from ..context import Context
from .cells import num

CODES = ("rating-out-of-scale",)


def check(ctx: Context) -> Iterator[Finding]:
    loc, ratings = ctx.located.get("ratings"), ctx.frames.get("ratings")
    if loc is None or ratings is None or ratings.empty or not loc.has("rating"):
        return
    scale = ctx.lookup("ratings", "indicator_id", ctx.frames.get("indicators"), "indicator_id", "scale") \
        .to_numpy(dtype=float)
    r = ratings["rating"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        # a scale below 1 is reported once, as out-of-range on the indicator; its ratings are not
        # each checked against it ("outside 1 to 0" on every rating would only repeat that)
        outside = (scale >= 1) & ~np.isnan(r) & ((r < 1) | (r > scale))
    yield from ctx.cells("rating-out-of-scale", loc, "rating", ratings.index.to_numpy()[outside],
                         per_row={"scale": [num(x) for x in scale[outside]]})
