"""The verifiable part of a vendor pack: the published rules, and scores as live Excel formulas over them.

Three sheets, built as grids of cells (no file I/O here):

- Rules (计分规则): the settings, dimension weights, indicators, bands and grades the vendor was scored by;
- Score check (计分核对): one row per indicator score of the vendor and its workers, the score a formula
  over the row's own actual value and the indicator's rule row;
- Results (结果): per subject the dimension scores, adjust points, veto and total as formulas over the
  score rows (weighted means over the scores present, clamp, ROUND half-up = Excel ROUND); grades and
  ranks stay values because they depend on other vendors.

Every formula cell carries the engine's number as its cached value, so a viewer that does not
recalculate still shows the right number and one that does recomputes the same one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pandas as pd

from ..contract import TABLES_BY_NAME
from ..contract.choices import GRADE_MODES, LEVELS, METHODS, MISSING_POLICIES, Vocab
from ..contract.output_words import GOAL_OUTCOMES
from ..i18n import pick
from ..inputs import Inputs
from .charts import quote_sheet
from .feedback import child_periods, num, text

BIG_NEGATIVE = -1e307  # the lookup lower bound of a band that is open below
BIG_POSITIVE = 1e307  # the lookup upper bound of a band that is open above


@dataclass
class GridCell:
    value: Any  # a value, or a formula starting with "="
    style: str = "text"  # title, note, header, text, num, int, pct, formula, date
    cached: Any = None  # the engine's value of a formula cell


@dataclass
class Grid:
    name: str
    cells: dict[tuple[int, int], GridCell] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    freeze: str | None = None

    def put(self, row: int, col: int, value: Any, style: str = "text", cached: Any = None) -> None:
        if isinstance(value, float) and not math.isfinite(value):
            value = None
        self.cells[(row, col)] = GridCell(value, style, cached)

    def ref(self, row: int, col: int, absolute: bool = True) -> str:
        from openpyxl.utils import get_column_letter

        letter = get_column_letter(col)
        addr = f"${letter}${row}" if absolute else f"{letter}{row}"
        return f"{quote_sheet(self.name)}!{addr}"


def sheet_names(lang: str) -> tuple[str, str, str, str]:
    """Rules, score check, results, goals."""
    return (pick(lang, "计分规则", "Rules"), pick(lang, "计分核对", "Score check"),
            pick(lang, "结果", "Results"), pick(lang, "目标", "Goals"))


# Indicator columns of the rules sheet (1-based) — formulas reference them by these numbers.
IND_COLS = ("indicator_id", "name", "dimension", "level", "weight", "method", "direction", "floor", "target",
            "stretch", "cap", "per_unit", "band_set", "scale", "aggregation", "unit", "standard")
IND_LABELS = {
    "indicator_id": ("指标编号", "Indicator ID"), "name": ("指标名称", "Name"), "dimension": ("维度", "Dimension"),
    "level": ("层级", "Level"), "weight": ("维度内权重", "Weight in dimension"), "method": ("计分方法", "Method"),
    "direction": ("方向", "Direction"), "floor": ("底线值", "Floor"), "target": ("目标值", "Target"),
    "stretch": ("挑战值", "Stretch"), "cap": ("得分上限", "Cap"), "per_unit": ("每单位分值", "Points per unit"),
    "band_set": ("分档表", "Band set"), "scale": ("评分制", "Rating scale"), "aggregation": ("汇总方式", "Aggregation"),
    "unit": ("单位", "Unit"), "standard": ("评分标准", "Scoring standard"),
}
NUMERIC = {"weight", "floor", "target", "stretch", "cap", "per_unit", "scale"}


def choice_word(table: str, key: str, value: str, lang: str) -> str:
    """A cell of an input table as the vendor reads it: a choice in the pack's language, else as typed."""
    spec = TABLES_BY_NAME[table]
    choices = spec.field(key).choices if key in spec.keys else ()
    return choices.word(value, lang) if isinstance(choices, Vocab) else value


