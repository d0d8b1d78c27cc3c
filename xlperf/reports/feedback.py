"""What one vendor's feedback sheet says for one period, gathered from the inputs and the engine's results.

Pure data (no Excel): ``feedback_data`` returns the scalar values and the lists the prototype's
placeholders ask for. ``fill.render`` lays them out; writers turn that into a sheet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from typing import Any

import pandas as pd

from ..contract.choices import METHODS
from ..contract.output_words import GOAL_OUTCOMES, SEVERITIES, WARNING_RULES
from ..engine.results import Results
from ..i18n import pick
from ..inputs import Inputs
from .warnrank import rank_warnings

N_STRENGTHS = 3
N_IMPROVEMENTS = 3
N_WARNINGS = 5  # a feedback sheet lists the most severe few; every warning stays in the 预警 sheet
N_WORKERS = 20  # more workers than this: the lowest totals are listed, the rest counted (all in 计算结果)
WEIGHTED_METHODS = ("linear", "ratio", "bands", "rating", "deduction", "team")


@dataclass
class FeedbackData:
    vendor_id: str
    period: str
    scalars: dict[str, Any] = field(default_factory=dict)
    lists: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # list → a line shown after its items when some were left out ("另有 N 条预警，见 预警 表")
    more: dict[str, str] = field(default_factory=dict)

    @property
    def chart(self) -> tuple[list[str], list[float]]:
        dims = self.lists.get("dimensions", [])
        return ([str(d["dimension"]) for d in dims],
                [float(d["score"]) if isinstance(d["score"], (int, float)) else 0.0 for d in dims])


def num(value: Any) -> float | None:
    """A finite float, or None for blank/NaN/non-numbers."""
    if value is None or isinstance(value, bool):
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    if value is pd.NaT:
        return ""
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def period_order(inputs: Inputs, results: Results) -> list[str]:
    """Periods in time order: by start date where known, then as the engine listed them."""
    periods = inputs.tables.get("periods")
    ordered: list[str] = []
    if periods is not None and len(periods):
        frame = periods.sort_values(["start", "end"], kind="stable")
        ordered = [str(p) for p in frame["period_id"]]
    for p in list(results.periods) + [str(p) for p in results.results["period_id"].unique()]:
        if p not in ordered:
            ordered.append(p)
    return ordered


def previous_period(inputs: Inputs, results: Results, period: str) -> str | None:
    """The period before ``period`` of the same kind (months against months, quarters against quarters)."""
    periods = inputs.tables.get("periods")
    order = period_order(inputs, results)
    if period not in order:
        return None
    parents: set[str] = set()
    if periods is not None and "rollup" in periods:
        parents = {str(p) for p in periods["rollup"].dropna() if str(p)}
    same_kind = [p for p in order if (p in parents) == (period in parents)]
    idx = same_kind.index(period)
    return same_kind[idx - 1] if idx > 0 else None


def _rows(frame: pd.DataFrame, **eq: Any) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    for key, value in eq.items():
        if key == "worker_id" and value is None:
            col = frame["worker_id"] if "worker_id" in frame else pd.Series("", index=frame.index)
            mask &= col.isna() | (col.astype(str) == "") | (col.astype(str) == "None")
        else:
            mask &= frame[key].astype(str) == str(value)
    return frame[mask]


def vendor_row(results: Results, vendor_id: str, period: str) -> pd.Series | None:
    rows = _rows(results.results, level="vendor", vendor_id=vendor_id, period_id=period)
    return rows.iloc[0] if len(rows) else None


def dimension_columns(results: pd.DataFrame) -> list[str]:
    return [c for c in results.columns if str(c).startswith("dim:")]


def _signed(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    return f"{value:+.{digits}f}"


def feedback_data(inputs: Inputs, results: Results, vendor_id: str, period: str, lang: str = "zh",
                  generated: str | None = None, *, where: dict[str, str] | None = None) -> FeedbackData:
    """Everything one vendor's feedback sheet shows for one period.

    ``where`` names the sheets holding the full lists (``warnings``, ``workers``) that the sheet only
    excerpts; by default the workbook's 预警 and 计算结果 sheets (a pack passes its own).
    """
    L = partial(pick, lang)
    where = {"warnings": L("预警", "Warnings"), "workers": L("计算结果", "Results"), **(where or {})}
    vendors = inputs["vendors"]
    vrow = _rows(vendors, vendor_id=vendor_id)
    vendor = vrow.iloc[0] if len(vrow) else pd.Series(dtype=object)
    res = vendor_row(results, vendor_id, period)
    data = FeedbackData(vendor_id, period)
    total = num(res["total"]) if res is not None else None
    prev = previous_period(inputs, results, period)
    prev_res = vendor_row(results, vendor_id, prev) if prev else None
    prev_total = num(prev_res["total"]) if prev_res is not None else None
    change = round(total - prev_total, 2) if total is not None and prev_total is not None else None
    rank = num(res.get("rank")) if res is not None else None
    rank_of = num(res.get("rank_of")) if res is not None else None
    grade = text(res.get("grade")) if res is not None else ""
    grades = inputs.tables.get("grades", pd.DataFrame())
    fee_pct = None
    if grade and len(grades):
        g = grades[grades["grade"].astype(str) == grade]
        fee_pct = num(g.iloc[0]["fee_adjust"]) if len(g) else None
    data.scalars = {
        "org_name": inputs.settings.org_name,
        "vendor_id": vendor_id,
        "vendor_name": text(vendor.get("name")) or text(res.get("vendor_name") if res is not None else ""),
        "contract_no": text(vendor.get("contract_no")),
        "service": text(vendor.get("service")),
        "period": period,
        "total": total,
        "grade": grade,
        "rank": int(rank) if rank is not None else None,
        "rank_of": int(rank_of) if rank_of is not None else None,
        "rank_text": (f"{int(rank)} / {int(rank_of)}" if rank is not None and rank_of is not None else "—"),
        "change": (L(f"{_signed(change)}（上期 {prev} 为 {prev_total:.2f}）", f"{_signed(change)} (previous {prev}: {prev_total:.2f})")
                   if change is not None and prev_total is not None else L("无上期数据", "no previous period")),
        "completeness": num(res.get("completeness")) if res is not None else None,
        "fee_adjust": num(res.get("fee_adjust")) if res is not None else None,
        "fee_adjust_pct": (L(f"按等级 {grade} 调整 {fee_pct:+g}%", f"grade {grade}: {fee_pct:+g}%")
                           if fee_pct is not None else ""),
        "action": text(res.get("action")) if res is not None else "",
        "explanation": text(res.get("explanation")) if res is not None else L("本期无结果", "no result this period"),
        "vetoed": bool(res.get("vetoed")) if res is not None and num(res.get("vetoed")) else False,
        "generated": generated or datetime.now().strftime("%Y-%m-%d %H:%M"),
    }

    dims = inputs.tables.get("dimensions", pd.DataFrame())
    dim_weights: dict[str, float | None] = {}
    if len(dims):
        vd = dims[dims["level"].astype(str) == "vendor"]
        dim_weights = {str(d): num(w) for d, w in zip(vd["dimension"], vd["weight"])}
    dim_rows = []
    for col in dimension_columns(results.results):
        name = col.split(":", 1)[1]
        if dim_weights and name not in dim_weights:
            continue  # a worker-level dimension
        score = num(res.get(col)) if res is not None else None
        if score is None and name not in dim_weights:
            continue
        dim_rows.append({"dimension": name, "weight": dim_weights.get(name), "score": score})
    data.lists["dimensions"] = dim_rows

    ind = inputs.tables.get("indicators", pd.DataFrame())
    ind_by_id = {str(r["indicator_id"]): r for _, r in ind.iterrows()} if len(ind) else {}
    srows = _rows(results.scores, level="vendor", vendor_id=vendor_id, period_id=period)
    indicators = []
    for _, s in srows.iterrows():
        iid = text(s["indicator_id"])
        meta = ind_by_id.get(iid, pd.Series(dtype=object))
        indicators.append({
            "indicator_id": iid,
            "indicator_name": text(s.get("indicator_name")) or text(meta.get("name")) or iid,
            "dimension": text(s.get("dimension")) or text(meta.get("dimension")),
            "method": METHODS.word(text(s.get("method")) or text(meta.get("method")), lang),
            "method_key": text(s.get("method")) or text(meta.get("method")),
            "actual": num(s.get("actual")),
            "target": num(meta.get("target")),
            "score": num(s.get("score")),
            "weight": num(s.get("weight")),
            "explanation": text(s.get("explanation")),
            "tip": text(meta.get("tip")),
        })
    warn_line = inputs.settings.warn_score
    for i in indicators:
        meta = ind_by_id.get(str(i["indicator_id"]), pd.Series(dtype=object))
        i["_below"] = below_line(i, text(meta.get("direction")) or "higher", num(meta.get("warn_below")), warn_line)
    ranked = sorted((i for i in indicators if i["method_key"] in WEIGHTED_METHODS and i["score"] is not None),
                    key=lambda i: (-(num(i["score"]) or 0.0), str(i["indicator_id"])))
    # an indicator below its target or warning line is to improve, never a strength
    strengths = [i for i in ranked if not i["_below"]][:N_STRENGTHS]
    weakest = [i for i in reversed(ranked) if i["_below"]]
    data.lists["strengths"] = [_public(i) for i in strengths]
    data.lists["improvements"] = [
        dict(_public(i), tip=i["tip"] or L("（该指标未填写改进建议）", "(no improvement tip recorded for this indicator)"))
        for i in weakest[:N_IMPROVEMENTS]]
    data.lists["indicators"] = [_public(i) for i in indicators]

    workers = _rows(results.results, level="worker", vendor_id=vendor_id, period_id=period)
    names = {}
    if "workers" in inputs.tables:
        w = inputs["workers"]
        names = {str(a): text(b) for a, b in zip(w["worker_id"], w["name"])}
    worker_list = []
    for _, r in workers.sort_values("worker_id", kind="stable").iterrows():
        wid = text(r["worker_id"])
        rk, of = num(r.get("rank")), num(r.get("rank_of"))
        worker_list.append({
            "worker_id": wid,
            "worker_name": names.get(wid) or text(r.get("worker_name")),
            "total": num(r.get("total")),
            "grade": text(r.get("grade")),
            "rank": f"{int(rk)} / {int(of)}" if rk is not None and of is not None else "",
            "bonus": num(r.get("bonus")),
            "action": text(r.get("action")),
        })
    if len(worker_list) > N_WORKERS:
        # the ones to talk about: lowest totals first (a missing total counts lowest)
        shown_w = sorted(worker_list, key=lambda w: (w["total"] is not None, w["total"] or 0.0))[:N_WORKERS]
        data.more["workers"] = L(
            f"另有 {len(worker_list) - N_WORKERS} 名人员未列出（此处为总分最低的 {N_WORKERS} 名），"
            f"全部 {len(worker_list)} 名见 {where['workers']} 表",
            f"{len(worker_list) - N_WORKERS} more workers not listed (these are the {N_WORKERS} lowest totals); "
            f"all {len(worker_list)} are in the {where['workers']} sheet")
        worker_list = shown_w
    data.lists["workers"] = worker_list

    warn = rank_warnings(_rows(results.warnings, vendor_id=vendor_id, period_id=period))
    data.lists["warnings"] = warning_items(warn.head(N_WARNINGS), names, str(data.scalars["vendor_name"]), lang)
    if len(warn) > N_WARNINGS:
        data.more["warnings"] = L(f"另有 {len(warn) - N_WARNINGS} 条预警，见 {where['warnings']} 表",
                                  f"{len(warn) - N_WARNINGS} more warnings: see the {where['warnings']} sheet")

    goals = _rows(results.goals, vendor_id=vendor_id) if len(results.goals) else results.goals
    data.lists["goals"] = [{
        "goal_id": text(g.get("goal_id")),
        "description": text(g.get("description")),
        "indicator": text(g.get("indicator_id")),
        "baseline": num(g.get("baseline")),
        "target": num(g.get("target")),
        "current": num(g.get("current")),
        "progress": num(g.get("progress")),
        "expected": num(g.get("expected")),
        "status": GOAL_OUTCOMES.word(text(g.get("status")), lang),
        "deadline": text(g.get("deadline")),
    } for _, g in goals.iterrows()]
    return data


def warning_items(warn: pd.DataFrame, names: dict[str, str], vendor_name: str, lang: str) -> list[dict[str, Any]]:
    """Warnings as a sheet lists them: severity, rule, whom it is about (worker or vendor), message."""
    return [{
        "severity": SEVERITIES.word(text(r.get("severity")), lang),
        "rule": WARNING_RULES.word(text(r.get("rule")), lang),
        "subject": names.get(text(r.get("worker_id")), "") or vendor_name,
        "message": text(r.get("message")),
    } for _, r in warn.iterrows()]


def below_line(ind: dict[str, Any], direction: str, warn_below: float | None, warn_score: float) -> bool:
    """Whether an indicator is below its target (its actual on the wrong side of it) or its score is
    below its warning line (the indicator's own, else the settings' one)."""
    score, actual, target = num(ind.get("score")), num(ind.get("actual")), num(ind.get("target"))
    line = warn_below if warn_below is not None else warn_score
    if score is not None and score < line:
        return True
    if actual is None or target is None:
        return False
    return actual > target if direction == "lower" else actual < target


def _public(ind: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in ind.items() if not k.startswith("_")}


def child_periods(inputs: Inputs, period: str) -> list[str]:
    """The periods that roll up into ``period`` (none for a leaf period), in time order."""
    periods = inputs.tables.get("periods")
    if periods is None or "rollup" not in periods:
        return []
    frame = periods.sort_values(["start", "end"], kind="stable")
    return [str(p) for p, r in zip(frame["period_id"], frame["rollup"]) if text(r) == period]


def related_periods(inputs: Inputs, results: Results, period: str) -> list[str]:
    """What one vendor's sheets need: the period, the one before it, and its children (roll-ups)."""
    prev = previous_period(inputs, results, period)
    return [period] + ([prev] if prev else []) + child_periods(inputs, period)


