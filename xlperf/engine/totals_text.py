"""The explanation of each total: dimension scores × weights, bonus/penalty points, veto, missing data.

e.g. ``质量 76.25×60% + 效率 85.8×40% = 80.07；加减分 +2（A1 表扬 +2）；总分 82.07``.
Built with numpy string ufuncs; per-subject lists are joined by ``keys.group_join`` (no loop over
subjects).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..i18n import Text
from . import texts as tx
from .keys import IntArray, group_join
from .numbers import STR, StrArray, cat, fmt_num, fmt_one

BoolArray = npt.NDArray[np.bool_]


def _per_subject(subjects: IntArray, groups: IntArray, pieces: StrArray, sep: str) -> StrArray:
    out: StrArray = np.full(len(subjects), "", dtype=STR)
    if len(groups):
        uniq, joined = group_join(groups, pieces, sep)
        out[np.searchsorted(subjects, uniq)] = joined
    return out


def indicator_labels(ind: pd.DataFrame) -> StrArray:
    """'Q1 一次合格率' per indicator code."""
    text = (ind["indicator_id"].astype(str) + " " + ind["name"].astype(str)).str.strip()
    out: StrArray = text.to_numpy(dtype=object).astype(STR)
    return out


def explain_totals(totals: pd.DataFrame, dims: pd.DataFrame, grid: pd.DataFrame, ind: pd.DataFrame,
                   dim_names: list[str], dim_rank: list[int], *, lang: str, policy: str, total_cap: float,
                   veto_score: float) -> StrArray:
    subjects = totals["sk"].to_numpy(dtype=np.int64)
    labels = indicator_labels(ind)

    shown = dims[dims["present"].to_numpy(dtype=bool) | (policy != "renormalize")]
    rank = np.asarray(dim_rank, dtype=np.int64)[shown["dcode"].to_numpy(dtype=np.int64)]
    order = np.lexsort((rank, shown["sk"].to_numpy(dtype=np.int64)))
    shown = shown.iloc[order]
    names = np.asarray(dim_names, dtype=object).astype(STR)[shown["dcode"].to_numpy(dtype=np.int64)]
    piece = cat(names, " ", fmt_num(shown["dim_score"].fillna(0.0).to_numpy()), "×",
                fmt_num(shown["dim_weight"].to_numpy()), "%")
    dim_text = _per_subject(subjects, shown["sk"].to_numpy(dtype=np.int64), piece, " + ")

    method = grid["method"].to_numpy(dtype=object)
    gsk = grid["sk"].to_numpy(dtype=np.int64)
    ic = grid["ic"].to_numpy(dtype=np.int64)
    score = grid["score"].to_numpy(dtype=np.float64)
    actual = grid["actual"].to_numpy(dtype=np.float64)
    sep = tx.LIST_SEP(lang)

    a = method == "adjust"
    adj_piece = cat(labels[ic[a]], " ", np.where(score[a] > 0, "+", "").astype(STR), fmt_num(score[a]))
    adj_text = _per_subject(subjects, gsk[a], adj_piece, sep)
    miss = grid["weighted_method"].to_numpy(dtype=bool) & np.isnan(actual)
    miss_text = _per_subject(subjects, gsk[miss], labels[ic[miss]], sep)
    v = (method == "veto") & (actual >= 0.5)
    veto_text = _per_subject(subjects, gsk[v], labels[ic[v]], sep)

    weighted = totals["weighted"].to_numpy(dtype=np.float64)
    adjust = totals["adjust"].to_numpy(dtype=np.float64)
    raw = totals["raw"].to_numpy(dtype=np.float64)
    total = totals["total"].to_numpy(dtype=np.float64)
    text = cat(dim_text, " = ", fmt_num(weighted))
    has_adj = np.strings.str_len(adj_text) > 0
    adj_part = cat(tx.ADJUST_PTS(lang), np.where(adjust > 0, "+", "").astype(STR), fmt_num(adjust), tx.OPEN(lang),
                   adj_text, tx.CLOSE(lang))
    text = np.where(has_adj, cat(text, adj_part), text)
    clamped = (raw > total_cap) | (raw < 0)
    cap_note = cat(tx.TOTAL_CAPPED(lang, cap=fmt_one(total_cap)), " → ", fmt_num(total))
    text = np.where(has_adj | clamped, cat(text, tx.TOTAL(lang), fmt_num(raw), np.where(clamped, cap_note, "")), text)
    has_missing = np.strings.str_len(miss_text) > 0
    pct = fmt_num(totals["completeness"].to_numpy(dtype=np.float64) * 100.0, 0)
    text = np.where(has_missing, cat(text, _fill(tx.MISSING_LIST, lang, ids=miss_text, pct=pct)), text)
    text = np.where(np.isnan(weighted) & (np.strings.str_len(dim_text) == 0), tx.NO_DATA(lang), text)
    if policy == "exclude":
        text = np.where(np.isnan(weighted) & has_missing, _fill(tx.NO_TOTAL_EXCLUDE, lang, ids=miss_text), text)
    vetoed = totals["vetoed"].to_numpy(dtype=bool)
    veto_note = _fill(tx.VETOED, lang, ids=veto_text, score=fmt_one(veto_score))
    text = np.where(vetoed, cat(veto_note, tx.SEP(lang), text), text)
    result: StrArray = np.asarray(text).astype(STR)
    return result


def _fill(template: Text, lang: str, **parts: StrArray | str) -> StrArray:
    """A ``{name}`` template filled element-wise from string arrays."""
    import re

    source = template.zh if lang == "zh" else template.en
    pieces: list[StrArray | str] = []
    for i, part in enumerate(re.split(r"\{(\w+)\}", source)):
        pieces.append(parts[part] if i % 2 else part)
    return cat(*pieces)
