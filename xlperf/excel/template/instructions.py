"""The 说明 (Instructions) sheet: what the workbook is, the order to fill it in, every table's columns and
a worked example of each table, and how each scoring method turns a value into points.

Everything is derived from the contract except the example rows and the method examples, which are
written here once (the numbers are the engine's worked examples, so HR can check them by hand).
"""

from __future__ import annotations

import math
import unicodedata

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from ...contract import INPUT_TABLES, Field, FieldType, Table
from ...contract.choices import METHODS as METHOD_VOCAB
from ...contract.choices import Vocab
from ...contract.tables import SETTINGS_BY_KEY
from ...i18n import Text

README_CODENAME = "shReadme"
README_SHEET = Text("说明", "Instructions")

T = Text
TITLE_FONT = Font(bold=True, size=16, color="1F4E78")
H1_FONT = Font(bold=True, size=13, color="1F4E78")
BOLD = Font(bold=True)
EXAMPLE_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
NOTE_FONT = Font(italic=True, color="595959")

TYPE_NAMES: dict[FieldType, Text] = {
    FieldType.TEXT: T("文本", "text"),
    FieldType.NUMBER: T("数值", "number"),
    FieldType.INTEGER: T("整数", "whole number"),
    FieldType.DATE: T("日期", "date"),
    FieldType.BOOL: T("是/否", "yes/no"),
    FieldType.CHOICE: T("下拉选项", "choice"),
    FieldType.PERIOD: T("期间", "period"),
    FieldType.ANY: T("按参数而定", "depends on the setting"),
}

INTRO: tuple[Text, ...] = (
    T("本工作簿是一套完整的劳务外包绩效管理工具：在各张表中定义考核维度、指标、权重、评分标准，"
      "登记供应商、外包人员、监控记录和评分，然后点击功能区“绩效管理”选项卡上的按钮完成校验、计分、评级、反馈。",
      "This workbook is a complete outsourced-labour performance system: define dimensions, indicators, weights "
      "and scoring standards, register vendors, workers, monitoring records and ratings, then use the "
      "Performance ribbon tab to validate, score, grade and produce feedback."),
    T("每张数据表都是一个 Excel 表格（带筛选按钮的区域）。请在表格内逐行填写；在最后一行下方继续输入，表格会自动扩展。",
      "Each data sheet holds an Excel Table (the area with filter buttons). Type row by row inside it; typing "
      "just below the last row extends the table."),
    T("表头为橙色、带 * 的列必须填写；蓝色表头的列可以留空。带下拉箭头的单元格请从列表中选择。",
      "Orange headers marked * are required; blue headers may be left blank. Cells with a dropdown take a value "
      "from the list."),
    T("可以重命名或调整工作表顺序、调整列的顺序、在表格右侧增加自己的列；请不要删除表格或改动表格名称。"
      "表头可以用中文或英文名称。",
      "You may rename or reorder sheets, reorder columns and add your own columns to the right of a table; do "
      "not delete a table or change its name. Headers may be in Chinese or English."),
    T("结果表（计算结果、指标得分、预警、校验结果、运行日志）由程序生成，每次运行时整体覆盖，请不要在其中手工录入。",
      "Output sheets (Results, Scores, Warnings, Findings, Run log) are written by xlperf and replaced whole on "
      "every run; do not type into them."),
)

STEPS: tuple[Text, ...] = (
    T("1. 参数设置：填写组织名称、当前期间，按需要调整缺失数据处理、评级方式等参数。",
      "1. Settings: organisation name, current period; adjust the missing-data policy and grading mode if needed."),
    T("2. 考核维度 → 考核期间 → 分档标准 → 考核指标：先搭好考核体系（维度权重按层级合计 100，指标权重按维度合计 100）。",
      "2. Dimensions → Periods → Bands → Indicators: the scoring system (dimension weights total 100 per level, "
      "indicator weights total 100 per dimension)."),
    T("3. 评分权重、等级与激励：确认评分角色的权重和各等级的分数线、比例、奖金系数、服务费调整。",
      "3. Rater weights, Grades: rater role weights and each grade's threshold, quota, bonus coefficient and fee "
      "adjustment."),
    T("4. 供应商 → 外包人员 → SMART目标：登记合作对象和约定的目标。",
      "4. Vendors → Workers → Goals: who is evaluated and the goals agreed with them."),
    T("5. 监控记录、评分记录：按期录入（也可用 xlperf import 从 CSV 导入）。",
      "5. Observations, Ratings: recorded during each period (or loaded from CSV with xlperf import)."),
    T("6. 点击“校验数据”，按“校验结果”表逐条修正；再点击“全部重算”（全部开放期间）或“重算本期”"
      "（参数设置中的“当前期间”；未填写时为全部开放期间）。",
      "6. Click Validate and fix each finding on the Findings sheet; then Recompute all (every open period) or "
      "Recompute period (the Current period setting; when blank, every open period)."),
)

