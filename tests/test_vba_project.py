"""build_vba_project end to end: oletools extracts the exact sources, and every stream has the
structure of xlwings' reference project (which Excel is known to open)."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path

import pytest
import xlwings
from oletools.olevba import VBA_Parser
from vba_helpers import dir_records, make_xlsm, open_cfb, reference_vba_project

from xlperf.excel.vba import (
    OFFICE,
    VbaModule,
    VbaProjectError,
    build_vba_project,
    decompress,
    document_module,
    normalized_source,
    project_id_for,
    read_vba_project,
    vba_string_expression,
)
from xlperf.excel.vba.project_stream import decrypt

XLWINGS_BAS = Path(xlwings.__file__).parent / "xlwings.bas"

RIBBON = """Option Explicit

' 绩效管理 ribbon callbacks
Public Sub OnValidate(control As IRibbonControl)
    RunPython "import xlperf.macros; xlperf.macros.validate()"
End Sub

Public Sub OnRecomputeAll(control As IRibbonControl)
    Application.StatusBar = "全部重算…"
    RunPython "import xlperf.macros; xlperf.macros.recompute_all()"
End Sub
"""

COUNTER_CLS = """VERSION 1.0 CLASS
BEGIN
  MultiUse = -1  'True
END
Attribute VB_Name = "Counter"
Attribute VB_GlobalNameSpace = False
Attribute VB_Creatable = False
Attribute VB_PredeclaredId = False
Attribute VB_Exposed = False
Attribute VB_Description = "Counts things"
Private n As Long

Public Function Increment() As Long
    n = n + 1
    Increment = n
End Function
"""


@functools.cache
def reference_module_source(name: str) -> str:
    """A module's source out of the reference project, through olevba."""
    parser = VBA_Parser("quickstart_standalone.bin", data=reference_vba_project())
    for _, _, filename, code in parser.extract_macros():
        if filename.rsplit(".", 1)[0] == name:
            return str(code)
    raise AssertionError(name)


def sample_modules() -> list[VbaModule]:
    return [
        document_module(
            "ThisWorkbook",
            base="workbook",
            body='Private Sub Workbook_Open()\n    Application.StatusBar = "就绪"\nEnd Sub\n',
        ),
        document_module("Sheet1", base="sheet"),
        document_module("Sheet2", base="sheet"),
        VbaModule("Ribbon", RIBBON),
        VbaModule("xlwings", XLWINGS_BAS.read_bytes().decode("cp1252")),
        VbaModule("Dictionary", reference_module_source("Dictionary"), kind="class"),
        VbaModule("Counter", COUNTER_CLS, kind="class"),
        VbaModule("Plain", "Private total As Double\n", kind="class"),
    ]


@pytest.fixture(scope="module")
def project_936() -> bytes:
    return build_vba_project(sample_modules(), codepage=936)


def extract(project: bytes) -> dict[str, tuple[str, str]]:
    parser = VBA_Parser("vbaProject.bin", data=project)
    return {
        filename.rsplit(".", 1)[0]: (filename.rsplit(".", 1)[1], code)
        for _, _, filename, code in parser.extract_macros()
    }


def test_olevba_extracts_every_module_with_its_exact_source(project_936: bytes) -> None:
    modules = sample_modules()
    extracted = extract(project_936)
    assert list(extracted) == [m.name for m in modules]
    for module in modules:
        extension, code = extracted[module.name]
        assert extension == ("bas" if module.kind == "standard" else "cls")
        assert code == normalized_source(module)


def test_chinese_survives_in_code_page_936(project_936: bytes) -> None:
    ole = open_cfb(project_936)
    raw = decompress(ole.openstream("VBA/Ribbon").read())
    assert "全部重算…".encode("cp936") in raw
    assert 'Application.StatusBar = "全部重算…"' in extract(project_936)["Ribbon"][1]


