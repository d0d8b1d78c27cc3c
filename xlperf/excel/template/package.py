"""Turn openpyxl's .xlsx bytes into the deterministic macro-enabled package.

openpyxl writes the sheets; this step makes the result an .xlsm byte for byte reproducible: fixed member
order and timestamps, fixed document properties, the macro-enabled workbook content type, and the parts
Excel needs for macros and the ribbon (``xl/vbaProject.bin``, ``customUI/customUI14.xml``).
"""

from __future__ import annotations

import io
import re
import zipfile

from ...io.fontorder import sdk_font_order_bytes

MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
VBA_CT = "application/vnd.ms-office.vbaProject"
VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
UI_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
UI_PART = "customUI/customUI14.xml"
FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)
FIXED_W3CDTF = "2026-01-01T00:00:00Z"

CORE_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>{title}</dc:title><dc:creator>xlperf</dc:creator><cp:lastModifiedBy>xlperf</cp:lastModifiedBy>"
    f'<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_W3CDTF}</dcterms:created>'
    f'<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_W3CDTF}</dcterms:modified>'
    "</cp:coreProperties>"
)


def _insert_before(xml: str, closing: str, fragment: str) -> str:
    if closing not in xml:
        raise ValueError(f"package part has no {closing}")
    head, _, tail = xml.rpartition(closing)
    return head + fragment + closing + tail


def _next_rid(rels: str) -> str:
    ids = [int(n) for n in re.findall(r'Id="rId(\d+)"', rels)]
    return f"rId{max(ids, default=0) + 1}"


def _add_relationship(rels: str, rel_type: str, target: str) -> str:
    if f'Type="{rel_type}"' in rels:
        return rels
    rid = _next_rid(rels)
    return _insert_before(rels, "</Relationships>", f'<Relationship Id="{rid}" Type="{rel_type}" Target="{target}"/>')


def _content_types(xml: str, *, vba: bool, ui: bool) -> str:
    xml = xml.replace(XLSX_MAIN, MACRO_MAIN)
    if vba and 'Extension="bin"' not in xml:
        xml = _insert_before(xml, "</Types>", f'<Default Extension="bin" ContentType="{VBA_CT}"/>')
    if ui and f'PartName="/{UI_PART}"' not in xml:
        xml = _insert_before(xml, "</Types>", f'<Override PartName="/{UI_PART}" ContentType="application/xml"/>')
    return xml


def _member_order(name: str) -> tuple[int, str]:
    # [Content_Types].xml first (some readers expect it), then package rels, then the rest by name.
    return ({"[Content_Types].xml": 0, "_rels/.rels": 1}.get(name, 2), name)


def write_zip(parts: dict[str, bytes]) -> bytes:
    """A zip with fixed order, timestamps and attributes: the same parts give the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name in sorted(parts, key=_member_order):
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            zf.writestr(info, parts[name], compresslevel=6)
    return out.getvalue()


def macro_package(xlsx: bytes, *, vba_project: bytes | None, custom_ui: bytes | None, title: str) -> bytes:
    """openpyxl output → deterministic .xlsm bytes with the optional VBA project and ribbon parts."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    parts["[Content_Types].xml"] = _content_types(
        parts["[Content_Types].xml"].decode("utf-8"), vba=vba_project is not None, ui=custom_ui is not None
    ).encode("utf-8")
    parts["docProps/core.xml"] = CORE_XML.format(title=_xml_escape(title)).encode("utf-8")
    if "xl/styles.xml" in parts:  # openpyxl's font child order is not the SDK's (see fontorder)
        parts["xl/styles.xml"] = sdk_font_order_bytes(parts["xl/styles.xml"])
    if vba_project is not None:
        parts["xl/vbaProject.bin"] = vba_project
        rels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
        parts["xl/_rels/workbook.xml.rels"] = _add_relationship(rels, VBA_REL, "vbaProject.bin").encode("utf-8")
    if custom_ui is not None:
        parts[UI_PART] = custom_ui
        rels = parts["_rels/.rels"].decode("utf-8")
        parts["_rels/.rels"] = _add_relationship(rels, UI_REL, UI_PART).encode("utf-8")
    return write_zip(parts)


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
