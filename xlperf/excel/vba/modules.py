"""VBA modules as text: the module model, the attribute headers Excel expects, source normalisation.

A module stream holds the module's source exactly as the VBE would export it minus the ``.cls``
``VERSION``/``BEGIN`` block: it starts with ``Attribute VB_Name = "..."`` followed by the attributes
of its kind, lines end in CRLF.  The headers below are the ones Excel writes (compare the
ThisWorkbook, Sheet1 and Dictionary modules of xlwings' quickstart_standalone.xlsm).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from xlperf.errors import XlperfError

__all__ = [
    "CLASS_BASE",
    "SHEET_BASE",
    "WORKBOOK_BASE",
    "ModuleKind",
    "VbaModule",
    "VbaProjectError",
    "check_identifier",
    "document_module",
    "module_docstring",
    "normalized_source",
    "vba_string_expression",
]

ModuleKind = Literal["standard", "class", "document"]

# VB_Base of document modules: the Excel Workbook and Worksheet coclasses (0 = no extra flags).
WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
SHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"
# VB_Base of a class module as Excel stores it.
CLASS_BASE = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"

_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}")
_NAME_LINE = re.compile(r'Attribute VB_Name = "([^"]*)"')
_DESCRIPTION_LINE = re.compile(r'Attribute VB_Description = "((?:[^"]|"")*)"')
_DESCRIPTION_ESCAPE = re.compile(r"\\([rnt\\])")
_ESCAPES = {"r": "\r", "n": "\n", "t": "\t", "\\": "\\"}
_CLS_HEADER = re.compile(r"\AVERSION 1\.0 CLASS\r\nBEGIN\r\n(?:.*\r\n)*?END\r\n")


class VbaProjectError(XlperfError):
    """A module or project that cannot be compiled into a vbaProject.bin."""


@dataclass(frozen=True)
class VbaModule:
    """One VBA module: its name (the VBE name, and for documents the codeName), source and kind.

    `source` may start with its ``Attribute VB_Name`` header or not; a missing header is added for
    standard and class modules.  Document modules need the VB_Base of their host object: build
    them with `document_module`.
    """

    name: str
    source: str
    kind: ModuleKind = "standard"


def check_identifier(name: str, what_zh: str, what_en: str) -> None:
    """Module and project names: an ASCII VBA identifier of at most 31 characters.

    VBA itself accepts locale letters in identifiers, but such a name only survives on machines
    whose ANSI code page has them; codeNames and module names stay ASCII so they work everywhere.
    """
    if not _IDENTIFIER.fullmatch(name):
        raise VbaProjectError(
            f"{what_zh}名称 {name!r} 无效：须以英文字母开头，只含英文字母、数字和下划线，最多 31 个字符。",
            f"Invalid {what_en} name {name!r}: it must start with an ASCII letter and hold only ASCII "
            "letters, digits and underscores, at most 31 characters.",
        )


def _header(name: str, lines: list[tuple[str, str]]) -> str:
    out = [f'Attribute VB_Name = "{name}"']
    out += [f"Attribute {key} = {value}" for key, value in lines]
    return "\r\n".join(out) + "\r\n"


def document_module(name: str, base: Literal["workbook", "sheet"] = "sheet", body: str = "") -> VbaModule:
    """The module behind ThisWorkbook (``base="workbook"``) or a worksheet (``base="sheet"``).

    `name` must equal the workbook's ``workbookPr/@codeName`` or the sheet's ``sheetPr/@codeName``;
    `body` is the code after the header (event handlers such as ``Workbook_Open``).
    """
    check_identifier(name, "文档模块", "document module")
    vb_base = WORKBOOK_BASE if base == "workbook" else SHEET_BASE
    header = _header(
        name,
        [
            ("VB_Base", f'"{vb_base}"'),
            ("VB_GlobalNameSpace", "False"),
            ("VB_Creatable", "False"),
            ("VB_PredeclaredId", "True"),
            ("VB_Exposed", "True"),
            ("VB_TemplateDerived", "False"),
            ("VB_Customizable", "True"),
        ],
    )
    return VbaModule(name=name, source=header + _crlf(body), kind="document")


# The class-module attributes in the order Excel stores them, with the values of a new class.
_CLASS_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("VB_Base", f'"{CLASS_BASE}"'),
    ("VB_GlobalNameSpace", "False"),
    ("VB_Creatable", "False"),
    ("VB_PredeclaredId", "False"),
    ("VB_Exposed", "False"),
    ("VB_TemplateDerived", "False"),
    ("VB_Customizable", "False"),
)
_ATTRIBUTE_LINE = re.compile(r"Attribute (\w+) = (.*)")


def _class_header(name: str, given: list[str]) -> str:
    """The header Excel stores for a class: a .cls export lacks VB_Base, VB_TemplateDerived and
    VB_Customizable, which Excel adds on import; given values win, other attributes (such as
    VB_Description) follow in their order."""
    values: dict[str, str] = {}
    extra: list[str] = []
    for line in given:
        match = _ATTRIBUTE_LINE.fullmatch(line)
        if match and match.group(1) in dict(_CLASS_ATTRIBUTES):
            values[match.group(1)] = match.group(2)
        elif match and match.group(1) != "VB_Name":
            extra.append(line)
    header = _header(name, [(key, values.get(key, default)) for key, default in _CLASS_ATTRIBUTES])
    return header + "".join(line + "\r\n" for line in extra)


def _crlf(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
    if text and not text.endswith("\r\n"):
        text += "\r\n"
    return text


def normalized_source(module: VbaModule) -> str:
    """The exact text stored in the module's stream (before encoding and compression)."""
    source = _crlf(module.source)
    if module.kind == "class":
        # An exported .cls carries a VERSION/BEGIN..END block that is not part of the stored source.
        source = _CLS_HEADER.sub("", source, count=1)
    lines = source.split("\r\n")
    header_end = 0
    while header_end < len(lines) and lines[header_end].startswith("Attribute "):
        header_end += 1
    match = _NAME_LINE.fullmatch(lines[0]) if header_end else None
    if match is not None and match.group(1) != module.name:
        raise VbaProjectError(
            f"模块 {module.name} 的源代码声明的名称是 {match.group(1)}。",
            f"Module {module.name}'s source declares the name {match.group(1)}.",
        )
    if module.kind == "class":
        body = "".join(line + "\r\n" for line in lines[header_end:-1])
        return _class_header(module.name, lines[:header_end]) + body
    if match is None:
        if module.kind == "document":
            raise VbaProjectError(
                f"文档模块 {module.name} 缺少 Attribute 头：请用 document_module() 创建。",
                f"Document module {module.name} has no Attribute header: create it with document_module().",
            )
        return _header(module.name, []) + source
    return source


