"""Read-side helpers for the .xlsx/.xlsm package: which sheets there are, which part holds each one,
and which Excel tables (ListObjects) sit on which sheet.

Only the small parts are parsed here (workbook.xml, relationships, table parts), with a hardened lxml
parser: no DTD, no entity resolution, no network. A part that declares a DTD is refused outright
(``refuse_dtd``) rather than parsed with its entities left unexpanded, because a workbook never needs
one and a DTD is how XML entity attacks start. Sheet XML is never parsed here: it can be hundreds of
megabytes and is read by calamine (values) and by ``reader``'s streaming scan (formulas, errors,
merged cells).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from lxml import etree

from ..errors import UnusableFileError

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_MAIN_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_R_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships"

REL_OFFICE_DOC = "/officeDocument"
REL_WORKSHEET = "/worksheet"
REL_TABLE = "/table"

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          dtd_validation=False)

# A DTD has to come before the root element, so looking at the start of a part is enough; 64 KiB
# leaves room for a long leading comment.
PREFIX_BYTES = 64 * 1024
_DTD_RE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def decode_prefix(prefix: bytes) -> bytes:
    """The start of an XML part as UTF-8-ish bytes, so UTF-16 parts cannot hide a DOCTYPE."""
    if prefix.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(prefix) > 1 and (prefix[0] == 0 or prefix[1] == 0)):
        enc = "utf-16-be" if prefix.startswith(b"\xfe\xff") or prefix[0] == 0 else "utf-16-le"
        return prefix.decode(enc, errors="ignore").encode("utf-8")
    return prefix


def has_dtd(prefix: bytes) -> bool:
    return _DTD_RE.search(decode_prefix(prefix)) is not None


def refuse_dtd(part: str, source: str = "") -> UnusableFileError:
    where = f"{source}: " if source else ""
    return UnusableFileError(
        f"{where}文件中的 {part} 含有 DTD/实体声明（可能是 XML 实体攻击），为安全起见拒绝读取。请用 Excel 另存为新的 .xlsx/.xlsm 后再试。",
        f"{where}{part} in this file declares a DTD or XML entities (a known XML attack); it is refused for "
        "safety. Save the workbook again from Excel as a new .xlsx/.xlsm and retry.")


def parse_xml(data: bytes, part: str, source: str = "") -> Any:
    """Parse a small part; refuse DTDs; turn malformed XML into UnusableFileError."""
    if has_dtd(data[:PREFIX_BYTES]):
        raise refuse_dtd(part, source)
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise UnusableFileError(
            f"{source + ': ' if source else ''}文件中的 {part} 不是有效的 XML，文件可能已损坏。请在 Excel 中打开并另存后再试。",
            f"{source + ': ' if source else ''}{part} in this file is not valid XML; the file may be damaged. "
            "Open it in Excel, save it again and retry.") from exc


def local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def rel_attr(el: Any, name: str) -> str | None:
    """An r:-namespaced attribute, transitional or strict."""
    value = el.get(f"{{{NS_R}}}{name}")
    if value is None:
        value = el.get(f"{{{NS_R_STRICT}}}{name}")
    return value if value is None else str(value)


def rels_part(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def resolve(source_part: str, target: str) -> str:
    target = unquote(target)
    if target.startswith("/"):
        return posixpath.normpath(target[1:])
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target)).lstrip("/")


@dataclass(frozen=True)
class Relationship:
    id: str
    type: str
    target: str  # resolved part name (no leading slash) unless external
    external: bool = False


@dataclass(frozen=True)
class TablePart:
    """One Excel table (ListObject) as declared in xl/tables/tableN.xml."""

    name: str  # displayName (what Excel shows and formulas use)
    part: str
    ref: str  # e.g. "A1:I1001"
    header_rows: int  # headerRowCount: 1 normally, 0 when the header row is switched off
    totals_rows: int
    columns: tuple[str, ...]

    @property
    def bounds(self) -> tuple[int, int, int, int]:
        """(first row, first col, last row, last col): rows 1-based, columns 0-based."""
        return parse_ref(self.ref)


@dataclass
class SheetEntry:
    name: str
    part: str  # e.g. "xl/worksheets/sheet1.xml"; "" when the relationship is broken
    state: str = "visible"  # visible | hidden | veryHidden
    kind: str = "worksheet"  # worksheet | chartsheet | dialogsheet | macrosheet
    tables: list[TablePart] = field(default_factory=list)


@dataclass
class WorkbookInfo:
    workbook_part: str
    sheets: list[SheetEntry]

    def sheet(self, name: str) -> SheetEntry | None:
        for s in self.sheets:
            if s.name == name:
                return s
        return None

    def tables(self) -> list[tuple[SheetEntry, TablePart]]:
        return [(s, t) for s in self.sheets for t in s.tables]


_CELL_RE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def parse_cell(ref: str) -> tuple[int, int]:
    """'B7' → (7, 1): 1-based row, 0-based column."""
    m = _CELL_RE.match(ref.strip())
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + (ord(ch) - 64)
    return int(m.group(2)), col - 1


def parse_ref(ref: str) -> tuple[int, int, int, int]:
    """'A1:C9' → (1, 0, 9, 2); a single cell is a 1×1 range."""
    first, _, last = ref.partition(":")
    r1, c1 = parse_cell(first)
    r2, c2 = parse_cell(last) if last else (r1, c1)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def damaged(source: str, part: str) -> UnusableFileError:
    where = f"“{source}”" if source else ""
    return UnusableFileError(
        f"无法使用文件{where}：文件已损坏（部件 {part} 无法解压）。请使用原始文件或备份（.bak）。",
        f"Cannot use {source!r}: the file is damaged (part {part} cannot be unpacked). "
        "Use the original file or its backup (.bak).")


def read_part(zf: zipfile.ZipFile, name: str, source: str = "") -> bytes | None:
    """A part's bytes by name, tolerating case differences (Excel is case-insensitive)."""
    try:
        try:
            return zf.read(name)
        except KeyError:
            lower = name.lower()
            for info in zf.infolist():
                if info.filename.lower() == lower:
                    return zf.read(info)
        return None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise damaged(source, name) from exc