@dataclass
class RuleRefs:
    veto_score: str = ""
    total_cap: str = ""
    dims: dict[tuple[str, str], str] = field(default_factory=dict)  # (dimension, level) → weight cell
    inds: dict[str, dict[str, str]] = field(default_factory=dict)  # indicator → field → cell
    # band set → (lookup lowers, lookup uppers, scores)
    bands: dict[str, tuple[str, str, str]] = field(default_factory=dict)


def rules_grid(inputs: Inputs, indicator_ids: list[str], lang: str) -> tuple[Grid, RuleRefs]:
    L = partial(pick, lang)
    g = Grid(sheet_names(lang)[0])
    refs = RuleRefs()
    s = inputs.settings
    g.put(1, 1, L("计分规则（本期考核所依据的已发布规则）", "Scoring rules (the published rules this period was scored by)"), "title")
    g.put(2, 1, L("“计分核对”和“结果”表中的公式引用本表；修改本表不会改变正式结果。",
                  "The formulas on the Score check and Results sheets refer to this sheet; editing it does not change "
                  "the official results."), "note")
    r = 4
    g.put(r, 1, L("参数", "Setting"), "header")
    g.put(r, 2, L("取值", "Value"), "header")
    for key, label, value in (
        ("veto_score", L("否决后总分", "Score after veto"), s.veto_score),
        ("total_cap", L("总分上限", "Total cap"), s.total_cap),
        ("missing_policy", L("缺失数据处理", "Missing data policy"), MISSING_POLICIES.word(s.missing_policy, lang)),
        ("grade_mode", L("评级方式", "Grading mode"), GRADE_MODES.word(s.grade_mode, lang)),
    ):
        r += 1
        g.put(r, 1, label)
        g.put(r, 2, value, "num" if isinstance(value, float) else "text")
        if key == "veto_score":
            refs.veto_score = g.ref(r, 2)
        elif key == "total_cap":
            refs.total_cap = g.ref(r, 2)

    ind = inputs["indicators"]
    ind = ind[ind["indicator_id"].astype(str).isin(indicator_ids)]
    levels = set(ind["level"].astype(str))
    r += 2
    g.put(r, 1, L("维度", "Dimension"), "header")
    g.put(r, 2, L("层级", "Level"), "header")
    g.put(r, 3, L("维度权重", "Dimension weight"), "header")
    dims = inputs["dimensions"]
    for _, d in dims[dims["level"].astype(str).isin(levels)].iterrows():
        r += 1
        g.put(r, 1, text(d["dimension"]))
        g.put(r, 2, LEVELS.word(text(d["level"]), lang))
        g.put(r, 3, num(d["weight"]), "num")
        refs.dims[(text(d["dimension"]), text(d["level"]))] = g.ref(r, 3)

    r += 2
    for j, key in enumerate(IND_COLS, start=1):
        g.put(r, j, pick(lang, *IND_LABELS[key]), "header")
    for _, row in ind.iterrows():
        r += 1
        iid = text(row["indicator_id"])
        refs.inds[iid] = {}
        for j, key in enumerate(IND_COLS, start=1):
            cell_value: Any = row.get(key)
            if key == "cap" and num(cell_value) is None and text(row["method"]) != "veto":
                cell_value = 100.0  # the published default, written out so the formulas need no hidden rule
            if key in NUMERIC:
                g.put(r, j, num(cell_value), "num")
            else:
                g.put(r, j, choice_word("indicators", key, text(cell_value), lang))
            refs.inds[iid][key] = g.ref(r, j)

    used_sets = sorted({text(b) for b in ind["band_set"] if text(b)})
    if used_sets:
        r += 2
        for j, label in enumerate((L("分档表", "Band set"), L("下限(含)", "Lower (incl.)"), L("上限(不含)", "Upper (excl.)"),
                                   L("得分", "Score"), L("查找下限", "Lookup lower"), L("查找上限", "Lookup upper")),
                                  start=1):
            g.put(r, j, label, "header")
        bands = inputs["bands"]
        for band_set in used_sets:
            rows = bands[bands["band_set"].astype(str) == band_set].copy()
            rows["_lo"] = rows["lower"].astype(float).fillna(BIG_NEGATIVE)
            rows = rows.sort_values("_lo", kind="stable")
            first = r + 1
            for _, b in rows.iterrows():
                r += 1
                g.put(r, 1, band_set)
                g.put(r, 2, num(b["lower"]), "num")
                g.put(r, 3, num(b["upper"]), "num")
                g.put(r, 4, num(b["score"]), "num")
                # the lookup needs a number in every row: an open bound is ±1E+307
                g.put(r, 5, f'=IF(B{r}="",{BIG_NEGATIVE:.0E},B{r})', "num", cached=float(b["_lo"]))
                hi = float(b["upper"]) if pd.notna(b["upper"]) else BIG_POSITIVE
                g.put(r, 6, f'=IF(C{r}="",{BIG_POSITIVE:.0E},C{r})', "num", cached=hi)
            sheet = quote_sheet(g.name)
            refs.bands[band_set] = (f"{sheet}!$E${first}:$E${r}", f"{sheet}!$F${first}:$F${r}",
                                    f"{sheet}!$D${first}:$D${r}")
        g.put(r + 1, 1, L("分档规则：下限 ≤ 实际值 < 上限；下限为空表示不设下限。",
                          "A band applies when lower ≤ actual < upper; a blank lower means no lower bound."), "note")
        r += 1

    rating_ids = [text(i) for i, m in zip(ind["indicator_id"], ind["method"]) if text(m) == "rating"]
    rw = inputs.tables.get("rater_weights", pd.DataFrame())
    if rating_ids and len(rw):
        rw_rows = rw[rw["indicator_id"].astype(str).isin(rating_ids + ["*"])]
        if len(rw_rows):
            r += 2
            for j, label in enumerate((L("指标编号", "Indicator ID"), L("评分角色", "Rater role"), L("权重", "Weight")),
                                      start=1):
                g.put(r, j, label, "header")
            for _, rw_row in rw_rows.iterrows():
                r += 1
                g.put(r, 1, text(rw_row["indicator_id"]))
                g.put(r, 2, text(rw_row["rater_role"]))
                g.put(r, 3, num(rw_row["weight"]), "num")
            g.put(r + 1, 1, L("评分类指标的实际值 = 各评分角色平均分按上表加权（* 为默认权重；无该角色评分时按其余角色重新分配）。",
                              "A rating indicator's actual value is the mean rating of each rater role weighted as above "
                              "(* is the default; roles without ratings are left out and the rest re-weighted)."), "note")
            r += 1

    grades = inputs.tables.get("grades", pd.DataFrame())
    if len(grades):
        r += 2
        cols = ("grade", "min_score", "quota", "bonus_coef", "fee_adjust", "action")
        labels = ((("等级", "Grade")), ("最低分", "Min score"), ("比例(%)", "Quota (%)"), ("奖金系数", "Bonus coefficient"),
                  ("服务费调整(%)", "Fee adjustment (%)"), ("处理措施", "Action"))
        for j, lab in enumerate(labels, start=1):
            g.put(r, j, pick(lang, *lab), "header")
        for _, gr in grades.iterrows():
            r += 1
            for j, key in enumerate(cols, start=1):
                v = gr.get(key)
                g.put(r, j, num(v) if key not in ("grade", "action") else text(v),
                      "num" if key not in ("grade", "action") else "text")
    for j, w in enumerate((14, 18, 12, 10, 12, 12, 10, 10, 10, 10, 10, 12, 10, 10, 10, 8, 30), start=1):
        g.widths[j] = w
    return g, refs


