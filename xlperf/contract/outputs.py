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

# --- scenario simulation and indicator health (issue 15) -------------------------------------------
MONEY = "#,##0.00"

simulation = Table(
    "xp_simulation", "模拟结果", "Simulation",
    (
        Field("scenario", "方案", "Scenario", width=14),
        Field("period_id", "期间", "Period"),
        Field("level", "层级", "Level"),
        Field("vendor_id", "供应商编号", "Vendor ID"),
        Field("worker_id", "人员编号", "Worker ID"),
        Field("total", "总分", "Total", T.NUMBER, number_format=SCORE_FMT, width=9),
        Field("grade", "等级", "Grade", width=7),
        Field("rank", "排名", "Rank", T.INTEGER, width=7),
        Field("bonus", "奖金", "Bonus", T.NUMBER, number_format=MONEY),
        Field("fee_adjust", "服务费调整", "Fee adjustment", T.NUMBER, number_format=MONEY),
        Field("sim_total", "模拟总分", "Simulated total", T.NUMBER, number_format=SCORE_FMT, width=10),
        Field("sim_grade", "模拟等级", "Simulated grade", width=9),
        Field("sim_rank", "模拟排名", "Simulated rank", T.INTEGER, width=9),
        Field("sim_bonus", "模拟奖金", "Simulated bonus", T.NUMBER, number_format=MONEY),
        Field("sim_fee_adjust", "模拟服务费调整", "Simulated fee adjustment", T.NUMBER, number_format=MONEY),
        Field("delta_total", "总分变化", "Total change", T.NUMBER, number_format=SCORE_FMT, width=10),
    ),
    kind="output",
)

indicator_health = Table(
    "xp_indicator_health", "指标体系评估", "Indicator health",
    (
        Field("period_id", "期间", "Period"),
        Field("indicator_id", "指标编号", "Indicator ID"),
        Field("n", "对象数", "Subjects", T.INTEGER, width=8),
        Field("full_share", "满分占比", "Full marks share", T.NUMBER, number_format="0%", width=10),
        Field("zero_share", "零分占比", "Zero share", T.NUMBER, number_format="0%", width=10),
        Field("missing_share", "缺失占比", "Missing share", T.NUMBER, number_format="0%", width=10),
        Field("std", "标准差", "Std dev", T.NUMBER, number_format="0.00", width=9),
        Field("corr_total", "与总分相关", "Correlation with total", T.NUMBER, number_format="0.00", width=10),
        Field("flags", "问题标记", "Flags", width=30),
    ),
    kind="output",
)

rater_analysis = Table(
    "xp_rater_analysis", "评分人分析", "Rater analysis",
    (
        Field("period_id", "期间", "Period"),
        Field("rater", "评分人", "Rater"),
        Field("rater_role", "评分角色", "Rater role"),
        Field("n", "评分数", "Ratings", T.INTEGER, width=8),
        Field("mean", "平均分", "Mean", T.NUMBER, number_format="0.00", width=8),
        Field("others_mean", "他人平均", "Others' mean", T.NUMBER, number_format="0.00", width=9),
        Field("diff", "差值", "Difference", T.NUMBER, number_format="0.00", width=8),
        Field("flags", "问题标记", "Flags", width=20),
    ),
    kind="output",
)

vendor_trends = Table(
    "xp_vendor_trends", "供应商趋势", "Vendor trends",
    (
        Field("vendor_id", "供应商编号", "Vendor ID"),
        Field("vendor_name", "供应商名称", "Vendor name", width=20),
        Field("periods", "期间数", "Periods", T.INTEGER, width=8),
        Field("first_total", "首期总分", "First total", T.NUMBER, number_format=SCORE_FMT),
        Field("last_total", "末期总分", "Last total", T.NUMBER, number_format=SCORE_FMT),
        Field("slope", "每期变化", "Change per period", T.NUMBER, number_format="0.00"),
        Field("volatility", "波动(标准差)", "Volatility (std)", T.NUMBER, number_format="0.00"),
        Field("trend", "趋势", "Trend", width=10),
    ),
    kind="output",
)

OUTPUT_TABLES: tuple[Table, ...] = (results, scores, warnings, findings, runlog,
                                    simulation, indicator_health, rater_analysis, vendor_trends)
OUTPUTS_BY_NAME: dict[str, Table] = {t.name: t for t in OUTPUT_TABLES}
