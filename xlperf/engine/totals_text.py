"""The explanation of each total: dimension scores × weights, bonus/penalty points, veto, missing data.

e.g. ``质量 76.25×60% + 效率 85.8×40% = 80.07；加减分 +2（A1 奖励 +2）；总分 82.07``.
Built on pandas string columns over subjects (tens of thousands of rows, not a million).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import texts as tx
from .model import KEY
from .numbers import fmt_num


def _num(values: pd.Series, digits: int = 2) -> pd.Series:
    return pd.Series(fmt_num(values.to_numpy(dtype=np.float64), digits).astype(object), index=values.index)


def _joined(rows: pd.DataFrame, piece: pd.Series, sep: str) -> pd.DataFrame:
    """Pieces joined per subject, as a frame on KEY with column ``text``."""
    if rows.empty:
        return pd.DataFrame({**{k: pd.Series(dtype=object) for k in KEY}, "text": pd.Series(dtype=object)})
    out = piece.groupby([rows[k] for k in KEY], sort=False).agg(sep.join)
    return out.rename("text").reset_index()


def _lookup(totals: pd.DataFrame, joined: pd.DataFrame) -> pd.Series:
    merged = totals[KEY].merge(joined, on=KEY, how="left")
    return pd.Series(merged["text"].fillna("").to_numpy(dtype=object), index=totals.index)


def explain_totals(totals: pd.DataFrame, dims: pd.DataFrame, grid: pd.DataFrame, dim_order: list[str], *,
                   lang: str, policy: str, total_cap: float, veto_score: float) -> pd.Series:
    label = grid["indicator_id"].astype(str) + " " + grid["name"].astype(str)
    label = label.str.strip()

    shown = dims[dims["present"].to_numpy(dtype=bool) | (policy != "renormalize")]
    shown = shown.assign(_pos=shown["dimension"].map({d: i for i, d in enumerate(dim_order)}).fillna(len(dim_order)))
    shown = shown.sort_values([*KEY, "_pos"], kind="stable")
    piece = (shown["dimension"].astype(str) + " " + _num(shown["dim_score"].fillna(0.0)) + "×"
             + _num(shown["dim_weight"]) + "%")
    dim_text = _lookup(totals, _joined(shown, piece, " + "))

    method = grid["method"].to_numpy(dtype=object)
    adj = grid[method == "adjust"]
    adj_score = adj["score"]
    sign = pd.Series(np.where(adj_score.to_numpy() > 0, "+", ""), index=adj.index)
    adj_text = _lookup(totals, _joined(adj, label[adj.index] + " " + sign + _num(adj_score), tx.LIST_SEP(lang)))

    missing = grid[grid["weighted_method"].to_numpy(dtype=bool) & grid["actual"].isna().to_numpy()]
    miss_text = _lookup(totals, _joined(missing, label[missing.index], tx.LIST_SEP(lang)))

    vetoes = grid[(method == "veto") & (grid["actual"].to_numpy(dtype=np.float64) >= 0.5)]
    veto_text = _lookup(totals, _joined(vetoes, label[vetoes.index], tx.LIST_SEP(lang)))

    weighted = totals["weighted"]
    adjust = totals["adjust"]
    raw = totals["raw"]
    total = totals["total"]
    text = dim_text + " = " + _num(weighted)
    has_adj = adj_text != ""
    adj_sign = pd.Series(np.where(adjust.to_numpy() > 0, "+", ""), index=totals.index, dtype=object)
    text = text.where(~has_adj, text + tx.ADJUST_PTS(lang) + adj_sign + _num(adjust) + tx.OPEN(lang) + adj_text
                      + tx.CLOSE(lang))
    clamped = (raw > total_cap) | (raw < 0)
    cap_note = tx.TOTAL_CAPPED(lang, cap=fmt_num([total_cap], 2)[0])
    text = text.where(~(has_adj | clamped), text + tx.TOTAL(lang) + _num(raw)
                      + pd.Series(np.where(clamped, cap_note + " → " + _num(total), ""), index=totals.index))
    has_missing = miss_text != ""
    pct = _num(totals["completeness"] * 100.0, 0)
    miss_note = pd.Series([tx.MISSING_LIST(lang, ids=i, pct=p) for i, p in zip(miss_text, pct)], index=totals.index)
    text = text.where(~has_missing, text + miss_note)
    no_dims = weighted.isna() & (dim_text == "")
    text = text.where(~no_dims, tx.NO_DATA(lang))
    if policy == "exclude":
        excluded = weighted.isna() & has_missing
        ex_note = pd.Series([tx.NO_TOTAL_EXCLUDE(lang, ids=i) for i in miss_text], index=totals.index)
        text = text.where(~excluded, ex_note)
    vetoed = totals["vetoed"].to_numpy(dtype=bool)
    veto_note = pd.Series([tx.VETOED(lang, ids=i, score=fmt_num([veto_score], 2)[0]) for i in veto_text],
                          index=totals.index)
    text = text.where(~vetoed, veto_note + tx.SEP(lang) + text)
    return text.astype(object)
