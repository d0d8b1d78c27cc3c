"""The workbook contract: every input table HR fills, declared once.

Table names (ListObject names) and field keys are stable ASCII and never shown to HR as the only
spelling: headers carry the Chinese (or English) label, and either label or the key is accepted on read.
"""

from __future__ import annotations

import unicodedata

from .choices import (  # the choice sets, with their words
    AGGREGATIONS,
    DIRECTIONS,
    GOAL_STATUSES,
    GRADE_MODES,
    LANGS,
    LEVELS,
    METHODS,
    MISSING_POLICIES,
    PERIOD_STATUSES,
    SCOPES,
    SOURCE_KINDS,  # issue 16
    SOURCES,
)
from .schema import Field, Ref, Setting, Table
from .schema import FieldType as T

PCT = "0.00"
DATE_FMT = "yyyy-mm-dd"

# Each setting is one row of 参数设置: its name (zh or en; the key and former names are read too), its
# value (a choice setting offers its choice set's words) and the short description shown beside it.
SETTINGS: tuple[Setting, ...] = (
    Setting("org_name", "组织名称", "Organisation", T.TEXT, "", doc_zh="显示在反馈表和汇总表的抬头",
            doc_en="Shown at the top of feedback sheets and the summary", aliases=("单位名称",)),
    Setting("current_period", "当前期间", "Current period", T.PERIOD, "",
            doc_zh="“重算本期”和命令行默认计算的期间；留空则为全部开放期间",
            doc_en="The period 'Recompute period' (and the command line by default) scores; blank: every open period"),
    Setting("missing_policy", "缺失数据处理", "Missing data policy", T.CHOICE, "renormalize", MISSING_POLICIES,
            doc_zh="指标没有数据时：重新分配权重=按已有指标重新分配；记零分=缺失指标记 0 分；不计总分=该对象不出总分",
            doc_en="renormalize = re-weight over present indicators; zero = missing scores 0; exclude = no total"),
    Setting("veto_score", "否决后总分", "Score after veto", T.NUMBER, 0.0,
            doc_zh="触发一票否决时的总分", doc_en="Total given when a veto indicator triggers"),
    Setting("grade_mode", "评级方式", "Grading mode", T.CHOICE, "absolute", GRADE_MODES,
            doc_zh="分数线=按各等级最低分评级；强制分布=按各等级比例排名评级",
            doc_en="absolute = score thresholds; forced = forced distribution"),
    Setting("distribution_scope", "强制分布范围", "Distribution scope", T.CHOICE, "all", SCOPES,
            doc_zh="强制分布时：统一排名=全部人员一起排名；供应商内排名=各供应商内部排名",
            doc_en="all = rank workers across vendors; vendor = within each vendor"),
    Setting("total_cap", "总分上限", "Total cap", T.NUMBER, 120.0, doc_zh="含加分后的总分上限", doc_en="Upper limit of a total with adjust points"),
    Setting("warn_score", "预警分数线", "Warning score", T.NUMBER, 60.0,
            doc_zh="指标得分低于此值预警（指标可单独设置）", doc_en="Indicator scores below this raise a warning (per-indicator override)"),
    Setting("drop_alert", "降幅预警", "Drop alert", T.NUMBER, 10.0,
            doc_zh="总分较上期下降达到此分数时预警", doc_en="Warn when a total falls by at least this many points"),
    Setting("lang", "界面语言", "Language", T.CHOICE, "zh", LANGS,
            doc_zh="中文或英文：提示信息和结果表使用的语言", doc_en="zh = Chinese; en = English"),
    Setting("appeal_days", "申诉期限天数", "Appeal window (days)", T.NUMBER, 14.0,
            doc_zh="供应商收到反馈包后可回复、申诉的天数（自反馈包日期起算），逾期的回复标记为逾期",
            doc_en="Days after a pack's date within which a vendor may reply or appeal; later replies are marked late"),
)

SETTINGS_BY_KEY = {s.key: s for s in SETTINGS}


def _setting_spelling(text: object) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).lower()


