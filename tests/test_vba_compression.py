"""MS-OVBA 2.4.1 compression against the spec's examples, oletools' decompressor and the streams of
xlwings' reference project."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import decompress_stream
from vba_helpers import open_cfb, reference_vba_project

from xlperf.excel.vba.compression import CompressionError, compress, decompress


def oletools_decompress(container: bytes) -> bytes:
    return bytes(decompress_stream(bytearray(container)))


# MS-OVBA 3.2.1 and 3.2.2: input and the compressed bytes the spec prints.
SPEC_EXAMPLES = [
    (
        b"abcdefghijklmnopqrstuv.",
        "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E",
    ),
    (
        b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa",
        (
            "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 20 6D 6E "
            "6F 70 06 71 02 70 04 00 72 73 74 75 76 10 77 78 79 7A 00 2C"
        ),
    ),
]


@pytest.mark.parametrize(("plain", "compressed"), SPEC_EXAMPLES)
def test_spec_examples_byte_for_byte(plain: bytes, compressed: str) -> None:
    assert compress(plain) == bytes.fromhex(compressed)
    assert decompress(bytes.fromhex(compressed)) == plain


def test_maximum_compression_of_a_run() -> None:
    # One literal, then a single copy token (offset 1, length 14) reaching over its own output:
    # flag byte 0b10, token (0 << 12) | (14 - 3) = 0x000B.
    # Chunk header: 6 bytes of chunk - 3 = 3, signature 0b011, compressed flag: 0xB003.
    assert compress(b"a" * 15) == bytes.fromhex("01 03 B0 02 61 0B 00")


def _random(n: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(n)


def _repetitive(n: int, seed: int) -> bytes:
    rng = random.Random(seed)
    words = [rng.randbytes(rng.randint(1, 12)) for _ in range(20)]
    out = bytearray()
    while len(out) < n:
        out += rng.choice(words)
    return bytes(out[:n])


CASES = [
    b"",
    b"x",
    b"a" * 4096,
    b"a" * 4097,
    b"a" * 20000,
    _random(4095, 1),
    _random(4096, 2),
    _random(4097, 3),
    _random(3640, 4),  # the largest all-literal chunk that still fits a compressed chunk
    _random(3641, 5),  # one more byte: needs a raw chunk
    _random(12000, 6),
    _repetitive(9000, 7),
    _repetitive(33000, 8),
    ('Attribute VB_Name = "M"\r\nSub X()\r\n    MsgBox "绩效"\r\nEnd Sub\r\n' * 300).encode("cp936"),
]


@pytest.mark.parametrize("data", CASES, ids=lambda d: f"{len(d)}B")
def test_round_trip_through_oletools(data: bytes) -> None:
    container = compress(data)
    assert oletools_decompress(container) == data
    assert decompress(container) == data


def test_repetitive_data_compresses_and_spans_chunks() -> None:
    data = _repetitive(33000, 8)
    container = compress(data)
    assert len(container) < len(data) // 2
    # 33000 bytes need ceil(33000 / 4096) = 9 chunks; every one is compressed (flag bit 15 set).
    pos, headers = 1, []
    while pos < len(container):
        header = int.from_bytes(container[pos : pos + 2], "little")
        headers.append(header)
        pos += (header & 0x0FFF) + 3
    assert len(headers) == 9
    assert all(h & 0x8000 and h & 0x7000 == 0x3000 for h in headers)


def test_incompressible_chunk_is_raw_unless_refused() -> None:
    data = _random(4096, 9)
    container = compress(data)
    assert container[1:3] == bytes.fromhex("FF 3F")  # size 4098 - 3, signature 0b011, flag 0
    assert container[3:] == data
    with pytest.raises(CompressionError):
        compress(data, allow_raw=False)


@settings(max_examples=60, deadline=None)
@given(
    st.binary(max_size=9000)
    | st.lists(st.sampled_from([b"ab", b"abc", b"\x00", b"End Sub\r\n"])).map(b"".join)
)
def test_round_trip_property(data: bytes) -> None:
    assert oletools_decompress(compress(data)) == data


@pytest.mark.parametrize("stream", ["VBA/dir", "VBA/xlwings"])
def test_reproduces_reference_streams_with_earliest_tie_break(stream: str) -> None:
    original = open_cfb(reference_vba_project()).openstream(stream).read()
    plain = decompress(original)
    assert compress(plain, earliest_on_ties=True) == original
    assert oletools_decompress(compress(plain)) == plain


@pytest.mark.parametrize(
    "bad",
    [b"", b"\x02\x00\xb0", bytes.fromhex("01 00 A0"), bytes.fromhex("01 03 B0 01 10 00")],
    ids=["empty", "signature", "chunk-signature", "copy-before-chunk"],
)
def test_decompress_rejects_malformed_containers(bad: bytes) -> None:
    with pytest.raises(CompressionError):
        decompress(bad)
