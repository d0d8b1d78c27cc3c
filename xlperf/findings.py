"""Findings: what validation (and any later check) reports, as data.

A finding has a stable ``code``, a severity, a position (sheet, A1 cell, table, field), the offending
value, a message in the workbook's language and a hint. A ``Report`` collects all of them in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from enum import StrEnum

import pandas as pd
from pydantic import BaseModel, ConfigDict


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
FINDING_KEYS = ("code", "severity", "sheet", "cell", "table", "field", "value", "message", "hint")


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    sheet: str = ""
    cell: str = ""  # A1 address, e.g. "C7"; empty for table- or book-level findings
    table: str = ""
    field: str = ""
    value: str = ""
    message: str = ""
    hint: str = ""

    def as_tuple(self) -> tuple[str, str, str]:
        """(sheet, cell, code): the short form tests assert on."""
        return (self.sheet, self.cell, self.code)

    def to_row(self) -> dict[str, str]:
        return {k: str(getattr(self, k)) for k in FINDING_KEYS}


class Report(BaseModel):
    findings: list[Finding] = []
    lang: str = "zh"  # the language the messages are in (the workbook's)

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def extend(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    def __iter__(self) -> Iterator[Finding]:  # type: ignore[override]
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.WARNING]

    @property
    def valid(self) -> bool:
        return not self.errors

    def flatten(self, severity: Severity | None = None) -> list[tuple[str, str, str]]:
        return [f.as_tuple() for f in self.findings if severity is None or f.severity == severity]

    def codes(self) -> set[str]:
        return {f.code for f in self.findings}

    def sorted(self) -> list[Finding]:
        return sorted(self.findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.table, f.sheet, _cell_key(f.cell), f.code))

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([f.to_row() for f in self.sorted()], columns=list(FINDING_KEYS))


def _cell_key(cell: str) -> tuple[int, str]:
    letters = "".join(c for c in cell if c.isalpha())
    digits = "".join(c for c in cell if c.isdigit())
    return (int(digits) if digits else 0, letters.rjust(3))
