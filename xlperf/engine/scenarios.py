"""Scenario simulation (方案模拟): re-score every subject under changed weights, parameters or grade
rules, changing nothing in the real results.

A scenario is the rows of the ``scenarios`` table sharing a name; each row sets one value:

| change             | key          | field                                          | sets |
|--------------------|--------------|------------------------------------------------|------|
| dimension_weight   | dimension    | (optional) level                               | dimensions.weight |
| indicator_weight   | indicator id |                                                | indicators.weight |
| indicator_param    | indicator id | floor / target / stretch / cap / per_unit / scale | that indicator column |
| grade_min          | grade        |                                                | grades.min_score |
| grade_quota        | grade        |                                                | grades.quota |
| rater_weight       | rater role   | indicator id or * (blank: *)                   | rater_weights.weight (a row is added when missing) |

``apply_scenario`` gives the changed ``Inputs`` (new frames for the small tables it changes, the big
ones shared), so "simulate" is exactly "recompute a copy with the scenario typed in by hand"; the
simulator only skips what does not change: the period values (observations aggregated, ratings
weighted) are computed once and reused by every scenario, rating values again only for a scenario
that changes rater weights, and no explanations are written for scenario runs.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..contract.choices import LEVELS
from ..contract.tables import indicators as indicators_table
from ..inputs import Inputs
from .compute import base_run, scenario_results

PARAMS = ("floor", "target", "stretch", "cap", "per_unit", "scale")
SUBJECT = ["period_id", "level", "vendor_id", "worker_id"]
SIM_COLUMNS = ["scenario", *SUBJECT, "total", "grade", "rank", "bonus", "fee_adjust", "sim_total", "sim_grade",
               "sim_rank", "sim_bonus", "sim_fee_adjust", "delta_total"]


def _norm(text: object) -> str:
    return "".join(unicodedata.normalize("NFKC", "" if text is None else str(text)).strip().lower().split())


def param_key(field_: object) -> str | None:
    """floor/target/... or their column labels (目标值, Target) → the key; None otherwise."""
    key = indicators_table.header_map().get(_norm(field_))
    return key if key in PARAMS else None


def _level(field_: object) -> str | None:
    spell = {_norm(k): v for k, v in LEVELS.spellings().items()}
    return spell.get(_norm(field_)) if _norm(field_) else None


def scenario_names(inputs: Inputs) -> list[str]:
    sc = inputs.tables.get("scenarios")
    if sc is None or sc.empty:
        return []
    return [str(s) for s in pd.unique(sc["scenario"].dropna().astype(str))]


def scenario_rows(inputs: Inputs, name: str) -> pd.DataFrame:
    sc = inputs.tables["scenarios"]
    out: pd.DataFrame = sc[sc["scenario"].astype(str) == name]
    return out


def apply_scenario(inputs: Inputs, rows: pd.DataFrame) -> Inputs:
    """The inputs with a scenario's rows applied: what HR would get by typing them into a copy."""
    tables = dict(inputs.tables)

    def copy(name: str) -> pd.DataFrame:
        if tables[name] is inputs.tables[name]:
            tables[name] = inputs.tables[name].copy()
        return tables[name]

    for r in rows.to_dict("records"):  # a scenario is a handful of rows
        change, key, value = str(r["change"]), str(r["key"]).strip(), float(r["value"])
        fld = r.get("field")
        if change == "dimension_weight":
            d = copy("dimensions")
            lv = _level(fld)
            hit = (d["dimension"].astype(str) == key) & ((d["level"] == lv) if lv else True)
            d.loc[hit, "weight"] = value
        elif change in ("indicator_weight", "indicator_param"):
            col = "weight" if change == "indicator_weight" else param_key(fld)
            if col is None:
                continue
            i = copy("indicators")
            i.loc[i["indicator_id"].astype(str) == key, col] = value
        elif change in ("grade_min", "grade_quota"):
            g = copy("grades")
            g.loc[g["grade"].astype(str) == key, "min_score" if change == "grade_min" else "quota"] = value
        elif change == "rater_weight":
            w = copy("rater_weights")
            target = str(fld).strip() if fld is not None and str(fld).strip() else "*"
            hit = (w["indicator_id"].astype(str) == target) & (w["rater_role"].astype(str) == key)
            if hit.any():
                w.loc[hit, "weight"] = value
            else:
                extra = pd.DataFrame({"indicator_id": [target], "rater_role": [key], "weight": [value]})
                tables["rater_weights"] = pd.concat([w, extra], ignore_index=True)
    return Inputs(settings=inputs.settings, tables=tables)


