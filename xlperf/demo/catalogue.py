"""The demo's scoring system: five dimensions at both levels and an indicator catalogue covering every
scoring method. Sizes take the first N indicators of the catalogue; weights are re-balanced so they
total exactly 100 per dimension, as the validator requires.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import Text

T = Text
_BLANK = Text("", "")  # Text is frozen, so one shared blank default is safe

# (key, zh, en): the five dimensions of the method (工作量、效率、质量、团队协作、创新).
DIMENSIONS: tuple[tuple[str, Text], ...] = (
    ("workload", T("工作量", "Workload")),
    ("efficiency", T("效率", "Efficiency")),
    ("quality", T("质量", "Quality")),
    ("teamwork", T("团队协作", "Teamwork")),
    ("innovation", T("创新", "Innovation")),
)
DIMENSION_WEIGHTS: dict[str, dict[str, float]] = {
    "worker": {"workload": 25, "efficiency": 25, "quality": 30, "teamwork": 10, "innovation": 10},
    "vendor": {"workload": 15, "efficiency": 25, "quality": 35, "teamwork": 15, "innovation": 10},
}


@dataclass(frozen=True)
class Spec:
    """One indicator and how the generator draws its values."""

    id: str
    name: Text
    dim: str
    level: str
    method: str
    weight: float = 0.0  # relative weight within the dimension (re-balanced to 100)
    direction: str | None = None
    floor: float | None = None
    target: float | None = None
    stretch: float | None = None
    cap: float | None = None
    per_unit: float | None = None
    band_set: str | None = None
    scale: float | None = None
    aggregation: str | None = None
    unit: Text | None = None
    source: str = "report"
    standard: Text = _BLANK
    tip: Text = _BLANK
    warn_below: float | None = None
    # generator: "dense" (k records per subject and period), "count" (one record per subject and period
    # holding a Poisson count, often 0), "events" (one record per event; none when nothing happened),
    # "veto", "ratings", "none"
    kind: str = "dense"
    centre: float = 0.0  # period value of an average subject
    spread: float = 0.0  # change per unit of performance (signed: + means good subjects are higher)
    lo: float = 0.0
    hi: float = 1e9
    rate: float = 0.0  # events per subject and period (events), scaled by performance
    decimals: int = 1
    extra: dict[str, object] = field(default_factory=dict)


CATALOGUE: tuple[Spec, ...] = (
    Spec("W01", T("工单完成量", "Tickets closed"), "workload", "worker", "linear", 100, "higher", 60, 100, 130, 120,
         aggregation="sum", unit=T("单", "tickets"), source="online",
         standard=T("60 单得 0 分，100 单得 100 分，130 单及以上得 120 分", "60 scores 0, 100 scores 100, 130+ scores 120"),
         tip=T("合理安排工单优先级，减少等待", "Plan ticket priorities; cut waiting time"),
         centre=92, spread=5, lo=20, hi=180, decimals=0),
    Spec("W02", T("平均处理时长", "Average handling time"), "efficiency", "worker", "linear", 100, "lower", 48, 24, 12, 110,
         aggregation="mean", unit=T("小时", "hours"), source="online",
         standard=T("48 小时得 0 分，24 小时得 100 分，12 小时得 110 分", "48 h scores 0, 24 h scores 100, 12 h scores 110"),
         tip=T("使用知识库标准答复，缩短处理时间", "Use knowledge-base answers to resolve faster"),
         centre=28.5, spread=-2.5, lo=4, hi=72),
    Spec("W03", T("一次通过率", "First-pass rate"), "quality", "worker", "bands", 60, band_set="PASS", aggregation="mean",
         unit=T("%", "%"), source="onsite",
         standard=T("<85% 得 50 分；85–92% 得 75 分；92–97% 得 90 分；≥97% 得 100 分",
                    "<85% scores 50; 85–92% 75; 92–97% 90; ≥97% 100"),
         tip=T("交付前按检查清单自检", "Self-check against the checklist before hand-over"),
         centre=91.5, spread=2.5, lo=60, hi=100),
    Spec("W04", T("客户投诉", "Customer complaints"), "quality", "worker", "deduction", 40, per_unit=10, aggregation="sum",
         unit=T("次", "count"), source="report", standard=T("每次有效投诉扣 10 分", "10 points off per valid complaint"),
         tip=T("复盘投诉原因，跟进回访", "Review each complaint and follow up with the customer"),
         kind="count", rate=0.6, decimals=0),
    Spec("W05", T("团队协作评价", "Teamwork rating"), "teamwork", "worker", "rating", 100, scale=5, source="rating",
         standard=T("主管、用工部门、同事按 1–5 分评价，加权平均", "Supervisor, user department and peers rate 1–5, weighted"),
         tip=T("主动分享经验，及时响应同事请求", "Share know-how; answer colleagues promptly"), kind="ratings"),
    Spec("W06", T("改进建议", "Improvement suggestions"), "innovation", "worker", "ratio", 100, "higher", target=4, cap=120,
         aggregation="sum", unit=T("条", "items"), source="report",
         standard=T("每月 4 条得 100 分，按比例计分，最高 120 分", "4 a month scores 100, pro rata, up to 120"),
         tip=T("记录日常工作中的改进点", "Note improvement ideas from daily work"), centre=3.3, spread=0.8, lo=0, hi=10, decimals=0),
    Spec("W07", T("创新加分", "Innovation bonus"), "innovation", "worker", "adjust", per_unit=2, cap=6, aggregation="sum",
         unit=T("项", "awards"), source="report", standard=T("每项被采纳的创新加 2 分，最多加 6 分",
                                                           "2 points per adopted innovation, at most 6"),
         kind="events", rate=0.06, decimals=0),
    Spec("W08", T("安全事故", "Safety incident"), "quality", "worker", "veto", source="onsite",
         standard=T("发生安全责任事故即一票否决", "Any safety incident vetoes the total"), kind="veto"),
    Spec("V01", T("岗位到岗率", "Staffing rate"), "workload", "vendor", "ratio", 100, "higher", target=98, cap=100,
         aggregation="mean", unit=T("%", "%"), source="report",
         standard=T("到岗率/98%×100，最高 100 分", "Staffing rate / 98% × 100, at most 100"),
         tip=T("提前储备替补人员", "Keep stand-by staff ready"), centre=96.5, spread=1.5, lo=70, hi=100),
    Spec("V02", T("响应及时率", "On-time response"), "efficiency", "vendor", "linear", 100, "higher", 85, 95, 99, 110,
         aggregation="mean", unit=T("%", "%"), source="online",
         standard=T("85% 得 0 分，95% 得 100 分，99% 得 110 分", "85% scores 0, 95% 100, 99% 110"),
         tip=T("设置值班制度，保证需求及时响应", "Run an on-call rota so requests are answered in time"),
         centre=93.2, spread=1.8, lo=75, hi=100),
    Spec("V03", T("人员整体绩效", "Workforce performance"), "quality", "vendor", "team", 100,
         standard=T("本供应商全部外包人员本期总分的平均值", "Mean total of the vendor's workers this period"),
         tip=T("关注低分人员，开展针对性培训", "Coach the lowest-scoring workers"), kind="none"),
    Spec("V04", T("合作满意度", "Cooperation satisfaction"), "teamwork", "vendor", "rating", 100, scale=5, source="rating",
         standard=T("主管与用工部门按 1–5 分评价", "Supervisors and user departments rate 1–5"),
         tip=T("定期沟通，及时反馈问题处理进度", "Meet regularly; report progress on open issues"), kind="ratings"),
    Spec("V05", T("创新项目", "Innovation projects"), "innovation", "vendor", "bands", 100, band_set="INNOV",
         aggregation="sum", unit=T("项", "projects"), source="report",
         standard=T("0 项 60 分；1–2 项 85 分；3 项及以上 100 分", "0 scores 60; 1–2 score 85; 3+ score 100"),
         tip=T("鼓励提出流程优化项目", "Propose process improvement projects"), kind="count", rate=1.0, decimals=0),
    # S and M use the first 15, L the first 20.
    Spec("W09", T("出勤率", "Attendance"), "workload", "worker", "ratio", 60, "higher", target=100, cap=100,
         aggregation="mean", unit=T("%", "%"), source="report", standard=T("出勤率×100", "Attendance × 100"),
         tip=T("提前请假，减少缺勤", "Request leave early; avoid absences"), centre=96, spread=1.5, lo=70, hi=100),
    Spec("W10", T("返工次数", "Rework"), "quality", "worker", "deduction", 30, per_unit=5, aggregation="sum",
         unit=T("次", "count"), source="onsite", standard=T("每次返工扣 5 分", "5 points off per rework"),
         tip=T("明确需求后再动手", "Clarify requirements before starting"), kind="count", rate=0.6, decimals=0),
    Spec("W11", T("培训完成率", "Training completion"), "teamwork", "worker", "linear", 40, "higher", 60, 90, 100, 110,
         aggregation="last", unit=T("%", "%"), source="online", standard=T("60% 得 0 分，90% 得 100 分", "60% scores 0, 90% 100"),
         tip=T("按计划完成必修课程", "Finish the required courses on schedule"), centre=85, spread=4, lo=20, hi=100),
    Spec("W12", T("知识库贡献", "Knowledge articles"), "innovation", "worker", "ratio", 40, "higher", target=2, cap=120,
         aggregation="sum", unit=T("篇", "articles"), source="online", standard=T("每月 2 篇得 100 分", "2 a month score 100"),
         tip=T("把常见问题整理成文章", "Turn frequent questions into articles"), centre=1.7, spread=0.5, lo=0, hi=6, decimals=0),
    Spec("W13", T("首次响应时长", "First response time"), "efficiency", "worker", "linear", 50, "lower", 30, 10, 5, 110,
         aggregation="mean", unit=T("分钟", "minutes"), source="online",
         standard=T("30 分钟得 0 分，10 分钟得 100 分，5 分钟得 110 分", "30 min scores 0, 10 min 100, 5 min 110"),
         tip=T("开启消息提醒，及时接单", "Turn on alerts and pick up requests quickly"), centre=14, spread=-2, lo=1, hi=45),
    Spec("V06", T("人员流失率", "Attrition"), "teamwork", "vendor", "linear", 50, "lower", 15, 5, 2, 110,
         aggregation="last", unit=T("%", "%"), source="report", standard=T("15% 得 0 分，5% 得 100 分，2% 得 110 分",
                                                                         "15% scores 0, 5% 100, 2% 110"),
         tip=T("关注员工关怀与职业发展", "Invest in staff care and careers"), centre=7, spread=-2, lo=0, hi=30),
    Spec("V07", T("现场检查得分", "On-site inspection"), "quality", "vendor", "linear", 40, "higher", 60, 90, 100, 110,
         aggregation="mean", unit=T("分", "points"), source="onsite",
         standard=T("60 分得 0 分，90 分得 100 分，100 分得 110 分", "60 scores 0, 90 scores 100, 100 scores 110"),
         tip=T("对照检查表逐项整改", "Fix each item of the inspection checklist"), centre=84, spread=5, lo=40, hi=100),
)

BANDS: dict[str, tuple[tuple[float | None, float | None, float], ...]] = {
    "PASS": ((0, 85, 50), (85, 92, 75), (92, 97, 90), (97, None, 100)),
    "INNOV": ((0, 1, 60), (1, 3, 85), (3, None, 100)),
}

# Rater roles: the contract's two default roles for every rating indicator, and three roles for W05.
ROLE_SUPERVISOR = T("主管", "Supervisor")
ROLE_DEPARTMENT = T("用工部门", "User department")
ROLE_PEER = T("同事", "Peer")
W05_RATER_WEIGHTS = ((ROLE_SUPERVISOR, 50.0), (ROLE_DEPARTMENT, 30.0), (ROLE_PEER, 20.0))


def pick_indicators(n: int) -> tuple[Spec, ...]:
    return CATALOGUE[:n]


def balanced_weights(specs: tuple[Spec, ...]) -> dict[str, float]:
    """Indicator weights re-balanced to total exactly 100 (2 decimals) per level and dimension."""
    out: dict[str, float] = {}
    groups: dict[tuple[str, str], list[Spec]] = {}
    for s in specs:
        if s.method not in ("adjust", "veto"):
            groups.setdefault((s.level, s.dim), []).append(s)
    for members in groups.values():
        total = sum(s.weight for s in members)
        shares = [round(100 * s.weight / total, 2) for s in members]
        shares[-1] = round(100 - sum(shares[:-1]), 2)
        out.update({s.id: w for s, w in zip(members, shares)})
    return out
