"""``compute(inputs, periods)``: the whole scoring run, as a list of steps.

1. period values (observations by aggregation, ratings by rater weights);
2. the period calendar, and which periods to compute;
3. worker level: score rows → dimension scores → totals;
4. vendor level, with ``team`` indicators fed by the worker totals;
5. roll-up periods from their children;
6. ranks, grades, incentives and actions;
7. warnings and goal progress;
8. output frames in the contract's column order, deterministically sorted.

Which periods: every leaf period with data is scored (earlier periods are needed for "fell against
the previous period", roll-ups for their children), but only the asked periods and the roll-ups above
them are returned. ``periods=None`` returns everything.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..contract.outputs import results as results_table
from ..contract.outputs import scores as scores_table
from ..inputs import Inputs
from .aggregate import observation_values, rating_values
from .explain import as_object, explain_rows
from .goals import GOAL_COLUMNS, goal_alerts, goal_progress
from .grades import grade_for, rank_desc
from .incentives import action_for, bonus_for
from .model import KEY, ROW_KEY, prepare_indicators, text_col
from .numbers import STR, round_half_up, strs
from .periods import Calendar
from .results import Results
from .rollup import rollup_results
from .scoring import build_grid, period_indicators, score_rows, subjects_of
from .totals import apply_weights, dimension_weights, subject_totals
from .totals_text import explain_totals
from .warnings import WARNING_COLUMNS, goal_warnings, score_warnings, total_warnings

LEVEL_ORDER = {"vendor": 0, "worker": 1}


def _table(inputs: Inputs, name: str) -> pd.DataFrame:
    frame = inputs.tables.get(name)
    return Inputs.empty_frame(name) if frame is None else frame


def compute(inputs: Inputs, periods: list[str] | None = None) -> Results:
    s = inputs.settings
    lang, policy = s.lang, s.missing_policy
    ind = prepare_indicators(_table(inputs, "indicators"))
    workers, vendors = _table(inputs, "workers"), _table(inputs, "vendors")
    dims_table = _table(inputs, "dimensions")
    grades = _table(inputs, "grades")
    worker_vendor = dict(zip(text_col(workers, "worker_id"), text_col(workers, "vendor_id")))

    # 1. period values; rating indicators take the ratings table when it has their ratings
    obs = observation_values(_table(inputs, "observations"), ind, worker_vendor)
    rat = rating_values(_table(inputs, "ratings"), ind, _table(inputs, "rater_weights"), worker_vendor, lang)
    values = pd.concat([rat, obs.assign(detail="")], ignore_index=True).drop_duplicates(ROW_KEY, keep="first")

    # 2. calendar
    data_periods = sorted(set(values["period_id"]))
    cal = Calendar.build(_table(inputs, "periods"), extra_ids=data_periods)
    leaves = [p for p in cal.order if p in set(data_periods) and not cal.children.get(p)]
    effective = {p: cal.effective(ind, p) for p in leaves}
    dim_order = list(dict.fromkeys(text_col(dims_table, "dimension")))
    for d in ind["dimension"]:
        if d not in dim_order:
            dim_order.append(d)

    # 3. workers
    common = dict(ind=ind, leaves=leaves, effective=effective, bands=_table(inputs, "bands"), dims_table=dims_table,
                  dim_order=dim_order, inputs=inputs)
    w_grid, w_res = _score_level("worker", values, **common)  # type: ignore[arg-type]

    # 4. vendors; team = mean of the vendor's worker totals in the period
    team = _team_values(w_res, ind, leaves, effective)
    v_values = pd.concat([values[values["level"] == "vendor"], team], ignore_index=True)
    v_grid, v_res = _score_level("vendor", v_values, **common)  # type: ignore[arg-type]

    grid = pd.concat([v_grid, w_grid], ignore_index=True)
    leaf_res = pd.concat([v_res, w_res], ignore_index=True)
    dim_cols = [f"dim:{d}" for d in dim_order if f"dim:{d}" in leaf_res]

    # 5. roll-ups
    res = pd.concat([leaf_res, rollup_results(leaf_res, cal, dim_cols, lang)], ignore_index=True)

    # 6. ranks, grades, incentives
    res = _grade(res, grades, s.grade_mode, s.distribution_scope, workers, vendors)

    # 7. warnings and goals
    wanted = _wanted(cal, leaves, periods)
    ref = s.current_period if s.current_period in leaves else next((p for p in reversed(cal.order) if p in wanted and p in leaves), "")
    ref_date = cal.end.get(ref) if ref else None
    direction = dict(zip(ind["indicator_id"], ind["direction"]))
    goals = goal_progress(_table(inputs, "goals"), grid, {p: i for i, p in enumerate(cal.order)}, ref, ref_date, direction)
    warn_parts = score_warnings(grid, warn_score=s.warn_score, policy=policy, veto_score=s.veto_score, lang=lang)
    warn_parts += total_warnings(res, cal, grades, drop_alert=s.drop_alert, policy=policy, lang=lang)
    if ref:
        warn_parts += goal_warnings(*goal_alerts(goals), ref, lang)

    # 8. output
    out_periods = [p for p in cal.order if p in wanted]
    return Results(
        results=_finish(res, cal, wanted, [*results_table.keys, *dim_cols]),
        scores=_finish(_scores_frame(grid), cal, wanted, list(scores_table.keys)),
        warnings=_finish(pd.concat(warn_parts, ignore_index=True) if warn_parts else
                         pd.DataFrame(columns=WARNING_COLUMNS), cal, wanted, WARNING_COLUMNS, extra_sort=["rule"]),
        goals=goals[GOAL_COLUMNS].sort_values("goal_id", kind="stable").reset_index(drop=True),
        periods=out_periods,
    )


def _wanted(cal: Calendar, leaves: list[str], periods: list[str] | None) -> set[str]:
    asked = list(leaves) if periods is None else [str(p) for p in periods]
    wanted = set(asked)
    for p in asked:
        wanted.update(cal.ancestors(p))
    return wanted


def _score_level(level: str, values: pd.DataFrame, *, ind: pd.DataFrame, leaves: list[str],
                 effective: dict[str, np.ndarray], bands: pd.DataFrame, dims_table: pd.DataFrame,
                 dim_order: list[str], inputs: Inputs) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(score rows, result rows) of one level over all leaf periods."""
    s = inputs.settings
    level_values = values[(values["level"] == level).to_numpy()]
    subjects = subjects_of(level_values, level)
    grid = build_grid(subjects, period_indicators(ind, level, leaves, effective), level_values)
    grid["score"], label = score_rows(grid, bands)
    grid, dims = apply_weights(grid, dimension_weights(dims_table, level), s.missing_policy)
    text = explain_rows(
        grid["method"].to_numpy(dtype=object), actual=grid["actual"].to_numpy(dtype=np.float64),
        score=grid["score"].to_numpy(dtype=np.float64), higher=(grid["direction"] != "lower").to_numpy(),
        **{c: grid[c].to_numpy(dtype=np.float64) for c in ("floor", "target", "stretch", "cap", "per_unit", "scale")},
        band_label=label, detail=strs(grid["detail"].to_numpy(dtype=object)),
        team_n=grid["n"].to_numpy(dtype=np.float64), lang=s.lang, policy=s.missing_policy, veto_score=s.veto_score)
    grid["explanation"] = as_object(text)
    totals = subject_totals(grid, dims, policy=s.missing_policy, total_cap=s.total_cap, veto_score=s.veto_score)
    totals["explanation"] = explain_totals(totals, dims, grid, dim_order, lang=s.lang, policy=s.missing_policy,
                                           total_cap=s.total_cap, veto_score=s.veto_score).to_numpy()
    wide = dims.pivot_table(index=KEY, columns="dimension", values="dim_score", aggfunc="first", dropna=False)
    wide = wide.reindex(columns=[d for d in dim_order if d in wide.columns])
    wide.columns = [f"dim:{d}" for d in wide.columns]
    wide = wide.apply(lambda c: pd.Series(round_half_up(c.to_numpy(dtype=np.float64), 2), index=c.index))
    res = totals.merge(wide.reset_index(), on=KEY, how="left") if len(wide.columns) else totals
    return grid, res


