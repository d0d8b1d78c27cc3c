"""Weights that must total 100 (±0.01): dimensions per level, indicators per dimension in every
period where they are effective, rater roles per indicator, and forced-distribution quotas."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from ...findings import Finding
from ...i18n import pick
from ..codes import level_name
from ..context import Context, lookup
from .cells import num
from .methods import UNWEIGHTED
from .periods import leaf_periods

CODES = ("dimension-weights-total", "indicator-weights-total", "rater-weights-total", "rater-weights-missing",
         "quota-total", "grades-order")
TOLERANCE = 0.01


def _off(total: float) -> bool:
    return bool(abs(total - 100.0) > TOLERANCE)


def _total(total: float) -> str:
    return num(round(total, 4))


def _fraction_hint(ctx: Context, total: float) -> str:
    """Weights typed as fractions (0.4 for 40 %) total 1: say so, it is the usual cause."""
    if abs(total - 1.0) <= TOLERANCE:
        return pick(ctx.lang, " 权重似乎按小数填写（合计为 1）：请按百分点填写，如 40 或 40%，而不是 0.4。",
                    " The weights look like fractions (total 1): enter points, e.g. 40 or 40%, not 0.4.")
    return ""


def check(ctx: Context) -> Iterator[Finding]:
    yield from _dimensions(ctx)
    yield from _indicators(ctx)
    yield from _rater_weights(ctx)
    yield from _grades(ctx)


def _dimensions(ctx: Context) -> Iterator[Finding]:
    loc, dims = ctx.located.get("dimensions"), ctx.frames.get("dimensions")
    if loc is None or dims is None or not loc.has("weight"):
        return
    for level, group in dims.dropna(subset=["level"]).groupby("level", sort=False):
        total = float(group["weight"].fillna(0).sum())
        if _off(total):
            yield ctx.at("dimension-weights-total", loc, "weight", int(group.index[0]), level=level_name(level, ctx.lang),
                         total=_total(total), extra=_fraction_hint(ctx, total))


def effective_sets(ind: pd.DataFrame, periods: pd.DataFrame | None) -> list[tuple[str, np.ndarray]]:
    """(period id, mask of indicators effective in it) for every leaf period; one ('', all) without periods."""
    if periods is None:
        return [("", np.ones(len(ind), dtype=bool))]
    leaves = leaf_periods(periods)
    if leaves.empty:
        return [("", np.ones(len(ind), dtype=bool))]
    eff_from = lookup(ind["effective_from"], periods, "period_id", "start").to_numpy(dtype="datetime64[ns]")
    eff_to = lookup(ind["effective_to"], periods, "period_id", "end").to_numpy(dtype="datetime64[ns]")
    out = []
    for pid, start in zip(leaves["period_id"], leaves["start"].to_numpy(dtype="datetime64[ns]")):
        ok = (np.isnat(eff_from) | (eff_from <= start)) & (np.isnat(eff_to) | (start <= eff_to))
        out.append((str(pid), ok))
    return out


def _indicators(ctx: Context) -> Iterator[Finding]:
    loc, ind = ctx.located.get("indicators"), ctx.frames.get("indicators")
    if loc is None or ind is None or ind.empty or not loc.has("method"):
        return
    weighted = ind[ind["method"].notna() & ~ind["method"].isin(UNWEIGHTED)
                   & ind["dimension"].notna() & ind["level"].notna()]
    if weighted.empty:
        return
    sets = effective_sets(weighted, ctx.frames.get("periods"))
    for (dimension, level), group in weighted.groupby(["dimension", "level"], sort=False):
        pos = weighted.index.get_indexer(group.index)
        # periods sharing the same effective set share one finding
        seen: dict[tuple[int, ...], list[str]] = {}
        for pid, mask in sets:
            members = tuple(int(group.index[k]) for k, p in enumerate(pos) if mask[p])
            if members:
                seen.setdefault(members, []).append(pid)
        for members, pids in seen.items():
            total = float(ind.loc[list(members), "weight"].fillna(0).sum())
            if _off(total):
                yield ctx.at("indicator-weights-total", loc, "weight", members[0], dimension=str(dimension),
                             level=level_name(level, ctx.lang), total=_total(total), periods=", ".join(p for p in pids if p) or "-",
                             extra=_fraction_hint(ctx, total))


def _rater_weights(ctx: Context) -> Iterator[Finding]:
    loc, rw = ctx.located.get("rater_weights"), ctx.frames.get("rater_weights")
    if loc is not None and rw is not None and loc.has("weight"):
        for indicator, group in rw.dropna(subset=["indicator_id"]).groupby("indicator_id", sort=False):
            total = float(group["weight"].fillna(0).sum())
            if _off(total):
                yield ctx.at("rater-weights-total", loc, "weight", int(group.index[0]), indicator=str(indicator),
                             total=_total(total))
    iloc, ind = ctx.located.get("indicators"), ctx.frames.get("indicators")
    if iloc is None or ind is None or not iloc.has("method"):
        return
    covered = set(rw["indicator_id"].dropna()) if rw is not None else set()
    if "*" in covered:
        return
    missing = ((ind["method"] == "rating") & ind["indicator_id"].notna()
               & ~ind["indicator_id"].isin(covered)).to_numpy(dtype=bool)
    yield from ctx.cells("rater-weights-missing", iloc, "indicator_id", ind.index.to_numpy()[missing],
                         per_row={"indicator": ind["indicator_id"].to_numpy(dtype=object)[missing]})


def _grades(ctx: Context) -> Iterator[Finding]:
    loc, grades = ctx.located.get("grades"), ctx.frames.get("grades")
    if loc is None or grades is None or grades.empty:
        return
    idx = grades.index.to_numpy()
    if ctx.settings.grade_mode == "forced":
        name = pick(ctx.lang, "强制分布", "Forced distribution")
        yield from ctx.cells("missing-parameter", loc, "quota", idx[ctx.blank("grades", "quota", grades.index)],
                             method=name)
        total = float(grades["quota"].fillna(0).sum())
        if loc.has("quota") and _off(total):
            yield ctx.at("quota-total", loc, "quota", int(idx[0]), total=_total(total))
        return
    name = pick(ctx.lang, "按分数线评级", "Absolute grading")
    yield from ctx.cells("missing-parameter", loc, "min_score", idx[ctx.blank("grades", "min_score", grades.index)],
                         method=name)
    scores = grades["min_score"].to_numpy(dtype=float)
    prev = np.fmin.accumulate(np.where(np.isnan(scores), np.inf, scores))
    prev = np.roll(prev, 1)
    prev[0] = np.inf
    wrong = ~np.isnan(scores) & (scores >= prev)
    yield from ctx.cells("grades-order", loc, "min_score", idx[wrong],
                         per_row={"value": grades["grade"].to_numpy(dtype=object)[wrong],
                                  "score": [num(x) for x in scores[wrong]], "prev": [num(x) for x in prev[wrong]]})
