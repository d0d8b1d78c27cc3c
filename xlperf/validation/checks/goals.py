"""SMART goals: Specific, Measurable, Achievable, Relevant, Time-bound. Warnings: a weak goal does
not stop scoring, but HR should see it before agreeing it with a vendor."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ...findings import Finding
from ...i18n import pick
from ..context import Context, Located
from .cells import num
from .observations import indicator_attr

CODES = ("goal-not-specific", "goal-not-measurable", "goal-not-achievable", "goal-not-relevant", "goal-no-deadline",
         "goal-deadline-before-agreement")
MIN_DESCRIPTION = 10  # characters; ten Chinese characters already say what and how much


def check(ctx: Context) -> Iterator[Finding]:
    loc, goals = ctx.located.get("goals"), ctx.frames.get("goals")
    if loc is None or goals is None or goals.empty:
        return
    idx = goals.index.to_numpy()
    desc = goals["description"]
    short = (desc.notna() & (desc.astype(str).str.strip().str.len() < MIN_DESCRIPTION)).to_numpy(dtype=bool)
    yield from ctx.cells("goal-not-specific", loc, "description", idx[short], min=MIN_DESCRIPTION)

    # blank only: an unreadable cell is reported once, by the cells check
    no_ind = ctx.blank("goals", "indicator_id", goals.index)
    no_target = ctx.blank("goals", "target", goals.index)
    reasons = np.array([
        pick(ctx.lang, "未关联指标，也没有数值目标", "no indicator and no numeric target") if a and b else
        pick(ctx.lang, "未关联指标", "no indicator") if a else pick(ctx.lang, "没有数值目标", "no numeric target")
        for a, b in zip(no_ind, no_target)], dtype=object)
    yield from ctx.cells("goal-not-measurable", loc, "indicator_id", idx[no_ind], per_row={"reason": reasons[no_ind]})
    only_target = no_target & ~no_ind
    yield from ctx.cells("goal-not-measurable", loc, "target", idx[only_target],
                         per_row={"reason": reasons[only_target]})

    yield from _achievable(ctx, loc, goals, idx)

    yield from ctx.cells("goal-not-relevant", loc, "objective", idx[goals["objective"].isna().to_numpy(dtype=bool)])
    yield from ctx.cells("goal-no-deadline", loc, "deadline", idx[ctx.blank("goals", "deadline", goals.index)])
    early = (goals["deadline"] < goals["agreed_on"]).to_numpy(dtype=bool)
    yield from ctx.cells("goal-deadline-before-agreement", loc, "deadline", idx[early],
                         per_row={"agreed": goals["agreed_on"].dt.strftime("%Y-%m-%d").to_numpy(dtype=object)[early]})


def _achievable(ctx: Context, loc: Located, goals: pd.DataFrame, idx: npt.NDArray[Any]) -> Iterator[Finding]:
    ids = goals["indicator_id"]
    stretch = indicator_attr(ctx, ids, "stretch").to_numpy(dtype=float)
    cap = indicator_attr(ctx, ids, "cap").to_numpy(dtype=float)
    ind_target = indicator_attr(ctx, ids, "target").to_numpy(dtype=float)
    method = indicator_attr(ctx, ids, "method").to_numpy(dtype=object)
    lower = (indicator_attr(ctx, ids, "direction") == "lower").to_numpy(dtype=bool)
    target = goals["target"].to_numpy(dtype=float)
    # The value past which the indicator scores no more: its stretch, or for ratio scoring the value
    # that reaches the score cap.
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio_limit = np.where(lower, ind_target * 100.0 / cap, ind_target * cap / 100.0)
        limit = np.where(~np.isnan(stretch), stretch, np.where(method == "ratio", ratio_limit, np.nan))
        beyond = ~np.isnan(limit) & ~np.isnan(target) & np.where(lower, target < limit, target > limit)
    names = np.where(~np.isnan(stretch), pick(ctx.lang, "挑战值", "stretch"),
                     pick(ctx.lang, "得分上限对应值", "value at the score cap"))
    yield from ctx.cells("goal-not-achievable", loc, "target", idx[beyond],
                         per_row={"indicator": ids.to_numpy(dtype=object)[beyond], "limit_name": names[beyond],
                                  "limit": [num(x) for x in limit[beyond]]})
