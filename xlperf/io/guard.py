"""The door every file passes before xlperf reads it: refuse what is not a usable workbook, with one
sentence (zh + en) that names the problem, never a traceback.

What is refused, and why:
- missing, a folder, unreadable, empty (0 bytes);
- not an OOXML zip: .xls (BIFF in an OLE compound file), an OOXML workbook encrypted with a password
  (Excel stores those as an OLE compound file with ``EncryptionInfo`` + ``EncryptedPackage``), other
  OLE documents, CSV/text, HTML or Excel-2003 XML renamed to .xlsx, PDF, anything else;
- a zip that is damaged or cut short, or that is not an Excel workbook: .xlsb (``xl/workbook.bin``),
  .ods and other OpenDocument files, Word/PowerPoint files, a zip without a workbook part;
- a workbook saved as Strict Open XML (ISO/IEC 29500 Strict namespaces): xlperf writes results into
  the file and only writes the transitional format Excel saves by default, so every command refuses it
  with the same sentence and the Save As fix;
- zip bombs: more than ``MAX_MEMBERS`` members, more than ``MAX_TOTAL_UNCOMPRESSED`` bytes in all once
  unpacked, or a member of at least ``RATIO_MIN_SIZE`` bytes compressed more than ``MAX_RATIO`` : 1.
  Real workbooks stay far below: a 1 000 000-row sheet unpacks to about 300–450 MB at a ratio of about
  10 : 1; even rows of empty styled cells compress below 100 : 1, while DEFLATE bombs sit near 1000 : 1;
- XML parts declaring a DTD or entities (billion laughs, external entities): refused before any
  parser sees them, so nothing is ever expanded or fetched;
- zip-level encrypted members (not how Excel encrypts; nothing could read them);
- a sheet whose used rectangle is beyond Excel's limits or larger than ``MAX_GRID_CELLS`` (one far
  cell such as XFD1048576 would make a rectangle-filling reader allocate billions of cells):
  ``check_extent``, called by the reader with the extent the sheet scan measured, before calamine
  reads any sheet of up to ``EXTENT_CHECK_MAX_BYTES`` of XML (a bomb file is a few hundred bytes).

``open_package(path)`` runs all checks and returns the open ``ZipFile`` (the caller closes it);
``check_file(path)`` runs them and closes it again.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from ..errors import UnusableFileError
from . import opc

HEAD_BYTES = 8192
MAX_MEMBERS = 20_000
MAX_TOTAL_UNCOMPRESSED = 3 * 1024**3  # 3 GiB
MAX_RATIO = 200
RATIO_MIN_SIZE = 16 * 1024**2  # small parts may compress well; only big ones can hurt

# Sheet extent: calamine fills the rectangle from A1 to the last used cell, so one cell at XFD1048576
# would make it allocate 17 billion cells. Excel's own limits, and a budget for the rectangle that
# leaves room for a full 1 048 576-row sheet of 47 columns.
MAX_ROWS = 1_048_576
MAX_COLS = 16_384
MAX_GRID_CELLS = 50_000_000
# Sheets up to this size (unpacked XML) are measured before they are read. Bigger ones — real data
# of about 100 000 rows and more — are measured while calamine reads, to keep the million-row path
# fast: a far-cell bomb hidden in them would first need that much padding.
EXTENT_CHECK_MAX_BYTES = 32 * 1024**2

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
BIFF_MAGICS = (b"\x09\x00\x04\x00", b"\x09\x02", b"\x09\x04", b"\x09\x08")
XML_SUFFIXES = (".xml", ".rels", ".vml")
HINT_SAVE_AS = ("请在 Excel 中用“另存为”保存为 Excel 工作簿 (.xlsx) 或启用宏的工作簿 (.xlsm) 后再试。",
                ("Open it in Excel and use Save As → Excel Workbook (.xlsx) or Excel Macro-Enabled Workbook "
                 "(.xlsm), then retry."))


def _refuse(name: str, zh: str, en: str, hint: tuple[str, str] | None = None) -> UnusableFileError:
    hz, he = hint if hint else ("", "")
    return UnusableFileError(f"无法使用文件“{name}”：{zh}{hz}", f"Cannot use {name!r}: {en}{' ' + he if he else ''}")


def check_file(path: str | Path) -> None:
    """Raise UnusableFileError unless ``path`` is an .xlsx/.xlsm package xlperf can read safely."""
    open_package(path).close()


def open_package(path: str | Path) -> zipfile.ZipFile:
    """Check ``path`` and return it open as a zip (see the module docstring for every check)."""
    p = Path(path)
    name = p.name or str(p)
    head = _head(p, name)
    if head.startswith(CFB_MAGIC):
        raise _refuse_cfb(p, name)
    if not head.startswith(ZIP_MAGICS):
        raise _refuse_other(name, head)
    try:
        zf = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError, NotImplementedError) as exc:
        raise _refuse(name, "文件已损坏或不完整（zip 结构被截断或破坏），无法打开。",
                      "the file is damaged or incomplete (its zip structure is truncated or broken).",
                      ("请使用原始文件或备份（.bak）重新操作。", "Use the original file or its backup (.bak).")) from exc
    try:
        _check_members(zf, name)
    except BaseException:
        zf.close()
        raise
    return zf


def _head(p: Path, name: str) -> bytes:
    try:
        if not p.exists():
            raise _refuse(name, f"找不到该文件（{p}）。", f"the file does not exist ({p}).",
                          ("请检查路径和文件名。", "Check the path and the file name."))
        if p.is_dir():
            raise _refuse(name, "这是一个文件夹，不是工作簿文件。", "it is a folder, not a workbook file.")
        with p.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError as exc:
        raise _refuse(name, f"无法读取该文件（{exc.strerror or exc}）。",
                      f"the file cannot be read ({exc.strerror or exc}).",
                      ("请确认有读取权限，且文件未被其他程序独占。",
                       "Check that you may read it and no other program holds it exclusively.")) from exc
    if not head:
        raise _refuse(name, "文件是空的（0 字节）。", "the file is empty (0 bytes).",
                      ("请使用原始文件或备份（.bak）。", "Use the original file or its backup (.bak)."))
    return head


def _refuse_cfb(p: Path, name: str) -> UnusableFileError:
    """An OLE compound file: an encrypted OOXML workbook, an old .xls, or some other Office file."""
    streams: set[str] = set()
    try:
        import olefile

        with olefile.OleFileIO(str(p)) as ole:
            streams = {"/".join(entry).lower() for entry in ole.listdir(streams=True, storages=True)}
    except Exception:  # noqa: BLE001 - any parse failure just means we cannot tell which OLE file it is
        streams = set()
    if {"encryptioninfo", "encryptedpackage"} <= streams:
        return _refuse(name, "工作簿设置了打开密码（已加密），xlperf 无法读取加密文件。",
                       "the workbook is encrypted with a password; xlperf cannot read encrypted files.",
                       ("请在 Excel 中打开，在“文件 → 信息 → 保护工作簿 → 用密码进行加密”中清除密码并保存后再试。",
                        ("Open it in Excel, clear the password under File → Info → Protect Workbook → "
                         "Encrypt with Password, save, and retry.")))
    if "workbook" in streams or "book" in streams:
        return _refuse(name, "这是旧版 Excel 97-2003 工作簿（.xls），xlperf 只支持 .xlsx/.xlsm。",
                       "this is an old Excel 97-2003 workbook (.xls); xlperf reads only .xlsx/.xlsm.", HINT_SAVE_AS)
    if streams:
        return _refuse(name, "这是 OLE 复合文档（如旧版 Word/PowerPoint 文件），不是 Excel 工作簿。",
                       "this is an OLE compound document (e.g. an old Word or PowerPoint file), not an Excel workbook.")
    return _refuse(name, "这是已损坏的 OLE 复合文档（旧版 .xls 或加密工作簿），无法读取。",
                   "this is a damaged OLE compound document (an old .xls or an encrypted workbook); it cannot be read.",
                   HINT_SAVE_AS)


def _refuse_other(name: str, head: bytes) -> UnusableFileError:
    """Not a zip and not OLE: say what it looks like."""
    if head.startswith(BIFF_MAGICS):
        return _refuse(name, "这是旧版 Excel 二进制工作簿（.xls，BIFF 格式），xlperf 只支持 .xlsx/.xlsm。",
                       "this is an old binary Excel workbook (.xls, BIFF); xlperf reads only .xlsx/.xlsm.", HINT_SAVE_AS)
    if head.startswith(b"%PDF"):
        return _refuse(name, "这是 PDF 文件，不是 Excel 工作簿。", "this is a PDF file, not an Excel workbook.")
    text = _as_text(head)
    if text is not None:
        start = text.lstrip("\ufeff \t\r\n").lower()
        if start.startswith("<"):
            if "urn:schemas-microsoft-com:office:spreadsheet" in start:
                return _refuse(name, "这是 Excel 2003 XML 表格（SpreadsheetML），不是 .xlsx/.xlsm 工作簿。",
                               "this is an Excel 2003 XML spreadsheet (SpreadsheetML), not an .xlsx/.xlsm workbook.",
                               HINT_SAVE_AS)
            if "<html" in start or "<table" in start or "<!doctype html" in start:
                return _refuse(name, "这是网页（HTML）文件，只是扩展名被改成了 Excel 的扩展名。",
                               "this is a web page (HTML) saved with an Excel file extension.", HINT_SAVE_AS)
            return _refuse(name, "这是 XML 文本文件，不是 .xlsx/.xlsm 工作簿。",
                           "this is an XML text file, not an .xlsx/.xlsm workbook.", HINT_SAVE_AS)
        first_line = start.splitlines()[0] if start else ""
        if any(sep in first_line for sep in (",", "\t", ";", "，")):
            return _refuse(name, "这是 CSV/文本文件，只是扩展名被改成了 .xlsx。",
                           "this is a CSV/text file renamed to an Excel extension.",
                           ("请用 xlperf import 导入 CSV，或在 Excel 中打开后另存为 .xlsx。",
                            "Load CSV files with `xlperf import`, or open it in Excel and save it as .xlsx."))
        return _refuse(name, "这是纯文本文件，不是 Excel 工作簿。", "this is a plain text file, not an Excel workbook.")
    return _refuse(name, "无法识别的文件格式，不是 .xlsx/.xlsm 工作簿。",
                   "the format is not recognised; it is not an .xlsx/.xlsm workbook.", HINT_SAVE_AS)


def _as_text(head: bytes) -> str | None:
    """The head decoded as text (UTF-8/UTF-16/GB18030), or None for binary data."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore")
    if b"\x00" in head:
        return None
    # A multi-byte character may be cut at the end of the head: decode up to the last newline.
    cut = head.rfind(b"\n") if len(head) >= HEAD_BYTES else -1
    body = head[: cut + 1] if cut > 0 else head
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = body.decode(enc)
        except UnicodeDecodeError:
            continue
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
        return text if printable >= 0.95 * max(len(text), 1) else None
    return None