@dataclass
class Simulation:
    """What ``simulate`` returns: the real results (unchanged) and one row per scenario and subject."""

    base: pd.DataFrame  # the real results frame (no explanations): what recompute would write
    table: pd.DataFrame  # SIM_COLUMNS, sorted by scenario (table order), period, level, vendor, worker
    scenarios: list[str] = field(default_factory=list)

    def summary(self, grade_names: list[str]) -> pd.DataFrame:
        return simulation_summary(self.table, grade_names)


def simulate(inputs: Inputs, scenarios: list[str] | None = None, periods: list[str] | None = None) -> Simulation:
    """Score every subject under each named scenario (all of them when None) for ``periods`` (every
    period with data when None). The real results are computed once; nothing is written."""
    names = scenario_names(inputs) if scenarios is None else list(scenarios)
    run, real = base_run(inputs, periods)
    parts = []
    for name in names:
        rows = scenario_rows(inputs, name)
        changed = apply_scenario(inputs, rows)
        sim = scenario_results(changed, run, periods, rater_changed=bool((rows["change"] == "rater_weight").any()))
        parts.append(_pair(name, real, sim))
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame({c: pd.Series(dtype=object)
                                                                             for c in SIM_COLUMNS})
    return Simulation(base=real, table=table[SIM_COLUMNS], scenarios=names)


def _pair(name: str, real: pd.DataFrame, sim: pd.DataFrame) -> pd.DataFrame:
    cols = ["total", "grade", "rank", "bonus", "fee_adjust"]
    a = real[SUBJECT + cols].reset_index(drop=True)
    b = sim[SUBJECT + cols].rename(columns={c: f"sim_{c}" for c in cols}).reset_index(drop=True)
    # both come sorted by subject key from the same universe of subjects: aligned row for row
    if len(a) == len(b) and (a[SUBJECT].to_numpy() == b[SUBJECT].to_numpy()).all():
        out = pd.concat([a, b.drop(columns=SUBJECT)], axis=1)
    else:
        out = a.merge(b, on=SUBJECT, how="outer", sort=False)
    out.insert(0, "scenario", name)
    out["delta_total"] = np.round(out["sim_total"].to_numpy(dtype=np.float64) - out["total"].to_numpy(dtype=np.float64), 2)
    return out


def simulation_summary(table: pd.DataFrame, grade_names: list[str]) -> pd.DataFrame:
    """Per scenario, period, level and vendor (vendor '' = everyone): subjects, moved up / down,
    the grade counts before → after, and the bonus and fee totals before and after."""
    if table.empty:
        return pd.DataFrame(columns=["scenario", "period_id", "level", "vendor_id", "subjects", "up", "down"])
    order = {g: i for i, g in enumerate(grade_names)}
    t = table.copy()
    g0 = t["grade"].map(order).astype("float64")
    g1 = t["sim_grade"].map(order).astype("float64")
    t["up"] = (g1 < g0).astype(int)  # grades are listed best first
    t["down"] = (g1 > g0).astype(int)
    t["subjects"] = 1
    for g in grade_names:
        t[f"before:{g}"] = (t["grade"] == g).astype(int)
        t[f"after:{g}"] = (t["sim_grade"] == g).astype(int)
    money = ["bonus", "sim_bonus", "fee_adjust", "sim_fee_adjust"]
    counts = ["subjects", "up", "down", *[f"{w}:{g}" for g in grade_names for w in ("before", "after")]]
    keys = ["scenario", "period_id", "level"]
    every = t.groupby(keys, sort=False)[counts + money].sum(min_count=0).reset_index()
    every.insert(3, "vendor_id", "")
    per_vendor = t.groupby([*keys, "vendor_id"], sort=False)[counts + money].sum(min_count=0).reset_index()
    out = pd.concat([every, per_vendor], ignore_index=True)
    rank = {s: i for i, s in enumerate(pd.unique(t["scenario"]))}
    out["_s"] = out["scenario"].map(rank)
    out = out.sort_values(["_s", "period_id", "level", "vendor_id"], kind="stable").drop(columns="_s")
    out["bonus_change"] = np.round(out["sim_bonus"] - out["bonus"], 2)
    out["fee_change"] = np.round(out["sim_fee_adjust"] - out["fee_adjust"], 2)
    return out.reset_index(drop=True)
