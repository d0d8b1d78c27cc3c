"""The review jobs both doors run: scenario simulation (方案模拟) and indicator health (指标体系评估).

Like ``jobs``: read → validate → compute → blocks → write, on any ``BookEngine``. Neither job writes
the results, scores or warnings sheets: simulation writes only 模拟结果, the analysis only its own
three sheets, so the real results are byte-identical before and after.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pandas as pd

from .book import BookEngine, OutputBlock, RawBook, book_lang
from .contract import TABLES_BY_NAME
from .contract import outputs as out
from .contract.choices import LEVELS
from .errors import UsageError, ValidationFailed
from .findings import Report
from .i18n import pick
from .inputs import Inputs
from .jobs import choose_periods, validate_raw


@dataclass
class ReviewSummary:
    kind: str  # "simulate" | "analyze"
    periods: list[str]
    lang: str
    duration_s: float
    scenarios: list[str] = field(default_factory=list)
    rows: int = 0
    moved: dict[str, tuple[int, int]] = field(default_factory=dict)  # scenario → (up, down)
    flagged: int = 0
    frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    def text(self, lang: str | None = None) -> str:
        lang = lang or self.lang
        if self.kind == "simulate":
            moves = ("；" if lang == "zh" else "; ").join(
                pick(lang, f"{s}：{u} 个升级、{d} 个降级", f"{s}: {u} up, {d} down") for s, (u, d) in self.moved.items())
            return pick(lang, f"已模拟 {len(self.scenarios)} 个方案（期间 {'、'.join(self.periods)}）：{moves}。"
                              f"结果在“模拟结果”表，真实结果未改变。用时 {self.duration_s:.1f} 秒。",
                        f"Simulated {len(self.scenarios)} scenario(s) (periods {', '.join(self.periods)}): {moves}. "
                        f"See the Simulation sheet; the real results did not change. Took {self.duration_s:.1f} s.")
        return pick(lang, f"指标体系评估完成（期间 {'、'.join(self.periods)}）：{self.flagged} 条需要关注。"
                          f"见“指标体系评估”“评分人分析”“供应商趋势”表。用时 {self.duration_s:.1f} 秒。",
                    f"Indicator review done (periods {', '.join(self.periods)}): {self.flagged} item(s) need attention. "
                    f"See the Indicator health, Rater analysis and Vendor trends sheets. Took {self.duration_s:.1f} s.")


def _inputs(engine: BookEngine, lang: str | None) -> tuple[RawBook, Inputs, Report, str]:
    raw = engine.read_tables(list(TABLES_BY_NAME))
    lang = book_lang(raw, lang)
    inputs, report = validate_raw(raw, lang)
    if inputs is None:
        raise ValidationFailed(report)
    return raw, inputs, report, lang


def _periods(inputs: Inputs, period: str | None, lang: str) -> list[str]:
    # simulation and review read closed periods too: they change nothing
    chosen, _kept = choose_periods(inputs, period=period, all_periods=False, force=True, lang=lang)
    return chosen


# ── simulation ────────────────────────────────────────────────────────────────────────────────────

def run_simulate(engine: BookEngine, *, scenario: str | None = None, period: str | None = None,
                 lang: str | None = None) -> ReviewSummary:
    """Simulate one scenario (all of them when None) for ``period`` and write the 模拟结果 sheet."""
    from .engine.grades import grade_names
    from .engine.scenarios import scenario_names, simulate

    started = time.perf_counter()
    _raw, inputs, report, lang = _inputs(engine, lang)
    names = scenario_names(inputs)
    if not names:
        raise UsageError("“模拟方案”表中没有方案：请先填写要模拟的调整。",
                         "The Scenarios table holds no scenario: add the changes to simulate first.")
    if scenario is not None:
        if scenario not in names:
            raise UsageError(f"没有名为 {scenario} 的方案。可用方案：{'、'.join(names)}",
                             f"There is no scenario {scenario}. Scenarios: {', '.join(names)}")
        names = [scenario]
    _refuse_broken(inputs, report, names, lang)
    periods = _periods(inputs, period, lang)
    sim = simulate(inputs, names, periods)
    grades = grade_names(inputs.tables["grades"])
    summary = sim.summary(grades)
    block = simulation_block(sim.table, summary, grades, lang)
    engine.write([block])
    moved = {}
    every = summary[summary["vendor_id"] == ""]
    for name in names:
        rows = every[every["scenario"] == name]
        moved[name] = (int(rows["up"].sum()), int(rows["down"].sum()))
    return ReviewSummary("simulate", periods, lang, time.perf_counter() - started, scenarios=names,
                         rows=len(sim.table), moved=moved, frames={"simulation": sim.table, "summary": summary})


def _refuse_broken(inputs: Inputs, report: Report, names: list[str], lang: str) -> None:
    """A scenario with a finding (unknown key, bad field, weights not totalling 100) is not simulated."""
    sc = inputs.tables["scenarios"]
    row_of = dict(zip(sc["_row"].astype(int), sc["scenario"].astype(str)))
    bad = [f for f in report.findings if f.code.startswith("scenario-")
           and row_of.get(int("".join(ch for ch in f.cell if ch.isdigit()) or 0)) in names]
    if bad:
        lines = "\n".join(f"{f.sheet}!{f.cell}: {f.message}" for f in bad[:20])
        raise UsageError(f"以下方案有问题，未模拟：\n{lines}", f"These scenarios have problems and were not simulated:\n{lines}")


SUMMARY_HEAD = (("scenario", "方案", "Scenario"), ("period_id", "期间", "Period"), ("level", "层级", "Level"),
                ("vendor_id", "供应商", "Vendor"), ("subjects", "对象数", "Subjects"), ("up", "升级", "Up"),
                ("down", "降级", "Down"), ("before", "现行等级分布", "Grades now"),
                ("after", "模拟等级分布", "Grades simulated"), ("bonus", "奖金合计", "Bonus total"),
                ("sim_bonus", "模拟奖金合计", "Simulated bonus"), ("bonus_change", "奖金变化", "Bonus change"),
                ("fee_adjust", "服务费调整合计", "Fee adjustment total"),
                ("sim_fee_adjust", "模拟服务费调整", "Simulated fee adjustment"), ("fee_change", "服务费变化", "Fee change"))


def simulation_block(table: pd.DataFrame, summary: pd.DataFrame, grades: list[str], lang: str) -> OutputBlock:
    """The 模拟结果 sheet: the per-scenario summary (all vendors, then each vendor) and a chart of the
    grade distribution now and under each scenario, above the ``xp_simulation`` table."""
    from .reports import charts

    head = [h[1] if lang == "zh" else h[2] for h in SUMMARY_HEAD]
    above: list[list[object]] = [[pick(lang, "方案模拟汇总（不改变真实结果）", "Scenario summary (the real results do not change)")],
                                 list(head)]
    for r in summary.to_dict("records"):
        dist = {w: " / ".join(f"{g} {int(r[f'{w}:{g}'])}" for g in grades) for w in ("before", "after")}
        above.append([r["scenario"], r["period_id"], LEVELS.word(r["level"], lang),
                      r["vendor_id"] or pick(lang, "全部", "all"), int(r["subjects"]), int(r["up"]), int(r["down"]),
                      dist["before"], dist["after"], _money(r["bonus"]), _money(r["sim_bonus"]), _money(r["bonus_change"]),
                      _money(r["fee_adjust"]), _money(r["sim_fee_adjust"]), _money(r["fee_change"])])
    frame = table
    chart_parts = []
    every = summary[(summary["vendor_id"] == "") & (summary["level"] == "worker")]
    if every.empty:
        every = summary[summary["vendor_id"] == ""]
    if len(every) and grades:
        first = every.groupby("scenario", sort=False).sum(numeric_only=True)
        series = [charts.Series(pick(lang, "现行", "Now"), [float(first.iloc[0][f"before:{g}"]) for g in grades],
                                color="7F7F7F")]
        colors = ("2F5597", "C55A11", "548235", "BF9000", "7030A0")
        for i, (name, row) in enumerate(first.iterrows()):
            series.append(charts.Series(str(name), [float(row[f"after:{g}"]) for g in grades], color=colors[i % 5]))
        spec = charts.ChartSpec(pick(lang, "等级分布：现行与模拟", "Grades: now and simulated"), list(grades), series)
        width = len(head)
        chart_parts.append((charts.chart_xml(spec), (1, width + 2, 16, width + 9)))
    return OutputBlock(out.simulation, frame, lang, above=above, charts=chart_parts)


def _money(x: object) -> object:
    number = pd.to_numeric(pd.Series([x]), errors="coerce").iloc[0]
    return None if pd.isna(number) else round(float(number), 2)


# ── indicator and rater health ────────────────────────────────────────────────────────────────────

def run_analyze(engine: BookEngine, *, period: str | None = None, lang: str | None = None) -> ReviewSummary:
    """Compute, then write the indicator health, rater analysis and vendor trend sheets."""
    from .engine import compute
    from .engine.health import indicator_health, rater_analysis, vendor_trends

    started = time.perf_counter()
    _raw, inputs, _report, lang = _inputs(engine, lang)
    periods = _periods(inputs, period, lang)
    every = _periods(inputs, None, lang) if period else periods
    results = compute(inputs, sorted(set(periods) | set(every)), explain=False)
    res, scores = results.results, results.scores
    leaf = set(periods)
    health = indicator_health(scores[scores["period_id"].isin(leaf)], res[res["period_id"].isin(leaf)],
                              inputs.tables["indicators"], lang)
    ratings = inputs.tables["ratings"]
    raters = rater_analysis(ratings[ratings["period_id"].isin(leaf)], lang)
    order = [p for p in results.periods if p in set(every)]
    trends = vendor_trends(res, order, lang)
    blocks = analysis_blocks(health, raters, trends, lang)
    engine.write(blocks)
    flagged = int((health["flags"] != "").sum() + (raters["flags"] != "").sum())
    return ReviewSummary("analyze", periods, lang, time.perf_counter() - started, flagged=flagged,
                         frames={"indicator_health": health, "rater_analysis": raters, "vendor_trends": trends})


def analysis_blocks(health: pd.DataFrame, raters: pd.DataFrame, trends: pd.DataFrame, lang: str) -> list[OutputBlock]:
    """Three sheets: indicator health (with its recommendations above and a chart), rater analysis
    (with a chart of each rater's gap to the others), vendor trends (with a chart of the slopes)."""
    from .reports import charts

    blocks = []
    advice = [a for a in health["advice"].tolist() if a]
    above: list[list[object]] = [[pick(lang, "指标体系评估：建议", "Indicator review: recommendations")]]
    above += [[a] for a in advice[:30]] or [[pick(lang, "未发现需要调整的指标。", "No indicator needs attention.")]]
    ch = []
    if len(health):
        last = health[health["period_id"] == health["period_id"].iloc[-1]]
        spec = charts.ChartSpec(pick(lang, "满分占比与缺失占比（%）", "Full-marks and missing shares (%)"),
                                last["indicator_id"].astype(str).tolist(),
                                [charts.Series(pick(lang, "满分占比", "Full marks"),
                                               [_pct_or_none(v) for v in last["full_share"]]),
                                 charts.Series(pick(lang, "缺失占比", "Missing"),
                                               [_pct_or_none(v) for v in last["missing_share"]], color="C55A11")],
                                y_max=100.0)
        ch.append((charts.chart_xml(spec), (1, 12, 18, 20)))
    blocks.append(OutputBlock(out.indicator_health, health.drop(columns="advice"), lang, above=above, charts=ch))
    r_above: list[list[object]] = [[pick(lang, "评分人分析：建议", "Rater analysis: recommendations")]]
    r_above += [[a] for a in raters["advice"].tolist() if a][:30] or \
        [[pick(lang, "未发现评分偏差。", "No rater stands out.")]]
    r_ch = []
    if len(raters):
        spec = charts.ChartSpec(pick(lang, "评分人与他人平均之差", "Rater minus the others' mean"),
                                raters["rater"].astype(str).tolist()[:40],
                                [charts.Series(pick(lang, "差值", "Difference"),
                                               [None if pd.isna(v) else float(v) for v in raters["diff"]][:40])],
                                y_min=None)
        r_ch.append((charts.chart_xml(spec), (1, 11, 18, 19)))
    blocks.append(OutputBlock(out.rater_analysis, raters.drop(columns="advice"), lang, above=r_above, charts=r_ch))
    t_ch = []
    if len(trends):
        spec = charts.ChartSpec(pick(lang, "供应商每期总分变化", "Vendor total change per period"),
                                trends["vendor_id"].astype(str).tolist()[:40],
                                [charts.Series(pick(lang, "每期变化", "Per period"),
                                               [None if pd.isna(v) else float(v) for v in trends["slope"]][:40])],
                                y_min=None)
        t_ch.append((charts.chart_xml(spec), (1, 10, 18, 18)))
    t_above: list[list[object]] = [[pick(lang, "供应商趋势（斜率：每期总分变化；波动：各期总分标准差）",
                                         "Vendor trends (slope: change per period; volatility: std of the totals)")]]
    blocks.append(OutputBlock(out.vendor_trends, trends, lang, above=t_above, charts=t_ch))
    return blocks


def _pct_or_none(v: object) -> float | None:
    number = pd.to_numeric(pd.Series([v]), errors="coerce").iloc[0]
    return None if pd.isna(number) else round(float(number) * 100, 1)
