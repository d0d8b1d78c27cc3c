"""The demo workbook twice: as xlperf writes it (choice keys, plain numbers) and as an HR user types
it in Excel (Chinese choice words, percent indicators' values typed as 98.5% into cells formatted
'0.0%', some full-width digits, dates as text, 是/否 for veto records). The second is made from the first with
openpyxl, cell by cell as a user would, so the two say the same thing and must score the same."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd

from xlperf.contract import INPUT_TABLES
from xlperf.contract.schema import FieldType

PERCENT_INDICATORS = ("W03", "V01", "V02")  # unit %, thresholds in points (85 / 95 / 98)
FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")

_BUILT: dict[str, Path] = {}


def clean_book(cache: Path) -> Path:
    """The full demo (6 vendors, 200 workers, every indicator), built once per process."""
    from xlperf.demo import build_book, demo_tables

    if "clean" not in _BUILT or not _BUILT["clean"].exists():
        _BUILT["clean"] = build_book(cache / "demo-clean.xlsm", "zh", demo_tables("demo", lang="zh"))
    return _BUILT["clean"]


def accepted_word(table: str, key: str, value: str) -> str:
    """The Chinese word of a choice value as the contract spells it (choices.py), if validation reads
    it; otherwise a Chinese alias validation reads; otherwise the key itself. Asked of validation's own
    parser, so this follows whatever choice words validation accepts."""
    from xlperf.validation.checks.cells import parse_field

    spec = next(t for t in INPUT_TABLES if t.name == table)
    f = spec.field(key)
    candidates: list[str] = []
    if hasattr(f.choices, "choice"):  # a Vocab (choices.py): its Chinese word, then its Chinese aliases
        try:
            choice = f.choices.choice(value)
            candidates += [choice.zh, *(a for a in choice.aliases if not a.isascii())]
        except KeyError:
            pass
    for word in candidates:
        p = parse_field(spec, f, pd.Series([word], dtype=object))
        if p.values.iloc[0] == value:
            return word
    return value


def typed_book(cache: Path) -> Path:
    """The demo as an HR user types it (see the module docstring), built once per process."""
    if "typed" in _BUILT and _BUILT["typed"].exists():
        return _BUILT["typed"]
    out = cache / "demo-typed.xlsm"
    shutil.copyfile(clean_book(cache), out)
    wb = openpyxl.load_workbook(out, keep_vba=True)
    for spec in INPUT_TABLES:
        if spec.name == "settings":
            continue
        ws = _sheet_of(wb, spec.name)
        if ws is None:
            continue
        cols = _columns(ws, spec.name)
        for key, c in cols.items():
            if spec.field(key).type != FieldType.CHOICE:
                continue
            words: dict[str, str] = {}
            for r in range(2, ws.max_row + 1):
                cell = ws.cell(r, c)
                if isinstance(cell.value, str) and cell.value:
                    if cell.value not in words:
                        words[cell.value] = accepted_word(spec.name, key, cell.value)
                    cell.value = words[cell.value]
    _percent_observations(wb)
    _typed_thresholds(wb)
    wb.save(out)
    _BUILT["typed"] = out
    return out


def _percent_observations(wb: Any) -> None:
    ws = _sheet_of(wb, "observations")
    cols = _columns(ws, "observations")
    ind, val, worker, date = cols["indicator_id"], cols["value"], cols["worker_id"], cols["date"]
    n_full = 0
    for r in range(2, ws.max_row + 1):
        when = ws.cell(r, date)
        if r % 97 == 0 and hasattr(when.value, "year"):  # a date typed as text, the Chinese way
            when.value = f"{when.value.year}年{when.value.month}月{when.value.day}日"
        indicator = ws.cell(r, ind).value
        cell = ws.cell(r, val)
        if indicator in PERCENT_INDICATORS and isinstance(cell.value, (int, float)):
            cell.value = float(np.round(cell.value / 100, 12))  # what Excel stores for 98.5%
            cell.number_format = "0.0%"
        elif indicator == "W01" and isinstance(cell.value, (int, float)) and n_full < 40:
            cell.value = _fullwidth(cell.value)  # ９２ typed with a Chinese input method
            who = ws.cell(r, worker)
            if isinstance(who.value, str):
                who.value = who.value.translate(str.maketrans("W0123456789", "Ｗ０１２３４５６７８９"))
            n_full += 1
        elif indicator == "W08" and isinstance(cell.value, (int, float)):
            cell.value = "是" if cell.value else "否"


def _typed_thresholds(wb: Any) -> None:
    """V02's floor and target typed as percents into percent cells; W01's floor in full-width digits;
    the dimension weights typed as 25% into percent cells."""
    ws = _sheet_of(wb, "indicators")
    cols = _columns(ws, "indicators")
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, cols["indicator_id"]).value == "V02":
            for key in ("floor", "target"):
                cell = ws.cell(r, cols[key])
                cell.value = float(np.round(cell.value / 100, 12))
                cell.number_format = "0%"
        if ws.cell(r, cols["indicator_id"]).value == "W01":
            cell = ws.cell(r, cols["floor"])
            cell.value = _fullwidth(cell.value)
    ws = _sheet_of(wb, "dimensions")
    c = _columns(ws, "dimensions")["weight"]
    for r in range(2, ws.max_row + 1):
        cell = ws.cell(r, c)
        if isinstance(cell.value, (int, float)):
            cell.value = float(np.round(cell.value / 100, 12))
            cell.number_format = "0%"


def _fullwidth(v: float) -> str:
    text = str(int(v)) if float(v).is_integer() else repr(float(v))
    return text.translate(FULLWIDTH)


def _sheet_of(wb: Any, table: str) -> Any:
    for ws in wb.worksheets:
        if table in ws.tables:
            return ws
    return None


def _columns(ws: Any, table: str) -> dict[str, int]:
    spec = next(t for t in INPUT_TABLES if t.name == table)
    header_map = spec.header_map()
    from xlperf.contract import normalise_header

    out: dict[str, int] = {}
    for c in range(1, ws.max_column + 1):
        v = ws.cell(1, c).value
        key = header_map.get(normalise_header(v)) if v else None
        if key is not None and key not in out:
            out[key] = c
    return out


def recomputed(book: Path, tmp: Path, name: str) -> tuple[Any, pd.DataFrame, pd.DataFrame]:
    """A copy of ``book`` recomputed for every period: (its RawBook, scores sheet, results sheet)."""
    from xlperf.io.filebook import FileBook
    from xlperf.jobs import previous_rows, run_recompute

    path = tmp / f"{name}.xlsm"
    shutil.copyfile(book, path)
    run_recompute(FileBook(path), all_periods=True)
    raw = FileBook(path).read()
    scores, results = previous_rows(raw, "xp_scores"), previous_rows(raw, "xp_results")
    assert scores is not None and results is not None
    return raw, scores, results
