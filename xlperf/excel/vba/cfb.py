"""A writer for MS-CFB version 3 compound files, enough for a vbaProject.bin.

Layout chosen for determinism and simplicity: FAT sectors first, then the directory, the mini FAT,
the mini stream (the root entry's stream, holding every stream shorter than 4096 bytes in 64-byte
mini sectors) and finally the large streams, each contiguous.  All timestamps and CLSIDs are zero.
Each storage's children form a balanced binary search tree coloured all black: MS-CFB (2.6.4) only
requires the root to be black, no two reds in a row and the name order, and a tree of black nodes
satisfies all three (xlwings' reference project uses an all-black tree that Excel opens).
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["MINI_SECTOR_SIZE", "MINI_STREAM_CUTOFF", "SECTOR_SIZE", "CfbError", "write_compound_file"]

SECTOR_SIZE = 512
MINI_SECTOR_SIZE = 64
MINI_STREAM_CUTOFF = 4096

_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_DIFAT_IN_HEADER = 109
_ENTRIES_PER_FAT_SECTOR = SECTOR_SIZE // 4
_DIR_ENTRY_SIZE = 128
_ENTRIES_PER_DIR_SECTOR = SECTOR_SIZE // _DIR_ENTRY_SIZE

FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF

_STORAGE = 1
_STREAM = 2
_ROOT = 5
_BLACK = 1

_FORBIDDEN_NAME_CHARS = frozenset("/\\:!")


class CfbError(ValueError):
    """The streams cannot be laid out as a compound file (bad name, too large)."""


@dataclass
class _Node:
    name: str
    kind: int
    data: bytes = b""
    children: dict[str, _Node] = field(default_factory=dict)
    sid: int = -1
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    start: int = ENDOFCHAIN
    size: int = 0


def _sort_key(name: str) -> tuple[int, list[int]]:
    """MS-CFB 2.6.4: shorter names first, then code unit by code unit after upper-casing."""
    units = name.upper().encode("utf-16-le")
    return len(units) // 2, list(struct.unpack(f"<{len(units) // 2}H", units))


def _check_name(name: str) -> None:
    if not name or len(name.encode("utf-16-le")) // 2 > 31:
        raise CfbError(f"compound file entry name must be 1-31 UTF-16 code units: {name!r}")
    if _FORBIDDEN_NAME_CHARS & set(name):
        raise CfbError(f"compound file entry name contains one of / \\ : ! : {name!r}")


def _build_tree(streams: Mapping[str, bytes]) -> _Node:
    root = _Node("Root Entry", _ROOT)
    for path, data in streams.items():
        parts = path.split("/")
        node = root
        for part in parts[:-1]:
            _check_name(part)
            found = _find_child(node, part)
            if found is None:
                found = node.children[part] = _Node(part, _STORAGE)
            elif found.kind != _STORAGE:
                raise CfbError(f"{part!r} is both a stream and a storage")
            node = found
        _check_name(parts[-1])
        if _find_child(node, parts[-1]) is not None:
            raise CfbError(f"duplicate compound file entry: {path!r}")
        node.children[parts[-1]] = _Node(parts[-1], _STREAM, data=bytes(data), size=len(data))
    return root


def _find_child(node: _Node, name: str) -> _Node | None:
    # Entry names are compared case-insensitively inside a storage.
    for key, child in node.children.items():
        if key.upper() == name.upper():
            return child
    return None


def _number_entries(root: _Node) -> list[_Node]:
    """Directory order: root, then each storage's children breadth first, in name order."""
    entries = [root]
    root.sid = 0
    queue = [root]
    while queue:
        storage = queue.pop(0)
        ordered = sorted(storage.children.values(), key=lambda n: _sort_key(n.name))
        for child in ordered:
            child.sid = len(entries)
            entries.append(child)
            if child.kind == _STORAGE:
                queue.append(child)
        storage.child = _link_balanced(ordered)
    return entries


def _link_balanced(ordered: list[_Node]) -> int:
    """Set left/right links over `ordered` as a balanced search tree; return its root's id."""
    if not ordered:
        return NOSTREAM
    middle = len(ordered) // 2
    node = ordered[middle]
    node.left = _link_balanced(ordered[:middle])
    node.right = _link_balanced(ordered[middle + 1 :])
    return node.sid


def _sectors(length: int, size: int) -> int:
    return -(-length // size)


def _chain(fat: list[int], start: int, count: int) -> None:
    for i in range(count):
        fat[start + i] = start + i + 1 if i + 1 < count else ENDOFCHAIN


def _dir_entry(node: _Node) -> bytes:
    name = node.name.encode("utf-16-le") + b"\x00\x00"
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name,
        len(name),
        node.kind,
        _BLACK,
        node.left,
        node.right,
        node.child,
        b"\x00" * 16,
        0,
        0,
        0,
        # MS-CFB 2.6.3: a storage object's starting sector location and size MUST be all zeroes.
        0 if node.kind == _STORAGE else node.start,
        0 if node.kind == _STORAGE else node.size,
    )