def score_formula(method: str, direction: str, x: str, rule: dict[str, str], refs: RuleRefs,
                  band_set: str, lang: str) -> str:
    """The Excel formula of one indicator score over actual cell ``x`` and the indicator's rule cells.

    Each is the published rule as written in docs/SCORING.md, clamped to [0, cap] and rounded half-up
    to 2 decimals like the engine (Excel's ROUND rounds halves away from zero).
    """
    F, T, S, C = rule.get("floor", ""), rule.get("target", ""), rule.get("stretch", ""), rule.get("cap", "")
    U, N = rule.get("per_unit", ""), rule.get("scale", "")

    def scored(body: str) -> str:
        return f'=IF({x}="","",ROUND(MAX(0,MIN({C},{body})),2))'

    if method == "linear":
        if direction == "lower":
            return scored(f"IF({x}>={F},0,IF({x}>{T},100*({F}-{x})/({F}-{T}),IF(OR({S}=\"\",N({S})>=N({T})),100,"
                          f"IF({x}<={S},{C},100+({C}-100)*({T}-{x})/({T}-{S})))))")
        return scored(f"IF({x}<={F},0,IF({x}<{T},100*({x}-{F})/({T}-{F}),IF(OR({S}=\"\",N({S})<=N({T})),100,"
                      f"IF({x}>={S},{C},100+({C}-100)*({x}-{T})/({S}-{T})))))")
    if method == "ratio":
        if direction == "lower":
            return scored(f"IF({x}=0,{C},100*{T}/{x})")
        return scored(f"100*{x}/{T}")
    if method == "bands":
        lowers, uppers, scores = refs.bands[band_set]
        # the band with lower ≤ x < upper (bands never overlap: validation refuses that); in a gap or
        # below every band no band applies, which scores 0. SUMPRODUCT evaluates the conditions as
        # arrays without array entry in Excel, LibreOffice and WPS alike (no LOOKUP(2,1/…) division
        # trick, no IFERROR: see docs/USER_GUIDE.md, WPS): the one band that holds gives its score.
        return scored(f"SUMPRODUCT(({lowers}<={x})*({x}<{uppers})*{scores})")
    if method == "rating":
        return scored(f"100*{x}/IF(N({N})<=0,5,{N})")
    if method == "deduction":
        return f'=IF({x}="","",ROUND(MAX(0,MIN({C},100,100-{U}*{x})),2))'
    if method == "adjust":
        return f'=IF({x}="",0,ROUND(MAX(-{C},MIN({C},IF({U}="",1,{U})*{x})),2))'
    if method == "veto":
        yes, no = pick(lang, "否决", "veto"), pick(lang, "未触发", "not triggered")
        return f'=IF({x}="","",IF({x}>=0.5,"{yes}","{no}"))'
    if method == "team":
        return scored(x)
    raise ValueError(method)