# What each table is for, in a sentence (the contract's own doc, where it has one, comes first).
TABLE_ABOUT: dict[str, Text] = {
    "settings": T("全局参数，每行一个：参数名、取值（带下拉箭头的从列表中选择）和说明；参数名不可更改。",
                  "Global settings, one per row: the name, its value (pick from the list where there is one) and "
                  "what it does; the names are fixed."),
    "dimensions": T("考核维度及其权重，供应商和外包人员两个层级各自合计 100。",
                    "Dimensions and their weights; each level (vendor, worker) totals 100."),
    "indicators": T("考核指标：所属维度、权重、计分方法及参数、评分标准与改进建议。",
                    "Indicators: dimension, weight, scoring method and parameters, standard and improvement tip."),
    "bands": T("分档计分的档位：同一分档表的各档首尾相接、不重叠。", "Score bands for the bands method: contiguous, no overlaps."),
    "vendors": T("合作的劳务外包供应商。", "The outsourcing vendors."),
    "workers": T("外包人员及其所属供应商。", "Outsourced workers and their vendor."),
    "periods": T("考核期间：月度期间可汇总到季度。", "Evaluation periods; months may roll up to a quarter."),
    "observations": T("监控记录：定期报告、现场检查、在线监控得到的每一条数据。",
                      "Monitoring records: every value from periodic reports, on-site checks and online monitoring."),
    "ratings": T("评分记录：主管、用工部门等角色对评分类指标的打分。",
                 "Ratings: scores given by supervisors, user departments and other roles to rating indicators."),
    "rater_weights": T("各评分角色的权重，每个指标合计 100；指标编号为 * 表示默认。",
                       "Weight of each rater role, totalling 100 per indicator; * is the default."),
    "grades": T("等级、分数线、强制分布比例与奖金、服务费挂钩；从高到低排列。",
                "Grades with thresholds, forced-distribution quotas, bonus and fee links; highest first."),
    "goals": T("与供应商或人员约定的 SMART 目标。", "SMART goals agreed with vendors or workers."),
    "scenarios": T("方案模拟：调整权重、目标值、分数线后谁的等级会变、奖金和服务费变多少；点“方案模拟”查看，不改变真实结果。",
                   "What-if scenarios: who would change grade, and what bonuses and fees would do, under changed weights, "
                   "targets or thresholds; 'Simulate' shows it without changing the real results."),
    "calibrations": T("校准会议的结论：校准后等级、理由、校准人；重算时在评级之后生效，排名不变，期间关闭后锁定。",
                      "Calibration outcomes: the calibrated grade, the reason and who decided; applied after grading on "
                      "recompute, the rank unchanged, locked once the period is closed."),
}


def table_about(table: Table, lang: str) -> str:
    doc = table.doc_zh if lang == "zh" else table.doc_en
    about = TABLE_ABOUT[table.name](lang) if table.name in TABLE_ABOUT else ""
    return about or doc


