"""An editor for an existing .xlsx/.xlsm package that changes only what xlperf owns.

``Package.open(path)`` reads the zip; ``put_sheet`` adds a sheet (or replaces a sheet xlperf wrote
before, keeping its position, sheet id and part name); ``save(fp)`` writes a new zip in which every
member xlperf did not change is copied with its original compressed bytes (``zipwrite``), so the
user's other sheets, drawings, charts, pivot tables, VBA project and ribbon are byte-identical.

The parts that must change to register a sheet — ``xl/workbook.xml``, its relationships,
``[Content_Types].xml``, ``docProps/app.xml`` — are edited as text (``xmltext``): elements are added
(or, for xlperf's own earlier parts, removed); nothing else in them moves.

Ownership: a sheet is xlperf's when it carries the hidden sheet-level defined name ``_xlperf_owned``
(which xlperf adds to every sheet it creates; Excel keeps hidden names) or holds a table whose name
starts with ``xp_`` (the output ListObjects of the contract). ``put_sheet`` refuses to replace any
other sheet unless told to (``replace_foreign=True``, used by ``replace_table_rows`` on input sheets).

Free-form sheets (feedback sheets with merged cells and charts) go through the same door::

    pkg = Package.open(path)
    pkg.prepare_sheet("反馈-V001")             # frees an earlier version's parts (stable part names)
    drawing = pkg.allocate("xl/drawings/drawing{n}.xml")
    chart = pkg.allocate("xl/charts/chart{n}.xml")
    pkg.put_sheet("反馈-V001", sheet_xml,
                  rels=[Rel("rId1", RT_DRAWING, drawing)],
                  parts={drawing: Part(drawing_xml, CT_DRAWING, (Rel("rId1", RT_CHART, chart),)),
                         chart: Part(chart_xml, CT_CHART)})
    with atomic_write(path) as fp:              # xlperf.io.safesave
        pkg.save(fp)
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote, unquote

from ..errors import UnusableFileError, WriteError
from . import opc
from . import xmltext as xt
from .zipwrite import Chunk, RawZipWriter

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"

RT_OFFICE_DOC = NS_R + "/officeDocument"
RT_WORKSHEET = NS_R + "/worksheet"
RT_TABLE = NS_R + "/table"
RT_DRAWING = NS_R + "/drawing"
RT_CHART = NS_R + "/chart"
RT_IMAGE = NS_R + "/image"
RT_HYPERLINK = NS_R + "/hyperlink"
RT_STYLES = NS_R + "/styles"
RT_CALC_CHAIN = NS_R + "/calcChain"
RT_EXTENDED = NS_R + "/extended-properties"

CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_TABLE = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"
CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"
CT_PNG = "image/png"

OWNED_NAME = "_xlperf_owned"
PRINT_TITLES = "_xlnm.Print_Titles"
OWNED_TABLE_PREFIX = "xp_"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

Content = bytes | Callable[[], Iterable[Chunk]]  # bytes, or a factory of a chunk stream (big sheets)


@dataclass(frozen=True)
class Rel:
    """A relationship from a part xlperf writes. ``target`` is a part name ('xl/charts/chart3.xml',
    no leading slash) or, with ``external=True``, a URL."""

    id: str
    type: str
    target: str
    external: bool = False


@dataclass(frozen=True)
class Part:
    """An extra part written with a sheet (table, drawing, chart, image...), with its own rels."""

    data: bytes
    content_type: str
    rels: tuple[Rel, ...] = ()


@dataclass
class SheetInfo:
    name: str
    sheet_id: int
    rid: str
    part: str  # e.g. 'xl/worksheets/sheet3.xml'
    state: str = "visible"


@dataclass
class _Pending:
    content: Content
    level: int


# The relationships part of a part ('xl/workbook.xml' → 'xl/_rels/workbook.xml.rels'), cached because
# the writer asks for it per sheet and per drawing; the read side's definitions are the one truth.
rels_name = lru_cache(maxsize=65536)(opc.rels_part)
_resolve = opc.resolve


def _relative(source_part: str, target_part: str) -> str:
    return quote(posixpath.relpath(target_part, posixpath.dirname(source_part) or "."), safe="/._-~")


def render_rels(source_part: str, rels: Sequence[Rel]) -> bytes:
    """A relationships part for ``source_part`` holding ``rels``."""
    items = []
    for r in rels:
        target = r.target if r.external else _relative(source_part, r.target)
        mode = ' TargetMode="External"' if r.external else ""
        items.append(f'<Relationship Id="{xt.esc_attr(r.id)}" Type="{xt.esc_attr(r.type)}" '
                     f'Target="{xt.esc_attr(target)}"{mode}/>')
    return (XML_DECL + f'<Relationships xmlns="{NS_PKG_REL}">' + "".join(items)
            + "</Relationships>").encode("utf-8")


_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def check_sheet_name(name: str) -> None:
    """Excel's rules for sheet names, as a WriteError in both languages."""
    if (not name or len(name) > 31 or _BAD_SHEET_CHARS.search(name) or name.startswith("'")
            or name.endswith("'") or name.lower() == "history"):
        raise WriteError(
            f"工作表名称“{name}”不符合 Excel 规则（1–31 个字符，不含 [ ] : * ? / \\，不以 ' 开头或结尾）。",
            f"Sheet name {name!r} breaks Excel's rules (1-31 characters, none of [ ] : * ? / \\, "
            "no leading or trailing ').")


