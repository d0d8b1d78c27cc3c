"""Ids that must be unique, and multi-column keys (a dimension per level, a rater role per indicator)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ...contract.tables import INPUT_TABLES, setting_named
from ...findings import Finding
from ..context import Context

CODES = ("duplicate-id",)


def check(ctx: Context) -> Iterator[Finding]:
    for table in INPUT_TABLES:
        loc, frame = ctx.located.get(table.name), ctx.frames.get(table.name)
        if loc is None or frame is None:
            continue
        groups: list[tuple[str, ...]] = [(f.key,) for f in table.fields if f.unique]
        if len(table.key) > 1:
            groups.append(table.key)
        for cols in groups:
            if not all(loc.has(c) for c in cols):
                continue
            sub = frame[list(cols) + ["_row"]].dropna(subset=list(cols))
            if sub.empty:
                continue
            if table.name == "settings":  # 'Lang', 'lang' and 界面语言 are the same setting (ten rows)
                sub = sub.assign(key=[_setting_key(k) for k in sub["key"]])
            dup = sub.duplicated(subset=list(cols), keep="first").to_numpy()
            if not dup.any():
                continue
            first = sub.groupby(list(cols), sort=False)["_row"].transform("min").to_numpy()
            rows = sub.index.to_numpy()[dup]
            shown = sub.loc[dup, list(cols)].astype(str).agg(" / ".join, axis=1).to_numpy(dtype=object)
            yield from ctx.cells("duplicate-id", loc, cols[0], rows,
                                 per_row={"value": shown, "first": first[dup].astype(np.int64)})


def _setting_key(name: object) -> str:
    s = setting_named(name)
    return s.key if s is not None else str(name).lower()