# One worked example per table: the rows HR would type (values are per field key; Text is translated).
EXAMPLES: dict[str, list[dict[str, object]]] = {
    "settings": [
        {"key": "org_name", "value": T("某某科技有限公司", "Example Tech Ltd"), "description": T("显示在反馈表抬头", "Shown on feedback sheets")},
        {"key": "current_period", "value": "2026-07"},
        {"key": "grade_mode", "value": "forced", "description": T("改为强制分布", "Switch to forced distribution")},
    ],
    "dimensions": [
        {"dimension": T("质量", "Quality"), "level": "worker", "weight": 60},
        {"dimension": T("效率", "Efficiency"), "level": "worker", "weight": 40},
    ],
    "indicators": [
        {"indicator_id": "Q1", "name": T("一次通过率", "First-pass rate"), "dimension": T("质量", "Quality"),
         "level": "worker", "weight": 50, "method": "linear", "direction": "higher", "floor": 90, "target": 98,
         "stretch": 100, "cap": 120, "aggregation": "mean", "unit": "%", "source": "online",
         "standard": T("90% 得 0 分，98% 得 100 分，100% 得 120 分", "90% scores 0, 98% scores 100, 100% scores 120"),
         "tip": T("复盘返工原因，加强自检", "Review rework causes; self-check before hand-over")},
        {"indicator_id": "Q2", "name": T("客户投诉", "Complaints"), "dimension": T("质量", "Quality"), "level": "worker",
         "weight": 50, "method": "deduction", "per_unit": 5, "aggregation": "sum", "unit": T("次", "count"),
         "source": "report", "standard": T("每次投诉扣 5 分", "5 points off per complaint")},
        {"indicator_id": "S1", "name": T("安全事故", "Safety incident"), "dimension": T("质量", "Quality"),
         "level": "worker", "method": "veto", "source": "onsite", "standard": T("发生即一票否决", "Any incident vetoes the total")},
    ],
    "bands": [
        {"band_set": "B60", "lower": 0, "upper": 60, "score": 40},
        {"band_set": "B60", "lower": 60, "upper": 80, "score": 70},
        {"band_set": "B60", "lower": 80, "score": 100},
    ],
    "vendors": [
        {"vendor_id": "V001", "name": T("华信人力资源有限公司", "Huaxin Staffing Ltd"), "contract_no": "HT-2026-001",
         "service": T("客服外包", "Customer service"), "contract_start": "2026-01-01", "contract_end": "2026-12-31",
         "base_fee": 1200000, "contact": T("王经理", "Ms Wang"), "email": "wang@example.com", "pack_password": "Hx#2026"},
    ],
    "workers": [
        {"worker_id": "W0001", "name": T("张伟", "Zhang Wei"), "vendor_id": "V001", "role": T("客服专员", "Agent"),
         "team": T("一组", "Team 1"), "start_date": "2025-03-01", "base_bonus": 3000},
    ],
    "periods": [
        {"period_id": "2026-07", "start": "2026-07-01", "end": "2026-07-31", "rollup": "2026-Q3", "status": "open"},
        {"period_id": "2026-Q3", "start": "2026-07-01", "end": "2026-09-30", "status": "open"},
    ],
    "observations": [
        {"date": "2026-07-15", "period_id": "2026-07", "vendor_id": "V001", "worker_id": "W0001", "indicator_id": "Q1",
         "value": 96.5, "source": "online", "recorder": T("李娜", "Li Na")},
        {"date": "2026-07-20", "vendor_id": "V001", "worker_id": "W0001", "indicator_id": "Q2", "value": 1,
         "source": "report", "note": T("期间可不填，按日期归属", "Period left blank: taken from the date")},
    ],
    "ratings": [
        {"period_id": "2026-07", "vendor_id": "V001", "worker_id": "W0001", "indicator_id": "T1",
         "rater_role": T("主管", "Supervisor"), "rater": T("刘强", "Liu Qiang"), "rating": 4,
         "comment": T("主动协助同事", "Helps colleagues")},
    ],
    "rater_weights": [
        {"indicator_id": "*", "rater_role": T("主管", "Supervisor"), "weight": 60},
        {"indicator_id": "*", "rater_role": T("用工部门", "User department"), "weight": 40},
    ],
    "grades": [
        {"grade": "S", "min_score": 90, "quota": 10, "bonus_coef": 1.5, "fee_adjust": 5, "action": T("优先续约", "Renew with priority")},
        {"grade": "D", "min_score": 0, "quota": 5, "bonus_coef": 0, "fee_adjust": -10, "action": T("整改", "Improve or terminate")},
    ],
    "goals": [
        {"goal_id": "G001", "vendor_id": "V001", "worker_id": "W0001", "indicator_id": "Q1",
         "description": T("三个月内一次通过率从 92% 提升到 98%", "Raise the first-pass rate from 92% to 98% within three months"),
         "baseline": 92, "target": 98, "objective": T("提升客户满意度", "Customer satisfaction"),
         "deadline": "2026-09-30", "agreed_on": "2026-07-01", "status": "agreed"},
    ],
    "scenarios": [
        {"scenario": T("质量优先", "Quality first"), "change": "dimension_weight", "key": T("质量", "Quality"),
         "value": 50, "description": T("质量维度权重由 40 提高到 50", "Quality weight from 40 to 50")},
        {"scenario": T("质量优先", "Quality first"), "change": "indicator_param", "key": "Q1", "field": "target",
         "value": 99, "description": T("一次通过率目标由 98 提高到 99", "First-pass target from 98 to 99")},
    ],
    "calibrations": [
        {"period_id": "2026-07", "vendor_id": "V001", "worker_id": "W0001", "grade": "A",
         "reason": T("承担紧急项目，数据未反映", "Carried an urgent project the data does not show"),
         "calibrated_by": T("王经理", "Manager Wang")},
    ],
}