def _team_values(w_res: pd.DataFrame, ind: pd.DataFrame, leaves: list[str], effective: dict[str, np.ndarray]) -> pd.DataFrame:
    is_team = ((ind["method"] == "team") & (ind["level"] == "vendor")).to_numpy()
    cols = [*ROW_KEY, "actual", "n", "detail"]
    if not is_team.any() or w_res.empty:
        return pd.DataFrame(columns=cols)
    has = w_res[w_res["total"].notna().to_numpy()]
    team = has.groupby(["period_id", "vendor_id"], sort=False)["total"].agg(["mean", "size"]).reset_index()
    parts = []
    for pid in leaves:
        ids = ind.loc[is_team & effective[pid], "indicator_id"].tolist()
        rows = team[team["period_id"] == pid]
        for iid in ids:
            parts.append(pd.DataFrame({"period_id": pid, "level": "vendor", "vendor_id": rows["vendor_id"].to_numpy(),
                                       "worker_id": "", "indicator_id": iid, "actual": rows["mean"].to_numpy(),
                                       "n": rows["size"].to_numpy(dtype=np.float64), "detail": ""}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)


def _grade(res: pd.DataFrame, grades: pd.DataFrame, mode: str, scope: str, workers: pd.DataFrame,
           vendors: pd.DataFrame) -> pd.DataFrame:
    res = res.copy()
    is_worker = (res["level"] == "worker").to_numpy()
    scope_vendor = np.where(is_worker & (scope == "vendor"), res["vendor_id"].to_numpy(dtype=object), "")
    group = res["period_id"].astype(str) + "|" + res["level"].astype(str) + "|" + pd.Series(scope_vendor, index=res.index, dtype=object)
    rank, rank_of = rank_desc(res["total"].to_numpy(dtype=np.float64), group.to_numpy(dtype=object))
    res["rank"] = pd.array(np.where(np.isnan(rank), np.nan, rank), dtype="Float64").astype("Int64")
    res["rank_of"] = pd.array(rank_of, dtype="Float64").astype("Int64")
    res["grade"] = grade_for(res["total"].to_numpy(dtype=np.float64), grades, mode,
                             vetoed=res["vetoed"].to_numpy(dtype=bool), rank=rank, rank_of=rank_of)
    base_bonus = res["worker_id"].map(dict(zip(text_col(workers, "worker_id"), pd.to_numeric(workers["base_bonus"], errors="coerce"))))
    base_fee = res["vendor_id"].map(dict(zip(text_col(vendors, "vendor_id"), pd.to_numeric(vendors["base_fee"], errors="coerce"))))
    res["bonus"] = np.where(is_worker, bonus_for(res["grade"], base_bonus.to_numpy(dtype=np.float64), grades, "bonus"), np.nan)
    res["fee_adjust"] = np.where(~is_worker, bonus_for(res["grade"], base_fee.to_numpy(dtype=np.float64), grades, "fee"), np.nan)
    res["action"] = action_for(res["grade"], grades)
    res["vendor_name"] = res["vendor_id"].map(dict(zip(text_col(vendors, "vendor_id"), text_col(vendors, "name")))).fillna("")
    res["worker_name"] = res["worker_id"].map(dict(zip(text_col(workers, "worker_id"), text_col(workers, "name")))).fillna("")
    res["vetoed"] = res["vetoed"].astype(bool)
    res["completeness"] = round_half_up(res["completeness"].to_numpy(dtype=np.float64), 4)
    return res


def _scores_frame(grid: pd.DataFrame) -> pd.DataFrame:
    out = grid.rename(columns={"name": "indicator_name"}).copy()
    out["weight"] = np.where(out["weighted_method"].to_numpy(dtype=bool), out["weight"], np.nan)
    for col in ("overall_weight", "weighted"):
        out[col] = round_half_up(out[col].to_numpy(dtype=np.float64), 2 if col == "overall_weight" else 4)
    return out


def _finish(frame: pd.DataFrame, cal: Calendar, wanted: set[str], columns: list[str],
            extra_sort: list[str] | None = None) -> pd.DataFrame:
    frame = frame[frame["period_id"].isin(wanted).to_numpy()].copy()
    for col in columns:
        if col not in frame:
            frame[col] = np.nan
    frame["_p"] = cal.rank(frame["period_id"])
    frame["_l"] = frame["level"].map(LEVEL_ORDER).fillna(9)
    keys = ["_p", "_l", "vendor_id", "worker_id", *(["indicator_id"] if "indicator_id" in frame else []), *(extra_sort or [])]
    frame = frame.sort_values(keys, kind="stable")
    return frame[columns].reset_index(drop=True)


__all__ = ["compute", "STR"]
