"""Files that are not usable workbooks, and hostile ones: one clear sentence each, never a traceback."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from io_helpers import BILLION_LAUGHS, EXTERNAL_ENTITY, rezip, simple_book, zip_of

from xlperf.errors import UnusableFileError
from xlperf.excel.vba.cfb import write_compound_file
from xlperf.io import guard
from xlperf.io.reader import read_book

Maker = Callable[[Path], Path]


def _write(data: bytes, name: str = "book.xlsx") -> Maker:
    def make(tmp: Path) -> Path:
        p = tmp / name
        p.write_bytes(data)
        return p
    return make


def _valid(tmp: Path) -> Path:
    return simple_book(tmp / "valid.xlsx")


def _truncated(tmp: Path) -> Path:
    data = _valid(tmp).read_bytes()
    return _write(data[: len(data) // 2])(tmp)


def _encrypted(tmp: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    src = _valid(tmp)
    out = tmp / "encrypted.xlsx"
    with src.open("rb") as fin, out.open("wb") as fout:
        OOXMLFile(fin).encrypt("secret", fout)
    return out


def _xls(tmp: Path) -> Path:
    # The BIFF8 stream of a real .xls starts with a BOF record (0x0809).
    return _write(write_compound_file({"Workbook": b"\x09\x08\x10\x00" + b"\x00" * 4000,
                                       "\x05SummaryInformation": b"\x00" * 200}), "old.xls")(tmp)


def _other_ole(tmp: Path) -> Path:
    return _write(write_compound_file({"WordDocument": b"\x00" * 600}), "letter.xlsx")(tmp)


def _member_swap(name: str, data: bytes) -> Maker:
    def make(tmp: Path) -> Path:
        return rezip(_valid(tmp), tmp / "hostile.xlsx", replace={name: data})
    return make


def _sheet_with_dtd(tmp: Path) -> Path:
    src = _valid(tmp)
    with zipfile.ZipFile(src) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    return rezip(src, tmp / "xxe.xlsx", replace={"xl/worksheets/sheet1.xml": EXTERNAL_ENTITY + sheet.split(b"?>", 1)[-1]})


def _utf16_dtd(tmp: Path) -> Path:
    xml = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE w [<!ENTITY a "aaaa">]>'
           '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>')
    return rezip(_valid(tmp), tmp / "u16.xlsx", replace={"xl/workbook.xml": xml.encode("utf-16")})


def _ratio_bomb(tmp: Path) -> Path:
    # 40 MB of one repeated row compresses about 1000:1, far beyond any real sheet.
    filler = b"<row/>" * (40 * 1024 * 1024 // 6)
    return rezip(_valid(tmp), tmp / "bomb.xlsx", replace={"xl/worksheets/sheet1.xml": filler})


def _corrupt_member(tmp: Path) -> Path:
    """Bytes of the sheet's compressed data flipped; the zip directory still looks fine."""
    src = _valid(tmp)
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo("xl/worksheets/sheet2.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(start + 20, start + min(info.compress_size, 400), 7):
        data[k] ^= 0x5A
    return _write(bytes(data), "corrupt.xlsx")(tmp)


def _strict(tmp: Path) -> Path:
    """Saved as 'Strict Open XML Spreadsheet': the ISO/IEC 29500 Strict namespaces in every part."""
    src = _valid(tmp)
    with zipfile.ZipFile(src) as zf:
        parts = {n: zf.read(n) for n in zf.namelist() if n.endswith((".xml", ".rels"))}
    swap = {b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
            b"http://schemas.openxmlformats.org/officeDocument/2006/relationships":
            b"http://purl.oclc.org/ooxml/officeDocument/relationships"}
    for old, new in swap.items():
        parts = {n: data.replace(old, new) for n, data in parts.items()}
    return rezip(src, tmp / "strict.xlsx", replace=parts)


XLSB = zip_of({"[Content_Types].xml": b"<Types/>", "_rels/.rels": b"<Relationships/>", "xl/workbook.bin": b"\x83\x01"})
ODS = zip_of({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<office:document-content/>",
              "META-INF/manifest.xml": b"<manifest/>"})
DOCX = zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
PLAIN_ZIP = zip_of({"readme.txt": b"hello"})

CASES: list[tuple[str, Maker, str, str]] = [
    # id, maker, a phrase the Chinese sentence must hold, one the English sentence must hold
    ("missing", lambda t: t / "nope.xlsx", "找不到该文件", "does not exist"),
    ("folder", lambda t: t, "文件夹", "folder"),
    ("empty", _write(b""), "空的", "empty (0 bytes)"),
    ("binary", _write(bytes(range(256)) * 8), "无法识别", "not recognised"),
    ("truncated", _truncated, "不完整", "truncated"),
    ("corrupt member", _corrupt_member, "损坏", "damaged"),
    ("xls", _xls, ".xls", "Excel 97-2003"),
    ("raw biff", _write(b"\x09\x08\x10\x00\x00\x06\x05\x00" + b"\x00" * 100, "old.xls"), ".xls", "BIFF"),
    ("encrypted", _encrypted, "密码", "encrypted with a password"),
    ("other ole", _other_ole, "OLE", "not an Excel workbook"),
    ("xlsb", _write(XLSB, "b.xlsb"), ".xlsb", ".xlsb"),
    ("ods", _write(ODS, "b.ods"), ".ods", "OpenDocument spreadsheet"),
    ("docx", _write(DOCX), "Word", "Word document"),
    ("plain zip", _write(PLAIN_ZIP), "zip 压缩包", "no xl/workbook.xml"),
    ("csv", _write("工号,姓名\nW001,张三\n".encode()), "CSV", "CSV/text file renamed"),
    ("gbk csv", _write("工号,姓名\nW001,张三\n".encode("gbk")), "CSV", "CSV/text file renamed"),
    ("html", _write(b"<html><body><table><tr><td>1</td></tr></table></body></html>", "report.xls"), "HTML",
     "web page"),
    ("spreadsheetml 2003", _write(b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
                                  b"</Workbook>"), "2003 XML", "SpreadsheetML"),
    ("pdf", _write(b"%PDF-1.7\n..."), "PDF", "PDF"),
    ("billion laughs", _member_swap("xl/workbook.xml", BILLION_LAUGHS + b"<workbook/>"), "实体", "XML entities"),
    ("external entity", _member_swap("xl/_rels/workbook.xml.rels", EXTERNAL_ENTITY + b"<Relationships/>"), "DTD",
     "DTD"),
    ("dtd in sheet", _sheet_with_dtd, "DTD", "known XML attack"),
    ("utf-16 dtd", _utf16_dtd, "DTD", "DTD"),
    ("ratio bomb", _ratio_bomb, "压缩炸弹", "zip bomb"),
    ("strict ooxml", _strict, "另存为“Excel 启用宏的工作簿 (*.xlsm)”", "'Strict Open XML Spreadsheet' format"),
]


@pytest.mark.parametrize(("maker", "zh", "en"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_unusable_file_gets_one_clear_sentence(tmp_path: Path, maker: Maker, zh: str, en: str) -> None:
    path = maker(tmp_path)
    with pytest.raises(UnusableFileError) as caught:
        read_book(path)  # the reader is the door the CLI uses; the guard runs inside it
    err = caught.value
    assert zh in err.message("zh") and en in err.message("en")
    assert err.exit_code == 2
    for text in (err.message("zh"), err.message("en")):
        assert "\n" not in text and "Traceback" not in text
    assert path.name in err.message("en") or path.name == tmp_path.name


def test_check_file_accepts_a_valid_workbook_and_leaves_it_closed(tmp_path: Path) -> None:
    path = _valid(tmp_path)
    guard.check_file(path)
    with guard.open_package(path) as zf:
        assert "xl/workbook.xml" in zf.namelist()
    path.unlink()  # nothing holds the file open


def test_total_size_and_member_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _valid(tmp_path)
    # The real limits (3 GiB, 20 000 members) would need gigabytes of test data; the checks read the
    # zip directory only, so lowering the limits exercises exactly the same code.
    monkeypatch.setattr(guard, "MAX_TOTAL_UNCOMPRESSED", 2000)
    with pytest.raises(UnusableFileError, match="zip bomb: it unpacks to"):
        guard.check_file(path)
    monkeypatch.setattr(guard, "MAX_TOTAL_UNCOMPRESSED", 3 * 1024**3)
    monkeypatch.setattr(guard, "MAX_MEMBERS", 5)
    with pytest.raises(UnusableFileError, match="parts"):
        guard.check_file(path)


def test_a_well_compressed_but_real_sheet_is_not_a_bomb(tmp_path: Path) -> None:
    """20 MB of distinct rows compress about 20:1: accepted."""
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r * 7919 % 100003}</v></c></row>' for r in range(1, 400_000))
    src = _valid(tmp_path)
    with zipfile.ZipFile(src) as zf:
        head = zf.read("xl/worksheets/sheet1.xml").decode()
    xml = head.replace("<sheetData>", "<sheetData>" + rows, 1) if "<sheetData>" in head else head
    path = rezip(src, tmp_path / "real.xlsx", replace={"xl/worksheets/sheet1.xml": xml.encode()})
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size >= guard.RATIO_MIN_SIZE
    guard.check_file(path)


def test_entities_are_never_expanded_even_when_asked_to_parse(tmp_path: Path) -> None:
    from xlperf.io import opc

    with pytest.raises(UnusableFileError):
        opc.parse_xml(BILLION_LAUGHS + b"<x>&lol3;</x>", "x.xml")
    with pytest.raises(UnusableFileError):
        opc.parse_xml(EXTERNAL_ENTITY + b"<sst>&xxe;</sst>", "xl/sharedStrings.xml")


def test_the_cli_exits_2_with_the_sentence_and_no_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from xlperf.cli import main

    bad = _write("工号,姓名\n".encode())(tmp_path)
    code = main(["validate", str(bad)])
    out = capsys.readouterr()
    assert code == 2
    assert "CSV" in out.err + out.out and "Traceback" not in out.err + out.out


def _damaged_variants() -> list[tuple[str, int, int]]:
    # (member, offset into its uncompressed XML, byte) — deterministic so failures reproduce
    import random

    rnd = random.Random(20261127)
    members = ["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml",
               "xl/worksheets/sheet2.xml", "[Content_Types].xml", "_rels/.rels"]
    return [(rnd.choice(members), rnd.randrange(0, 4000), rnd.randrange(0, 256)) for _ in range(60)]


def test_damaged_xml_anywhere_gives_a_book_or_one_sentence(tmp_path: Path) -> None:
    """Every byte of damage ends in a RawBook or an UnusableFileError: never another exception."""
    from xlperf.book import RawBook

    src = _valid(tmp_path)
    with zipfile.ZipFile(src) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    outcomes = {"book": 0, "refused": 0}
    for k, (member, offset, byte) in enumerate(_damaged_variants()):
        data = bytearray(parts[member])
        data[offset % len(data)] = byte
        path = rezip(src, tmp_path / f"d{k}.xlsx", replace={member: bytes(data)})
        try:
            result = read_book(path)
        except UnusableFileError as exc:
            assert "\n" not in exc.message("zh")
            outcomes["refused"] += 1
        else:
            assert isinstance(result, RawBook)
            outcomes["book"] += 1
    assert outcomes["refused"] > 0 and outcomes["book"] > 0  # both kinds of damage were met


def test_damaged_zip_bytes_give_a_book_or_one_sentence(tmp_path: Path) -> None:
    import random

    from xlperf.book import RawBook

    raw = _valid(tmp_path).read_bytes()
    rnd = random.Random(7)
    for k in range(60):
        data = bytearray(raw)
        for _ in range(3):
            data[rnd.randrange(len(data))] = rnd.randrange(256)
        path = _write(bytes(data), f"z{k}.xlsx")(tmp_path)
        try:
            assert isinstance(read_book(path), RawBook)
        except UnusableFileError:
            pass


def _with_far_cell(tmp: Path, ref: str, row: int) -> Path:
    src = _valid(tmp)
    with zipfile.ZipFile(src) as zf:
        xml = zf.read("xl/worksheets/sheet2.xml").decode()
    far = f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>far</t></is></c></row>'
    return rezip(src, tmp / f"far-{ref}.xlsx", replace={"xl/worksheets/sheet2.xml": xml.replace("</sheetData>", far + "</sheetData>").encode()})


@pytest.mark.parametrize(("ref", "row", "phrase"), [
    ("XFD1048576", 1048576, "too large"),  # legal in Excel, but a 17-billion-cell rectangle
    ("A50000000", 50000000, "beyond Excel's limits"),
    ("XFE1", 1, "beyond Excel's limits"),
])
def test_one_far_cell_is_refused_before_anything_fills_the_rectangle(tmp_path: Path, ref: str, row: int,
                                                                     phrase: str) -> None:
    with pytest.raises(UnusableFileError, match=phrase) as caught:
        read_book(_with_far_cell(tmp_path, ref, row))
    assert "监控记录" in caught.value.message("zh")


def test_out_of_order_far_row_is_found_too(tmp_path: Path) -> None:
    src = _valid(tmp_path)
    with zipfile.ZipFile(src) as zf:
        xml = zf.read("xl/worksheets/sheet2.xml").decode()
    far = '<row r="3000000"><c r="A3000000"><v>1</v></c></row>'
    xml = xml.replace("<sheetData>", "<sheetData>" + far, 1)
    with pytest.raises(UnusableFileError, match="beyond Excel's limits"):
        read_book(rezip(src, tmp_path / "ooo.xlsx", replace={"xl/worksheets/sheet2.xml": xml.encode()}))


def test_a_sheet_reaching_row_1048576_is_read(tmp_path: Path) -> None:
    """The last row Excel has: a stray note there does not stop the table above from being read."""
    book = read_book(_with_far_cell(tmp_path, "B1048576", 1048576))
    assert book.tables["observations"].data.shape == (3, 9)
