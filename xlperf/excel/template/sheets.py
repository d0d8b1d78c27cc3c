"""The template's sheets, built from the contract with openpyxl.

One sheet per input table, holding an Excel Table (ListObject) named exactly like the contract table,
with labelled headers (required ones end in ``*``), a styled header row, frozen panes, column widths and
number formats, and dropdown validations for every enumeration and every reference. A choice dropdown
offers the contract's words in the template's language (线性 in Chinese, linear in English), and what
it offers is what the cell stores. The 说明 sheet comes first (see ``instructions.py``). Every sheet has
an ASCII codeName so the VBA project has a document module for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table as ListObject
from openpyxl.worksheet.table import TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from ...book import col_letter
from ...contract import INPUT_TABLES, SETTINGS, Field, FieldType, Table
from ...contract.choices import Vocab
from ...contract.schema import Setting
from ...contract.tables import DEFAULT_GRADES, DEFAULT_RATER_WEIGHTS, setting_named
from ...i18n import pick
from .instructions import README_CODENAME, write_instructions

MAX_ROW = 1048576
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
REQUIRED_FILL = PatternFill("solid", fgColor="C55A11")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_BORDER = Border(bottom=Side(style="thin", color="FFFFFF"))
TABLE_STYLE = "TableStyleLight9"
# Period ids such as 2026-07 must stay text: Excel would turn a typed "2026-07" into a date.
TEXT_FORMAT = "@"


def code_name(table: Table) -> str:
    """ASCII codeName of a table's sheet: settings → shSettings, rater_weights → shRaterWeights."""
    return "sh" + "".join(part.capitalize() for part in table.name.split("_"))


FEEDBACK_CODENAME = "shFeedbackTemplate"


def sheet_codenames() -> list[str]:
    """codeNames of the template's sheets in order: 说明, the input tables, the feedback prototype."""
    return [README_CODENAME, *(code_name(t) for t in INPUT_TABLES), FEEDBACK_CODENAME]


def list_name(field_key: str) -> str:
    """Defined name a reference dropdown uses, e.g. ``xp_list_vendor_id`` = ``vendors[[供应商编号*]]``."""
    return f"xp_list_{field_key}"


def header_label(f: Field, lang: str) -> str:
    return f.label(lang) + ("*" if f.required else "")


def structured_ref(table: Table, f: Field, lang: str) -> str:
    # The column specifier is doubly bracketed because labels may contain '*', spaces or brackets;
    # inside it, ' [ ] # are escaped with a quote.
    label = header_label(f, lang)
    escaped = "".join("'" + ch if ch in "'[]#" else ch for ch in label)
    return f"{table.name}[[{escaped}]]"


def number_format(f: Field) -> str | None:
    if f.number_format:
        return f.number_format
    if f.type is FieldType.PERIOD or f.key in ("period_id", "effective_from", "effective_to", "rollup"):
        return TEXT_FORMAT
    return None


def choice_words(choices: tuple[str, ...], lang: str) -> tuple[str, ...]:
    """What a dropdown of ``choices`` offers in a ``lang`` workbook: the contract's words (the keys in
    English); a plain tuple of keys is offered as it is."""
    return choices.words(lang) if isinstance(choices, Vocab) else tuple(choices)


def setting_value(st: Setting, value: object, lang: str) -> object:
    """A setting's value as 参数设置 shows it: a choice as its word, anything else as it is."""
    if isinstance(st.choices, Vocab) and isinstance(value, str):
        return st.choices.word(value, lang)
    return value


def default_rows(table: Table, lang: str) -> list[dict[str, Any]]:
    """Rows a new workbook starts with: settings with defaults (each by its name, with its value in
    the workbook's words and a short description), grades and rater weights."""
    if table.name == "settings":
        return [{"key": st.label(lang),
                 "value": setting_value(st, lang if st.key == "lang" else (st.default if st.default != "" else None),
                                        lang),
                 "description": st.doc_zh if lang == "zh" else st.doc_en}
                for st in SETTINGS]
    if table.name == "grades":
        return [{"grade": g, "min_score": m, "quota": q, "bonus_coef": b, "fee_adjust": f,
                 "action": pick(lang, azh, aen)} for g, m, q, b, f, azh, aen in DEFAULT_GRADES]
    if table.name == "rater_weights":
        return [{"indicator_id": i, "rater_role": pick(lang, rzh, ren), "weight": w}
                for i, rzh, ren, w in DEFAULT_RATER_WEIGHTS]
    return []


