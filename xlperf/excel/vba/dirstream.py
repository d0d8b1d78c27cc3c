"""The ``VBA/dir`` stream (MS-OVBA 2.3.4.2): project information, references and modules.

Records are ``Id (u16) | Size (u32) | data``; text comes twice where the spec asks for it, once in
the project code page (MBCS) and once as UTF-16LE under a reserved twin id.  The record order is
the one the spec prescribes and the one xlwings' reference project has (tests compare the two
record by record).  A few records break the Id/Size/data rule and are written byte for byte as the
spec draws them: PROJECTVERSION's size says 4 but 6 bytes of version follow, and MODULETYPE, the
module terminator and the stream terminator have a Reserved u32 of 0 where a size would be.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

from .compression import compress
from .references import Reference

__all__ = [
    "LCID_EN_US",
    "SYSKIND_WIN32",
    "DirModule",
    "ModuleType",
    "ProjectInfo",
    "build_dir_stream",
    "compressed_dir_stream",
]

SYSKIND_WIN32 = 0x00000001
# PROJECTLCID and PROJECTLCIDINVOKE: the spec says "MUST be 0x00000409" for both.
LCID_EN_US = 0x0409


class ModuleType(IntEnum):
    """MODULETYPE record ids: 0x21 procedural (standard), 0x22 document, class or designer."""

    PROCEDURAL = 0x0021
    DOCUMENT_OR_CLASS = 0x0022


@dataclass(frozen=True)
class ProjectInfo:
    name: str
    codepage: int
    lcid: int = LCID_EN_US
    lcid_invoke: int = LCID_EN_US
    syskind: int = SYSKIND_WIN32
    docstring: str = ""
    constants: str = ""
    version_major: int = 1
    version_minor: int = 0


@dataclass(frozen=True)
class DirModule:
    name: str
    module_type: ModuleType
    docstring: str = ""


def _record(record_id: int, data: bytes) -> bytes:
    return struct.pack("<HI", record_id, len(data)) + data


def _u16(record_id: int, value: int) -> bytes:
    return _record(record_id, struct.pack("<H", value))


def _u32(record_id: int, value: int) -> bytes:
    return _record(record_id, struct.pack("<I", value))


def _text_pair(record_id: int, unicode_id: int, text: str, encoding: str) -> bytes:
    return _record(record_id, text.encode(encoding)) + _record(unicode_id, text.encode("utf-16-le"))


def _project_information(info: ProjectInfo, encoding: str) -> bytes:
    out = bytearray()
    out += _u32(0x0001, info.syskind)  # PROJECTSYSKIND
    out += _u32(0x0002, info.lcid)  # PROJECTLCID
    out += _u32(0x0014, info.lcid_invoke)  # PROJECTLCIDINVOKE
    out += _u16(0x0003, info.codepage)  # PROJECTCODEPAGE
    out += _record(0x0004, info.name.encode(encoding))  # PROJECTNAME
    out += _text_pair(0x0005, 0x0040, info.docstring, encoding)  # PROJECTDOCSTRING
    out += _text_pair(0x0006, 0x003D, "", encoding)  # PROJECTHELPFILEPATH: path 1 and path 2
    out += _u32(0x0007, 0)  # PROJECTHELPCONTEXT
    out += _u32(0x0008, 0)  # PROJECTLIBFLAGS
    # PROJECTVERSION: Size is the Reserved field (always 4) although 6 bytes of version follow.
    out += struct.pack("<HIIH", 0x0009, 4, info.version_major, info.version_minor)
    out += _text_pair(0x000C, 0x003C, info.constants, encoding)  # PROJECTCONSTANTS
    return bytes(out)


def _references(references: Sequence[Reference], encoding: str) -> bytes:
    out = bytearray()
    for ref in references:
        out += _text_pair(0x0016, 0x003E, ref.name, encoding)  # REFERENCENAME
        libid = ref.libid.encode(encoding)
        # REFERENCEREGISTERED: SizeOfLibid, Libid, Reserved1 (u32 0), Reserved2 (u16 0).
        out += _record(0x000D, struct.pack("<I", len(libid)) + libid + b"\x00" * 6)
    return bytes(out)


def _module(module: DirModule, encoding: str) -> bytes:
    out = bytearray()
    out += _record(0x0019, module.name.encode(encoding))  # MODULENAME
    out += _record(0x0047, module.name.encode("utf-16-le"))  # MODULENAMEUNICODE
    out += _text_pair(0x001A, 0x0032, module.name, encoding)  # MODULESTREAMNAME
    out += _text_pair(0x001C, 0x0048, module.docstring, encoding)  # MODULEDOCSTRING
    out += _u32(0x0031, 0)  # MODULEOFFSET: source starts at 0, there is no p-code
    out += _u32(0x001E, 0)  # MODULEHELPCONTEXT
    out += _u16(0x002C, 0xFFFF)  # MODULECOOKIE: "MUST be 0xFFFF" on write
    out += struct.pack("<HI", int(module.module_type), 0)  # MODULETYPE: Id and Reserved u32
    out += struct.pack("<HI", 0x002B, 0)  # Terminator and Reserved u32
    return bytes(out)


def build_dir_stream(
    info: ProjectInfo, references: Sequence[Reference], modules: Sequence[DirModule], encoding: str
) -> bytes:
    """The uncompressed dir stream; see `compressed_dir_stream` for what goes into the file."""
    out = bytearray(_project_information(info, encoding))
    out += _references(references, encoding)
    out += _u16(0x000F, len(modules))  # PROJECTMODULES
    out += _u16(0x0013, 0xFFFF)  # PROJECTCOOKIE: "MUST be 0xFFFF" on write
    for module in modules:
        out += _module(module, encoding)
    out += struct.pack("<HI", 0x0010, 0)  # dir stream terminator and Reserved u32
    return bytes(out)


def compressed_dir_stream(
    info: ProjectInfo, references: Sequence[Reference], modules: Sequence[DirModule], encoding: str
) -> bytes:
    return compress(build_dir_stream(info, references, modules, encoding))
