"""read_vba_project: the package's own reader, checked against olefile/oletools on the reference
project (saved by Excel, with p-code) and on projects the compiler builds."""

from __future__ import annotations

import random

import pytest
from oletools.olevba import VBA_Parser
from test_vba_project import sample_modules
from vba_helpers import open_cfb, reference_vba_project

from xlperf.excel.vba import VbaProjectError, build_vba_project, normalized_source, read_vba_project
from xlperf.excel.vba.cfb import write_compound_file
from xlperf.excel.vba.reader import read_compound_file


def test_reads_the_reference_project_like_olevba() -> None:
    data = reference_vba_project()
    contents = read_vba_project(data)
    assert (contents.project_name, contents.codepage) == ("VBAProject", 1252)
    assert [(m.name, m.kind) for m in contents.modules] == [
        ("ThisWorkbook", "document"),
        ("Sheet1", "document"),
        ("Module1", "standard"),
        ("Sheet2", "document"),
        ("xlwings", "standard"),
        ("Dictionary", "class"),
    ]
    olevba = {f.rsplit(".", 1)[0]: code for _, _, f, code in VBA_Parser("r.bin", data=data).extract_macros()}
    assert {m.name: m.source for m in contents.modules} == olevba
    xlwings_module = next(m for m in contents.modules if m.name == "xlwings")
    assert "'Version: 0.37.8" in xlwings_module.source


def test_reads_back_what_the_compiler_wrote() -> None:
    modules = sample_modules()
    contents = read_vba_project(build_vba_project(modules, codepage=936, project_name="Xlperf"))
    assert (contents.project_name, contents.codepage) == ("Xlperf", 936)
    assert [(m.name, m.kind, m.source) for m in contents.modules] == [
        (m.name, m.kind, normalized_source(m)) for m in modules
    ]


def test_compound_file_reader_agrees_with_olefile() -> None:
    rng = random.Random(7)
    streams = {f"S/{i}": rng.randbytes(rng.choice([1, 63, 64, 65, 4095, 4096, 70_000])) for i in range(25)}
    streams["top"] = b"x"
    data = write_compound_file(streams)
    assert read_compound_file(data) == streams
    ole = open_cfb(reference_vba_project())
    ours = read_compound_file(reference_vba_project())
    assert ours == {"/".join(p): ole.openstream(p).read() for p in ole.listdir()}


@pytest.mark.parametrize(
    "data", [b"", b"PK\x03\x04" + b"\x00" * 600, bytes.fromhex("D0CF11E0A1B11AE1") + b"\xff" * 600]
)
def test_damaged_files_raise_a_readable_error(data: bytes) -> None:
    with pytest.raises(VbaProjectError) as info:
        read_vba_project(data)
    assert "damaged" in info.value.en and "损坏" in info.value.zh


def test_corrupted_projects_never_escape_as_other_exceptions() -> None:
    original = bytearray(build_vba_project(sample_modules()[:4], codepage=936))
    rng = random.Random(2026)
    outcomes = {"read": 0, "refused": 0}
    for _ in range(300):
        damaged = bytearray(original)
        for _ in range(rng.randint(1, 8)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        try:
            read_vba_project(bytes(damaged))
            outcomes["read"] += 1
        except VbaProjectError:
            outcomes["refused"] += 1
    # Any other exception type would have failed the loop; damage must also be noticed at times.
    assert outcomes["refused"] > 0 and outcomes["read"] + outcomes["refused"] == 300