def module_docstring(source: str) -> str:
    """The module-level VB_Description (it goes into the dir stream's MODULEDOCSTRING)."""
    for line in source.split("\r\n"):
        if not line.startswith("Attribute "):
            break
        match = _DESCRIPTION_LINE.fullmatch(line)
        if match:
            # The attribute text uses C-style escapes; the record holds the characters themselves
            # (the reference project stores Dictionary's "\r\n" as CR LF).
            return _DESCRIPTION_ESCAPE.sub(lambda m: _ESCAPES[m.group(1)], match.group(1).replace('""', '"'))
    return ""


def vba_string_expression(text: str) -> str:
    """A VBA expression for `text` that survives any code page: ASCII runs as literals, every other
    character as ``ChrW(&Hxxxx)``.

    Windows VBA edits and compiles source in the machine's ANSI code page ("language for non-Unicode
    programs"), so Chinese inside a string literal is only reliable where that is Chinese; ChrW
    builds the same string everywhere.  Mind VBA's 1023-character line limit for long texts.
    """
    if not text:
        return '""'
    parts: list[str] = []
    literal: list[str] = []
    for char in text:
        code = ord(char)
        if 0x20 <= code < 0x7F:
            literal.append('""' if char == '"' else char)
            continue
        if literal:
            parts.append('"' + "".join(literal) + '"')
            literal = []
        if code > 0xFFFF:
            # VBA strings are UTF-16: astral characters are two ChrW code units.
            units = char.encode("utf-16-le")
            parts += [f"ChrW(&H{units[i + 1]:02X}{units[i]:02X})" for i in (0, 2)]
        elif code == 0x0D or code == 0x0A:
            parts.append("vbCr" if code == 0x0D else "vbLf")
        else:
            parts.append(f"ChrW(&H{code:X})")
    if literal:
        parts.append('"' + "".join(literal) + '"')
    return " & ".join(parts)