def _column_values(col: pd.Series) -> list[object]:
    """One column as the Python values openpyxl writes: None for blanks, datetime for dates, builtin
    numbers (converted per column by pandas, not per cell)."""
    if pd.api.types.is_datetime64_any_dtype(col):
        values = pd.Series(col.dt.to_pydatetime(), index=col.index, dtype=object)
    else:
        values = col.astype(object)
    return values.where(col.notna(), None).tolist()


def _frame_rows(table: Table, frame: pd.DataFrame) -> list[list[object]]:
    blank: list[object] = [None] * len(frame)
    columns = [_column_values(frame[f.key]) if f.key in frame.columns else blank for f in table.fields]
    return [list(row) for row in zip(*columns)]


def write_table_sheet(wb: Workbook, table: Table, lang: str, rows: list[list[object]]) -> Worksheet:
    ws = wb.create_sheet(table.sheet_name(lang))
    ws.sheet_properties.codeName = code_name(table)
    ws.sheet_properties.tabColor = "1F4E78"
    n_cols = len(table.fields)
    for j, f in enumerate(table.fields):
        cell = ws.cell(row=1, column=j + 1, value=header_label(f, lang))
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if f.required else HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = HEADER_BORDER
        letter = col_letter(j)
        dim = ws.column_dimensions[letter]
        dim.width = max(f.width, len(cell.value) * (2.2 if lang == "zh" else 1.2) + 2)
        fmt = number_format(f)
        if fmt:
            dim.number_format = fmt
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is not None:
                ws.cell(row=i + 2, column=j + 1, value=value)
    last_row = 1 + max(len(rows), 1)
    for j, f in enumerate(table.fields):
        fmt = number_format(f)
        if fmt:  # the cells of the table body carry the format too, so new rows copy it
            for r in range(2, last_row + 1):
                ws.cell(row=r, column=j + 1).number_format = fmt
    ws.row_dimensions[1].height = 30
    ref = f"A1:{col_letter(n_cols - 1)}{last_row}"
    lo = ListObject(displayName=table.name, name=table.name, ref=ref)
    lo.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True, showColumnStripes=False,
                                       showFirstColumn=False, showLastColumn=False)
    ws.add_table(lo)
    ws.freeze_panes = "B2" if table.name in ("settings",) else "A2"
    _add_validations(ws, table, lang)
    return ws


def _choice_formula(choices: tuple[str, ...]) -> str:
    return '"' + ",".join(choices) + '"'


def _add_validations(ws: Worksheet, table: Table, lang: str) -> None:
    for j, f in enumerate(table.fields):
        letter = col_letter(j)
        sqref = f"{letter}2:{letter}{MAX_ROW}"
        prompt = (f.doc_zh if lang == "zh" else f.doc_en)[:250] or None
        dv: DataValidation | None = None
        if f.choices and not (table.name == "settings" and f.key == "key"):
            words = choice_words(f.choices, lang)
            dv = DataValidation(type="list", formula1=_choice_formula(words), allow_blank=not f.required)
            dv.error = pick(lang, "请从下拉列表中选择：", "Pick one of: ") + pick(lang, "、", ", ").join(words)
        elif table.name == "settings" and f.key == "key":
            names = tuple(st.label(lang) for st in SETTINGS)
            dv = DataValidation(type="list", formula1=_choice_formula(names), allow_blank=False)
            dv.error = pick(lang, "参数名不可更改，请从下拉列表中选择", "Setting names are fixed; pick one from the list")
        elif f.ref is not None:
            dv = DataValidation(type="list", formula1=list_name(f.ref.field), allow_blank=not f.required)
            target = _table(f.ref.table)
            dv.error = pick(lang, f"请填写“{target.sheet_name(lang)}”表中已有的{target.field(f.ref.field).zh}",
                            f"Use a {target.field(f.ref.field).en} listed on the {target.sheet_name(lang)} sheet")
        elif f.type in (FieldType.NUMBER, FieldType.INTEGER) and (f.min_value is not None or f.max_value is not None):
            dv = _bounds_validation(f, lang)
        if dv is None:
            continue
        dv.errorTitle = "xlperf"
        dv.showErrorMessage = True
        if prompt:
            dv.promptTitle = f.label(lang)[:32]
            dv.prompt = prompt
            dv.showInputMessage = True
        dv.add(sqref)
        ws.add_data_validation(dv)