_EMPTY_DIR_ENTRY = struct.pack(
    "<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, b"\x00" * 16, 0, 0, 0, 0, 0
)


def write_compound_file(streams: Mapping[str, bytes]) -> bytes:
    """A CFB v3 file holding `streams`, keyed by "/"-separated paths (storages are implied).

    The same mapping (in any order) always gives the same bytes.
    """
    root = _build_tree(streams)
    entries = _number_entries(root)
    stream_nodes = [n for n in entries if n.kind == _STREAM]

    # Mini stream: streams under the cutoff, each rounded up to whole mini sectors.
    mini_stream = bytearray()
    mini_fat: list[int] = []
    for node in stream_nodes:
        if 0 < node.size < MINI_STREAM_CUTOFF:
            count = _sectors(node.size, MINI_SECTOR_SIZE)
            node.start = len(mini_fat)
            mini_fat.extend([0] * count)
            _chain(mini_fat, node.start, count)
            mini_stream += node.data + b"\x00" * (count * MINI_SECTOR_SIZE - node.size)
    big_nodes = [n for n in stream_nodes if n.size >= MINI_STREAM_CUTOFF]

    dir_count = _sectors(len(entries) * _DIR_ENTRY_SIZE, SECTOR_SIZE)
    mini_fat_count = _sectors(len(mini_fat) * 4, SECTOR_SIZE)
    mini_stream_count = _sectors(len(mini_stream), SECTOR_SIZE)
    big_counts = [_sectors(n.size, SECTOR_SIZE) for n in big_nodes]
    payload = dir_count + mini_fat_count + mini_stream_count + sum(big_counts)
    fat_count = 1
    while fat_count * _ENTRIES_PER_FAT_SECTOR < fat_count + payload:
        fat_count += 1
    if fat_count > _DIFAT_IN_HEADER:
        raise CfbError("VBA project too large for a compound file without DIFAT sectors (~7 MB)")

    fat = [FREESECT] * (fat_count * _ENTRIES_PER_FAT_SECTOR)
    for i in range(fat_count):
        fat[i] = FATSECT
    next_sector = fat_count
    dir_start = next_sector
    _chain(fat, dir_start, dir_count)
    next_sector += dir_count
    mini_fat_start = next_sector if mini_fat_count else ENDOFCHAIN
    _chain(fat, next_sector, mini_fat_count)
    next_sector += mini_fat_count
    if mini_stream_count:
        root.start = next_sector
        root.size = len(mini_stream)
        _chain(fat, next_sector, mini_stream_count)
        next_sector += mini_stream_count
    for node, count in zip(big_nodes, big_counts):
        node.start = next_sector
        _chain(fat, next_sector, count)
        next_sector += count

    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        _SIGNATURE,
        b"\x00" * 16,
        0x003E,  # minor version
        0x0003,  # major version 3: 512-byte sectors
        0xFFFE,  # byte order mark: little endian
        9,  # sector shift: 2**9 = 512
        6,  # mini sector shift: 2**6 = 64
        b"\x00" * 6,
        0,  # number of directory sectors: must be 0 in version 3
        fat_count,
        dir_start,
        0,  # transaction signature
        MINI_STREAM_CUTOFF,
        mini_fat_start,
        mini_fat_count,
        ENDOFCHAIN,  # first DIFAT sector: none
        0,
    )
    difat = list(range(fat_count)) + [FREESECT] * (_DIFAT_IN_HEADER - fat_count)
    header += struct.pack(f"<{_DIFAT_IN_HEADER}I", *difat)
    assert len(header) == SECTOR_SIZE

    directory = b"".join(_dir_entry(n) for n in entries)
    directory += _EMPTY_DIR_ENTRY * (dir_count * _ENTRIES_PER_DIR_SECTOR - len(entries))
    mini_fat_bytes = struct.pack(f"<{len(mini_fat)}I", *mini_fat)
    mini_fat_bytes += b"\xff" * (mini_fat_count * SECTOR_SIZE - len(mini_fat_bytes))

    out = bytearray(header)
    out += struct.pack(f"<{len(fat)}I", *fat)
    out += directory
    out += mini_fat_bytes
    out += _pad(bytes(mini_stream))
    for node in big_nodes:
        out += _pad(node.data)
    assert len(out) == SECTOR_SIZE * (1 + next_sector)
    return bytes(out)


def _pad(data: bytes) -> bytes:
    return data + b"\x00" * (-len(data) % SECTOR_SIZE)