_SETTINGS_BY_SPELLING = {_setting_spelling(n): s for s in SETTINGS for n in (s.key, s.zh, s.en, *s.aliases)}


def setting_named(text: object) -> Setting | None:
    """The setting a row of 参数设置 names: by key, Chinese or English name or a former name (case,
    width and spaces ignored), or None."""
    return None if text is None else _SETTINGS_BY_SPELLING.get(_setting_spelling(text))

settings = Table(
    "settings", "参数设置", "Settings",
    (
        Field("key", "参数", "Key", required=True, unique=True, choices=tuple(s.key for s in SETTINGS), width=20),
        Field("value", "取值", "Value", T.ANY, width=22),
        Field("description", "说明", "Description", width=50),
    ),
    key=("key",),
    doc_zh="全局参数，每行一个参数。", doc_en="Global settings, one per row.",
)

dimensions = Table(
    "dimensions", "考核维度", "Dimensions",
    (
        Field("dimension", "维度", "Dimension", required=True, width=16,
              doc_zh="如 工作量、效率、质量、团队协作、创新", doc_en="e.g. workload, efficiency, quality, teamwork, innovation"),
        Field("level", "层级", "Level", T.CHOICE, required=True, choices=LEVELS,
              doc_zh="供应商=对供应商整体考核；人员=对外包人员个人考核", doc_en="vendor or worker"),
        Field("weight", "权重", "Weight", T.NUMBER, required=True, min_value=0, max_value=100, number_format=PCT,
              doc_zh="同一层级各维度权重合计 100", doc_en="Dimension weights of one level total 100"),
        Field("description", "说明", "Description", width=40),
    ),
    key=("dimension", "level"),
)

indicators = Table(
    "indicators", "考核指标", "Indicators",
    (
        Field("indicator_id", "指标编号", "Indicator ID", required=True, unique=True, width=12),
        Field("name", "指标名称", "Name", required=True, width=20),
        Field("dimension", "维度", "Dimension", required=True, ref=Ref("dimensions", "dimension")),
        Field("level", "层级", "Level", T.CHOICE, required=True, choices=LEVELS),
        Field("weight", "维度内权重", "Weight in dimension", T.NUMBER, min_value=0, max_value=100, number_format=PCT,
              doc_zh="同一维度内各指标权重合计 100；加减分、否决类指标不计权重", doc_en="Indicator weights within a dimension total 100; adjust and veto carry none"),
        Field("method", "计分方法", "Method", T.CHOICE, required=True, choices=METHODS),
        Field("direction", "方向", "Direction", T.CHOICE, choices=DIRECTIONS,
              doc_zh="留空为越高越好", doc_en="blank means higher is better", default="higher"),
        Field("floor", "底线值", "Floor", T.NUMBER),
        Field("target", "目标值", "Target", T.NUMBER),
        Field("stretch", "挑战值", "Stretch", T.NUMBER),
        Field("cap", "得分上限", "Cap", T.NUMBER, min_value=0, doc_zh="默认 100", doc_en="Default 100", default=100.0),
        Field("per_unit", "每单位分值", "Points per unit", T.NUMBER),
        Field("band_set", "分档表", "Band set", ref=Ref("bands", "band_set")),
        Field("scale", "评分制", "Rating scale", T.NUMBER, min_value=1, doc_zh="如 5 分制", doc_en="e.g. 5 for a 1-5 scale",
              default=5.0),
        Field("aggregation", "汇总方式", "Aggregation", T.CHOICE, choices=AGGREGATIONS,
              doc_zh="期间内多条记录如何合并，默认平均值", doc_en="How a period's records combine; default mean",
              default="mean"),
        Field("unit", "单位", "Unit", width=8),
        Field("source", "数据来源", "Source", T.CHOICE, choices=SOURCES,
              doc_zh="数据从哪里来：定期报告、现场检查、在线监控或评价", doc_en="periodic report, on-site check, online monitoring, rating"),
        Field("standard", "评分标准", "Scoring standard", width=36),
        Field("tip", "改进建议", "Improvement tip", width=36),
        Field("warn_below", "预警线", "Warn below", T.NUMBER),
        Field("effective_from", "生效期间", "Effective from", T.PERIOD, ref=Ref("periods", "period_id")),
        Field("effective_to", "失效期间", "Effective to", T.PERIOD, ref=Ref("periods", "period_id")),
    ),
    key=("indicator_id",),
)