def split_by_vendor(results: Results, periods: list[str] | None = None) -> dict[str, Results]:
    """One Results per vendor (optionally only some periods), so per-vendor work never rescans
    the whole frames: a big workbook has hundreds of vendors and hundreds of thousands of score rows."""

    def groups(frame: pd.DataFrame, by_period: bool = True) -> dict[str, pd.DataFrame]:
        if frame is None or not len(frame) or "vendor_id" not in frame:
            return {}
        if periods is not None and by_period and "period_id" in frame:
            frame = frame[frame["period_id"].astype(str).isin(periods)]
        return {str(k): g for k, g in frame.groupby(frame["vendor_id"].astype(str), sort=False)}

    res, sco, war = groups(results.results), groups(results.scores), groups(results.warnings)
    goa = groups(results.goals, by_period=False)
    out = {}
    for vid in res:
        out[vid] = Results(results=res[vid], scores=sco.get(vid, results.scores.iloc[0:0]),
                           warnings=war.get(vid, results.warnings.iloc[0:0]),
                           goals=goa.get(vid, results.goals.iloc[0:0]), periods=list(results.periods))
    return out


def vendors_with_results(results: Results, period: str) -> list[str]:
    rows = _rows(results.results, level="vendor", period_id=period)
    return sorted({text(v) for v in rows["vendor_id"]})
