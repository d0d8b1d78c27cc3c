"""A VBA project compiler: vbaProject.bin from module source text, per MS-OVBA and MS-CFB.

    >>> from xlperf.excel.vba import build_vba_project, document_module, VbaModule
    >>> data = build_vba_project([
    ...     document_module("ThisWorkbook", base="workbook"),
    ...     document_module("Sheet1", base="sheet"),
    ...     VbaModule("Ribbon", 'Sub OnValidate(control As IRibbonControl)\\nEnd Sub\\n'),
    ... ], codepage=936)

Put `data` into an .xlsm as ``xl/vbaProject.bin`` and set ``codeName`` on workbookPr and on each
sheet's sheetPr to the document module names.
"""

from .compression import compress, decompress
from .modules import (
    VbaModule,
    VbaProjectError,
    document_module,
    normalized_source,
    vba_string_expression,
)
from .project import build_vba_project, project_id_for
from .reader import VbaProjectContents, read_vba_project
from .references import DEFAULT_REFERENCES, OFFICE, STDOLE, Reference

__all__ = [
    "DEFAULT_REFERENCES",
    "OFFICE",
    "STDOLE",
    "Reference",
    "VbaModule",
    "VbaProjectContents",
    "VbaProjectError",
    "build_vba_project",
    "compress",
    "decompress",
    "document_module",
    "normalized_source",
    "project_id_for",
    "read_vba_project",
    "vba_string_expression",
]
