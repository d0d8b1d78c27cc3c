"""Hostile and unusable files through the real command line: each gets exit code 2 and one clear
sentence (in Chinese, naming the file and what it is), never a traceback, never exit code 4, and the
file is left byte-for-byte as it was — by validate, validate --write and recompute alike.

Real files where they can be had: the .xls and .ods are the corpus book converted by LibreOffice,
the encrypted one is the corpus book encrypted by msoffcrypto-tool; the rest are built from the
valid book's own bytes (cut short, re-zipped with a hostile part) or written raw.
"""

from __future__ import annotations

import re
import socket
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from corpus_helpers import (
    no_traceback,
    one_sentence,
    run_cli,
    run_cli_subprocess,
    sha,
    shared_valid_book,
    sheet_part,
)

from xlperf.io import guard

Maker = Callable[[Path, Path], Path]  # (valid book, folder) → hostile file


@pytest.fixture()
def valid_book() -> Path:
    return shared_valid_book()


# ── makers ────────────────────────────────────────────────────────────────────────────────────────

def rezip(src: Path, dst: Path, replace: dict[str, bytes] | None = None,
          rename: dict[str, str] | None = None) -> Path:
    """Copy the package with some members replaced (or renamed): the zip itself stays well-formed."""
    replace, rename = replace or {}, rename or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = replace.get(info.filename, zin.read(info))
            zout.writestr(rename.get(info.filename, info.filename), data)
    return dst


def _bytes(data: bytes, name: str) -> Maker:
    def make(_: Path, folder: Path) -> Path:
        p = folder / name
        p.write_bytes(data)
        return p
    return make


