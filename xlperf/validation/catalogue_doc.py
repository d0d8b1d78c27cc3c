"""The code table of docs/VALIDATION.md, rendered from the catalogue so the two cannot drift.

    python -m xlperf.validation.catalogue_doc   # prints the table; paste it between the markers
"""

from __future__ import annotations

from .codes import CODES, GROUPS

GROUP_TITLES = {
    "structure": "表格与列 / Tables and columns", "cells": "单元格 / Cells",
    "normalisation": "自动纠正（提示） / Normalisations (info)", "references": "编号与引用 / Ids and references",
    "weights": "权重 / Weights", "methods": "计分参数 / Scoring parameters", "periods": "期间与日期 / Periods and dates",
    "goals": "SMART 目标 / SMART goals", "settings": "参数设置 / Settings",
    "scenarios": "方案模拟与校准 / Scenarios and calibrations",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render() -> str:
    lines: list[str] = []
    for group in GROUPS:
        lines += [f"### {GROUP_TITLES[group]}", "",
                  "| code | severity | 提示信息 | message | 如何修正 / how to fix |", "|---|---|---|---|---|"]
        for c in CODES.values():
            if c.group != group:
                continue
            lines.append(f"| `{c.code}` | {c.severity.value} | {_cell(c.message.zh)} | {_cell(c.message.en)} | "
                         f"{_cell(c.hint.zh)}<br>{_cell(c.hint.en)} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(render())