def read_rels(zf: zipfile.ZipFile, part: str, source: str = "") -> list[Relationship]:
    name = rels_part(part) if part else "_rels/.rels"
    data = read_part(zf, name, source)
    if data is None:
        return []
    root = parse_xml(data, name, source)
    out = []
    for el in root:
        if local(el.tag) != "Relationship":
            continue
        external = (el.get("TargetMode") or "").lower() == "external"
        target = el.get("Target") or ""
        out.append(Relationship(el.get("Id") or "", el.get("Type") or "",
                                target if external else resolve(part, target), external))
    return out


def main_part(zf: zipfile.ZipFile, source: str = "") -> str:
    for rel in read_rels(zf, "", source):
        if rel.type.endswith(REL_OFFICE_DOC) and not rel.external:
            return rel.target
    return "xl/workbook.xml"


def read_table_part(zf: zipfile.ZipFile, part: str, source: str = "") -> TablePart | None:
    data = read_part(zf, part, source)
    if data is None:
        return None
    root = parse_xml(data, part, source)
    name = root.get("displayName") or root.get("name") or ""
    ref = root.get("ref") or ""
    try:
        parse_ref(ref)
    except ValueError:
        return None
    columns: list[str] = []
    for child in root:
        if local(child.tag) == "tableColumns":
            columns = [str(c.get("name") or "") for c in child if local(c.tag) == "tableColumn"]
    return TablePart(name=str(name), part=part, ref=str(ref),
                     header_rows=_int(root.get("headerRowCount"), 1),
                     totals_rows=_int(root.get("totalsRowCount"), 0),
                     columns=tuple(columns))


def _int(value: object, default: int) -> int:
    try:
        return int(str(value)) if value is not None else default
    except ValueError:
        return default


def read_workbook(zf: zipfile.ZipFile, source: str = "") -> WorkbookInfo:
    """Sheets in order with their parts, visibility and tables."""
    wb_part = main_part(zf, source)
    data = read_part(zf, wb_part, source)
    if data is None:
        raise UnusableFileError(
            f"{source + ': ' if source else ''}文件中缺少工作簿主体（{wb_part}），不是完整的 Excel 工作簿。",
            f"{source + ': ' if source else ''}The file has no workbook part ({wb_part}); it is not a complete Excel workbook.")
    root = parse_xml(data, wb_part, source)
    rels = {r.id: r for r in read_rels(zf, wb_part, source)}
    sheets: list[SheetEntry] = []
    for el in root.iter():
        if local(el.tag) != "sheet":
            continue
        rid = rel_attr(el, "id") or ""
        rel = rels.get(rid)
        part = rel.target if rel is not None and not rel.external else ""
        kind = rel.type.rsplit("/", 1)[-1] if rel is not None else "worksheet"
        entry = SheetEntry(name=str(el.get("name") or ""), part=part, state=str(el.get("state") or "visible"),
                           kind=kind)
        if part and kind == "worksheet":
            for srel in read_rels(zf, part, source):
                if srel.type.endswith(REL_TABLE) and not srel.external:
                    table = read_table_part(zf, srel.target, source)
                    if table is not None:
                        entry.tables.append(table)
        sheets.append(entry)
    return WorkbookInfo(wb_part, sheets)
