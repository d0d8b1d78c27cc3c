"""The new 监控记录: every row kept as it was, except this pull's own earlier rows, then the new rows.

A pulled row is known by ``pulled_from`` (the source id) and replaced only for the periods pulled
again; rows HR typed (``pulled_from`` blank) and rows of other sources are written back unchanged, in
their order. Pulled rows go after them, so on a tie of dates in ``last`` the pulled row counts as the
later record, as the same events imported after HR's rows would.
"""

from __future__ import annotations

import pandas as pd

from ..book import RawTable
from ..contract.schema import normalise_header
from ..contract.tables import observations
from .config import SourceError
from .partials import Pulled


def _frame(raw: RawTable) -> pd.DataFrame:
    """The table's cells under field keys (a column of its own HR added keeps its header)."""
    spell = observations.header_map()
    names = [spell.get(normalise_header(h), str(h)) for h in raw.headers]
    frame = raw.data.iloc[:, :len(names)].copy()
    frame.columns = names
    blank = frame.isna().all(axis=1) | frame.map(lambda v: isinstance(v, str) and not v.strip()).all(axis=1)
    return frame[~blank.to_numpy(dtype=bool)]


def merged_observations(raw: RawTable | None, pulled: list[Pulled], periods: list[str]) -> tuple[pd.DataFrame, int]:
    """(the whole new table, how many earlier pulled rows were replaced)."""
    if raw is None:
        raise SourceError("工作簿中没有“监控记录”表。", "The workbook has no Observations table.")
    frame = _frame(raw)
    missing = [f for f in ("count", "pulled_from") if f not in frame.columns]
    if missing:
        labels = "、".join(observations.field(f).zh for f in missing)
        raise SourceError(f"“监控记录”表缺少列：{labels}。请在表格末尾添加这些列（或换用新模板）后再刷新。",
                          "The Observations table lacks the column(s) "
                          + ", ".join(observations.field(f).en for f in missing)
                          + ". Add them at the end of the table (or use the new template), then pull again.")
    mine = {p.spec.source_id for p in pulled}
    source = frame["pulled_from"].map(lambda v: "" if v is None or pd.isna(v) else str(v).strip())
    period = frame["period_id"].map(lambda v: "" if v is None or pd.isna(v) else str(v).strip()) \
        if "period_id" in frame else pd.Series("", index=frame.index)
    drop = source.isin(mine) & period.isin(set(periods))
    kept = frame[~drop.to_numpy(dtype=bool)]
    new = [p.rows for p in pulled if len(p.rows)]
    out = pd.concat([kept.astype(object), *[n.astype(object) for n in new]], ignore_index=True) if new else \
        kept.reset_index(drop=True)
    return out, int(drop.sum())
