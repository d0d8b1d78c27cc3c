"""A small, valid workbook as RawTables (what a reader yields), and ways to damage it one thing at
a time. Headers are the Chinese labels, as in the template; data rows start in Excel row 2.

The book: 2 vendors, 4 workers; indicators of every method at both levels (W2 is replaced by W5
from 2026-02 on, so indicator weights change over time); band set B1; months 2026-01 and 2026-02
rolling up to 2026-Q1; a few observations, ratings from two rater roles, one SMART goal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from xlperf.book import RawBook, RawTable, col_letter
from xlperf.contract.tables import DEFAULT_GRADES, TABLES_BY_NAME
from xlperf.validation import validate

D = dt.datetime

ROWS: dict[str, list[dict[str, Any]]] = {
    "settings": [
        {"key": "org_name", "value": "示例单位"}, {"key": "current_period", "value": "2026-01"},
        {"key": "missing_policy", "value": "renormalize"}, {"key": "veto_score", "value": 0},
        {"key": "grade_mode", "value": "absolute"}, {"key": "distribution_scope", "value": "all"},
        {"key": "total_cap", "value": 120}, {"key": "warn_score", "value": 60}, {"key": "drop_alert", "value": 10},
        {"key": "lang", "value": "zh"},
    ],
    "dimensions": [
        {"dimension": "质量", "level": "vendor", "weight": 60},
        {"dimension": "效率", "level": "vendor", "weight": 40},
        {"dimension": "工作量", "level": "worker", "weight": 50},
        {"dimension": "质量", "level": "worker", "weight": 50},
    ],
    "indicators": [
        {"indicator_id": "V1", "name": "服务质量", "dimension": "质量", "level": "vendor", "weight": 50, "method": "linear",
         "direction": "higher", "floor": 90, "target": 98, "stretch": 100, "cap": 120, "aggregation": "mean"},
        {"indicator_id": "V2", "name": "投诉次数", "dimension": "质量", "level": "vendor", "weight": 50, "method": "bands",
         "band_set": "B1", "aggregation": "sum"},
        {"indicator_id": "V3", "name": "响应时长", "dimension": "效率", "level": "vendor", "weight": 50, "method": "ratio",
         "direction": "lower", "target": 24, "cap": 120, "aggregation": "mean", "unit": "小时"},
        {"indicator_id": "V4", "name": "满意度", "dimension": "效率", "level": "vendor", "weight": 30, "method": "rating",
         "scale": 5},
        {"indicator_id": "V5", "name": "安全事故", "dimension": "质量", "level": "vendor", "method": "veto",
         "aggregation": "max"},
        {"indicator_id": "V6", "name": "团队平均", "dimension": "效率", "level": "vendor", "weight": 20, "method": "team"},
        {"indicator_id": "W1", "name": "工单量", "dimension": "工作量", "level": "worker", "weight": 100, "method": "linear",
         "direction": "higher", "floor": 50, "target": 100, "stretch": 120, "cap": 120, "aggregation": "sum"},
        {"indicator_id": "W2", "name": "差错次数", "dimension": "质量", "level": "worker", "weight": 60,
         "method": "deduction", "per_unit": 5, "aggregation": "sum", "effective_to": "2026-01"},
        {"indicator_id": "W3", "name": "主管评分", "dimension": "质量", "level": "worker", "weight": 40, "method": "rating",
         "scale": 5},
        {"indicator_id": "W4", "name": "加分项", "dimension": "质量", "level": "worker", "method": "adjust", "per_unit": 1,
         "cap": 5, "aggregation": "sum"},
        {"indicator_id": "W5", "name": "差错次数(新)", "dimension": "质量", "level": "worker", "weight": 60,
         "method": "deduction", "per_unit": 10, "aggregation": "sum", "effective_from": "2026-02"},
    ],
    "bands": [
        {"band_set": "B1", "lower": None, "upper": 2, "score": 100},
        {"band_set": "B1", "lower": 2, "upper": 5, "score": 70},
        {"band_set": "B1", "lower": 5, "upper": None, "score": 40},
    ],
    "vendors": [
        {"vendor_id": "V001", "name": "甲公司", "contract_start": D(2025, 7, 1), "contract_end": D(2026, 6, 30),
         "base_fee": 100000},
        {"vendor_id": "V002", "name": "乙公司", "contract_start": D(2025, 1, 1), "contract_end": D(2026, 12, 31),
         "base_fee": 80000},
    ],
    "workers": [
        {"worker_id": "W001", "name": "张一", "vendor_id": "V001", "start_date": D(2025, 7, 1), "base_bonus": 2000},
        {"worker_id": "W002", "name": "张二", "vendor_id": "V001", "start_date": D(2025, 8, 1), "base_bonus": 2000},
        {"worker_id": "W003", "name": "李三", "vendor_id": "V002", "start_date": D(2025, 1, 1), "base_bonus": 1500},
        {"worker_id": "W004", "name": "李四", "vendor_id": "V002", "start_date": D(2025, 3, 1), "base_bonus": 1500},
    ],
    "periods": [
        {"period_id": "2026-01", "start": D(2026, 1, 1), "end": D(2026, 1, 31), "rollup": "2026-Q1", "status": "open"},
        {"period_id": "2026-02", "start": D(2026, 2, 1), "end": D(2026, 2, 28), "rollup": "2026-Q1", "status": "open"},
        {"period_id": "2026-Q1", "start": D(2026, 1, 1), "end": D(2026, 3, 31), "status": "open"},
    ],
    "observations": [
        {"date": D(2026, 1, 15), "period_id": "2026-01", "vendor_id": "V001", "indicator_id": "V1", "value": 96.5},
        {"date": D(2026, 1, 20), "period_id": "2026-01", "vendor_id": "V002", "indicator_id": "V1", "value": 92},
        {"date": D(2026, 1, 21), "period_id": "2026-01", "vendor_id": "V001", "indicator_id": "V2", "value": 3},
        {"date": D(2026, 1, 22), "period_id": "2026-01", "vendor_id": "V001", "indicator_id": "V3", "value": 30},
        {"date": D(2026, 1, 23), "period_id": "2026-01", "vendor_id": "V001", "indicator_id": "V5", "value": 0},
        {"date": D(2026, 1, 10), "period_id": "2026-01", "vendor_id": "V001", "worker_id": "W001", "indicator_id": "W1",
         "value": 80},
        {"date": D(2026, 1, 11), "period_id": "2026-01", "vendor_id": "V001", "worker_id": "W001", "indicator_id": "W2",
         "value": 2},
        {"date": D(2026, 1, 12), "period_id": "2026-01", "vendor_id": "V002", "worker_id": "W003", "indicator_id": "W1",
         "value": 110},
        {"date": D(2026, 2, 12), "period_id": "2026-02", "vendor_id": "V002", "worker_id": "W004", "indicator_id": "W5",
         "value": 1},
        {"date": D(2026, 2, 13), "period_id": "2026-02", "vendor_id": "V001", "worker_id": "W002", "indicator_id": "W4",
         "value": 2},
    ],
    "ratings": [
        {"period_id": "2026-01", "vendor_id": "V001", "indicator_id": "V4", "rater_role": "主管", "rater": "赵", "rating": 4},
        {"period_id": "2026-01", "vendor_id": "V001", "worker_id": "W001", "indicator_id": "W3", "rater_role": "主管",
         "rater": "钱", "rating": 5},
        {"period_id": "2026-01", "vendor_id": "V001", "worker_id": "W001", "indicator_id": "W3",
         "rater_role": "用工部门", "rater": "孙", "rating": 3},
    ],
    "rater_weights": [
        {"indicator_id": "*", "rater_role": "主管", "weight": 60},
        {"indicator_id": "*", "rater_role": "用工部门", "weight": 40},
    ],
    "grades": [
        {"grade": g, "min_score": m, "quota": q, "bonus_coef": b, "fee_adjust": f, "action": a}
        for g, m, q, b, f, a, _ in DEFAULT_GRADES
    ],
    "goals": [
        {"goal_id": "G1", "vendor_id": "V001", "worker_id": "W001", "indicator_id": "W1",
         "description": "三个月内把每月工单量提升到 110 单", "baseline": 80, "target": 110, "objective": "提升服务产能",
         "deadline": D(2026, 3, 31), "agreed_on": D(2026, 1, 5), "status": "agreed"},
    ],
}


@dataclass
class _Table:
    sheet: str
    headers: list[str]
    keys: list[str | None]  # field key per column; None for a column the user added
    rows: list[list[Any]]
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)


class BookBuilder:
    """A valid book; each method damages one thing and returns self, so tests read as one line."""

    def __init__(self, lang: str = "zh") -> None:
        self.lang = lang
        self.tables: dict[str, _Table] = {}
        for name, rows in ROWS.items():
            table = TABLES_BY_NAME[name]
            keys: list[str | None] = list(table.keys)
            self.tables[name] = _Table(
                table.sheet_name(lang), [f.label(lang) for f in table.fields], keys,
                [[r.get(k) for k in table.keys] for r in rows])

    # ---- positions -------------------------------------------------------------------------------
    def col(self, table: str, key: str) -> int:
        return self.tables[table].keys.index(key)

    def cell(self, table: str, row: int, key: str) -> str:
        """A1 address of data row ``row`` (0-based) of field ``key``: Excel row row + 2."""
        return f"{col_letter(self.col(table, key))}{row + 2}"

    def sheet(self, table: str) -> str:
        return self.tables[table].sheet

    def at(self, table: str, row: int, key: str, code: str) -> tuple[str, str, str]:
        return (self.sheet(table), self.cell(table, row, key), code)

    def find(self, table: str, **match: Any) -> int:
        """Index of the first row whose fields equal ``match``."""
        t = self.tables[table]
        for i, r in enumerate(t.rows):
            if all(r[t.keys.index(k)] == v for k, v in match.items()):
                return i
        raise KeyError(match)

    def get(self, table: str, row: int, key: str) -> Any:
        return self.tables[table].rows[row][self.col(table, key)]

    # ---- damage ----------------------------------------------------------------------------------
    def set(self, table: str, row: int, key: str, value: Any) -> BookBuilder:
        self.tables[table].rows[row][self.col(table, key)] = value
        return self

    def add_row(self, table: str, **values: Any) -> BookBuilder:
        t = self.tables[table]
        t.rows.append([values.get(k) if k else None for k in t.keys])
        return self

    def delete_row(self, table: str, row: int) -> BookBuilder:
        del self.tables[table].rows[row]
        return self

    def clear_rows(self, table: str) -> BookBuilder:
        self.tables[table].rows = []
        return self

    def drop_table(self, table: str) -> BookBuilder:
        del self.tables[table]
        return self

    def drop_column(self, table: str, key: str) -> BookBuilder:
        t = self.tables[table]
        j = t.keys.index(key)
        for lst in (t.headers, t.keys):
            del lst[j]
        for r in t.rows:
            del r[j]
        return self

    def move_column(self, table: str, key: str, to: int) -> BookBuilder:
        t = self.tables[table]
        j = t.keys.index(key)
        for lst in [t.headers, t.keys, *t.rows]:
            lst.insert(to, lst.pop(j))
        return self

    def add_column(self, table: str, header: str, values: list[Any] | None = None, key: str | None = None) -> BookBuilder:
        t = self.tables[table]
        t.headers.append(header)
        t.keys.append(key)
        for i, r in enumerate(t.rows):
            r.append(values[i] if values and i < len(values) else None)
        return self

    def rename_header(self, table: str, key: str, header: str) -> BookBuilder:
        t = self.tables[table]
        t.headers[t.keys.index(key)] = header
        return self

    def rename_sheet(self, table: str, sheet: str) -> BookBuilder:
        self.tables[table].sheet = sheet
        return self

    def formula(self, table: str, row: int, key: str, text: str, value: Any) -> BookBuilder:
        t = self.tables[table]
        t.formulas[(row, t.keys.index(key))] = text
        return self.set(table, row, key, value)

    def merge(self, table: str, rng: str) -> BookBuilder:
        self.tables[table].merged.append(rng)
        return self

    # ---- output ----------------------------------------------------------------------------------
    def raw(self) -> RawBook:
        tables: dict[str, RawTable] = {}
        for name, t in self.tables.items():
            data = pd.DataFrame([list(r) for r in t.rows], columns=range(len(t.headers)), dtype=object) \
                if t.rows else pd.DataFrame({j: pd.Series(dtype=object) for j in range(len(t.headers))})
            tables[name] = RawTable(name=name, sheet=t.sheet, header_row=1, first_col=0, headers=list(t.headers),
                                    data=data, formulas=dict(t.formulas), merged=list(t.merged))
        return RawBook(source="test.xlsm", tables=tables, sheets=[t.sheet for t in self.tables.values()])

    def validate(self, lang: str | None = None) -> Any:
        return validate(self.raw(), lang=lang)

    def findings(self, lang: str | None = None, *, info: bool = True) -> list[tuple[str, str, str]]:
        _, report = validate(self.raw(), lang=lang)
        return [f.as_tuple() for f in report.findings if info or f.severity != "info"]


def write_xlsx(b: BookBuilder, path: Any, outside: dict[str, int] | None = None) -> None:
    """The book as a real .xlsx: one sheet per table, each an Excel table (ListObject) named as in
    the contract, dates as date cells, CellError as a formula with that cached error, formulas kept.
    ``outside``: per table, how many of its last rows sit right below the table's range instead of
    inside it (what a paste under a table, or typing with AutoExpand off, leaves)."""
    import xlsxwriter  # only the file-based tests need it

    from xlperf.book import CellError

    wb = xlsxwriter.Workbook(str(path))
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for name, t in b.tables.items():
        ws = wb.add_worksheet(t.sheet)
        ws.write_row(0, 0, t.headers)
        for i, row in enumerate(t.rows):
            for j, v in enumerate(row):
                formula = t.formulas.get((i, j))
                if isinstance(v, CellError):
                    ws.write_formula(i + 1, j, "=NA()" if v.code == "#N/A" else "=1/0", None, v.code)
                elif formula:
                    ws.write_formula(i + 1, j, formula, None, v)
                elif isinstance(v, (dt.datetime, dt.date)):
                    ws.write_datetime(i + 1, j, v, date_fmt)
                elif v is not None:
                    ws.write(i + 1, j, v)
        for rng in t.merged:
            ws.merge_range(rng, None)
        last_row = max(len(t.rows) - (outside or {}).get(name, 0), 1)
        ws.add_table(0, 0, last_row, len(t.headers) - 1,
                     {"name": name, "header_row": True, "autofilter": False,
                      "columns": [{"header": h} for h in t.headers]})
    wb.close()
