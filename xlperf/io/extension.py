"""A saved workbook is what its file extension says: .xlsx without macros, .xlsm macro-enabled.

Excel checks that a package's workbook content type agrees with the file's extension and refuses
("the file format or file extension is not valid") when it does not: an ``--out r.xlsx`` written from
the .xlsm template must not carry the template's macro-enabled content type. So before a package is
saved under a name, ``fit_extension`` makes it that kind of package:

- ``.xlsx``: the VBA project (``xl/vbaProject.bin`` and its signatures), the ribbon (``customUI``
  parts) and their relationships are left out, and the workbook part gets the plain content type.
  Everything else (sheets, tables, styles, names, charts) stays as it is; a sheet's ``codeName`` is
  plain workbook data and stays too. A workbook with Excel 4 macro sheets cannot be an .xlsx without
  losing sheets: refused with a sentence.
- ``.xlsm``: the macro-enabled content type (a macro-enabled workbook without a VBA project is valid).
- anything else: refused with a sentence naming the two extensions xlperf writes.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError, WriteError
from .package import Package

XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
VBA_CT = "application/vnd.ms-office.vbaProject"
_MS = "http://schemas.microsoft.com/office"
RT_VBA = _MS + "/2006/relationships/vbaProject"
RT_VBA_SIGNATURES = (_MS + "/2006/relationships/vbaProjectSignature",
                     _MS + "/2014/relationships/vbaProjectSignatureAgile",
                     _MS + "/2020/07/relationships/vbaProjectSignatureV3")
RT_RIBBON = (_MS + "/2006/relationships/ui/extensibility", _MS + "/2007/relationships/ui/extensibility")
RT_MACROSHEET = (_MS + "/2006/relationships/xlMacrosheet", _MS + "/2006/relationships/xlIntlMacrosheet")
KINDS = {".xlsx": XLSX_MAIN, ".xlsm": XLSM_MAIN}


def check_extension(target: str | Path) -> str:
    """The workbook content type ``target``'s extension calls for; UsageError (exit 2) for any other."""
    p = Path(target)
    ct = KINDS.get(p.suffix.lower())
    if ct is None:
        raise UsageError(
            f"无法写入“{p.name}”：xlperf 只写 Excel 工作簿 .xlsx（不含宏）或 .xlsm（启用宏），请换用这两种扩展名之一。",
            f"Cannot write {p.name!r}: xlperf writes only Excel workbooks, .xlsx (no macros) or .xlsm "
            "(macro-enabled); use one of those two extensions.")
    return ct


def is_macro_free(pkg: Package) -> bool:
    """No VBA project and no ribbon: what an .xlsx may hold."""
    wb_types = {r.type for r in pkg.rels_of(pkg.workbook_part)}
    root_types = {r.type for r in pkg.rels_of("")}
    return RT_VBA not in wb_types and not (root_types & set(RT_RIBBON))


def fit_extension(pkg: Package, target: str | Path) -> None:
    """Make ``pkg`` the kind of package ``target``'s extension says (see the module docstring)."""
    ct = check_extension(target)
    if ct == XLSM_MAIN:
        if pkg.workbook_content_type() != XLSM_MAIN:
            pkg.set_workbook_content_type(XLSM_MAIN)
        return
    if any(r.type in RT_MACROSHEET for r in pkg.rels_of(pkg.workbook_part)):
        name = Path(target).name
        raise WriteError(
            f"无法写入“{name}”：工作簿含 Excel 4.0 宏表，不能保存为 .xlsx。请改用 .xlsm 扩展名。",
            f"Cannot write {name!r}: the workbook holds Excel 4.0 macro sheets, which an .xlsx cannot hold. "
            "Use the .xlsm extension instead.")
    vba = [r.target for r in pkg.rels_of(pkg.workbook_part) if r.type == RT_VBA and not r.external]
    for part in vba:
        pkg.drop_relationships(part, RT_VBA_SIGNATURES)
    pkg.drop_relationships(pkg.workbook_part, (RT_VBA,))
    pkg.drop_relationships("", RT_RIBBON)
    pkg.drop_default_content_type(VBA_CT)
    if pkg.workbook_content_type() != XLSX_MAIN:
        pkg.set_workbook_content_type(XLSX_MAIN)


__all__ = ["KINDS", "XLSM_MAIN", "XLSX_MAIN", "check_extension", "fit_extension", "is_macro_free"]
