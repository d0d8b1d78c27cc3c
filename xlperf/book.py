"""The engine-neutral shape of a workbook: what any reader produces and any writer consumes.

Two engines implement it: the file engine (``xlperf.io``: the .xlsx/.xlsm package, no Excel) and the
live engine (``xlperf.live``: the open workbook through xlwings). Validation and the scoring engine only
ever see these objects, which is why both doors give identical results.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd

from .contract.schema import Table
from .findings import Finding


@dataclass(frozen=True)
class CellError:
    """An Excel error value in a cell (#N/A, #DIV/0!, #VALUE!, #REF!, #NAME?, #NUM!, #NULL!)."""

    code: str

    def __str__(self) -> str:
        return self.code


def col_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    s = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def col_index(letters: str) -> int:
    """Excel letters → 0-based column index."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


@dataclass
class RawTable:
    """One data table as found in the workbook, values untouched.

    ``data`` has one column per header cell, positional (0..n-1), object dtype, holding exactly what the
    cell holds: float/int, str, bool, datetime, None for blank, or ``CellError``. Row ``i`` of ``data`` is
    Excel row ``header_row + 1 + i``; column ``j`` is Excel column ``first_col + j`` (0-based index).
    """

    name: str  # contract table name (ListObject name when found as a ListObject)
    sheet: str  # the sheet it sits on, as named now
    header_row: int  # 1-based Excel row of the header
    first_col: int  # 0-based Excel column of the first header
    headers: list[str]
    data: pd.DataFrame
    is_list_object: bool = True
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (data row i, col j) → formula text
    merged: list[str] = field(default_factory=list)  # merged ranges overlapping the table (A1:B2)
    # Cells shown as a percent (number format 0%, 0.0% ...; typing 98.5% stores 0.985 so formatted):
    # column j → one bool per data row, only for columns holding any. Validation reads such a number
    # as the percent the sheet shows (xlperf.validation.percents).
    percent: dict[int, npt.NDArray[np.bool_]] = field(default_factory=dict)
    # rows read from directly below the ListObject's range (xlperf.io.belowtable): the last of them
    # are the table's rows; the engine that read them extends the table over them on its next write
    appended_rows: int = 0

    def percent_column(self, j: int) -> npt.NDArray[np.bool_]:
        """Which data rows of column j are percent-formatted (all False when none is)."""
        got = self.percent.get(j)
        if got is None or len(got) != len(self.data):
            return np.zeros(len(self.data), dtype=bool) if got is None else _fit(got, len(self.data))
        return got

    def cell(self, i: int, j: int) -> str:
        """A1 address of data row i, column j."""
        return f"{col_letter(self.first_col + j)}{self.header_row + 1 + i}"

    def header_cell(self, j: int) -> str:
        return f"{col_letter(self.first_col + j)}{self.header_row}"


def _fit(mask: npt.NDArray[np.bool_], n: int) -> npt.NDArray[np.bool_]:
    """A mask cut or padded (False) to n rows: a reader that trims or extends rows keeps it aligned."""
    out = np.zeros(n, dtype=bool)
    k = min(n, len(mask))
    out[:k] = mask[:k]
    return out


@dataclass
class RawBook:
    """Everything validation needs from a workbook."""

    source: str  # path or workbook name, for messages
    tables: dict[str, RawTable]  # by contract table name; a missing table is simply absent
    sheets: list[str] = field(default_factory=list)  # sheet names in order
    hidden_sheets: list[str] = field(default_factory=list)
    protected_sheets: list[str] = field(default_factory=list)  # of the sheets holding a table read
    notes: list[Finding] = field(default_factory=list)  # what the reader itself noticed


@dataclass
class OutputBlock:
    """One block xlperf writes: an output table on its own sheet, replaced whole on every run."""

    table: Table  # from xlperf.contract.outputs
    frame: pd.DataFrame  # columns are field keys (results also has dim:<dimension> columns)
    lang: str = "zh"
    sheet: str | None = None  # defaults to table.sheet_name(lang)
    low_score: float | None = None  # scores below this are coloured (the warn_score setting; None: 60)
    # rows written above the table (a summary; the table's header goes one blank row below them)
    above: list[list[object]] = field(default_factory=list)
    # charts beside the summary: (DrawingML chart part, box (r1, c1, r2, c2), 1-based); file engine only
    charts: list[tuple[bytes, tuple[int, int, int, int]]] = field(default_factory=list)

    @property
    def header_row(self) -> int:
        """The 1-based row of the table's header: 1, or below the summary rows and a blank one."""
        return len(self.above) + 2 if self.above else 1

    @property
    def sheet_name(self) -> str:
        return self.sheet or self.table.sheet_name(self.lang)


class BookEngine(Protocol):
    """A workbook both doors can work on: the file engine (xlperf.io.filebook.FileBook) and the live
    engine (xlperf.live.xwbook.XwBook). Jobs in xlperf.jobs take one of these and nothing else."""

    def read(self) -> RawBook:
        """Read every contract table in bulk (one call per table)."""
        ...

    def read_tables(self, names: Sequence[str]) -> RawBook:
        """Read only the named contract tables (inputs first; outputs only when a job needs them)."""
        ...

    def write(self, blocks: Sequence[OutputBlock]) -> None:
        """Replace each block's sheet whole, all or nothing: on failure nothing is half-written."""
        ...


def book_lang(raw: RawBook, override: str | None = None) -> str:
    """The workbook's language: the `lang` setting, else zh."""
    if override in ("zh", "en"):
        return str(override)
    return settings_lang(raw)


def settings_lang(raw: RawBook) -> str:
    """The `lang` setting as typed in 参数设置 (界面语言 = 英文, lang = en, Language = English ...),
    read before anything is validated; zh when it is missing or unreadable."""
    from .contract.choices import LANGS
    from .contract.schema import normalise_header
    from .contract.tables import setting_named

    table = raw.tables.get("settings")
    if table is None or table.data.shape[1] < 2:
        return "zh"
    headers = {normalise_header(h): j for j, h in enumerate(table.headers)}
    jk = next((headers[h] for h in ("key", "参数") if h in headers), 0)
    jv = next((headers[h] for h in ("value", "取值") if h in headers), 1)
    if max(jk, jv) >= table.data.shape[1]:
        return "zh"
    for k, v in zip(table.data.iloc[:, jk], table.data.iloc[:, jv]):
        s = setting_named(k)
        if s is not None and s.key == "lang":
            return LANGS.parse(v) or "zh"
    return "zh"


