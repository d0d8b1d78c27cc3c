"""Hand-made Inputs and Results for the report tests: three vendors, six workers, two months.

The scores are computed here by the rules of issue 3 (a small reference, not the engine), so the pack's
Excel formulas can be checked against numbers worked out independently.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from xlperf.engine.results import Results
from xlperf.inputs import Inputs
from xlperf.settings import Settings

PERIODS = ("2026-01", "2026-02")
VENDORS = [
    # id, name, contract, password
    ("V001", "华信人力资源有限公司", "HT-2026-001", None),
    ("V002", "启明外包服务有限公司", "HT-2026-002", "qm-2026"),
    ("V003", "东方劳务派遣有限公司", "HT-2026-003", "df#pass"),
]
WORKERS = [
    ("W0101", "张伟", "V001"), ("W0102", "李娜", "V001"),
    ("W0201", "王芳", "V002"), ("W0202", "刘洋", "V002"),
    ("W0301", "陈静", "V003"), ("W0302", "杨磊", "V003"),
]
DIMENSIONS = [("质量", "vendor", 50.0), ("效率", "vendor", 30.0), ("团队", "vendor", 20.0),
              ("业绩", "worker", 60.0), ("行为", "worker", 40.0)]
NAN = float("nan")
IND_COLS = ["indicator_id", "name", "dimension", "level", "weight", "method", "direction", "floor", "target",
            "stretch", "cap", "per_unit", "band_set", "scale", "aggregation", "unit", "source", "standard", "tip",
            "warn_below"]
INDICATORS = [
    ("Q1", "一次交验合格率", "质量", "vendor", 50.0, "linear", "higher", 90.0, 98.0, 100.0, 120.0, NAN, None, NAN,
     "mean", "%", "report", "底线90/目标98/挑战100", "加强过程质检，关键工序双人复核", NAN),
    ("Q2", "客户满意度", "质量", "vendor", 50.0, "bands", "higher", NAN, NAN, NAN, NAN, NAN, "SAT", NAN,
     "mean", "分", "online", "分档", "每月回访低分客户并闭环", NAN),
    ("E1", "工单完成量", "效率", "vendor", 70.0, "ratio", "higher", NAN, 200.0, NAN, 120.0, NAN, None, NAN,
     "sum", "单", "online", "目标200单", "按工单高峰排班", NAN),
    ("E2", "主管评价", "效率", "vendor", 30.0, "rating", None, NAN, NAN, NAN, NAN, NAN, None, 5.0,
     "mean", "", "rating", "5分制", "与主管每周沟通重点任务", NAN),
    ("T1", "人员平均得分", "团队", "vendor", 100.0, "team", None, NAN, NAN, NAN, NAN, NAN, None, NAN,
     "mean", "分", "report", "人员总分平均", "帮助低分人员制定改进计划", NAN),
    ("A1", "创新加分", "质量", "vendor", NAN, "adjust", None, NAN, NAN, NAN, 5.0, 1.0, None, NAN,
     "sum", "项", "report", "每项合理化建议+1，最多+5", "", NAN),
    ("X1", "重大安全事故", "质量", "vendor", NAN, "veto", None, NAN, NAN, NAN, NAN, NAN, None, NAN,
     "max", "", "onsite", "发生即否决", "严格执行安全规程", NAN),
    ("W1", "平均处理时长", "业绩", "worker", 60.0, "linear", "lower", 48.0, 24.0, NAN, NAN, NAN, None, NAN,
     "mean", "小时", "online", "底线48/目标24小时", "使用知识库缩短处理时间", NAN),
    ("W2", "投诉次数", "业绩", "worker", 40.0, "deduction", None, NAN, NAN, NAN, NAN, 5.0, None, NAN,
     "count", "次", "report", "每次扣5分", "服务前确认客户需求", NAN),
    ("W3", "出勤纪律", "行为", "worker", 100.0, "rating", None, NAN, NAN, NAN, NAN, NAN, None, 5.0,
     "mean", "", "rating", "5分制", "按时到岗", NAN),
]
BANDS = [("SAT", NAN, 60.0, 40.0), ("SAT", 60.0, 80.0, 70.0), ("SAT", 80.0, NAN, 100.0)]
GRADES = [("S", 90.0, 10.0, 1.5, 5.0, "优先续约"), ("A", 80.0, 20.0, 1.2, 2.0, "续约"),
          ("B", 70.0, 50.0, 1.0, 0.0, "续约"), ("C", 60.0, 15.0, 0.8, -3.0, "观察"),
          ("D", 0.0, 5.0, 0.0, -10.0, "整改")]

# vendor actuals per period: Q1, Q2, E1, E2 (weighted rating), A1, X1
VENDOR_ACTUALS = {
    ("V001", "2026-01"): (96.5, 85.0, 180.0, 3.8, 2.0, 0.0),
    ("V001", "2026-02"): (99.0, 79.5, 210.0, 4.2, 1.0, 0.0),
    ("V002", "2026-01"): (94.0, 59.99, 150.0, 3.0, 0.0, 0.0),
    ("V002", "2026-02"): (92.0, 65.0, 140.0, 2.6, 0.0, 0.0),
    ("V003", "2026-01"): (101.0, 90.0, 260.0, 4.6, 7.0, 0.0),
    ("V003", "2026-02"): (97.0, 88.0, 230.0, 4.4, 3.0, 1.0),
}
# worker actuals: W1 hours, W2 complaints, W3 rating
WORKER_ACTUALS = {
    "W0101": ((30.0, 1.0, 4.0), (26.0, 0.0, 4.5)),
    "W0102": ((20.0, 2.0, 3.5), (22.0, 1.0, 4.0)),
    "W0201": ((40.0, 3.0, 3.0), (44.0, 4.0, 2.5)),
    "W0202": ((36.0, 0.0, 4.0), (30.0, 1.0, 4.0)),
    "W0301": ((24.0, 0.0, 5.0), (25.0, 0.0, 5.0)),
    "W0302": ((28.0, 1.0, 4.5), (27.0, 2.0, 4.0)),
}


def half_up(x: float) -> float:
    return float(Decimal(repr(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def ref_score(ind: dict, x: float) -> float:
    m = ind["method"]
    cap = ind["cap"] if not math.isnan(ind["cap"]) else 100.0
    if m == "linear":
        f, t, s = ind["floor"], ind["target"], ind["stretch"]
        sign = 1 if ind["direction"] == "higher" else -1
        u, f, t = sign * x, sign * f, sign * t
        if u <= f:
            return 0.0
        if u < t:
            return 100 * (u - f) / (t - f)
        if math.isnan(s):
            return 100.0
        s = sign * s
        return 100 + (cap - 100) * (u - t) / (s - t) if u < s else cap
    if m == "ratio":
        return max(0.0, min(cap, 100 * x / ind["target"]))
    if m == "bands":
        for _, lo, hi, score in (b for b in BANDS if b[0] == ind["band_set"]):
            if (math.isnan(lo) or lo <= x) and (math.isnan(hi) or x < hi):
                return score
        return NAN
    if m == "rating":
        return 100 * x / ind["scale"]
    if m == "deduction":
        return max(0.0, 100 - ind["per_unit"] * x)
    if m == "adjust":
        return max(-cap, min(cap, ind["per_unit"] * x))
    raise ValueError(m)


def make_inputs() -> Inputs:
    ind = pd.DataFrame(INDICATORS, columns=IND_COLS)
    ind["effective_from"] = None
    ind["effective_to"] = None
    tables = {
        "dimensions": pd.DataFrame(DIMENSIONS, columns=["dimension", "level", "weight"]).assign(description=None),
        "indicators": ind,
        "bands": pd.DataFrame(BANDS, columns=["band_set", "lower", "upper", "score"]),
        "vendors": pd.DataFrame({
            "vendor_id": [v[0] for v in VENDORS], "name": [v[1] for v in VENDORS],
            "contract_no": [v[2] for v in VENDORS], "service": ["客服外包", "运维外包", "物流外包"],
            "contract_start": pd.to_datetime(["2026-01-01"] * 3), "contract_end": pd.to_datetime(["2026-12-31"] * 3),
            "base_fee": [100000.0, 80000.0, 120000.0], "contact": ["赵经理", "钱经理", "孙经理"],
            "email": ["a@hx.example", "b@qm.example", "c@df.example"],
            "pack_password": [v[3] for v in VENDORS]}),
        "workers": pd.DataFrame({
            "worker_id": [w[0] for w in WORKERS], "name": [w[1] for w in WORKERS],
            "vendor_id": [w[2] for w in WORKERS], "role": "客服", "team": "一组",
            "start_date": pd.NaT, "end_date": pd.NaT, "base_bonus": 2000.0}),
        "periods": pd.DataFrame({
            "period_id": list(PERIODS), "start": pd.to_datetime(["2026-01-01", "2026-02-01"]),
            "end": pd.to_datetime(["2026-01-31", "2026-02-28"]), "rollup": None, "status": "open"}),
        "grades": pd.DataFrame(GRADES, columns=["grade", "min_score", "quota", "bonus_coef", "fee_adjust", "action"]),
        "goals": pd.DataFrame({
            "goal_id": ["G1", "G2", "G3"], "vendor_id": ["V001", "V002", "V003"],
            "worker_id": [None, "W0201", None], "indicator_id": ["Q1", "W1", "E1"],
            "description": ["一次交验合格率提升到 98%", "王芳平均处理时长降到 30 小时", "工单完成量稳定在 220 单"],
            "baseline": [95.0, 44.0, 200.0], "target": [98.0, 30.0, 220.0], "objective": "客户满意",
            "deadline": pd.to_datetime(["2026-06-30", "2026-03-31", "2026-06-30"]),
            "agreed_on": pd.to_datetime(["2026-01-05"] * 3), "status": ["in_progress", "agreed", "achieved"]}),
        "rater_weights": pd.DataFrame({"indicator_id": ["*", "*"], "rater_role": ["主管", "用工部门"], "weight": [60.0, 40.0]}),
    }
    return Inputs(Settings(org_name="示例集团", current_period="2026-02"), tables)


def grade_of(total: float) -> str:
    return next(g[0] for g in GRADES if total >= g[1])


def make_results() -> Results:
    inds = {r[0]: dict(zip(IND_COLS, r)) for r in INDICATORS}
    dim_w = {(d, lvl): w for d, lvl, w in DIMENSIONS}
    score_rows: list[dict] = []
    result_rows: list[dict] = []
    wname = {w[0]: w[1] for w in WORKERS}

    def subject(period: str, level: str, vid: str, wid: str | None, actuals: dict[str, float]) -> dict:
        dims: dict[str, list[tuple[float, float]]] = {}
        adjust = 0.0
        vetoed = False
        for iid, x in actuals.items():
            ind = inds[iid]
            if ind["method"] == "veto":
                vetoed = vetoed or x >= 1
                score = NAN
            elif ind["method"] == "team":
                score = x
            else:
                score = ref_score(ind, x)
            if ind["method"] == "adjust":
                adjust += score
            elif ind["method"] != "veto":
                dims.setdefault(ind["dimension"], []).append((score, ind["weight"]))
            ow = (ind["weight"] * dim_w[(ind["dimension"], level)] / 100
                  if ind["method"] not in ("adjust", "veto") else NAN)
            score_rows.append({
                "period_id": period, "level": level, "vendor_id": vid, "worker_id": wid, "indicator_id": iid,
                "indicator_name": ind["name"], "dimension": ind["dimension"], "method": ind["method"],
                "actual": x, "score": round(score, 2) if not math.isnan(score) else NAN,
                "weight": ind["weight"], "overall_weight": ow,
                "weighted": score * ow / 100 if not math.isnan(ow) else NAN,
                "explanation": f"实际 {x:g} → {ind['method']} → {score:.2f} 分"})
        dim_scores = {d: sum(s * w for s, w in v) / sum(w for _, w in v) for d, v in dims.items()}
        raw = sum(dim_scores[d] * dim_w[(d, level)] for d in dim_scores) / sum(dim_w[(d, level)] for d in dim_scores)
        total = 0.0 if vetoed else half_up(max(0.0, min(120.0, raw + adjust)))
        row = {"period_id": period, "level": level, "vendor_id": vid, "worker_id": wid,
               "worker_name": wname.get(wid or "", None), "total": total, "vetoed": vetoed,
               "completeness": 1.0, "explanation": f"总分 {total:.2f}" + ("（一票否决）" if vetoed else "")}
        for d, s in dim_scores.items():
            row[f"dim:{d}"] = s
        return row

    for p_i, period in enumerate(PERIODS):
        for vid, vname, _, _ in VENDORS:
            worker_totals = []
            for wid, _, wv in WORKERS:
                if wv != vid:
                    continue
                w1, w2, w3 = WORKER_ACTUALS[wid][p_i]
                r = subject(period, "worker", vid, wid, {"W1": w1, "W2": w2, "W3": w3})
                worker_totals.append(r["total"])
                result_rows.append(r)
            q1, q2, e1, e2, a1, x1 = VENDOR_ACTUALS[(vid, period)]
            team = sum(worker_totals) / len(worker_totals)
            r = subject(period, "vendor", vid, None,
                        {"Q1": q1, "Q2": q2, "E1": e1, "E2": e2, "T1": team, "A1": a1, "X1": x1})
            r["vendor_name"] = vname
            result_rows.append(r)
    results = pd.DataFrame(result_rows)
    results["grade"] = [("D" if v else grade_of(t)) for t, v in zip(results["total"], results["vetoed"])]
    fee = {g[0]: g[4] for g in GRADES}
    coef = {g[0]: g[3] for g in GRADES}
    action = {g[0]: g[5] for g in GRADES}
    base_fee = {"V001": 100000.0, "V002": 80000.0, "V003": 120000.0}
    results["action"] = results["grade"].map(action)
    results["fee_adjust"] = [base_fee[v] * fee[g] / 100 if lvl == "vendor" else NAN
                             for v, g, lvl in zip(results["vendor_id"], results["grade"], results["level"])]
    results["bonus"] = [2000.0 * coef[g] if lvl == "worker" else NAN for g, lvl in zip(results["grade"], results["level"])]
    results["rank"] = results.groupby(["period_id", "level"])["total"].rank(method="min", ascending=False).astype(int)
    results["rank_of"] = results.groupby(["period_id", "level"])["total"].transform("count").astype(int)
    scores = pd.DataFrame(score_rows)
    warnings = pd.DataFrame([
        {"period_id": "2026-02", "level": "vendor", "vendor_id": "V002", "worker_id": None, "indicator_id": "E1",
         "rule": "low_score", "severity": "warning", "message": "工单完成量 得分 70.00 低于预警线 60"},
        {"period_id": "2026-02", "level": "vendor", "vendor_id": "V003", "worker_id": None, "indicator_id": "X1",
         "rule": "veto", "severity": "error", "message": "重大安全事故 触发一票否决"},
        {"period_id": "2026-02", "level": "worker", "vendor_id": "V002", "worker_id": "W0201", "indicator_id": "W1",
         "rule": "low_score", "severity": "warning", "message": "王芳 平均处理时长 得分 16.67"},
    ])
    goals = pd.DataFrame({
        "goal_id": ["G1", "G2", "G3"], "vendor_id": ["V001", "V002", "V003"], "worker_id": [None, "W0201", None],
        "indicator_id": ["Q1", "W1", "E1"],
        "description": ["一次交验合格率提升到 98%", "王芳平均处理时长降到 30 小时", "工单完成量稳定在 220 单"],
        "baseline": [95.0, 44.0, 200.0], "target": [98.0, 30.0, 220.0], "current": [99.0, 44.0, 230.0],
        "progress": [1.0, 0.0, 1.0], "expected": [0.3, 0.6, 0.3], "status": ["in_progress", "agreed", "achieved"],
        "deadline": pd.to_datetime(["2026-06-30", "2026-03-31", "2026-06-30"])})
    return Results(results=results, scores=scores, warnings=warnings, goals=goals, periods=list(PERIODS))


def other_vendor_terms(inputs: Inputs, vendor_id: str) -> list[str]:
    """Every identifier of every other vendor: ids, names, contract numbers, worker ids and names."""
    v = inputs["vendors"]
    w = inputs["workers"]
    others = v[v["vendor_id"] != vendor_id]
    ow = w[w["vendor_id"] != vendor_id]
    terms = list(others["vendor_id"]) + list(others["name"]) + list(others["contract_no"].dropna())
    terms += list(ow["worker_id"]) + list(ow["name"])
    return [str(t) for t in terms if str(t)]


def lo_convert(paths: list, fmt: str, outdir) -> list:
    """Convert many files in one LibreOffice start (private profile; recalculate on load: always)."""
    from pathlib import Path

    from xlperf.excel.libreoffice import convert_many

    produced, _ = convert_many([Path(p) for p in paths], fmt, Path(outdir), timeout=240)
    return produced


def zero_cached_values(data: bytes) -> bytes:
    """The same package with every formula's cached number set to 0 (to prove a recalculation)."""
    import re
    import zipfile
    from io import BytesIO

    src = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                blob = re.sub(rb"(</f>)<v>-?[0-9.Ee+-]+</v>", rb"\1<v>0</v>", blob)
            z.writestr(info, blob)
    return out.getvalue()
