"""Compile VBA module sources into a vbaProject.bin (MS-OVBA inside MS-CFB).

The project is source only: ``_VBA_PROJECT`` says version 0xFFFF, which tells Office that there is
no compiled cache to trust, every MODULEOFFSET is 0 and each module stream is just its compressed
source.  Office compiles the source when the workbook's project is first used (xlwings' reference
project stores its big module the same way, and Excel opens it).

Layout of the file::

    PROJECT            project text (ids, module list, protection values)
    PROJECTwm          module names, code page and UTF-16
    VBA/_VBA_PROJECT   CC 61 FF FF 00 01 00
    VBA/dir            compressed: project information, references, module records
    VBA/<module>       compressed module source, one stream per module

Code pages.  MS-OVBA stores the project name, module names and module source as MBCS text in the
project code page (PROJECTCODEPAGE); only a few records have UTF-16 twins, and the source has none.
oletools and LibreOffice decode the source with that code page.  Windows VBA, however, edits and
compiles text in the machine's ANSI code page, so a string literal outside ASCII is only safe where
the two agree: 936 for the Chinese template is right for HR machines with a Chinese system locale,
1252 for the English one.  Module and project names are kept ASCII (checked), and text that must
survive any locale belongs in ``ChrW`` expressions (`vba_string_expression`) or on a sheet; a
character the code page cannot hold is refused with the module and line, never written as "?".
"""

from __future__ import annotations

import codecs
import uuid
from collections.abc import Sequence

from .cfb import write_compound_file
from .compression import CompressionError, compress
from .dirstream import LCID_EN_US, DirModule, ModuleType, ProjectInfo, compressed_dir_stream
from .modules import VbaModule, VbaProjectError, check_identifier, module_docstring, normalized_source
from .project_stream import ProjectEntry, ProjectEntryKind, build_project_stream, build_projectwm_stream
from .references import DEFAULT_REFERENCES, Reference

__all__ = ["VBA_PROJECT_STREAM", "build_vba_project", "codec_for", "project_id_for"]

# Reserved1 0x61CC, Version 0xFFFF (no p-code cache), Reserved2 0x00, Reserved3 0x0001.
VBA_PROJECT_STREAM = bytes.fromhex("CC61FFFF000100")
# Namespace for the project GUID: any fixed UUID works; this one is uuid5(NAMESPACE_URL, "xlperf:vba").
_PROJECT_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "xlperf:vba")


def project_id_for(project_name: str) -> str:
    """The PROJECT stream's ID: a GUID fixed by the project name, so builds are reproducible."""
    return "{" + str(uuid.uuid5(_PROJECT_ID_NAMESPACE, project_name)).upper() + "}"


def codec_for(codepage: int) -> str:
    """The Python codec of a Windows code page (936 → cp936, 1252 → cp1252)."""
    name = "utf-8" if codepage == 65001 else f"cp{codepage}"
    try:
        return codecs.lookup(name).name
    except LookupError as exc:
        raise VbaProjectError(f"不支持的代码页 {codepage}。", f"Unsupported code page {codepage}.") from exc


# The VBE refuses to compile a physical line longer than this ("Line too long").
MAX_LINE_LENGTH = 1023


def _encode_source(module: VbaModule, source: str, encoding: str, codepage: int) -> bytes:
    try:
        encoded = source.encode(encoding)
    except UnicodeEncodeError as exc:
        line_no = source.count("\r\n", 0, exc.start) + 1
        char = source[exc.start]
        raise VbaProjectError(
            f"模块 {module.name} 第 {line_no} 行的字符 {char!r} 无法用代码页 {codepage} 表示；"
            "请用 vba_string_expression() 生成 ChrW 表达式。",
            f"Module {module.name}, line {line_no}: {char!r} cannot be written in code page {codepage}; "
            "use vba_string_expression() to build a ChrW expression.",
        ) from exc
    for line_no, line in enumerate(encoded.split(b"\r\n"), start=1):
        if len(line) > MAX_LINE_LENGTH:
            raise VbaProjectError(
                f"模块 {module.name} 第 {line_no} 行超过 VBA 的 {MAX_LINE_LENGTH} 字符上限（{len(line)}）。",
                f"Module {module.name}, line {line_no} is longer than VBA's {MAX_LINE_LENGTH}-character "
                f"limit ({len(line)}).",
            )
    return encoded


def _compress_source(module: VbaModule, source: bytes) -> bytes:
    try:
        return compress(source, allow_raw=False)
    except CompressionError as exc:
        raise VbaProjectError(
            f"模块 {module.name} 的源代码无法压缩（含 4096 字节无重复内容），Excel 会丢弃此类模块。",
            f"Module {module.name}'s source does not compress (4096 bytes without a repeat); "
            "Excel drops modules stored uncompressed.",
        ) from exc


def build_vba_project(
    modules: Sequence[VbaModule],
    *,
    project_name: str = "VBAProject",
    codepage: int = 936,
    lcid: int = LCID_EN_US,
    references: Sequence[Reference] = DEFAULT_REFERENCES,
) -> bytes:
    """The bytes of a vbaProject.bin holding `modules` (source only, compressed), deterministic.

    `codepage` is the project's code page (936 for the Chinese template, 1252 for the English one);
    names and sources are stored in it.  `lcid` goes into PROJECTLCID and PROJECTLCIDINVOKE; the
    spec requires 0x0409 for both whatever the language, so leave it unless Office says otherwise.
    """
    check_identifier(project_name, "VBA 工程", "VBA project")
    encoding = codec_for(codepage)
    seen: set[str] = set()
    for module in modules:
        check_identifier(module.name, "模块", "module")
        if module.name.upper() in seen:
            raise VbaProjectError(f"模块名重复：{module.name}", f"Duplicate module name: {module.name}")
        seen.add(module.name.upper())

    sources = [normalized_source(m) for m in modules]
    streams: dict[str, bytes] = {}
    dir_modules: list[DirModule] = []
    entries: list[ProjectEntry] = []
    for module, source in zip(modules, sources):
        streams[f"VBA/{module.name}"] = _compress_source(
            module, _encode_source(module, source, encoding, codepage)
        )
        module_type = ModuleType.PROCEDURAL if module.kind == "standard" else ModuleType.DOCUMENT_OR_CLASS
        dir_modules.append(DirModule(module.name, module_type, docstring=module_docstring(source)))
        kind = {
            "standard": ProjectEntryKind.MODULE,
            "class": ProjectEntryKind.CLASS,
            "document": ProjectEntryKind.DOCUMENT,
        }[module.kind]
        entries.append(ProjectEntry(module.name, kind))

    info = ProjectInfo(name=project_name, codepage=codepage, lcid=lcid, lcid_invoke=lcid)
    project_id = project_id_for(project_name)
    names = [m.name for m in modules]
    streams["PROJECT"] = build_project_stream(project_id, project_name, entries, encoding)
    streams["PROJECTwm"] = build_projectwm_stream(names, encoding)
    streams["VBA/_VBA_PROJECT"] = VBA_PROJECT_STREAM
    streams["VBA/dir"] = compressed_dir_stream(info, references, dir_modules, encoding)
    return write_compound_file(streams)
