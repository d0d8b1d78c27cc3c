"""The vendor pack's 预警 sheet: every warning of this vendor for the period, most severe first.

The feedback sheet lists only the top few and counts the rest ("另有 N 条预警，见 预警 表"); this
sheet is where the rest are, so a vendor loses none of them.
"""

from __future__ import annotations

from functools import partial

from ..engine.results import Results
from ..i18n import pick
from ..inputs import Inputs
from .feedback import text, warning_items
from .pack_formulas import Grid
from .warnrank import rank_warnings


def warnings_sheet_name(lang: str) -> str:
    return pick(lang, "预警", "Warnings")


def warnings_grid(inputs: Inputs, results: Results, vendor_id: str, period: str, vendor_name: str,
                  lang: str) -> Grid:
    L = partial(pick, lang)
    g = Grid(warnings_sheet_name(lang), freeze="A4")
    g.put(1, 1, L(f"预警：{vendor_name}，{period}", f"Warnings: {vendor_name}, {period}"), "title")
    g.put(2, 1, L("本期全部预警，严重的在前；反馈表只列出其中几条。",
                  "Every warning of the period, most severe first; the feedback sheet lists only a few."), "note")
    labels = (L("级别", "Severity"), L("规则", "Rule"), L("对象", "Subject"), L("内容", "Message"))
    for j, label in enumerate(labels, start=1):
        g.put(3, j, label, "header")
    w = results.warnings
    if len(w):
        w = w[(w["vendor_id"].astype(str) == vendor_id) & (w["period_id"].astype(str) == period)]
    names: dict[str, str] = {}
    if "workers" in inputs.tables:
        workers = inputs["workers"]
        names = {str(a): text(b) for a, b in zip(workers["worker_id"], workers["name"])}
    items = warning_items(rank_warnings(w), names, vendor_name, lang) if len(w) else []
    if not items:
        g.put(4, 1, L("（无）", "(none)"))
    for i, item in enumerate(items, start=4):
        for j, key in enumerate(("severity", "rule", "subject", "message"), start=1):
            g.put(i, j, item[key])
    for j, width in enumerate((8, 14, 14, 60), start=1):
        g.widths[j] = width
    return g
