"""Findings about a column the table does not have, folded into one ``missing-column`` finding.

A column HR deleted (维度内权重, say) that filled rows need would otherwise be reported once per row,
as empty cells at the row's first column — pointing at column A, which holds something else. When
any error is about cells of an absent column, all findings about that column become one
``missing-column`` finding at the table's header (the one the structure check already gave, for a
column the contract requires always). Findings about absent columns that are not errors stay.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..findings import Finding, Severity
from .context import Context


def fold_absent_columns(ctx: Context, findings: Iterable[Finding]) -> Iterator[Finding]:
    found = list(findings)

    def absent(f: Finding) -> bool:
        loc = ctx.located.get(f.table) if f.table and f.field else None
        return loc is not None and f.field in loc.table.keys and not loc.has(f.field)

    folded = {(f.table, f.field) for f in found
              if f.severity == Severity.ERROR and f.code != "missing-column" and absent(f)}
    reported = {(f.table, f.field) for f in found if f.code == "missing-column"}
    for f in found:
        key = (f.table, f.field)
        if key not in folded or f.code == "missing-column":
            yield f
            continue
        if key in reported:
            continue
        reported.add(key)
        loc = ctx.located[f.table]
        yield ctx.finding("missing-column", table=f.table, sheet=loc.sheet,
                          cell=loc.raw.header_cell(0) if loc.raw.headers else "", field=f.field)