def test_sources_are_stored_as_given_with_crlf_and_a_header() -> None:
    modules = {m.name: m for m in sample_modules()}
    # xlwings.bas already has its header and CRLF endings: stored unchanged.
    assert normalized_source(modules["xlwings"]) == XLWINGS_BAS.read_bytes().decode("cp1252")
    assert normalized_source(modules["Ribbon"]) == 'Attribute VB_Name = "Ribbon"\r\n' + RIBBON.replace(
        "\n", "\r\n"
    )
    counter = normalized_source(modules["Counter"]).split("\r\n")
    # The .cls VERSION/BEGIN block goes; VB_Base, VB_TemplateDerived and VB_Customizable are added
    # where Excel keeps them; VB_Description follows.
    assert counter[:10] == [
        'Attribute VB_Name = "Counter"',
        'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"',
        "Attribute VB_GlobalNameSpace = False",
        "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = False",
        "Attribute VB_Exposed = False",
        "Attribute VB_TemplateDerived = False",
        "Attribute VB_Customizable = False",
        'Attribute VB_Description = "Counts things"',
        "Private n As Long",
    ]
    # The Dictionary class taken out of the reference project round-trips exactly.
    assert normalized_source(modules["Dictionary"]) == reference_module_source("Dictionary")


def test_dictionary_cls_from_the_package_is_stored_as_excel_stored_it() -> None:
    """xlwings ships Dictionary.cls as an export; its stored form in the reference project differs
    only by the VBE's re-casing of identifiers (err -> Err), which Excel does itself on load."""
    exported = (XLWINGS_BAS.parent / "addin" / "Dictionary.cls").read_bytes().decode("utf-8")
    ours = normalized_source(VbaModule("Dictionary", exported, kind="class")).split("\r\n")
    stored = reference_module_source("Dictionary").split("\r\n")
    assert [line.casefold() for line in ours] == [line.casefold() for line in stored]
    assert ours[:8] == stored[:8]


def test_document_module_headers_match_the_reference_project() -> None:
    for name, base in (("ThisWorkbook", "workbook"), ("Sheet1", "sheet")):
        assert normalized_source(document_module(name, base=base)) == reference_module_source(name)  # type: ignore[arg-type]


# --- the dir stream, record by record against the reference ---------------------------------


def _sections(records: list[tuple[int, bytes]]) -> tuple[list[int], list[list[int]], list[list[int]]]:
    """(project information ids, one id list per reference, one id list per module)."""
    ids = [r for r, _ in records]
    first_ref = ids.index(0x0016)
    modules_at = ids.index(0x000F)
    info = ids[:first_ref]
    refs: list[list[int]] = []
    i = first_ref
    while i < modules_at:
        # A reference is a REFERENCENAME pair then its kind's records; a control reference holds
        # a second name pair and the 0x30 extension inside it.
        kind = ids[i + 2]
        length = {0x000D: 3, 0x000E: 3, 0x0033: 7}[kind]
        refs.append(ids[i : i + length])
        i += length
    assert ids[modules_at : modules_at + 2] == [0x000F, 0x0013] and ids[-1] == 0x0010
    modules: list[list[int]] = []
    current: list[int] = []
    for record_id in ids[modules_at + 2 : -1]:
        current.append(record_id)
        if record_id == 0x002B:
            modules.append(current)
            current = []
    assert current == []
    return info, refs, modules


def test_dir_stream_layout_matches_the_reference_record_for_record(project_936: bytes) -> None:
    ref_info, ref_refs, ref_modules = _sections(dir_records(reference_vba_project()))
    info, refs, modules = _sections(dir_records(project_936))
    assert info == ref_info
    # The reference carries MSForms (a control reference) and Office (registered); ours carries
    # stdole and Office, both registered: the same record kinds as the reference's Office entry.
    assert ref_refs[-1] == [0x0016, 0x003E, 0x000D]
    assert refs == [[0x0016, 0x003E, 0x000D]] * 2
    # Reference modules: ThisWorkbook, Sheet1 (documents), Module1 (standard), Sheet2, xlwings
    # (standard), Dictionary (class).  Each of ours has the layout of the reference module of its kind.
    ref_document, ref_standard, ref_class = ref_modules[0], ref_modules[2], ref_modules[5]
    kinds = [m.kind for m in sample_modules()]
    expected = {"document": ref_document, "standard": ref_standard, "class": ref_class}
    assert modules == [expected[k] for k in kinds]
    assert ref_document[-2] == ref_class[-2] == 0x0022 and ref_standard[-2] == 0x0021


