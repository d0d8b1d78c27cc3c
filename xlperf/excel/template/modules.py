"""The VBA modules and the ribbon part that go into the template, gathered from their sources.

``collect_vba_modules(lang)`` is the one hook both the template build and the Excel-integration side
use. Modules come from, in order:

1. document modules: ``ThisWorkbook`` and one per sheet, named after the sheet codeNames (their body
   from ``workbook_templates/src/vba/<Name>.bas`` when that file exists, else empty; the document
   attributes are always regenerated);
2. every other ``workbook_templates/src/vba/*.bas`` (standard module) and ``*.cls`` (class module); a
   file of the same name under ``src/vba/<lang>/`` replaces the common one for that language;
3. the xlwings standalone module and its Dictionary class, from the installed (pinned) xlwings package;
4. modules from each provider in ``MODULE_PROVIDERS`` (the generated text module, UDF wrappers and
   their help): a ``"package.module:function"`` taking the language and returning ``list[VbaModule]``.

Module code is the text exactly as the VBA project stores it: ``Attribute`` lines first, CRLF line
endings, no ``VERSION 1.0 CLASS``/``BEGIN``/``END`` header.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from pathlib import Path

from ..vba.modules import ModuleKind, VbaModule
from ..vba.modules import document_module as _vba_document_module

REPO_ROOT = Path(__file__).resolve().parents[3]
SRC_DIR = REPO_ROOT / "workbook_templates" / "src"
VBA_DIR = SRC_DIR / "vba"

# Providers of generated modules, resolved lazily so a provider still being written is simply skipped.
MODULE_PROVIDERS: tuple[str, ...] = ("xlperf.excel.udfgen:vba_modules",)

WORKBOOK_CODENAME = "ThisWorkbook"

__all__ = [
    "MODULE_PROVIDERS",
    "VbaModule",
    "collect_vba_modules",
    "crlf",
    "document_module",
    "ribbon_part",
    "source_module",
    "xlwings_modules",
]


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


def _drop_class_header(lines: list[str]) -> list[str]:
    if lines and lines[0].startswith("VERSION "):
        end = next((i for i, line in enumerate(lines) if line.strip() == "END"), -1)
        return lines[end + 1:]
    return lines


def document_module(name: str, body: str = "", *, workbook: bool = False) -> VbaModule:
    """A document module (workbook or worksheet); attribute lines in ``body`` are replaced by the
    standard document header."""
    lines = _drop_class_header(crlf(body).split("\r\n"))
    while lines and lines[0].startswith("Attribute "):
        lines.pop(0)
    rest = "\r\n".join(lines).strip("\r\n")
    return _vba_document_module(name, "workbook" if workbook else "sheet", rest + "\r\n" if rest else "")


def source_module(path: Path) -> VbaModule:
    """A .bas/.cls file as stored in the project: .cls header removed, VB_Name ensured, CRLF."""
    kind: ModuleKind = "class" if path.suffix.lower() == ".cls" else "standard"
    code = "\r\n".join(_drop_class_header(crlf(path.read_text(encoding="utf-8-sig")).split("\r\n")))
    match = re.search(r'^Attribute VB_Name = "([^"]+)"', code, re.MULTILINE)
    name = match.group(1) if match else path.stem
    if not match:
        code = f'Attribute VB_Name = "{name}"\r\n' + code
    if not code.endswith("\r\n"):
        code += "\r\n"
    return VbaModule(name, code, kind)


def _source_files(lang: str, vba_dir: Path) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for folder in (vba_dir, vba_dir / lang):
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.suffix.lower() in (".bas", ".cls") and path.is_file():
                    files[path.stem] = path
    return files


def xlwings_modules() -> list[VbaModule]:
    """The standalone xlwings module and the Dictionary class it needs on macOS, from the pinned package."""
    import xlwings

    root = Path(xlwings.__file__).resolve().parent
    return [source_module(root / "xlwings.bas"), source_module(root / "addin" / "Dictionary.cls")]


def _provider_modules(lang: str) -> list[VbaModule]:
    out: list[VbaModule] = []
    for spec in MODULE_PROVIDERS:
        module_name, _, func_name = spec.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                continue  # provider not written yet
            raise
        provider: Callable[[str], list[VbaModule]] = getattr(module, func_name)
        try:
            out.extend(provider(lang))
        except ModuleNotFoundError as exc:
            # A generator the provider needs is still being written: build without it. The template
            # check (`xlperf template build --check`) then reports the committed templates stale.
            if not (exc.name or "").startswith("xlperf."):
                raise
    return out


def collect_vba_modules(lang: str, sheet_codenames: list[str] | None = None, *,
                        vba_dir: Path | None = None) -> list[VbaModule]:
    """Every module of the template's VBA project: ThisWorkbook, one document module per sheet (in sheet
    order), the hand-written modules, xlwings, then the generated ones."""
    from .sheets import sheet_codenames as default_codenames

    files = _source_files(lang, vba_dir or VBA_DIR)
    codenames = sheet_codenames if sheet_codenames is not None else default_codenames()
    modules: list[VbaModule] = []
    for i, name in enumerate([WORKBOOK_CODENAME, *codenames]):
        path = files.pop(name, None)
        body = path.read_text(encoding="utf-8-sig") if path else ""
        modules.append(document_module(name, body, workbook=i == 0))
    modules.extend(source_module(path) for path in files.values())
    modules.extend(xlwings_modules())
    modules.extend(_provider_modules(lang))
    seen: set[str] = set()
    for m in modules:
        if m.name.lower() in seen:
            raise ValueError(f"two VBA modules are named {m.name!r}")
        seen.add(m.name.lower())
    return modules


def ribbon_part(lang: str) -> bytes | None:
    """customUI/customUI14.xml for ``lang`` (rendered by xlperf.excel.ribbon), or None without a source.

    XML comments in the source are for developers; they are left out of the shipped part (they may also
    mention placeholder syntax the renderer would try to fill)."""
    path = SRC_DIR / "customUI14.xml"
    if not path.is_file():
        return None
    from ..ribbon import ribbon_xml

    source = re.sub(r"<!--.*?-->\s*", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    return ribbon_xml(lang, source)