# issue 16: the sources table (xlperf pull, 刷新监控数据)
TABLE_ABOUT["sources"] = T(
    "数据来源配置（由 IT 填写）：从文件、Parquet 或数据库按人员、指标、期间汇总监控数据，点击“刷新监控数据”写入监控记录。",
    "Where monitoring data is pulled from (filled by IT): files, Parquet or databases grouped per worker, indicator "
    "and period into Observations by 'Refresh monitoring'.")
EXAMPLES["sources"] = [
    {"source_id": "CALLS", "kind": "parquet", "location": "D:/exports/calls/*.parquet", "date_col": "call_time",
     "worker_col": "agent_id", "value_col": "handle_seconds", "indicator_id": "Q1",
     "enabled": T("是", "yes"), "note": T("呼叫中心导出", "Call-centre export")},
    {"source_id": "QA", "kind": "sql", "location": "postgresql+psycopg://hr_reader@db.example.com/quality",
     "query": "SELECT checked_on, worker, kpi, score FROM qa.checks", "date_col": "checked_on", "worker_col": "worker",
     "indicator_col": "kpi", "value_col": "score", "secret_env": "XLPERF_QA_PASSWORD", "enabled": T("是", "yes")},
]

# issue 14: what comes back from the vendors (xlperf collect, 收集回复)
TABLE_ABOUT["appeals"] = T(
    "供应商在反馈包“供应商回复”表中提出的申诉与说明，点击“收集回复”后自动登记；人力资源部填写处理状态、更正数值和处理理由，"
    "调整的申诉在重算时生效并写入说明。",
    "Appeals and notes vendors sent back in their packs' reply sheet, entered by 'Collect replies'; HR fills in the "
    "status, corrected value and reason, and an adjusted appeal takes effect on recompute, explained.")
TABLE_ABOUT["improvement_plans"] = T(
    "整改计划：供应商回复和绩效面谈中约定的改进措施、负责人、完成期限；逾期未完成会预警，下期反馈表显示改进前后的得分。",
    "Improvement plans agreed in vendor replies and feedback interviews: action, owner, due date; an overdue open plan "
    "raises a warning, and the next period's feedback shows the score before and after.")
EXAMPLES["appeals"] = [
    {"appeal_id": "AP-2026-07-0001", "period_id": "2026-07", "vendor_id": "V001", "worker_id": "W0001",
     "indicator_id": "Q1", "opinion": "appeal", "score": 62.5, "reason": T("7 月 12 日系统故障，当天工单未计入", "A system outage on 12 July lost that day's tickets"),
     "proposed_value": 97, "evidence": T("附运维故障单 INC-0712", "Outage ticket INC-0712"), "received_on": "2026-08-05",
     "late": T("否", "no"), "status": "adjusted", "corrected_value": 96.5,
     "decision_reason": T("核实故障单，补录当天数据", "Outage confirmed; the day's data added"),
     "decided_by": T("王经理", "Manager Wang"), "decided_on": "2026-08-08"},
]
EXAMPLES["improvement_plans"] = [
    {"plan_id": "PL-2026-07-0001", "period_id": "2026-07", "vendor_id": "V001", "indicator_id": "Q1",
     "action": T("每日上线前增加一次自检", "A self-check before each day's release"), "owner": T("李组长", "Team lead Li"),
     "due": "2026-09-30", "status": "open", "source": T("供应商回复", "Vendor reply")},
]

