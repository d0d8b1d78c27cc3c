"""Every phrase the engine writes, in Chinese and English (explanations and warnings)."""

from __future__ import annotations

from ..i18n import Text

PTS = Text(" 分", " points")
ACTUAL = Text("实际 ", "actual ")
SEP = Text("，", ", ")
LIST_SEP = Text("、", ", ")
LOWER_BETTER = Text("越低越好，", "lower is better, ")
FLOOR = Text("底线 ", "floor ")
TARGET = Text("目标 ", "target ")
STRETCH = Text("挑战 ", "stretch ")
OPEN = Text("（", " (")
CLOSE = Text("）", ")")

LINEAR = Text("→ 线性：", " → linear: ")  # zh follows a closing "）"
BELOW_FLOOR = Text("未达底线 → 0 分", "below the floor → 0 points")
AT_STRETCH = Text("达到挑战值 → ", "stretch reached → ")
AT_TARGET = Text("达到目标 → ", "target reached → ")
RATIO = Text("→ 比率：", " → ratio: ")
NOTHING_TO_LOWER = Text("为 0，无可降低 → ", "is 0, nothing left to lower → ")
CAPPED = Text("，封顶 → ", ", capped → ")
FLOORED = Text("，不低于 0 → ", ", not below 0 → ")
BANDS = Text(" → 分档：", " → bands: ")
NO_BAND = Text("不在任何分档 → 0 分", "in no band → 0 points")
RATING = Text("评分 ", "rating ")
ARROW_AFTER_CLOSE = Text("→ ", " → ")
SCALE = Text(" 分制：", "-point scale: ")
DEDUCTION = Text(" → 扣分：", " → deduction: ")
ADJUST = Text(" → 加减分：", " → bonus/penalty: ")
LIMITED = Text("，限 ±", ", limited to ±")
VETO_ON = Text("一票否决：已触发 → 总分记为 ", "veto: triggered → total set to ")
VETO_OFF = Text("一票否决：未触发", "veto: not triggered")
TEAM = Text("团队：", "team: ")
TEAM_MEAN = Text(" 名人员总分平均 ", " workers' totals averaged ")
MISSING = {
    "renormalize": Text("本期无数据 → 不计入，权重按已有指标重新分配", "no data this period → left out, weights re-normalised over the rest"),
    "zero": Text("本期无数据 → 记 0 分", "no data this period → scores 0"),
    "exclude": Text("本期无数据 → 不计总分", "no data this period → no total"),
}
NO_PARAMS = Text("参数不全，无法计分", "parameters incomplete, cannot score")

# totals
TOTAL_EQ = Text(" = ", " = ")
ADJUST_PTS = Text("；加减分 ", "; bonus/penalty ")
TOTAL = Text("；总分 ", "; total ")
TOTAL_CAPPED = Text("（限 0–{cap}）", " (limited to 0–{cap})")
VETOED = Text("一票否决：{ids} → 总分 {score}", "veto: {ids} → total {score}")
MISSING_LIST = Text("；缺少数据：{ids}（完整度 {pct}%）", "; no data: {ids} (completeness {pct}%)")
NO_TOTAL_EXCLUDE = Text("缺少数据：{ids} → 按规则不计总分", "no data: {ids} → no total, as the rules say")
NO_DATA = Text("本期无可计分数据 → 无总分", "nothing to score this period → no total")
ROLLUP = Text("{period}：{parts} 的平均 = {total}", "{period}: mean of {parts} = {total}")
ROLLUP_VETO = Text("（期内有一票否决）", " (vetoed in a child period)")

# warnings
W_LOW_SCORE = Text("{name} 得分 {score} 低于预警线 {line}", "{name} scored {score}, below the warning line {line}")
W_TIP = Text("；建议：{tip}", "; tip: {tip}")
W_DROP = Text("总分 {total} 较上期 {prev} 下降 {drop} 分", "total {total} fell {drop} points from {prev} last period")
W_DECLINE = Text("总分连续两期下降：{p2} → {p1} → {total}", "total declined two periods in a row: {p2} → {p1} → {total}")
W_VETO = Text("触发一票否决：{name}，总分记为 {score}", "veto triggered: {name}; total set to {score}")
W_MISSING = Text("{name} 本期无数据（{policy}）", "{name} has no data this period ({policy})")
W_EXCLUDED = Text("缺少数据，按规则本期不计总分", "data missing: no total this period, as the rules say")
W_LOW_GRADE = Text("等级 {grade}（总分 {total}）处于最低两档", "grade {grade} (total {total}) is one of the two lowest")
W_LOWEST_REPEAT = Text("连续两期最低等级 {grade}，建议：{action}", "lowest grade {grade} two periods in a row; suggested action: {action}")
W_GOAL_LAG = Text("目标 {goal}「{desc}」将于 {deadline} 到期，进度 {progress}% 落后于应有的 {expected}%",
                  "goal {goal} '{desc}' is due {deadline}; progress {progress}% lags the expected {expected}%")
W_GOAL_OVERDUE = Text("目标 {goal}「{desc}」已于 {deadline} 到期，进度 {progress}%",
                      "goal {goal} '{desc}' was due {deadline}; progress {progress}%")
POLICY_NAME = {
    "renormalize": Text("权重按已有指标重新分配", "weights re-normalised"),
    "zero": Text("记 0 分", "scored 0"),
    "exclude": Text("不计总分", "no total"),
}