def _truncated(src: Path, folder: Path) -> Path:
    data = src.read_bytes()
    return _bytes(data[: len(data) * 2 // 3], "truncated.xlsm")(src, folder)


def _no_central_directory(src: Path, folder: Path) -> Path:
    # a download cut just before the end: the local entries are there, the directory is not
    data = src.read_bytes()
    return _bytes(data[: data.rfind(b"PK\x01\x02") - 10], "cut.xlsm")(src, folder)


def _ratio_bomb(src: Path, folder: Path) -> Path:
    # 48 MiB of one repeated row in the observations sheet: DEFLATE packs it about 1000 : 1
    part = sheet_part(src, "监控记录")
    filler = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + \
        b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * (48 * 1024 * 1024 // 48) + b"</sheetData></worksheet>"
    return rezip(src, folder / "bomb.xlsm", replace={part: filler})


def _lying_sizes(src: Path, folder: Path) -> Path:
    """The central directory claims the sheet unpacks to 3.9 GB (past MAX_TOTAL_UNCOMPRESSED)."""
    data = bytearray(src.read_bytes())
    part = sheet_part(src, "监控记录").encode()
    at = data.find(b"PK\x01\x02")  # the first central directory header
    while at != -1:
        name_len = int.from_bytes(data[at + 28:at + 30], "little")
        if bytes(data[at + 46:at + 46 + name_len]) == part:
            data[at + 24:at + 28] = (3_900_000_000).to_bytes(4, "little")
            break
        at = data.find(b"PK\x01\x02", at + 4)
    assert at != -1
    p = folder / "lying.xlsm"
    p.write_bytes(bytes(data))
    return p


def _many_members(src: Path, folder: Path) -> Path:
    dst = rezip(src, folder / "members.xlsm")
    with zipfile.ZipFile(dst, "a", zipfile.ZIP_STORED) as zf:
        for k in range(guard.MAX_MEMBERS + 1):
            zf.writestr(f"customXml/x{k}.bin", b"")
    return dst


def _encrypted(src: Path, folder: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = folder / "encrypted.xlsm"
    with src.open("rb") as fin, out.open("wb") as fout:
        OOXMLFile(fin).encrypt("Xp#2026", fout)
    return out


def _csv_renamed(_: Path, folder: Path) -> Path:
    p = folder / "vendors.xlsx"
    p.write_bytes("供应商编号,供应商名称,合同编号\nV001,甲公司,HT-2026-001\nV002,乙公司,HT-2026-002\n".encode("gbk"))
    return p


def _xlsb(src: Path, folder: Path) -> Path:
    # the package of an .xlsb: binary parts where the .xlsx has XML
    p = folder / "book.xlsb"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/content-types"><Override PartName="/xl/workbook.bin" ContentType="application/'
                    'vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>')
        zf.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>')
        zf.writestr("xl/workbook.bin", b"\x83\x01\x00\x80\x01\x00" + b"\x00" * 64)
        zf.writestr("xl/worksheets/sheet1.bin", b"\x81\x01\x00" + b"\x00" * 64)
    return p


def _xml_member(part_of: Callable[[Path], str], payload: Callable[[bytes], bytes], name: str) -> Maker:
    def make(src: Path, folder: Path) -> Path:
        part = part_of(src)
        with zipfile.ZipFile(src) as zf:
            original = zf.read(part)
        return rezip(src, folder / name, replace={part: payload(original)})
    return make


def _obs_part(src: Path) -> str:
    return sheet_part(src, "监控记录")


def _strip_decl(xml: bytes) -> bytes:
    return re.sub(rb"^\s*<\?xml[^>]*\?>", b"", xml)


BILLION_LAUGHS_DTD = (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
                      + b"".join(f'<!ENTITY {chr(98 + k)} "{("&" + chr(97 + k) + ";") * 10}">'.encode()
                                 for k in range(9)) + b"]>\n")


def _billion_laughs(xml: bytes) -> bytes:
    body = _strip_decl(xml)
    body = re.sub(rb'<c r="I2"[^>]*?(?:/>|>.*?</c>)', b'<c r="I2" t="inlineStr"><is><t>&j;</t></is></c>', body,
                  count=1, flags=re.DOTALL)
    return BILLION_LAUGHS_DTD + body


def _billion_laughs_shared_strings(xml: bytes) -> bytes:
    return BILLION_LAUGHS_DTD.replace(b"worksheet", b"sst") + _strip_decl(xml).replace(b"<t>", b"<t>&j;", 1)


def _shared_strings(src: Path) -> str:
    with zipfile.ZipFile(src) as zf:
        names = zf.namelist()
    return "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in names else _obs_part(src)


def _not_xml(_: bytes) -> bytes:
    return b"\x00\x01garbage, not xml at all \xff\xfe"


def _cut_xml(xml: bytes) -> bytes:
    return xml[: len(xml) // 2]


def _workbook_part(_: Path) -> str:
    return "xl/workbook.xml"


def _sheet_row_beyond_excel(xml: bytes) -> bytes:
    # one cell past Excel's last row: damaged or forged
    return xml.replace(b"</sheetData>", b'<row r="1048577"><c r="A1048577"><v>1</v></c></row></sheetData>', 1)


def _one_far_cell(xml: bytes) -> bytes:
    # XFD1048576 holds a value: a reader filling the rectangle from A1 would allocate 17 billion cells
    return xml.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>', 1)


def _missing_sheet_part(src: Path, folder: Path) -> Path:
    part = _obs_part(src)
    dst = folder / "missing-part.xlsm"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != part:
                zout.writestr(info.filename, zin.read(info))
    return dst


def _corrupt_deflate(src: Path, folder: Path) -> Path:
    """Bytes inside the observations sheet's compressed data flipped; the zip directory is intact."""
    data = bytearray(src.read_bytes())
    part = _obs_part(src)
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(start + 40, start + min(info.compress_size, 1200), 11):
        data[k] ^= 0xA5
    p = folder / "corrupt.xlsm"
    p.write_bytes(bytes(data))
    return p


HOSTILE: list[tuple[str, Maker, tuple[str, ...]]] = [
    # id, maker, phrases the Chinese sentence must hold (any one of each tuple entry, joined by |)
    ("empty-file", _bytes(b"", "empty.xlsm"), ("空的",)),
    ("not-a-zip", _bytes(bytes(range(256)) * 64, "random.xlsx"), ("无法识别",)),
    ("truncated-zip", _truncated, ("损坏|不完整",)),
    ("zip-without-directory", _no_central_directory, ("损坏|不完整",)),
    ("corrupt-deflate-data", _corrupt_deflate, ("损坏",)),
    ("zip-bomb-ratio", _ratio_bomb, ("压缩炸弹", "200:1")),
    ("zip-bomb-declared-size", _lying_sizes, ("压缩炸弹", "3 GiB")),
    ("zip-bomb-member-count", _many_members, ("压缩炸弹", str(guard.MAX_MEMBERS))),
    ("billion-laughs-sheet", _xml_member(_obs_part, _billion_laughs, "laughs.xlsm"), ("DTD|实体",)),
    ("billion-laughs-shared-strings", _xml_member(_shared_strings, _billion_laughs_shared_strings, "sst.xlsm"),
     ("DTD|实体",)),
    ("workbook-not-xml", _xml_member(_workbook_part, _not_xml, "wbgarbage.xlsm"), ("XML|损坏",)),
    ("sheet-xml-cut", _xml_member(_obs_part, _cut_xml, "sheetcut.xlsm"), ("损坏",)),
    ("sheet-part-missing", _missing_sheet_part, ("损坏|缺少|找不到",)),
    ("row-beyond-excel-limit", _xml_member(_obs_part, _sheet_row_beyond_excel, "row.xlsm"), ("超出 Excel 上限",)),
    ("one-cell-at-XFD1048576", _xml_member(_obs_part, _one_far_cell, "far.xlsm"), ("超出|过大",)),
    ("password-encrypted", _encrypted, ("密码",)),
    ("csv-renamed-xlsx", _csv_renamed, ("CSV",)),
    ("xlsb", _xlsb, (".xlsb",)),
]


def _assert_refused(run_text: str, code: int, file_name: str, phrases: tuple[str, ...]) -> None:
    assert code == 2, run_text[:2000]
    assert one_sentence(run_text), run_text[:2000]
    assert file_name in run_text, run_text
    for alternatives in phrases:
        assert any(p in run_text for p in alternatives.split("|")), (alternatives, run_text)


@pytest.mark.parametrize("case_id,maker,phrases", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_file_is_refused_with_one_sentence(case_id: str, maker: Maker, phrases: tuple[str, ...],
                                                   valid_book: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = maker(valid_book, tmp_path)
    before = sha(path)
    for argv in (["validate", str(path)], ["validate", str(path), "--write"], ["recompute", str(path)]):
        run = run_cli(argv, capsys)
        _assert_refused(run.err + run.out, run.code, path.name, phrases)
        assert run.out == "", "the refusal goes to stderr, nothing to stdout"
        assert sha(path) == before, f"{argv[0]} changed the file"
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name], "no backup, temp or lock file left behind"


def test_english_refusal_is_english(valid_book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _encrypted(valid_book, tmp_path)
    run = run_cli(["--lang", "en", "validate", str(path)], capsys)
    assert run.code == 2 and one_sentence(run.err)
    assert "encrypted with a password" in run.err and not re.search(r"[\u4e00-\u9fff]", run.err)


# ── real files of other formats, converted by LibreOffice ─────────────────────────────────────────

@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The corpus book saved as .xls (Excel 97-2003) and .ods by LibreOffice, both at once."""
    from concurrent.futures import ThreadPoolExecutor

    from xlperf.excel.libreoffice import convert_many

    valid_book = shared_valid_book()
    out = tmp_path_factory.mktemp("lo")
    # Both at once, through xlperf's runner: on a new machine its first start is serialised (item 10).
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda fmt: convert_many([valid_book], fmt, out / fmt, recalc=False, timeout=180),
                      ("xls", "ods")))
    files = {fmt: out / fmt / f"valid.{fmt}" for fmt in ("xls", "ods")}
    for fmt, f in files.items():
        assert f.is_file() and f.stat().st_size > 1000, f"LibreOffice did not write the .{fmt}"
    return files


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt,name,phrase", [
    ("xls", "book.xls", "Excel 97-2003"),
    ("xls", "renamed.xlsx", "Excel 97-2003"),  # an .xls renamed to .xlsx is still named for what it is
    ("ods", "book.ods", ".ods"),
    ("ods", "renamed.xlsm", ".ods"),
])
def test_other_spreadsheet_formats_are_named(fmt: str, name: str, phrase: str, converted: dict[str, Path],
                                             tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / name
    path.write_bytes(converted[fmt].read_bytes())
    before = sha(path)
    run = run_cli(["validate", str(path)], capsys)
    _assert_refused(run.err, run.code, name, (phrase,))
    assert sha(path) == before


# ── XML entities are never resolved ───────────────────────────────────────────────────────────────

class _Listener:
    """A local TCP port that counts connections: an external entity pointing here must never fetch."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        self._stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            conn.close()

    def close(self) -> None:
        self._stop = True
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.fixture()
def listener() -> Iterator[_Listener]:
    lst = _Listener()
    yield lst
    lst.close()


def _xxe_sheet(xml: bytes, port: int, secret: Path) -> bytes:
    dtd = (f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE worksheet [<!ENTITY net SYSTEM '
           f'"http://127.0.0.1:{port}/leak"><!ENTITY file SYSTEM "{secret.as_uri()}">'
           f'<!ENTITY % p SYSTEM "http://127.0.0.1:{port}/dtd"> %p;]>\n').encode()
    body = re.sub(rb'<c r="I2"[^>]*?(?:/>|>.*?</c>)', b'<c r="I2" t="inlineStr"><is><t>&net;&file;</t></is></c>',
                  _strip_decl(xml), count=1, flags=re.DOTALL)
    return dtd + body


def _xxe_book(valid_book: Path, folder: Path, suffix: str, port: int, secret: Path) -> Path:
    """The observations sheet declaring external entities (a URL on a port we listen on, a local secret
    file, a parameter entity). With ``suffix`` other than .xml the same sheet part is stored under that
    name and registered with the worksheet content type, as a package may legally do."""
    part = _obs_part(valid_book)
    with zipfile.ZipFile(valid_book) as zf:
        xml = zf.read(part)
        ctypes = zf.read("[Content_Types].xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    new_part = part[: -len(".xml")] + suffix
    sheet_rels = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
    replace = {part: _xxe_sheet(xml, port, secret)}
    rename = {}
    if suffix != ".xml":
        rel_target = part.split("/", 1)[1]
        replace["xl/_rels/workbook.xml.rels"] = rels.replace(rel_target.encode(), rel_target[:-4].encode() + suffix.encode())
        replace["[Content_Types].xml"] = ctypes.replace(f'PartName="/{part}"'.encode(), f'PartName="/{new_part}"'.encode())
        rename = {part: new_part, sheet_rels: sheet_rels.replace(".xml.rels", f"{suffix}.rels")}
    return rezip(valid_book, folder / f"xxe{suffix}.xlsm", replace=replace, rename=rename)


@pytest.mark.parametrize("suffix", [".xml", ".dat"])
def test_external_entities_are_never_resolved(suffix: str, valid_book: Path, tmp_path: Path, listener: _Listener,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-4711", encoding="utf-8")
    path = _xxe_book(valid_book, tmp_path, suffix, listener.port, secret)
    before = sha(path)
    for argv in (["validate", str(path), "--json"], ["recompute", str(path), "--out", str(tmp_path / "out.xlsm")],
                 ["validate", str(path), "--write"]):
        run = run_cli(argv, capsys)
        assert no_traceback(run.text) and run.code != 4, run.text[:2000]
        assert "TOPSECRET" not in run.text
        assert listener.hits == 0, "an external entity was fetched"
        if "--write" not in argv:
            assert sha(path) == before
    for written in tmp_path.glob("*.xlsm"):  # whatever was written holds no resolved entity either
        with zipfile.ZipFile(written) as zf:
            assert not any(b"TOPSECRET" in zf.read(n) for n in zf.namelist())


@pytest.mark.parametrize("suffix", [".xml", ".dat"])
def test_a_part_declaring_a_dtd_is_refused_whatever_its_name(suffix: str, valid_book: Path, tmp_path: Path,
                                                              listener: _Listener,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """guard's promise: XML parts declaring a DTD are refused before any parser sees them. A sheet part
    is XML because its content type says so, not because its name ends in .xml."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-4711", encoding="utf-8")
    path = _xxe_book(valid_book, tmp_path, suffix, listener.port, secret)
    run = run_cli(["validate", str(path)], capsys)
    _assert_refused(run.err + run.out, run.code, path.name, ("DTD|实体",))


# ── big sheets ────────────────────────────────────────────────────────────────────────────────────

def _full_height_sheet(src: Path, dst: Path, rows: int = 1_048_576) -> Path:
    """A user's own scratch sheet (no table on it) using every one of Excel's 1 048 576 rows, written
    as raw XML, next to the contract tables; the zip is written once, streaming."""
    with zipfile.ZipFile(src) as zf:
        ctypes = zf.read("[Content_Types].xml").decode("utf-8")
        wb = zf.read("xl/workbook.xml").decode("utf-8")
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    ctypes = ctypes.replace("</Types>", '<Override PartName="/xl/worksheets/scratch.xml" ContentType="application/'
                            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
    rels = rels.replace("</Relationships>", '<Relationship Id="rIdScratch" Type="http://schemas.openxmlformats.org/'
                        'officeDocument/2006/relationships/worksheet" Target="worksheets/scratch.xml"/></Relationships>')
    ids = [int(x) for x in re.findall(r'sheetId="(\d+)"', wb)]
    wb = re.sub(r"</sheets>", f'<sheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
                f'name="草稿" sheetId="{max(ids) + 1}" r:id="rIdScratch"/></sheets>', wb, count=1)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "[Content_Types].xml":
                data = ctypes.encode()
            elif info.filename == "xl/workbook.xml":
                data = wb.encode()
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = rels.encode()
            zout.writestr(info, data)
        with zout.open("xl/worksheets/scratch.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.'
                     b'openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:A%d"/><sheetData>' % rows)
            step = 65_536
            for start in range(1, rows + 1, step):
                fh.write("".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>'
                                 for r in range(start, min(start + step, rows + 1))).encode())
            fh.write(b"</sheetData></worksheet>")
    return dst


def test_a_sheet_with_every_excel_row_neither_crashes_nor_hangs(valid_book: Path, tmp_path: Path) -> None:
    path = _full_height_sheet(valid_book, tmp_path / "tall.xlsm")
    with zipfile.ZipFile(path) as zf:
        assert b'<row r="1048576">' in zf.read("xl/worksheets/scratch.xml")[-120:]
    before = sha(path)
    # a real process with a timeout: a hang fails the test instead of stalling the suite
    run = run_cli_subprocess(["validate", str(path), "--json"], timeout=300)
    assert run.code == 0, run.text[:2000]
    assert no_traceback(run.text)
    assert sha(path) == before


def test_refusals_in_a_real_process_have_no_traceback(valid_book: Path, tmp_path: Path) -> None:
    for maker, phrase in ((_encrypted, "密码"), (_ratio_bomb, "压缩炸弹")):
        path = maker(valid_book, tmp_path)
        run = run_cli_subprocess(["validate", str(path)])
        _assert_refused(run.err + run.out, run.code, path.name, (phrase + "|不完整",))


def test_a_zip_just_inside_the_ratio_limit_is_read(valid_book: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """The limit is documented as a ratio for big parts: a big part compressed well, but below the
    limit, is an ordinary workbook (here 20 MiB of styled empty cells beside the observations)."""
    part = _obs_part(valid_book)
    with zipfile.ZipFile(valid_book) as zf:
        xml = zf.read(part)
    pad = "".join(f'<row r="{r}" spans="1:9"><c r="A{r}" s="1"/><c r="B{r}" s="1"/><c r="I{r}" s="1"/></row>'
                  for r in range(200, 200 + 240_000)).encode()
    patched = xml.replace(b"</sheetData>", pad + b"</sheetData>", 1)
    patched = re.sub(rb'<dimension ref="A1:[A-Z]+\d+"', b'<dimension ref="A1:I240199"', patched, count=1)
    assert len(patched) >= guard.RATIO_MIN_SIZE
    assert len(patched) / len(zlib.compress(patched, 6)) < guard.MAX_RATIO
    path = rezip(valid_book, tmp_path / "padded.xlsm", replace={part: patched})
    run = run_cli(["validate", str(path), "--json"], capsys)
    assert run.code == 0, run.text[:2000]


def _strict(xml: bytes) -> bytes:
    """Transitional → Strict OOXML: the namespaces and relationship types Excel writes when a book is
    saved as 'Strict Open XML Spreadsheet (*.xlsx)'."""
    return (xml.replace(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                        b"http://purl.oclc.org/ooxml/spreadsheetml/main")
            .replace(b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                     b"http://purl.oclc.org/ooxml/officeDocument/relationships"))


def test_strict_open_xml_gets_the_same_answer_from_every_command(valid_book: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """Whatever xlperf does with a Strict OOXML workbook, validate and recompute must agree: both read
    it, or both refuse it with one sentence naming the format — not 'valid' from one command and 'not an
    Excel workbook' from the next."""
    with zipfile.ZipFile(valid_book) as zf:
        replace = {n: _strict(zf.read(n)) for n in zf.namelist() if n.endswith((".xml", ".rels"))}
    path = rezip(valid_book, tmp_path / "strict.xlsx", replace=replace)
    before = sha(path)
    val = run_cli(["validate", str(path), "--json"], capsys)
    rec = run_cli(["recompute", str(path), "--out", str(tmp_path / "out.xlsx")], capsys)
    assert no_traceback(val.text + rec.text) and 4 not in (val.code, rec.code)
    assert sha(path) == before
    if val.code == 2:
        _assert_refused(val.err, val.code, path.name, ("Strict",))
        _assert_refused(rec.err, rec.code, path.name, ("Strict",))
    else:
        assert (val.code, rec.code) == (0, 0), (val.text[:500], rec.text[:500])
