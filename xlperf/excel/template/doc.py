"""docs/WORKBOOK.md, rendered from the contract so the reference for HR admins stays true.

``xlperf template build`` writes it; ``--check`` (and a test) compares the committed file with a fresh
rendering.
"""

from __future__ import annotations

from ...contract import INPUT_TABLES, OUTPUT_TABLES, SETTINGS, Field, Table
from ...contract.choices import Vocab
from ...contract.tables import DEFAULT_GRADES, DEFAULT_RATER_WEIGHTS
from ...i18n import Text, pick
from .instructions import (
    EXAMPLES,
    INTRO,
    METHODS,
    README_SHEET,
    STEPS,
    TYPE_NAMES,
    example_value,
    method_word,
    table_about,
)
from .modules import REPO_ROOT
from .sheets import code_name, setting_value

DOC_PATH = REPO_ROOT / "docs" / "WORKBOOK.md"
T = Text


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Text):
        raise TypeError("translate Text before rendering")
    text = str(value)
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    return text.replace("|", "\\|").replace("\n", " ")


def _table(headers: list[str], rows: list[list[object]]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return out


def _words(choices: tuple[str, ...], lang: str) -> str:
    """A choice set as the reference lists it: the word the dropdown offers, with its key in Chinese."""
    if not isinstance(choices, Vocab):
        return " / ".join(f"`{c}`" for c in choices)
    if lang == "zh":
        return " / ".join(f"{c.zh}（`{c.key}`）" for c in choices.items)
    return " / ".join(f"`{c.key}`" for c in choices.items)


def _allowed(f: Field, lang: str) -> str:
    if f.choices:
        return _words(f.choices, lang)
    if f.ref is not None:
        target = next(t for t in INPUT_TABLES if t.name == f.ref.table)
        return pick(lang, f"引用“{target.zh}”的 `{f.ref.field}`", f"a `{f.ref.field}` of {target.en}")
    return ""


def _field_rows(table: Table, lang: str) -> list[list[object]]:
    rows: list[list[object]] = []
    for f in table.fields:
        other = f.en if lang == "zh" else f.zh
        rows.append([f.label(lang), other, f"`{f.key}`", TYPE_NAMES[f.type](lang),
                     pick(lang, "是", "yes") if f.required else "", _allowed(f, lang),
                     f.doc_zh if lang == "zh" else f.doc_en])
    return rows


def _example(table: Table, lang: str) -> list[str]:
    examples = EXAMPLES.get(table.name, [])
    if not examples:
        return []
    headers = [f.label(lang) for f in table.fields]
    rows = [[example_value(table, f, ex, lang) for f in table.fields] for ex in examples]
    return ["", pick(lang, "填写示例：", "Example:"), "", *_table(headers, rows)]


def _section(lang: str) -> list[str]:
    out: list[str] = []
    h = pick(lang, "中文", "English")
    out += [f"## {h}", ""]
    out += [line for text in INTRO for line in (text(lang), "")]
    out += [f"### {pick(lang, '填写顺序', 'Order of work')}", ""]
    out += [line for text in STEPS for line in (text(lang), "")]
    out += [f"### {pick(lang, '表格一览', 'The tables')}", ""]
    rows: list[list[object]] = [[f"`{t.name}`", t.sheet_name(lang), code_name(t), len(t.fields),
                                 ", ".join(f"`{k}`" for k in t.key), table_about(t, lang)]
                                for t in INPUT_TABLES]
    out += _table([pick(lang, "表格名称", "Table name"), pick(lang, "工作表", "Sheet"), "codeName",
                   pick(lang, "列数", "Columns"), pick(lang, "唯一键", "Key"), pick(lang, "说明", "About")], rows)
    out += ["", pick(lang, f"“{README_SHEET(lang)}”工作表（codeName `shReadme`）在最前面，含以下全部内容的简要版本。",
                     f"The {README_SHEET(lang)} sheet (codeName `shReadme`) comes first and carries a short form of all this."), ""]
    out += [f"### {pick(lang, '参数（settings 表的各行）', 'Settings (rows of the settings table)')}", ""]
    srows: list[list[object]] = [[f"`{s.key}`", s.label(lang), TYPE_NAMES[s.type](lang), _words(s.choices, lang),
                                  setting_value(s, s.default, lang) if s.default != "" else "",
                                  s.doc_zh if lang == "zh" else s.doc_en]
                                 for s in SETTINGS]
    out += _table([pick(lang, "参数", "Key"), pick(lang, "名称", "Name"), pick(lang, "类型", "Type"),
                   pick(lang, "可选值", "Choices"), pick(lang, "默认值", "Default"), pick(lang, "说明", "About")], srows)
    out += [""]
    for n, table in enumerate(INPUT_TABLES, start=1):
        out += [f"### {n}. {table.sheet_name(lang)} (`{table.name}`)", ""]
        out += [table_about(table, lang), ""]
        out += _table([pick(lang, "表头", "Header"), pick(lang, "另一语言表头", "Other-language header"),
                       pick(lang, "字段键", "Field key"), pick(lang, "类型", "Type"), pick(lang, "必填", "Required"),
                       pick(lang, "可选值/引用", "Allowed values"), pick(lang, "说明", "About")], _field_rows(table, lang))
        out += _example(table, lang)
        out += [""]
    out += [f"### {pick(lang, '计分方法', 'Scoring methods')}", ""]
    out += [f"- {method_word(key, lang)}（`{key}`）：{text(lang)}" if lang == "zh" else f"- `{key}`: {text(lang)}"
            for key, text in METHODS]
    out += [""]
    out += [f"### {pick(lang, '新工作簿的默认数据', 'What a new workbook starts with')}", ""]
    out += [pick(lang, "除参数、等级与激励、评分权重外，所有表格都是空的。",
                 "Every table is empty apart from the settings, the grades and the rater weights."), ""]
    out += _table([pick(lang, "等级", "Grade"), pick(lang, "最低分", "Min score"), pick(lang, "比例(%)", "Quota (%)"),
                   pick(lang, "奖金系数", "Bonus coefficient"), pick(lang, "服务费调整(%)", "Fee adjustment (%)"),
                   pick(lang, "处理措施", "Action")],
                  [[g, m, q, b, f, pick(lang, azh, aen)] for g, m, q, b, f, azh, aen in DEFAULT_GRADES])
    out += [""]
    out += _table([pick(lang, "指标编号", "Indicator ID"), pick(lang, "评分角色", "Rater role"), pick(lang, "权重", "Weight")],
                  [[i, pick(lang, rzh, ren), w] for i, rzh, ren, w in DEFAULT_RATER_WEIGHTS])
    out += ["", f"### {pick(lang, '程序生成的表', 'Tables xlperf writes')}", ""]
    out += _table([pick(lang, "表格名称", "Table name"), pick(lang, "工作表", "Sheet"), pick(lang, "列", "Columns")],
                  [[f"`{t.name}`", t.sheet_name(lang), ", ".join(f.label(lang) for f in t.fields)] for t in OUTPUT_TABLES])
    out += ["", pick(lang, "这些表每次运行时整体重写，请勿手工录入。", "They are rewritten whole on every run; do not type into them."), ""]
    return out


def render_workbook_doc() -> str:
    lines = [
        "# 工作簿说明 · Workbook reference",
        "",
        "<!-- Generated from xlperf/contract by `xlperf template build`; edit the contract, not this file. -->",
        "",
        "本文件面向 HR 管理员，说明工作簿中每张表、每一列的含义与填写方法（中文在前，English below）。",
        "",
        "For HR administrators: every table and column of the workbook and how to fill it in.",
        "",
        *_section("zh"),
        *_section("en"),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"
