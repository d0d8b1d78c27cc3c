"""``compute(inputs, periods)``: the whole scoring run, as a list of steps.

1. the period calendar and the integer keys (keys.py);
2. period values (observations by aggregation, ratings by rater weights);
3. worker level: score rows → dimension scores → totals;
4. vendor level, with ``team`` indicators fed by the worker totals;
5. roll-up periods from their children;
6. ranks, grades, incentives and actions;
7. warnings and goal progress;
8. output frames in the contract's column order, sorted by (period, level, vendor, worker, indicator).

Which periods: every leaf period with data is scored (the previous periods are needed for "fell
against the previous period", the children for their roll-ups), but only the asked periods and the
roll-ups above them are returned. ``periods=None`` returns everything. Data filed directly under a
roll-up period (one that has child periods) is not scored: roll-ups come from their children.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..contract.outputs import results as results_table
from ..contract.outputs import scores as scores_table
from ..inputs import Inputs
from .aggregate import VALUE_COLUMNS, observation_values, rating_values
from .calibration import apply_calibrations, quota_warnings
from .explain import as_object, explain_rows
from .goals import GOAL_COLUMNS, goal_alerts, goal_progress
from .grades import grade_for, rank_desc
from .incentives import action_for, bonus_for
from .keys import Keys
from .model import CodedTable, obj, prepare_indicators, text_col
from .numbers import STR, round_half_up, strs
from .periods import Calendar
from .results import Results
from .rollup import rollup_results
from .scoring import build_grid, score_rows
from .totals import apply_weights, subject_totals
from .totals_text import explain_totals, indicator_labels
from .warnings import RULE_ORDER, WARNING_COLUMNS, goal_warnings, score_warnings, total_warnings


def _distinct(frame: pd.DataFrame | CodedTable, col: str) -> set[str]:
    if isinstance(frame, CodedTable):  # the big tables: their factorized columns are reused later
        return frame(col).distinct()
    if col not in frame or len(frame) == 0:
        return set()
    values = pd.unique(frame[col].to_numpy(dtype=object))
    return {str(x) for x in values[~pd.isna(values)]}


def _table(inputs: Inputs, name: str) -> pd.DataFrame:
    frame = inputs.tables.get(name)
    return Inputs.empty_frame(name) if frame is None else frame


class _Run:
    """The state one compute call shares between its steps."""

    def __init__(self, inputs: Inputs, like: _Run | None = None) -> None:
        self.s = inputs.settings
        self.inputs = inputs
        self.like = like  # a scenario run: the base run whose big tables and period values it reuses
        self.with_text = like is None  # scenario runs need numbers only, not the explanations
        self.ind = prepare_indicators(_table(inputs, "indicators"))
        self.workers, self.vendors = _table(inputs, "workers"), _table(inputs, "vendors")
        self.grades = _table(inputs, "grades")
        self.bands = _table(inputs, "bands")
        self.worker_vendor: dict[str, str]
        self.obs: CodedTable
        self.rat: CodedTable
        self.cal: Calendar
        self.keys: Keys
        self.leaves: list[str]
        self.effective: dict[int, np.ndarray]
        if like is not None:
            # a scenario changes weights, parameters and grade rules only: the subjects, periods, indicator
            # ids and effective periods are its base run's
            self.worker_vendor, self.obs, self.rat = like.worker_vendor, like.obs, like.rat
            self.cal, self.keys, self.leaves, self.effective = like.cal, like.keys, like.leaves, like.effective
        else:
            self._universe(inputs)
        dims = _table(inputs, "dimensions")
        self.dim_names = list(dict.fromkeys(self.ind["dimension"]))  # dcode order
        table_order = list(dict.fromkeys(text_col(dims, "dimension")))
        self.dim_rank = [table_order.index(d) if d in table_order else len(table_order) + i
                         for i, d in enumerate(self.dim_names)]
        self.dim_weights = {}
        for level in ("vendor", "worker"):
            rows = dims[text_col(dims, "level").to_numpy() == level]
            w = dict(zip(text_col(rows, "dimension"), pd.to_numeric(rows["weight"], errors="coerce").fillna(0.0)))
            self.dim_weights[level] = np.asarray([w.get(d, 0.0) for d in self.dim_names], dtype=np.float64)
        self.labels = indicator_labels(self.ind)
        self.tips = strs(self.ind["tip"].to_numpy(dtype=object))
        self.calibration_warnings: pd.DataFrame | None = None
        self.obs_values: pd.DataFrame | None = None  # set by values(): what a scenario run reuses
        self.period_values: pd.DataFrame | None = None

    def _universe(self, inputs: Inputs) -> None:
        """Step 1: the calendar, the subjects and the integer keys."""
        self.worker_vendor = dict(zip(text_col(self.workers, "worker_id"), text_col(self.workers, "vendor_id")))
        # observations and ratings: each id column factorized once, for the id sets here and the keys later
        self.obs = CodedTable(_table(inputs, "observations"))
        self.rat = CodedTable(_table(inputs, "ratings"))
        obs, rat = self.obs, self.rat
        data_periods = sorted((_distinct(obs, "period_id") | _distinct(rat, "period_id")) - {""})
        self.cal = Calendar.build(_table(inputs, "periods"), extra_ids=data_periods)
        vendors = set().union(*(_distinct(t, "vendor_id") for t in (self.vendors, self.workers, obs, rat)))
        workers = set().union(*(_distinct(t, "worker_id") for t in (self.workers, obs, rat)))
        self.keys = Keys(periods=list(self.cal.order), vendors=sorted(vendors - {""}), workers=sorted(workers - {""}),
                         indicators=self.ind["indicator_id"].tolist())
        self.leaves = [p for p in self.cal.order if p in set(data_periods) and not self.cal.children.get(p)]
        p_of = {p: i for i, p in enumerate(self.keys.periods)}
        self.effective = {p_of[p]: self.cal.effective(self.ind, p) for p in self.leaves}

    # 2.
    def values(self, reuse_ratings: bool = True) -> pd.DataFrame:
        """Period values; a scenario run takes its base run's (the rating values again when its rater
        weights changed: ``reuse_ratings=False``)."""
        base = self.like
        if base is not None and reuse_ratings and base.period_values is not None:
            return base.period_values
        obs = base.obs_values if base is not None and base.obs_values is not None else \
            observation_values(self.obs.frame, self.ind, self.keys, self.worker_vendor, self.obs)
        rat = rating_values(self.rat.frame, self.ind, _table(self.inputs, "rater_weights"), self.keys,
                            self.worker_vendor, self.s.lang, self.rat)
        self.obs_values = obs
        # rating indicators take the ratings table when it has their ratings
        both = pd.concat([rat, obs], ignore_index=True)
        values: pd.DataFrame = \
            both.drop_duplicates("rk", keep="first").sort_values("rk", kind="stable").reset_index(drop=True)
        self.period_values = values
        return values

    # 3. and 4.
    def level(self, values: pd.DataFrame, level: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        s = self.s
        grid = build_grid(values, self.ind, self.keys, level, self.effective)
        grid["score"], label = score_rows(grid, self.bands)
        grid, dims = apply_weights(grid, self.dim_weights["worker" if level else "vendor"], len(self.dim_names),
                                   s.missing_policy)
        grid["explanation"] = obj(self.explain(grid, label), grid.index) if self.with_text else ""
        totals = subject_totals(grid, dims, policy=s.missing_policy, total_cap=s.total_cap, veto_score=s.veto_score)
        totals["explanation"] = obj(explain_totals(
            totals, dims, grid, self.ind, self.dim_names, self.dim_rank, lang=s.lang, policy=s.missing_policy,
            total_cap=s.total_cap, veto_score=s.veto_score), totals.index) if self.with_text else ""
        totals["excluded"] = (s.missing_policy == "exclude") & totals["weighted"].isna().to_numpy() & \
            (totals["completeness"].to_numpy() > 0) & ~totals["vetoed"].to_numpy(dtype=bool)
        at = np.searchsorted(totals["sk"].to_numpy(), dims["sk"].to_numpy())
        for dc, name in enumerate(self.dim_names):
            col = np.full(len(totals), np.nan)
            sel = dims["dcode"].to_numpy() == dc
            col[at[sel]] = dims["dim_score"].to_numpy(dtype=np.float64)[sel]
            totals[f"dim:{name}"] = round_half_up(col, 2)
        return grid, totals

    def explain(self, grid: pd.DataFrame, label: np.ndarray) -> np.ndarray:
        """Explanation of every score row, written once per distinct (indicator, value, detail, n).

        Rows sharing an indicator and a value read the same, and real data repeats a lot (counts,
        ratings, bands), so the text is built for the distinct rows only and then gathered.
        """
        s = self.s
        detail = grid["detail"].to_numpy(dtype=object)
        parts = [grid["ic"].to_numpy(dtype=np.int64), pd.factorize(grid["actual"].to_numpy(dtype=np.float64))[0],
                 pd.factorize(detail)[0], pd.factorize(grid["n"].to_numpy(dtype=np.float64))[0]]
        key = np.zeros(len(grid), dtype=np.int64)
        for part in parts:  # mixed radix; codes are < len(grid), so the product stays well inside int64
            key = key * (int(part.max(initial=0)) + 2) + (part + 1)
            key = pd.factorize(key)[0].astype(np.int64)
        # factorize numbers its codes in order of first appearance: a code's first row is where the running max grows
        seen = np.maximum.accumulate(key) if len(key) else key
        i = np.flatnonzero(key > np.concatenate(([-1], seen[:-1])))
        codes = key

        def col(name: str) -> np.ndarray:
            return grid[name].to_numpy()[i]

        text = explain_rows(
            col("method").astype(object), actual=col("actual").astype(np.float64), score=col("score").astype(np.float64),
            higher=col("direction") != "lower", floor=col("floor").astype(np.float64),
            target=col("target").astype(np.float64), stretch=col("stretch").astype(np.float64),
            cap=col("cap").astype(np.float64), per_unit=col("per_unit").astype(np.float64),
            scale=col("scale").astype(np.float64), band_label=label[i], detail=detail[i],
            team_n=col("n").astype(np.float64), lang=s.lang, policy=s.missing_policy, veto_score=s.veto_score)
        out: np.ndarray = as_object(text)[codes]
        return out

    def team_values(self, worker_totals: pd.DataFrame) -> pd.DataFrame:
        """team = the mean of the vendor's worker totals in the period (one value row per team indicator)."""
        is_team = ((self.ind["method"] == "team") & (self.ind["level"] == "vendor")).to_numpy()
        has = worker_totals[worker_totals["total"].notna().to_numpy()]
        if not is_team.any() or has.empty:
            return pd.DataFrame(columns=VALUE_COLUMNS)
        p, _lv, v, _w = self.keys.split(has["sk"].to_numpy(dtype=np.int64))
        vendor_sk = self.keys.subject(p, np.zeros_like(p), v, np.full_like(p, -1))
        team = has.assign(vsk=vendor_sk).groupby("vsk", sort=True)["total"].agg(["mean", "size"])
        vsk = team.index.to_numpy(dtype=np.int64)
        vp, *_ = self.keys.split(vsk)
        parts = []
        for ic in np.flatnonzero(is_team):
            ok = np.asarray([self.effective.get(int(q), np.zeros(len(self.ind), dtype=bool))[ic] for q in vp], dtype=bool)
            parts.append(pd.DataFrame({"rk": vsk[ok] * self.keys.ni + ic, "sk": vsk[ok], "ic": ic,
                                       "actual": team["mean"].to_numpy()[ok], "n": team["size"].to_numpy(np.float64)[ok],
                                       "detail": ""}))
        return pd.concat(parts, ignore_index=True)

    # 6.
    def grade(self, res: pd.DataFrame) -> pd.DataFrame:
        s, keys = self.s, self.keys
        res = res.sort_values("sk", kind="stable").reset_index(drop=True)
        p, lv, v, w = keys.split(res["sk"].to_numpy(dtype=np.int64))
        is_worker = lv == 1
        scope_v = np.where(is_worker & (s.distribution_scope == "vendor"), v, -1)
        group = (p * 2 + lv) * keys.nv1 + (scope_v + 1)
        total = res["total"].to_numpy(dtype=np.float64)
        rank, rank_of = rank_desc(total, group)
        res["rank"] = pd.array(rank, dtype="Float64").astype("Int64")
        res["rank_of"] = pd.array(rank_of, dtype="Float64").astype("Int64")
        res["grade"] = obj(grade_for(total, self.grades, s.grade_mode, vetoed=res["vetoed"].to_numpy(dtype=bool),
                                     rank=rank, rank_of=rank_of), res.index)
        self.calibrate(res, group)  # 校准: after grading, so the incentives below follow the calibrated grade
        text = keys.strings(res["sk"].to_numpy(dtype=np.int64))
        for col in text.columns:
            res[col] = obj(text[col].to_numpy(), res.index)
        # per-vendor and per-worker attributes, looked up by code: one array per attribute
        base_bonus = self._by_code(self.workers, "worker_id", "base_bonus", keys.workers, np.nan)[w + 1]
        base_fee = self._by_code(self.vendors, "vendor_id", "base_fee", keys.vendors, np.nan)[v + 1]
        res["bonus"] = np.where(is_worker, bonus_for(res["grade"], base_bonus.astype(np.float64), self.grades), np.nan)
        res["fee_adjust"] = np.where(~is_worker, bonus_for(res["grade"], base_fee.astype(np.float64), self.grades, "fee"),
                                     np.nan)
        res["action"] = obj(action_for(res["grade"], self.grades), res.index)
        res["vendor_name"] = obj(self._by_code(self.vendors, "vendor_id", "name", keys.vendors, "")[v + 1], res.index)
        res["worker_name"] = obj(self._by_code(self.workers, "worker_id", "name", keys.workers, "")[w + 1], res.index)
        res["vetoed"] = res["vetoed"].astype(bool)
        res["excluded"] = res["excluded"].fillna(False).astype(bool)
        res["completeness"] = round_half_up(res["completeness"].to_numpy(dtype=np.float64), 4)
        return res

    def calibrate(self, res: pd.DataFrame, group: np.ndarray) -> None:
        cal = _table(self.inputs, "calibrations")
        before = res["grade"].to_numpy(dtype=object).copy()
        pos = apply_calibrations(res, cal, self.keys, self.s.lang)
        self.calibration_warnings = quota_warnings(res, before, group, pos, cal, self.grades, self.s.lang) \
            if self.s.grade_mode == "forced" else None

    @staticmethod
    def _by_code(table: pd.DataFrame, id_col: str, col: str, universe: list[str], blank: object) -> np.ndarray:
        """``col`` of ``table`` per code of ``universe``, position 0 for "none" (code -1)."""
        out = np.full(len(universe) + 1, blank, dtype=object)
        if col in table and len(table):
            codes = Keys.code(text_col(table, id_col), universe)
            values = table[col].to_numpy(dtype=object) if isinstance(blank, str) else \
                pd.to_numeric(table[col], errors="coerce").to_numpy(dtype=np.float64)
            ok = codes >= 0
            out[codes[ok] + 1] = values[ok]
            if isinstance(blank, str):
                out = np.where(pd.isna(out), blank, out)
        return out

    # 7. goals
    def goals(self, grid: pd.DataFrame, ref: str) -> pd.DataFrame:
        goals = _table(self.inputs, "goals")
        wanted = set(text_col(goals, "indicator_id")) - {""}
        ics = [i for i, iid in enumerate(self.keys.indicators) if iid in wanted]
        # only the rows a goal can match: its indicator, and its worker (worker goals) or its vendor's
        # own row (vendor goals); the rest would be grouped and merged for nothing
        keys = self.keys
        g_worker = text_col(goals, "worker_id").to_numpy(dtype=object)
        worker_goal = g_worker != ""
        w_codes = keys.code(g_worker[worker_goal], keys.workers)
        v_codes = keys.code(text_col(goals, "vendor_id").to_numpy(dtype=object)[~worker_goal], keys.vendors)
        at = np.flatnonzero(np.isin(grid["ic"].to_numpy(), ics) & grid["actual"].notna().to_numpy())
        _p, lv, v, w = keys.split(grid["sk"].to_numpy(dtype=np.int64)[at])
        wanted_subject = np.where(lv == 1, np.isin(w, w_codes[w_codes >= 0]), np.isin(v, v_codes[v_codes >= 0]))
        rows = grid.take(at[wanted_subject])
        values = self.keys.strings(rows["sk"].to_numpy(dtype=np.int64))
        values["indicator_id"] = np.asarray(self.keys.indicators, dtype=object)[rows["ic"].to_numpy(dtype=np.int64)]
        values["actual"] = rows["actual"].to_numpy()
        ref_date = self.cal.end.get(ref) if ref else None
        direction = dict(zip(self.ind["indicator_id"], self.ind["direction"]))
        return goal_progress(goals, values, {p: i for i, p in enumerate(self.keys.periods)}, ref, ref_date, direction)

    def goal_warnings(self, goals: pd.DataFrame, ref: str) -> list[pd.DataFrame]:
        out: list[pd.DataFrame] = []
        p = self.keys.periods.index(ref)
        for frame, rule in zip(goal_alerts(goals), ("goal_lagging", "goal_overdue")):
            if frame.empty:
                continue
            worker = frame["worker_id"].to_numpy(dtype=object)
            w = self.keys.code(worker, self.keys.workers)
            v = self.keys.code(frame["vendor_id"], self.keys.vendors)
            lv = np.where(worker != "", 1, 0).astype(np.int64)
            sk = self.keys.subject(np.full(len(frame), p, dtype=np.int64), lv, v, np.where(lv == 1, w, -1))
            ic = self.keys.code(frame["indicator_id"], self.keys.indicators)
            out += goal_warnings(frame, sk, ic, rule, self.s.lang)
        return out


