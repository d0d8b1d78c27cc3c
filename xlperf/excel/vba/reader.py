"""Read a vbaProject.bin back: module names, kinds and source text, with no third-party parser.

The runtime has no olefile/oletools (they are test tools), yet `xlperf doctor` and the template
checks need to look inside a built or Excel-saved project, e.g. for the xlwings version its VBA was
built for.  This reads MS-CFB v3 and v4 files (FAT, DIFAT, mini stream) and the MS-OVBA dir stream,
including projects Excel saved with p-code (MODULEOFFSET > 0).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from .compression import CompressionError, decompress
from .modules import ModuleKind, VbaModule, VbaProjectError

__all__ = ["VbaProjectContents", "read_compound_file", "read_vba_project"]

_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_MAX_REGULAR_SECTOR = 0xFFFFFFFA
_ENDOFCHAIN = 0xFFFFFFFE
_NOSTREAM = 0xFFFFFFFF


@dataclass(frozen=True)
class VbaProjectContents:
    project_name: str
    codepage: int
    modules: list[VbaModule]


def _broken(detail: str) -> VbaProjectError:
    return VbaProjectError(f"VBA 工程文件已损坏：{detail}", f"The VBA project file is damaged: {detail}")


def read_compound_file(data: bytes) -> dict[str, bytes]:
    """Every stream of a compound file, keyed by "/"-joined path (e.g. "VBA/dir")."""
    try:
        return _read_compound_file(data)
    except (struct.error, IndexError, UnicodeDecodeError, OverflowError, RecursionError) as exc:
        raise _broken("unreadable compound file structure") from exc


def _read_compound_file(data: bytes) -> dict[str, bytes]:
    if len(data) < 512 or data[:8] != _SIGNATURE:
        raise _broken("not a compound file")
    sector_shift, mini_shift = struct.unpack_from("<HH", data, 30)
    sector_size = 1 << sector_shift
    mini_size = 1 << mini_shift
    (fat_count, dir_start, _, cutoff, mini_fat_start, mini_fat_count, difat_start, difat_count) = (
        struct.unpack_from("<IIIIIIII", data, 44)
    )

    def sector(index: int) -> bytes:
        offset = (index + 1) * sector_size
        if index > _MAX_REGULAR_SECTOR or offset >= len(data):
            raise _broken(f"sector {index} out of range")
        return data[offset : offset + sector_size]

    fat_sectors = [s for s in struct.unpack_from("<109I", data, 76) if s <= _MAX_REGULAR_SECTOR]
    next_difat, seen = difat_start, 0
    while next_difat <= _MAX_REGULAR_SECTOR and seen < difat_count:
        difat = struct.unpack(f"<{sector_size // 4}I", sector(next_difat))
        fat_sectors += [s for s in difat[:-1] if s <= _MAX_REGULAR_SECTOR]
        next_difat, seen = difat[-1], seen + 1
    fat_sectors = fat_sectors[:fat_count]
    fat: list[int] = []
    for index in fat_sectors:
        fat += struct.unpack(f"<{sector_size // 4}I", sector(index))

    def chain(start: int, table: list[int]) -> list[int]:
        out: list[int] = []
        while start <= _MAX_REGULAR_SECTOR:
            if start >= len(table) or len(out) > len(table):
                raise _broken("broken sector chain")
            out.append(start)
            start = table[start]
        return out

    def regular(start: int) -> bytes:
        return b"".join(sector(i) for i in chain(start, fat))

    directory = regular(dir_start)
    entries = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
    if not entries:
        raise _broken("no directory")
    root_start, root_size = struct.unpack_from("<IQ", entries[0], 116)
    mini_stream = regular(root_start)[:root_size] if root_size else b""
    mini_fat: list[int] = []
    if mini_fat_count:
        raw = regular(mini_fat_start)
        mini_fat = list(struct.unpack(f"<{len(raw) // 4}I", raw))

    def stream(entry: bytes) -> bytes:
        start, size = struct.unpack_from("<IQ", entry, 116)
        if sector_size == 512:
            size &= 0xFFFFFFFF  # version 3: the high dword may hold garbage and must be ignored
        if size < cutoff:
            body = b"".join(mini_stream[i * mini_size : (i + 1) * mini_size] for i in chain(start, mini_fat))
        else:
            body = regular(start)
        return body[:size]

    streams: dict[str, bytes] = {}
    visited: set[int] = set()

    def walk(sid: int, prefix: str) -> None:
        if sid == _NOSTREAM:
            return
        if sid >= len(entries) or sid in visited:
            raise _broken("broken directory tree")
        visited.add(sid)
        entry = entries[sid]
        (name_length,) = struct.unpack_from("<H", entry, 64)
        name = entry[: max(name_length - 2, 0)].decode("utf-16-le")
        kind = entry[66]
        left, right, child = struct.unpack_from("<III", entry, 68)
        walk(left, prefix)
        walk(right, prefix)
        if kind == 2:
            streams[prefix + name] = stream(entry)
        elif kind == 1:
            walk(child, prefix + name + "/")

    walk(struct.unpack_from("<I", entries[0], 76)[0], "")
    return streams


def _dir_records(dir_stream: bytes) -> list[tuple[int, bytes]]:
    records: list[tuple[int, bytes]] = []
    pos = 0
    while pos + 6 <= len(dir_stream):
        record_id, size = struct.unpack_from("<HI", dir_stream, pos)
        if record_id == 0x0009:  # PROJECTVERSION: the size field says 4, 6 bytes follow
            size = 6
        records.append((record_id, dir_stream[pos + 6 : pos + 6 + size]))
        pos += 6 + size
    return records


def _project_kinds(project_stream: bytes, encoding: str) -> dict[str, ModuleKind]:
    kinds: dict[str, ModuleKind] = {}
    for line in project_stream.decode(encoding, errors="replace").split("\r\n"):
        key, _, value = line.partition("=")
        if key == "Document":
            kinds[value.split("/", 1)[0]] = "document"
        elif key in ("Class", "BaseClass"):
            kinds[value] = "class"
        elif key == "Module":
            kinds[value] = "standard"
        elif line.startswith("["):
            break
    return kinds


def read_vba_project(data: bytes) -> VbaProjectContents:
    """Project name, code page and every module (name, source text, kind) of a vbaProject.bin.

    Raises `VbaProjectError` for anything that is not a readable VBA project.
    """
    try:
        return _read_vba_project(data)
    except (struct.error, IndexError, UnicodeDecodeError, LookupError) as exc:
        raise _broken("unreadable VBA project structure") from exc


def _read_vba_project(data: bytes) -> VbaProjectContents:
    streams = read_compound_file(data)
    try:
        records = _dir_records(decompress(streams["VBA/dir"]))
    except (KeyError, CompressionError) as exc:
        raise _broken("no readable VBA/dir stream") from exc
    codepage = next((struct.unpack("<H", d)[0] for r, d in records if r == 0x0003), 1252)
    encoding = "utf-8" if codepage == 65001 else f"cp{codepage}"
    project_name = next((d.decode(encoding) for r, d in records if r == 0x0004), "")
    kinds = _project_kinds(streams.get("PROJECT", b""), encoding)

    modules: list[VbaModule] = []
    name = stream_name = ""
    offset = 0
    procedural = True
    for record_id, body in records:
        if record_id == 0x0019:
            name = stream_name = body.decode(encoding)
        elif record_id == 0x0047:
            name = body.decode("utf-16-le")
        elif record_id == 0x0032:
            stream_name = body.decode("utf-16-le")
        elif record_id == 0x0031:
            (offset,) = struct.unpack("<I", body)
        elif record_id in (0x0021, 0x0022):
            procedural = record_id == 0x0021
        elif record_id == 0x002B:
            try:
                source = decompress(streams[f"VBA/{stream_name}"][offset:]).decode(encoding, errors="replace")
            except (KeyError, CompressionError) as exc:
                raise _broken(f"module {name} has no readable source") from exc
            kind: ModuleKind = "standard" if procedural else kinds.get(name, "class")
            modules.append(VbaModule(name=name, source=source, kind=kind))
    return VbaProjectContents(project_name=project_name, codepage=codepage, modules=modules)
