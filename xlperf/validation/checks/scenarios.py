"""Scenarios (方案模拟) and calibrations (校准).

A scenario row must name something that exists (a dimension, an indicator, a grade, a rater role)
and, for a scoring parameter, a parameter that exists; and a scenario, once applied, must leave every
weight set totalling 100, like the weight tables themselves. These are warnings: a half-written
scenario must not stop the monthly recompute, but ``xlperf simulate`` will not run a scenario that
has one. A calibration must name a worker of the vendor it is filed under (the references check
already covers unknown ids, grades and the required reason).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

import numpy as np
import pandas as pd

from ...contract.choices import LEVELS
from ...contract.tables import indicators as indicators_table
from ...findings import Finding
from ..codes import level_name
from ..context import Context
from . import references
from .methods import UNWEIGHTED
from .weights import TOLERANCE, _total, effective_sets

CODES = ("scenario-unknown-key", "scenario-bad-field", "scenario-weights-total", "calibration-closed-period")

PARAMS = ("floor", "target", "stretch", "cap", "per_unit", "scale")


def param_key(field: object) -> str | None:
    """A parameter as typed (key, or its zh/en column label) → its key; None when it is not one."""
    if field is None:
        return None
    text = unicodedata.normalize("NFKC", str(field)).strip().lower()
    mapping = indicators_table.header_map()
    key = mapping.get("".join(text.split()))
    return key if key in PARAMS else None


def level_key(field: object) -> str | None:
    if field is None or str(field).strip() == "":
        return None
    text = unicodedata.normalize("NFKC", str(field)).strip().lower()
    spell = {unicodedata.normalize("NFKC", k).strip().lower(): v for k, v in LEVELS.spellings().items()}
    return spell.get(text, "?")


def check(ctx: Context) -> Iterator[Finding]:
    yield from references._worker_vendor(ctx, "calibrations")
    loc, sc = ctx.located.get("scenarios"), ctx.frames.get("scenarios")
    if loc is None or sc is None or sc.empty or not (loc.has("change") and loc.has("key")):
        return
    dims, ind = ctx.frames.get("dimensions"), ctx.frames.get("indicators")
    grades, rw = ctx.frames.get("grades"), ctx.frames.get("rater_weights")
    known = {
        "dimension_weight": set(dims["dimension"].dropna()) if dims is not None else set(),
        "indicator_weight": set(ind["indicator_id"].dropna()) if ind is not None else set(),
        "indicator_param": set(ind["indicator_id"].dropna()) if ind is not None else set(),
        "grade_min": set(grades["grade"].dropna()) if grades is not None else set(),
        "grade_quota": set(grades["grade"].dropna()) if grades is not None else set(),
        "rater_weight": set(rw["rater_role"].dropna()) if rw is not None else set(),
    }
    change, key = sc["change"].to_numpy(dtype=object), sc["key"].to_numpy(dtype=object)
    field = sc["field"].to_numpy(dtype=object) if "field" in sc else np.full(len(sc), None, dtype=object)
    idx = sc.index.to_numpy()
    bad_key = np.asarray([c in known and k is not None and k not in known[c] for c, k in zip(change, key)], dtype=bool)
    yield from ctx.cells("scenario-unknown-key", loc, "key", idx[bad_key],
                         per_row={"change": [ctx.field_label("scenarios", "change") + " " + str(c)
                                             for c in change[bad_key]]})
    ind_ids = known["indicator_weight"] | {"*"}
    bad_field = np.asarray([
        (c == "indicator_param" and param_key(f) is None)
        or (c == "rater_weight" and f is not None and str(f).strip() not in ind_ids)
        or (c == "dimension_weight" and level_key(f) == "?")
        for c, f in zip(change, field)], dtype=bool)
    if loc.has("field"):
        yield from ctx.cells("scenario-bad-field", loc, "field", idx[bad_field],
                             per_row={"change": change[bad_field]}, params=" / ".join(PARAMS))
    ok = ~bad_key & ~bad_field
    for name, rows in sc[ok].groupby("scenario", sort=False):
        yield from _totals(ctx, loc, str(name), rows)


def _totals(ctx: Context, loc: object, name: str, rows: pd.DataFrame) -> Iterator[Finding]:
    """Weight totals with the scenario's rows applied (only the sets a row of the scenario touches)."""
    from ..context import Located

    assert isinstance(loc, Located)
    first = int(rows.index[0])
    dims, ind, rw = ctx.frames.get("dimensions"), ctx.frames.get("indicators"), ctx.frames.get("rater_weights")
    change = rows["change"].to_numpy(dtype=object)
    if dims is not None and (change == "dimension_weight").any():
        d = dims.copy()
        for _, r in rows[change == "dimension_weight"].iterrows():  # a scenario is a handful of rows
            lv = level_key(r.get("field"))
            hit = (d["dimension"] == r["key"]) & ((d["level"] == lv) if lv else True)
            d.loc[hit, "weight"] = r["value"]
        touched = set(d.loc[d["dimension"].isin(set(rows.loc[change == "dimension_weight", "key"])), "level"])
        before = dims.dropna(subset=["level"]).groupby("level", sort=False)["weight"].sum()  # off: not ours
        for level, group in d.dropna(subset=["level"]).groupby("level", sort=False):
            total = float(group["weight"].fillna(0).sum())
            was_whole = abs(float(before.get(level, 100.0)) - 100.0) <= TOLERANCE
            if level in touched and was_whole and abs(total - 100.0) > TOLERANCE:
                yield ctx.at("scenario-weights-total", loc, "value", first, scenario=name, what=level_name(level, ctx.lang),
                             total=_total(total))
    if ind is not None and (change == "indicator_weight").any():
        i = ind.copy()
        for _, r in rows[change == "indicator_weight"].iterrows():
            i.loc[i["indicator_id"] == r["key"], "weight"] = r["value"]
        weighted = i[i["method"].notna() & ~i["method"].isin(UNWEIGHTED) & i["dimension"].notna() & i["level"].notna()]
        changed = set(rows.loc[change == "indicator_weight", "key"])
        sets = effective_sets(weighted, ctx.frames.get("periods"))
        for pair, group in weighted.groupby(["dimension", "level"], sort=False):
            dim_name, dim_level = str(pair[0]), str(pair[1])
            if not set(group["indicator_id"]) & changed:
                continue
            pos = weighted.index.get_indexer(group.index)
            totals = {float(np.nansum(group["weight"].to_numpy(dtype=float)[mask[pos]]))
                      for _pid, mask in sets if mask[pos].any()}
            for total in sorted(totals):
                if abs(total - 100.0) > TOLERANCE:
                    yield ctx.at("scenario-weights-total", loc, "value", first, scenario=name,
                                 what=f"{dim_name}（{level_name(dim_level, ctx.lang)}）" if ctx.lang == "zh" else
                                 f"{dim_name} ({level_name(dim_level, ctx.lang)})", total=_total(total))
                    break
    if rw is not None and (change == "rater_weight").any():
        w = rw[["indicator_id", "rater_role", "weight"]].copy()
        for _, r in rows[change == "rater_weight"].iterrows():
            target = str(r.get("field") or "*").strip() or "*"
            hit = (w["indicator_id"] == target) & (w["rater_role"] == r["key"])
            if hit.any():
                w.loc[hit, "weight"] = r["value"]
            else:
                w.loc[len(w) + 10**9] = [target, r["key"], r["value"]]
        targets = {str(f or "*").strip() or "*" for f in rows.loc[change == "rater_weight", "field"]}
        for indicator, group in w.groupby("indicator_id", sort=False):
            total = float(group["weight"].fillna(0).sum())
            if indicator in targets and abs(total - 100.0) > TOLERANCE:
                yield ctx.at("scenario-weights-total", loc, "value", first, scenario=name,
                             what=str(indicator), total=_total(total))
    grades = ctx.frames.get("grades")
    if grades is not None and (change == "grade_quota").any():
        q = grades[["grade", "quota"]].copy()
        for _, r in rows[change == "grade_quota"].iterrows():
            q.loc[q["grade"] == r["key"], "quota"] = r["value"]
        total = float(q["quota"].fillna(0).sum())
        if abs(total - 100.0) > TOLERANCE:
            yield ctx.at("scenario-weights-total", loc, "value", first, scenario=name,
                         what=ctx.field_label("grades", "quota"), total=_total(total))


