"""The ribbon tab 绩效管理 / Performance: the customUI14 part of both templates, and the checks that tie
it to the VBA callbacks and the Python macros.

The XML structure is kept as diffable text in ``workbook_templates/src/customUI14.xml``; its labels and
tips are ``{{key.field}}`` placeholders filled here per language, so both templates share one layout.

    ribbon_xml(lang) -> bytes            the part to store as customUI/customUI14.xml
    BUTTONS                              button id → VBA callback → Python macro, in ribbon order
    check_ribbon(xml, vba_sources)       problems (empty list when all is well)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

from ..i18n import ALL_OPEN_PERIODS, CURRENT_PERIOD, Text

# Office 2010+ ribbon: this namespace goes with this part name and relationship type (the 2006/01
# namespace goes with customUI.xml and the 2006 relationship type; mixing them hides the ribbon).
CUSTOMUI_NS = "http://schemas.microsoft.com/office/2009/07/customui"
CUSTOMUI_PART = "customUI/customUI14.xml"
CUSTOMUI_REL_TYPE = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
CUSTOMUI_REL_ID = "rIdXlperfRibbon"

SOURCE = Path(__file__).resolve().parents[2] / "workbook_templates" / "src" / "customUI14.xml"


@dataclass(frozen=True)
class Button:
    key: str  # placeholder prefix in the XML ({{key.label}}, {{key.tip}})
    control_id: str  # the XML id
    callback: str  # VBA Sub named by onAction
    macro: str  # the function in xlperf.macros its RunPython calls
    image: str  # imageMso
    label: Text
    tip: Text


BUTTONS: tuple[Button, ...] = (
    Button("validate", "xlperfValidate", "XpValidate", "validate", "DataValidation",
           Text("校验数据", "Validate"),
           Text("检查所有输入表：必填项、编号引用、权重合计、数值格式等。问题逐条写入“校验结果”表，"
                "每条注明工作表、单元格和修改建议。",
                "Check every input table: required cells, ids, weight totals, number formats. Each problem "
                "goes to the Findings sheet with its sheet, cell and a hint.")),
    Button("recompute_all", "xlperfRecomputeAll", "XpRecomputeAll", "recompute_all", "CalculateNow",
           Text("全部重算", "Recompute all"),
           Text(f"校验后重新计算{ALL_OPEN_PERIODS.zh}。指标得分、总分、等级、奖金和预警整表写回。",
                f"Validate, then recompute {ALL_OPEN_PERIODS.en}. Scores, totals, grades, bonuses and warnings "
                "are written back whole.")),
    Button("recompute_current", "xlperfRecomputeCurrent", "XpRecomputeCurrent", "recompute_current",
           "CalculateSheet",
           Text("重算本期", "Recompute period"),
           Text(f"只重算本期：{CURRENT_PERIOD.zh}。其他期间的结果保留不变（命令行 xlperf recompute 不加 --all 时相同）。",
                f"Recompute only the current period: {CURRENT_PERIOD.en}. Other periods keep their results "
                "(as xlperf recompute does without --all).")),
    Button("feedback", "xlperfFeedback", "XpFeedback", "feedback", "ReviewNewComment",
           Text("生成反馈表", "Feedback sheets"),
           Text("为每个供应商生成绩效反馈表：总分、等级、各维度得分、薄弱指标和改进建议。",
                "Write a feedback sheet per vendor: total, grade, dimension scores, weak indicators and "
                "improvement tips.")),
    Button("share", "xlperfShare", "XpShare", "share", "FileSendAsAttachment",
           Text("导出供应商包", "Vendor packs"),
           Text("为每个供应商导出一个只含其本方数据、不含宏的工作簿（可加密），保存在本工作簿旁的文件夹中。",
                "Export one macro-free workbook per vendor holding only that vendor's data (optionally "
                "encrypted), into a folder beside this workbook.")),
    Button("doctor", "xlperfDoctor", "XpDoctor", "doctor", "FileDocumentInspect",
           Text("环境检查", "Check setup"),
           Text("检查 Python、xlperf 和 xlwings 是否安装正确、版本是否匹配，并给出每个问题的解决办法。",
                "Check that Python, xlperf and xlwings are installed and their versions match, with the fix "
                "for each problem.")),
)

# --- the review group (issue 15): appended so the existing buttons keep their order
BUTTONS += (
    Button("simulate", "xlperfSimulate", "XpSimulate", "simulate", "WhatIfAnalysisMenu",
           Text("方案模拟", "Simulate"),
           Text("按“模拟方案”表中的每个方案重新计分：谁的等级会变、奖金和服务费变化多少、各供应商是否公平。"
                "结果写入“模拟结果”表，真实结果不变。",
                "Re-score everyone under each scenario on the Scenarios sheet: who changes grade, what bonuses "
                "and fees do, per vendor. Written to the Simulation sheet; the real results do not change.")),
    Button("analyze", "xlperfAnalyze", "XpAnalyze", "analyze", "ChartInsert",
           Text("指标体系评估", "Review indicators"),
           Text("检查指标的区分度（满分、零分、无差异、缺失、重复、反向）和评分人的宽严与一致性，"
                "附改进建议和供应商趋势。",
                "Check each indicator (ceiling, floor, no spread, missing data, redundant, inverse) and each rater "
                "(lenient, severe, flat), with recommendations and vendor trends.")),
)
# issue 16: 刷新监控数据 (xlperf pull), in the Data group after 校验数据
BUTTONS = (*BUTTONS, Button(
    "pull", "xlperfPull", "XpPull", "pull", "RefreshAll",
    Text("刷新监控数据", "Refresh monitoring"),
    Text("按“数据来源配置”从文件、Parquet 或数据库汇总本期的监控数据（在数据所在处按人员、指标、期间汇总），"
         "写入“监控记录”并替换上次刷新的同一来源、同一期间的行；手工录入的记录不变。",
         "Group this period's monitoring data from the files, Parquet or databases of the Sources table (where "
         "the data lives, per worker, indicator and period) into Observations, replacing the last pull of the "
         "same source and period; rows typed by hand stay as they are.")))

GROUPS: dict[str, Text] = {
    "tab": Text("绩效管理", "Performance"),
    "group_data": Text("数据", "Data"),
    "group_compute": Text("计算", "Compute"),
    "group_output": Text("输出", "Output"),
    "group_help": Text("帮助", "Help"),
    "group_review": Text("评估", "Review"),
}

_PLACEHOLDER = re.compile(r"\{\{([a-z_]+)\.([a-z]+)\}\}")


def texts(lang: str) -> dict[str, str]:
    """Every placeholder value for one language: ``"validate.label" → "校验数据"``."""
    out = {f"{key}.label": text(lang) for key, text in GROUPS.items()}
    for b in BUTTONS:
        out[f"{b.key}.label"] = b.label(lang)
        out[f"{b.key}.tip"] = b.tip(lang)
    return out


def ribbon_xml(lang: str, source: str | None = None) -> bytes:
    """The customUI14 part for one language, UTF-8 with its XML declaration."""
    template = source if source is not None else SOURCE.read_text(encoding="utf-8")
    values = texts(lang)

    def fill(match: re.Match[str]) -> str:
        key = f"{match.group(1)}.{match.group(2)}"
        if key not in values:
            raise KeyError(f"customUI14.xml uses {{{{{key}}}}}, which has no text in xlperf.excel.ribbon")
        return escape(values[key], {'"': "&quot;"})  # the placeholder sits inside a quoted attribute

    filled = _PLACEHOLDER.sub(fill, template)
    etree.fromstring(filled.encode("utf-8"))  # fail at build time, not in Excel, if the XML is broken
    return filled.encode("utf-8")


# ── checks (used by the template build and the tests) ────────────────────────────────────────────

_SUB = re.compile(r"^\s*(?:Public\s+|Private\s+)?Sub\s+(\w+)\s*\(([^)]*)\)", re.IGNORECASE | re.MULTILINE)
_RIBBON_ARG = re.compile(r"^(?:ByVal\s+|ByRef\s+)?\w+\s+As\s+IRibbonControl$", re.IGNORECASE)


def on_actions(xml: bytes) -> dict[str, str]:
    """control id → onAction callback name, for every control that has one."""
    root = etree.fromstring(xml)
    return {str(el.get("id")): str(el.get("onAction")) for el in root.iter() if el.get("onAction")}


def vba_subs(source: str) -> dict[str, list[str]]:
    """Sub name → its parameter declarations (``["control As IRibbonControl"]``)."""
    out: dict[str, list[str]] = {}
    for name, params in _SUB.findall(source):
        out[name] = [p.strip() for p in params.split(",") if p.strip()]
    return out


def check_ribbon(xml: bytes, vba_sources: list[str]) -> list[str]:
    """Problems that would make a button dead in Excel, in English (for the build log and tests)."""
    problems: list[str] = []
    root = etree.fromstring(xml)
    if root.tag != f"{{{CUSTOMUI_NS}}}customUI":
        problems.append(f"root element is {root.tag}, expected customUI in the 2009/07 namespace")
    ids = [str(el.get("id")) for el in root.iter() if el.get("id")]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        problems.append(f"duplicate control ids: {', '.join(dupes)}")
    subs: dict[str, list[str]] = {}
    for source in vba_sources:
        subs.update(vba_subs(source))
    for control, callback in on_actions(xml).items():
        params = subs.get(callback)
        if params is None:
            problems.append(f"{control}: onAction {callback} is not a Sub in the VBA sources")
        elif len(params) != 1 or not _RIBBON_ARG.match(params[0]):
            problems.append(f"{control}: {callback} must be Sub {callback}(control As IRibbonControl), "
                            f"has ({', '.join(params)})")
    for el in root.iter(f"{{{CUSTOMUI_NS}}}button"):
        if not el.get("imageMso") and not el.get("image"):
            problems.append(f"{el.get('id')}: button without an icon")
    return problems