bands = Table(
    "bands", "分档标准", "Bands",
    (
        Field("band_set", "分档表", "Band set", required=True),
        Field("lower", "下限(含)", "Lower (incl.)", T.NUMBER),
        Field("upper", "上限(不含)", "Upper (excl.)", T.NUMBER),
        Field("score", "得分", "Score", T.NUMBER, required=True, min_value=0),
    ),
)

vendors = Table(
    "vendors", "供应商", "Vendors",
    (
        Field("vendor_id", "供应商编号", "Vendor ID", required=True, unique=True, width=12),
        Field("name", "供应商名称", "Name", required=True, width=24),
        Field("contract_no", "合同编号", "Contract no.", width=16),
        Field("service", "服务内容", "Service", width=20),
        Field("contract_start", "合同开始", "Contract start", T.DATE, number_format=DATE_FMT),
        Field("contract_end", "合同结束", "Contract end", T.DATE, number_format=DATE_FMT),
        Field("base_fee", "基础服务费", "Base fee", T.NUMBER, min_value=0, number_format="#,##0.00"),
        Field("contact", "联系人", "Contact"),
        Field("email", "邮箱", "Email", width=24),
        Field("pack_password", "反馈包密码", "Pack password",
              doc_zh="填写后导出的供应商包将加密", doc_en="When set, the vendor pack is encrypted with it"),
    ),
    key=("vendor_id",),
)

workers = Table(
    "workers", "外包人员", "Workers",
    (
        Field("worker_id", "人员编号", "Worker ID", required=True, unique=True, width=12),
        Field("name", "姓名", "Name", required=True),
        Field("vendor_id", "供应商编号", "Vendor ID", required=True, ref=Ref("vendors", "vendor_id")),
        Field("role", "岗位", "Role"),
        Field("team", "班组", "Team"),
        Field("start_date", "入职日期", "Start date", T.DATE, number_format=DATE_FMT),
        Field("end_date", "离场日期", "End date", T.DATE, number_format=DATE_FMT),
        Field("base_bonus", "奖金基数", "Base bonus", T.NUMBER, min_value=0, number_format="#,##0.00"),
    ),
    key=("worker_id",),
)

periods = Table(
    "periods", "考核期间", "Periods",
    (
        Field("period_id", "期间", "Period", required=True, unique=True, doc_zh="如 2026-01、2026-Q1", doc_en="e.g. 2026-01, 2026-Q1"),
        Field("start", "开始日期", "Start", T.DATE, required=True, number_format=DATE_FMT),
        Field("end", "结束日期", "End", T.DATE, required=True, number_format=DATE_FMT),
        Field("rollup", "汇总到", "Rolls up to", T.PERIOD, ref=Ref("periods", "period_id"),
              doc_zh="月度期间汇总到的季度/年度期间", doc_en="The quarter/year this period rolls up to"),
        Field("status", "状态", "Status", T.CHOICE, choices=PERIOD_STATUSES,
              doc_zh="已关闭的期间不再重算（命令行加 --force 除外）；留空为开放", doc_en="closed periods are not recomputed unless forced"),
    ),
    key=("period_id",),
)

