"""Helpers for the template and demo tests: open a package's parts, list a book's tables and validations."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def book_tables(path: Path) -> dict[str, dict[str, Any]]:
    """ListObject name → {sheet, ref, headers, codeName, validations: {sqref-first-cell: formula1}}."""
    wb = load_workbook(path, keep_vba=False)
    out: dict[str, dict[str, Any]] = {}
    for ws in wb.worksheets:
        validations = {}
        for dv in ws.data_validations.dataValidation:
            first = str(dv.sqref).split()[0].split(":")[0]
            validations[first] = (dv.type, dv.formula1)
        for table in ws.tables.values():
            name = table.displayName
            header = [c.value for c in next(iter(ws[table.ref]))]
            out[name] = {"sheet": ws.title, "ref": table.ref, "headers": header,
                         "codeName": ws.sheet_properties.codeName, "validations": validations, "ws": ws}
    return out