def closed_period_findings(raw: object, calibrations: pd.DataFrame, periods: pd.DataFrame,
                           stored: pd.DataFrame | None, lang: str) -> list[Finding]:
    """``calibration-closed-period`` errors: a calibration of a closed period whose grade is not the
    grade on record (the results xlperf wrote when the period was last scored). Closed means closed:
    a meeting's outcome is part of the period's locked results. Run by the recompute job, which has
    the stored results; the other rules run in ``check``."""
    from ...book import RawBook, col_letter
    from ...contract.tables import TABLES_BY_NAME
    from ...findings import Finding
    from ..context import Context

    if calibrations is None or calibrations.empty or periods is None or periods.empty:
        return []
    closed = set(periods.loc[periods["status"].astype(object) == "closed", "period_id"].astype(str))
    cal = calibrations[calibrations["period_id"].astype(str).isin(closed)]
    if cal.empty:
        return []
    key = ["period_id", "vendor_id", "worker_id"]

    def norm(frame: pd.DataFrame) -> pd.Series:
        parts = [frame[k].astype(object).where(frame[k].notna(), "").astype(str).str.strip() for k in key]
        return parts[0] + "|" + parts[1] + "|" + parts[2]

    on_record: dict[str, str] = {}
    if stored is not None and len(stored) and set(key) <= set(stored.columns) and "grade" in stored:
        grade = stored["grade"].astype(object).where(stored["grade"].notna(), "").astype(str)
        on_record = dict(zip(norm(stored), grade))
    assert isinstance(raw, RawBook)
    table = raw.tables.get("calibrations")
    ctx = Context(raw, lang)
    spec = TABLES_BY_NAME["calibrations"]
    col = next((j for j, h in enumerate(table.headers) if spec.header_map().get(
        "".join(unicodedata.normalize("NFKC", str(h)).strip().rstrip("*").strip().lower().split())) == "grade"), 0) \
        if table is not None else 0
    out: list[Finding] = []
    for k, r in zip(norm(cal), cal.to_dict("records")):  # a closed period's few calibration rows
        stored_grade = on_record.get(k, "")
        if stored_grade == str(r["grade"]):
            continue
        subject = str(r["worker_id"] or r["vendor_id"])
        cell = f"{col_letter((table.first_col if table else 0) + col)}{int(r['_row'])}" if "_row" in r else ""
        out.append(ctx.finding("calibration-closed-period", table="calibrations", sheet=table.sheet if table else "",
                               cell=cell, field="grade", value=str(r["grade"]), period=str(r["period_id"]),
                               subject=subject, stored=stored_grade or "—"))
    return out
