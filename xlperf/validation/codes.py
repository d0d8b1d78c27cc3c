"""The catalogue of finding codes: one stable slug per kind of problem, with its severity and its
message and hint in both languages.

Codes are part of the public surface (JSON output, the findings sheet, docs/VALIDATION.md and the
tests all enumerate this dict), so a code is never renamed; a new kind of problem gets a new code.

Templates are ``str.format`` templates. Every finding can use ``{table}`` (the sheet label of the
table), ``{field}`` (the column label), ``{value}`` and ``{cell}``; the others are named where the
check emits the code. Unknown placeholders are left as they are rather than raising.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..findings import Severity
from ..i18n import Text

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

LEVEL_NAMES: dict[str, Text] = {"vendor": Text("供应商级", "vendor"), "worker": Text("人员级", "worker")}


def level_name(level: object, lang: str) -> str:
    t = LEVEL_NAMES.get(str(level))
    return t(lang) if t else str(level)


# How a choice value is named in a Chinese message. Each name is also an accepted spelling of its
# value (aliases.py), so a message that names it tells HR something they can type.
CHOICE_NAMES_ZH: dict[str, str] = {
    "vendor": "供应商", "worker": "外包人员",
    "linear": "线性", "ratio": "比率", "bands": "分档", "rating": "评分", "deduction": "扣分", "adjust": "加减分",
    "veto": "一票否决", "team": "团队",
    "higher": "越高越好", "lower": "越低越好",
    "sum": "求和", "mean": "平均值", "last": "最新", "max": "最大值", "min": "最小值", "count": "计数",
    "report": "定期报告", "onsite": "现场检查", "online": "在线监控",
    "open": "开放", "closed": "已关闭",
    "draft": "草稿", "agreed": "已约定", "in_progress": "进行中", "achieved": "已达成", "missed": "未达成",
    "cancelled": "已取消",
    "renormalize": "重新分配", "zero": "记零分", "exclude": "排除", "absolute": "分数线", "forced": "强制分布",
    "all": "全部", "zh": "中文", "en": "英文",
}


def choice_name(value: object, lang: str) -> str:
    """A choice value as a message in ``lang`` names it: the value itself in English."""
    text = "" if value is None else str(value)
    return CHOICE_NAMES_ZH.get(text, text) if lang == "zh" else text


def choice_list(choices: tuple[str, ...], lang: str) -> str:
    return " / ".join(choice_name(c, lang) for c in choices)


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    message: Text
    hint: Text
    group: str  # for the docs: which part of the workbook the code is about


def _c(code: str, severity: Severity, group: str, zh: str, en: str, hint_zh: str, hint_en: str) -> Code:
    return Code(code, severity, Text(zh, en), Text(hint_zh, hint_en), group)


_ALL: tuple[Code, ...] = (
    # --- structure: tables, columns, layout --------------------------------------------------------
    _c("missing-table", E, "structure",
       "缺少表“{table}”（表格名称 {name}）", "The table '{table}' (table name {name}) is missing",
       "从模板复制该工作表，或用 xlperf new 新建工作簿后把数据粘贴过去。",
       "Copy the sheet from the template, or create a workbook with xlperf new and paste the data in."),
    _c("missing-column", E, "structure",
       "表“{table}”缺少必填列“{field}”", "The table '{table}' has no '{field}' column, which is required",
       "在表头行加上“{field}”列（中文表头、英文表头或字段名 {key} 均可）。",
       "Add a '{field}' column to the header row (Chinese label, English label or key {key})."),
    _c("duplicate-column", E, "structure",
       "表“{table}”中“{field}”列出现了不止一次", "The column '{field}' appears more than once in '{table}'",
       "删除或改名多余的一列；xlperf 只读取第一列。", "Delete or rename the extra column; xlperf reads the first one."),
    _c("empty-table", E, "structure",
       "表“{table}”没有数据", "The table '{table}' has no rows",
       "至少填写一行后再计算。", "Fill in at least one row before scoring."),
    _c("formula-in-input", W, "structure",
       "输入单元格含公式 {value}，将使用其计算结果", "The input cell holds the formula {value}; its result is used",
       "输入表请填写数值：复制后“选择性粘贴 → 数值”，以免结果随公式变化。",
       "Input tables should hold values: copy and Paste Special → Values so results do not drift."),
    _c("merged-cells", W, "structure",
       "合并单元格 {value} 覆盖了表格数据区，只有左上角单元格有值", "Merged cells {value} cover table data; only the top-left cell holds a value",
       "取消合并单元格，并在每个单元格中填写数据。", "Unmerge the cells and fill in every cell."),
    # --- cells: types and allowed values ------------------------------------------------------------
    _c("required-empty", E, "cells",
       "“{field}”为必填项，不能为空", "'{field}' is required and is empty",
       "填写该单元格，或删除整行。", "Fill in the cell, or delete the whole row."),
    _c("not-a-number", E, "cells",
       "“{field}”应为数字，实际为“{value}”", "'{field}' must be a number, found '{value}'",
       "只填写数字，如 95、95%、1,200；不要加文字说明（可写在备注列）。",
       "Enter a number only, e.g. 95, 95% or 1,200; put words in a note column."),
    _c("not-a-date", E, "cells",
       "“{field}”应为日期，实际为“{value}”", "'{field}' must be a date, found '{value}'",
       "按 2026-01-15 的格式填写日期。", "Enter the date as 2026-01-15."),
    _c("excel-error", E, "cells",
       "“{field}”是 Excel 错误值 {value}", "'{field}' holds the Excel error value {value}",
       "修正产生错误的公式，或改为填写数值。", "Fix the formula that produces the error, or type the value."),
    _c("excel-error-in-text", W, "cells",
       "文字列“{field}”是 Excel 错误值 {value}，按空白处理", "The text column '{field}' holds the Excel error {value}; it is read as blank",
       "修正产生错误的公式，或清空该单元格。", "Fix the formula that produces the error, or clear the cell."),
    _c("invalid-choice", E, "cells",
       "“{field}”的值“{value}”不在可选范围内（可选：{choices}）", "'{value}' is not a valid '{field}' (allowed: {choices})",
       "从下拉列表中选择。", "Pick a value from the drop-down list."),
    _c("unknown-method", E, "cells",
       "未知的计分方法“{value}”（可选：{choices}）", "Unknown scoring method '{value}' (allowed: {choices})",
       "从下拉列表中选择计分方法。", "Pick the scoring method from the drop-down list."),
    _c("out-of-range", E, "cells",
       "“{field}”的值 {value} 超出允许范围（{range}）", "'{field}' = {value} is outside the allowed range ({range})",
       "填写 {range} 之间的数值。", "Enter a value within {range}."),
    _c("negative-count", E, "cells",
       "指标 {indicator} 记录的是次数/数量，不能为负数：{value}", "Indicator {indicator} counts things and cannot be negative: {value}",
       "填写 0 或正数；扣分由“每单位分值”计算。", "Enter 0 or a positive count; the deduction comes from 'points per unit'."),
    _c("veto-not-yes-no", E, "cells",
       "一票否决指标 {indicator} 的记录应为 是/否，实际为“{value}”", "Veto indicator {indicator} needs yes or no, found '{value}'",
       "填写 是 或 否（也可 Y/N、√/×、1/0）。", "Enter yes or no (Y/N, TRUE/FALSE, 1/0 also work)."),
    # --- normalisations: what was read differently from how it was typed -------------------------
    _c("normalised-percent", I, "normalisation",
       "“{value}”按百分数读取为 {new}", "'{value}' was read as the percentage {new}",
       "无需处理；百分数按百分点读取（95% → 95）。", "Nothing to do; percentages are read as points (95% → 95)."),
    _c("normalised-fullwidth", I, "normalisation",
       "全角字符“{value}”已转为半角 {new}", "Full-width '{value}' was read as {new}",
       "无需处理；建议用半角输入。", "Nothing to do; half-width input is preferred."),
    _c("normalised-thousands", I, "normalisation",
       "“{value}”已去掉千位分隔符，读取为 {new}", "'{value}' was read as {new} (thousands separators removed)",
       "无需处理；建议将单元格设为数字格式。", "Nothing to do; a number format is preferred."),
    _c("normalised-spaces", I, "normalisation",
       "“{value}”已去掉多余空格，读取为 {new}", "'{value}' was read as {new} (stray spaces removed)",
       "无需处理；建议删除多余空格。", "Nothing to do; consider removing the spaces."),
    _c("normalised-text-number", I, "normalisation",
       "文本“{value}”读取为数字 {new}", "The text '{value}' was read as the number {new}",
       "无需处理；建议将单元格设为数字格式。", "Nothing to do; a number format is preferred."),
    _c("normalised-yes-no", I, "normalisation",
       "“{value}”读取为 {new}", "'{value}' was read as {new}",
       "无需处理。", "Nothing to do."),
    _c("normalised-serial-date", I, "normalisation",
       "数字 {value} 按 Excel 日期序号读取为 {new}", "The number {value} was read as the Excel date {new}",
       "无需处理；建议将单元格设为日期格式。", "Nothing to do; a date format is preferred."),
    _c("normalised-text-date", I, "normalisation",
       "文本“{value}”读取为日期 {new}", "The text '{value}' was read as the date {new}",
       "请确认日期无误；建议按 2026-01-15 填写并设为日期格式。", "Check the date; 2026-01-15 in a date-formatted cell is preferred."),
    _c("normalised-choice", I, "normalisation",
       "“{value}”读取为 {new}", "'{value}' was read as {new}",
       "无需处理。", "Nothing to do."),
    _c("normalised-period", I, "normalisation",
       "日期 {value} 读取为期间 {new}", "The date {value} was read as the period {new}",
       "Excel 把 2026-01 自动转成了日期；无需处理，或将该列设为文本格式。",
       "Excel turned 2026-01 into a date; nothing to do, or format the column as text."),
    _c("derived-period", I, "normalisation",
       "{count} 条记录未填期间，已按日期归入期间", "{count} record(s) had no period; it was derived from the date",
       "无需处理。", "Nothing to do."),
    _c("more-findings", I, "normalisation",
       "“{field}”列另有 {count} 个同类问题（{code}）未逐一列出", "{count} more '{code}' findings in column '{field}' are not listed",
       "修正上面列出的单元格后再次校验。", "Fix the cells listed above and validate again."),
    # --- keys and references ------------------------------------------------------------------------
    _c("duplicate-id", E, "references",
       "“{value}”重复（第 {first} 行已出现）", "'{value}' is a duplicate (first in row {first})",
       "每个编号只能出现一次：删除重复行或改用新编号。", "Each id may appear once: delete the duplicate row or use a new id."),
    _c("unknown-reference", E, "references",
       "“{value}”在“{target}”中不存在", "'{value}' does not exist in '{target}'",
       "先在“{target}”中添加它，或改正拼写。", "Add it to '{target}' first, or fix the spelling."),
    _c("worker-vendor-mismatch", E, "references",
       "人员 {worker} 属于供应商 {expected}，却记在供应商 {value} 下", "Worker {worker} belongs to vendor {expected} but is filed under {value}",
       "改为 {expected}，或在“外包人员”中更正该人员的供应商。", "Change it to {expected}, or correct the worker's vendor."),
    _c("worker-required", E, "references",
       "指标 {indicator} 是人员级指标，必须填写人员编号", "Indicator {indicator} is worker-level; a worker id is required",
       "填写人员编号，或在指标表中把该指标改为供应商级。", "Enter the worker id, or make the indicator vendor-level."),
    _c("worker-not-expected", W, "references",
       "指标 {indicator} 是供应商级指标，人员编号 {value} 将被忽略", "Indicator {indicator} is vendor-level; worker {value} is ignored",
       "清空人员编号，或改用人员级指标。", "Clear the worker id, or use a worker-level indicator."),
    _c("dimension-level-mismatch", E, "references",
       "维度“{value}”没有{level}的定义", "The dimension '{value}' is not defined for the {level} level",
       "在“考核维度”中为该层级添加此维度，或改正指标的层级。", "Add the dimension for that level, or correct the indicator's level."),
    _c("method-level-mismatch", E, "references",
       "{method}只能用于供应商级指标", "{method} applies to vendor-level indicators only",
       "把层级改为供应商，或换一种计分方法。", "Set the level to vendor, or choose another method."),
    # --- weights ------------------------------------------------------------------------------------
    _c("dimension-weights-total", E, "weights",
       "{level}各维度权重合计 {total}，应为 100", "Dimension weights of the {level} level total {total}, not 100",
       "调整权重使合计为 100（误差 ±0.01）。{extra}", "Adjust the weights so they total 100 (±0.01).{extra}"),
    _c("indicator-weights-total", E, "weights",
       "维度“{dimension}”（{level}）各指标权重合计 {total}，应为 100（期间 {periods}）",
       "Indicator weights of dimension '{dimension}' ({level}) total {total}, not 100 (periods {periods})",
       "调整该维度内指标权重使合计为 100；注意生效/失效期间。{extra}",
       "Adjust the weights within the dimension to total 100; mind effective from/to.{extra}"),
    _c("rater-weights-total", E, "weights",
       "指标 {indicator} 的评分角色权重合计 {total}，应为 100", "Rater weights of {indicator} total {total}, not 100",
       "调整各评分角色权重使合计为 100。", "Adjust the rater weights to total 100."),
    _c("rater-weights-missing", E, "weights",
       "评分类指标 {indicator} 没有评分权重（也没有 * 默认权重）", "Rating indicator {indicator} has no rater weights (and there is no * default)",
       "在“评分权重”中为该指标或 * 添加角色权重。", "Add rater weights for the indicator or for *."),
    _c("quota-total", E, "weights",
       "强制分布各等级比例合计 {total}，应为 100", "Forced-distribution quotas total {total}, not 100",
       "调整“比例(%)”列使合计为 100。", "Adjust the quota column to total 100."),
    _c("weight-ignored", W, "weights",
       "{method}类指标不计权重，填写的权重 {value} 将被忽略", "{method} indicators carry no weight; {value} is ignored",
       "清空该权重。", "Clear the weight."),
    # --- scoring-method parameters ------------------------------------------------------------------
    _c("missing-parameter", E, "methods",
       "{method}需要填写“{field}”", "{method} needs '{field}'",
       "填写“{field}”。", "Fill in '{field}'."),
    _c("floor-equals-target", E, "methods",
       "线性计分的底线值与目标值相同（{value}），无法计分", "Linear scoring needs floor ≠ target (both {value})",
       "底线值是得 0 分的值，目标值是得 100 分的值，两者必须不同。",
       "The floor scores 0 and the target scores 100, so they must differ."),
    _c("direction-order", E, "methods",
       "方向为 {direction} 时应满足 {order}，实际为 底线 {floor}、目标 {target}、挑战 {stretch}",
       "Direction {direction} needs {order}; found floor {floor}, target {target}, stretch {stretch}",
       "检查方向（越高越好 / 越低越好）和三个值的大小顺序。",
       "Check the direction (higher or lower is better) and the order of the three values."),
    _c("zero-target", E, "methods",
       "比率计分的目标值不能为 0", "Ratio scoring needs a non-zero target",
       "填写非零的目标值。", "Enter a non-zero target."),
    _c("band-inverted", E, "methods",
       "分档表 {band_set} 中下限 {lower} 不小于上限 {upper}", "In band set {band_set} the lower bound {lower} is not below the upper bound {upper}",
       "下限（含）应小于上限（不含）。", "The lower bound (inclusive) must be below the upper bound (exclusive)."),
    _c("bands-overlap", E, "methods",
       "分档表 {band_set} 的区间 [{lower}, {upper}) 与上一档 [{prev_lower}, {prev_upper}) 重叠",
       "In band set {band_set} the band [{lower}, {upper}) overlaps [{prev_lower}, {prev_upper})",
       "每一档的下限应等于上一档的上限。", "Each band's lower bound should equal the previous band's upper bound."),
    _c("bands-gap", E, "methods",
       "分档表 {band_set} 在 {prev_upper} 到 {lower} 之间没有分档", "Band set {band_set} has a gap between {prev_upper} and {lower}",
       "每一档的下限应等于上一档的上限。", "Each band's lower bound should equal the previous band's upper bound."),
    _c("rating-out-of-scale", E, "methods",
       "评分 {value} 超出 1～{scale} 分制", "The rating {value} is outside the 1-{scale} scale",
       "填写 1 到 {scale} 之间的评分。", "Enter a rating from 1 to {scale}."),
    _c("grades-order", W, "methods",
       "等级 {value} 的最低分 {score} 不低于上一等级的最低分 {prev}", "Grade {value} has min score {score}, not below the previous grade's {prev}",
       "等级从高到低排列，最低分依次递减。", "List grades from highest to lowest with falling min scores."),
    # --- periods and dates --------------------------------------------------------------------------
    _c("end-before-start", E, "periods",
       "“{field}” {value} 早于“{start_field}” {start}", "'{field}' {value} is before '{start_field}' {start}",
       "检查两个日期（或期间）的先后。", "Check the order of the two dates (or periods)."),
    _c("periods-overlap", E, "periods",
       "期间 {value} 与期间 {other} 的日期重叠", "Period {value} overlaps period {other}",
       "同一级别的期间不能重叠；季度等汇总期间请填在“汇总到”列。",
       "Periods of one level must not overlap; quarters belong in the 'rolls up to' column."),
    _c("date-outside-periods", E, "periods",
       "日期 {value} 不在任何考核期间内", "The date {value} falls in no period",
       "在“考核期间”中添加对应期间，或改正日期。", "Add the period, or correct the date."),
    _c("date-period-mismatch", W, "periods",
       "日期 {value} 不在所填期间 {period} 内", "The date {value} is not inside the period {period} given",
       "核对日期和期间；计分按所填期间 {period}。", "Check the date and period; scoring uses the period {period}."),
    _c("rollup-cycle", E, "periods",
       "期间 {period} 汇总到 {value}，形成循环：{cycle}", "Period {period} rolls up to {value}, which makes a loop: {cycle}",
       "月度期间汇总到季度、季度汇总到年度，不能回到自身：清空或改正该单元格。",
       "Months roll up to quarters and quarters to years, never back to themselves: clear or correct the cell."),
    _c("indicator-not-effective", W, "periods",
       "指标 {value} 在期间 {period} 不生效，该记录不计分", "Indicator {value} is not effective in {period}; the record is not scored",
       "核对期间，或调整该指标的生效/失效期间。", "Check the period, or the indicator's effective from/to."),
    # --- SMART goals --------------------------------------------------------------------------------
    _c("goal-not-specific", W, "goals",
       "目标描述过短（少于 {min} 个字），不够具体", "The goal description is shorter than {min} characters: not Specific",
       "写清楚做什么、达到什么结果。", "Say what will be done and what result it achieves."),
    _c("goal-not-measurable", W, "goals",
       "目标不可衡量：{reason}", "The goal is not Measurable: {reason}",
       "关联一个指标并填写数值目标。", "Link an indicator and enter a numeric target."),
    _c("goal-not-achievable", W, "goals",
       "目标值 {value} 超出指标 {indicator} 的{limit_name} {limit}", "The target {value} is beyond indicator {indicator}'s {limit_name} {limit}",
       "把目标值设在指标可计分的范围内。", "Set a target within what the indicator can score."),
    _c("goal-not-relevant", W, "goals",
       "目标未填写支撑的战略目标", "The goal names no strategic objective: not Relevant",
       "填写该目标支撑的战略目标。", "Enter the strategic objective the goal serves."),
    _c("goal-no-deadline", W, "goals",
       "目标没有截止日期", "The goal has no deadline: not Time-bound",
       "填写截止日期。", "Enter a deadline."),
    _c("goal-deadline-before-agreement", W, "goals",
       "截止日期 {value} 早于约定日期 {agreed}", "The deadline {value} is before the agreement date {agreed}",
       "检查截止日期和约定日期。", "Check the deadline and the agreement date."),
    # --- settings -----------------------------------------------------------------------------------
    _c("unknown-setting", W, "settings",
       "未知参数“{value}”，已忽略", "Unknown setting '{value}' ignored",
       "检查参数名拼写（可选：{choices}）。", "Check the spelling (known settings: {choices})."),
    _c("invalid-setting", E, "settings",
       "参数“{key}”的取值“{value}”无效（{expect}）", "The setting '{key}' has the invalid value '{value}' ({expect})",
       "改为有效取值，或清空以使用默认值 {default}。", "Enter a valid value, or clear it to use the default {default}."),
)

CODES: dict[str, Code] = {c.code: c for c in _ALL}
GROUPS: tuple[str, ...] = ("structure", "cells", "normalisation", "references", "weights", "methods", "periods",
                           "goals", "settings")

# issue 16: the kinds of the sources table (数据来源配置)
CHOICE_NAMES_ZH.update({"csv": "CSV文件", "excel": "Excel文件", "parquet": "Parquet文件", "sql": "数据库"})