def _check_members(zf: zipfile.ZipFile, name: str) -> None:
    infos = zf.infolist()
    names = {i.filename.lower() for i in infos}
    if len(infos) > MAX_MEMBERS:
        raise _bomb(name, f"包含 {len(infos)} 个部件（上限 {MAX_MEMBERS}）", f"it holds {len(infos)} parts (limit {MAX_MEMBERS})")
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise _bomb(name, f"解压后共 {total / 1024**3:.1f} GiB（上限 {MAX_TOTAL_UNCOMPRESSED / 1024**3:.0f} GiB）",
                    f"it unpacks to {total / 1024**3:.1f} GiB (limit {MAX_TOTAL_UNCOMPRESSED / 1024**3:.0f} GiB)")
    for i in infos:
        if i.file_size >= RATIO_MIN_SIZE and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            ratio = i.file_size / max(i.compress_size, 1)
            raise _bomb(name, f"部件 {i.filename} 的压缩比为 {ratio:.0f}:1（上限 {MAX_RATIO}:1）",
                        f"part {i.filename} is compressed {ratio:.0f}:1 (limit {MAX_RATIO}:1)")
        if i.flag_bits & 0x1:
            raise _refuse(name, "zip 包中的部件被加密，不是 Excel 的加密方式，无法读取。",
                          "parts of the zip are encrypted (not the way Excel encrypts workbooks); they cannot be read.",
                          HINT_SAVE_AS)
    _check_kind(zf, name, names)
    for i in infos:
        if i.is_dir():
            continue
        named_xml = i.filename.lower().endswith(XML_SUFFIXES)
        try:
            with zf.open(i) as fh:
                prefix = fh.read(opc.PREFIX_BYTES)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError) as exc:
            if not named_xml:
                continue  # a damaged image or binary part: not ours to judge, and nothing parses it as XML
            raise _refuse(name, f"文件已损坏（部件 {i.filename} 无法解压）。",
                          f"the file is damaged (part {i.filename} cannot be unpacked).",
                          ("请使用原始文件或备份（.bak）。", "Use the original file or its backup (.bak).")) from exc
        # A part is XML by its content (and content type), not its name: a sheet stored as
        # xl/worksheets/sheet1.dat is parsed as XML all the same, so its DTD is refused too.
        if (named_xml or _looks_like_xml(prefix)) and opc.has_dtd(prefix):
            raise opc.refuse_dtd(i.filename, name)


