"""Other spellings HR types for the contract's choices (matched after NFKC, strip and lower-case).

The template's drop-downs offer the ASCII keys; these are what arrives from pasted data, CSV imports
and older sheets. Each use is reported as a ``normalised-choice`` info finding.
"""

from __future__ import annotations

ALIASES: dict[str, str] = {
    # level
    "供应商": "vendor", "供应商级": "vendor", "人员": "worker", "外包人员": "worker", "人员级": "worker", "个人": "worker",
    # method
    "线性": "linear", "比率": "ratio", "比例": "ratio", "分档": "bands", "评分": "rating", "扣分": "deduction",
    "加减分": "adjust", "加分": "adjust", "否决": "veto", "一票否决": "veto", "团队": "team",
    # direction
    "越高越好": "higher", "越低越好": "lower", "高": "higher", "低": "lower", "正向": "higher", "反向": "lower",
    # aggregation
    "求和": "sum", "合计": "sum", "平均": "mean", "平均值": "mean", "average": "mean", "avg": "mean",
    "最新": "last", "最后": "last", "最大": "max", "最大值": "max", "最小": "min", "最小值": "min", "计数": "count",
    "次数": "count",
    # source
    "定期报告": "report", "报告": "report", "现场检查": "onsite", "现场": "onsite", "在线监控": "online",
    "在线": "online", "监控": "online",
    # period and goal status
    "开放": "open", "关闭": "closed", "已关闭": "closed", "草稿": "draft", "已约定": "agreed", "进行中": "in_progress",
    "已达成": "achieved", "达成": "achieved", "未达成": "missed", "已取消": "cancelled", "取消": "cancelled",
    # settings choices
    "重新分配": "renormalize", "renormalise": "renormalize", "记零分": "zero", "零分": "zero", "排除": "exclude",
    "绝对": "absolute", "分数线": "absolute", "强制分布": "forced", "强制": "forced", "全部": "all",
    "中文": "zh", "英文": "en", "english": "en", "chinese": "zh",
}

# issue 16: the kinds of the sources table (数据来源配置)
ALIASES.update({"CSV文件": "csv", "Excel文件": "excel", "Parquet文件": "parquet", "数据库": "sql"})
