"""The words of every choice in the contract: one source for dropdowns, parsing and every output cell.

A choice has a stable ASCII key (what code, CSV and JSON use, and what the English template stores)
and a Chinese word (what a zh workbook offers in its dropdowns, stores, and shows in every sheet a
person reads). Other spellings HR types or pastes are aliases of the key, *per choice set*: "vendor"
is 供应商 as a level but 各供应商内 as a distribution scope.

A ``Vocab`` iterates as its keys, so ``Field.choices`` stays a tuple of keys for code that only needs
those.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


def normalise(text: object) -> str:
    """How a typed choice is matched: NFKC (full-width forms), outer spaces off, lower case."""
    return unicodedata.normalize("NFKC", "" if text is None else str(text)).strip().lower()


@dataclass(frozen=True)
class Choice:
    key: str  # stable ASCII key; also the English word
    zh: str  # the Chinese word offered and stored in a zh workbook
    aliases: tuple[str, ...] = ()  # other accepted spellings (matched after NFKC, strip, lower-case)

    def word(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.key


class Vocab(tuple[str, ...]):
    """A choice set: a tuple of keys that also knows each key's words and aliases."""

    items: tuple[Choice, ...]

    _lookup: dict[str, str]

    def __new__(cls, *items: Choice) -> Vocab:
        obj = super().__new__(cls, tuple(c.key for c in items))
        obj.items = items
        lookup: dict[str, str] = {}
        for c in items:  # keys first, then words, then aliases: a key always means itself
            lookup.setdefault(normalise(c.key), c.key)
        for c in items:
            lookup.setdefault(normalise(c.zh), c.key)
        for c in items:
            for a in c.aliases:
                lookup.setdefault(normalise(a), c.key)
        obj._lookup = lookup
        return obj

    def choice(self, key: str) -> Choice:
        for c in self.items:
            if c.key == key:
                return c
        raise KeyError(key)

    def word(self, key: object, lang: str) -> str:
        """The word for ``key`` in ``lang``; anything that is not a key comes back as its text."""
        text = "" if key is None else str(key)
        for c in self.items:
            if c.key == text:
                return c.word(lang)
        return text

    def words(self, lang: str) -> tuple[str, ...]:
        return tuple(c.word(lang) for c in self.items)

    def parse(self, text: object) -> str | None:
        """The key ``text`` spells in this set (key, word or alias; case, width and outer spaces
        ignored), or None."""
        return self._lookup.get(normalise(text))

    def lookup(self) -> dict[str, str]:
        """Every accepted spelling, normalised as ``parse`` matches it → key."""
        return dict(self._lookup)

    def offered(self, text: object, lang: str) -> bool:
        """Whether ``text`` is exactly what a dropdown of this set offers in a ``lang`` workbook (its
        word there) or the key: a value picked from a list, not one xlperf had to interpret."""
        for c in self.items:
            if text == c.key or text == c.word(lang):
                return True
        return False

    def spellings(self) -> dict[str, str]:
        """Every accepted spelling (key, zh word, aliases; not yet normalised) → key."""
        out: dict[str, str] = {}
        for c in self.items:
            for s in (c.key, c.zh, *c.aliases):
                out.setdefault(s, c.key)
        return out


C = Choice