@dataclass
class Subject:
    level: str
    worker_id: str
    name: str
    result: pd.Series
    score_rows: list[int] = field(default_factory=list)  # rows on the score-check sheet


def verify_grids(inputs: Inputs, results_frame: pd.DataFrame, scores: pd.DataFrame, vendor_id: str,
                 period: str, vendor_name: str, lang: str) -> tuple[Grid, Grid, Grid, dict[str, str]]:
    """Rules, score check and results grids for one vendor and period.

    Returns the grids and a map of cells the feedback sheet may link to: ``total`` and ``dim:<d>``.
    """
    L = partial(pick, lang)
    _, check_name, results_name, _ = sheet_names(lang)
    res = results_frame[(results_frame["vendor_id"].astype(str) == vendor_id)
                        & (results_frame["period_id"].astype(str) == period)]
    sc = scores[(scores["vendor_id"].astype(str) == vendor_id) & (scores["period_id"].astype(str) == period)]
    indicator_ids = sorted({text(i) for i in sc["indicator_id"]})
    rules, refs = rules_grid(inputs, indicator_ids, lang)
    ind = inputs["indicators"].set_index(inputs["indicators"]["indicator_id"].astype(str))
    names = dict(zip(inputs["workers"]["worker_id"].astype(str), inputs["workers"]["name"].astype(str)))

    vendor_res = res[res["level"].astype(str) == "vendor"]
    worker_res = res[res["level"].astype(str) == "worker"].sort_values("worker_id", kind="stable")
    subjects = [Subject("vendor", "", vendor_name, r) for _, r in vendor_res.iterrows()]
    subjects += [Subject("worker", text(r["worker_id"]), names.get(text(r["worker_id"]), text(r.get("worker_name"))), r)
                 for _, r in worker_res.iterrows()]
    level_label = {"vendor": L("供应商", "Vendor"), "worker": L("人员", "Worker")}

    dim_cols = [c for c in res.columns if str(c).startswith("dim:")]
    res_cols = ["period_id", "level", "worker_id", "name"] + dim_cols + ["adjust", "vetoed", "total", "published",
                                                                          "grade", "rank", "rank_of", "money",
                                                                          "action", "explanation"]
    rcol = {k: j for j, k in enumerate(res_cols, start=1)}
    first_res_row = 4
    subject_row = {id(s): first_res_row + i for i, s in enumerate(
        [s for s in subjects if s.level == "vendor"] + [s for s in subjects if s.level == "worker"])}
    ordered = [s for s in subjects if s.level == "vendor"] + [s for s in subjects if s.level == "worker"]
    subject_row = {id(s): first_res_row + i for i, s in enumerate(ordered)}

    def rref(s: Subject, key: str) -> str:
        from openpyxl.utils import get_column_letter

        return f"{quote_sheet(results_name)}!${get_column_letter(rcol[key])}${subject_row[id(s)]}"

    check = Grid(check_name, freeze="A4")
    check.put(1, 1, L(f"计分核对：{vendor_name}，{period}", f"Score check: {vendor_name}, {period}"), "title")
    check.put(2, 1, L("“得分”列为公式：由本行实际值与“计分规则”表中该指标的规则计算；“发布得分”为正式结果，可对照。",
                      "The Score column is a formula over this row's actual value and the indicator's row on the "
                      "Rules sheet; Published score is the official result, for comparison."), "note")
    headers = [L("期间", "Period"), L("层级", "Level"), L("人员编号", "Worker ID"), L("姓名", "Name"),
               L("指标编号", "Indicator ID"), L("指标名称", "Indicator"), L("维度", "Dimension"), L("计分方法", "Method"),
               L("实际值", "Actual"), L("得分", "Score"), L("维度内权重", "Weight in dimension"),
               L("发布得分", "Published score"), L("计算说明", "Explanation")]
    for j, h in enumerate(headers, start=1):
        check.put(3, j, h, "header")
    row = 3
    workers_total_refs = [rref(s, "total") for s in ordered if s.level == "worker"]
    # rows per subject, remembering which rows feed which dimension / adjust / veto
    per_subject: dict[int, dict[str, list[int]]] = {}
    wid = sc["worker_id"].astype(str).where(sc["worker_id"].notna(), "").replace({"None": "", "nan": ""})
    by_subject = {key: frame for key, frame in sc.groupby([sc["level"].astype(str), wid], sort=False)}
    for s in ordered:
        mine = by_subject.get((s.level, s.worker_id), sc.iloc[0:0])
        groups: dict[str, list[int]] = {}
        for _, srow in mine.iterrows():
            row += 1
            iid = text(srow["indicator_id"])
            meta = ind.loc[iid] if iid in ind.index else pd.Series(dtype=object)
            method = text(srow.get("method")) or text(meta.get("method"))
            x = f"I{row}"
            actual = num(srow.get("actual"))
            check.put(row, 1, period)
            check.put(row, 2, level_label.get(s.level, s.level))
            check.put(row, 3, s.worker_id)
            check.put(row, 4, s.name)
            check.put(row, 5, iid)
            check.put(row, 6, text(srow.get("indicator_name")) or text(meta.get("name")))
            check.put(row, 7, text(srow.get("dimension")) or text(meta.get("dimension")))
            check.put(row, 8, METHODS.word(method, lang))
            if method == "team" and workers_total_refs:
                check.put(row, 9, f"=AVERAGE({','.join(workers_total_refs)})", "num", cached=actual)
            else:
                check.put(row, 9, actual, "num")
            engine_score = num(srow.get("score"))
            formula = score_formula(method, text(meta.get("direction")) or "higher", x, refs.inds.get(iid, {}),
                                    refs, text(meta.get("band_set")), lang)
            if method == "veto":
                cached: Any = (pick(lang, "否决", "veto") if (actual or 0) >= 0.5 else pick(lang, "未触发", "not triggered")) \
                    if actual is not None else ""
            elif method == "adjust":
                cached = engine_score if engine_score is not None else 0.0
            else:
                cached = engine_score if engine_score is not None else ""
            if actual is None and method not in ("team", "adjust"):
                check.put(row, 10, engine_score, "num")  # missing data: the engine's policy decides, shown as is
            else:
                check.put(row, 10, formula, "num", cached=cached)
            if method not in ("adjust", "veto"):
                check.put(row, 11, f"={refs.inds[iid]['weight']}" if iid in refs.inds else None, "num",
                          cached=num(meta.get("weight")))
            check.put(row, 12, engine_score, "num")
            check.put(row, 13, text(srow.get("explanation")))
            if method == "adjust":
                groups.setdefault("@adjust", []).append(row)
            elif method == "veto":
                groups.setdefault("@veto", []).append(row)
            elif engine_score is not None or inputs.settings.missing_policy == "zero":
                # under "zero" a missing score counts 0 at its full weight (N("") = 0 below)
                groups.setdefault(text(srow.get("dimension")) or text(meta.get("dimension")), []).append(row)
            else:
                groups.setdefault("@missing", []).append(row)  # under "exclude": no total (below)
        per_subject[id(s)] = groups
    for j, w in enumerate((9, 8, 10, 10, 10, 16, 8, 10, 10, 10, 10, 10, 60), start=1):
        check.widths[j] = w

    out = Grid(results_name, freeze="A4")
    out.put(1, 1, L(f"结果：{vendor_name}，{period}", f"Results: {vendor_name}, {period}"), "title")
    out.put(2, 1, L("维度得分、加减分与总分为公式（按已有指标加权平均，限定在 0 至总分上限，四舍五入到 2 位）；"
                    "等级与排名取决于其他供应商，以数值给出。",
                    "Dimension scores, adjust points and totals are formulas (weighted means over the scores present, "
                    "clamped to 0..total cap, rounded half-up to 2 decimals); grades and ranks depend on other vendors "
                    "and are given as values."), "note")
    res_labels = {"period_id": L("期间", "Period"), "level": L("层级", "Level"), "worker_id": L("人员编号", "Worker ID"),
                  "name": L("名称", "Name"), "adjust": L("加减分", "Adjust points"), "vetoed": L("一票否决", "Vetoed"),
                  "total": L("总分", "Total"), "published": L("发布总分", "Published total"), "grade": L("等级", "Grade"),
                  "rank": L("排名", "Rank"), "rank_of": L("排名总数", "Of"), "money": L("奖金/服务费调整", "Bonus / fee adj."),
                  "action": L("处理措施", "Action"), "explanation": L("说明", "Explanation")}
    for key, j in rcol.items():
        out.put(3, j, res_labels.get(key, key.split(":", 1)[-1]), "header")
    links: dict[str, str] = {}
    # a roll-up period (a quarter): each total is the mean of the subject's child-period totals,
    # listed below the subjects so the formula can point at them
    from openpyxl.utils import get_column_letter as _gl

    child_rows: dict[tuple[str, str], list[int]] = {}
    children = child_periods(inputs, period)
    if children:
        crow = first_res_row + len(ordered) + 2
        out.put(crow, 1, L("各子期间总分（季度/年度总分 = 其平均值，四舍五入到 2 位）",
                           "Child-period totals (the roll-up total is their mean, rounded half-up to 2 decimals)"), "note")
        crow += 1
        for key in ("period_id", "level", "worker_id", "name", "total"):
            out.put(crow, rcol[key], res_labels.get(key, key), "header")
        kids = results_frame[(results_frame["vendor_id"].astype(str) == vendor_id)
                             & (results_frame["period_id"].astype(str).isin(children))]
        for s in ordered:
            mine_k = kids[(kids["level"].astype(str) == s.level)
                          & (kids["worker_id"].fillna("").astype(str).replace({"None": ""}) == s.worker_id)]
            for child in children:
                hit = mine_k[mine_k["period_id"].astype(str) == child]
                if not len(hit) or num(hit.iloc[0]["total"]) is None:
                    continue
                crow += 1
                out.put(crow, rcol["period_id"], child)
                out.put(crow, rcol["level"], level_label.get(s.level, s.level))
                out.put(crow, rcol["worker_id"], s.worker_id)
                out.put(crow, rcol["name"], s.name)
                out.put(crow, rcol["total"], num(hit.iloc[0]["total"]), "num")
                child_rows.setdefault((s.level, s.worker_id), []).append(crow)
    yes = pick(lang, "是", "yes")
    no = pick(lang, "否", "no")
    for s in ordered:
        r = subject_row[id(s)]
        groups = per_subject.get(id(s), {})
        res_row = s.result
        out.put(r, rcol["period_id"], period)
        out.put(r, rcol["level"], level_label.get(s.level, s.level))
        out.put(r, rcol["worker_id"], s.worker_id)
        out.put(r, rcol["name"], s.name)
        dim_terms: list[tuple[str, str]] = []
        for dc in dim_cols:
            dim = dc.split(":", 1)[1]
            rows = groups.get(dim)
            wref = refs.dims.get((dim, s.level))
            if not rows or not wref:
                continue
            cj = partial("N({}!J{})".format, quote_sheet(check_name))
            cw = partial("{}!K{}".format, quote_sheet(check_name))
            formula = "=(" + "+".join(f"{cj(rr)}*{cw(rr)}" for rr in rows) + ")/(" + "+".join(cw(rr) for rr in rows) + ")"
            out.put(r, rcol[dc], formula, "num", cached=num(res_row.get(dc)))
            from openpyxl.utils import get_column_letter

            dim_terms.append((f"{get_column_letter(rcol[dc])}{r}", wref))
            if s.level == "vendor":
                links[dc] = f"{quote_sheet(results_name)}!${get_column_letter(rcol[dc])}${r}"
        adj_rows = groups.get("@adjust", [])
        adj_cached = 0.0
        for rr in adj_rows:
            c = check.cells.get((rr, 10))
            adj_cached += float(c.cached) if c and isinstance(c.cached, float) else 0.0
        from openpyxl.utils import get_column_letter as gl

        adj_cell = f"{gl(rcol['adjust'])}{r}"
        out.put(r, rcol["adjust"], ("=" + "+".join(f"{quote_sheet(check_name)}!J{rr}" for rr in adj_rows)) if adj_rows else 0.0,
                "num", cached=adj_cached)
        veto_rows = groups.get("@veto", [])
        vetoed = bool(num(res_row.get("vetoed"))) if num(res_row.get("vetoed")) is not None else bool(res_row.get("vetoed"))
        veto_cell = f"{gl(rcol['vetoed'])}{r}"
        if veto_rows:
            cond = ",".join(f"N({quote_sheet(check_name)}!I{rr})>=0.5" for rr in veto_rows)
            out.put(r, rcol["vetoed"], f'=IF(OR({cond}),"{yes}","{no}")', cached=yes if vetoed else no)
        else:
            out.put(r, rcol["vetoed"], yes if vetoed else no)
        total = num(res_row.get("total"))
        if dim_terms:
            weighted = "(" + "+".join(f"{c}*{w}" for c, w in dim_terms) + ")/(" + "+".join(w for _, w in dim_terms) + ")"
            if inputs.settings.missing_policy == "exclude" and groups.get("@missing"):
                # a score is missing and the policy says no total: blank unless vetoed, as in the engine
                # (and a blank is left out of the team average of the vendor's row)
                formula = f'=IF({veto_cell}="{yes}",{refs.veto_score},"")'
            else:
                formula = (f'=IF({veto_cell}="{yes}",{refs.veto_score},ROUND(MAX(0,MIN({refs.total_cap},'
                           f"{weighted}+{adj_cell})),2))")
            out.put(r, rcol["total"], formula, "num", cached=total if total is not None else "")
        elif (s.level, s.worker_id) in child_rows:
            cells = ",".join(f"{_gl(rcol['total'])}{cr}" for cr in child_rows[(s.level, s.worker_id)])
            out.put(r, rcol["total"], f"=ROUND(AVERAGE({cells}),2)", "num", cached=total)
        else:
            out.put(r, rcol["total"], total, "num")
        if s.level == "vendor":
            links["total"] = f"{quote_sheet(results_name)}!${gl(rcol['total'])}${r}"
        out.put(r, rcol["published"], total, "num")
        out.put(r, rcol["grade"], text(res_row.get("grade")))
        out.put(r, rcol["rank"], num(res_row.get("rank")), "int")
        out.put(r, rcol["rank_of"], num(res_row.get("rank_of")), "int")
        money = num(res_row.get("fee_adjust")) if s.level == "vendor" else num(res_row.get("bonus"))
        out.put(r, rcol["money"], money, "num")
        out.put(r, rcol["action"], text(res_row.get("action")))
        out.put(r, rcol["explanation"], text(res_row.get("explanation")))
    for key, j in rcol.items():
        out.widths[j] = {"explanation": 60, "name": 18, "money": 14}.get(key, 10)
    return rules, check, out, links


