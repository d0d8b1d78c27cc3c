"""LibreOffice headless opens an .xlsm carrying a compiled vbaProject.bin and sees the same modules,
module types, procedures and sheet codeNames."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from test_vba_project import sample_modules
from vba_helpers import libreoffice_view, make_xlsm

from xlperf.excel.vba import VbaModule, build_vba_project, document_module, normalized_source

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"),
]

_PROCEDURE = re.compile(
    r"^(?:(?:Public|Private|Friend)\s+)?(?:Static\s+)?(?:Sub|Function|Property\s+(?:Get|Let|Set))\s+(\w+)",
    re.MULTILINE | re.IGNORECASE,
)
# What LibreOffice puts before an imported VBA module's code, by module type.
_LO_PREFIX = {
    "standard": "Rem Attribute VBA_ModuleType=VBAModule\nOption VBASupport 1\n",
    "class": "Rem Attribute VBA_ModuleType=VBAClassModule\nOption VBASupport 1\nOption ClassModule\n",
    "document": "Rem Attribute VBA_ModuleType=VBADocumentModule\nOption VBASupport 1\n",
}


def _code_without_attributes(module: VbaModule) -> str:
    lines = normalized_source(module).split("\r\n")
    return "\n".join(line for line in lines if not line.startswith("Attribute "))


def _check(view: dict[str, object], modules: list[VbaModule], library: str) -> None:
    libraries = view["libraries"]
    assert isinstance(libraries, dict)
    seen = libraries[library]
    assert sorted(seen) == sorted(m.name for m in modules)
    for module in modules:
        text = seen[module.name]
        prefix = _LO_PREFIX[module.kind]
        assert text.startswith(prefix), (module.name, text[:120])
        assert text[len(prefix) :].rstrip("\n") == _code_without_attributes(module).rstrip("\n")
        assert _PROCEDURE.findall(text) == _PROCEDURE.findall(normalized_source(module))


def test_libreoffice_lists_modules_procedures_and_code_names(tmp_path: Path) -> None:
    modules = sample_modules()
    xlsm = make_xlsm(
        tmp_path / "chinese.xlsm",
        build_vba_project(modules, codepage=936),
        {"指标": "Sheet1", "供应商": "Sheet2"},
        "ThisWorkbook",
    )
    view = libreoffice_view(xlsm, tmp_path)
    _check(view, modules, "VBAProject")
    assert view["code_names"] == {"指标": "Sheet1", "供应商": "Sheet2"}
    assert view["doc_code_name"] == "ThisWorkbook"
    ribbon = view["libraries"]["VBAProject"]["Ribbon"]  # type: ignore[index]
    assert 'Application.StatusBar = "全部重算…"' in ribbon
    assert _PROCEDURE.findall(ribbon) == ["OnValidate", "OnRecomputeAll"]


def test_libreoffice_reads_a_code_page_1252_project(tmp_path: Path) -> None:
    modules = [
        document_module("ThisWorkbook", base="workbook", body="Private Sub Workbook_Open()\nEnd Sub\n"),
        document_module("Indicators"),
        VbaModule(
            "Ribbon", 'Public Sub OnValidate(control As IRibbonControl)\n    MsgBox "Validé"\nEnd Sub\n'
        ),
    ]
    xlsm = make_xlsm(
        tmp_path / "english.xlsm",
        build_vba_project(modules, codepage=1252, project_name="XlperfEn"),
        {"Indicators": "Indicators"},
        "ThisWorkbook",
    )
    view = libreoffice_view(xlsm, tmp_path)
    _check(view, modules, "XlperfEn")
    assert 'MsgBox "Validé"' in view["libraries"]["XlperfEn"]["Ribbon"]  # type: ignore[index]