def test_dir_stream_values(project_936: bytes) -> None:
    records = dir_records(project_936)
    values = dict(records[:4])
    assert values[0x0002] == (0x0409).to_bytes(4, "little")  # PROJECTLCID: the spec's 0x409
    assert values[0x0003] == (936).to_bytes(2, "little")  # PROJECTCODEPAGE
    office = [data for record_id, data in records if record_id == 0x000D][1]
    ref_office = next(data for record_id, data in dir_records(reference_vba_project()) if record_id == 0x000D)
    assert office == ref_office  # the Office type library reference, byte for byte
    assert OFFICE.libid.encode("ascii") in office
    offsets = [data for record_id, data in records if record_id == 0x0031]
    assert offsets == [b"\x00\x00\x00\x00"] * len(sample_modules())  # source only: no p-code
    docstrings = [data for record_id, data in records if record_id == 0x001C]
    assert docstrings[6] == b"Counts things"  # VB_Description of Counter


def test_vba_project_stream_and_module_streams(project_936: bytes) -> None:
    ole = open_cfb(project_936)
    assert (
        ole.openstream("VBA/_VBA_PROJECT").read()
        == open_cfb(reference_vba_project()).openstream("VBA/_VBA_PROJECT").read()
        == bytes.fromhex("CC61FFFF000100")
    )
    names = {"/".join(p) for p in ole.listdir()}
    assert names == {"PROJECT", "PROJECTwm", "VBA/_VBA_PROJECT", "VBA/dir"} | {
        f"VBA/{m.name}" for m in sample_modules()
    }
    for module in sample_modules():
        stream = ole.openstream(f"VBA/{module.name}").read()
        # MODULEOFFSET 0: the stream is the compressed source and nothing else.
        assert decompress(stream).decode("cp936") == normalized_source(module)


def _project_lines(project: bytes, encoding: str) -> list[str]:
    return open_cfb(project).openstream("PROJECT").read().decode(encoding).split("\r\n")


def test_project_stream_matches_the_reference_shape(project_936: bytes) -> None:
    ref = _project_lines(reference_vba_project(), "cp1252")
    ours = _project_lines(project_936, "cp936")
    assert ours[0] == f'ID="{project_id_for("VBAProject")}"'
    assert ours[1:9] == [
        "Document=ThisWorkbook/&H00000000",
        "Document=Sheet1/&H00000000",
        "Document=Sheet2/&H00000000",
        "Module=Ribbon",
        "Module=xlwings",
        "Class=Dictionary",
        "Class=Counter",
        "Class=Plain",
    ]

    def shape(lines: list[str]) -> list[str]:
        """Keys of the lines up to [Workspace], the per-module lines left out."""
        keys = [line.split("=", 1)[0] for line in lines[: lines.index("[Workspace]") + 1]]
        return [k for k in keys if k not in ("Document", "Module", "Class")]

    assert shape(ours) == shape(ref)
    assert ref[ref.index("[Host Extender Info]") + 1] == ours[ours.index("[Host Extender Info]") + 1]
    assert ours[-1] == "" and ours[ours.index("[Workspace]") + 1] == "ThisWorkbook=0, 0, 0, 0, C"