observations = Table(
    "observations", "监控记录", "Observations",
    (
        Field("date", "日期", "Date", T.DATE, required=True, number_format=DATE_FMT),
        Field("period_id", "期间", "Period", T.PERIOD, ref=Ref("periods", "period_id"),
              doc_zh="可不填：按日期归属期间", doc_en="Optional: derived from the date"),
        Field("vendor_id", "供应商编号", "Vendor ID", required=True, ref=Ref("vendors", "vendor_id")),
        Field("worker_id", "人员编号", "Worker ID", ref=Ref("workers", "worker_id"),
              doc_zh="供应商级指标留空", doc_en="Blank for vendor-level indicators"),
        Field("indicator_id", "指标编号", "Indicator ID", required=True, ref=Ref("indicators", "indicator_id")),
        Field("value", "数值", "Value", T.ANY, required=True, doc_zh="数值；否决类填 是/否", doc_en="A number; yes/no for veto indicators"),
        Field("source", "数据来源", "Source", T.CHOICE, choices=SOURCES),
        Field("recorder", "记录人", "Recorder"),
        Field("note", "备注", "Note", width=30),
        # xlperf pull (issue 16): a pulled row stands for ``count`` raw records of one source; HR's rows
        # leave both blank (one record, typed by HR). The engine combines partial aggregates with them.
        Field("count", "记录数", "Records", T.INTEGER, min_value=1, number_format="0", width=10,
              doc_zh="本行代表的原始记录条数（刷新监控数据写入；手工录入留空=1）",
              doc_en="How many raw records this row stands for (written by a pull; blank = 1 when typed)"),
        Field("pulled_from", "汇总来源", "Pulled from", width=14,
              doc_zh="写入本行的数据来源编号（数据来源配置）；手工录入留空。刷新时只替换本来源的行",
              doc_en="The source_id that wrote this row (Sources); blank when typed. A pull replaces only its own rows"),
    ),
)

ratings = Table(
    "ratings", "评分记录", "Ratings",
    (
        Field("period_id", "期间", "Period", T.PERIOD, required=True, ref=Ref("periods", "period_id")),
        Field("vendor_id", "供应商编号", "Vendor ID", required=True, ref=Ref("vendors", "vendor_id")),
        Field("worker_id", "人员编号", "Worker ID", ref=Ref("workers", "worker_id")),
        Field("indicator_id", "指标编号", "Indicator ID", required=True, ref=Ref("indicators", "indicator_id")),
        Field("rater_role", "评分角色", "Rater role", required=True, ref=Ref("rater_weights", "rater_role")),
        Field("rater", "评分人", "Rater"),
        Field("rating", "评分", "Rating", T.NUMBER, required=True),
        Field("comment", "评语", "Comment", width=30),
    ),
)

rater_weights = Table(
    "rater_weights", "评分权重", "Rater weights",
    (
        Field("indicator_id", "指标编号", "Indicator ID", required=True, doc_zh="* 表示所有评分类指标的默认值", doc_en="* = default for every rating indicator"),
        Field("rater_role", "评分角色", "Rater role", required=True),
        Field("weight", "权重", "Weight", T.NUMBER, required=True, min_value=0, max_value=100, number_format=PCT),
    ),
    key=("indicator_id", "rater_role"),
)

grades = Table(
    "grades", "等级与激励", "Grades",
    (
        Field("grade", "等级", "Grade", required=True, unique=True, width=8),
        Field("min_score", "最低分", "Min score", T.NUMBER, number_format=PCT, doc_zh="按分数线评级时使用", doc_en="Used in absolute mode"),
        Field("quota", "比例(%)", "Quota (%)", T.NUMBER, min_value=0, max_value=100, number_format=PCT,
              doc_zh="强制分布时各等级比例，合计 100", doc_en="Forced distribution shares, total 100"),
        Field("bonus_coef", "奖金系数", "Bonus coefficient", T.NUMBER, min_value=0, number_format="0.00"),
        Field("fee_adjust", "服务费调整(%)", "Fee adjustment (%)", T.NUMBER, number_format=PCT),
        Field("action", "处理措施", "Action", width=16, doc_zh="如 优先续约/续约/观察/整改/终止", doc_en="e.g. renew with priority / renew / watch / improve / terminate"),
    ),
    key=("grade",),
    doc_zh="从高到低排列：第一行为最高等级，最后一行为最低等级。", doc_en="Highest grade first, lowest last.",
)

