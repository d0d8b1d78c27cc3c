"""The new 监控记录: every row kept as it was, except this pull's own earlier rows, then the new rows.

A pulled row is known by ``pulled_from`` (the source id) and replaced only for the periods pulled
again; rows HR typed (``pulled_from`` blank) and rows of other sources are written back unchanged, in
their order. Pulled rows go after them, so on a tie of dates in ``last`` the pulled row counts as the
later record, as the same events imported after HR's rows would.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..book import RawTable
from ..contract.schema import normalise_header
from ..contract.tables import observations
from .config import SourceError
from .partials import Pulled


@dataclass
class Merged:
    """The new 监控记录 as a write: the first ``keep`` data rows stay as they are (byte for byte in a
    file), ``rows`` replace everything after them."""

    keep: int
    rows: pd.DataFrame
    replaced: int  # earlier pulled rows dropped


def _frame(raw: RawTable) -> pd.DataFrame:
    """The table's cells under field keys (a column of its own HR added keeps its header), every row
    in its position (row i is Excel row header_row + 1 + i)."""
    spell = observations.header_map()
    names = [spell.get(normalise_header(h), str(h)) for h in raw.headers]
    frame = raw.data.iloc[:, :len(names)].copy()
    frame.columns = names
    return frame


def merged_observations(raw: RawTable | None, pulled: list[Pulled], periods: list[str]) -> Merged:
    """Drop this pull's sources' earlier rows of the pulled periods, add the new rows after the rest.

    Rows before the first dropped one are kept in place (usually all of HR's rows: a pull's rows sit
    at the end), so only the rows from there on are written again."""
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
    blank = frame.isna().all(axis=1).to_numpy(dtype=bool)  # the reader gives None for a blank cell
    source = _text(frame["pulled_from"])
    period = _text(frame["period_id"]) if "period_id" in frame else pd.Series("", index=frame.index)
    drop = (source.isin(mine) & period.isin(set(periods))).to_numpy(dtype=bool) & ~blank
    at = np.flatnonzero(drop)
    keep = int(at[0]) if at.size else len(frame)
    rest = frame.iloc[keep:][~(drop | blank)[keep:]]
    new = [p.rows for p in pulled if len(p.rows)]
    rows = pd.concat([rest.astype(object), *[n.astype(object) for n in new]], ignore_index=True) if new else \
        rest.reset_index(drop=True)
    return Merged(keep, rows, int(drop.sum()))


def _text(col: pd.Series) -> pd.Series:
    return col.where(col.notna(), "").astype(str).str.strip()