@pytest.mark.parametrize(("key", "plain"), [("CMG", b"\x00\x00\x00\x00"), ("DPB", b"\x00"), ("GC", b"\xff")])
def test_protection_values_decrypt_like_the_reference(project_936: bytes, key: str, plain: bytes) -> None:
    def value(lines: list[str]) -> bytes:
        line = next(line for line in lines if line.startswith(key + "="))
        return bytes.fromhex(line.split("=", 1)[1].strip('"'))

    ref_lines = _project_lines(reference_vba_project(), "cp1252")
    ref_key, ref_plain = decrypt(value(ref_lines))
    assert ref_key == sum(ref_lines[0][4:-1].encode()) & 0xFF and ref_plain == plain
    our_key, our_plain = decrypt(value(_project_lines(project_936, "cp936")))
    assert our_key == sum(project_id_for("VBAProject").encode()) & 0xFF
    assert our_plain == plain


def test_projectwm_lists_every_module(project_936: bytes) -> None:
    data = open_cfb(project_936).openstream("PROJECTwm").read()
    names = [m.name for m in sample_modules()]
    expected = b"".join(n.encode("ascii") + b"\x00" + n.encode("utf-16-le") + b"\x00\x00" for n in names)
    assert data == expected + b"\x00\x00"


_DETERMINISM_SCRIPT = """
import sys
from xlperf.excel.vba import VbaModule, build_vba_project, document_module
modules = [
    document_module("ThisWorkbook", base="workbook"),
    document_module("Sheet1"),
    VbaModule("Ribbon", 'Sub OnValidate(control As IRibbonControl)\\n    MsgBox "\u6821\u9a8c"\\nEnd Sub\\n'),
    VbaModule("Counter", "Private n As Long\\n", kind="class"),
]
sys.stdout.buffer.write(build_vba_project(modules, codepage=936))
"""


def test_output_is_deterministic_across_processes(project_936: bytes) -> None:
    assert build_vba_project(sample_modules(), codepage=936) == project_936
    outputs = []
    for seed in ("1", "12345"):  # str hashing differs between these runs
        env = dict(os.environ, PYTHONHASHSEED=seed)
        done = subprocess.run(
            [sys.executable, "-c", _DETERMINISM_SCRIPT], capture_output=True, env=env, check=True
        )
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert "校验".encode("cp936") in decompress(open_cfb(outputs[0]).openstream("VBA/Ribbon").read())


def test_code_page_1252_project() -> None:
    modules = [
        document_module("ThisWorkbook", base="workbook"),
        VbaModule("Ribbon", 'Sub A(control As IRibbonControl)\nMsgBox "café"\nEnd Sub\n'),
    ]
    project = build_vba_project(modules, codepage=1252, project_name="XlperfEn")
    assert dict(dir_records(project)[:4])[0x0003] == (1252).to_bytes(2, "little")
    assert extract(project)["Ribbon"][1] == normalized_source(modules[1])
    assert 'Name="XlperfEn"' in _project_lines(project, "cp1252")
    assert project_id_for("XlperfEn") != project_id_for("VBAProject")


@pytest.mark.parametrize(
    ("modules", "kwargs", "fragment"),
    [
        ([VbaModule("Ribbon", 'MsgBox "绩效"')], {"codepage": 1252}, "line 2"),
        ([VbaModule("1Bad", "")], {}, "1Bad"),
        ([VbaModule("数据", "")], {}, "数据"),
        ([VbaModule("A" * 32, "")], {}, "AAAA"),
        ([VbaModule("Dup", ""), VbaModule("DUP", "")], {}, "Duplicate"),
        ([VbaModule("Named", 'Attribute VB_Name = "Other"\n')], {}, "Other"),
        ([VbaModule("Sheet1", "Sub X()\nEnd Sub", kind="document")], {}, "document_module"),
        ([VbaModule("M", "")], {"project_name": "My Project"}, "My Project"),
        ([VbaModule("M", "")], {"codepage": 99999}, "99999"),
        (
            [VbaModule("Long", "x = " + "1" * 1020)],
            {},
            "line 2 is longer than VBA's 1023-character limit (1024)",
        ),
    ],
    ids=[
        "unencodable",
        "digit-first",
        "non-ascii-name",
        "too-long",
        "duplicate",
        "name-mismatch",
        "document-without-header",
        "project-name",
        "codepage",
        "line-too-long",
    ],
)
def test_refuses_what_excel_would_not_load(
    modules: list[VbaModule], kwargs: dict[str, object], fragment: str
) -> None:
    with pytest.raises(VbaProjectError) as info:
        build_vba_project(modules, **kwargs)  # type: ignore[arg-type]
    assert fragment in info.value.en
    assert info.value.zh != info.value.en