METHODS: tuple[tuple[str, Text], ...] = (
    ("linear", T("线性：底线值得 0 分，目标值得 100 分，挑战值得“得分上限”，之间按直线计算。例：底线 90、目标 98、挑战 100、上限 120，"
                 "实际 96.5 → 100×(96.5−90)/(98−90) = 81.25 分；99 → 110 分；101 → 120 分；85 → 0 分。方向为“越低越好”时数值越低越好。",
                 "Linear: floor scores 0, target 100, stretch the cap, straight lines between. Floor 90, target 98, stretch "
                 "100, cap 120: 96.5 → 100×(96.5−90)/(98−90) = 81.25; 99 → 110; 101 → 120; 85 → 0. 'lower' means lower is better.")),
    ("ratio", T("比例：100×实际/目标（越低越好时 100×目标/实际），不超过上限。例：目标 200，实际 180 → 90 分。",
                "Ratio: 100×actual/target (100×target/actual when lower is better), up to the cap. Target 200, actual 180 → 90.")),
    ("bands", T("分档：落在“分档标准”表中 下限 ≤ 实际 < 上限 的那一档的得分。例：[0,60)→40、[60,80)→70、[80,∞)→100，实际 59.99 → 40 分。",
                "Bands: the score of the band with lower ≤ actual < upper on the Bands sheet. [0,60)→40, [60,80)→70, [80,∞)→100: 59.99 → 40.")),
    ("rating", T("评分：各评分角色取平均，再按“评分权重”加权，得分 = 100×评分/评分制。例：主管(60) 评 4，用工部门(40) 评 3 和 4 → 3.8 → 76 分。",
                 "Rating: mean per rater role, weighted by Rater weights; score = 100×rating/scale. Supervisor (60) gives 4, user department "
                 "(40) gives 3 and 4 → 3.8 → 76.")),
    ("deduction", T("扣分：100 − 每单位分值×次数，最低 0 分。例：每次扣 5 分，3 次 → 85 分。",
                    "Deduction: 100 − points per unit × count, not below 0. 5 per incident, 3 incidents → 85.")),
    ("adjust", T("加减分：每单位分值×数值直接加到总分（负数为减分），不占权重，不超过“得分上限”。",
                 "Adjust: points per unit × value added to the total (negative subtracts); no weight; limited to ±cap.")),
    ("veto", T("一票否决：期间内出现“是”，总分即为“否决后总分”，等级为最低等级。不占权重。",
               "Veto: a 'yes' in the period sets the total to the veto score and the grade to the lowest. No weight.")),
    ("team", T("团队（仅供应商层级）：该供应商所有人员本期总分的平均值。",
               "Team (vendor level only): the mean of the totals of the vendor's workers in the period.")),
)


def _value(value: object, lang: str) -> object:
    return value(lang) if isinstance(value, Text) else value


def example_value(table: Table, f: Field, example: dict[str, object], lang: str) -> object:
    """A cell of a worked example as HR would type it in a ``lang`` workbook: a choice as the word its
    dropdown offers, a setting by its name, a setting's choice value as its word."""
    value = _value(example.get(f.key), lang)
    if table.name == "settings":
        setting = SETTINGS_BY_KEY.get(str(example.get("key")))
        if setting is not None and f.key == "key":
            return setting.label(lang)
        if setting is not None and f.key == "value" and isinstance(setting.choices, Vocab):
            return setting.choices.word(value, lang)
        return value
    if isinstance(f.choices, Vocab) and isinstance(value, str):
        return f.choices.word(value, lang)
    return value


def method_word(key: str, lang: str) -> str:
    return METHOD_VOCAB.word(key, lang)


def _field_note(f: Field, lang: str) -> str:
    parts = [TYPE_NAMES[f.type](lang)]
    if f.choices:
        words = f.choices.words(lang) if isinstance(f.choices, Vocab) else f.choices
        parts.append(("可选：" if lang == "zh" else "one of: ") + " / ".join(words))
    if f.ref is not None:
        target = next(t for t in INPUT_TABLES if t.name == f.ref.table)
        parts.append(f"引用“{target.zh}”表" if lang == "zh" else f"from the {target.en} sheet")
    doc = f.doc_zh if lang == "zh" else f.doc_en
    if doc:
        parts.append(doc)
    return ("；" if lang == "zh" else "; ").join(parts)