def _graded(run: _Run, values: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list[str]]:
    """Steps 3 to 6: (worker grid, vendor grid, graded results with roll-ups, dimension columns)."""
    w_grid, w_res = run.level(values, 1)
    v_values = pd.concat([values, run.team_values(w_res)], ignore_index=True)
    v_grid, v_res = run.level(v_values.drop_duplicates("rk", keep="last"), 0)
    leaf = pd.concat([v_res, w_res], ignore_index=True)
    dim_cols = [f"dim:{d}" for d in sorted(run.dim_names, key=lambda d: run.dim_rank[run.dim_names.index(d)])]
    res = run.grade(pd.concat([leaf, rollup_results(leaf, run.cal, run.keys, dim_cols, run.s.lang)], ignore_index=True))
    return w_grid, v_grid, res, dim_cols


def _wanted(run: _Run, periods: list[str] | None) -> tuple[list[str], set[str], np.ndarray]:
    asked = list(run.leaves) if periods is None else [str(p) for p in periods]
    wanted = set(asked) | {a for p in asked for a in run.cal.ancestors(p)}
    p_wanted = np.asarray([p in wanted for p in run.keys.periods] + [False])
    return asked, wanted, p_wanted


def scenario_results(inputs: Inputs, base: _Run, periods: list[str] | None, *, rater_changed: bool) -> pd.DataFrame:
    """The results frame (totals, grades, ranks, incentives; no explanations) of ``inputs`` — a
    scenario of ``base``'s inputs with the same observations and ratings — reusing ``base``'s period
    values (its rating values again when the rater weights changed). ``base`` must have run ``values``."""
    run = _Run(inputs, like=base)
    _w, _v, res, dim_cols = _graded(run, run.values(reuse_ratings=not rater_changed))
    _asked, _set, p_wanted = _wanted(run, periods)
    return _results_frame(res, run.keys, p_wanted, dim_cols)


