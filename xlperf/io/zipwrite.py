"""A small zip writer that can copy members of another zip *raw*: their compressed bytes untouched.

Why not ``zipfile``: the standard library has no public way to copy a member without decompressing
and recompressing it, and recompression changes the bytes (and costs time: a 1-million-row sheet is
most of a workbook). Writing the few structures of the zip format ourselves (local headers, the
central directory and its end record, PKWARE APPNOTE 4.3) is short and fully under our control:

* a copied member keeps its compressed data, CRC, sizes, method, flags (minus the data-descriptor
  bit, because we write the sizes into its local header), time stamp and attributes;
* a new member is deflated as it streams in, so a 100 MB sheet never sits in memory whole; its local
  header is patched once the CRC and sizes are known (the output must be seekable: a temp file is);
* a member's stream may hold *deferred* chunks (functions returning bytes): those are rendered and
  deflated on a small thread pool, each into its own run of deflate blocks ended by a sync flush,
  and written in order; the runs concatenate into one valid deflate stream (as pigz does) and the
  CRC-32s combine (``crc32_combine``). Chunk boundaries are fixed by the caller, not by timing, so
  the bytes are the same on every run. The renderers (``arrowcells``) and zlib release the GIL,
  which is what puts the second core to work;
* new members carry a fixed time stamp (1980-01-01), so writing the same content twice gives the same
  bytes (xlperf's parts must not differ between two identical runs).

Zip64 is not written: a member or an archive above 4 GiB, or more than 65 535 members, is refused
(an .xlsx that large cannot be opened by Excel anyway).
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from types import ModuleType
from typing import BinaryIO

_isal: ModuleType | None
try:
    from isal import isal_zlib as _isal
except ImportError:  # pragma: no cover - a platform without an isal wheel: zlib does the same job slower
    _isal = None

Chunk = bytes | Callable[[], bytes]  # bytes, or a function rendering them (run on the writer's pool)
WORKERS = max(1, min(2, os.cpu_count() or 1))  # chunks in flight are bounded to twice this

_LOCAL_SIG = 0x04034B50
_CENTRAL_SIG = 0x02014B50
_END_SIG = 0x06054B50
_LOCAL_FMT = "<IHHHHHIIIHH"  # 30 bytes
_CENTRAL_FMT = "<IHHHHHHIIIHHHHHII"  # 46 bytes
_END_FMT = "<IHHHHIIH"  # 22 bytes
_LIMIT = 0xFFFFFFFF
FIXED_DOS_TIME = (0, (0 << 9) | (1 << 5) | 1)  # (time, date): 1980-01-01 00:00:00
_UTF8_FLAG = 0x800
_DESCRIPTOR_FLAG = 0x08


class ZipTooLarge(ValueError):
    """The archive would need Zip64."""


@dataclass
class _Central:
    name: bytes
    version_made: int
    version_needed: int
    flags: int
    method: int
    dos_time: int
    dos_date: int
    crc: int
    csize: int
    usize: int
    internal_attr: int
    external_attr: int
    offset: int


def _dos_stamp(info: zipfile.ZipInfo) -> tuple[int, int]:
    y, mo, d, h, mi, s = info.date_time
    return (h << 11) | (mi << 5) | (s // 2), ((y - 1980) << 9) | (mo << 5) | d


class RawZipWriter:
    """Write a zip member by member to a seekable binary stream.

    Use ``copy_raw`` for members taken unchanged from a source archive and ``write`` /
    ``write_stream`` for new content; ``close`` writes the central directory (it does not close the
    stream: the caller owns it).
    """

    def __init__(self, fp: BinaryIO) -> None:
        self._fp = fp
        self._entries: list[_Central] = []
        self._names: set[str] = set()
        self._closed = False

    @property
    def names(self) -> set[str]:
        return set(self._names)

    def _check_name(self, name: str) -> None:
        if name in self._names:
            raise ValueError(f"duplicate zip member {name!r}")
        self._names.add(name)

    def copy_raw(self, source: bytes | memoryview, info: zipfile.ZipInfo) -> None:
        """Copy member ``info`` of the archive whose bytes are ``source``, compressed data unchanged."""
        self._check_name(info.filename)
        view = memoryview(source)
        off = info.header_offset
        sig, _, _, _, _, _, _, _, _, nlen, xlen = struct.unpack_from(_LOCAL_FMT, view, off)
        if sig != _LOCAL_SIG:
            raise zipfile.BadZipFile(f"bad local header for {info.filename!r}")
        start = off + 30 + nlen + xlen
        data = view[start:start + info.compress_size]
        if len(data) != info.compress_size:
            raise zipfile.BadZipFile(f"truncated member {info.filename!r}")
        dos_time, dos_date = _dos_stamp(info)
        name = info.filename.encode("utf-8")
        flags = (info.flag_bits & ~_DESCRIPTOR_FLAG) | (_UTF8_FLAG if not name.isascii() else 0)
        self._emit(_Central(
            name=name, version_made=(info.create_system << 8) | (info.create_version & 0xFF),
            version_needed=info.extract_version, flags=flags, method=info.compress_type,
            dos_time=dos_time, dos_date=dos_date, crc=info.CRC, csize=info.compress_size,
            usize=info.file_size, internal_attr=info.internal_attr, external_attr=info.external_attr,
            offset=0,
        ), data)

    def write(self, name: str, data: bytes, level: int = 6) -> None:
        """Add a new member from bytes (deflated)."""
        self.write_stream(name, (data,), level)

    def write_stream(self, name: str, chunks: Iterable[Chunk], level: int = 6) -> None:
        """Add a new member from a stream of chunks (bytes, or functions rendering bytes), deflating
        as they come; deferred chunks render and deflate on the pool, two at a time."""
        self._check_name(name)
        raw_name = name.encode("utf-8")
        entry = _Central(
            name=raw_name, version_made=(3 << 8) | 20, version_needed=20,
            flags=0 if raw_name.isascii() else _UTF8_FLAG, method=zipfile.ZIP_DEFLATED,
            dos_time=FIXED_DOS_TIME[0], dos_date=FIXED_DOS_TIME[1], crc=0, csize=0, usize=0,
            internal_attr=0, external_attr=0o644 << 16, offset=self._fp.tell(),
        )
        self._fp.write(self._local_header(entry))
        crc = usize = csize = 0
        for data, part_crc, part_usize in _deflated(chunks, level):
            crc = crc32_combine(crc, part_crc, part_usize)
            usize += part_usize
            csize += len(data)
            self._fp.write(data)
        self._fp.write(_FINAL_BLOCK)
        csize += len(_FINAL_BLOCK)
        if usize > _LIMIT or csize > _LIMIT:
            raise ZipTooLarge(f"member {name!r} exceeds 4 GiB")
        entry.crc, entry.csize, entry.usize = crc, csize, usize
        end = self._fp.tell()
        self._fp.seek(entry.offset)
        self._fp.write(self._local_header(entry))
        self._fp.seek(end)
        self._entries.append(entry)

    def _emit(self, entry: _Central, data: memoryview | bytes) -> None:
        entry.offset = self._fp.tell()
        if entry.offset > _LIMIT:
            raise ZipTooLarge("archive exceeds 4 GiB")
        self._fp.write(self._local_header(entry))
        self._fp.write(data)
        self._entries.append(entry)

    @staticmethod
    def _local_header(e: _Central) -> bytes:
        return struct.pack(
            _LOCAL_FMT, _LOCAL_SIG, e.version_needed, e.flags, e.method, e.dos_time, e.dos_date,
            e.crc, e.csize, e.usize, len(e.name), 0,
        ) + e.name

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if len(self._entries) > 0xFFFF:
            raise ZipTooLarge("more than 65 535 members")
        start = self._fp.tell()
        for e in self._entries:
            self._fp.write(struct.pack(
                _CENTRAL_FMT, _CENTRAL_SIG, e.version_made, e.version_needed, e.flags, e.method,
                e.dos_time, e.dos_date, e.crc, e.csize, e.usize, len(e.name), 0, 0, 0,
                e.internal_attr, e.external_attr, e.offset,
            ) + e.name)
        size = self._fp.tell() - start
        if start > _LIMIT or size > _LIMIT:
            raise ZipTooLarge("archive exceeds 4 GiB")
        n = len(self._entries)
        self._fp.write(struct.pack(_END_FMT, _END_SIG, 0, 0, n, n, size, start, 0))


# --------------------------------------------------------------------------- parallel deflate
_FINAL_BLOCK = b"\x03\x00"  # an empty final block with fixed codes: ends a run of sync-flushed blocks


def _deflate(data: bytes, level: int) -> tuple[bytes, int, int]:
    """One chunk as a self-contained run of (non-final) deflate blocks, with its CRC-32 and size.

    Big sheets are written at level 1; there ISA-L (the ``isal`` package, when installed) deflates
    about three times faster than zlib, with slightly smaller output, and any inflater reads it."""
    if _isal is not None and level <= 1:
        fast = _isal.compressobj(1, _isal.DEFLATED, -15)
        return fast.compress(data) + fast.flush(_isal.Z_SYNC_FLUSH), _isal.crc32(data), len(data)
    comp = zlib.compressobj(level, zlib.DEFLATED, -15)
    return comp.compress(data) + comp.flush(zlib.Z_SYNC_FLUSH), zlib.crc32(data), len(data)


def _render_deflate(chunk: Callable[[], bytes], level: int) -> tuple[bytes, int, int]:
    return _deflate(chunk(), level)


def _deflated(chunks: Iterable[Chunk], level: int) -> Iterable[tuple[bytes, int, int]]:
    """Each non-empty chunk deflated, in order; deferred chunks run on a pool, a bounded few ahead."""
    pending: deque[Future[tuple[bytes, int, int]]] = deque()
    with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="xlperf-deflate") as pool:
        try:
            for chunk in chunks:
                if isinstance(chunk, bytes):
                    if not chunk:
                        continue
                    pending.append(pool.submit(_deflate, chunk, level))
                else:
                    pending.append(pool.submit(_render_deflate, chunk, level))
                while len(pending) > 2 * WORKERS:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for fut in pending:  # a failure: do not render the rest
                fut.cancel()


def _gf2_times(mat: tuple[int, ...], vec: int) -> int:
    out, i = 0, 0
    while vec:
        if vec & 1:
            out ^= mat[i]
        vec >>= 1
        i += 1
    return out


def _zero_byte_operators() -> list[tuple[int, ...]]:
    """Operator k shifts a CRC over 2**k zero bytes (GF(2) 32×32 matrices as column ints)."""
    op = tuple([0xEDB88320] + [1 << i for i in range(31)])  # one zero bit
    for _ in range(3):  # → one zero byte
        op = tuple(_gf2_times(op, m) for m in op)
    ops = [op]
    for _ in range(31):
        op = tuple(_gf2_times(op, m) for m in op)
        ops.append(op)
    return ops


_ZERO_BYTES = _zero_byte_operators()


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of A+B from crc32(A), crc32(B) and len(B) (zlib's crc32_combine, which Python's zlib
    module does not expose): shift crc1 over len(B) zero bytes, in GF(2), and add crc2."""
    k = 0
    while len2 > 0:
        if len2 & 1:
            crc1 = _gf2_times(_ZERO_BYTES[k], crc1)
        len2 >>= 1
        k += 1
    return crc1 ^ crc2
