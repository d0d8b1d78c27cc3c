"""Roll-up periods (a quarter, a year): derived from the child periods' results.

A subject's roll-up total is the mean of its totals in the child periods that have one, rounded
half-up; dimension scores and completeness are the means of the children's; the subject counts as
vetoed in the roll-up when a veto triggered in any child period (so it gets the lowest grade there
too). Grades and ranks are then derived afresh, among the roll-up's own subjects.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import texts as tx
from .model import KEY
from .numbers import fmt_num, round_half_up
from .periods import Calendar


def rollup_results(leaf: pd.DataFrame, cal: Calendar, dim_cols: list[str], lang: str) -> pd.DataFrame:
    """Result rows of every roll-up period above the periods in ``leaf``, shallowest first."""
    have = set(leaf["period_id"])
    targets = sorted({a for p in have for a in cal.ancestors(p)}, key=lambda p: (cal.depth[p], cal.order.index(p)))
    done = leaf
    parts: list[pd.DataFrame] = []
    for up in targets:
        kids = cal.children.get(up, [])
        rows = done[done["period_id"].isin(kids).to_numpy()]
        if rows.empty:
            continue
        rows = rows.assign(_pos=rows["period_id"].map({k: i for i, k in enumerate(kids)}))
        rows = rows.sort_values("_pos", kind="stable")
        subj = [k for k in KEY if k != "period_id"]
        g = rows.groupby(subj, sort=False)
        out = g[["completeness", *dim_cols]].mean()
        out["total"] = round_half_up(g["total"].mean().to_numpy(dtype=np.float64), 2)
        out["vetoed"] = g["vetoed"].any()
        has_total = rows["total"].notna().to_numpy()
        piece = rows["period_id"].astype(str) + " " + pd.Series(fmt_num(rows["total"].to_numpy(), 2).astype(object),
                                                                  index=rows.index)
        joined = piece[has_total].groupby([rows.loc[has_total, c] for c in subj], sort=False).agg(tx.LIST_SEP(lang).join)
        out = out.reset_index()
        out["period_id"] = up
        parts_text = out.set_index(subj).index.map(joined.to_dict()).to_series(index=out.index).fillna("")
        total_text = pd.Series(fmt_num(out["total"].to_numpy(), 2).astype(object), index=out.index)
        template = tx.ROLLUP(lang)
        out["explanation"] = [template.format(period=up, parts=p, total=t) for p, t in zip(parts_text, total_text)]
        out.loc[out["vetoed"].to_numpy(dtype=bool), "explanation"] += tx.ROLLUP_VETO(lang)
        out.loc[parts_text.to_numpy() == "", "explanation"] = tx.NO_DATA(lang)
        parts.append(out)
        done = pd.concat([done, out], ignore_index=True)
    if not parts:
        return leaf.iloc[0:0]
    return pd.concat(parts, ignore_index=True)