def _looks_like_xml(prefix: bytes) -> bool:
    return opc.decode_prefix(prefix).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _check_kind(zf: zipfile.ZipFile, name: str, names: set[str]) -> None:
    """A zip, but which kind? Only a SpreadsheetML package with a workbook part goes on."""
    if "xl/workbook.bin" in names:
        raise _refuse(name, "这是 Excel 二进制工作簿（.xlsb），xlperf 只支持 .xlsx/.xlsm。",
                      "this is an Excel binary workbook (.xlsb); xlperf reads only .xlsx/.xlsm.", HINT_SAVE_AS)
    if "mimetype" in names or ("content.xml" in names and "meta-inf/manifest.xml" in names):
        mime = ""
        try:
            mime = zf.read("mimetype").decode("ascii", errors="ignore").strip() if "mimetype" in names else ""
        except (KeyError, zipfile.BadZipFile, zlib.error, OSError):
            pass
        if "spreadsheet" in mime or not mime:
            raise _refuse(name, "这是 OpenDocument 表格（.ods，如 WPS/LibreOffice 格式），xlperf 只支持 .xlsx/.xlsm。",
                          "this is an OpenDocument spreadsheet (.ods); xlperf reads only .xlsx/.xlsm.",
                          ("请在 WPS/LibreOffice/Excel 中另存为 .xlsx 后再试。",
                           "Save it as .xlsx from LibreOffice, WPS or Excel and retry."))
        raise _refuse(name, f"这是 OpenDocument 文档（{mime}），不是 Excel 工作簿。",
                      f"this is an OpenDocument file ({mime}), not an Excel workbook.")
    if "word/document.xml" in names:
        raise _refuse(name, "这是 Word 文档，不是 Excel 工作簿。", "this is a Word document, not an Excel workbook.")
    if "ppt/presentation.xml" in names:
        raise _refuse(name, "这是 PowerPoint 演示文稿，不是 Excel 工作簿。", "this is a PowerPoint file, not an Excel workbook.")
    main = opc.main_part(zf, name)
    if main.lower() not in names:
        raise _refuse(name, "这是一个 zip 压缩包，但不是 Excel 工作簿（缺少 xl/workbook.xml）。",
                      "this is a zip archive but not an Excel workbook (it has no xl/workbook.xml).")
    if _is_strict(zf, main):
        raise _refuse_strict(name)


