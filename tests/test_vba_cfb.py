"""The MS-CFB v3 writer, read back with olefile in its strictest mode."""

from __future__ import annotations

import random
import struct

import pytest
from vba_helpers import open_cfb

from xlperf.excel.vba.cfb import CfbError, write_compound_file


def _streams() -> dict[str, bytes]:
    rng = random.Random(42)
    streams = {
        "PROJECT": b"ID=...\r\n" * 40,
        "PROJECTwm": b"M\x00M\x00\x00\x00\x00\x00",
        "VBA/_VBA_PROJECT": bytes.fromhex("CC61FFFF000100"),
        "VBA/dir": rng.randbytes(1273),
        "VBA/exactly4096": rng.randbytes(4096),  # at the cutoff: a regular stream
        "VBA/just_below": rng.randbytes(4095),  # below the cutoff: in the mini stream
        "VBA/big": rng.randbytes(150_000),  # > 128 sectors: a second FAT sector
    }
    for i in range(30):  # 38 entries: several directory sectors
        streams[f"VBA/Module{i}"] = rng.randbytes(i * 61 + 1)
    return streams


def test_olefile_reads_every_stream_back() -> None:
    streams = _streams()
    data = write_compound_file(streams)
    ole = open_cfb(data)
    listed = {"/".join(parts) for parts in ole.listdir(streams=True, storages=False)}
    assert listed == set(streams)
    for path, content in streams.items():
        assert ole.openstream(path).read() == content
    assert len(data) % 512 == 0


def test_header_fields() -> None:
    data = write_compound_file(_streams())
    assert data[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    minor, major, bom, sector_shift, mini_shift = struct.unpack_from("<HHHHH", data, 24)
    assert (minor, major, bom, sector_shift, mini_shift) == (0x3E, 3, 0xFFFE, 9, 6)
    (dir_sectors, fat_sectors) = struct.unpack_from("<II", data, 40)
    assert dir_sectors == 0  # must be zero in version 3
    # 384 sectors after the header (3 of them FAT), at 128 entries per FAT sector: exactly 3.
    assert len(data) // 512 - 1 == 384
    assert fat_sectors == 3
    assert struct.unpack_from("<I", data, 56)[0] == 4096


def _key(name: str) -> tuple[int, str]:
    return len(name), name.upper()


def test_directory_is_an_all_black_search_tree_in_spec_order() -> None:
    ole = open_cfb(write_compound_file(_streams()))
    entries = ole.direntries
    assert all(e.color == 1 for e in entries if e is not None)  # black
    assert all(e.createTime == 0 and e.modifyTime == 0 for e in entries if e is not None)

    def walk(sid: int) -> list[str]:
        if sid == 0xFFFFFFFF:
            return []
        e = entries[sid]
        return walk(e.sid_left) + [e.name] + walk(e.sid_right)

    for storage in (entries[0], next(e for e in entries if e is not None and e.name == "VBA")):
        in_order = walk(storage.sid_child)
        assert in_order == sorted(in_order, key=_key)
    vba_children = walk(next(e for e in entries if e is not None and e.name == "VBA").sid_child)
    # Length first, then upper-cased: "dir" before "big", "_VBA_PROJECT" between the Module1x names.
    assert vba_children[:4] == ["big", "dir", "Module0", "Module1"]


def test_same_streams_in_any_order_give_the_same_bytes() -> None:
    streams = _streams()
    assert write_compound_file(streams) == write_compound_file(dict(reversed(list(streams.items()))))


@pytest.mark.parametrize(
    "streams",
    [{"VBA/" + "x" * 32: b"1"}, {"a:b": b"1"}, {"VBA/m": b"1", "VBA/M": b"2"}, {"VBA": b"1", "VBA/m": b"2"}],
    ids=["too-long", "colon", "duplicate-case-insensitive", "stream-and-storage"],
)
def test_bad_names_are_refused(streams: dict[str, bytes]) -> None:
    with pytest.raises(CfbError):
        write_compound_file(streams)


def test_storage_entries_start_at_sector_zero_with_size_zero() -> None:
    """MS-CFB 2.6.3: a storage's starting sector location and stream size MUST be all zeroes (the
    VBA storage used to carry 0xFFFFFFFE, ENDOFCHAIN)."""
    data = write_compound_file(_streams())
    ole = open_cfb(data)
    vba = next(e for e in ole.direntries if e is not None and e.name == "VBA")
    assert vba.entry_type == 1  # STGTY_STORAGE
    raw = data[512 * (1 + ole.first_dir_sector) + 128 * vba.sid:][:128]
    start, size = struct.unpack_from("<IQ", raw, 116)
    assert (start, size) == (0, 0)
    # streams keep their real chains: the root's mini stream and a big stream do not start at 0 or end
    root = ole.direntries[0]
    assert root.isectStart not in (0, 0xFFFFFFFE)
