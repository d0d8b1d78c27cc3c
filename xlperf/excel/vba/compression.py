"""MS-OVBA 2.4.1 compression: the LZ77 variant every stream of a VBA project is stored in.

A CompressedContainer is the signature byte 0x01 followed by chunks; each chunk holds up to 4096
decompressed bytes behind a 16-bit header (size - 3 in bits 0-11, the signature 0b011 in bits 12-14,
the "compressed" flag in bit 15).  Inside a compressed chunk a flag byte announces eight tokens,
least significant bit first: 0 is a literal byte, 1 a 16-bit copy token whose split between offset and
length grows with the position in the chunk (2.4.1.3.19.1).

The compressor follows the spec's matching rule (2.4.1.3.19.4: longest match, overlapping copies
allowed, lengths compared before the position-dependent cap, the nearest candidate on ties) and
reproduces the spec's example 3.2.2 byte for byte.  Any valid token stream decompresses the same; the
tool that wrote xlwings' reference project breaks ties towards the earliest candidate instead, and
``earliest_on_ties=True`` reproduces its streams byte for byte (the tests use both as oracles).
A raw chunk is written only when a chunk cannot be compressed below 4098 bytes, which never happens
for source text.
"""

from __future__ import annotations

import struct

__all__ = ["CompressionError", "compress", "decompress"]

_CHUNK = 4096
_SIGNATURE = 0x01
_HEADER_SIGNATURE = 0b011 << 12
_MAX_COMPRESSED_CHUNK = 4098  # header included: the 12-bit size field holds size - 3 <= 4095
_MIN_MATCH = 3


class CompressionError(ValueError):
    """A byte string is not a well-formed MS-OVBA CompressedContainer."""


def _bit_count(position: int) -> int:
    """Offset bits of a copy token emitted `position` bytes into the chunk (2.4.1.3.19.1)."""
    return max((position - 1).bit_length(), 4)


def _compress_chunk(data: bytes, start: int, end: int, earliest_on_ties: bool) -> bytes:
    """Compressed chunk data (tokens only) for data[start:end], or b"" if it would not fit."""
    out = bytearray()
    # Positions in this chunk grouped by their first three bytes, oldest first: the candidates a match
    # can start at.  The spec scans every earlier position; only those sharing three bytes can give a
    # match of the minimum length, so walking these gives the same choice.
    heads: dict[bytes, list[int]] = {}
    indexed = start  # positions below this are already in `heads`
    pos = start
    limit = _MAX_COMPRESSED_CHUNK - 2
    while pos < end:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= end:
                break
            while indexed < pos:
                if indexed + _MIN_MATCH <= end:
                    heads.setdefault(data[indexed : indexed + _MIN_MATCH], []).append(indexed)
                indexed += 1
            offset_bits = _bit_count(pos - start)
            max_length = (0xFFFF >> offset_bits) + _MIN_MATCH
            best_length = 0
            best_offset = 0
            candidates = heads.get(data[pos : pos + _MIN_MATCH]) if pos + _MIN_MATCH <= end else None
            if candidates:
                # Lengths are compared before the cap (2.4.1.3.19.4); the first candidate walked
                # wins a tie.
                for candidate in candidates if earliest_on_ties else reversed(candidates):
                    length = _MIN_MATCH
                    while pos + length < end and data[candidate + length] == data[pos + length]:
                        length += 1
                    if length > best_length:
                        best_length = length
                        best_offset = pos - candidate
                        if pos + length == end:
                            break
            best_length = min(best_length, max_length)
            if best_length >= _MIN_MATCH:
                token = ((best_offset - 1) << (16 - offset_bits)) | (best_length - _MIN_MATCH)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                pos += best_length
            else:
                out.append(data[pos])
                pos += 1
            if len(out) > limit:
                return b""
        out[flag_at] = flags
    return bytes(out)


def compress(data: bytes, *, earliest_on_ties: bool = False, allow_raw: bool = True) -> bytes:
    """The CompressedContainer for `data` (MS-OVBA 2.4.1.3.6).

    `allow_raw=False` raises `CompressionError` instead of writing an uncompressed chunk: such
    chunks are valid, but Excel reportedly drops modules stored that way.
    """
    out = bytearray([_SIGNATURE])
    for start in range(0, len(data), _CHUNK):
        end = min(start + _CHUNK, len(data))
        body = _compress_chunk(data, start, end, earliest_on_ties)
        if body:
            out += struct.pack("<H", 0x8000 | _HEADER_SIGNATURE | (len(body) + 2 - 3))
            out += body
        elif not allow_raw:
            raise CompressionError(f"bytes {start}-{end} do not compress; refusing an uncompressed chunk")
        else:
            # Raw chunk: the size field always says 4098 - 3; a final chunk shorter than 4096 keeps its
            # real length rather than the spec's zero padding, which would add bytes on decompression.
            out += struct.pack("<H", _HEADER_SIGNATURE | (_MAX_COMPRESSED_CHUNK - 3))
            out += data[start:end]
    return bytes(out)


def decompress(container: bytes) -> bytes:
    """The bytes a CompressedContainer stands for (MS-OVBA 2.4.1.3.1)."""
    if not container or container[0] != _SIGNATURE:
        raise CompressionError("compressed container must start with 0x01")
    out = bytearray()
    pos = 1
    while pos < len(container):
        if pos + 2 > len(container):
            raise CompressionError(f"truncated chunk header at {pos}")
        (header,) = struct.unpack_from("<H", container, pos)
        if header & 0x7000 != _HEADER_SIGNATURE:
            raise CompressionError(f"bad chunk signature at {pos}")
        chunk_end = min(pos + (header & 0x0FFF) + 3, len(container))
        pos += 2
        chunk_start = len(out)
        if not header & 0x8000:
            out += container[pos : pos + _CHUNK]
            pos += _CHUNK
            continue
        while pos < chunk_end:
            flags = container[pos]
            pos += 1
            for bit in range(8):
                if pos >= chunk_end:
                    break
                if not flags >> bit & 1:
                    out.append(container[pos])
                    pos += 1
                    continue
                if pos + 2 > chunk_end:
                    raise CompressionError(f"truncated copy token at {pos}")
                (token,) = struct.unpack_from("<H", container, pos)
                pos += 2
                offset_bits = _bit_count(len(out) - chunk_start)
                length = (token & (0xFFFF >> offset_bits)) + _MIN_MATCH
                offset = (token >> (16 - offset_bits)) + 1
                source = len(out) - offset
                if source < chunk_start:
                    raise CompressionError(f"copy token reaches before its chunk at {pos - 2}")
                for i in range(length):  # byte by byte: copies may overlap their own output
                    out.append(out[source + i])
    return bytes(out)