LEVELS = Vocab(
    C("vendor", "供应商", ("供应商级",)),
    C("worker", "人员", ("外包人员", "人员级", "个人")),
)
METHODS = Vocab(
    C("linear", "线性", ("线性计分",)),
    C("ratio", "比率", ("比例", "比率计分")),
    C("bands", "分档", ("分档计分",)),
    C("rating", "评分", ("评价", "打分")),
    C("deduction", "扣分", ("扣分制",)),
    C("adjust", "加减分", ("加分", "减分")),
    C("veto", "一票否决", ("否决",)),
    C("team", "团队", ("团队平均",)),
)
DIRECTIONS = Vocab(
    C("higher", "越高越好", ("高", "正向")),
    C("lower", "越低越好", ("低", "反向")),
)
AGGREGATIONS = Vocab(
    C("sum", "求和", ("合计",)),
    C("mean", "平均值", ("平均", "average", "avg")),
    C("last", "最新", ("最后", "最新值")),
    C("max", "最大值", ("最大",)),
    C("min", "最小值", ("最小",)),
    C("count", "计数", ("次数",)),
)
SOURCES = Vocab(
    C("report", "定期报告", ("报告",)),
    C("onsite", "现场检查", ("现场",)),
    C("online", "在线监控", ("在线", "监控")),
    C("rating", "评价", ("评分",)),
)
MISSING_POLICIES = Vocab(
    C("renormalize", "重新分配权重", ("重新分配", "renormalise")),
    C("zero", "记零分", ("零分", "记0分")),
    C("exclude", "不计总分", ("排除",)),
)
GRADE_MODES = Vocab(
    C("absolute", "分数线", ("绝对",)),
    C("forced", "强制分布", ("强制",)),
)
SCOPES = Vocab(
    C("all", "统一排名", ("全部",)),
    C("vendor", "供应商内排名", ("供应商内", "各供应商内")),
)
PERIOD_STATUSES = Vocab(
    C("open", "开放", ("未关闭",)),
    C("closed", "已关闭", ("关闭",)),
)
GOAL_STATUSES = Vocab(
    C("draft", "草稿"),
    C("agreed", "已约定"),
    C("in_progress", "进行中", ("in progress",)),
    C("achieved", "已达成", ("达成",)),
    C("missed", "未达成"),
    C("cancelled", "已取消", ("取消", "canceled")),
)
LANGS = Vocab(
    C("zh", "中文", ("chinese", "简体中文")),
    C("en", "英文", ("english", "英语")),
)
# Yes/no cells are BOOL fields, not choices, but their dropdown words come from here too.
YES_NO = Vocab(
    C("yes", "是", ("y", "true", "t", "√", "✓", "✔", "1", "对", "有", "是的")),
    C("no", "否", ("n", "false", "f", "×", "✗", "✘", "0", "无", "没有", "不是")),
)

# What a scenario row changes (方案模拟, table ``scenarios``).
CHANGES = Vocab(
    C("dimension_weight", "维度权重"),
    C("indicator_weight", "指标权重", ("维度内权重",)),
    C("indicator_param", "指标参数", ("计分参数",)),
    C("grade_min", "等级最低分"),
    C("grade_quota", "等级比例", ("强制分布比例",)),
    C("rater_weight", "评分角色权重", ("评分权重", "评分人权重")),
)

ALL_VOCABS: dict[str, Vocab] = {
    "level": LEVELS, "method": METHODS, "direction": DIRECTIONS, "aggregation": AGGREGATIONS,
    "source": SOURCES, "missing_policy": MISSING_POLICIES, "grade_mode": GRADE_MODES,
    "distribution_scope": SCOPES, "period_status": PERIOD_STATUSES, "goal_status": GOAL_STATUSES,
    "lang": LANGS, "yes_no": YES_NO,
    "change": CHANGES,
}

# issue 16: the kinds of monitoring-data source (sources table) — files grouped by DuckDB, databases by themselves
SOURCE_KINDS = Vocab(
    C("csv", "CSV文件", ("csv文件", "文本")),
    C("excel", "Excel文件", ("excel文件", "xlsx")),
    C("parquet", "Parquet文件", ("parquet文件",)),
    C("sql", "数据库", ("sql数据库", "database")),
)
ALL_VOCABS["source_kind"] = SOURCE_KINDS

# issue 14: what comes back from a vendor — the opinion on each reply row, HR's decision on an appeal,
# and where an agreed improvement stands
OPINIONS = Vocab(
    C("agree", "认可", ("同意", "无异议")),
    C("appeal", "申诉", ("异议", "不认可")),
    C("note", "说明", ("备注",)),
)
APPEAL_STATUSES = Vocab(
    C("pending", "待处理", ("未处理", "处理中")),
    C("kept", "维持", ("维持原结果", "驳回")),
    C("adjusted", "调整", ("已调整", "调整结果")),
)
PLAN_STATUSES = Vocab(
    C("open", "进行中", ("未完成", "待完成")),
    C("done", "已完成", ("完成",)),
    C("dropped", "已取消", ("取消", "放弃")),
)
ALL_VOCABS["opinion"] = OPINIONS
ALL_VOCABS["appeal_status"] = APPEAL_STATUSES
ALL_VOCABS["plan_status"] = PLAN_STATUSES