goals = Table(
    "goals", "SMART目标", "Goals",
    (
        Field("goal_id", "目标编号", "Goal ID", required=True, unique=True, width=10),
        Field("vendor_id", "供应商编号", "Vendor ID", required=True, ref=Ref("vendors", "vendor_id")),
        Field("worker_id", "人员编号", "Worker ID", ref=Ref("workers", "worker_id")),
        Field("indicator_id", "指标编号", "Indicator ID", ref=Ref("indicators", "indicator_id")),
        Field("description", "目标描述", "Description", required=True, width=36),
        Field("baseline", "基线值", "Baseline", T.NUMBER),
        Field("target", "目标值", "Target", T.NUMBER),
        Field("objective", "支撑的战略目标", "Strategic objective", width=24),
        Field("deadline", "截止日期", "Deadline", T.DATE, number_format=DATE_FMT),
        Field("agreed_on", "约定日期", "Agreed on", T.DATE, number_format=DATE_FMT),
        Field("status", "状态", "Status", T.CHOICE, choices=GOAL_STATUSES),
    ),
    key=("goal_id",),
)

# --- scenario simulation and calibration (issue 15) ---------------------------------------------
from .choices import CHANGES  # noqa: E402  (kept beside the tables that use it)

scenarios = Table(
    "scenarios", "模拟方案", "Scenarios",
    (
        Field("scenario", "方案", "Scenario", required=True, width=14, doc_zh="方案名称，同名各行组成一个方案",
              doc_en="The scenario's name; rows sharing it form one scenario"),
        Field("change", "调整类型", "Change", T.CHOICE, required=True, choices=CHANGES, width=16,
              doc_zh="维度权重/指标权重/指标参数/等级最低分/等级比例/评分角色权重",
              doc_en="dimension_weight / indicator_weight / indicator_param / grade_min / grade_quota / rater_weight"),
        Field("key", "调整对象", "Key", required=True, width=14,
              doc_zh="维度名称、指标编号、等级或评分角色", doc_en="A dimension, indicator id, grade or rater role"),
        Field("field", "参数", "Field", width=14,
              doc_zh="指标参数：floor/target/stretch/cap/per_unit/scale（或其中文列名）；评分角色权重：指标编号或 *；"
                     "维度权重：可填层级", doc_en="indicator_param: floor/target/stretch/cap/per_unit/scale; "
                                          "rater_weight: indicator id or *; dimension_weight: optionally the level"),
        Field("value", "新值", "Value", T.NUMBER, required=True, number_format=PCT),
        Field("description", "说明", "Description", width=30),
    ),
    doc_zh="方案模拟：每行一项调整，不改变真实结果。", doc_en="What-if scenarios: one change per row; real results never change.",
)

calibrations = Table(
    "calibrations", "等级校准", "Calibrations",
    (
        Field("period_id", "期间", "Period", T.PERIOD, required=True, ref=Ref("periods", "period_id")),
        Field("vendor_id", "供应商编号", "Vendor ID", required=True, ref=Ref("vendors", "vendor_id")),
        Field("worker_id", "人员编号", "Worker ID", ref=Ref("workers", "worker_id"),
              doc_zh="校准供应商等级时留空", doc_en="Blank to calibrate the vendor's own grade"),
        Field("grade", "校准后等级", "Calibrated grade", required=True, ref=Ref("grades", "grade"), width=10),
        Field("reason", "校准理由", "Reason", required=True, width=36),
        Field("calibrated_by", "校准人", "Calibrated by"),
    ),
    key=("period_id", "vendor_id", "worker_id"),
    doc_zh="校准会议的结论：重算时在评级之后生效，保留记录。", doc_en="Calibration meeting outcomes, applied after grading.",
)

