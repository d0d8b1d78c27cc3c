"""Which cell styles show a number as a percent.

Typing ``98.5%`` into an Excel cell stores 0.985 and gives the cell a percent number format; the value
alone no longer says what HR typed. A cell's ``s`` attribute indexes ``cellXfs`` in styles.xml, whose
``numFmtId`` is a built-in format (9 = ``0%``, 10 = ``0.00%``) or one of the workbook's own
``numFmt`` codes. A code is a percent format when a ``%`` remains once the parts Excel shows as text
are taken out: quoted strings, ``\\x`` escapes, ``[...]`` (colours, conditions, locales), and the
character after ``_`` (a space as wide as it) or ``*`` (repeat to fill).

Used by the file reader (styles.xml, once per file) and the live engine (the format code Excel
reports for a range).
"""

from __future__ import annotations

import re
import zipfile

from . import opc

BUILTIN_PERCENT = frozenset({9, 10})
REL_STYLES = "/styles"

_SHOWN_AS_TEXT = re.compile(r'"[^"]*"?|\\.|\[[^\]]*\]?|[_*].')


def is_percent_format(code: str | None) -> bool:
    """Whether Excel shows a number in this format code ×100 with a percent sign."""
    if not code:
        return False
    return "%" in _SHOWN_AS_TEXT.sub("", code)


def percent_styles(zf: zipfile.ZipFile, workbook_part: str, source: str = "") -> frozenset[int]:
    """The ``cellXfs`` indexes (a cell's ``s``) whose number format is a percent format."""
    part = ""
    for rel in opc.read_rels(zf, workbook_part, source):
        if rel.type.endswith(REL_STYLES) and not rel.external:
            part = rel.target
            break
    data = opc.read_part(zf, part or "xl/styles.xml", source)
    if data is None:
        return frozenset()
    root = opc.parse_xml(data, part or "xl/styles.xml", source)
    custom: dict[int, str] = {}
    xf_fmts: list[int] = []
    for el in root:
        name = opc.local(el.tag)
        if name == "numFmts":
            for c in el:
                if opc.local(c.tag) == "numFmt":
                    fid = _int(c.get("numFmtId"))
                    if fid is not None:
                        custom[fid] = str(c.get("formatCode") or "")
        elif name == "cellXfs":
            xf_fmts = [_int(c.get("numFmtId")) or 0 for c in el if opc.local(c.tag) == "xf"]
    percent_ids = {fid for fid, code in custom.items() if is_percent_format(code)}
    percent_ids |= BUILTIN_PERCENT - custom.keys()  # a custom code may redefine a built-in id
    return frozenset(i for i, fid in enumerate(xf_fmts) if fid in percent_ids)


def _int(value: object) -> int | None:
    try:
        return int(str(value)) if value is not None else None
    except ValueError:
        return None
