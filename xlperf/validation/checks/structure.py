"""Tables and columns: which tables exist, which header is which field, formulas and merged cells."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import numpy as np
import pandas as pd

from ...contract.schema import normalise_header
from ...contract.tables import INPUT_TABLES
from ...findings import Finding
from ..context import Context, Located

CODES = ("missing-table", "missing-column", "duplicate-column", "formula-in-input", "merged-cells")

# Without these there is nothing to score. The others (settings, bands, ratings, rater weights, goals)
# may be absent: defaults apply, or the features that need them are simply not used.
REQUIRED_TABLES = frozenset({"dimensions", "indicators", "vendors", "workers", "periods", "observations",
                             "grades"})


def check(ctx: Context) -> Iterator[Finding]:
    for table in INPUT_TABLES:
        raw = ctx.raw.tables.get(table.name)
        if raw is None:
            if table.name in REQUIRED_TABLES:
                yield ctx.finding("missing-table", table=table.name, name=table.name)
            continue
        header_map = table.header_map()
        columns: dict[str, int] = {}
        for j, header in enumerate(raw.headers):
            key = header_map.get(normalise_header(header))
            if key is None:
                continue  # the user's own column: allowed, ignored
            if key in columns:
                yield ctx.finding("duplicate-column", table=table.name, sheet=raw.sheet, cell=raw.header_cell(j),
                                  field=key, value=str(header))
                continue
            columns[key] = j
        loc = Located(table, raw, columns)
        ctx.located[table.name] = loc
        for key in table.required:
            if key not in columns:
                yield ctx.finding("missing-column", table=table.name, sheet=raw.sheet,
                                  cell=raw.header_cell(0) if raw.headers else "", field=key)
        yield from _formulas(ctx, loc)
        for rng in raw.merged:
            top_left = rng.split(":")[0].replace("$", "")
            yield ctx.finding("merged-cells", table=table.name, sheet=raw.sheet, cell=top_left, value=rng)


def _formulas(ctx: Context, loc: Located) -> Iterator[Finding]:
    by_col: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for (i, j), text in loc.raw.formulas.items():
        by_col[j].append((i, text))
    keys = {j: k for k, j in loc.columns.items()}
    for j in sorted(by_col):
        key = keys.get(j)
        if key is None:
            continue  # formulas in the user's own columns are theirs
        cells = sorted(by_col[j])
        rows = np.array([i for i, _ in cells], dtype=np.int64)
        texts = np.array([t if t.startswith("=") else "=" + t for _, t in cells], dtype=object)
        # A formula without a calculated value has no result to use: the reader reports those
        # (reader.formula-without-value, "read as blank"), so they are not reported twice here.
        data = loc.raw.data
        inside = rows < len(data) if j < data.shape[1] else np.zeros(len(rows), dtype=bool)
        has_value = np.zeros(len(rows), dtype=bool)
        if inside.any():
            values = data.iloc[rows[inside], j].to_numpy(dtype=object)
            has_value[inside] = ~pd.isna(values)
        yield from ctx.cells("formula-in-input", loc, key, rows[has_value], per_row={"value": texts[has_value]})
