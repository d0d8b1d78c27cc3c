"""The explanation of each total: dimension scores × weights, bonus/penalty points, veto, missing data.

e.g. ``质量 76.25×60% + 效率 85.8×40% = 80.07；加减分 +2（A1 表扬 +2）；总分 82.07``.
Built with Arrow string kernels (see ``explain_totals``); per-subject lists are joined over list offsets
(no loop over subjects).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa

from ..i18n import Text
from . import arrowtext as ax
from . import texts as tx
from .arrowtext import Part
from .numbers import STR, StrArray, fmt_arrow, fmt_one

BoolArray = npt.NDArray[np.bool_]


def indicator_labels(ind: pd.DataFrame) -> StrArray:
    """'Q1 一次合格率' per indicator code."""
    text = (ind["indicator_id"].astype(str) + " " + ind["name"].astype(str)).str.strip()
    out: StrArray = text.to_numpy(dtype=object).astype(STR)
    return out


def explain_totals(totals: pd.DataFrame, dims: pd.DataFrame, grid: pd.DataFrame, ind: pd.DataFrame,
                   dim_names: list[str], dim_rank: list[int], *, lang: str, policy: str, total_cap: float,
                   veto_score: float) -> npt.NDArray[np.object_]:
    """One explanation per subject of ``totals`` (plain str objects, in its row order).

    Built as Arrow string arrays: numbers are printed once per distinct value and gathered with
    ``take``, pieces are joined per subject with ``binary_join`` over list offsets and sentences with
    ``binary_join_element_wise`` — each one pass over contiguous buffers, where numpy's variable-width
    strings allocate per element on every gather and concatenation.
    """
    subjects = totals["sk"].to_numpy(dtype=np.int64)
    labels = pa.array(indicator_labels(ind).astype(object), pa.string())

    shown = dims[dims["present"].to_numpy(dtype=bool) | (policy != "renormalize")]
    rank = np.asarray(dim_rank, dtype=np.int64)[shown["dcode"].to_numpy(dtype=np.int64)]
    order = np.lexsort((rank, shown["sk"].to_numpy(dtype=np.int64)))
    shown = shown.iloc[order]
    names = pa.array(dim_names, pa.string()).take(shown["dcode"].to_numpy(dtype=np.int64))
    piece = ax.cat(names, " ", fmt_arrow(shown["dim_score"].fillna(0.0).to_numpy()), "×",
                 fmt_arrow(shown["dim_weight"].to_numpy()), "%")
    dim_text = ax.join_per_group(subjects, shown["sk"].to_numpy(dtype=np.int64), piece, " + ")

    method = grid["method"].to_numpy(dtype=object)
    gsk = grid["sk"].to_numpy(dtype=np.int64)
    ic = grid["ic"].to_numpy(dtype=np.int64)
    score = grid["score"].to_numpy(dtype=np.float64)
    actual = grid["actual"].to_numpy(dtype=np.float64)
    sep = tx.LIST_SEP(lang)

    a = method == "adjust"
    adj_piece = ax.cat(labels.take(ic[a]), " ", ax.where(score[a] > 0, "+", ""), fmt_arrow(score[a]))
    adj_text = ax.join_per_group(subjects, gsk[a], adj_piece, sep)
    miss = grid["weighted_method"].to_numpy(dtype=bool) & np.isnan(actual)
    miss_text = ax.join_per_group(subjects, gsk[miss], labels.take(ic[miss]), sep)
    v = (method == "veto") & (actual >= 0.5)
    veto_text = ax.join_per_group(subjects, gsk[v], labels.take(ic[v]), sep)

    weighted = totals["weighted"].to_numpy(dtype=np.float64)
    adjust = totals["adjust"].to_numpy(dtype=np.float64)
    raw = totals["raw"].to_numpy(dtype=np.float64)
    total = totals["total"].to_numpy(dtype=np.float64)
    text = ax.cat(dim_text, " = ", fmt_arrow(weighted))
    has_adj = ax.nonempty(adj_text)
    adj_part = ax.cat(tx.ADJUST_PTS(lang), ax.where(adjust > 0, "+", ""), fmt_arrow(adjust), tx.OPEN(lang), adj_text,
                    tx.CLOSE(lang))
    text = ax.where(has_adj, ax.cat(text, adj_part), text)
    clamped = (raw > total_cap) | (raw < 0)
    cap_note = ax.cat(tx.TOTAL_CAPPED(lang, cap=fmt_one(total_cap)), " → ", fmt_arrow(total))
    text = ax.where(has_adj | clamped, ax.cat(text, tx.TOTAL(lang), fmt_arrow(raw), ax.where(clamped, cap_note, "")), text)
    has_missing = ax.nonempty(miss_text)
    pct = fmt_arrow(totals["completeness"].to_numpy(dtype=np.float64) * 100.0, 0)
    text = ax.where(has_missing, ax.cat(text, _fill(tx.MISSING_LIST, lang, ids=miss_text, pct=pct)), text)
    text = ax.where(np.isnan(weighted) & ~ax.nonempty(dim_text), tx.NO_DATA(lang), text)
    if policy == "exclude":
        text = ax.where(np.isnan(weighted) & has_missing, _fill(tx.NO_TOTAL_EXCLUDE, lang, ids=miss_text), text)
    vetoed = totals["vetoed"].to_numpy(dtype=bool)
    veto_note = _fill(tx.VETOED, lang, ids=veto_text, score=fmt_one(veto_score))
    text = ax.where(vetoed, ax.cat(veto_note, tx.SEP(lang), text), text)
    result: npt.NDArray[np.object_] = np.asarray(ax.array_of(text, len(subjects)).to_numpy(zero_copy_only=False),
                                                 dtype=object)
    return result


def _fill(template: Text, lang: str, **parts: Part) -> Part:
    """A ``{name}`` template filled element-wise from string arrays."""
    import re

    source = template.zh if lang == "zh" else template.en
    pieces: list[Part] = []
    for i, part in enumerate(re.split(r"\{(\w+)\}", source)):
        pieces.append(parts[part] if i % 2 else part)
    return ax.cat(*pieces)