def _bounds_validation(f: Field, lang: str) -> DataValidation:
    """A number check that warns (does not block): the validator reports the value with context anyway."""
    lo, hi = f.min_value, f.max_value
    if lo is not None and hi is not None:
        dv = DataValidation(type="decimal", operator="between", formula1=_num(lo), formula2=_num(hi), allow_blank=True)
        dv.error = pick(lang, f"应为 {_num(lo)} 到 {_num(hi)} 之间的数", f"Expected a number from {_num(lo)} to {_num(hi)}")
    elif lo is not None:
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1=_num(lo), allow_blank=True)
        dv.error = pick(lang, f"应为不小于 {_num(lo)} 的数", f"Expected a number of at least {_num(lo)}")
    else:
        assert hi is not None
        dv = DataValidation(type="decimal", operator="lessThanOrEqual", formula1=_num(hi), allow_blank=True)
        dv.error = pick(lang, f"应为不大于 {_num(hi)} 的数", f"Expected a number of at most {_num(hi)}")
    dv.errorStyle = "warning"
    return dv


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _table(name: str) -> Table:
    for t in INPUT_TABLES:
        if t.name == name:
            return t
    raise KeyError(name)


def _add_setting_value_validations(ws: Worksheet, lang: str, n_rows: int) -> None:
    """Per-row dropdowns on the settings value column: a choice setting lists its choices."""
    for i, s in enumerate(SETTINGS[:n_rows]):
        cell = f"B{i + 2}"
        if s.choices:
            dv = DataValidation(type="list", formula1=_choice_formula(choice_words(s.choices, lang)), allow_blank=True)
        elif s.type is FieldType.PERIOD:
            dv = DataValidation(type="list", formula1=list_name("period_id"), allow_blank=True)
        else:
            continue
        dv.showErrorMessage = True
        dv.errorTitle = "xlperf"
        dv.error = pick(lang, "请从下拉列表中选择", "Pick a value from the list")
        if s.choices:
            dv.error += pick(lang, "：", ": ") + pick(lang, "、", ", ").join(choice_words(s.choices, lang))
        dv.add(cell)
        ws.add_data_validation(dv)
        if s.type is FieldType.PERIOD:
            ws[cell].number_format = TEXT_FORMAT


def referenced_columns() -> list[tuple[Table, Field]]:
    """Every (table, field) some other field references, in contract order, each once."""
    seen: list[tuple[str, str]] = []
    for t in INPUT_TABLES:
        for f in t.fields:
            if f.ref is not None and (f.ref.table, f.ref.field) not in seen:
                seen.append((f.ref.table, f.ref.field))
    return [(_table(tn), _table(tn).field(fk)) for tn, fk in seen]


def build_workbook(lang: str = "zh", data: Mapping[str, pd.DataFrame] | None = None) -> Workbook:
    """The template as an openpyxl workbook; ``data`` (field-key columns) replaces a table's default rows."""
    wb = Workbook()
    wb.remove(wb.active)
    wb.code_name = "ThisWorkbook"
    write_instructions(wb, lang)
    for table in INPUT_TABLES:
        if data is not None and table.name in data:
            rows = _frame_rows(table, data[table.name])
        else:
            rows = [[r.get(f.key) for f in table.fields] for r in default_rows(table, lang)]
        ws = write_table_sheet(wb, table, lang, rows)
        if table.name == "settings":
            named = [setting_named(r[0]) for r in rows]
            keys = [st.key if st is not None else None for st in named]
            if keys == [s.key for s in SETTINGS][:len(keys)]:
                _add_setting_value_validations(ws, lang, len(keys))
    # The feedback prototype (反馈表模板): its layout belongs to xlperf.reports; HR may restyle it.
    from ...reports.prototype import add_prototype_sheet

    add_prototype_sheet(wb, lang).sheet_properties.codeName = FEEDBACK_CODENAME
    for table, f in referenced_columns():
        name = list_name(f.key)
        wb.defined_names[name] = DefinedName(name, attr_text=structured_ref(table, f, lang))
    wb.active = 0
    return wb
