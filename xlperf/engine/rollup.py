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
from .keys import Keys, group_join
from .model import obj
from .numbers import STR, cat, fmt_num, round_half_up
from .periods import Calendar


def rollup_results(leaf: pd.DataFrame, cal: Calendar, keys: Keys, dim_cols: list[str], lang: str) -> pd.DataFrame:
    """Result rows (sk, total, vetoed, completeness, dims, explanation) of every roll-up above ``leaf``."""
    p_of = {p: i for i, p in enumerate(keys.periods)}
    p_leaf, *_ = keys.split(leaf["sk"].to_numpy(dtype=np.int64))
    have = {keys.periods[i] for i in np.unique(p_leaf)}
    targets = sorted({a for p in have for a in cal.ancestors(p)}, key=lambda p: (cal.depth[p], cal.order.index(p)))
    done = leaf
    parts: list[pd.DataFrame] = []
    for up in targets:
        kids = [p_of[k] for k in cal.children.get(up, []) if k in p_of]
        sk = done["sk"].to_numpy(dtype=np.int64)
        p, *_ = keys.split(sk)
        rows = done[np.isin(p, kids)]
        if rows.empty:
            continue
        subj = keys.without_period(rows["sk"].to_numpy(dtype=np.int64))
        g = rows.assign(_subj=subj).groupby("_subj", sort=True)
        out = g[["completeness", *dim_cols]].mean()
        for col in dim_cols:
            out[col] = round_half_up(out[col].to_numpy(dtype=np.float64), 2)
        out["total"] = round_half_up(g["total"].mean().to_numpy(dtype=np.float64), 2)
        out["vetoed"] = g["vetoed"].any()
        subjects = out.index.to_numpy(dtype=np.int64)
        out = out.reset_index(drop=True)
        out["sk"] = keys.with_period(subjects, np.full(len(subjects), p_of[up], dtype=np.int64))
        rp, *_ = keys.split(rows["sk"].to_numpy(dtype=np.int64))
        has = rows["total"].notna().to_numpy()
        period_names = np.asarray(keys.periods, dtype=object).astype(STR)
        piece = cat(period_names[rp[has]], " ", fmt_num(rows["total"].to_numpy(dtype=np.float64)[has]))
        order = np.lexsort((rp[has], subj[has]))
        text = np.full(len(subjects), "", dtype=STR)
        if has.any():
            uniq, joined = group_join(subj[has][order], piece[order], tx.LIST_SEP(lang))
            text[np.searchsorted(subjects, uniq)] = joined
        template = tx.ROLLUP.zh if lang == "zh" else tx.ROLLUP.en
        before, rest = template.split("{period}")
        middle, rest = rest.split("{parts}")
        between, after = rest.split("{total}")
        explained = cat(before, up, middle, text, between, fmt_num(out["total"].to_numpy()), after)
        explained = np.where(out["vetoed"].to_numpy(dtype=bool), cat(explained, tx.ROLLUP_VETO(lang)), explained)
        explained = np.where(np.strings.str_len(text) == 0, tx.NO_DATA(lang), explained)
        out["explanation"] = obj(np.asarray(explained).astype(object), out.index)
        out["weighted"] = np.nan
        out["adjust"] = 0.0
        out["raw"] = np.nan
        parts.append(out)
        done = pd.concat([done, out], ignore_index=True)
    if not parts:
        return leaf.iloc[0:0]
    return pd.concat(parts, ignore_index=True)