@pytest.mark.parametrize(
    ("text", "expression"),
    [
        ("", '""'),
        ("Score", '"Score"'),
        ('say "hi"', '"say ""hi"""'),
        ("绩效 score", 'ChrW(&H7EE9) & ChrW(&H6548) & " score"'),
        ("a\nb", '"a" & vbLf & "b"'),
        ("😀", "ChrW(&HD83D) & ChrW(&HDE00)"),
    ],
)
def test_vba_string_expression(text: str, expression: str) -> None:
    assert vba_string_expression(text) == expression


def test_olevba_finds_the_modules_inside_an_xlsm(tmp_path: Path) -> None:
    modules = sample_modules()
    xlsm = make_xlsm(
        tmp_path / "book.xlsm", build_vba_project(modules, codepage=936), {"指标": "Sheet1"}, "ThisWorkbook"
    )
    parser = VBA_Parser(str(xlsm))
    assert parser.detect_vba_macros()
    found = {f.rsplit(".", 1)[0]: code for _, _, f, code in parser.extract_macros()}
    assert found == {m.name: normalized_source(m) for m in modules}


def test_module_docstring_matches_the_reference_record_bytes() -> None:
    """VB_Description escapes (\\r\\n) become the characters in MODULEDOCSTRING and its UTF-16 twin."""
    project = build_vba_project(
        [VbaModule("Dictionary", reference_module_source("Dictionary"), kind="class")]
    )
    ours = [data for record_id, data in dir_records(project) if record_id in (0x001C, 0x0048)]
    ref = [data for record_id, data in dir_records(reference_vba_project()) if record_id in (0x001C, 0x0048)]
    assert ours == ref[-2:]
    assert ours[0].startswith(b"Drop-in replacement for Scripting.Dictionary on Mac\r\n\r\nDictionary v1.4.0")


# Records whose data is text of any length; every other record has a fixed size.
_TEXT_RECORDS = {0x0004, 0x0005, 0x0040, 0x0006, 0x003D, 0x000C, 0x003C, 0x0016, 0x003E, 0x000D}
_TEXT_RECORDS |= {0x0019, 0x0047, 0x001A, 0x0032, 0x001C, 0x0048}


def test_fixed_size_records_have_the_reference_sizes(project_936: bytes) -> None:
    def sizes(records: list[tuple[int, bytes]]) -> dict[int, set[int]]:
        out: dict[int, set[int]] = {}
        for record_id, data in records:
            if record_id not in _TEXT_RECORDS:
                out.setdefault(record_id, set()).add(len(data))
        return out

    ours = sizes(dir_records(project_936))
    ref = sizes(dir_records(reference_vba_project()))
    assert ours == {k: v for k, v in ref.items() if k in ours}
    # PROJECTVERSION carries 6 bytes behind a size field of 4, like the reference.
    for project in (project_936, reference_vba_project()):
        records = dir_records(project)
        at = next(i for i, (record_id, _) in enumerate(records) if record_id == 0x0009)
        offset = sum(6 + len(data) for _, data in records[:at])
        raw = decompress(open_cfb(project).openstream("VBA/dir").read())
        assert raw[offset : offset + 6] == bytes.fromhex("0900 04000000")
        assert len(records[at][1]) == 6


def test_a_line_of_exactly_1023_characters_is_accepted() -> None:
    line = "x = " + "1" * 1019
    project = build_vba_project([VbaModule("Long", line)])
    assert read_vba_project(project).modules[0].source.split("\r\n")[1] == line