def base_run(inputs: Inputs, periods: list[str] | None) -> tuple[_Run, pd.DataFrame]:
    """The results frame of ``compute(inputs, periods)`` without explanations, and the run it came
    from (the base ``scenario_results`` reuses)."""
    run = _Run(inputs)
    run.with_text = False
    _w, _v, res, dim_cols = _graded(run, run.values())
    _asked, _set, p_wanted = _wanted(run, periods)
    return run, _results_frame(res, run.keys, p_wanted, dim_cols)


def compute(inputs: Inputs, periods: list[str] | None = None, *, explain: bool = True) -> Results:
    """Score every subject of the asked periods (all periods with data when None). See module doc.
    ``explain=False`` leaves the explanation columns blank (the indicator review needs numbers only)."""
    run = _Run(inputs)
    run.with_text = explain
    return _compute(run, periods)


def _compute(run: _Run, periods: list[str] | None) -> Results:
    s, keys, cal = run.s, run.keys, run.cal
    values = run.values()
    w_grid, v_grid, res, dim_cols = _graded(run, values)
    # what goals, warnings and the scores sheet read (the scoring parameters stay behind)
    shown = ["rk", "sk", "ic", "method", "actual", "score", "weighted_method", "weight", "overall_weight", "weighted",
             "explanation", "warn_below"]
    grid = pd.concat([v_grid[shown], w_grid[shown]], ignore_index=True)
    asked, wanted, p_wanted = _wanted(run, periods)
    ref = s.current_period if s.current_period in run.leaves else next(
        (p for p in reversed(cal.order) if p in wanted and p in run.leaves), "")
    goals = run.goals(grid, ref)
    warn = score_warnings(grid, run.labels, run.tips, warn_score=s.warn_score, policy=s.missing_policy,
                          veto_score=s.veto_score, lang=s.lang)
    warn += total_warnings(res, cal, keys, run.grades, drop_alert=s.drop_alert, lang=s.lang)
    if ref:
        warn += run.goal_warnings(goals, ref)
    if run.calibration_warnings is not None:
        warn.append(run.calibration_warnings)

    return Results(
        results=_results_frame(res, keys, p_wanted, dim_cols),
        scores=_scores_frame(grid, run, p_wanted),
        warnings=_warnings_frame(warn, keys, p_wanted),
        goals=goals[GOAL_COLUMNS].sort_values("goal_id", kind="stable").reset_index(drop=True),
        periods=[p for p in cal.order if p in wanted],
    )


