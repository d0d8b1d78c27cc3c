"""Scoring-method parameters: each method has what it needs, and what it has is consistent."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from ...contract.choices import DIRECTIONS
from ...findings import Finding
from ...i18n import Text
from ..codes import choice_name
from ..context import Context, Located
from .cells import num

CODES = ("missing-parameter", "floor-equals-target", "direction-order", "zero-target", "method-level-mismatch",
         "weight-ignored")

METHOD_NAMES: dict[str, Text] = {
    "linear": Text("线性计分", "Linear scoring"), "ratio": Text("比率计分", "Ratio scoring"),
    "bands": Text("分档计分", "Band scoring"), "rating": Text("评分计分", "Rating scoring"),
    "deduction": Text("扣分计分", "Deduction scoring"), "adjust": Text("加减分", "Adjustment"),
    "veto": Text("一票否决", "Veto"), "team": Text("团队计分", "Team scoring"),
}
UNWEIGHTED = ("adjust", "veto")
NEEDS: dict[str, tuple[str, ...]] = {
    "linear": ("floor", "target", "weight"), "ratio": ("target", "weight"), "bands": ("band_set", "weight"),
    "rating": ("scale", "weight"), "deduction": ("per_unit", "weight"), "adjust": ("per_unit",),
    "team": ("weight",),
}


def method_name(method: object, lang: str) -> str:
    t = METHOD_NAMES.get(str(method))
    return t(lang) if t else str(method)


def check(ctx: Context) -> Iterator[Finding]:
    loc, ind = ctx.located.get("indicators"), ctx.frames.get("indicators")
    if loc is None or ind is None or ind.empty or not loc.has("method"):
        return
    method = ind["method"]
    idx = ind.index.to_numpy()
    names = np.array([method_name(m, ctx.lang) for m in method], dtype=object)
    for m, fields in NEEDS.items():
        for key in fields:
            # blank only: an unreadable value is reported once, as not-a-number (or excel-error)
            miss = (method == m).to_numpy(dtype=bool) & ctx.blank("indicators", key, ind.index)
            yield from ctx.cells("missing-parameter", loc, key, idx[miss], per_row={"method": names[miss]})
    ignored = (method.isin(UNWEIGHTED) & ind["weight"].notna() & (ind["weight"] != 0)).to_numpy(dtype=bool)
    yield from ctx.cells("weight-ignored", loc, "weight", idx[ignored], per_row={"method": names[ignored]})
    team_bad = ((method == "team") & ind["level"].notna() & (ind["level"] != "vendor")).to_numpy(dtype=bool)
    yield from ctx.cells("method-level-mismatch", loc, "level", idx[team_bad], per_row={"method": names[team_bad]})
    zero = ((method == "ratio") & (ind["target"] == 0)).to_numpy(dtype=bool)
    yield from ctx.cells("zero-target", loc, "target", idx[zero])
    yield from _linear(ctx, loc, ind)


def _linear(ctx: Context, loc: Located, ind: pd.DataFrame) -> Iterator[Finding]:
    lin = ind[(ind["method"] == "linear") & ind["floor"].notna() & ind["target"].notna()]
    if lin.empty:
        return
    idx = lin.index.to_numpy()
    f, t, s = (lin[k].to_numpy(dtype=float) for k in ("floor", "target", "stretch"))
    equal = f == t
    yield from ctx.cells("floor-equals-target", loc, "target", idx[equal])
    lower = (lin["direction"] == "lower").to_numpy(dtype=bool)  # blank means higher, the template's default
    has_s = ~np.isnan(s)
    with np.errstate(invalid="ignore"):
        ok_higher = (f < t) & (~has_s | (t < s))
        ok_lower = (f > t) & (~has_s | (t > s))
    wrong = ~equal & np.where(lower, ~ok_lower, ~ok_higher)
    order = np.where(lower, "floor > target > stretch" if ctx.lang == "en" else "底线值 > 目标值 > 挑战值",
                     "floor < target < stretch" if ctx.lang == "en" else "底线值 < 目标值 < 挑战值")
    direction = np.where(lower, choice_name("lower", ctx.lang, DIRECTIONS),
                         choice_name("higher", ctx.lang, DIRECTIONS))
    yield from ctx.cells("direction-order", loc, "direction" if loc.has("direction") else "target", idx[wrong],
                         per_row={"order": order[wrong], "direction": direction[wrong],
                                  "floor": [num(x) for x in f[wrong]], "target": [num(x) for x in t[wrong]],
                                  "stretch": [num(x) if not np.isnan(x) else "-" for x in s[wrong]]})
