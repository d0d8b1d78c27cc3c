"""The words of the codes xlperf *writes*: warning rules and their rank, severities, goal outcomes, commands.

Input choices (levels, methods, policies …) have their words in ``choices.py``; the codes here are not
chosen by anyone but are shown in every output sheet, so they get their words in this one place too.
A zh workbook shows the Chinese word, an English one the English word; the CSV/JSON exports keep the
key. ``OUTPUT_VOCABS`` says which column of which output table holds which vocabulary: the writer's
blocks translate exactly those columns and reading a sheet back maps them to keys again.

Ranks (see docs/SCORING.md §9): 严重 (error) asks HR to act before results are published, 警告
(warning) asks for a look, 提示 (info) explains a number.
"""

from __future__ import annotations

from dataclasses import dataclass

from .choices import GOAL_STATUSES, LEVELS, METHODS, Choice, Vocab


@dataclass(frozen=True)
class Word(Choice):
    """An output code: its key, its Chinese word and its English word (the key is not always readable)."""

    en: str = ""

    def word(self, lang: str) -> str:
        return self.zh if lang == "zh" else (self.en or self.key)


@dataclass(frozen=True)
class Rule(Word):
    """A warning rule and the rank every warning it raises carries."""

    severity: str = "warning"


SEVERITIES = Vocab(
    Word("error", "严重", ("错误", "severe"), en="Severe"),
    Word("warning", "警告", ("warn",), en="Warning"),
    Word("info", "提示", ("信息",), en="Info"),
)
SEVERITY_RANK: dict[str, int] = {k: i for i, k in enumerate(SEVERITIES)}  # 0 = most urgent

# In the order the engine lists them (its sort order within one subject).
WARNING_RULES = Vocab(
    Rule("low_score", "低分", en="Low score", severity="warning"),
    Rule("missing_data", "缺少数据", en="Missing data", severity="info"),
    Rule("no_total", "不计总分", en="No total", severity="error"),
    Rule("veto", "一票否决", en="Veto", severity="error"),
    Rule("total_drop", "总分下降", en="Total dropped", severity="warning"),
    Rule("decline_twice", "连续两期下降", en="Declined twice", severity="warning"),
    Rule("low_grade", "低等级", en="Low grade", severity="warning"),
    Rule("lowest_grade_repeat", "连续最低等级", en="Lowest grade again", severity="error"),
    Rule("goal_lagging", "目标进度落后", en="Goal lagging", severity="warning"),
    Rule("goal_overdue", "目标逾期", en="Goal overdue", severity="error"),
    Rule("calibration_quota", "校准超出比例", en="Calibration over quota", severity="warning"),
)
RULE_SEVERITY: dict[str, str] = {r.key: r.severity for r in WARNING_RULES.items if isinstance(r, Rule)}

# A goal's status as results show it: HR's own statuses plus what the engine works out.
GOAL_OUTCOMES = Vocab(
    *GOAL_STATUSES.items,
    Word("overdue", "逾期", en="overdue"),
    Word("lagging", "落后", en="lagging"),
    Word("on_track", "正常", ("on track",), en="on track"),
    Word("no_data", "无数据", ("no data",), en="no data"),
)

# What wrote a run-log row.
COMMANDS = Vocab(
    Word("recompute", "重算", en="recompute"),
    Word("validate", "校验", en="validate"),
    Word("feedback", "反馈表", en="feedback"),
    Word("share", "供应商包", en="share"),
    Word("simulate", "方案模拟", en="simulate"),
    Word("analyze", "指标体系评估", en="analyze"),
    Word("pull", "刷新监控数据", en="pull"),
)

# Output table → field key → the vocabulary its cells are written in.
OUTPUT_VOCABS: dict[str, dict[str, Vocab]] = {
    "xp_results": {"level": LEVELS},
    "xp_scores": {"level": LEVELS, "method": METHODS},
    "xp_warnings": {"level": LEVELS, "severity": SEVERITIES, "rule": WARNING_RULES},
    "xp_findings": {"severity": SEVERITIES},
    "xp_runlog": {"command": COMMANDS},
}


def readings(vocab: Vocab) -> dict[str, str]:
    """Every text a sheet may hold for a code (key, zh and English word, aliases) → the key."""
    out = vocab.spellings()
    for c in vocab.items:
        out.setdefault(c.word("en"), c.key)
        out.setdefault(c.word("en").lower(), c.key)
    return out