def _display_width(text: str) -> int:
    """Columns a text needs: East Asian wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def write_instructions(wb: Workbook, lang: str) -> Worksheet:
    ws = wb.create_sheet(README_SHEET(lang))
    ws.sheet_properties.codeName = README_CODENAME
    ws.sheet_properties.tabColor = "C55A11"
    ws.sheet_view.showGridLines = False
    widths = (20, 14, 16, 14, 12, 12, 12, 12, 12, 12, 12)
    for j, w in enumerate(widths):
        ws.column_dimensions[chr(65 + j)].width = w
    wrap = Alignment(wrap_text=True, vertical="top")
    row = 1

    def line(text: str, font: Font | None = None) -> None:
        nonlocal row
        cell = ws.cell(row=row, column=1, value=text)
        if font is not None:
            cell.font = font
        row += 1

    def paragraph(text: str, first_col: int = 1, font: Font | None = None) -> None:
        # Long text wraps inside a merged block up to column K. Excel does not fit the height of merged
        # rows by itself, so the row height is estimated from the text's display width.
        nonlocal row
        cell = ws.cell(row=row, column=first_col, value=text)
        cell.alignment = wrap
        if font is not None:
            cell.font = font
        ws.merge_cells(start_row=row, start_column=first_col, end_row=row, end_column=len(widths))
        capacity = sum(widths[first_col - 1:])
        lines = max(1, math.ceil(_display_width(text) * 1.1 / capacity))
        if lines > 1:
            ws.row_dimensions[row].height = 15 * lines
        row += 1

    line(T("劳务外包绩效管理工作簿 · 使用说明", "Outsourced-labour performance workbook · Instructions")(lang), TITLE_FONT)
    row += 1
    for text in INTRO:
        paragraph(text(lang))
    row += 1
    line(T("填写顺序", "Order of work")(lang), H1_FONT)
    for text in STEPS:
        paragraph(text(lang))
    row += 1
    line(T("计分方法（考核指标表的“计分方法”列）", "Scoring methods (the Method column of Indicators)")(lang), H1_FONT)
    for key, text in METHODS:
        ws.cell(row=row, column=1, value=method_word(key, lang)).font = Font(bold=True)
        ws.cell(row=row, column=1).alignment = Alignment(vertical="top")
        paragraph(text(lang), 2)
    paragraph(T("总分 = 各维度得分按维度权重加权平均 + 加减分；维度得分 = 维度内各指标得分按指标权重加权平均。",
           "Total = dimension scores weighted by dimension weight, plus adjust points; a dimension score = its "
           "indicators' scores weighted by indicator weight.")(lang), 1, NOTE_FONT)
    row += 1

    for n, table in enumerate(INPUT_TABLES, start=1):
        title = f"{n}. {table.sheet_name(lang)}（{table.name}）" if lang == "zh" else f"{n}. {table.sheet_name(lang)} ({table.name})"
        line(title, H1_FONT)
        paragraph(table_about(table, lang))
        top = Alignment(vertical="top")
        for f in table.fields:
            label = ws.cell(row=row, column=1, value=f.label(lang) + (" *" if f.required else ""))
            key = ws.cell(row=row, column=2, value=f.key)
            label.font, key.font, label.alignment, key.alignment = BOLD, NOTE_FONT, top, top
            paragraph(_field_note(f, lang), 3)
        examples = EXAMPLES.get(table.name, [])
        if examples:
            line(T("填写示例：", "Example:")(lang), BOLD)
            for j, f in enumerate(table.fields):
                cell = ws.cell(row=row, column=1 + j, value=f.label(lang))
                cell.font = BOLD
                cell.fill = EXAMPLE_HEADER_FILL
                cell.alignment = wrap
            row += 1
            for example in examples:
                for j, f in enumerate(table.fields):
                    value = example_value(table, f, example, lang)
                    if value is not None:
                        ws.cell(row=row, column=1 + j, value=value)
                row += 1
        row += 1
    ws.freeze_panes = "A2"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"  # the text blocks span columns A..K
    return ws
