"""The tables xlperf writes: results, scores, warnings, findings and the run log.

Their field keys are the export keys (``xlperf export BOOK results`` gives row objects with them).
Results also carry one ``dim:<dimension>`` column per dimension, added at run time.
"""

from __future__ import annotations

from .schema import Field, Table
from .schema import FieldType as T

SCORE_FMT = "0.00"

results = Table(
    "xp_results", "计算结果", "Results",
    (
        Field("period_id", "期间", "Period"),
        Field("level", "层级", "Level"),
        Field("vendor_id", "供应商编号", "Vendor ID"),
        Field("vendor_name", "供应商名称", "Vendor name", width=20),
        Field("worker_id", "人员编号", "Worker ID"),
        Field("worker_name", "姓名", "Name"),
        Field("total", "总分", "Total", T.NUMBER, number_format=SCORE_FMT, width=9),
        Field("grade", "等级", "Grade", width=7),
        Field("rank", "排名", "Rank", T.INTEGER, width=7),
        Field("rank_of", "排名总数", "Of", T.INTEGER, width=7),
        Field("vetoed", "一票否决", "Vetoed", T.BOOL, width=8),
        Field("completeness", "数据完整度", "Completeness", T.NUMBER, number_format="0%", width=10),
        Field("bonus", "奖金", "Bonus", T.NUMBER, number_format="#,##0.00"),
        Field("fee_adjust", "服务费调整", "Fee adjustment", T.NUMBER, number_format="#,##0.00"),
        Field("action", "处理措施", "Action"),
        Field("explanation", "说明", "Explanation", width=80),
    ),
    kind="output",
)

scores = Table(
    "xp_scores", "指标得分", "Scores",
    (
        Field("period_id", "期间", "Period"),
        Field("level", "层级", "Level"),
        Field("vendor_id", "供应商编号", "Vendor ID"),
        Field("worker_id", "人员编号", "Worker ID"),
        Field("indicator_id", "指标编号", "Indicator ID"),
        Field("indicator_name", "指标名称", "Indicator", width=18),
        Field("dimension", "维度", "Dimension"),
        Field("method", "计分方法", "Method"),
        Field("actual", "实际值", "Actual", T.NUMBER, number_format="0.00"),
        Field("score", "得分", "Score", T.NUMBER, number_format=SCORE_FMT),
        Field("weight", "维度内权重", "Weight", T.NUMBER, number_format="0.00"),
        Field("overall_weight", "综合权重", "Overall weight", T.NUMBER, number_format="0.00"),
        Field("weighted", "加权得分", "Weighted points", T.NUMBER, number_format="0.00"),
        Field("explanation", "计算说明", "Explanation", width=80),
    ),
    kind="output",
)

# The sheet holds one row per subject and period (its warnings merged, most urgent first: see
# xlperf.sheetwords); the engine's frame and the export hold one row per warning, without ``count``.
warnings = Table(
    "xp_warnings", "预警", "Warnings",
    (
        Field("period_id", "期间", "Period"),
        Field("level", "层级", "Level"),
        Field("vendor_id", "供应商编号", "Vendor ID"),
        Field("worker_id", "人员编号", "Worker ID"),
        Field("severity", "级别", "Severity", width=8),
        Field("rule", "预警规则", "Rule", width=24),
        Field("count", "条数", "Count", T.INTEGER, width=7),
        Field("message", "预警内容", "Message", width=80, wrap=True),
        Field("indicator_id", "指标编号", "Indicator ID", width=16),
    ),
    kind="output",
)

findings = Table(
    "xp_findings", "校验结果", "Findings",
    (
        Field("severity", "级别", "Severity", width=8),
        Field("code", "代码", "Code", width=18),
        Field("sheet", "工作表", "Sheet", width=14),
        Field("cell", "单元格", "Cell", width=8),
        Field("table", "表", "Table", width=12),
        Field("field", "字段", "Field", width=14),
        Field("value", "当前值", "Value", width=16),
        Field("message", "问题", "Message", width=60),
        Field("hint", "修改建议", "Hint", width=50),
    ),
    kind="output",
)

runlog = Table(
    "xp_runlog", "运行日志", "Run log",
    (
        Field("time", "时间", "Time", width=20),
        Field("command", "操作", "Command", width=12),
        Field("periods", "期间", "Periods", width=24),
        Field("fingerprint", "输入指纹", "Input fingerprint", width=20),
        Field("subjects", "评估对象数", "Subjects", T.INTEGER),
        Field("scores", "得分行数", "Score rows", T.INTEGER),
        Field("warnings", "预警数", "Warnings", T.INTEGER),
        Field("findings", "校验问题数", "Findings", T.INTEGER),
        Field("duration_s", "耗时(秒)", "Duration (s)", T.NUMBER, number_format="0.00"),
        Field("version", "版本", "Version"),
    ),
    kind="output",
)

OUTPUT_TABLES: tuple[Table, ...] = (results, scores, warnings, findings, runlog)
OUTPUTS_BY_NAME: dict[str, Table] = {t.name: t for t in OUTPUT_TABLES}
