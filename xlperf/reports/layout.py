"""The default feedback prototype: what the template's ``反馈表模板`` sheet holds when first built.

HR may restyle, move or relabel anything on that sheet in Excel; xlperf only looks for the
placeholders. Three kinds exist:

- ``{{name}}``: a single value (a cell holding only the placeholder keeps its number type);
- ``{{list.field}}``: a *marker row*; the row is repeated once per item of ``list``;
- ``{{chart}}``: the top-left cell of the dimension chart (a merged range sets the chart's size);
- ``{{interview.field}}``: an interview-record cell HR types into; regenerating keeps its text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from ..i18n import pick

PROTOTYPE_ZH = "反馈表模板"
PROTOTYPE_EN = "Feedback template"
FEEDBACK_PREFIX_ZH = "反馈_"
FEEDBACK_PREFIX_EN = "FB_"
SUMMARY_ZH = "绩效汇总"
SUMMARY_EN = "Summary"

SCALARS = (
    "org_name", "vendor_id", "vendor_name", "contract_no", "service", "period", "total", "grade",
    "rank", "rank_of", "rank_text", "change", "completeness", "fee_adjust", "fee_adjust_pct", "action",
    "explanation", "vetoed", "generated",
)
LISTS: dict[str, tuple[str, ...]] = {
    "dimensions": ("dimension", "weight", "score"),
    "indicators": ("indicator_id", "indicator_name", "dimension", "method", "actual", "target", "score",
                   "weight", "explanation"),
    "strengths": ("indicator_name", "score", "explanation"),
    "improvements": ("indicator_name", "score", "tip"),
    "warnings": ("severity", "rule", "subject", "message"),
    "goals": ("goal_id", "description", "indicator", "baseline", "target", "current", "progress",
              "expected", "status", "deadline"),
    "workers": ("worker_id", "worker_name", "total", "grade", "rank", "bonus", "action"),
}
INTERVIEW_FIELDS = ("date", "attendees", "actions", "response", "signoff")


def prototype_name(lang: str) -> str:
    return pick(lang, PROTOTYPE_ZH, PROTOTYPE_EN)


def feedback_sheet_name(vendor_id: str, period: str, lang: str) -> str:
    """Excel allows 31 characters and forbids []:*?/\\ in sheet names."""
    raw = f"{pick(lang, FEEDBACK_PREFIX_ZH, FEEDBACK_PREFIX_EN)}{vendor_id}_{period}"
    for ch in "[]:*?/\\":
        raw = raw.replace(ch, "-")
    return raw[:31]


def summary_sheet_name(lang: str) -> str:
    return pick(lang, SUMMARY_ZH, SUMMARY_EN)


def is_owned_sheet(name: str) -> bool:
    """Sheets xlperf writes from the prototype (replaced whole on every run)."""
    return name.startswith((FEEDBACK_PREFIX_ZH, FEEDBACK_PREFIX_EN)) or name in (SUMMARY_ZH, SUMMARY_EN)


# Style roles: the default prototype's look, and what the summary sheet borrows from the prototype.
TITLE, LABEL, VALUE, NUMBER, SECTION, HEADER, ROW, ROWNUM, NOTE, INPUT, ROWPCT = (
    "title", "label", "value", "number", "section", "header", "row", "rownum", "note", "input", "rowpct")


@dataclass(frozen=True)
class ProtoCell:
    col: int  # 1-based
    text: str
    role: str
    span: int = 1  # columns merged to the right


Row = tuple[ProtoCell, ...]


def _c(col: int, text: str, role: str, span: int = 1) -> ProtoCell:
    return ProtoCell(col, text, role, span)


def _header(lang: str, labels: list[tuple[str, str, int]]) -> Row:
    out: list[ProtoCell] = []
    col = 1
    for zh, en, span in labels:
        out.append(_c(col, pick(lang, zh, en), HEADER, span))
        col += span
    return tuple(out)


def _marker(fields: list[tuple[str, str, int]]) -> Row:
    out: list[ProtoCell] = []
    col = 1
    for key, role, span in fields:
        out.append(_c(col, "{{" + key + "}}", role, span))
        col += span
    return tuple(out)


def default_rows(lang: str) -> list[Row]:
    """The default prototype, row by row (column widths in COLUMN_WIDTHS)."""
    L = partial(pick, lang)
    rows: list[Row] = [
        (_c(1, "{{org_name}} " + L("外包供应商绩效反馈表", "Vendor performance feedback"), TITLE, 8),),
        (_c(1, L("供应商", "Vendor"), LABEL), _c(2, "{{vendor_name}}（{{vendor_id}}）", VALUE, 3),
         _c(5, L("合同编号", "Contract no."), LABEL), _c(6, "{{contract_no}}", VALUE),
         _c(7, L("期间", "Period"), LABEL), _c(8, "{{period}}", VALUE)),
        (_c(1, L("总分", "Total"), LABEL), _c(2, "{{total}}", NUMBER), _c(3, L("等级", "Grade"), LABEL),
         _c(4, "{{grade}}", VALUE), _c(5, L("排名", "Rank"), LABEL), _c(6, "{{rank_text}}", VALUE),
         _c(7, L("较上期", "Change"), LABEL), _c(8, "{{change}}", VALUE)),
        (_c(1, L("总分说明", "How the total was made"), LABEL), _c(2, "{{explanation}}", NOTE, 7)),
        (),
        (_c(1, L("一、维度得分", "1. Dimension scores"), SECTION, 8),),
        _header(lang, [("维度", "Dimension", 1), ("权重", "Weight", 1), ("得分", "Score", 1)])
        + (_c(5, "{{chart}}", NOTE, 4),),
        _marker([("dimensions.dimension", ROW, 1), ("dimensions.weight", ROWNUM, 1),
                 ("dimensions.score", ROWNUM, 1)]),
        (), (), (), (), (), (), (), (), (), (), (), (),
        (_c(1, L("二、指标明细", "2. Indicators"), SECTION, 8),),
        _header(lang, [("指标", "Indicator", 1), ("维度", "Dimension", 1), ("实际值", "Actual", 1),
                       ("目标值", "Target", 1), ("得分", "Score", 1), ("权重", "Weight", 1),
                       ("计算说明", "Explanation", 2)]),
        _marker([("indicators.indicator_name", ROW, 1), ("indicators.dimension", ROW, 1),
                 ("indicators.actual", ROWNUM, 1), ("indicators.target", ROWNUM, 1),
                 ("indicators.score", ROWNUM, 1), ("indicators.weight", ROWNUM, 1),
                 ("indicators.explanation", ROW, 2)]),
        (),
        (_c(1, L("三、优势", "3. Strengths"), SECTION, 8),),
        _marker([("strengths.indicator_name", ROW, 1), ("strengths.score", ROWNUM, 1),
                 ("strengths.explanation", ROW, 6)]),
        (),
        (_c(1, L("四、待改进", "4. Areas to improve"), SECTION, 8),),
        _header(lang, [("指标", "Indicator", 1), ("得分", "Score", 1), ("改进建议", "Improvement tip", 6)]),
        _marker([("improvements.indicator_name", ROW, 1), ("improvements.score", ROWNUM, 1),
                 ("improvements.tip", ROW, 6)]),
        (),
        (_c(1, L("五、预警", "5. Warnings"), SECTION, 8),),
        _header(lang, [("级别", "Severity", 1), ("规则", "Rule", 1), ("对象", "Subject", 1),
                       ("内容", "Message", 5)]),
        _marker([("warnings.severity", ROW, 1), ("warnings.rule", ROW, 1), ("warnings.subject", ROW, 1),
                 ("warnings.message", ROW, 5)]),
        (),
        (_c(1, L("六、SMART 目标", "6. SMART goals"), SECTION, 8),),
        _header(lang, [("目标", "Goal", 2), ("基线", "Baseline", 1), ("目标值", "Target", 1),
                       ("当前", "Current", 1), ("进度", "Progress", 1), ("状态", "Status", 1),
                       ("截止日期", "Deadline", 1)]),
        _marker([("goals.description", ROW, 2), ("goals.baseline", ROWNUM, 1), ("goals.target", ROWNUM, 1),
                 ("goals.current", ROWNUM, 1), ("goals.progress", ROWPCT, 1), ("goals.status", ROW, 1),
                 ("goals.deadline", ROW, 1)]),
        (),
        (_c(1, L("七、激励决定", "7. Incentive decision"), SECTION, 8),),
        (_c(1, L("服务费调整", "Fee adjustment"), LABEL), _c(2, "{{fee_adjust}}", NUMBER),
         _c(3, "{{fee_adjust_pct}}", VALUE, 2), _c(5, L("处理措施", "Action"), LABEL),
         _c(6, "{{action}}", VALUE, 3)),
        (),
        (_c(1, L("八、外包人员", "8. Workers"), SECTION, 8),),
        _header(lang, [("人员编号", "Worker ID", 1), ("姓名", "Name", 1), ("总分", "Total", 1),
                       ("等级", "Grade", 1), ("排名", "Rank", 1), ("奖金", "Bonus", 1), ("处理措施", "Action", 2)]),
        _marker([("workers.worker_id", ROW, 1), ("workers.worker_name", ROW, 1), ("workers.total", ROWNUM, 1),
                 ("workers.grade", ROW, 1), ("workers.rank", ROW, 1), ("workers.bonus", ROWNUM, 1),
                 ("workers.action", ROW, 2)]),
        (),
        (_c(1, L("九、面谈记录（由 HR 填写，重新生成时保留）", "9. Interview record (HR fills in; kept on regeneration)"),
            SECTION, 8),),
        (_c(1, L("面谈日期", "Date"), LABEL), _c(2, "{{interview.date}}", INPUT, 7)),
        (_c(1, L("参加人员", "Attendees"), LABEL), _c(2, "{{interview.attendees}}", INPUT, 7)),
        (_c(1, L("约定改进措施", "Agreed actions"), LABEL), _c(2, "{{interview.actions}}", INPUT, 7)),
        (_c(1, L("供应商反馈", "Vendor's response"), LABEL), _c(2, "{{interview.response}}", INPUT, 7)),
        (_c(1, L("签字确认", "Sign-off"), LABEL), _c(2, "{{interview.signoff}}", INPUT, 7)),
        (),
        (_c(1, L("生成时间：{{generated}}。排名与强制分布等级取决于其他供应商，以数值给出。",
                 "Generated {{generated}}. Ranks and forced-distribution grades depend on other vendors "
                 "and are given as values."), NOTE, 8),),
    ]
    return rows


COLUMN_WIDTHS = (16, 14, 11, 11, 11, 11, 12, 30)
CHART_ROWS = 14  # the empty rows reserved beside/below the dimension table for the chart