def goals_grid(goals: pd.DataFrame, vendor_id: str, lang: str) -> Grid:
    L = partial(pick, lang)
    g = Grid(sheet_names(lang)[3], freeze="A3")
    g.put(1, 1, L("SMART 目标", "SMART goals"), "title")
    cols = (("goal_id", L("目标编号", "Goal ID"), "text"), ("worker_id", L("人员编号", "Worker ID"), "text"),
            ("indicator_id", L("指标编号", "Indicator ID"), "text"), ("description", L("目标描述", "Description"), "text"),
            ("baseline", L("基线值", "Baseline"), "num"), ("target", L("目标值", "Target"), "num"),
            ("current", L("当前值", "Current"), "num"), ("progress", L("进度", "Progress"), "pct"),
            ("expected", L("应达进度", "Expected"), "pct"), ("status", L("状态", "Status"), "text"),
            ("deadline", L("截止日期", "Deadline"), "text"))
    for j, (_, label, _) in enumerate(cols, start=1):
        g.put(2, j, label, "header")
    mine = goals[goals["vendor_id"].astype(str) == vendor_id] if len(goals) else goals
    for i, (_, row) in enumerate(mine.iterrows(), start=3):
        for j, (key, _, style) in enumerate(cols, start=1):
            v = row.get(key)
            shown = GOAL_OUTCOMES.word(text(v), lang) if key == "status" else text(v)
            g.put(i, j, num(v) if style in ("num", "pct") else shown, style)
    for j, w in enumerate((10, 10, 10, 36, 10, 10, 10, 9, 9, 12, 12), start=1):
        g.widths[j] = w
    return g