def _in_periods(sk: np.ndarray, keys: Keys, p_wanted: np.ndarray) -> np.ndarray:
    p, *_ = keys.split(np.asarray(sk, dtype=np.int64))
    return np.asarray(p_wanted[np.minimum(p, len(p_wanted) - 1)], dtype=bool)


def _results_frame(res: pd.DataFrame, keys: Keys, p_wanted: np.ndarray, dim_cols: list[str]) -> pd.DataFrame:
    res = res[_in_periods(res["sk"].to_numpy(), keys, p_wanted)]
    out: pd.DataFrame = res[[*results_table.keys, *dim_cols]].reset_index(drop=True)
    return out


def _scores_frame(grid: pd.DataFrame, run: _Run, p_wanted: np.ndarray) -> pd.DataFrame:
    keys = run.keys
    # one gather of just the columns shown (the grid carries every scoring parameter too)
    rows = np.flatnonzero(_in_periods(grid["sk"].to_numpy(), keys, p_wanted))
    rows = rows[np.argsort(grid["rk"].to_numpy()[rows], kind="stable")]
    grid = grid[["sk", "ic", "method", "actual", "score", "weighted_method", "weight", "overall_weight", "weighted",
                 "explanation"]].take(rows)
    out = keys.strings(grid["sk"].to_numpy(dtype=np.int64))
    ic = grid["ic"].to_numpy(dtype=np.int64)
    out["indicator_id"] = obj(np.asarray(keys.indicators, dtype=object)[ic])
    out["indicator_name"] = obj(run.ind["name"].to_numpy(dtype=object)[ic])
    out["dimension"] = obj(run.ind["dimension"].to_numpy(dtype=object)[ic])
    out["method"] = obj(grid["method"].to_numpy(dtype=object))
    out["actual"] = grid["actual"].to_numpy(dtype=np.float64)
    out["score"] = grid["score"].to_numpy(dtype=np.float64)
    weighted = grid["weighted_method"].to_numpy(dtype=bool)
    out["weight"] = np.where(weighted, grid["weight"].to_numpy(dtype=np.float64), np.nan)
    out["overall_weight"] = round_half_up(grid["overall_weight"].to_numpy(dtype=np.float64), 2)
    out["weighted"] = round_half_up(grid["weighted"].to_numpy(dtype=np.float64), 4)
    out["explanation"] = obj(grid["explanation"].to_numpy(dtype=object))
    result: pd.DataFrame = out[list(scores_table.keys)]
    return result


def _warnings_frame(parts: list[pd.DataFrame], keys: Keys, p_wanted: np.ndarray) -> pd.DataFrame:
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in WARNING_COLUMNS})
    w = pd.concat(parts, ignore_index=True)
    w = w[_in_periods(w["sk"].to_numpy(), keys, p_wanted)]
    order = np.lexsort((w["rule"].map(RULE_ORDER).to_numpy(), w["ic"].to_numpy(), w["sk"].to_numpy()))
    w = w.iloc[order]
    out = keys.strings(w["sk"].to_numpy(dtype=np.int64))
    ic = w["ic"].to_numpy(dtype=np.int64)
    out["indicator_id"] = obj(np.where(ic >= 0, np.asarray(keys.indicators + [""], dtype=object)[ic], ""))
    for col in ("rule", "severity", "message"):
        out[col] = obj(w[col].to_numpy(dtype=object))
    result: pd.DataFrame = out[WARNING_COLUMNS]
    return result


__all__ = ["STR", "compute"]