# ── issue 16: where monitoring data is pulled from (xlperf pull, 刷新监控数据) ───────────────────────
sources = Table(
    "sources", "数据来源配置", "Sources",
    (
        Field("source_id", "来源编号", "Source ID", required=True, unique=True, width=12),
        Field("kind", "类型", "Kind", T.CHOICE, required=True, choices=SOURCE_KINDS,
              doc_zh="csv、excel、parquet（文件，由 DuckDB 汇总）或 sql（数据库，由数据库自己汇总）",
              doc_en="csv, excel, parquet (files, grouped by DuckDB) or sql (a database, grouped by itself)"),
        Field("location", "位置", "Location", required=True, width=36,
              doc_zh="文件、文件夹或通配符（如 D:/导出/*.csv）；sql 为 SQLAlchemy 连接串，不含密码",
              doc_en="A file, folder or glob (e.g. D:/exports/*.csv); for sql an SQLAlchemy URL without the password"),
        Field("query", "表或查询", "Table or query", width=36,
              doc_zh="sql：表名或 SELECT 语句；文件：可选的筛选条件（WHERE 后的部分）",
              doc_en="sql: a table name or a SELECT; files: an optional filter (what follows WHERE)"),
        Field("date_col", "日期列", "Date column", required=True, width=12),
        Field("vendor_col", "供应商列", "Vendor column", width=12,
              doc_zh="留空：按人员表取人员所属供应商", doc_en="Blank: the worker's vendor from the workers table"),
        Field("worker_col", "人员列", "Worker column", width=12, doc_zh="供应商级来源留空", doc_en="Blank for vendor-level data"),
        Field("indicator_col", "指标列", "Indicator column", width=12,
              doc_zh="与“固定指标”二选一", doc_en="Either this or the fixed indicator"),
        Field("value_col", "数值列", "Value column", width=12,
              doc_zh="留空：每条记录计 1（用于计数类指标）", doc_en="Blank: each record counts 1 (for counting indicators)"),
        Field("indicator_id", "固定指标", "Fixed indicator", ref=Ref("indicators", "indicator_id"), width=12,
              doc_zh="来源没有指标列时，所有记录归入此指标", doc_en="When the source has no indicator column, every record is this indicator"),
        Field("secret_env", "密码环境变量", "Password variable", width=16,
              doc_zh="存放数据库密码的环境变量名；密码不写在工作簿里", doc_en="The environment variable holding the password; never the password itself"),
        Field("enabled", "启用", "Enabled", T.BOOL, doc_zh="否=刷新时跳过；留空=是", doc_en="No = skipped by a pull; blank = yes"),
        Field("note", "备注", "Note", width=30),
    ),
    key=("source_id",),
    doc_zh="刷新监控数据（xlperf pull）从这些来源按人员、指标、期间汇总后写入监控记录。",
    doc_en="A pull (xlperf pull) groups these sources per subject, indicator and period into Observations.",
)

# ── issue 14: what comes back from the vendor (xlperf collect, 收集回复) ───────────────────────────
from .choices import APPEAL_STATUSES, OPINIONS, PLAN_STATUSES  # noqa: E402  (kept beside the tables that use them)

appeals = Table(
    "appeals", "申诉处理", "Appeals",
    (
        Field("appeal_id", "申诉编号", "Appeal ID", required=True, unique=True, width=16),
        Field("period_id", "期间", "Period", T.PERIOD, required=True, ref=Ref("periods", "period_id")),
        Field("vendor_id", "供应商编号", "Vendor ID", required=True, ref=Ref("vendors", "vendor_id")),
        Field("worker_id", "人员编号", "Worker ID", ref=Ref("workers", "worker_id"),
              doc_zh="对供应商本身的申诉留空", doc_en="Blank for an appeal about the vendor itself"),
        Field("indicator_id", "指标编号", "Indicator ID", ref=Ref("indicators", "indicator_id"),
              doc_zh="对总分的申诉留空", doc_en="Blank for an appeal about the total"),
        Field("opinion", "意见", "Opinion", T.CHOICE, choices=OPINIONS, width=8,
              doc_zh="申诉=要求更正，需要处理；说明=只作说明，不需处理", doc_en="appeal = asks for a correction and needs a decision; note = for the record only"),
        Field("score", "申诉时得分", "Score appealed", T.NUMBER, number_format=PCT,
              doc_zh="反馈包中显示的得分", doc_en="The score the pack showed"),
        Field("reason", "申诉理由", "Reason", width=36),
        Field("proposed_value", "建议数值", "Proposed value", T.NUMBER,
              doc_zh="供应商认为正确的数值", doc_en="The value the vendor believes is right"),
        Field("evidence", "证据说明", "Evidence", width=30),
        Field("received_on", "收到日期", "Received on", T.DATE, number_format=DATE_FMT),
        Field("late", "逾期", "Late", T.BOOL, doc_zh="超过申诉期限才收到", doc_en="Received after the appeal window"),
        Field("results_changed", "结果已更新", "Results changed", T.BOOL,
              doc_zh="回复针对的结果此后已重算", doc_en="The results the reply answered were recomputed since"),
        Field("status", "处理状态", "Status", T.CHOICE, choices=APPEAL_STATUSES, width=10,
              doc_zh="待处理/维持/调整；调整的申诉在重算时以更正数值替换该期间的值",
              doc_en="pending / kept / adjusted; an adjusted appeal replaces the period value on recompute"),
        Field("corrected_value", "更正数值", "Corrected value", T.NUMBER,
              doc_zh="调整时填写：该指标本期的新数值（总分申诉为新的总分）",
              doc_en="When adjusted: the indicator's new period value (for a total: the new total)"),
        Field("decision_reason", "处理理由", "Decision reason", width=36),
        Field("decided_by", "处理人", "Decided by"),
        Field("decided_on", "处理日期", "Decided on", T.DATE, number_format=DATE_FMT),
        Field("source_file", "来源文件", "Source file", width=24),
    ),
    key=("appeal_id",),
    doc_zh="供应商在反馈包中提出的申诉与说明；人力资源部在此决定维持或调整。",
    doc_en="Appeals and notes vendors sent back in their packs; HR decides here to keep or adjust.",
)

