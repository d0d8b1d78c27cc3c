"""The internal summary sheet (绩效汇总): every vendor's standing, for internal departments only.

Ranking, grade distribution against the quotas, dimension averages, warnings overview and the trend
over periods, with two charts. It is laid out in code, but borrows its look from the feedback
prototype's cells (title, section bar, header, row and number cells), so restyling the prototype
restyles the summary too. It is never put in a vendor pack.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pandas as pd

from ..contract.output_words import RULE_SEVERITY, SEVERITIES, SEVERITY_RANK, WARNING_RULES
from ..engine.results import Results
from ..i18n import pick
from ..inputs import Inputs
from . import charts, layout
from .feedback import dimension_columns, num, period_order, previous_period, text
from .fill import OutCell, Rendered, fit
from .prototype import PLACEHOLDER, Prototype

Pos = tuple[int, int]


@dataclass
class Looks:
    """Prototype cells whose style each kind of summary cell borrows."""

    title: Pos = (0, 0)
    section: Pos = (0, 0)
    header: Pos = (0, 0)
    row: Pos = (0, 0)
    number: Pos = (0, 0)
    note: Pos = (0, 0)


def looks_of(proto: Prototype) -> Looks:
    at: dict[str, Pos] = {}
    for (r, c), value in proto.cells.items():
        if isinstance(value, str):
            for m in PLACEHOLDER.finditer(value):
                at.setdefault(m.group(1), (r, c))
    lk = Looks()
    lk.title = at.get("org_name", (0, 0))
    lk.row = at.get("indicators.indicator_name", (0, 0))
    lk.number = at.get("indicators.score", lk.row)
    lk.note = at.get("explanation", (0, 0))
    if lk.row != (0, 0):
        lk.header = (lk.row[0] - 1, lk.row[1])
        lk.section = (lk.row[0] - 2, 1)
    return lk


@dataclass
class SummarySheet:
    rendered: Rendered
    charts: list[tuple[bytes, tuple[int, int, int, int]]] = field(default_factory=list)


def build_summary(inputs: Inputs, results: Results, period: str, proto: Prototype, lang: str = "zh") -> SummarySheet:
    L = partial(pick, lang)
    lk = looks_of(proto)
    name = layout.summary_sheet_name(lang)
    out = Rendered(name)
    row = 1

    def put(r: int, c: int, value: Any, look: Pos) -> None:
        out.cells.append(OutCell(r, c, value, look))

    def table(headers: list[str], rows: list[list[Any]], numeric: set[int]) -> tuple[int, int]:
        nonlocal row
        for j, h in enumerate(headers, start=1):
            put(row, j, h, lk.header)
        first = row + 1
        for values in rows or [[L("（无）", "(none)")] + [None] * (len(headers) - 1)]:
            row += 1
            for j, v in enumerate(values, start=1):
                whole = isinstance(v, int) or (isinstance(v, float) and j == 1 and v.is_integer())
                put(row, j, int(v) if whole and v is not None else v,
                    lk.number if j - 1 in numeric and not whole else lk.row)
        row += 2
        return first, row - 2

    def section(title: str) -> None:
        nonlocal row
        put(row, 1, title, lk.section)
        for c in range(2, 9):
            put(row, c, None, lk.section)
        out.merges.append((row, 1, row, 8))
        row += 1

    put(row, 1, L(f"{inputs.settings.org_name} 供应商绩效汇总（{period}）— 内部资料，请勿外发",
                  f"{inputs.settings.org_name} vendor performance summary ({period}) — internal, do not share"), lk.title)
    out.merges.append((row, 1, row, 8))
    row += 2
    res = results.results
    vendors = res[(res["level"].astype(str) == "vendor") & (res["period_id"].astype(str) == period)].copy()
    vendors = vendors.sort_values(["rank", "vendor_id"], kind="stable")
    names = dict(zip(inputs["vendors"]["vendor_id"].astype(str), inputs["vendors"]["name"].astype(str)))
    prev = previous_period(inputs, results, period)
    prev_totals: dict[str, float | None] = {}
    if prev:
        pv = res[(res["level"].astype(str) == "vendor") & (res["period_id"].astype(str) == prev)]
        prev_totals = {text(v): num(t) for v, t in zip(pv["vendor_id"], pv["total"])}

    section(L("一、供应商排名", "1. Vendor ranking"))
    rank_rows = []
    for _, v in vendors.iterrows():
        vid = text(v["vendor_id"])
        total, before = num(v["total"]), prev_totals.get(vid)
        rank_rows.append([num(v.get("rank")), vid, names.get(vid, text(v.get("vendor_name"))), total, text(v.get("grade")),
                          round(total - before, 2) if total is not None and before is not None else None,
                          num(v.get("fee_adjust")), text(v.get("action"))])
    table([L("排名", "Rank"), L("编号", "ID"), L("供应商", "Vendor"), L("总分", "Total"), L("等级", "Grade"),
           L("较上期", "Change"), L("服务费调整", "Fee adj."), L("处理措施", "Action")], rank_rows, {0, 3, 5, 6})

    section(L("二、等级分布与比例要求", "2. Grade distribution against quotas"))
    grades = inputs.tables.get("grades", pd.DataFrame())
    counts = vendors["grade"].astype(str).value_counts()
    n = max(len(vendors), 1)
    dist_rows: list[list[Any]] = []
    for _, g in grades.iterrows():
        gid = text(g["grade"])
        c = int(counts.get(gid, 0))
        dist_rows.append([gid, num(g.get("quota")), c, round(100.0 * c / n, 2)])
    first, last = table([L("等级", "Grade"), L("比例要求(%)", "Quota (%)"), L("实际人数", "Count"),
                         L("实际占比(%)", "Actual (%)")], dist_rows, {1, 2, 3})
    if dist_rows:
        spec = charts.ChartSpec(
            L("等级分布：实际与比例要求(%)", "Grades: actual vs quota (%)"), [r[0] for r in dist_rows],
            [charts.Series(L("比例要求", "Quota"), [r[1] for r in dist_rows], charts.col_ref(name, 2, first, last), "A6A6A6"),
             charts.Series(L("实际占比", "Actual"), [r[3] for r in dist_rows], charts.col_ref(name, 4, first, last))],
            cat_ref=charts.col_ref(name, 1, first, last))
        chart_box = (first - 2, 10, first + 12, 16)
        dist_chart = (charts.chart_xml(spec), chart_box)
    section(L("三、维度平均分", "3. Dimension averages"))
    dims = inputs.tables.get("dimensions", pd.DataFrame())
    vendor_dims = set(dims[dims["level"].astype(str) == "vendor"]["dimension"].astype(str)) if len(dims) else set()
    dim_rows = []
    for col in dimension_columns(res):
        d = col.split(":", 1)[1]
        if vendor_dims and d not in vendor_dims:
            continue
        values = pd.to_numeric(vendors[col], errors="coerce").dropna()
        if len(values):
            dim_rows.append([d, round(float(values.mean()), 2), round(float(values.min()), 2), round(float(values.max()), 2)])
    table([L("维度", "Dimension"), L("平均", "Mean"), L("最低", "Min"), L("最高", "Max")], dim_rows, {1, 2, 3})

    section(L("四、预警概况", "4. Warnings overview"))
    by_rule, by_vendor = warning_overview(results.warnings, period, names, lang)
    table([L("级别", "Severity"), L("规则", "Rule"), L("条数", "Count"), L("涉及对象", "Subjects"),
           L("涉及供应商", "Vendors")], by_rule, {2, 3, 4})
    table([L("编号", "ID"), L("供应商", "Vendor"), SEVERITIES.word("error", lang), SEVERITIES.word("warning", lang),
           SEVERITIES.word("info", lang), L("合计", "Total"), L("主要规则", "Main rules")], by_vendor, {2, 3, 4, 5})

    section(L("五、各期总分趋势", "5. Totals over periods"))
    # months against months, quarters against quarters
    parents = {text(p) for p in inputs["periods"]["rollup"].dropna()} if "rollup" in inputs["periods"] else set()
    order = [p for p in period_order(inputs, results)
             if p in set(res["period_id"].astype(str)) and (p in parents) == (period in parents)]
    order = order[: order.index(period) + 1] if period in order else order
    allv = res[res["level"].astype(str) == "vendor"]
    pivot = allv.pivot_table(index="vendor_id", columns="period_id", values="total", aggfunc="first")
    trend_rows = []
    vids = [text(v) for v in vendors["vendor_id"]]
    for vid in vids:
        trend_rows.append([names.get(vid, vid)] + [num(pivot.at[vid, p]) if vid in pivot.index and p in pivot.columns else None
                                                   for p in order])
    tfirst, _ = table([L("供应商", "Vendor")] + order, trend_rows, set(range(1, len(order) + 1)))
    out_charts = [dist_chart] if dist_rows else []
    if trend_rows and order:
        from openpyxl.utils import get_column_letter

        spec = charts.ChartSpec(
            L("各期总分趋势", "Totals over periods"), order,
            [charts.Series(str(r[0]), [v if isinstance(v, float) else None for v in r[1:]],
                           f"{charts.quote_sheet(name)}!$B${tfirst + i}:${get_column_letter(1 + len(order))}${tfirst + i}",
                           color=("2F5597", "C55A11", "548235", "7030A0", "BF9000", "2E75B6")[i % 6])
             for i, r in enumerate(trend_rows)],
            cat_ref=f"{charts.quote_sheet(name)}!$B${tfirst - 1}:${get_column_letter(1 + len(order))}${tfirst - 1}",
            kind="line")
        out_charts.append((charts.chart_xml(spec), (tfirst - 1, 10, tfirst + 14, 16)))
    put(row, 1, L("本表包含全部供应商的数据，仅供内部使用；对外请使用 xlperf share 生成的供应商包。",
                  "This sheet holds every vendor's data and is for internal use only; vendors get the packs made by "
                  "xlperf share."), lk.note)
    out.merges.append((row, 1, row, 8))
    fit(out, proto)
    out.title_rows = (1, 1)
    return SummarySheet(out, out_charts)


def warning_overview(warnings: pd.DataFrame, period: str, names: dict[str, str],
                     lang: str) -> tuple[list[list[Any]], list[list[Any]]]:
    """The period's warnings counted per rule (most urgent first) and per vendor (most severe first).

    Per rule: severity, rule, warnings, subjects and vendors it concerns. Per vendor: id, name, the
    count of each rank, the total and its three most frequent rules ("低分 155、低等级 57 …")."""
    w = warnings[warnings["period_id"].astype(str) == period] if len(warnings) else warnings
    if not len(w):
        return [], []
    w = pd.DataFrame({
        "vendor": w["vendor_id"].astype(str).to_numpy(), "rule": w["rule"].astype(str).to_numpy(),
        "subject": (w["level"].astype(str) + "|" + w["worker_id"].fillna("").astype(str)).to_numpy()})
    w["subject"] = w["vendor"] + "|" + w["subject"]
    w["severity"] = w["rule"].map(RULE_SEVERITY).fillna("warning")
    order = {k: i for i, k in enumerate(WARNING_RULES)}
    per_rule = w.groupby("rule", sort=False).agg(n=("rule", "size"), subjects=("subject", "nunique"),
                                                 vendors=("vendor", "nunique"), severity=("severity", "first"))
    per_rule["rank"] = per_rule["severity"].map(SEVERITY_RANK)
    per_rule["order"] = [order.get(r, len(order)) for r in per_rule.index]
    per_rule = per_rule.sort_values(["rank", "order"], kind="stable")
    by_rule = [[SEVERITIES.word(str(r.severity), lang), WARNING_RULES.word(str(rule), lang), int(r.n),
                int(r.subjects), int(r.vendors)] for rule, r in per_rule.iterrows()]

    counts = w.pivot_table(index="vendor", columns="severity", values="rule", aggfunc="size", fill_value=0)
    counts = counts.reindex(columns=list(SEVERITIES), fill_value=0)
    counts["total"] = counts.sum(axis=1)
    counts = counts.sort_values([*SEVERITIES, "total"], ascending=False, kind="stable")
    top = w.groupby(["vendor", "rule"], sort=False).size().reset_index(name="n")
    top["order"] = top["rule"].map(order).fillna(len(order))
    top = top.sort_values(["vendor", "n", "order"], ascending=[True, False, True], kind="stable")
    sep = "、" if lang == "zh" else ", "
    main = {str(v): sep.join(f"{WARNING_RULES.word(r, lang)} {n}" for r, n in zip(g["rule"].head(3), g["n"].head(3)))
            for v, g in top.groupby("vendor", sort=False)}
    by_vendor = [[str(vid), names.get(str(vid), str(vid)), *(int(c[k]) for k in SEVERITIES), int(c["total"]),
                  main.get(str(vid), "")] for vid, c in counts.iterrows()]
    return by_rule, by_vendor