def _is_strict(zf: zipfile.ZipFile, main: str) -> bool:
    """Whether the workbook part is Strict Open XML (its root in the ISO/IEC 29500 Strict namespace)."""
    try:
        with zf.open(next(i for i in zf.infolist() if i.filename.lower() == main.lower())) as fh:
            prefix = opc.decode_prefix(fh.read(opc.PREFIX_BYTES))
    except (StopIteration, zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError):
        return False  # damage is reported by the checks that follow
    return opc.NS_MAIN_STRICT.encode() in prefix


def _refuse_strict(name: str) -> UnusableFileError:
    # Excel's "Strict Open XML Spreadsheet" format names every part and relationship differently; the
    # reader could read it, but xlperf's writes (results, backups, shared copies) could not keep it
    # intact, so every command refuses it up front with the same sentence.
    return _refuse(name, "这是“Strict Open XML 电子表格”格式的工作簿，xlperf 不支持该格式。",
                   "this workbook is in the 'Strict Open XML Spreadsheet' format, which xlperf does not support.",
                   ("请在 Excel 中另存为“Excel 启用宏的工作簿 (*.xlsm)”或“Excel 工作簿 (*.xlsx)”后再试。",
                    ("Open it in Excel and use Save As → Excel Macro-Enabled Workbook (*.xlsm) or Excel Workbook "
                     "(*.xlsx), then retry.")))


def _bomb(name: str, zh: str, en: str) -> UnusableFileError:
    return _refuse(name, f"文件疑似“压缩炸弹”：{zh}，为保护电脑拒绝读取。",
                   f"the file looks like a zip bomb: {en}; it is refused to protect this computer.")


def check_extent(source: str, sheet: str, max_row: int, max_col: int) -> None:
    """Refuse a sheet whose used rectangle (A1 to row ``max_row``, 0-based column ``max_col``) is beyond
    Excel's limits or too large to read safely."""
    name = source
    if max_row > MAX_ROWS or max_col >= MAX_COLS:
        raise _refuse(name, f"工作表“{sheet}”引用了超出 Excel 上限的单元格（第 {max_row} 行、第 {max_col + 1} 列），文件已损坏或被篡改。",
                      f"the sheet {sheet!r} refers to cells beyond Excel's limits (row {max_row}, column {max_col + 1}); "
                      "the file is damaged or was tampered with.", HINT_SAVE_AS)
    cells = max_row * (max_col + 1)
    if cells > MAX_GRID_CELLS:
        raise _refuse(name, f"工作表“{sheet}”的使用区域过大（{max_row} 行 × {max_col + 1} 列，上限 {MAX_GRID_CELLS} 个单元格），为保护电脑拒绝读取。",
                      f"the used range of the sheet {sheet!r} is too large ({max_row} rows × {max_col + 1} columns; "
                      f"limit {MAX_GRID_CELLS} cells); it is refused to protect this computer.",
                      ("请删除远离数据区域的单元格内容（Ctrl+End 可找到最后一个使用的单元格）后保存再试。",
                       "Clear the cells far away from the data (Ctrl+End shows the last used cell), save and retry."))