improvement_plans = Table(
    "improvement_plans", "整改计划", "Improvement plans",
    (
        Field("plan_id", "计划编号", "Plan ID", required=True, unique=True, width=16),
        Field("period_id", "期间", "Period", T.PERIOD, required=True, ref=Ref("periods", "period_id"),
              doc_zh="提出整改的期间", doc_en="The period the improvement was agreed in"),
        Field("vendor_id", "供应商编号", "Vendor ID", required=True, ref=Ref("vendors", "vendor_id")),
        Field("indicator_id", "指标编号", "Indicator ID", ref=Ref("indicators", "indicator_id")),
        Field("action", "改进措施", "Action", required=True, width=36),
        Field("owner", "负责人", "Owner"),
        Field("due", "完成期限", "Due", T.DATE, number_format=DATE_FMT),
        Field("status", "状态", "Status", T.CHOICE, choices=PLAN_STATUSES, width=10,
              doc_zh="进行中/已完成/已取消；逾期未完成的计划会预警", doc_en="open / done / dropped; an overdue open plan raises a warning"),
        Field("source", "来源", "Source", width=12, doc_zh="供应商回复或面谈记录", doc_en="A vendor reply or the interview record"),
        Field("note", "备注", "Note", width=30),
    ),
    key=("plan_id",),
    doc_zh="绩效面谈与供应商回复中约定的整改措施，下期反馈表跟踪其效果。",
    doc_en="Improvements agreed in interviews and vendor replies, followed up in the next period's feedback.",
)

INPUT_TABLES: tuple[Table, ...] = (
    settings, dimensions, indicators, bands, vendors, workers, periods,
    observations, ratings, rater_weights, grades, goals,
    scenarios, calibrations,
    sources,  # issue 16
    appeals, improvement_plans,  # issue 14
)
TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in INPUT_TABLES}

# Rows a new workbook starts with (everything else starts empty).
DEFAULT_GRADES: tuple[tuple[str, float, float, float, float, str, str], ...] = (
    # grade, min_score, quota, bonus_coef, fee_adjust, action zh, action en
    ("S", 90, 10, 1.5, 5, "优先续约", "Renew with priority"),
    ("A", 80, 20, 1.2, 2, "续约", "Renew"),
    ("B", 70, 50, 1.0, 0, "续约", "Renew"),
    ("C", 60, 15, 0.8, -3, "观察", "Watch"),
    ("D", 0, 5, 0.0, -10, "整改", "Improve or terminate"),
)
DEFAULT_RATER_WEIGHTS: tuple[tuple[str, str, str, float], ...] = (
    # indicator, role zh, role en, weight
    ("*", "主管", "Supervisor", 60),
    ("*", "用工部门", "User department", 40),
)
