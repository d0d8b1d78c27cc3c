"""A few tables read the way validation reads them, for the doors that need one table and not a
whole workbook's verdict (the XP_* worksheet functions read 考核指标, 分档标准, 等级与激励).

The same two steps as ``validate``: ``structure`` finds each table's columns by label or key,
``cells`` parses every column (aliases such as 线性 / 越低越好, full-width digits, percents, dates as
text). There is no second parser: what a cell means here is what it means to the engine. Findings are
not kept; a value validation could not read is missing (None / NaN) in the typed frame.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..book import RawBook
from ..inputs import with_defaults
from .checks import cells, structure
from .context import Context


def typed_tables(raw: RawBook, names: Sequence[str], lang: str = "zh") -> dict[str, pd.DataFrame]:
    """The named input tables of ``raw`` as validation's typed frames (field-key columns, ``_row``,
    entirely blank rows dropped, blanks of fields with a contract default filled as in ``Inputs``);
    tables absent from ``raw`` are absent from the answer."""
    wanted = [n for n in names if n in raw.tables]
    sub = RawBook(source=raw.source, tables={n: raw.tables[n] for n in wanted}, sheets=raw.sheets)
    ctx = Context(sub, lang)
    for _ in structure.check(ctx):
        pass
    for _ in cells.check(ctx):
        pass
    return {n: with_defaults(n, ctx.frames[n]) for n in wanted if n in ctx.frames}