def quote_sheet(name: str) -> str:
    """A sheet name as formulas and hyperlinks spell it: 'It''s'."""
    return "'" + name.replace("'", "''") + "'"


class Package:
    """An open workbook package; see the module docstring. Nothing is written until ``save``."""

    def __init__(self, data: bytes, source: str = "") -> None:
        self.source = source
        self._data = data
        try:
            self._zip = zipfile.ZipFile(BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise UnusableFileError(f"“{source}”不是有效的 Excel 工作簿（无法作为 zip 打开）。",
                                    f"{source!r} is not a valid Excel workbook (not a readable zip).") from exc
        self._infos: dict[str, zipfile.ZipInfo] = {}
        self._lower: dict[str, str] = {}
        for info in infos:
            self._infos[info.filename] = info  # folder entries too: they are copied like the rest
            if not info.filename.endswith("/"):
                self._lower[info.filename.lower()] = info.filename
        self._pending: dict[str, _Pending] = {}
        self._removed: set[str] = set()
        self._ct_wanted: dict[str, str] = {}  # parts added or replaced by xlperf → content type
        self._allocated: set[str] = set()
        self._allocated_table_ids: set[int] = set()
        self._prepared: set[str] = set()
        self._rels_cache: dict[str, list[Rel]] = {}
        # parsing workbook.xml again for every sheet would make 200 feedback sheets quadratic; these
        # memos hold while the edited texts are the same string objects
        self._sheets_memo: tuple[str, str, list[SheetInfo]] | None = None
        self._names_memo: tuple[str, list[xt.Span]] | None = None
        root_rels = self.rels_of("")
        wb = [r.target for r in root_rels if r.type == RT_OFFICE_DOC and not r.external]
        if not wb or not self.has(wb[0]):
            raise UnusableFileError(f"“{source}”不是 Excel 工作簿（缺少 workbook 部件）。",
                                    f"{source!r} is not an Excel workbook (no workbook part).")
        self.workbook_part = wb[0]
        app = [r.target for r in root_rels if r.type == RT_EXTENDED and not r.external]
        self.app_part: str | None = app[0] if app and self.has(app[0]) else None
        try:
            self._wb_text = self.read(self.workbook_part).decode("utf-8")
            self._wb_rels_text = self.read(rels_name(self.workbook_part)).decode("utf-8")
            self._ct_text = self.read("[Content_Types].xml").decode("utf-8")
            app_text = self.read(self.app_part).decode("utf-8") if self.app_part else None
            root = xt.parse(self._wb_text)
        except (KeyError, UnicodeDecodeError, ValueError) as exc:
            raise UnusableFileError(f"“{source}”的工作簿结构不完整或已损坏，无法写入。",
                                    f"{source!r} has a damaged or incomplete workbook structure; cannot write it.") from exc
        self._app_text = app_text
        if root.nsmap.get(None) != NS_MAIN and NS_MAIN not in root.nsmap.values():
            raise UnusableFileError(
                f"“{source}”使用 Strict Open XML 格式，xlperf 无法写入；请在 Excel 中另存为普通工作簿。",
                f"{source!r} uses Strict Open XML, which xlperf cannot write; save it as a normal workbook.")
        self._r_prefix = next((p for p, ns in root.nsmap.items() if ns == NS_R and p), None)

    # ---------------------------------------------------------------- opening and reading
    @classmethod
    def open(cls, path: str | Path) -> Package:
        from .guard import check_file  # the read side's door: bombs, wrong formats, DTDs

        p = Path(path)
        check_file(p)
        try:
            data = p.read_bytes()
        except FileNotFoundError as exc:
            raise UnusableFileError(f"找不到文件：{p}", f"File not found: {p}") from exc
        except OSError as exc:
            raise UnusableFileError(f"无法读取文件 {p}：{exc.strerror}", f"Cannot read {p}: {exc.strerror}") from exc
        return cls(data, str(p))

    def _real(self, name: str) -> str | None:
        return self._lower.get(name.lower())

    def has(self, name: str) -> bool:
        if name in self._pending:
            return True
        real = self._real(name)
        return real is not None and real not in self._removed

    def part_names(self) -> list[str]:
        """Every part in the package as it will be saved, in zip order."""
        names = [n for n in self._infos if n not in self._removed and not n.endswith("/")]
        return names + [n for n in self._pending if n not in self._infos]

    def read(self, name: str) -> bytes:
        """The current content of a part (pending content if xlperf replaced it)."""
        if name in self._pending:
            c = self._pending[name].content
            return c if isinstance(c, bytes) else b"".join(ch if isinstance(ch, bytes) else ch() for ch in c())
        real = self._real(name)
        if real is None or real in self._removed:
            raise KeyError(name)
        if hasattr(self, "_app_text"):  # opened: the registry parts may carry xlperf's edits
            if real == self.workbook_part:
                return self._wb_text.encode("utf-8")
            if real == rels_name(self.workbook_part):
                return self._wb_rels_text.encode("utf-8")
            if real == "[Content_Types].xml":
                return self._content_types().encode("utf-8")
            if real == self.app_part and self._app_text is not None:
                return self._app_text.encode("utf-8")
        return self._zip.read(real)

    def rels_of(self, part: str) -> list[Rel]:
        """Relationships of ``part`` ('' = the package root), targets resolved to part names."""
        rname = "_rels/.rels" if part == "" else rels_name(part)
        if rname in self._rels_cache:
            return self._rels_cache[rname]
        if not self.has(rname):
            return []
        out = []
        for el in xt.parse(self.read(rname)):
            if xt.local(el.tag) != "Relationship":
                continue
            external = el.get("TargetMode") == "External"
            target = el.get("Target", "")
            out.append(Rel(el.get("Id", ""), el.get("Type", ""),
                           target if external else _resolve(part, target), external))
        self._rels_cache[rname] = out
        return out

    def sheets(self) -> list[SheetInfo]:
        """The workbook's sheets in tab order."""
        memo = self._sheets_memo
        if memo is not None and memo[0] is self._wb_text and memo[1] is self._wb_rels_text:
            return list(memo[2])
        rels = {r.id: r.target for r in self.rels_of(self.workbook_part)}
        out = []
        for sp in xt.elements(self._wb_text, "sheet"):
            rid = next((v for k, v in sp.attrs.items() if k.endswith(":id") or k == "id"), "")
            out.append(SheetInfo(sp.attrs.get("name", ""), int(sp.attrs.get("sheetId", "0")), rid,
                                 rels.get(rid, ""), sp.attrs.get("state", "visible")))
        self._sheets_memo = (self._wb_text, self._wb_rels_text, out)
        return list(out)

    def sheet(self, name: str) -> SheetInfo | None:
        return next((s for s in self.sheets() if s.name.lower() == name.lower()), None)

    def tables_of(self, sheet_part: str) -> list[tuple[str, str]]:
        """(table part, table name) for each ListObject on a sheet."""
        out = []
        for r in self.rels_of(sheet_part):
            if r.type == RT_TABLE and not r.external and self.has(r.target):
                root = xt.parse(self.read(r.target))
                out.append((r.target, root.get("name", "")))
        return out

    def defined_names(self) -> list[xt.Span]:
        memo = self._names_memo
        if memo is not None and memo[0] is self._wb_text:
            return memo[1]
        dn = xt.first(self._wb_text, "definedNames")
        out = [] if dn is None else list(xt.elements(self._wb_text, "definedName", dn.start, dn.end))
        self._names_memo = (self._wb_text, out)
        return out

    def is_owned(self, name: str) -> bool:
        """Whether the sheet called ``name`` is xlperf's to replace (see the module docstring)."""
        sheets = self.sheets()
        idx = next((i for i, s in enumerate(sheets) if s.name.lower() == name.lower()), None)
        if idx is None:
            return False
        for d in self.defined_names():
            if d.attrs.get("name") == OWNED_NAME and d.attrs.get("localSheetId") == str(idx):
                return True
        return any(t.startswith(OWNED_TABLE_PREFIX) for _, t in self.tables_of(sheets[idx].part))

    # ---------------------------------------------------------------- allocation
    def allocate(self, pattern: str) -> str:
        """A free part name from a pattern with ``{n}``: the lowest n ≥ 1 not in use. Parts freed by
        ``prepare_sheet`` count as free, so rewriting a sheet reuses the same names."""
        n = 1
        while True:
            name = pattern.format(n=n)
            if not self.has(name) and name.lower() not in {a.lower() for a in self._allocated}:
                self._allocated.add(name)
                return name
            n += 1

    def allocate_table_id(self) -> int:
        """A workbook-unique ListObject id: the lowest one not in use (so a rewrite reuses its id)."""
        used = set(self._allocated_table_ids)
        for name in self.part_names():
            if name.startswith("xl/tables/") and name.endswith(".xml"):
                m = re.search(rb"<(?:\w+:)?table\b[^>]*?\sid=\"(\d+)\"", self.read(name)[:4096])
                if m:
                    used.add(int(m.group(1)))
        new = 1
        while new in used:
            new += 1
        self._allocated_table_ids.add(new)
        return new

    def names_in_use(self) -> set[str]:
        """Table names and defined names (case-folded): a new table name must avoid all of them."""
        out = {d.attrs.get("name", "").lower() for d in self.defined_names()}
        for name in self.part_names():
            if name.startswith("xl/tables/") and name.endswith(".xml"):
                m = re.search(rb"<(?:\w+:)?table\b[^>]*?\sname=\"([^\"]*)\"", self.read(name)[:4096])
                if m:
                    out.add(xt.attrs_of(f'n="{m.group(1).decode("utf-8")}"')["n"].lower())
        return out

    # ---------------------------------------------------------------- writing sheets and parts
    def prepare_sheet(self, name: str, replace_foreign: bool = False) -> SheetInfo | None:
        """Free the parts an existing sheet ``name`` uses (its rels, tables, drawings, comments...
        that nothing else refers to) so a new version can take their names. Returns the sheet, or
        None if there is none. Refuses a sheet that is not xlperf's unless ``replace_foreign``."""
        info = self.sheet(name)
        if info is None:
            return None
        if info.part in self._prepared:
            return info
        if not replace_foreign and not self.is_owned(info.name):
            raise WriteError(
                f"工作簿中已有名为“{info.name}”的工作表，但它不是 xlperf 生成的，为避免覆盖您的数据未写入。"
                "请重命名该工作表后重试。",
                f"The workbook already has a sheet named {info.name!r} that xlperf did not create; nothing "
                "was written so your data is not overwritten. Rename that sheet and try again.")
        doomed = self._exclusive_closure(info.part)
        for part in sorted(doomed):
            self._remove_part(part)
        srels = rels_name(info.part)
        if self.has(srels):
            self._remove_part(srels)
        self.drop_calc_chain_for(info.sheet_id)
        self._prepared.add(info.part)
        return info

    def put_sheet(self, name: str, xml: Content, rels: Sequence[Rel] = (),
                  parts: Mapping[str, Part] | None = None, *, state: str = "visible",
                  replace_foreign: bool = False, level: int | None = None) -> SheetInfo:
        """Add sheet ``name`` (appended after the last sheet) or replace it in place if it exists
        and is xlperf's. ``xml`` is the worksheet XML (bytes, or a factory of byte chunks for big
        sheets); ``rels`` its relationships (ids as used in ``xml``); ``parts`` extra parts by name
        (allocate names with ``allocate``). Returns the sheet as registered."""
        check_sheet_name(name)
        info = self.prepare_sheet(name, replace_foreign=replace_foreign)
        if info is None:
            info = self._register_sheet(name, state)
        elif not replace_foreign:
            self._mark_owned(info)  # a template's empty xp_ sheet gets the marker too
        lvl = level if level is not None else (6 if isinstance(xml, bytes) else 1)
        self._set(info.part, xml, CT_WORKSHEET, lvl)
        if rels:
            self._set(rels_name(info.part), render_rels(info.part, rels), CT_RELS, 6)
        for pname, p in (parts or {}).items():
            self.put_part(pname, p)
        return info

    def put_part(self, name: str, part: Part) -> None:
        """Add or replace one part (and its relationships part)."""
        self._set(name, part.data, part.content_type, 6)
        if part.rels:
            self._set(rels_name(name), render_rels(name, part.rels), CT_RELS, 6)
        elif self.has(rels_name(name)):
            self._remove_part(rels_name(name))

    def replace_part(self, name: str, content: Content, level: int | None = None) -> None:
        """Replace an existing part's content, keeping its content type (used for a table's ref)."""
        real = self._real(name)
        if real is None:
            raise KeyError(name)
        lvl = level if level is not None else (6 if isinstance(content, bytes) else 1)
        self._pending[real] = _Pending(content, lvl)
        self._rels_cache.pop(real, None)  # keyed by rels part names

    def _set(self, name: str, content: Content, content_type: str, level: int) -> None:
        real = self._real(name) or name
        self._removed.discard(real)
        self._pending[real] = _Pending(content, level)
        self._ct_wanted[real] = content_type
        self._rels_cache.pop(real, None)  # keyed by rels part names

    def _remove_part(self, name: str) -> None:
        real = self._real(name) or name
        self._pending.pop(real, None)
        self._ct_wanted.pop(real, None)
        if real in self._infos:
            self._removed.add(real)
        self._rels_cache.pop(real, None)  # keyed by rels part names

    def _exclusive_closure(self, sheet_part: str) -> set[str]:
        """Parts reachable from ``sheet_part`` that are reachable from nowhere else."""
        def reach(starts: Iterable[str], skip: str) -> set[str]:
            seen: set[str] = set()
            stack = list(starts)
            while stack:
                p = stack.pop()
                if p in seen or p == skip or not self.has(p):
                    continue
                seen.add(p)
                stack.extend(r.target for r in self.rels_of(p) if not r.external)
            return seen

        mine = reach([r.target for r in self.rels_of(sheet_part) if not r.external], "")
        others = reach([r.target for r in self.rels_of("") if not r.external], sheet_part)
        return {p for p in mine - others if p != sheet_part}

    def drop_calc_chain_for(self, sheet_id: int) -> None:
        """calcChain.xml lists formula cells by sheet id; entries for a replaced sheet would point at
        cells that may no longer hold formulas, which Excel reports as corruption. It is a pure cache
        that Excel rebuilds, so when it names the replaced sheet the whole part is dropped."""
        chain = [r for r in self.rels_of(self.workbook_part) if r.type == RT_CALC_CHAIN]
        if not chain or not self.has(chain[0].target):
            return
        if re.search(rb'\si="%d"' % sheet_id, self.read(chain[0].target)) is None:
            return
        self._remove_part(chain[0].target)
        for el in xt.elements(self._wb_rels_text, "Relationship"):
            if el.attrs.get("Id") == chain[0].id:
                self._wb_rels_text = xt.remove(self._wb_rels_text, el)
                break
        self._rels_cache.pop(rels_name(self.workbook_part), None)

    def _register_sheet(self, name: str, state: str) -> SheetInfo:
        sheets = self.sheets()
        part = self.allocate("xl/worksheets/sheet{n}.xml")
        sheet_id = max((s.sheet_id for s in sheets), default=0) + 1
        used = {r.id for r in self.rels_of(self.workbook_part)}
        k = 1 + max((int(m.group(1)) for u in used if (m := re.fullmatch(r"rId(\d+)", u))), default=0)
        rid = f"rId{k}"
        rel_el = xt.first(self._wb_rels_text, "Relationships")
        assert rel_el is not None
        self._wb_rels_text = xt.append_child(
            self._wb_rels_text, rel_el,
            f'<{rel_el.prefix}Relationship Id="{rid}" Type="{RT_WORKSHEET}" '
            f'Target="{_relative(self.workbook_part, part)}"/>')
        sheets_el = xt.first(self._wb_text, "sheets")
        if sheets_el is None:
            raise UnusableFileError("工作簿缺少工作表列表。", "The workbook part has no <sheets> list.")
        rattr = f"{self._r_prefix}:id" if self._r_prefix else f'xmlns:xr_="{NS_R}" xr_:id'
        st = "" if state == "visible" else f' state="{xt.esc_attr(state)}"'
        self._wb_text = xt.append_child(
            self._wb_text, sheets_el,
            f'<{sheets_el.prefix}sheet name="{xt.esc_attr(name)}" sheetId="{sheet_id}"{st} {rattr}="{rid}"/>')
        self._rels_cache.pop(rels_name(self.workbook_part), None)
        self._app_add_title(name, [s.name for s in sheets])
        info = SheetInfo(name, sheet_id, rid, part, state)
        self._sheets_memo = (self._wb_text, self._wb_rels_text, [*sheets, info])
        self._add_owned_name(len(sheets), name)  # appended: its index is the old sheet count
        if self._sheets_memo[0] is not self._wb_text:  # the name went into workbook.xml: same sheets
            self._sheets_memo = (self._wb_text, self._wb_rels_text, [*sheets, info])
        return info

    def _mark_owned(self, info: SheetInfo) -> None:
        idx = next(i for i, s in enumerate(self.sheets()) if s.part == info.part)
        names = self.defined_names()
        if any(d.attrs.get("name") == OWNED_NAME and d.attrs.get("localSheetId") == str(idx) for d in names):
            return
        self._add_owned_name(idx, info.name)

    def _add_owned_name(self, idx: int, sheet_name: str) -> None:
        self._add_defined_name(f'name="{OWNED_NAME}" localSheetId="{idx}" hidden="1"',
                               f"{quote_sheet(sheet_name)}!$A$1")

    def _add_defined_name(self, attrs: str, formula: str) -> None:
        """One ``definedName`` (its attributes as XML, its formula as text) in ``definedNames``, made in
        its schema place when the workbook has none."""
        sheets_el = xt.first(self._wb_text, "sheets")
        assert sheets_el is not None
        p = sheets_el.prefix
        el = f"<{p}definedName {attrs}>{xt.esc_text(formula)}</{p}definedName>"
        dn = xt.first(self._wb_text, "definedNames")
        if dn is not None:
            self._wb_text = xt.append_child(self._wb_text, dn, el)
            return
        # CT_Workbook order: ... sheets, functionGroups, externalReferences, definedNames, calcPr ...
        after = sheets_el.end
        for prior in ("functionGroups", "externalReferences"):
            sp = xt.first(self._wb_text, prior)
            if sp is not None:
                after = max(after, sp.end)
        self._wb_text = self._wb_text[:after] + f"<{p}definedNames>{el}</{p}definedNames>" + self._wb_text[after:]

    def set_print_titles(self, sheet_name: str, first_row: int, last_row: int) -> None:
        """Rows printed again at the top of every page of sheet ``sheet_name`` (the sheet-local
        ``_xlnm.Print_Titles`` name Excel's 打印标题 writes); replaces an earlier setting."""
        sheets = self.sheets()
        idx = next((i for i, s in enumerate(sheets) if s.name.lower() == sheet_name.lower()), None)
        if idx is None:
            raise KeyError(sheet_name)
        for d in self.defined_names():
            if d.attrs.get("name", "").lower() == PRINT_TITLES.lower() and d.attrs.get("localSheetId") == str(idx):
                self._wb_text = xt.remove(self._wb_text, d)
                break
        self._add_defined_name(f'name="{PRINT_TITLES}" localSheetId="{idx}"',
                               f"{quote_sheet(sheets[idx].name)}!${first_row}:${last_row}")

    def _app_add_title(self, name: str, sheet_names: list[str]) -> None:
        """docProps/app.xml lists sheet names (TitlesOfParts, counted in HeadingPairs). Add the new
        one at the end of the group whose titles are all sheet names; if no group matches (a file
        from another tool), leave app.xml alone: it is informational and Excel rewrites it."""
        text = self._app_text
        if text is None:
            return
        try:
            root = xt.parse(text)
        except ValueError:  # lxml's XMLSyntaxError is a ValueError: leave a broken app.xml alone
            return
        heads = [el for el in root.iter() if xt.local(el.tag) == "HeadingPairs"]
        titles = [el for el in root.iter() if xt.local(el.tag) == "TitlesOfParts"]
        if not heads or not titles:
            return
        variants = [v for v in heads[0].iter() if xt.local(v.tag) == "variant"]
        counts: list[int] = []
        for v in variants[1::2]:
            i4 = [c for c in v.iter() if xt.local(c.tag) in ("i4", "int")]
            counts.append(int(i4[0].text) if i4 and i4[0].text else 0)
        title_list = [t.text or "" for t in titles[0].iter() if xt.local(t.tag) == "lpstr"]
        start, group = 0, None
        labels = [(v.findtext("*") or "") for v in variants[0::2]]
        known = set(sheet_names)
        for g, c in enumerate(counts):
            # the worksheet group: every title a sheet name (tools may leave very hidden ones out)
            titles_g = title_list[start:start + c]
            if (c and all(t in known for t in titles_g)) or (not c and labels[g] in ("Worksheets", "工作表")):
                group = g
                break
            start += c
        if group is None:
            return
        top = xt.first(text, "TitlesOfParts")
        assert top is not None
        vec = xt.first(text, "vector", top.start, top.end)
        lps = list(xt.elements(text, "lpstr", top.start, top.end))
        if vec is None:
            return
        at = lps[start + counts[group] - 1].end if counts[group] else (lps[start].start if start < len(lps)
                                                                        else text.rfind("</", vec.start, vec.end))
        pfx = lps[0].prefix if lps else vec.prefix
        text = text[:at] + f"<{pfx}lpstr>{xt.esc_text(name)}</{pfx}lpstr>" + text[at:]
        top = xt.first(text, "TitlesOfParts")
        assert top is not None
        vec = xt.first(text, "vector", top.start, top.end)
        assert vec is not None
        text = xt.set_attr(text, vec, "size", str(len(title_list) + 1))
        hp = xt.first(text, "HeadingPairs")
        assert hp is not None
        nums = [e for e in xt.elements(text, "i4", hp.start, hp.end)]
        if len(nums) <= group:
            return
        el = nums[group]
        text = text[:el.open_end] + str(counts[group] + 1) + text[el.end - len(f"</{el.prefix}i4>"):]
        self._app_text = text

    # ---------------------------------------------------------------- package kind (.xlsx / .xlsm)
    def workbook_content_type(self) -> str:
        """The content type of the workbook part as [Content_Types].xml declares it."""
        key = self.workbook_part.lower()
        for sp in xt.elements(self._ct_text, "Override"):
            if unquote(sp.attrs.get("PartName", "")).lstrip("/").lower() == key:
                return sp.attrs.get("ContentType", "")
        ext = posixpath.splitext(self.workbook_part)[1][1:].lower()
        return next((sp.attrs.get("ContentType", "") for sp in xt.elements(self._ct_text, "Default")
                     if sp.attrs.get("Extension", "").lower() == ext), "")

    def set_workbook_content_type(self, content_type: str) -> None:
        """Declare the workbook part's content type (the macro-enabled one or the plain one)."""
        key = self.workbook_part.lower()
        for sp in xt.elements(self._ct_text, "Override"):
            if unquote(sp.attrs.get("PartName", "")).lstrip("/").lower() == key:
                self._ct_text = xt.set_attr(self._ct_text, sp, "ContentType", content_type)
                return
        types_el = xt.first(self._ct_text, "Types")
        assert types_el is not None
        self._ct_text = xt.append_child(
            self._ct_text, types_el, f'<{types_el.prefix}Override PartName="/{xt.esc_attr(self.workbook_part)}" '
                                     f'ContentType="{xt.esc_attr(content_type)}"/>')

    def drop_default_content_type(self, content_type: str) -> None:
        """Remove every ``<Default>`` declaring ``content_type`` (vbaProject's ``bin`` once it is gone)."""
        for sp in reversed(list(xt.elements(self._ct_text, "Default"))):
            if sp.attrs.get("ContentType") == content_type:
                self._ct_text = xt.remove(self._ct_text, sp)

    def drop_relationships(self, source_part: str, rel_types: Iterable[str]) -> list[str]:
        """Remove ``source_part``'s relationships of these types ('' = the package root), with the
        parts they point to and whatever only those parts reach. Returns the removed part names."""
        wanted = set(rel_types)
        doomed_rels = [r for r in self.rels_of(source_part) if r.type in wanted]
        if not doomed_rels:
            return []
        ids = {r.id for r in doomed_rels}
        if source_part == self.workbook_part:
            for el in reversed(list(xt.elements(self._wb_rels_text, "Relationship"))):
                if el.attrs.get("Id") in ids:
                    self._wb_rels_text = xt.remove(self._wb_rels_text, el)
            self._rels_cache.pop(rels_name(self.workbook_part), None)
        else:
            rname = "_rels/.rels" if source_part == "" else rels_name(source_part)
            text = self.read(rname).decode("utf-8")
            for el in reversed(list(xt.elements(text, "Relationship"))):
                if el.attrs.get("Id") in ids:
                    text = xt.remove(text, el)
            self.replace_part(rname, text.encode("utf-8"))
            self._rels_cache.pop(rname, None)

        def reach(starts: Iterable[str]) -> set[str]:
            seen: set[str] = set()
            stack = list(starts)
            while stack:
                p = stack.pop()
                if p in seen or not self.has(p):
                    continue
                seen.add(p)
                stack.extend(r.target for r in self.rels_of(p) if not r.external)
            return seen

        gone = reach(r.target for r in doomed_rels if not r.external)
        gone -= reach(r.target for r in self.rels_of("") if not r.external)  # still used elsewhere
        removed = []
        for part in sorted(gone):
            self._remove_part(part)
            removed.append(part)
            if self.has(rels_name(part)):
                self._remove_part(rels_name(part))
        return removed

    # ---------------------------------------------------------------- saving
    def _content_types(self) -> str:
        text = self._ct_text
        defaults = {sp.attrs.get("Extension", "").lower(): sp.attrs.get("ContentType", "")
                    for sp in xt.elements(text, "Default")}
        overrides = {}
        for sp in xt.elements(text, "Override"):
            overrides[unquote(sp.attrs.get("PartName", "")).lstrip("/").lower()] = sp
        # remove overrides of parts that no longer exist, or whose type xlperf changes
        doomed = []
        for key, sp in overrides.items():
            real = self._real(key) or key
            if real in self._removed or (real in self._ct_wanted and self._ct_wanted[real]
                                         != sp.attrs.get("ContentType")):
                doomed.append(sp)
        for sp in sorted(doomed, key=lambda s: s.start, reverse=True):
            text = xt.remove(text, sp)
        types_el = xt.first(text, "Types")
        assert types_el is not None
        add = []
        for name, ct in self._ct_wanted.items():
            sp_old = overrides.get(name.lower())
            if sp_old is not None and sp_old.attrs.get("ContentType") == ct:
                continue
            if sp_old is None and defaults.get(posixpath.splitext(name)[1][1:].lower()) == ct:
                continue
            add.append(f'<{types_el.prefix}Override PartName="/{xt.esc_attr(quote(name, safe="/._-~"))}" '
                       f'ContentType="{xt.esc_attr(ct)}"/>')
        return xt.append_child(text, types_el, "".join(add)) if add else text

    def save(self, fp: BinaryIO) -> None:
        """Write the package to a seekable binary stream (see ``xlperf.io.safesave.atomic_write``)."""
        edited: dict[str, bytes] = {
            self.workbook_part: self._wb_text.encode("utf-8"),
            rels_name(self.workbook_part): self._wb_rels_text.encode("utf-8"),
            "[Content_Types].xml": self._content_types().encode("utf-8"),
        }
        if self.app_part and self._app_text is not None:
            edited[self.app_part] = self._app_text.encode("utf-8")
        w = RawZipWriter(fp)
        for name, info in self._infos.items():
            if name in self._removed:
                continue
            if name in self._pending:
                self._write_pending(w, name)
            elif name in edited and edited[name] != self._zip.read(name):
                w.write(name, edited[name])
            else:
                w.copy_raw(self._data, info)
        for name in self._pending:
            if name not in self._infos:
                self._write_pending(w, name)
        w.close()

    def _write_pending(self, w: RawZipWriter, name: str) -> None:
        p = self._pending[name]
        if isinstance(p.content, bytes):
            w.write(name, p.content, p.level)
        else:
            w.write_stream(name, p.content(), p.level)

    def to_bytes(self) -> bytes:
        """The saved package in memory (tests and small files)."""
        buf = BytesIO()
        self.save(buf)
        return buf.getvalue()
